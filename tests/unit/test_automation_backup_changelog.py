"""The backup git repository and the append-only change log."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from automation.backup import BackupRepo
from automation.changelog import ChangeLog, ChangeRecord, now

pytestmark = pytest.mark.unit


def commits(repo: Path) -> list[str]:
    out = subprocess.run(
        ["git", "-C", str(repo), "log", "--format=%H"], capture_output=True, text=True, check=True
    )
    return out.stdout.split()


def test_one_commit_per_run_and_unchanged_devices_not_recommitted(tmp_path: Path) -> None:
    repo = BackupRepo(tmp_path / "backups")
    first = repo.commit({"core1": "hostname core1\n", "town1": "hostname town1\n"}, "backup")
    assert first.commit is not None and first.changed == ("core1", "town1")
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    again = repo.commit({"core1": "hostname core1\n", "town1": "hostname town1\n"}, "backup")
    assert again.commit is None and again.unchanged == ("core1", "town1")
    third = repo.commit(
        {"core1": "hostname core1\n", "town1": "hostname town1\n ip ospf\n"}, "backup"
    )
    assert third.changed == ("town1",) and third.unchanged == ("core1",)
    assert len(commits(repo.path)) == 2
    assert repo.last("town1") == "hostname town1\n ip ospf\n"
    assert repo.last("nobody") is None
    assert len(repo.log("town1")) == 2 and len(repo.log("core1")) == 1


def test_change_log_is_json_lines_with_zoned_timestamps(tmp_path: Path) -> None:
    log = ChangeLog(tmp_path / "changes.jsonl")
    for device in ("core1", "town1"):
        log.append(
            ChangeRecord(
                at=now(),
                who="netops",
                action="push",
                device=device,
                platform="frr",
                result="committed",
                diff="+ x\n",
                run="r1",
            )
        )
    lines = (tmp_path / "changes.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["device"] == "core1" and first["who"] == "netops"
    assert datetime.fromisoformat(first["at"]).tzinfo is not None
    assert [r.device for r in log.records()] == ["core1", "town1"]
    assert (tmp_path / "changes.jsonl").stat().st_mode & 0o777 == 0o600
