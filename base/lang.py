"""The two languages egovnet speaks, and which one a user gets by default.

A leaf of the ground floor (``base/``): the CLI, the exports and the alert texts all name a
language with this one enum. The default follows the POSIX locale variables in their order
of precedence (``LC_ALL``, ``LC_MESSAGES``, ``LANG``): ``zh_CN.UTF-8`` and the like give
Chinese, anything else English.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from .errors import LanguageError

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


class Lang(StrEnum):
    zh = "zh"
    en = "en"


def lang_from_env(env: Mapping[str, str]) -> Lang:
    """The language the locale asks for: the first locale variable that is set decides."""
    for name in LOCALE_VARIABLES:
        value = env.get(name, "")
        if value:
            return Lang.zh if value.lower().startswith("zh") else Lang.en
    return Lang.en


def parse_lang(text: str, option: str = "--lang") -> Lang:
    """``zh`` or ``en`` (any case); anything else is bad input naming the option."""
    try:
        return Lang(text.strip().lower())
    except ValueError:
        raise LanguageError(f"{option}: unknown language {text!r} (zh or en)") from None
