"""The intended network as a graph: network devices as nodes, inventory links as edges.

The graph is a :class:`networkx.MultiGraph` (two parallel links between the cores are two
edges, keyed by link id). Node attributes: ``site``, ``site_name``, ``tier``, ``role``,
``platform``; edge attributes: ``id``, ``kind``, ``plane``, ``committed_mbps``.

Servers (role ``server``) have no links in the inventory: they sit on their site's LAN behind
the site's network device. They are left out of the graph; a site is reachable when any of
its network devices is, so a server shares the fate of its site.

Every link is assumed able to carry traffic in both directions (what OSPF does with default
costs): a town dual-homed to both cores can therefore also carry traffic between the cores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx

from inventory.catalog import Inventory
from inventory.models import Device, Link, Role, Site, Tier

#: Tiers from the top of a diagram to the bottom (the cloud and the cores first).
TIER_ORDER: tuple[Tier, ...] = (
    Tier.city,
    Tier.district_core,
    Tier.cloud,
    Tier.department,
    Tier.town,
    Tier.village,
)


@dataclass(frozen=True)
class Network:
    """The inventory's network devices and links, with the lookups the checks need."""

    inventory: Inventory
    graph: nx.MultiGraph = field(repr=False)

    @cached_property
    def devices(self) -> dict[str, Device]:
        """Network devices (everything but servers), by name."""
        return {d.name: d for d in self.inventory.devices if d.role is not Role.server}

    @cached_property
    def site_devices(self) -> dict[str, frozenset[str]]:
        """Every site id to the names of its network devices (empty for device-less sites)."""
        out: dict[str, set[str]] = {s.id: set() for s in self.inventory.sites}
        for dev in self.devices.values():
            out.setdefault(dev.site, set()).add(dev.name)
        return {site: frozenset(names) for site, names in out.items()}

    @cached_property
    def site_of_device(self) -> dict[str, str]:
        """Network device name -> its site id."""
        return {name: dev.site for name, dev in self.devices.items()}

    @cached_property
    def cloud_devices(self) -> frozenset[str]:
        """Network devices at government-cloud sites: the destination of every path."""
        return frozenset(
            name for name, dev in self.devices.items() if self.site_of(name).tier is Tier.cloud
        )

    @cached_property
    def endpoint_sites(self) -> tuple[Site, ...]:
        """Sites whose path to the cloud matters: every site except the cloud's own."""
        return tuple(s for s in self.inventory.sites if s.tier is not Tier.cloud)

    @cached_property
    def must_be_redundant(self) -> frozenset[str]:
        """Sites whose path to the cloud must survive any single failure.

        Sites that must be dual-homed (:meth:`Inventory.must_be_dual_homed`), the city when
        the policy wants redundant city uplinks, and the core site when it wants two cores.
        """
        inv = self.inventory
        policy = inv.policy.redundancy
        out = {s.id for s in inv.sites if inv.must_be_dual_homed(s)}
        if policy.city_uplinks >= 2:
            out |= {s.id for s in inv.sites_in_tier(Tier.city)}
        if policy.core_devices >= 2:
            out |= {s.id for s in inv.sites_in_tier(Tier.district_core)}
        return frozenset(out)

    def site_of(self, device: str) -> Site:
        return self.inventory.site(self.inventory.device(device).site)

    def link(self, link_id: str) -> Link:
        return self.inventory.link(link_id)


def build_network(inv: Inventory) -> Network:
    """The graph of ``inv``; validated inventories only (links name existing devices)."""
    graph: nx.MultiGraph = nx.MultiGraph()
    for dev in inv.devices:
        if dev.role is Role.server:
            continue
        site = inv.site(dev.site)
        graph.add_node(
            dev.name,
            site=site.id,
            site_name=site.name,
            tier=site.tier.value,
            role=dev.role.value,
            platform=inv.platform(dev).value,
        )
    for link in inv.links:
        graph.add_edge(
            link.a.device,
            link.b.device,
            key=link.id,
            id=link.id,
            kind=link.kind.value,
            plane=link.plane.value,
            committed_mbps=link.committed_mbps,
        )
    return Network(inventory=inv, graph=graph)
