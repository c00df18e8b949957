"""Inventory series on /metrics: the plan itself, joinable with the polled series."""

from __future__ import annotations

import pytest
from prometheus_client import CollectorRegistry

from exporters.inventory_series import InventoryCollector
from inventory.catalog import Inventory

pytestmark = pytest.mark.unit


@pytest.fixture
def registry(lab_inventory: Inventory) -> CollectorRegistry:
    reg = CollectorRegistry()
    reg.register(InventoryCollector(lab_inventory))
    return reg


def site(site_id: str, name: str, tier: str) -> dict[str, str]:
    return {"site": site_id, "site_name": name, "tier": tier}


def test_required_and_actual_uplinks(registry: CollectorRegistry) -> None:
    town = site("town-longgui", "龙归镇", "town")
    village = site("vil-longgui-xiaba", "龙归镇下坝村", "village")
    important = site("dept-zsj", "区政务服务数据管理局", "department")
    plain_dept = site("dept-wjj", "区卫生健康局", "department")
    get = registry.get_sample_value
    assert get("egovnet_site_required_uplinks", town) == 2  # town tier policy: dual-homed
    assert get("egovnet_site_uplinks", town) == 2
    assert get("egovnet_site_required_uplinks", village) == 1
    assert get("egovnet_site_required_uplinks", important) == 2  # important: true
    assert get("egovnet_site_required_uplinks", plain_dept) == 1
    assert get("egovnet_site_uplinks", plain_dept) == 1


def test_circuit_info_joins_link_and_site(registry: CollectorRegistry) -> None:
    labels = {
        "link": "town2-vil3",
        "kind": "access",
        "plane": "A",
        **site("vil-jiangwan-tianxin", "江湾镇田心村", "village"),
        "carrier": "中国移动",
        "circuit_id": "SGWJ-YD-1201",
        "a_device": "town2",
        "a_interface": "eth3",
        "b_device": "vil3",
        "b_interface": "eth1",
    }
    assert registry.get_sample_value("egovnet_circuit_info", labels) == 1


def test_tier_figures_and_migration(registry: CollectorRegistry, lab_inventory: Inventory) -> None:
    get = registry.get_sample_value
    assert get("egovnet_tier_target_speed_bytes", {"tier": "village", "year": "2025"}) == 6.25e6
    assert get("egovnet_tier_baseline_speed_bytes", {"tier": "village", "year": "2021"}) == 1.25e6
    assert get("egovnet_tier_target_speed_bytes", {"tier": "city", "year": "2025"}) is None
    assert get("egovnet_systems", {"status": "validated"}) == 1
    assert get("egovnet_systems", {"status": "retained"}) == 1
    assert get("egovnet_systems_migrated_ratio") == pytest.approx(lab_inventory.migrated_ratio)
    assert 0 < lab_inventory.migrated_ratio < 1
