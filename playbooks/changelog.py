"""Configuration change records for auditors, read tolerantly from the automation change log.

The automation commands append one JSON object per line (docs/automation.md) to
``<state>/automation/changes.jsonl`` (older layout: ``<state>/changes.jsonl``). This reader
does not depend on that format beyond what auditors need: who, when, device, action,
result, diff. It accepts ``when`` or ``at`` for the time, a diff given as text or as a list
of lines, a result given as text, boolean or object; it ignores fields it does not know and
skips (and counts) lines that are not JSON objects, so a log written by a newer or older
egovnet still exports.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .results import clean_text

CHANGE_LOG_PATHS = ("automation/changes.jsonl", "changes.jsonl")


@dataclass(frozen=True)
class ChangeEntry:
    when: str  # ISO 8601 with zone when the log gave one; else the raw text
    who: str
    device: str
    action: str
    result: str
    diff: str
    source: str  # file:line


@dataclass
class ChangeLogRead:
    entries: list[ChangeEntry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # file:line of unreadable lines
    files: list[str] = field(default_factory=list)


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


def _when(value: Any) -> str:
    text = _text(value)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    return parsed.isoformat() if parsed.tzinfo else text


def change_log_files(state_dir: Path) -> list[Path]:
    return [state_dir / rel for rel in CHANGE_LOG_PATHS if (state_dir / rel).is_file()]


def read_change_log(files: Iterable[Path], devices: set[str] | None = None) -> ChangeLogRead:
    """Every readable record (optionally only those of ``devices``), oldest first."""
    out = ChangeLogRead()
    for path in files:
        out.files.append(str(path))
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    record = None
                if not isinstance(record, dict):
                    out.skipped.append(f"{path}:{number}")
                    continue
                device = _text(record.get("device"))
                if devices is not None and device not in devices:
                    continue
                out.entries.append(
                    ChangeEntry(
                        when=_when(record.get("when", record.get("at"))),
                        who=_text(record.get("who")),
                        device=device,
                        action=_text(record.get("action")),
                        result=_text(record.get("result")),
                        diff=clean_text(_text(record.get("diff"))),
                        source=f"{path}:{number}",
                    )
                )
    out.entries.sort(key=lambda e: e.when)
    return out
