"""The lab's plan from an inventory: what gets built where, and inventories it refuses."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from base.errors import InventoryErrors
from inventory.catalog import Inventory
from inventory.loader import load_inventory
from lab.plan import plan_lab
from tests.conftest import DISTRICT_INVENTORY, LAB_INVENTORY

pytestmark = pytest.mark.unit


def test_lab_profile_plan_follows_the_inventory(lab_inventory: Inventory) -> None:
    plan = plan_lab(lab_inventory)
    assert {n.name for n in plan.nodes} == {d.name for d in lab_inventory.devices}
    assert {n.name for n in plan.servers} == {"srv-cloud1", "srv-dept1"}
    assert len(plan.links) == len(lab_inventory.links)
    # access circuits are shaped to their committed rate, the backbone is not
    assert plan.link("core1-town2").shaped_mbps == 50
    assert plan.link("town2-vil3").shaped_mbps == 30
    assert plan.link("core1-cloud1").shaped_mbps is None
    # each LAN's gateway is the site's first network device, on the first host address
    lans = {lan.site: lan for lan in plan.lans}
    assert lans["gov-cloud"].gateway_device == "cloud1"
    assert str(lans["gov-cloud"].gateway) == "10.200.0.1/24"
    assert lans["dept-zsj"].servers == ("srv-dept1",)
    # every endpoint the profile lists is served in the namespace of its LAN's gateway
    served = {e.url: e.device for e in plan.endpoints}
    assert set(served) == set(lab_inventory.profile.lab_endpoints)
    assert served["http://10.210.2.14:8080/health"] == "dept2"
    assert served["http://10.200.0.13:8080/health"] == "cloud1"


def test_district_plan_renames_production_interfaces(district_inventory: Inventory) -> None:
    plan = plan_lab(district_inventory)
    renamed = [p for n in plan.nodes for p in n.ports if p.ifname != p.inventory_name]
    assert renamed, "the district uses production interface names"
    for node in plan.nodes:
        names = [p.ifname for p in node.ports]
        assert len(names) == len(set(names)), node.name
        assert all(len(n) <= 15 and "/" not in n for n in names), node.name


def _broken(tmp_path: Path, file: str, old: str, new: str) -> tuple[Path, int]:
    root = tmp_path / "inv"
    shutil.copytree(LAB_INVENTORY, root)
    target = root / file
    text = target.read_text(encoding="utf-8")
    assert text.count(old) == 1
    line = text[: text.index(old)].count("\n") + 1
    target.write_text(text.replace(old, new), encoding="utf-8")
    return root, line


def test_a_management_address_outside_the_lab_network_is_refused(tmp_path: Path) -> None:
    root, line = _broken(
        tmp_path, "devices.yaml", "mgmt_address: 172.31.250.23", "mgmt_address: 192.0.2.23"
    )
    with pytest.raises(InventoryErrors) as info:
        plan_lab(load_inventory(root))
    text = str(info.value)
    assert f"devices.yaml:{line}" in text and "mgmt_address" in text
    assert "172.31.0.0/16" in text


def test_an_endpoint_outside_every_site_lan_is_refused(tmp_path: Path) -> None:
    root, _ = _broken(
        tmp_path, "profile.yaml", "http://10.210.2.14:8080/health", "http://10.99.9.9:8080/health"
    )
    with pytest.raises(InventoryErrors) as info:
        plan_lab(load_inventory(root))
    assert "lab_endpoints" in str(info.value) and "10.99.9.9" in str(info.value)


def test_the_district_sample_is_plannable() -> None:
    assert DISTRICT_INVENTORY.is_dir()
    plan = plan_lab(load_inventory(DISTRICT_INVENTORY))
    assert len(plan.routers) > 50
