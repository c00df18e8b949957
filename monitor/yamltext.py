"""YAML for humans: multi-line strings (PromQL) as literal blocks, Chinese kept as is."""

from __future__ import annotations

from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def dump_yaml(data: Any, header: str | None = None) -> str:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
    if header:
        lines = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
        return lines + text
    return text
