"""`topology whatif`: sites isolated or left without redundancy by failures."""

from __future__ import annotations

import dataclasses
import json

import pytest

from base.errors import TopologyError
from inventory.catalog import Inventory
from inventory.models import Device
from tests.conftest import invoke_egovnet
from tests.unit.topology_helpers import egovnet
from topology.graph import build_network
from topology.reachability import Element, ElementKind
from topology.whatif import Impact, rank_single_failures, resolve, what_if

pytestmark = pytest.mark.unit


def fail(inv: Inventory, *names: str) -> dict[str, object]:
    net = build_network(inv)
    result = what_if(net, resolve(net, names))
    return {
        "isolated": {i.site.id: i.impact for i in result.isolated},
        "degraded": {i.site.id: i.single_points for i in result.lost_redundancy},
    }


def test_town_device_failure_downs_the_town_and_cuts_its_villages(lab_inventory: Inventory) -> None:
    got = fail(lab_inventory, "town1")
    assert got["isolated"] == {
        "town-longgui": Impact.down,
        "vil-longgui-shangwei": Impact.cut_off,
        "vil-longgui-xiaba": Impact.cut_off,
    }
    assert got["degraded"] == {}


def test_core_failure_cuts_the_single_homed_and_degrades_the_dual_homed(
    lab_inventory: Inventory,
) -> None:
    got = fail(lab_inventory, "core1")
    assert got["isolated"] == {"dept-wjj": Impact.cut_off}
    degraded = got["degraded"]
    assert isinstance(degraded, dict)
    assert set(degraded) == {"city", "district-core", "dept-zsj", "town-jiangwan", "town-longgui"}
    assert degraded["town-longgui"] == ["device core2", "link core2-cloud1", "link core2-town1"]


def test_one_town_link_only_costs_that_town_its_redundancy(lab_inventory: Inventory) -> None:
    got = fail(lab_inventory, "core1-town1")
    assert got == {
        "isolated": {},
        "degraded": {"town-longgui": ["device core2", "link core2-town1"]},
    }


def test_both_cloud_backbones_isolate_every_site(lab_inventory: Inventory) -> None:
    got = fail(lab_inventory, "core1-cloud1", "core2-cloud1")
    isolated = got["isolated"]
    assert isinstance(isolated, dict)
    assert set(isolated) == {s.id for s in lab_inventory.sites if s.tier.value != "cloud"}
    assert set(isolated.values()) == {Impact.cut_off}


def test_losing_both_core_interconnects_is_survivable(lab_inventory: Inventory) -> None:
    assert fail(lab_inventory, "core1-core2-a", "core1-core2-b") == {"isolated": {}, "degraded": {}}


def test_names_resolve_to_links_and_devices(lab_inventory: Inventory) -> None:
    net = build_network(lab_inventory)
    assert resolve(net, ["core1", "link:core1-town1", "device:town2"]) == [
        Element(ElementKind.device, "core1"),
        Element(ElementKind.link, "core1-town1"),
        Element(ElementKind.device, "town2"),
    ]
    with pytest.raises(TopologyError, match=r"unknown link or device 'core3' \(did you mean"):
        resolve(net, ["core3"])
    with pytest.raises(TopologyError, match="is a server"):
        resolve(net, ["srv-dept1"])
    with pytest.raises(TopologyError, match="prefix must be"):
        resolve(net, ["site:town-longgui"])


def test_a_name_that_is_both_link_and_device_must_be_prefixed(lab_inventory: Inventory) -> None:
    base = lab_inventory.device("vil3")
    twin = Device.model_validate(
        {**base.model_dump(), "name": "town1-vil1", "mgmt_address": "172.31.250.99"}
    )
    inv = dataclasses.replace(lab_inventory, devices=(*lab_inventory.devices, twin))
    net = build_network(inv)
    with pytest.raises(TopologyError, match="both a link and a device"):
        resolve(net, ["town1-vil1"])
    assert resolve(net, ["device:town1-vil1"]) == [Element(ElementKind.device, "town1-vil1")]


def test_all_single_ranks_the_cloud_edge_first_in_the_lab(lab_inventory: Inventory) -> None:
    rows = rank_single_failures(build_network(lab_inventory))
    assert len(rows) == len(lab_inventory.links) + 11  # every link and network device
    assert (rows[0].element, rows[0].isolated) == ("device cloud1", 9)
    assert (rows[1].element, rows[1].isolated, rows[1].isolated_must) == ("device town1", 3, 1)
    interconnect = next(r for r in rows if r.name == "core1-core2-a")
    assert (interconnect.isolated, interconnect.lost_redundancy) == (0, 0)


def test_all_single_on_the_district_puts_the_cores_first(district_inventory: Inventory) -> None:
    rows = rank_single_failures(build_network(district_inventory))
    assert [r.name for r in rows[:2]] == ["wj-core1", "wj-core2"]
    assert all(r.isolated_must == 0 for r in rows[:2])  # 双核心: no must site hangs on one core


def test_cli_whatif(capsys: pytest.CaptureFixture[str]) -> None:
    done = invoke_egovnet("topology", "whatif", "--profile", "lab", "--fail", "town1", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["failed"] == ["device town1"]
    assert {i["site"]["name"] for i in data["isolated"]} == {
        "龙归镇",
        "龙归镇上围村",
        "龙归镇下坝村",
    }

    table = egovnet(capsys, "topology", "whatif", "--profile", "lab", "--all-single", "--top", "3")
    assert table.returncode == 0 and "device cloud1" in table.stdout

    for bad in (["--fail", "nosuch"], [], ["--fail", "core1", "--all-single"]):
        done = egovnet(capsys, "topology", "whatif", "--profile", "lab", *bad)
        assert done.returncode == 2, bad
        assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
