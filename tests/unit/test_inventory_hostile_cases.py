"""Issue 12's hostile and imperfect inventories, one row each: exit code and exact lines.

Each case breaks a copy of the lab inventory the way the issue found it broken and names
the exact ``error:`` lines ``egovnet inventory validate`` must print (the directory shown as
``inv``). Cases with exit 0 are the ones docs/engineer.md documents as accepted.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.unit.inventory_copies import InventoryCopy, run_cli

pytestmark = pytest.mark.unit

SECRET = "Wj@2025#snmpAuth"
Case = Callable[[InventoryCopy], list[str]]
CASES: list[object] = []


def case(name: str, code: int = 2) -> Callable[[Case], Case]:
    def register(build: Case) -> Case:
        CASES.append(pytest.param(build, code, id=name))
        return build

    return register


# --- what crashed with a traceback -----------------------------------------------------------


@case("impossible date")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace("systems.yaml", "last_assessment: 2025-06-18", "last_assessment: 2025-13-45")
    return [
        f"inv/systems.yaml:{line}: systems[0].mlps.last_assessment: Input should be a valid date"
        " or datetime, month value is outside expected range of 1-12 (got '2025-13-45')"
    ]


@case("merge key is accepted", code=0)
def _(inv: InventoryCopy) -> list[str]:
    inv.replace("devices.yaml", "  - name: core1\n", "  - &core\n    name: core1\n")
    inv.replace(
        "devices.yaml",
        "  - name: core2\n    site: district-core\n    role: core\n    platform: huawei_vrp\n"
        "    model: CE6881\n",
        "  - <<: *core\n    name: core2\n",
    )
    return []


@case("unknown tag")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace("devices.yaml", "model: CE12808", "model: !custom CE12808")
    return [
        f"inv/devices.yaml:{line}: devices[0].model: tag !custom is not supported"
        " (egovnet reads plain YAML, no tags)"
    ]


@case("python tag")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace(
        "devices.yaml", "model: CE12808", "model: !!python/object/apply:os.system [id]"
    )
    return [
        f"inv/devices.yaml:{line}: devices[0].model: tag !!python/object/apply:os.system is not"
        " supported (egovnet reads plain YAML, no tags)"
    ]


@case("recursive alias")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace(
        "devices.yaml",
        "interfaces: [{name: eth1}, {name: eth2}]\n  - name: core1",
        "interfaces: &ifs [{name: eth1}, *ifs]\n  - name: core1",
    )
    return [
        f"inv/devices.yaml:{line}: devices[0].interfaces[1]: recursive alias *ifs:"
        " it refers to a node that contains it"
    ]


@case("nested 5,000 levels")
def _(inv: InventoryCopy) -> list[str]:
    inv.write("deep.yaml", "sites: " + "[" * 5000 + "]" * 5000 + "\n")
    return ["inv/deep.yaml:1: (yaml): nested deeper than 64 levels"]


@case("nested 5,000 levels, block style")
def _(inv: InventoryCopy) -> list[str]:
    inv.write("deep.yaml", "".join(" " * n + "- \n" for n in range(5000)))
    return [f"inv/deep.yaml:65: {'[0]' * 63}: nested deeper than 64 levels"]


@case("editor lock file is skipped", code=0)
def _(inv: InventoryCopy) -> list[str]:
    os.symlink("root@host.12345:1764547200", inv.root / ".#devices.yaml")
    return []


@case("dangling link")
def _(inv: InventoryCopy) -> list[str]:
    os.symlink("devices-old.yaml", inv.root / "devices-extra.yaml")
    return [
        "inv/devices-extra.yaml:1: (file): a broken symbolic link (to 'devices-old.yaml'):"
        " restore its target or remove it"
    ]


@case("directory named .yaml")
def _(inv: InventoryCopy) -> list[str]:
    (inv.root / "backup.yaml").mkdir()
    return [
        "inv/backup.yaml:1: (file): a directory named like a YAML file: rename it or move it out"
    ]


@case("upper-case .YAML is read")
def _(inv: InventoryCopy) -> list[str]:
    inv.write("EXTRA.YAML", "# from a Windows share\nvlans: []\n")
    return [
        "inv/EXTRA.YAML:2: vlans: unknown section (known: profile, policy, monitoring,"
        " snmp_profiles, credential_profiles, sites, devices, links, systems)"
    ]


# --- what hung -------------------------------------------------------------------------------


@case("billion laughs")
def _(inv: InventoryCopy) -> list[str]:
    rows = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    rows += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    inv.write("laughs.yaml", "\n".join(rows) + "\n")
    return [
        "inv/laughs.yaml:5: a4: aliases expand to more than 10,000 values (an alias bomb?);"
        " write the values out"
    ]


# --- what leaked -----------------------------------------------------------------------------


@case("secret where a variable name belongs")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace(
        "profiles.yaml", "auth_key_env: EGOVNET_SNMP_AUTH_KEY", f"auth_key_env: {SECRET}"
    )
    return [
        f"inv/profiles.yaml:{line}: snmp_profiles[0].auth_key_env: must name an environment"
        " variable (the value looks like a secret and is not shown)"
    ]


@case("secret behind a tag")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace(
        "profiles.yaml",
        "password_env: EGOVNET_DEVICE_PASSWORD",
        f"password_env: !{SECRET[:6]} {SECRET}",
    )
    field = "credential_profiles[0].password_env"
    return [
        f"inv/profiles.yaml:{line}: {field}: tags are not supported"
        " (egovnet reads plain YAML; the tag is not shown)",
    ]


@case("a secret written out under its own name")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace(
        "profiles.yaml",
        "password_env: EGOVNET_DEVICE_PASSWORD",
        f"password_env: EGOVNET_DEVICE_PASSWORD\n    password: {SECRET}",
    )
    return [
        f"inv/profiles.yaml:{line + 1}: credential_profiles[0].password: unknown field: a secret"
        " is never written in the inventory, name the environment variable that holds it"
        " (e.g. password_env; the value is not shown)"
    ]


# --- what passed silently --------------------------------------------------------------------


@case("site parent cycle")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace(
        "sites.yaml",
        "tier: district_core, parent: city}",
        "tier: district_core, parent: gov-cloud}",
    )
    return [
        f"inv/sites.yaml:{line}: sites[1].parent: a district_core site's parent must be a city"
        " site, not cloud site 'gov-cloud'",
        f"inv/sites.yaml:{line}: sites[1].parent: parent cycle: district-core -> gov-cloud"
        " -> district-core",
    ]


@case("true as a committed rate")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace("links.yaml", "committed_mbps: 30,", "committed_mbps: true,")
    return [
        f"inv/links.yaml:{line}: links[12].committed_mbps: Input should be a valid integer"
        " (got True)"
    ]


@case("quoted rate")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace("links.yaml", "committed_mbps: 30,", 'committed_mbps: "50",')
    return [
        f"inv/links.yaml:{line}: links[12].committed_mbps: Input should be a valid integer"
        " (got '50')"
    ]


@case("float rate")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace("links.yaml", "committed_mbps: 30,", "committed_mbps: 20.0,")
    return [
        f"inv/links.yaml:{line}: links[12].committed_mbps: Input should be a valid integer"
        " (got 20.0)"
    ]


@case("village under a department")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace(
        "sites.yaml", "tier: village, parent: town-jiangwan}", "tier: village, parent: dept-zsj}"
    )
    return [
        f"inv/sites.yaml:{line}: sites[7].parent: a village site's parent must be a town"
        " or district_core site, not department site 'dept-zsj'"
    ]


@case("server outside its site's LAN")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace(
        "devices.yaml", "lan_address: 10.200.0.101/24", "lan_address: 10.201.0.101/24"
    )
    return [
        f"inv/devices.yaml:{line}: devices[11].lan_address: 10.201.0.101 is outside site"
        " 'gov-cloud''s lan_prefix 10.200.0.0/24"
    ]


@case("management address 0.0.0.0")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace("devices.yaml", "mgmt_address: 172.31.250.3\n", "mgmt_address: 0.0.0.0\n")
    return [
        f"inv/devices.yaml:{line}: devices[0].mgmt_address: 0.0.0.0 is the unspecified address,"
        " not a usable host address"
    ]


@case("multicast, broadcast and loopback addresses")
def _(inv: InventoryCopy) -> list[str]:
    mgmt = inv.replace(
        "devices.yaml", "mgmt_address: 172.31.250.1\n", "mgmt_address: 255.255.255.255\n"
    )
    loop = inv.replace("devices.yaml", "loopback: 10.255.0.2\n", "loopback: 239.1.1.1\n")
    lan = inv.replace("devices.yaml", "lan_address: 10.210.1.102/24", "lan_address: 127.0.0.2/8")
    return [
        f"inv/devices.yaml:{mgmt}: devices[1].mgmt_address: 255.255.255.255 is the limited"
        " broadcast address, not a usable host address",
        f"inv/devices.yaml:{loop}: devices[2].loopback: 239.1.1.1 is a multicast address"
        " (224.0.0.0/4), not a usable host address",
        f"inv/devices.yaml:{lan}: devices[12].lan_address: 127.0.0.2/8 is a loopback address"
        " (127.0.0.0/8), not a usable host address",
        f"inv/devices.yaml:{lan}: devices[12].lan_address: 127.0.0.2 is outside site"
        " 'dept-zsj''s lan_prefix 10.210.1.0/24",
    ]


@case("a simulated device on the loopback is accepted", code=0)
def _(inv: InventoryCopy) -> list[str]:
    inv.replace("devices.yaml", "mgmt_address: 172.31.250.1\n", "mgmt_address: 127.4.0.1\n")
    return []


@case("link address is its subnet's network address")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace("links.yaml", "address: 10.1.0.1/30}", "address: 10.1.0.0/30}")
    return [
        f"inv/links.yaml:{line}: links[0].a.address: 10.1.0.0/30 is the network address of"
        " 10.1.0.0/30, not a usable host address"
    ]


@case("duplicate circuit")
def _(inv: InventoryCopy) -> list[str]:
    first = inv.line_of("links.yaml", "circuit_id: SGWJ-DX-1101")
    line = inv.replace("links.yaml", "circuit_id: SGWJ-DX-1102", "circuit_id: SGWJ-DX-1101")
    return [
        f"inv/links.yaml:{line}: links[11].circuit_id: circuit 'SGWJ-DX-1101' is also link"
        f" 'town1-vil1' (inv/links.yaml:{first}): one carrier circuit is one link"
    ]


@case("same interface at both ends")
def _(inv: InventoryCopy) -> list[str]:
    line = inv.replace(
        "links.yaml",
        "b: {device: vil3, interface: eth1, address: 10.1.4.10/30}",
        "b: {device: town2, interface: eth3, address: 10.1.4.10/30}",
    )
    return [
        f"inv/links.yaml:{line}: links[12].b.interface: both ends are town2 eth3: a link joins"
        " two different interfaces"
    ]


# --- what came in stages ---------------------------------------------------------------------


@case("a YAML error hides no other item of its file")
def _(inv: InventoryCopy) -> list[str]:
    bad = inv.replace("devices.yaml", "    model: CE12808\n", "    model: [CE12808\n")
    site = inv.replace("devices.yaml", "site: town-jiangwan\n", "site: town-nowhere\n")
    return [
        f"inv/devices.yaml:{bad + 1}: devices[0]: bad YAML: did not find expected ',' or ']'",
        f"inv/devices.yaml:{site}: devices[5].site: unknown site 'town-nowhere'",
    ]


@case("every duplicate key")
def _(inv: InventoryCopy) -> list[str]:
    one = inv.replace(
        "devices.yaml", "    model: CE12808\n", "    model: CE12808\n    role: core\n"
    )
    two = inv.replace(
        "devices.yaml", "    model: MSR2600\n", "    model: MSR2600\n    model: MSR2600\n"
    )
    return [
        f"inv/devices.yaml:{one + 1}: devices[0].role: duplicate key (first at line {one - 2})",
        f"inv/devices.yaml:{two + 1}: devices[7].model: duplicate key (first at line {two})",
    ]


@case("GBK-encoded file")
def _(inv: InventoryCopy) -> list[str]:
    text = inv.text("sites.yaml")
    inv.write("sites.yaml", text.encode("gbk"))
    return [
        "inv/sites.yaml:2: (encoding): not UTF-8 (it looks GBK/GB18030-encoded); 9 more line(s)"
        " too: save as UTF-8"
    ]


@pytest.mark.parametrize(("build", "code"), CASES)
def test_case_gives_its_exit_code_and_exact_lines(tmp_path: Path, build: Case, code: int) -> None:
    inv = InventoryCopy(tmp_path)
    expected = build(inv)
    result = run_cli("inventory", "validate", str(inv.root))
    assert result.traceback is None, result.traceback
    assert (result.code, result.errors(inv.root)) == (code, expected), result.stderr
    if code == 2:
        assert result.stderr.splitlines()[-1] == f"{len(expected)} error(s)"
    assert SECRET not in result.stdout + result.stderr
