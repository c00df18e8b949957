"""Which 等保 system an asset belongs to, and at which level it is checked.

Servers belong to the systems whose ``hosts`` list them (a server shared by several systems is
checked at the highest of their levels and reported once per system). Network devices - and
servers that host no recorded system - belong to the extranet itself, a level 2 object
(seed 002: 按计划开展政务外网与政务信息系统安全等保二级工作); its level can be raised per run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from inventory.catalog import Inventory
from inventory.models import Device, Role, System

from .controls import AssetType, effective_level

EXTRANET_ID = "EXTRANET"


@dataclass(frozen=True)
class SystemRef:
    """The parts of a 等保 object the audit rows and summaries need."""

    id: str
    name: str
    level: int
    owner: str
    department: str
    filing_number: str | None = None
    last_assessment: date | None = None
    next_due: date | None = None
    migration_status: str | None = None

    @property
    def check_level(self) -> int:
        return effective_level(self.level)


def extranet(inv: Inventory, level: int = 2) -> SystemRef:
    """The extranet as a 等保 object; its owner is the bureau that runs the network core."""
    core_sites = [s for s in inv.sites if s.tier.value == "district_core"]
    owner = "区政务服务数据管理局"
    return SystemRef(
        id=EXTRANET_ID,
        name="电子政务外网",
        level=level,
        owner=owner,
        department=core_sites[0].id if core_sites else "",
    )


def system_ref(system: System) -> SystemRef:
    return SystemRef(
        id=system.id,
        name=system.name,
        level=system.mlps.level,
        owner=system.owner,
        department=system.department,
        filing_number=system.mlps.filing_number,
        last_assessment=system.mlps.last_assessment,
        next_due=system.mlps.next_due,
        migration_status=system.migration.status.value,
    )


def asset_type(device: Device) -> AssetType:
    return AssetType.linux_server if device.role is Role.server else AssetType.network_device


def systems_of(inv: Inventory, device: Device, network_level: int = 2) -> list[SystemRef]:
    """The systems an asset is reported under (the extranet when it hosts none)."""
    if asset_type(device) is AssetType.linux_server:
        refs = [system_ref(s) for s in inv.systems if device.name in s.hosts]
        if refs:
            return refs
    return [extranet(inv, network_level)]


def check_level(inv: Inventory, device: Device, network_level: int = 2) -> int:
    """The level an asset is checked at: the highest of its systems (checked as 2 or 3)."""
    return max(ref.check_level for ref in systems_of(inv, device, network_level))


def all_system_refs(inv: Inventory, network_level: int = 2) -> list[SystemRef]:
    return [extranet(inv, network_level), *(system_ref(s) for s in inv.systems)]
