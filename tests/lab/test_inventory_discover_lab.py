"""Discovery on the running lab: from core1 alone, over SNMP and LLDP-MIB (lldpd serving it
through snmpd's AgentX), the draft holds every network device and link of inventory/lab."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from inventory.loader import load_inventory
from tests.conftest import LAB_INVENTORY, run_egovnet
from tests.discovery_compare import link_facts, network_devices
from tests.lab.conftest import SessionLab

pytestmark = pytest.mark.lab


#: lldpd sends every 2 s; a lab just brought up needs a few rounds before every table is full.
CONVERGE_SECONDS = 60


def discover(lab: SessionLab, out: Path) -> dict[str, Any]:
    core1 = str(lab.inventory.device("core1").mgmt_address)
    proc = run_egovnet(
        "inventory", "discover", "--profile", "lab", "--state-dir", str(lab.state_dir),
        "--seed", core1, "--out", str(out), "--json",
        env=lab.env, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


def test_discover_from_core1_finds_every_device_and_link(lab: SessionLab, tmp_path: Path) -> None:
    lab_inventory = load_inventory(LAB_INVENTORY)
    want = len(network_devices(lab_inventory))
    deadline = time.monotonic() + CONVERGE_SECONDS
    attempt = 0
    while True:  # until LLDP has converged: each run is a fresh crawl into a new directory
        attempt += 1
        out = tmp_path / f"draft{attempt}"
        report = discover(lab, out)
        if report["devices"] == want and report["links"] == len(lab_inventory.links):
            break
        assert time.monotonic() < deadline, f"LLDP never showed the whole lab: {report}"
        time.sleep(2)
    assert report["unreachable"] == {} and report["refused"] == {}
    draft = load_inventory(out)
    assert network_devices(draft) == network_devices(lab_inventory)
    assert link_facts(draft) == link_facts(lab_inventory)
    assert run_egovnet("inventory", "validate", str(out)).returncode == 0
