"""An audit run reads back exactly the results it declared: its paths, stamped with its run id.

A file an earlier run left (even one touched since, so it looks new) is never taken for this
run's result; the hardening role's real recording stands in for what a run writes.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from playbooks.audit_run import DeclaredOutputs, migration_results, server_results
from tests.unit.test_playbooks_linux_results import recorded
from tests.unit.test_playbooks_migration import write_check

pytestmark = pytest.mark.unit


def write_raw(outputs: DeclaredOutputs, host: str, run_id: str) -> Path:
    doc = {**recorded(host), "run_id": run_id}
    path = outputs.path(host)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def touch_later(path: Path) -> None:
    """Give a file a modification time after the run started (a copy, an editor, a clock)."""
    later = time.time() + 3600
    os.utime(path, (later, later))


def test_only_this_runs_files_of_the_recap_hosts_are_read(tmp_path: Path) -> None:
    outputs = DeclaredOutputs(tmp_path / "raw")
    write_raw(outputs, "srv-cloud1", outputs.run_id)
    stale = write_raw(outputs, "srv-onprem1", "an-earlier-run")
    touch_later(stale)
    write_raw(outputs, "not-in-this-run", outputs.run_id)
    found = server_results(outputs, ["srv-onprem1", "srv-cloud1", "srv-unreachable"])
    assert [(path.name, raw.host) for path, raw in found] == [("srv-cloud1.json", "srv-cloud1")]


def test_a_file_claiming_another_host_is_not_that_hosts_result(tmp_path: Path) -> None:
    outputs = DeclaredOutputs(tmp_path / "raw")
    path = write_raw(outputs, "srv-cloud1", outputs.run_id)
    path.rename(outputs.path("srv-onprem1"))
    assert server_results(outputs, ["srv-onprem1"]) == []


def test_every_run_has_its_own_id() -> None:
    assert DeclaredOutputs(Path("x")).run_id != DeclaredOutputs(Path("x")).run_id


def test_migration_results_are_the_systems_this_run_checked(tmp_path: Path) -> None:
    outputs = DeclaredOutputs(tmp_path / "migration")
    write_check(outputs.directory, "SYS-OA", "cutover", [], run_id=outputs.run_id)
    write_check(outputs.directory, "SYS-ZWFW", "validated", [], run_id="an-earlier-run")
    touch_later(outputs.path("SYS-ZWFW"))
    write_check(outputs.directory, "SYS-HAND", "planned", [])  # written by hand: no run id
    assert migration_results(outputs, ["SYS-ZWFW", "SYS-OA", "SYS-HAND", "SYS-NONE"]) == ["SYS-OA"]
