"""The change log is read tolerantly: old and new field names, odd values, broken lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from playbooks.changelog import change_log_files, read_change_log

pytestmark = pytest.mark.unit


def test_both_layouts_and_field_spellings_are_read(tmp_path: Path) -> None:
    (tmp_path / "automation").mkdir()
    (tmp_path / "automation" / "changes.jsonl").write_text(
        json.dumps(
            {
                "at": "2026-11-22T21:40:03.123456+08:00",
                "who": "netops",
                "device": "core1",
                "action": "push",
                "result": "committed",
                "diff": "+ x\n",
                "extra": 1,
            }
        )
        + "\n",
        encoding="utf-8",
    )
    (tmp_path / "changes.jsonl").write_text(
        json.dumps(
            {
                "when": "2026-11-21T08:00:00Z",
                "who": "ops",
                "device": "town1",
                "result": {"ok": False, "error": "timeout"},
                "diff": ["- a", "+ b"],
            }
        )
        + "\n"
        + "\n"
        + "[1, 2]\n"
        + "{broken\n",
        encoding="utf-8",
    )
    files = change_log_files(tmp_path)
    read = read_change_log(files)
    assert [e.device for e in read.entries] == ["town1", "core1"]  # oldest first
    town, core = read.entries
    assert town.when == "2026-11-21T08:00:00+00:00"
    assert town.diff == "- a\n+ b"
    assert json.loads(town.result) == {"error": "timeout", "ok": False}
    assert core.action == "push" and core.source.endswith("automation/changes.jsonl:1")
    assert read.skipped == [f"{tmp_path / 'changes.jsonl'}:3", f"{tmp_path / 'changes.jsonl'}:4"]
    only_core = read_change_log(files, devices={"core1"})
    assert [e.device for e in only_core.entries] == ["core1"]


def test_no_log_is_no_records(tmp_path: Path) -> None:
    assert change_log_files(tmp_path) == []
    assert read_change_log([]).entries == []
