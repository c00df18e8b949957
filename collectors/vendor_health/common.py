"""What both platforms' parsers share: reading integers, names and dBm out of walked tables."""

from __future__ import annotations

import math

from ..vendor_oids import (
    ENT_PHYSICAL_CLASS,
    ENT_PHYSICAL_DESCR,
    ENT_PHYSICAL_NAME,
    INVALID_READINGS,
)
from .readings import Tables


def integer(tables: Tables, column: str, index: str) -> int | None:
    """The column's value at ``index`` if it is a real reading (not absent, not a sentinel)."""
    value = tables.get(column, {}).get(index)
    if type(value) is not int or value in INVALID_READINGS:
        return None
    return value


def text(tables: Tables, column: str, index: str) -> str:
    value = tables.get(column, {}).get(index)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return "" if value is None else str(value)


def entity_name(tables: Tables, index: str) -> str:
    """entPhysicalName, or the index itself when the agent names no entity."""
    return text(tables, ENT_PHYSICAL_NAME.oid, index) or f"entity {index}"


def entity_descr(tables: Tables, index: str) -> str:
    return text(tables, ENT_PHYSICAL_DESCR.oid, index)


def entity_class(tables: Tables, index: str) -> int | None:
    return integer(tables, ENT_PHYSICAL_CLASS.oid, index)


def hundredths(value: int | None) -> float | None:
    """A value in 0.01 units (0.01 dBm, percent -> ratio) as a float."""
    return None if value is None else value / 100.0


def tenth_microwatts_to_dbm(value: int | None) -> float | None:
    """H3C's thresholds in 0.1 µW (10000 = 1 mW) as dBm; no power has no dBm."""
    if value is None or value <= 0:
        return None
    return round(10.0 * math.log10(value / 10000.0), 2)
