"""``profile.keep_platform``: the devices the lab runs as vendor emulations, checked at the
edge like every other inventory field (one line naming file, line and field; exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from automation.platforms import PLATFORMS
from automation.render import kept_platform_configs
from base.errors import LabUsageError
from inventory.loader import load_inventory
from inventory.models import EMULATED_PLATFORMS, Platform
from lab.emulated import as_found, check_boot_configs
from lab.paths import LabPaths
from lab.plan import plan_lab
from lab.vendors.server import EMULATIONS, NETMIKO_DEVICE_TYPES
from tests.conftest import LAB_INVENTORY
from tests.unit.inventory_copies import InventoryCopy, run_cli

pytestmark = pytest.mark.unit

FRR_ONLY = LAB_INVENTORY.parent / "lab-frr"
KEPT = "  keep_platform: [dept1, vil2]\n"


def validate(copy: InventoryCopy) -> tuple[int, list[str]]:
    outcome = run_cli("inventory", "validate", str(copy.root))
    assert outcome.traceback is None, outcome.traceback
    return outcome.code, outcome.errors(copy.root)


def test_the_lab_profile_keeps_one_vrp_and_one_comware_device() -> None:
    inv = load_inventory(LAB_INVENTORY)
    assert inv.profile.keep_platform == ["dept1", "vil2"]
    assert inv.platform(inv.device("dept1")) is Platform.huawei_vrp
    assert inv.platform(inv.device("vil2")) is Platform.hp_comware
    # every other network device still runs FRR, servers stay linux
    assert inv.platform(inv.device("town1")) is Platform.frr
    assert inv.platform(inv.device("core1")) is Platform.frr
    assert inv.platform(inv.device("srv-dept1")) is Platform.linux


def test_the_frr_only_lab_keeps_none() -> None:
    inv = load_inventory(FRR_ONLY)
    assert inv.profile.keep_platform == []
    assert {inv.platform(d) for d in inv.devices} == {Platform.frr, Platform.linux}


def test_the_frr_only_profile_is_the_lab_profile_but_for_name_and_kept_devices() -> None:
    """lab-frr/ links every file to lab/ but its profile: the rest of it must not drift."""
    lab = yaml.safe_load((LAB_INVENTORY / "profile.yaml").read_text(encoding="utf-8"))["profile"]
    frr_only = yaml.safe_load((FRR_ONLY / "profile.yaml").read_text(encoding="utf-8"))["profile"]
    for key in ("name", "description", "keep_platform"):
        lab.pop(key, None)
        frr_only.pop(key, None)
    assert frr_only == lab
    linked = sorted(p.name for p in FRR_ONLY.iterdir() if p.is_symlink())
    assert linked == sorted(
        p.name for p in LAB_INVENTORY.glob("*.yaml") if p.name != "profile.yaml"
    )


def test_inventory_lab_and_automation_agree_on_what_can_be_emulated() -> None:
    assert {p.value for p in EMULATED_PLATFORMS} <= set(EMULATIONS) == set(NETMIKO_DEVICE_TYPES)
    for platform in EMULATED_PLATFORMS:
        assert NETMIKO_DEVICE_TYPES[platform.value] == PLATFORMS[platform].netmiko_device_type


@pytest.mark.parametrize(
    ("kept", "message"),
    [
        ("[dept1, nosuch]", "unknown device 'nosuch'"),
        (
            "[dept1, dept2]",
            "dept2 runs cisco_ios, which the lab cannot emulate (only huawei_vrp, hp_comware)",
        ),
        (
            "[dept1, srv-dept1]",
            "srv-dept1 runs linux, which the lab cannot emulate (only huawei_vrp, hp_comware)",
        ),
        ("[dept1, core1]", "core1 is a core device: the lab keeps the core on FRR"),
        ("[dept1, dept1]", "'dept1' is listed twice"),
    ],
)
def test_a_bad_kept_device_is_one_line_with_file_line_and_field(
    tmp_path: Path, kept: str, message: str
) -> None:
    copy = InventoryCopy(tmp_path, LAB_INVENTORY)
    line = copy.replace("profile.yaml", KEPT, f"  keep_platform: {kept}\n")
    code, errors = validate(copy)
    assert code == 2
    assert errors == [f"inv/profile.yaml:{line}: profile.keep_platform[1]: {message}"]


def test_kept_devices_need_a_platform_override(tmp_path: Path) -> None:
    copy = InventoryCopy(tmp_path, LAB_INVENTORY)
    copy.replace("profile.yaml", "  platform_override: frr\n", "")
    code, errors = validate(copy)
    assert code == 2
    (error,) = errors
    assert error.startswith("inv/profile.yaml:")
    assert "profile.keep_platform: needs platform_override" in error


def test_the_lab_plans_the_kept_devices_as_emulations_and_wants_their_configs(
    tmp_path: Path,
) -> None:
    plan = plan_lab(load_inventory(LAB_INVENTORY))
    assert {n.name: n.emulation for n in plan.nodes if n.emulation} == {
        "dept1": Platform.huawei_vrp,
        "vil2": Platform.hp_comware,
    }
    assert all(n.emulation is None for n in plan_lab(load_inventory(FRR_ONLY)).nodes)
    configs = kept_platform_configs(load_inventory(LAB_INVENTORY))
    assert sorted(configs) == ["dept1", "vil2"]
    assert "sysname dept1" in configs["dept1"] and "<<secret:" in configs["dept1"]
    paths = LabPaths(tmp_path)
    check_boot_configs(plan, paths, configs)
    with pytest.raises(LabUsageError, match="vil2: keeps platform hp_comware but no config"):
        check_boot_configs(plan, paths, {"dept1": configs["dept1"]})


def test_the_emulations_boot_as_found_without_their_circuit_descriptions() -> None:
    """The fresh lab's first diff on an emulated device adds the descriptions and only them."""
    configs = kept_platform_configs(load_inventory(LAB_INVENTORY))
    for name, intended in configs.items():
        found = as_found(intended)
        dropped = [ln for ln in intended.splitlines() if ln not in found.splitlines()]
        assert dropped and all(ln.startswith(" description ") for ln in dropped), name
        assert "SGWJ-" not in found and "sysname " + name in found
        assert as_found(found) == found
