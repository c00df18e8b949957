"""One line per schema error, located at its field, never showing a secret's value."""

from __future__ import annotations

from typing import Any

from .secrets import holds_secret, looks_like_secret
from .yamlsource import PathKey

SHOWN_CHARS = 40


def message(path: PathKey, err: Any) -> tuple[PathKey, str]:
    """The field path and the text for one pydantic error of the item at ``path``."""
    loc: PathKey = tuple(err["loc"])
    kind = str(err.get("type", ""))
    key_problem = bool(loc) and loc[-1] == "[key]"
    if key_problem:
        loc = loc[:-1]
    where: PathKey = (*path, *loc)
    value = err.get("input")
    if kind == "missing":
        return where, "required field is missing"
    if kind == "extra_forbidden":
        if isinstance(loc[-1], str) and holds_secret(loc[-1:]) and not loc[-1].endswith("_env"):
            return where, (
                "unknown field: a secret is never written in the inventory, name the"
                " environment variable that holds it (e.g. password_env; the value is not shown)"
            )
        return where, "unknown field"
    name = next((part for part in reversed(loc) if isinstance(part, str)), "")
    if name.endswith("_env") and not key_problem:
        if isinstance(value, str) and looks_like_secret(value):
            return where, (
                "must name an environment variable (the value looks like a secret and is not shown)"
            )
        return where, (
            "must name an environment variable: upper-case letters, digits and _"
            " (the value is not shown)"
        )
    text = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
    if key_problem:
        text = f"not a known key: {text}"
    if not holds_secret(where) and not isinstance(value, dict | list):
        text += f" (got {shown(value)})"
    return where, text


def shown(value: object) -> str:
    """``repr`` of a value, cut short: a 5,000-digit number is not printed whole."""
    try:
        text = repr(value)
    except ValueError:  # an int too long to print
        return "a value too long to show"
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"
