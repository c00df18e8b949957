"""Audit results as `egovnet audit run` stores them, made from recorded device configs and a
recorded server audit, for the export tests of every tier."""

from __future__ import annotations

import json
from pathlib import Path

from inventory.catalog import Inventory
from playbooks.devices import check_configs
from playbooks.linux import RawHostAudit, rows_for_host
from playbooks.store import AuditPaths, save_asset_results

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "playbooks"


def store_lab_results(inv: Inventory, work: Path) -> Path:
    """A state directory under ``work`` with results for core1 (compliant), vil1
    (noncompliant) and srv-cloud1 (a recorded server audit); returns the state directory."""
    state = work / "state"
    paths = AuditPaths(state)
    configs = work / "configs"
    for device, case in (("core1", "compliant"), ("vil1", "noncompliant")):
        (configs / device).mkdir(parents=True)
        for file in (FIXTURES / "frr" / case).iterdir():
            if file.name != "expected.json":
                (configs / device / file.name).write_bytes(file.read_bytes())
    for name, rows in check_configs(inv, configs).results.items():
        save_asset_results(paths, name, rows)
    raw = json.loads((FIXTURES / "raw" / "t8-server.json").read_text(encoding="utf-8"))
    raw["host"] = "srv-cloud1"
    rows = rows_for_host(inv, RawHostAudit.model_validate(raw), "rec")
    save_asset_results(paths, "srv-cloud1", rows)
    return state
