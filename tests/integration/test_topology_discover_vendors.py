"""``egovnet topology discover --via cli`` against the VRP and Comware emulations: SSH, the
vendor's ``display lldp neighbor`` command, ntc-templates' TextFSM templates, and interface
names compared across vendors (a Huawei device reports its neighbour's port as ``GE1/0/1``,
the inventory says ``GigabitEthernet1/0/1``). ``--via napalm``: napalm-huawei-vrp's
``get_lldp_neighbors`` (``display lldp neighbor brief``) on the VRP device.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lab.vendors.device import LldpNeighbor, Port
from lab.vendors.server import DeviceSpec, EmulatedDevice
from tests.conftest import REPO, run_egovnet

pytestmark = pytest.mark.integration

RECORDED = REPO / "tests" / "golden" / "automation" / "recorded"
USER, PASSWORD = "netops", "emulated-pw"
VRP, CMW = "127.0.14.15", "127.0.14.17"
VRP_PORTS = ["GigabitEthernet0/0/1", "GigabitEthernet0/0/2"]
CMW_PORTS = [f"GigabitEthernet1/0/{n}" for n in range(1, 5)]

INVENTORY = {
    "profile.yaml": "profile:\n  name: discover-vendors\n",
    "policy.yaml": (REPO / "inventory" / "lab" / "policy.yaml").read_text(encoding="utf-8"),
    "profiles.yaml": f"""snmp_profiles:
  - {{name: noc-v3, version: v3, user: noc, auth_protocol: SHA-256,
     auth_key_env: EGOVNET_SNMP_AUTH_KEY, priv_protocol: AES, priv_key_env: EGOVNET_SNMP_PRIV_KEY}}
credential_profiles:
  - {{name: ops, username: {USER}, password_env: EGOVNET_DISCOVER_PASSWORD}}
""",
    "sites.yaml": """sites:
  - {id: district-core, name: 武江区电子政务外网核心机房, tier: district_core}
  - {id: town-xilian, name: 西联镇, tier: town, parent: district-core}
  - {id: village-xincun, name: 西联镇新村村, tier: village, parent: town-xilian}
""",
    "devices.yaml": f"""devices:
  - {{name: wj-town-xilian, site: town-xilian, role: aggregation, platform: hp_comware,
     mgmt_address: {CMW}, snmp_profile: noc-v3, credential_profile: ops,
     interfaces: [{{name: GigabitEthernet1/0/4}}]}}
  - {{name: wj-vil-xilian-02, site: village-xincun, role: access, platform: huawei_vrp,
     mgmt_address: {VRP}, snmp_profile: noc-v3, credential_profile: ops,
     interfaces: [{{name: GigabitEthernet0/0/1}}]}}
""",
    "links.yaml": """links:
  - {id: xilian-xincun, kind: access, plane: A, committed_mbps: 50, carrier: 中国移动,
     circuit_id: SGWJ-YD-1102,
     a: {device: wj-town-xilian, interface: GigabitEthernet1/0/4},
     b: {device: wj-vil-xilian-02, interface: GigabitEthernet0/0/1}}
""",
}


def _start(platform: str, address: str, ports: list[str], nb: LldpNeighbor) -> EmulatedDevice:
    recorded = "hp_comware" if platform == "hp_comware" else "huawei_vrp"
    config = (RECORDED / recorded / "display_current-configuration.txt").read_text("utf-8")
    spec = DeviceSpec(platform, config, [Port(p) for p in ports], USER, PASSWORD, [nb])
    return EmulatedDevice(spec, address=address, port=22).start()


@pytest.fixture(scope="module")
def devices() -> Iterator[dict[str, EmulatedDevice]]:
    if os.geteuid() != 0:
        pytest.fail("this test needs root (the emulations answer on port 22)")
    # the village's VRP switch names the town's port the short way, as VRP does
    vrp = _start(
        "huawei_vrp",
        VRP,
        VRP_PORTS,
        LldpNeighbor("GigabitEthernet0/0/1", "wj-town-xilian", "GE1/0/4", mgmt_address=CMW),
    )
    try:
        cmw = _start(
            "hp_comware",
            CMW,
            CMW_PORTS,
            LldpNeighbor(
                "GigabitEthernet1/0/4", "wj-vil-xilian-02", "GigabitEthernet0/0/1", mgmt_address=VRP
            ),
        )
        try:
            yield {"vrp": vrp, "cmw": cmw}
        finally:
            cmw.stop()
    finally:
        vrp.stop()


def discover(inventory: Path, via: str = "cli") -> tuple[int, dict[str, Any]]:
    env = {**os.environ, "EGOVNET_DISCOVER_PASSWORD": PASSWORD}
    done = run_egovnet(
        "topology", "discover", "--via", via, "--inventory", str(inventory), "--json", env=env
    )
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def write_inventory(path: Path) -> Path:
    for name, text in INVENTORY.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


def cable(devices: dict[str, EmulatedDevice], town_port: str, vrp_names_it: str) -> None:
    """The village-town cable on the town's ``town_port``, as each end's LLDP reports it
    (the village's VRP names the town's port ``vrp_names_it``)."""
    devices["vrp"].device.neighbors[0] = LldpNeighbor(
        "GigabitEthernet0/0/1", "wj-town-xilian", vrp_names_it, mgmt_address=CMW
    )
    devices["cmw"].device.neighbors[0] = LldpNeighbor(
        town_port, "wj-vil-xilian-02", "GigabitEthernet0/0/1", mgmt_address=VRP
    )


def test_discovery_reads_both_vendors_lldp_and_flags_a_moved_cable(
    devices: dict[str, EmulatedDevice], tmp_path: Path
) -> None:
    write_inventory(tmp_path)
    cable(devices, "GigabitEthernet1/0/4", "GE1/0/4")
    code, report = discover(tmp_path)
    assert code == 0, report
    (link,) = report["links"]
    assert (link["link"], link["state"]) == ("xilian-xincun", "discovered")
    assert all(d["ok"] for d in report["devices"])

    # the cable on the town's side moves to another port: both ends see it
    cable(devices, "GigabitEthernet1/0/3", "GE1/0/3")
    code, report = discover(tmp_path)
    assert code == 1  # drift
    assert report["counts"]["unexpected"] + report["counts"]["miswired"] >= 1, report
    flagged = json.dumps([report["unexpected"], report["links"]])
    assert "GigabitEthernet1/0/3" in flagged or "GE1/0/3" in flagged


def test_a_slow_comware_device_still_shows_its_neighbour(
    devices: dict[str, EmulatedDevice], tmp_path: Path
) -> None:
    # a device that answers each line 0.4 s late: Netmiko's prompt probing sends a second
    # newline, and without echo checks (hp_comware's default) its late prompt ended the LLDP
    # read with nothing, which reads as the link missing
    write_inventory(tmp_path)
    cable(devices, "GigabitEthernet1/0/4", "GE1/0/4")
    devices["cmw"].device.answer_delay = 0.4
    try:
        code, report = discover(tmp_path)
    finally:
        devices["cmw"].device.answer_delay = 0.0
    assert code == 0, report
    (link,) = report["links"]
    assert (link["link"], link["state"]) == ("xilian-xincun", "discovered")


def test_napalm_reads_the_vrp_device_and_says_comware_has_no_driver(
    devices: dict[str, EmulatedDevice], tmp_path: Path
) -> None:
    write_inventory(tmp_path)
    cable(devices, "GigabitEthernet1/0/4", "GigabitEthernet1/0/4")
    code, report = discover(tmp_path, via="napalm")
    by_name = {d["device"]: d for d in report["devices"]}
    vrp, cmw = by_name["wj-vil-xilian-02"], by_name["wj-town-xilian"]
    assert (vrp["source"], vrp["ok"], vrp["neighbors"]) == ("napalm", True, 1)
    # the brief table names the local port GE0/0/1: matched to the inventory's long name
    (link,) = report["links"]
    assert link["b"]["verdict"] == "confirmed"
    assert link["b"]["seen"][0]["device"] == "wj-town-xilian"
    assert (cmw["ok"], cmw["error"]) == (False, "wj-town-xilian: no NAPALM driver for hp_comware")
    assert code == 1  # a device that could not be read is not a clean result
