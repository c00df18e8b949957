"""Every problem of a broken set in one run, the same JSON from every command that loads it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from base.errors import InventoryErrors
from inventory.loader import load_inventory
from tests.unit.inventory_copies import InventoryCopy, run_cli

pytestmark = pytest.mark.unit

SECRET = "Wj@2025#snmpAuth"


def three_rounds(tmp_path: Path) -> tuple[InventoryCopy, list[tuple[str, int, str]]]:
    """The issue's set that took three rounds of fix-and-rerun: 2 YAML errors, then 8 schema
    errors, then 3 cross-reference errors. Returns the copy and (file, line, field) of each."""
    inv = InventoryCopy(tmp_path)
    found: list[tuple[str, int, str]] = []

    def edit(file: str, old: str, new: str, field: str, below: int = 0) -> None:
        found.append((file, inv.replace(file, old, new) + below, field))

    # round 1 (YAML): an unclosed list in one device, a key given twice in one system
    edit("devices.yaml", "    model: MSR2600\n", "    model: [MSR2600\n", "devices[7]", below=1)
    edit(
        "systems.yaml",
        "    contact: 0751-8888002\n",
        "    contact: 0751-8888002\n    owner: 区政务服务数据管理局\n",
        "systems[1].owner",
        below=1,
    )
    # round 2 (schema), in the same files and others
    edit(
        "devices.yaml",
        "mgmt_address: 172.31.250.11\n",
        "mgmt_address: 172.31.250.311\n",
        "devices[4].mgmt_address",
    )
    edit("devices.yaml", "    model: S5735\n", "    modle: S5735\n", "devices[9].modle")
    edit("links.yaml", "committed_mbps: 30,", "committed_mbps: fast,", "links[12].committed_mbps")
    edit(
        "links.yaml",
        "plane: A, committed_mbps: 10000, a: {device: core1, interface: eth1,",
        "plane: A, committed_mbps: true, a: {device: core1, interface: eth1,",
        "links[0].committed_mbps",
    )
    edit(
        "links.yaml",
        "kind: access, plane: A, committed_mbps: 1000,",
        "kind: access, plane: C, committed_mbps: 1000,",
        "links[13].plane",
    )
    edit(
        "sites.yaml",
        "name: 江湾镇田心村, tier: village,",
        "name: 江湾镇田心村, tier: villge,",
        "sites[7].tier",
    )
    edit(
        "profiles.yaml",
        "auth_key_env: EGOVNET_SNMP_AUTH_KEY",
        f"auth_key_env: {SECRET}",
        "snmp_profiles[0].auth_key_env",
    )
    edit(
        "systems.yaml",
        "last_assessment: 2025-06-18",
        "last_assessment: 2025-13-45",
        "systems[0].mlps.last_assessment",
    )
    # round 3 (cross-references between items that are themselves valid)
    edit("devices.yaml", "site: town-jiangwan\n", "site: town-nowhere\n", "devices[5].site")
    edit(
        "links.yaml",
        "b: {device: dept2, interface: eth1,",
        "b: {device: dept2, interface: eth9,",
        "links[15].b.interface",
    )
    edit(
        "systems.yaml",
        '8080/health"}\n    hosts: [srv-dept1]\n  - id: SYS-ARCH',
        '8080/health"}\n    hosts: [srv-nowhere]\n  - id: SYS-ARCH',
        "systems[3].hosts[0]",
        below=1,
    )
    return inv, found


def test_the_three_round_set_gives_all_13_errors_in_one_run(tmp_path: Path) -> None:
    inv, expected = three_rounds(tmp_path)
    result = run_cli("inventory", "validate", str(inv.root))
    assert result.traceback is None, result.traceback
    assert result.code == 2
    errors = result.errors(inv.root)
    located = [
        (ln.split(":")[0].removeprefix("inv/"), int(ln.split(":")[1]), ln.split(": ")[1])
        for ln in errors
    ]
    assert located == sorted(expected), "\n".join(errors)
    assert result.stderr.splitlines()[-1] == "13 error(s)"
    assert SECRET not in result.stdout + result.stderr


def test_show_and_check_print_validates_json_errors_on_stdout(tmp_path: Path) -> None:
    inv, expected = three_rounds(tmp_path)
    outputs = [
        run_cli(*verb, str(inv.root), "--json")
        for verb in (("inventory", "validate"), ("inventory", "show"), ("topology", "check"))
    ]
    for result in outputs:
        assert result.traceback is None, result.traceback
        assert result.code == 2
        assert "error:" not in result.stderr
        assert SECRET not in result.stdout + result.stderr
    assert outputs[0].stdout == outputs[1].stdout == outputs[2].stdout
    report = json.loads(outputs[0].stdout)
    assert report["valid"] is False
    assert report["count"] == len(report["errors"]) == 13
    fields = [(e["file"].rsplit("/", 1)[-1], e["line"], e["field"]) for e in report["errors"]]
    assert fields == sorted(expected)


def test_a_parent_cycle_fails_validate_and_topology_check_alike(tmp_path: Path) -> None:
    inv = InventoryCopy(tmp_path)
    inv.replace(
        "sites.yaml",
        "{id: town-longgui, name: 龙归镇, tier: town, parent: district-core}",
        "{id: town-longgui, name: 龙归镇, tier: town, parent: vil-longgui-shangwei}",
    )
    validate = run_cli("inventory", "validate", str(inv.root))
    check = run_cli("topology", "check", str(inv.root))
    assert (validate.code, check.code) == (2, 2)
    cycle = "parent cycle: town-longgui -> vil-longgui-shangwei -> town-longgui"
    assert any(cycle in line for line in validate.errors())
    assert validate.errors() == check.errors()


def test_cross_references_skip_what_did_not_validate(tmp_path: Path) -> None:
    """A link to a device whose own entry is broken reports the device, not the link."""
    inv = InventoryCopy(tmp_path)
    line = inv.replace("devices.yaml", "mgmt_address: 172.31.250.31\n", "mgmt_address: nope\n")
    with pytest.raises(InventoryErrors) as raised:
        load_inventory(inv.root)
    assert [(e.location.line, e.location.field) for e in raised.value.errors] == [
        (line, "devices[9].mgmt_address")
    ]


def test_a_merge_key_gives_its_values_and_explicit_keys_win(tmp_path: Path) -> None:
    inv = InventoryCopy(tmp_path)
    inv.replace("devices.yaml", "  - name: core1\n", "  - &core\n    name: core1\n")
    inv.replace(
        "devices.yaml",
        "  - name: core2\n    site: district-core\n    role: core\n    platform: huawei_vrp\n"
        "    model: CE6881\n",
        "  - <<: *core\n    name: core2\n",
    )
    loaded = load_inventory(inv.root)
    core1, core2 = loaded.device("core1"), loaded.device("core2")
    assert (core2.site, core2.role, core2.model) == (core1.site, core1.role, "CE6881")
    assert str(core2.mgmt_address) == "172.31.250.2"
    assert len(core2.interfaces) == 7 and len(core1.interfaces) == 8
