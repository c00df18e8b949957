"""The FRR NAPALM driver against real FRR 8.4 + sshd + the device agent in a namespace."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import napalm
import pytest
from napalm.base.exceptions import CommitConfirmException, CommitError

from tests.integration.automation_frr_device import (
    USER,
    FrrDevice,
    T6Network,
    can_build,
    connect,
    t6_network,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(can_build() is not None, reason=str(can_build())),
]

INITIAL = """hostname r1
service integrated-vtysh-config
!
interface eth1
 ip address 10.9.0.1/30
 ip ospf cost 50
exit
!
router ospf
 network 10.9.0.0/30 area 0
exit
!
"""

CANDIDATE = """hostname r1
log syslog informational
no ipv6 forwarding
service integrated-vtysh-config
!
interface eth1
 description [A] 龙归镇 SGWJ-DX-0101 中国电信 to r2 eth1
 ip address 10.9.0.1/30
 ip ospf bfd
 ip ospf bfd profile egovnet
 ip ospf cost 10
 ip ospf network point-to-point
exit
!
interface lo
 ip address 10.255.0.9/32
 ip ospf passive
exit
!
router ospf
 ospf router-id 10.255.0.9
 network 10.9.0.0/30 area 0.0.0.0
 network 10.255.0.9/32 area 0.0.0.0
exit
!
bfd
 profile egovnet
  receive-interval 100
  transmit-interval 100
 exit
 !
exit
!
"""


@pytest.fixture(scope="module")
def net() -> Iterator[tuple[T6Network, FrrDevice, FrrDevice]]:
    with t6_network() as network:
        r1 = network.device("r1", 2, INITIAL)
        r2 = network.device("r2", 3, "hostname r2\nservice integrated-vtysh-config\n!\n")
        connect(r1, "eth1", r2, "eth1")
        r1.start_lldpd(["eth1"])
        r2.start_lldpd(["eth1"])
        yield network, r1, r2


@pytest.fixture
def device(net: tuple[T6Network, FrrDevice, FrrDevice]) -> Iterator[FrrDevice]:
    """r1, put back to its initial config after each test."""
    network, r1, _ = net
    yield r1
    with session(network, r1) as drv:
        if drv.has_pending_commit():
            drv.confirm_commit()
        drv.load_replace_candidate(config=INITIAL)
        drv.commit_config()


def driver(network: T6Network, dev: FrrDevice, **optional: Any) -> Any:
    cls = napalm.get_network_driver("frr")
    drv = cls(dev.address, USER, network.password, timeout=20, optional_args=optional)
    drv.open()
    return drv


@contextmanager
def session(network: T6Network, dev: FrrDevice, **optional: Any) -> Iterator[Any]:
    """An open FRR driver session, closed on the way out."""
    drv = driver(network, dev, **optional)
    try:
        yield drv
    finally:
        drv.close()


def running(dev: FrrDevice) -> str:
    """The running config as a login sees it (minus the version/header lines)."""
    text = dev.vtysh("show running-config")
    return "\n".join(ln for ln in text.splitlines() if not ln.startswith("hostname"))


def test_found_by_napalm_and_getters(net: tuple[T6Network, FrrDevice, FrrDevice]) -> None:
    network, r1, _ = net
    with session(network, r1) as drv:
        facts = drv.get_facts()
        assert facts["vendor"] == "FRRouting" and facts["os_version"].startswith("8.")
        assert facts["hostname"] == "r1"
        assert 0 < facts["uptime"] < 3600
        assert {"eth1", "mgmt0", "lo"} <= set(facts["interface_list"])
        ifaces = drv.get_interfaces()
        assert ifaces["eth1"]["is_up"] and ifaces["eth1"]["is_enabled"]
        counters = drv.get_interfaces_counters()
        assert counters["mgmt0"]["rx_octets"] > 0  # this very SSH session came in there
        assert drv.get_config(retrieve="running")["running"].count("interface eth1") == 1
        deadline = time.monotonic() + 20
        neighbors: dict[str, Any] = {}
        while time.monotonic() < deadline and not neighbors.get("eth1"):
            neighbors = drv.get_lldp_neighbors()
            time.sleep(0.5)
        assert neighbors["eth1"] == [{"hostname": "r2", "port": "eth1"}]


def test_diff_commit_converges_and_is_saved(
    net: tuple[T6Network, FrrDevice, FrrDevice], device: FrrDevice
) -> None:
    network, _, _ = net
    with session(network, device) as drv:
        before = running(device)
        drv.load_replace_candidate(config=CANDIDATE)
        diff = drv.compare_config()
        assert "-  ip ospf cost 50" in diff and "+  ip ospf cost 10" in diff
        assert "+ interface lo" in diff
        assert running(device) == before  # comparing changes nothing
        drv.commit_config()
        assert " ip ospf cost 10" in running(device)
        drv.load_replace_candidate(config=CANDIDATE)
        assert drv.compare_config() == ""  # converged
        saved = (device.confdir / "frr.conf").read_text(encoding="utf-8")
        assert " ip ospf cost 10" in saved  # write memory after the commit
        assert not drv.has_pending_commit()


def test_failed_line_restores_the_previous_config(
    net: tuple[T6Network, FrrDevice, FrrDevice], device: FrrDevice
) -> None:
    network, _, _ = net
    with session(network, device) as drv:
        before = running(device)
        bad = CANDIDATE.replace(" ip ospf cost 10\n", " ip ospf cost 20\n ip ospf bogus 1\n")
        drv.load_replace_candidate(config=bad)
        with pytest.raises(CommitError, match=r"bogus.*previous config restored"):
            drv.commit_config()
        assert running(device) == before


def test_revert_in_reverts_on_the_device_after_the_session_is_gone(
    net: tuple[T6Network, FrrDevice, FrrDevice], device: FrrDevice
) -> None:
    network, _, _ = net
    drv = driver(network, device)
    before = running(device)
    drv.load_replace_candidate(config=CANDIDATE)
    drv.commit_config(revert_in=3)
    assert " ip ospf cost 10" in running(device)
    assert drv.has_pending_commit()
    drv.close()  # the management session is lost
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and running(device) != before:
        time.sleep(0.5)
    assert running(device) == before
    with session(network, device) as drv:
        assert not drv.has_pending_commit()


def test_confirm_keeps_the_commit(
    net: tuple[T6Network, FrrDevice, FrrDevice], device: FrrDevice
) -> None:
    network, _, _ = net
    with session(network, device) as drv:
        drv.load_replace_candidate(config=CANDIDATE)
        drv.commit_config(revert_in=2)
        drv.load_replace_candidate(config=CANDIDATE)
        with pytest.raises(CommitError, match="pending confirmation"):
            drv.commit_config(revert_in=2)
        drv.confirm_commit()
        assert not drv.has_pending_commit()
        time.sleep(3)
        assert " ip ospf cost 10" in running(device)
        with pytest.raises(CommitConfirmException):
            drv.confirm_commit()


def test_rollback_from_a_new_session_uses_the_devices_rollback_point(
    net: tuple[T6Network, FrrDevice, FrrDevice], device: FrrDevice
) -> None:
    network, _, _ = net
    before = running(device)
    drv = driver(network, device)
    drv.load_replace_candidate(config=CANDIDATE)
    drv.commit_config()
    drv.close()
    with session(network, device) as drv:
        drv.rollback()
        assert running(device) == before


def test_merge_adds_without_removing(
    net: tuple[T6Network, FrrDevice, FrrDevice], device: FrrDevice
) -> None:
    network, _, _ = net
    with session(network, device) as drv:
        drv.load_merge_candidate(config="interface eth1\n description merged\nexit\n")
        assert drv.compare_config() == "  interface eth1\n+  description merged\n"
        drv.commit_config()
        text = running(device)
        assert " description merged" in text and " ip ospf cost 50" in text


def test_without_the_agent_revert_in_is_refused_before_any_change(
    net: tuple[T6Network, FrrDevice, FrrDevice], device: FrrDevice
) -> None:
    network, _, _ = net
    with session(network, device, agent=False) as drv:
        before = running(device)
        drv.load_replace_candidate(config=CANDIDATE)
        with pytest.raises(Exception, match="agent"):
            drv.commit_config(revert_in=30)
        assert running(device) == before
