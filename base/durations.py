"""Durations as Prometheus spells them (``1m30s``, ``10m``, ``7d``): parse, format and scale.

The same grammar serves every duration option (alert ``for:``, intervals, a confirm timer); a
bad one is a :class:`ValueError` whose text names the field, for the caller to report.
"""

from __future__ import annotations

import re

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


def parse_duration(text: str, field: str = "duration", *, bare_unit: str | None = None) -> int:
    """Milliseconds in a Prometheus duration. With ``bare_unit`` (``"s"``) a plain number is
    read in that unit, as command-line timers often are (``90`` = ``90s``)."""
    spelled = text.strip()
    if bare_unit is not None and spelled.isdigit():
        spelled += bare_unit
    match = _PATTERN.match(spelled)
    if not spelled or match is None or not any(match.groups()):
        raise ValueError(
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
