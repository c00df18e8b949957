"""The append-only change log: one JSON object per line, read by the audit export.

``<state>/automation/changes.jsonl``; each record (see docs/automation.md)::

    {"at": "2026-11-22T21:40:03.123456+08:00", "who": "netops", "action": "push",
     "device": "core1", "platform": "frr", "result": "committed",
     "diff": "  interface eth1\\n-  ip ospf cost 50\\n+  ip ospf cost 10\\n",
     "revert_in_seconds": null, "backup": "<git sha of the pre-change backup>",
     "error": null, "run": "<id shared by the records of one command>"}

Lines are appended with ``O_APPEND`` in one ``write`` each, so concurrent writers never
interleave inside a record. Diffs hold secret markers, never secret values.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path


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
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield ChangeRecord(**json.loads(line))
