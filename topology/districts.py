"""The districts of an inventory: each ``district_core`` site and the sites below it.

A site belongs to the district whose core site it reaches by following ``parent`` (towns and
departments hang off the core site, villages off their town, the cloud off the core). A city
inventory (bench/city.py) has ten; the sample district has one. Sites above the districts
(the city) or attached to none belong to no district.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from inventory.catalog import Inventory
from inventory.models import Role, Site, Tier

from .graph import Network


@dataclass(frozen=True)
class District:
    core_site: Site
    site_ids: frozenset[str]
    devices: frozenset[str]  # network devices (servers are not in the graph)
    servers: frozenset[str]

    @property
    def key(self) -> str:
        """Short name: the core site id up to its first dot (``qj`` of ``qj.core``)."""
        return self.core_site.id.split(".", 1)[0]

    @property
    def name(self) -> str:
        """The district's name: its core site's name up to 区/县/市 (``曲江区``)."""
        name = self.core_site.name
        for i, char in enumerate(name):
            if char in "区县市" and i >= 1:
                return name[: i + 1]
        return name


@dataclass(frozen=True)
class Districts:
    net: Network

    @cached_property
    def all(self) -> list[District]:
        inv = self.net.inventory
        cores = {s.id for s in inv.sites_in_tier(Tier.district_core)}
        members: dict[str, set[str]] = {c: set() for c in cores}
        for site in inv.sites:
            owner = _core_of(inv, site, cores)
            if owner is not None:
                members[owner].add(site.id)
        out = []
        for core in sorted(cores):
            sites = frozenset(members[core])
            devices = frozenset(d for s in sites for d in self.net.site_devices.get(s, ()))
            servers = frozenset(
                d.name for s in sites for d in inv.devices_at(s) if d.role is Role.server
            )
            out.append(District(inv.site(core), sites, devices, servers))
        return out

    def of_site(self, site_id: str) -> District | None:
        return next((d for d in self.all if site_id in d.site_ids), None)

    def find(self, name: str) -> District | None:
        """By key (``qj``), core site id (``qj.core``) or name (``曲江区``)."""
        for d in self.all:
            if name in (d.key, d.core_site.id, d.name, d.core_site.name):
                return d
        return None


def _core_of(inv: Inventory, site: Site, cores: set[str]) -> str | None:
    seen: set[str] = set()
    current: Site | None = site
    while current is not None and current.id not in seen:
        if current.id in cores:
            return current.id
        seen.add(current.id)
        parent = current.parent
        current = inv.site_by_id.get(parent) if parent is not None else None
    return None
