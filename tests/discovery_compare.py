"""What a drafted inventory must share with the inventory of the network it was drawn from."""

from __future__ import annotations

from inventory.catalog import Inventory
from inventory.models import Role

LinkFacts = tuple[str, str, str, str, str, str, str, str]


def network_devices(inv: Inventory) -> set[tuple[str, str, str | None, str, str]]:
    """Name, management and loopback address, platform and role of every network device
    (servers run no LLDP: discovery cannot see them)."""
    return {
        (d.name, str(d.mgmt_address), str(d.loopback) if d.loopback else None, d.platform.value,
         d.role.value)
        for d in inv.devices
        if d.role is not Role.server
    }  # fmt: skip


def link_facts(inv: Inventory) -> set[LinkFacts]:
    """Both ends (device, interface, address), upstream end first, kind and plane."""
    return {
        (lk.a.device, lk.a.interface, str(lk.a.address), lk.b.device, lk.b.interface,
         str(lk.b.address), lk.kind.value, lk.plane.value)
        for lk in inv.links
    }  # fmt: skip
