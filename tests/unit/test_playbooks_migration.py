"""上云率 against the plan, blockers, and what the migration checks found (lab inventory)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from base.errors import AuditInputError
from inventory.catalog import Inventory
from inventory.loader import load_inventory
from playbooks.migration import BlockerKind, Flag, migration_metrics, migration_report
from tests.conftest import LAB_INVENTORY

pytestmark = pytest.mark.unit


def write_check(
    folder: Path, system_id: str, status: str, flags: list[str], **extra: object
) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    doc = {
        "system_id": system_id,
        "name": "x",
        "department": "dept-zsj",
        "status": status,
        "wave": 1,
        "probe": "srv-cloud1",
        "checked_at": "2026-11-22T21:59:44+00:00",
        "cloud_url": "http://10.200.0.12:8080/health",
        "cloud_status": 200,
        "cloud_answers": True,
        "onprem_url": "http://10.210.1.12:8080/health",
        "onprem_status": 200,
        "onprem_answers": True,
        "host_tiers": {"srv-cloud1": "cloud"},
        "hosts_in_cloud": True,
        "flags": flags,
        **extra,
    }
    (folder / f"{system_id}.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")


def test_rate_follows_the_records_and_the_plan(lab_inventory: Inventory) -> None:
    report = migration_report(lab_inventory, None, as_of=date(2026, 1, 1))
    # ZWFW validated + OA cutover out of 4 counted (ARCH is retained)
    assert (report.migrated, report.counted, report.total) == (2, 4, 5)
    assert report.ratio == 0.5 == round(lab_inventory.migrated_ratio, 4)
    assert report.plan_state == "below_baseline"
    assert (report.baseline_ratio, report.target_ratio) == (0.8, 1.0)
    assert report.verified_ratio is None
    depts = {g.key: (g.counted, g.migrated) for g in report.by_department}
    assert depts == {"dept-zsj": (2, 2), "dept-wjj": (2, 0)}
    waves = {g.key: g.ratio for g in report.by_wave}
    assert waves == {"1": 1.0, "2": 0.0}


def test_blockers_of_systems_not_yet_migrated(lab_inventory: Inventory) -> None:
    report = migration_report(lab_inventory, None, as_of=date(2026, 1, 1))
    by_system: dict[str, set[BlockerKind]] = {}
    for blocker in report.blockers:
        by_system.setdefault(blocker.system_id, set()).add(blocker.kind)
    # GIS waits for HIS (not started; OA is cut over) and has neither filing nor assessment
    assert by_system["SYS-GIS"] == {
        BlockerKind.dependency_not_migrated,
        BlockerKind.filing_missing,
        BlockerKind.assessment_missing,
    }
    gis = [b.detail for b in report.blockers if b.system_id == "SYS-GIS"]
    assert any("SYS-HIS" in d for d in gis) and not any("SYS-OA" in d for d in gis)
    assert by_system["SYS-HIS"] == {BlockerKind.assessment_missing}
    assert "SYS-ZWFW" not in by_system and "SYS-ARCH" not in by_system


def test_an_assessment_past_due_blocks(tmp_path: Path) -> None:
    inv_dir = tmp_path / "inv"
    shutil.copytree(LAB_INVENTORY, inv_dir)
    systems = inv_dir / "systems.yaml"
    systems.write_text(
        systems.read_text(encoding="utf-8").replace(
            "    mlps: {level: 2}\n",
            '    mlps: {level: 2, filing_number: "44020399001-21004", '
            "last_assessment: 2023-01-10, next_due: 2025-01-10}\n",
        ),
        encoding="utf-8",
    )
    inv = load_inventory(inv_dir)
    before = migration_report(inv, None, as_of=date(2025, 1, 1), systems=["SYS-GIS"])
    after = migration_report(inv, None, as_of=date(2025, 6, 1), systems=["SYS-GIS"])
    assert before.total == 1
    assert BlockerKind.assessment_overdue not in {b.kind for b in before.blockers}
    overdue = [b for b in after.blockers if b.kind is BlockerKind.assessment_overdue]
    assert len(overdue) == 1 and "2025-01-10" in overdue[0].detail
    assert overdue[0].due == date(2025, 1, 10) and overdue[0].overdue_days == 142
    assert "overdue by 142 days" in overdue[0].detail


def test_checks_that_disagree_are_reported_and_not_verified(
    lab_inventory: Inventory, tmp_path: Path
) -> None:
    write_check(tmp_path, "SYS-OA", "cutover", ["onprem_still_answering"])
    write_check(tmp_path, "SYS-ZWFW", "validated", [])
    write_check(tmp_path, "SYS-HIS", "not_started", ["already_in_cloud", "hosts_in_cloud"])
    report = migration_report(lab_inventory, tmp_path, as_of=date(2026, 1, 1))
    lines = {s.id: s for s in report.systems}
    assert lines["SYS-OA"].flags == [Flag.onprem_still_answering]
    assert lines["SYS-HIS"].flags == [Flag.already_in_cloud, Flag.hosts_in_cloud]
    assert lines["SYS-GIS"].checked is False
    assert report.disagreements == 2
    assert (report.verified_migrated, report.verified_ratio) == (1, 0.25)
    metrics = migration_metrics(lab_inventory, tmp_path)
    assert metrics.record_disagreements == 2


def test_a_check_of_an_older_record_is_ignored(lab_inventory: Inventory, tmp_path: Path) -> None:
    write_check(tmp_path, "SYS-OA", "migrating", ["cloud_not_answering"])
    report = migration_report(lab_inventory, tmp_path)
    oa = next(s for s in report.systems if s.id == "SYS-OA")
    assert (oa.checked, oa.flags) == (False, [])
    assert migration_metrics(lab_inventory, tmp_path).record_disagreements == 0


def test_metrics_give_every_status_for_the_exporter(lab_inventory: Inventory) -> None:
    metrics = migration_metrics(lab_inventory)
    assert metrics.migrated_ratio == lab_inventory.migrated_ratio
    assert sum(metrics.systems_by_status.values()) == len(lab_inventory.systems)
    assert metrics.systems_by_status["decommissioned"] == 0
    assert metrics.systems_by_status["retained"] == 1
    assert metrics.record_disagreements is None


def test_a_broken_result_file_is_bad_input(lab_inventory: Inventory, tmp_path: Path) -> None:
    write_check(tmp_path, "SYS-OA", "cutover", ["no_such_flag"])
    with pytest.raises(AuditInputError, match=r"SYS-OA\.json:1: flags\.0"):
        migration_report(lab_inventory, tmp_path)
    (tmp_path / "SYS-OA.json").write_text("{not json", "utf-8")
    with pytest.raises(AuditInputError, match=r"SYS-OA\.json:1: not valid JSON"):
        migration_report(lab_inventory, tmp_path)
