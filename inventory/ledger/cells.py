"""Reading what people type into a ledger cell: trailing spaces, full-width characters,
numbers stored as text (or text stored as numbers), bandwidth written as "100M" or "1G".

Every reader returns the value for the inventory or raises :class:`CellError` with a message
fit for ``FILE:Sheet!C12: header: message``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime

from .columns import Column, Kind


class CellError(ValueError):
    """A cell that cannot be read as its column's kind (the message says why)."""


#: Values a yes/no column accepts, after folding.
TRUE_WORDS = frozenset({"是", "y", "yes", "true", "1", "√", "重要"})
FALSE_WORDS = frozenset({"否", "n", "no", "false", "0", "×", "x"})
#: Separators of list cells, after full-width folding (、 has no ASCII form).
ITEM_SEPARATORS = re.compile(r"[,;、\s]+")
BANDWIDTH = re.compile(
    r"^(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>[kmgt]?)(?:bps|b|bit/s|bit)?$", re.IGNORECASE
)
#: Mbps per unit; 兆 and 千兆 are how the plan itself writes rates (1000兆到区各部门).
UNITS = {"k": 0.001, "": 1, "m": 1, "g": 1000, "t": 1_000_000}
CHINESE_UNITS = (("千兆", "g"), ("兆", "m"))
DATE_FORMS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def fold(text: str) -> str:
    """Full-width to ASCII (（）：，and full-width digits), non-breaking spaces, trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def as_text(raw: object) -> str | None:
    """The cell as text; None for empty. A whole number stored as a number reads "100"."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, datetime):
        raw = raw.date()
    text = str(raw).replace("\u00a0", " ").replace("\u3000", " ").strip()
    return text or None


def read_cell(column: Column, raw: object) -> object:
    """The inventory value of one non-empty cell (call only when ``as_text`` is not None)."""
    if column.kind is Kind.date:
        return read_date(raw)
    text = as_text(raw)
    assert text is not None
    if column.kind is Kind.text:
        return text
    folded = fold(text)
    if column.kind is Kind.code:
        return folded
    if column.kind is Kind.integer:
        return read_integer(folded)
    if column.kind is Kind.number:
        return read_number(folded)
    if column.kind is Kind.bandwidth:
        return read_bandwidth(folded)
    if column.kind is Kind.boolean:
        return read_boolean(folded)
    if column.kind is Kind.items:
        return [item for item in ITEM_SEPARATORS.split(folded) if item]
    return read_choice(folded, column.choices)


def read_integer(text: str) -> int:
    cleaned = text.replace(",", "").replace(" ", "")
    try:
        number = float(cleaned)
    except ValueError:
        raise CellError(f"not a whole number (got {text!r})") from None
    if not number.is_integer():
        raise CellError(f"not a whole number (got {text!r})")
    return int(number)


def read_number(text: str) -> float:
    try:
        return float(text.replace(",", "").replace(" ", ""))
    except ValueError:
        raise CellError(f"not a number (got {text!r})") from None


def read_bandwidth(text: str) -> int:
    """Mbps from ``100``, ``100M``, ``50Mbps``, ``1G``, ``1.5 Gbps``, ``100兆``, ``1千兆``."""
    cleaned = text.replace(" ", "")
    for word, unit in CHINESE_UNITS:
        if cleaned.endswith(word):
            cleaned = cleaned[: -len(word)] + unit
    match = BANDWIDTH.match(cleaned)
    if match is None:
        raise CellError(f"not a bandwidth: write Mbps (100), or 100M, 1G, 50Mbps (got {text!r})")
    mbps = float(match["number"]) * UNITS[match["unit"].lower()]
    if not mbps.is_integer() or mbps <= 0:
        raise CellError(f"not a whole, positive number of Mbps (got {text!r})")
    return int(mbps)


def read_boolean(text: str) -> bool:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"write 是 or 否 (got {text!r})")


def read_choice(text: str, choices: Sequence[tuple[str, str]]) -> str:
    for value, label in choices:
        if text in (value, label) or text.lower() == value.lower():
            return value
    allowed = ", ".join(label for _, label in choices)
    raise CellError(f"unknown value {text!r} (allowed: {allowed})")


def read_date(raw: object) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    text = fold(as_text(raw) or "")
    for form in DATE_FORMS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise CellError(f"not a date: write 2025-06-18 (got {text!r})")
