"""A real snmpd sends linkDown/linkUp (DISMAN event monitors) and the exporter marks the link.

The device is a network namespace of this test (``t4-trap-<pid>``) joined to the host by a
veth pair on 172.30.4.248/30; inside it a second veth pair is the "circuit" the test cuts.
snmpd there polls its own ifOperStatus every second and sends v2c traps to the exporter's
receiver on the host end. Needs root (namespaces); cleaned up even when the test fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from collectors.simulate import NetSnmpAgent
from tests.integration.exporter_process import Running, start_exporter, stop, value

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        os.geteuid() != 0 or shutil.which("ip") is None, reason="needs root and iproute2"
    ),
]

HOST, DEVICE = "172.30.4.249", "172.30.4.250"  # the bench uses 172.30.4.0/25
COMMUNITY = "t4-trap"
LINK_DOWN, LINK_UP = ".1.3.6.1.6.3.1.1.5.3", ".1.3.6.1.6.3.1.1.5.4"
IF_INDEX, IF_ADMIN, IF_OPER = ".1.3.6.1.2.1.2.2.1.1", ".1.3.6.1.2.1.2.2.1.7", ".1.3.6.1.2.1.2.2.1.8"


def ip(*args: str, netns: str | None = None) -> None:
    cmd = ["ip", "netns", "exec", netns, "ip", *args] if netns else ["ip", *args]
    subprocess.run(cmd, check=True, capture_output=True)


@pytest.fixture
def namespace() -> Iterator[str]:
    name = f"t4-trap-{os.getpid()}"
    host_end = f"t4h{os.getpid() % 100000}"
    try:
        ip("netns", "add", name)
        ip("link", "add", host_end, "type", "veth", "peer", "name", "t4dev0")
        ip("link", "set", "t4dev0", "netns", name)
        ip("addr", "add", f"{HOST}/30", "dev", host_end)
        ip("link", "set", host_end, "up")
        ip("addr", "add", f"{DEVICE}/30", "dev", "t4dev0", netns=name)
        ip("link", "set", "t4dev0", "up", netns=name)
        ip("link", "set", "lo", "up", netns=name)
        # the circuit: a veth pair inside the device; cutting one end downs both
        ip("link", "add", "wan0", "type", "veth", "peer", "name", "wan0peer", netns=name)
        ip("link", "set", "wan0", "up", netns=name)
        ip("link", "set", "wan0peer", "up", netns=name)
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True, check=False)
        subprocess.run(["ip", "link", "del", host_end], capture_output=True, check=False)


def write_config(work: Path, port: int) -> None:
    inventory = {
        "policy": {"tiers": {"district_core": {}, "village": {"target_mbps": 50}}},
        "snmp_profiles": [
            {"name": "v2c", "version": "v2c", "community_env": "T4_TRAP_COMMUNITY",
             "port": port, "timeout_seconds": 1.0, "retries": 1},
        ],
        "sites": [
            {"id": "core", "name": "核心机房", "tier": "district_core"},
            {"id": "vil-tianxin", "name": "江湾镇田心村", "tier": "village", "parent": "core"},
        ],
        "devices": [
            {"name": "core1", "site": "core", "role": "core", "platform": "huawei_vrp",
             "mgmt_address": "127.4.0.60", "snmp_profile": "v2c",
             "interfaces": [{"name": "ge1"}]},
            {"name": "vil3", "site": "vil-tianxin", "role": "cpe", "platform": "cisco_ios",
             "mgmt_address": DEVICE, "snmp_profile": "v2c", "interfaces": [{"name": "wan0"}]},
        ],
        "links": [
            {"id": "core1-vil3", "kind": "access", "plane": "A", "committed_mbps": 30,
             "a": {"device": "core1", "interface": "ge1"},
             "b": {"device": "vil3", "interface": "wan0"}},
        ],
    }  # fmt: skip
    (work / "inventory").mkdir()
    (work / "inventory" / "inventory.yaml").write_text(
        yaml.safe_dump(inventory, allow_unicode=True), encoding="utf-8"
    )
    (work / "secrets.env").write_text(f"T4_TRAP_COMMUNITY={COMMUNITY}\n")
    (work / "exporter.yml").write_text("inventory: inventory\nsecrets_file: secrets.env\n")


def trap_state(exporter: Running) -> tuple[float | None, float]:
    _, text = exporter.get("/metrics")
    try:
        state: float | None = value(
            text, "egovnet_trap_link_oper_up", device="vil3", interface="wan0"
        )
    except AssertionError:
        state = None
    try:
        downs = value(text, "egovnet_traps_received_total", device="vil3", kind="link_down")
    except AssertionError:
        downs = 0.0
    return state, downs


def wait_state(exporter: Running, expected: float, within: float) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < within:
        if trap_state(exporter)[0] == expected:
            return time.monotonic() - t0
        time.sleep(0.1)
    raise AssertionError(f"trap state of vil3 wan0 not {expected} after {within} s")


def test_a_cut_link_is_marked_down_before_the_next_poll(namespace: str, tmp_path: Path) -> None:
    port = 1161
    write_config(tmp_path, port)
    # exporter first: it binds the trap port snmpd sends to
    exporter = start_exporter(tmp_path, trap_host=HOST)
    monitors = [
        f"trap2sink {HOST}:{exporter.trap_port} {COMMUNITY}",
        "createUser internalUser",
        "iquerySecName internalUser",
        "rouser internalUser noauth",
        f"notificationEvent linkUpTrap {LINK_UP} {IF_INDEX} {IF_ADMIN} {IF_OPER}",
        f"notificationEvent linkDownTrap {LINK_DOWN} {IF_INDEX} {IF_ADMIN} {IF_OPER}",
        f'monitor -r 1 -e linkUpTrap "link up" {IF_OPER} != 2',
        f'monitor -r 1 -e linkDownTrap "link down" {IF_OPER} == 2',
    ]
    snmpd = NetSnmpAgent(
        tmp_path / "snmpd", [DEVICE], port, community=COMMUNITY, sys_name="vil3",
        extra_config=monitors, netns=namespace,
    )  # fmt: skip
    try:
        snmpd.start()
        # a poll teaches the exporter wan0's ifIndex; the state so far is "up"
        _, text = exporter.get("/snmp?target=vil3")
        assert value(text, "egovnet_interface_oper_up", interface="wan0") == 1
        ip("link", "set", "wan0", "down", netns=namespace)
        took = wait_state(exporter, 0, within=10)
        assert took < 5  # the monitor runs every second; no poll happened meanwhile
        _, downs = trap_state(exporter)
        assert downs >= 1
        _, metrics = exporter.get("/metrics")
        assert (
            value(metrics, "egovnet_trap_link_oper_up", link="core1-vil3", site_name="江湾镇田心村")
            == 0
        )
        ip("link", "set", "wan0", "up", netns=namespace)
        wait_state(exporter, 1, within=10)
    finally:
        snmpd.stop()
        stop(exporter)
