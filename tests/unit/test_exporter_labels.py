"""Interface and device labels come from the inventory as docs/metrics.md defines them."""

from __future__ import annotations

import pytest

from exporters.labels import LabelCatalog
from inventory.catalog import Inventory

pytestmark = pytest.mark.unit


def test_both_ends_of_an_access_circuit_carry_the_served_site(lab_inventory: Inventory) -> None:
    catalog = LabelCatalog(lab_inventory)
    a = catalog.interface("core1", "eth6")
    b = catalog.interface("town2", "eth1")
    common = {
        "link": "core1-town2",
        "plane": "A",
        "kind": "access",
        "site": "town-jiangwan",
        "site_name": "江湾镇",
        "tier": "town",
    }
    assert dict(a.labels) == {**common, "device": "core1", "interface": "eth6", "end": "a"}
    assert dict(b.labels) == {**common, "device": "town2", "interface": "eth1", "end": "b"}
    # 50 Mbps committed; the town tier's 2021 baseline 50 and 2025 target 100 Mbps
    assert (b.committed_bytes, b.baseline_bytes, b.target_bytes) == (6.25e6, 6.25e6, 12.5e6)


def test_non_access_links_have_no_plan_figures(lab_inventory: Inventory) -> None:
    info = LabelCatalog(lab_inventory).interface("core1", "eth4")  # backbone to the cloud
    assert info.labels["kind"] == "backbone"
    assert info.committed_bytes == 10_000 * 125_000
    assert info.baseline_bytes is None
    assert info.target_bytes is None


def test_an_interface_no_link_uses_carries_the_device_site(lab_inventory: Inventory) -> None:
    info = LabelCatalog(lab_inventory).interface("core1", "eth99")
    assert dict(info.labels) == {
        "device": "core1",
        "interface": "eth99",
        "link": "",
        "plane": "",
        "end": "",
        "kind": "",
        "site": "district-core",
        "site_name": "武江区电子政务外网核心机房",
        "tier": "district_core",
    }
    assert info.committed_bytes is None


def test_device_labels(lab_inventory: Inventory) -> None:
    labels = LabelCatalog(lab_inventory).device("vil3")
    assert dict(labels) == {
        "device": "vil3",
        "site": "vil-jiangwan-tianxin",
        "site_name": "江湾镇田心村",
        "tier": "village",
        "role": "cpe",
    }


def test_interfaces_of_follows_the_inventory_order(lab_inventory: Inventory) -> None:
    infos = LabelCatalog(lab_inventory).interfaces_of("town1")
    assert [i.labels["interface"] for i in infos] == ["eth1", "eth2", "eth3", "eth4"]
    assert [i.labels["end"] for i in infos] == ["b", "b", "a", "a"]
