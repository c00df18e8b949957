"""The append-only change log: one JSON object per line, read by the audit export.

``<state>/automation/changes.jsonl``; each record (see docs/automation.md)::

    {"at": "2026-11-22T21:40:03.123456+08:00", "who": "netops", "action": "push",
     "device": "core1", "platform": "frr", "result": "committed",
     "diff": "  interface eth1\\n-  ip ospf cost 50\\n+  ip ospf cost 10\\n",
     "revert_in_seconds": null, "backup": "<git sha of the pre-change backup>",
     "error": null, "run": "<id shared by the records of one command>"}

Lines are appended with ``O_APPEND`` in one ``write`` each, so concurrent writers never
interleave inside a record. Diffs hold secret markers, never secret values.

This module owns the format: it writes it and is the one reader of it. The reader is
tolerant, so a log written by an older or newer egovnet still reads (the audit export relies
on that): ``when`` is read as ``at``, a diff given as a list of lines is joined, a result
given as a boolean or an object is spelled out, unknown fields are ignored, and a line that
is not a JSON object is reported instead of read.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

#: Where the log lives under the state directory, newest layout first.
CHANGE_LOG_PATHS = ("automation/changes.jsonl", "changes.jsonl")


@dataclass(frozen=True)
class ChangeRecord:
    at: str
    who: str
    action: str  # push | confirm | rollback | restore
    device: str
    platform: str
    result: str  # committed | pending-confirm | confirmed | restored | failed | rolled-back
    diff: str
    run: str
    revert_in_seconds: int | None = None
    backup: str | None = None
    error: str | None = None


def now() -> str:
    """ISO 8601 with the local zone, e.g. 2026-11-22T21:40:03.123456+08:00."""
    return datetime.now().astimezone().isoformat()


def who() -> str:
    """The person behind the change: $EGOVNET_USER, else the sudo user, else the login."""
    for var in ("EGOVNET_USER", "SUDO_USER"):
        value = os.environ.get(var)
        if value:
            return value
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid{os.getuid()}"


class ChangeLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, record: ChangeRecord) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(asdict(record), ensure_ascii=False) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)

    def records(self) -> Iterator[ChangeRecord]:
        """Every readable record, oldest first (unreadable lines are passed over)."""
        if not self.path.exists():
            return
        for _, record in read_log(self.path):
            if record is not None:
                yield record


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, bool):
        return "ok" if value else "failed"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def parse_record(raw: object) -> ChangeRecord | None:
    """The record in one decoded line, read tolerantly; None when it is not an object."""
    if not isinstance(raw, dict):
        return None
    values: dict[str, Any] = {"at": _text(raw.get("at", raw.get("when")))}
    for name in ("who", "action", "device", "platform", "result", "diff", "run"):
        values[name] = _text(raw.get(name))
    revert = raw.get("revert_in_seconds")
    values["revert_in_seconds"] = revert if isinstance(revert, int) else None
    for name in ("backup", "error"):
        values[name] = None if raw.get(name) is None else _text(raw.get(name))
    return ChangeRecord(**values)


def read_log(path: Path) -> Iterator[tuple[int, ChangeRecord | None]]:
    """(line number, record) for every non-blank line; the record None where the line is not
    a JSON object."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError:
                raw = None
            yield number, parse_record(raw)
