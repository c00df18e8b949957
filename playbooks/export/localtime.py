"""Times as the reader's clock shows them: local time to the minute, with the zone named.

The stored results keep ISO 8601 with their zone (machine time, often UTC); a report for
people shows them in one zone, Asia/Shanghai unless told otherwise, and says which.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from base.errors import AuditInputError

DEFAULT_ZONE = "Asia/Shanghai"


def zone(name: str = DEFAULT_ZONE) -> ZoneInfo:
    """The IANA zone ``name``; an unknown name is bad input."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise AuditInputError(f"time zone: unknown zone {name!r} (e.g. {DEFAULT_ZONE})") from None


def minute(moment: datetime, tz: ZoneInfo) -> str:
    """``2026-12-02 06:25`` in ``tz``; a naive time is taken as already local."""
    local = moment.astimezone(tz) if moment.tzinfo is not None else moment
    return local.strftime("%Y-%m-%d %H:%M")


def zone_label(tz: ZoneInfo, at: datetime) -> str:
    """``Asia/Shanghai (UTC+08:00)``: the zone's name and its offset at ``at``."""
    offset = at.astimezone(tz).strftime("%z")
    return f"{tz.key} (UTC{offset[:3]}:{offset[3:]})"


def minute_of_text(text: str, tz: ZoneInfo) -> str:
    """An ISO 8601 time with its zone, shown as :func:`minute`; any other text unchanged."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return minute(moment, tz) if moment.tzinfo is not None else text
