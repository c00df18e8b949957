"""The command's own words in Chinese and English: table titles, headings, status words,
messages and errors.

One catalogue (:data:`CATALOGUE`, gathered from ``egovnet/texts/``, one module per verb
group), looked up by stable key (``text("inventory.tiers.title")``), instead of strings spread
over the command files. The language is chosen once per run by the root option
``egovnet --lang zh|en`` (default from the locale: ``LANG=zh_CN.UTF-8`` gives Chinese) and
read here by every command. English is the fallback: a key whose Chinese is still empty
prints its English (tests/unit/test_cli_lang_tables.py fails on one). ``--help`` stays
English: it is written once, in the code. JSON output keeps its English keys and codes: it is
an API.

Errors come from the domain packages, which never import the CLI, so they are written in
English there. They are translated here, at the edge: the catalogue's ``err.*``, ``finding.*``,
``problem.*`` and ``step.*`` entries (egovnet/texts/errors.py) hold the English template of
each common message (``unknown site {site}``) and its Chinese, matched in one pass
(egovnet/templates.py); a
message matching a template is printed in Chinese with the matched parts (names, numbers,
values) as they were. A located error keeps its ``file:line: field`` literal, only its
message is translated. A message no template matches prints in English.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from base.errors import EgovnetError, InventoryErrors, LocatedError
from base.lang import Lang
from egovnet.templates import Template
from egovnet.texts import CATALOGUE

__all__ = [
    "CATALOGUE",
    "choose",
    "current",
    "error_lines",
    "heading",
    "text",
    "tier_name",
    "translate",
    "word",
]

_chosen: list[Lang] = [Lang.en]


def choose(lang: Lang) -> None:
    """Set the language of this run (the root ``--lang`` option does, once)."""
    _chosen[0] = lang


def current() -> Lang:
    return _chosen[0]


def text(key: str, **fields: object) -> str:
    """The catalogue's text for ``key`` in this run's language, fields filled in; the English
    when the Chinese is missing."""
    zh, en = CATALOGUE[key]
    template = zh if current() is Lang.zh and zh else en
    return template.format(**fields) if fields else template


def heading(column: str) -> str:
    """A column heading: the catalogue's ``col.COLUMN``."""
    return text(f"col.{column}")


def word(kind: str, value: object) -> str:
    """A status word or code shown to people (``word("severity", "must")``): its catalogue
    text under ``KIND.VALUE``, or the value itself when the catalogue has none."""
    code = str(getattr(value, "value", value))
    key = f"{kind}.{code}"
    return text(key) if key in CATALOGUE else code


def tier_name(code: str) -> str:
    """A tier as people call it: 镇街 in Chinese, the code (``town``) in English."""
    if current() is Lang.en:
        return code
    from inventory.models import Tier  # the models only when a table shows a tier
    from inventory.names import name_of

    return name_of(Tier, code, Lang.zh)


# --- errors -----------------------------------------------------------------------------------

#: Keys of the English templates of the domain packages' texts: errors, topology findings,
#: status problems, progress steps.
DOMAIN = ("err.", "finding.", "problem.", "step.")

#: Longer messages are printed as they are: no template is that long, and a line that long is
#: data more than words.
LONGEST_TRANSLATED = 4096


def _wraps(template: Template) -> bool:
    return any(name.startswith("msg") for name in template.fields)


@cache
def _error_templates() -> tuple[tuple[Template, str], ...]:
    """Every ``DOMAIN`` entry as (English template, Chinese template), in the order they are
    tried: templates wrapping another message first (``{msg} (got {value})`` before
    ``Input should be {choices}``, which would swallow it), then those with more fixed text."""
    entries = [
        (Template.parse(en), zh)
        for key, (zh, en) in CATALOGUE.items()
        if key.startswith(DOMAIN) and zh
    ]
    entries.sort(key=lambda e: (not _wraps(e[0]), -e[0].fixed))
    return tuple(entries)


def translate(message: str) -> str:
    """An English message in this run's language (see the module docstring); fields whose
    name starts with ``msg`` are messages themselves and translated in turn."""
    if current() is Lang.en or len(message) > LONGEST_TRANSLATED:
        return message
    return _translate(message, depth=0)


def _translate(message: str, depth: int) -> str:
    if depth > 4:
        return message
    for template, zh in _error_templates():
        values = template.match(message)
        if values is None:
            continue
        fields: dict[str, Any] = {
            name: _translate(value, depth + 1) if name.startswith("msg") else value
            for name, value in values.items()
        }
        return zh.format(**fields)
    return message


def _located(err: LocatedError) -> str:
    """``file:line: field: message``, the location literal and the message translated."""
    return f"{err.location}: {translate(err.message)}"


def error_lines(exc: EgovnetError) -> Iterator[str]:
    """An error as the lines the CLI prints: one per problem, then the count for several."""
    if isinstance(exc, InventoryErrors):
        for err in exc.errors:
            yield text("error", message=_located(err))
        yield text("error.count", count=len(exc.errors))
    elif isinstance(exc, LocatedError):
        yield text("error", message=_located(exc))
    else:
        yield text("error", message=translate(str(exc)))
