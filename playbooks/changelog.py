"""Configuration change records for auditors, from the automation change log.

The automation commands append one JSON object per line (docs/automation.md) to
``<state>/automation/changes.jsonl`` (older layout: ``<state>/changes.jsonl``);
:mod:`automation.changelog` owns that format and reads it tolerantly, so a log written by a
newer or older egovnet still exports. This module picks what auditors need (who, when, device,
action, result, diff), filters by device and puts the records in time order; lines that are not
records are counted by file and line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from automation.changelog import CHANGE_LOG_PATHS, read_log

from .results import clean_text


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


def _when(text: str) -> str:
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
        for number, record in read_log(path):
            if record is None:
                out.skipped.append(f"{path}:{number}")
                continue
            if devices is not None and record.device not in devices:
                continue
            out.entries.append(
                ChangeEntry(
                    when=_when(record.at),
                    who=record.who,
                    device=record.device,
                    action=record.action,
                    result=record.result,
                    diff=clean_text(record.diff),
                    source=f"{path}:{number}",
                )
            )
    out.entries.sort(key=lambda e: e.when)
    return out
