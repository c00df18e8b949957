"""YAML that remembers where each value stood, so errors can name file, line and field."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from base.errors import InventoryError, SourceLocation

PathKey = tuple[str | int, ...]


@dataclass
class Located:
    """Plain Python data of one YAML file and the 1-based line of every value in it."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int:
        """The line of ``path`` or, failing that, of its nearest recorded ancestor."""
        for cut in range(len(path), -1, -1):
            line = self.lines.get(path[:cut])
            if line is not None:
                return line
        return 1

    def at(self, path: PathKey, field_name: str | None = None) -> SourceLocation:
        return SourceLocation(self.file, self.line_of(path), field_name or dotted(path))


def dotted(path: PathKey) -> str:
    """``("links", 3, "b", "device")`` -> ``links[3].b.device``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def load_located(path: Path, display: str | None = None) -> Located:
    """Parse one YAML file into data plus line positions; bad YAML raises InventoryError."""
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InventoryError(SourceLocation(shown, 1, "(file)"), f"not UTF-8: {exc}") from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InventoryError(SourceLocation(shown, line, "(yaml)"), f"bad YAML: {problem}") from exc
    located = Located(shown, None)
    if node is not None:
        located.data = _convert(node, (), located)
    return located


def _convert(node: yaml.Node, path: PathKey, out: Located) -> Any:
    out.lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = yaml.SafeLoader(b"").construct_object(key_node)
            key = str(key)
            if key in result:
                raise InventoryError(
                    SourceLocation(out.file, key_node.start_mark.line + 1, dotted((*path, key))),
                    "duplicate key",
                )
            result[key] = _convert(value_node, (*path, key), out)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), out) for i, item in enumerate(node.value)]
    loader = yaml.SafeLoader("")
    return loader.construct_object(node, deep=True)
