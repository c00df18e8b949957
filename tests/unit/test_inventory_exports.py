"""Views and exports of the source of truth, checked with the real consumers."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from nornir import InitNornir

from base.errors import SecretMissingError
from inventory.catalog import Inventory
from inventory.models import Role
from inventory.secrets import SecretStore
from tests.conftest import DISTRICT_INVENTORY, invoke_egovnet

pytestmark = pytest.mark.unit

VENV_BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"


def ansible_inventory_bin() -> str:
    found = shutil.which("ansible-inventory") or str(VENV_BIN / "ansible-inventory")
    assert Path(found).exists(), "ansible-inventory must be installed (ansible-core)"
    return found


def test_ansible_inventory_lists_every_device(
    tmp_path: Path, district_inventory: Inventory
) -> None:
    out = tmp_path / "hosts.yml"
    result = invoke_egovnet(
        "inventory", "export-ansible", "--out", str(out), "-i", str(DISTRICT_INVENTORY)
    )
    assert result.returncode == 0, result.stderr
    listed = subprocess.run(
        [ansible_inventory_bin(), "-i", str(out), "--list"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    data = json.loads(listed.stdout)
    hostvars = data["_meta"]["hostvars"]
    assert set(hostvars) == {d.name for d in district_inventory.devices}
    town = hostvars["wj-town-jiangwan"]
    assert town["egovnet_site_name"] == "江湾镇"
    assert town["ansible_host"] == "172.31.1.4"
    assert set(data["tier_town"]["hosts"]) == {
        d.name for d in district_inventory.devices if d.site.startswith("town-")
    }
    assert "wj-core1" in data["role_core"]["hosts"]
    assert "wj-core1" in data["platform_huawei_vrp"]["hosts"]
    # only the variable's name, never a value
    assert "EGOVNET_DEVICE_PASSWORD" in town["ansible_password"]


def test_nornir_plugin_yields_the_source_of_truth(district_inventory: Inventory) -> None:
    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": 1}},
        inventory={"plugin": "EgovnetInventory", "options": {"path": str(DISTRICT_INVENTORY)}},
        logging={"enabled": False},
    )
    network = {d.name for d in district_inventory.devices if d.role is not Role.server}
    assert set(nr.inventory.hosts) == network
    core = nr.inventory.hosts["wj-core1"]
    assert core.hostname == "172.31.0.11"
    assert core.platform == "huawei_vrp"
    assert {g.name for g in core.groups} >= {
        "tier_district_core",
        "role_core",
        "platform_huawei_vrp",
    }
    village = nr.filter(site="vil-jiangwan-01").inventory.hosts
    assert len(village) == 1
    assert next(iter(village.values())).data["site_name"] == "江湾镇田心村"


@pytest.mark.parametrize(
    ("profile", "kept"),
    [("lab-frr", {}), ("lab", {"dept1": "huawei_vrp", "vil2": "hp_comware"})],
)
def test_lab_profiles_run_frr_but_where_they_keep_the_platform(
    profile: str, kept: dict[str, str]
) -> None:
    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": 1}},
        inventory={"plugin": "EgovnetInventory", "options": {"profile": profile}},
        logging={"enabled": False},
    )
    platforms = {name: h.platform for name, h in nr.inventory.hosts.items()}
    assert {name: p for name, p in platforms.items() if p != "frr"} == kept
    assert nr.inventory.hosts["core1"].data["production_platform"] == "huawei_vrp"


def test_show_json_reports_circuits_below_target() -> None:
    result = invoke_egovnet("inventory", "show", "--profile", "lab", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    short = {c["link"]: c["shortfall_mbps"] for c in data["circuits"] if c["meets_target"] is False}
    assert short == {"core1-town2": 50, "core2-town2": 50, "town2-vil3": 20, "core1-dept2": 900}
    assert data["counts"]["devices"] == 13
    town = next(t for t in data["tiers"] if t["tier"] == "town")
    assert (town["baseline_mbps"], town["target_mbps"], town["sites_meeting_target"]) == (
        50,
        100,
        1,
    )


def test_show_table_keeps_chinese_names() -> None:
    result = invoke_egovnet(
        "inventory", "show", "--profile", "lab", env={"COLUMNS": "200", "PATH": ""}
    )
    assert result.returncode == 0, result.stderr
    assert "江湾镇田心村" in result.stdout
    assert "short 20 Mbps" in result.stdout


def test_sample_district_has_the_planned_shape(district_inventory: Inventory) -> None:
    tiers = {t: len(district_inventory.sites_in_tier(t)) for t in district_inventory.policy.tiers}
    assert tiers["town"] == 7 and 35 <= tiers["village"] <= 45 and 25 <= tiers["department"] <= 35
    assert len(district_inventory.systems) >= 28
    platforms = {d.platform.value for d in district_inventory.devices}
    assert {"huawei_vrp", "hp_comware", "cisco_ios"} <= platforms
    below = [c for c in district_inventory.circuits if c.meets_target is False]
    assert below, "the sample district keeps some circuits below the 2025 target"


def test_secret_missing_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EGOVNET_TEST_SECRET", raising=False)
    store = SecretStore(tmp_path / "secrets.env")
    with pytest.raises(SecretMissingError, match="EGOVNET_TEST_SECRET is not set"):
        store.get("EGOVNET_TEST_SECRET")
    (tmp_path / "secrets.env").write_text("EGOVNET_TEST_SECRET=s3cr3t\n", encoding="utf-8")
    secret = SecretStore(tmp_path / "secrets.env").get("EGOVNET_TEST_SECRET")
    assert secret.reveal() == "s3cr3t"
    assert "s3cr3t" not in repr(secret) and "s3cr3t" not in str(secret)
    monkeypatch.setenv("EGOVNET_TEST_SECRET", "from-env")
    assert SecretStore(tmp_path / "secrets.env").get("EGOVNET_TEST_SECRET").reveal() == "from-env"


def test_help_lists_verb_groups() -> None:
    result = invoke_egovnet("--help", env={"COLUMNS": "200", "PATH": ""})
    assert result.returncode == 0
    assert "inventory" in result.stdout and "demo" in result.stdout
