"""Discovery on the running lab: from core1 alone, over SNMP and LLDP-MIB (lldpd serving it
through snmpd's AgentX), the draft holds every network device and link of inventory/lab."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inventory.loader import load_inventory
from tests.conftest import LAB_INVENTORY, run_egovnet
from tests.discovery_compare import link_facts, network_devices
from tests.lab.conftest import SessionLab

pytestmark = pytest.mark.lab


def test_discover_from_core1_finds_every_device_and_link(lab: SessionLab, tmp_path: Path) -> None:
    core1 = str(lab.inventory.device("core1").mgmt_address)
    out = tmp_path / "draft"
    proc = run_egovnet(
        "inventory", "discover", "--profile", "lab", "--state-dir", str(lab.state_dir),
        "--seed", core1, "--out", str(out), "--json",
        env=lab.env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert report["unreachable"] == {} and report["refused"] == {}
    draft = load_inventory(out)
    lab_inventory = load_inventory(LAB_INVENTORY)
    assert network_devices(draft) == network_devices(lab_inventory)
    assert link_facts(draft) == link_facts(lab_inventory)
    assert run_egovnet("inventory", "validate", str(out)).returncode == 0
