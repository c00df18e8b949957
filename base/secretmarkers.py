"""The marker a secret leaves in rendered text: ``<<secret:ENV_NAME>>``, never the value.

automation/ writes them into rendered configs (:mod:`automation.secretref` resolves them
from the secret store at push time); the lab's vendor emulations start from such a config
and swap the values in from their own environment. One format for both, kept here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

MARKER = re.compile(r"<<secret:([A-Z_][A-Z0-9_]*)>>")


def reference(env_name: str) -> str:
    return f"<<secret:{env_name}>>"


def referenced(text: str) -> list[str]:
    """Names of every secret a text refers to, in order, without repeats."""
    return list(dict.fromkeys(MARKER.findall(text)))


def substitute(text: str, value_of: Callable[[str], str]) -> str:
    """Replace every marker with ``value_of(name)`` (which raises for a missing secret)."""
    return MARKER.sub(lambda m: value_of(m.group(1)), text)


def unsubstitute(text: str, values: Mapping[str, str]) -> str:
    """Put markers back where the values (by name) appear; empty values are left alone."""
    for name, value in values.items():
        if value:
            text = text.replace(value, reference(name))
    return text
