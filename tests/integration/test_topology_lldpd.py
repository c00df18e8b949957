"""Discovery against real lldpd daemons wired like the lab inventory (namespaces ``t7-*``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from inventory.catalog import Inventory
from inventory.models import Role
from tests.integration.topology_lldp_net import Cable, LldpNet, can_build, intended_cables
from topology.discovery.drift import DriftReport, LinkState, compare
from topology.discovery.sources import CommandSource, read_all

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(can_build() is not None, reason=str(can_build())),
]


def discover(net: LldpNet) -> DriftReport:
    inv = net.inv
    devices = [d for d in inv.devices if d.role is not Role.server]
    readings = read_all(inv, CommandSource(net.runner(), name="lldpcli"), devices)
    return compare(inv, readings)


def neighbours_expected(cables: list[Cable]) -> dict[str, int]:
    out: dict[str, int] = {}
    for (dev_a, _), (dev_b, _) in cables:
        out[dev_a] = out.get(dev_a, 0) + 1
        out[dev_b] = out.get(dev_b, 0) + 1
    return out


@pytest.fixture(scope="module")
def lab_inventory(frr_lab_inventory: Inventory) -> Inventory:
    """The lab wired with lldpd alone, every device read with lldpcli: the FRR-only lab."""
    return frr_lab_inventory


@pytest.fixture
def wired(lab_inventory: Inventory) -> Iterator[LldpNet]:
    net = LldpNet(lab_inventory)
    try:
        net.up()
        expected = neighbours_expected(intended_cables(lab_inventory))
        assert net.wait_until(lambda: all(net.neighbor_count(d) == n for d, n in expected.items()))
        yield net
    finally:
        net.down()


def test_discover_equals_intended_then_reports_a_downed_link_missing(wired: LldpNet) -> None:
    report = discover(wired)
    assert report.clean, [(lk.link, lk.state) for lk in report.links if lk.state != "discovered"]
    assert len(report.links_in(LinkState.discovered)) == len(wired.inv.links)

    wired.set_link("town1", "eth2", up=False)  # the B-plane circuit of 龙归镇
    assert wired.wait_until(lambda: wired.neighbor_count("core2") == 6)
    report = discover(wired)
    assert [lk.link for lk in report.links if lk.state is LinkState.missing] == ["core2-town1"]
    assert report.counts == {"missing": 1, "miswired": 0, "unexpected": 0}

    wired.set_link("town1", "eth2", up=True)
    assert wired.wait_until(lambda: wired.neighbor_count("core2") == 7)
    assert discover(wired).clean


def test_swapped_cables_are_miswired_and_an_extra_cable_is_unexpected(
    lab_inventory: Inventory,
) -> None:
    cables = [
        c
        for c in intended_cables(lab_inventory)
        if c[0][0] != "town1" or c[1][0] not in ("vil1", "vil2")
    ]
    cables += [
        (("town1", "eth3"), ("vil2", "eth1")),  # the two village cables swapped at the town
        (("town1", "eth4"), ("vil1", "eth1")),
        (("vil1", "eth9"), ("vil3", "eth9")),  # a cable the inventory does not know
    ]
    net = LldpNet(lab_inventory)
    try:
        net.up(cables)
        expected = neighbours_expected(cables)
        assert net.wait_until(lambda: all(net.neighbor_count(d) == n for d, n in expected.items()))
        report = discover(net)
    finally:
        net.down()
    states = {lk.link: lk.state for lk in report.links if lk.state is not LinkState.discovered}
    assert states == {"town1-vil1": LinkState.miswired, "town1-vil2": LinkState.miswired}
    [extra] = report.unexpected
    # reported once, from the first device in name order, as seen from both ends; eth9 is
    # no interface the inventory gives vil3, so the port is shown as reported
    assert (extra.device, extra.interface, extra.neighbor.device) == ("vil1", "eth9", "vil3")
    assert (extra.neighbor.port, extra.neighbor.reported_port) == (None, "eth9")
    assert extra.both_ends
