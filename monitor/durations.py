"""Prometheus duration strings (``1m30s``, ``10m``, ``7d``): parse, format and scale."""

from __future__ import annotations

import re

from base.errors import MonitorConfigError

_UNITS_MS: tuple[tuple[str, int], ...] = (
    ("y", 365 * 24 * 3600 * 1000),
    ("w", 7 * 24 * 3600 * 1000),
    ("d", 24 * 3600 * 1000),
    ("h", 3600 * 1000),
    ("m", 60 * 1000),
    ("s", 1000),
    ("ms", 1),
)
_PATTERN = re.compile(
    r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$"
)


def parse_duration(text: str, field: str = "duration") -> int:
    """Milliseconds in a Prometheus duration; a bad one is a :class:`MonitorConfigError`."""
    match = _PATTERN.match(text.strip())
    if not text.strip() or match is None or not any(match.groups()):
        raise MonitorConfigError(
            f"{field}: {text!r} is not a Prometheus duration (e.g. 30s, 1m30s, 10m, 4h)"
        )
    return sum(
        int(value) * unit_ms
        for value, (_, unit_ms) in zip(match.groups(), _UNITS_MS, strict=True)
        if value
    )


def format_duration(ms: int) -> str:
    """The shortest Prometheus spelling of ``ms`` milliseconds (``90000`` -> ``1m30s``)."""
    if ms <= 0:
        return "0s"
    parts: list[str] = []
    rest = ms
    for unit, unit_ms in _UNITS_MS:
        if unit in {"y", "w"}:  # keep long spans in days: 14d reads better than 2w
            continue
        count, rest = divmod(rest, unit_ms)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def scale_duration(text: str, factor: float, field: str = "duration") -> str:
    """``text`` multiplied by ``factor``, rounded to whole milliseconds."""
    return format_duration(round(parse_duration(text, field) * factor))
