"""The failure analysis: reachability to the cloud and single points of failure."""

from __future__ import annotations

import random

import pytest

from inventory.catalog import Inventory
from topology.graph import Network, build_network
from topology.reachability import (
    Element,
    ElementKind,
    Failure,
    connected_sites,
    down_sites,
    single_points,
)

pytestmark = pytest.mark.unit


def brute_force(net: Network, failure: Failure) -> dict[Element, frozenset[str]]:
    """Fail every remaining element in turn and recompute reachability from scratch."""
    before = connected_sites(net, failure)
    out: dict[Element, frozenset[str]] = {}
    links = [k for _, _, k in net.graph.edges(keys=True) if k not in failure.links]
    devices = [d for d in net.devices if d not in failure.devices and d not in net.cloud_devices]
    for element in [Element(ElementKind.link, k) for k in links] + [
        Element(ElementKind.device, d) for d in devices
    ]:
        after = failure.plus(element)
        cut = before - connected_sites(net, after) - down_sites(net, after)
        if cut:
            out[element] = frozenset(cut)
    return out


@pytest.mark.parametrize("which", ["lab", "district"])
def test_single_points_match_brute_force_under_random_failures(
    which: str, lab_inventory: Inventory, district_inventory: Inventory
) -> None:
    net = build_network(lab_inventory if which == "lab" else district_inventory)
    elements = [Element(ElementKind.link, lk.id) for lk in net.inventory.links] + [
        Element(ElementKind.device, d) for d in net.devices
    ]
    rnd = random.Random(20251122)
    for _ in range(300 if which == "lab" else 30):
        failure = Failure.of(rnd.sample(elements, rnd.choice([0, 1, 1, 2, 3, 5])))
        assert single_points(net, failure) == brute_force(net, failure), failure


def test_graph_keeps_parallel_links_and_leaves_servers_out(lab_inventory: Inventory) -> None:
    net = build_network(lab_inventory)
    assert net.graph.number_of_edges("core1", "core2") == 2
    assert "srv-cloud1" not in net.graph and "srv-dept1" not in net.graph
    assert net.graph.nodes["town1"]["site_name"] == "龙归镇"
    edge = net.graph.edges["core1", "town1", "core1-town1"]
    assert (edge["plane"], edge["committed_mbps"], edge["kind"]) == ("A", 100, "access")


def test_the_intended_lab_hangs_only_single_homed_sites_on_one_element(
    lab_inventory: Inventory,
) -> None:
    net = build_network(lab_inventory)
    assert connected_sites(net) == {s.id for s in net.endpoint_sites}
    points = {str(e): set(s) for e, s in single_points(net).items()}
    assert points == {
        "device core1": {"dept-wjj"},
        "device town1": {"vil-longgui-shangwei", "vil-longgui-xiaba"},
        "device town2": {"vil-jiangwan-tianxin"},
        "link core1-dept2": {"dept-wjj"},
        "link town1-vil1": {"vil-longgui-shangwei"},
        "link town1-vil2": {"vil-longgui-xiaba"},
        "link town2-vil3": {"vil-jiangwan-tianxin"},
    }


def test_a_site_whose_other_device_is_already_cut_depends_on_the_remaining_one(
    district_inventory: Inventory,
) -> None:
    net = build_network(district_inventory)
    failure = Failure(links=frozenset({"sg-city2-wj-core2"}))
    # sg-city-core2 is alive but unreachable: the city now hangs on sg-city-core1
    assert single_points(net, failure)[Element(ElementKind.device, "sg-city-core1")] == {"city"}
    assert "city" in connected_sites(net, failure)
