"""What the hardening role recorded on a server (a real recording) becomes the auditors' rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from base.errors import AuditInputError
from inventory.catalog import Inventory
from playbooks.controls import AssetType, controls_for
from playbooks.linux import RawHostAudit, rows_for_host
from playbooks.results import CheckResult, ResultStatus, sha256_text

pytestmark = pytest.mark.unit

RECORDING = (
    Path(__file__).resolve().parent.parent / "fixtures" / "playbooks" / "raw" / "t8-server.json"
)


def recorded(host: str = "srv-cloud1") -> dict:
    """The role's output on a fresh Debian 12 server, as if it came from ``host``."""
    doc = json.loads(RECORDING.read_text(encoding="utf-8"))
    doc["host"] = host
    return doc


def test_a_level_three_host_gets_rows_per_system_at_each_systems_level(
    lab_inventory: Inventory,
) -> None:
    rows = rows_for_host(lab_inventory, RawHostAudit.model_validate(recorded()), "rec")
    # srv-cloud1 hosts SYS-ZWFW (level 3), SYS-OA (level 2) and SYS-HIS (level 3)
    by_system: dict[str, list[CheckResult]] = {}
    for row in rows:
        by_system.setdefault(row.system_id, []).append(row)
    assert sorted(by_system) == ["SYS-HIS", "SYS-OA", "SYS-ZWFW"]
    l2 = {c.check_id for c in controls_for(AssetType.linux_server, 2)}
    l3 = {c.check_id for c in controls_for(AssetType.linux_server, 3)}
    assert {r.check_id for r in by_system["SYS-OA"]} == l2
    assert {r.check_id for r in by_system["SYS-ZWFW"]} == l3
    assert {r.test_unit_id[:2] for r in by_system["SYS-OA"]} == {"L2"}
    assert {r.test_unit_id[:2] for r in by_system["SYS-ZWFW"]} == {"L3"}
    oa = {r.check_id: r for r in by_system["SYS-OA"]}
    assert oa["LNX-PASS-MAXDAYS"].result is ResultStatus.failed
    assert oa["LNX-PASS-MAXDAYS"].owner == "区政务服务数据管理局"
    assert oa["LNX-PASS-MAXDAYS"].host == recorded()["address"]
    for row in rows:
        assert row.evidence_sha256 == sha256_text(row.evidence_text)
        assert row.collected_at.tzinfo is not None


def test_altered_command_output_is_refused(lab_inventory: Inventory) -> None:
    doc = recorded()
    item = next(e for c in doc["checks"] for e in c["evidence"] if e["kind"] == "command")
    item["content"] += "\npermitrootlogin no"
    with pytest.raises(AuditInputError, match="does not match its sha256"):
        rows_for_host(lab_inventory, RawHostAudit.model_validate(doc), "rec")


def test_a_host_checked_below_its_level_must_be_audited_again(lab_inventory: Inventory) -> None:
    doc = recorded()
    doc["level"] = 2
    with pytest.raises(AuditInputError, match="level 3 system"):
        rows_for_host(lab_inventory, RawHostAudit.model_validate(doc), "rec")


def test_unknown_hosts_and_checks_are_bad_input(lab_inventory: Inventory) -> None:
    with pytest.raises(AuditInputError, match="not in the inventory"):
        rows_for_host(lab_inventory, RawHostAudit.model_validate(recorded("ghost")), "rec")
    doc = recorded()
    doc["checks"][0]["check_id"] = "NET-SNMPV3"
    with pytest.raises(AuditInputError, match="not a server check"):
        rows_for_host(lab_inventory, RawHostAudit.model_validate(doc), "rec")


def test_a_stored_row_whose_evidence_was_edited_does_not_load(lab_inventory: Inventory) -> None:
    row = rows_for_host(lab_inventory, RawHostAudit.model_validate(recorded()), "rec")[0]
    data = row.model_dump(mode="json")
    data["evidence"][0]["content"] = "edited"
    with pytest.raises(ValueError, match="does not match the evidence"):
        CheckResult.model_validate(data)
