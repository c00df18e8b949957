"""The validated inventory as one object, with the lookups every layer needs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from base.errors import SourceLocation

from .models import (
    MIGRATED_STATUSES,
    CredentialProfile,
    Device,
    Link,
    LinkKind,
    Platform,
    Policy,
    Profile,
    Role,
    Site,
    SnmpProfile,
    System,
    Tier,
    TierPolicy,
)
from .monitoring import Monitoring
from .yamlsource import Located, PathKey


@dataclass(frozen=True)
class Circuit:
    """A link seen from the site it serves, joined with its tier's plan figures."""

    link: Link
    site: Site
    device: Device  # the site-side (b-end) device
    baseline_mbps: int | None
    target_mbps: int | None

    @property
    def meets_target(self) -> bool | None:
        if self.target_mbps is None:
            return None
        return self.link.committed_mbps >= self.target_mbps

    @property
    def shortfall_mbps(self) -> int:
        if self.target_mbps is None:
            return 0
        return max(0, self.target_mbps - self.link.committed_mbps)


K = TypeVar("K")
V = TypeVar("V")


def _group(items: Iterable[V], key: Callable[[V], K]) -> dict[K, list[V]]:
    out: dict[K, list[V]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return out


def migrated_ratio(systems: Iterable[System]) -> float:
    """上云率 of any set of systems: migrated over all but the retained (1.0 when none count)."""
    counted = [s for s in systems if s.migration.status.value != "retained"]
    if not counted:
        return 1.0
    done = sum(1 for s in counted if s.migration.status in MIGRATED_STATUSES)
    return done / len(counted)


@dataclass(frozen=True)
class Inventory:
    """Sites, devices, links, systems and policies of one district, already validated."""

    root: Path
    profile: Profile
    policy: Policy
    sites: tuple[Site, ...]
    devices: tuple[Device, ...]
    links: tuple[Link, ...]
    systems: tuple[System, ...]
    snmp_profiles: tuple[SnmpProfile, ...]
    credential_profiles: tuple[CredentialProfile, ...]
    monitoring: Monitoring = field(default_factory=Monitoring)
    sources: dict[tuple[str, str], tuple[Located, PathKey]] = field(
        default_factory=dict, compare=False, repr=False
    )

    # --- lookups -----------------------------------------------------------------------
    @cached_property
    def site_by_id(self) -> dict[str, Site]:
        return {s.id: s for s in self.sites}

    @cached_property
    def device_by_name(self) -> dict[str, Device]:
        return {d.name: d for d in self.devices}

    @cached_property
    def link_by_id(self) -> dict[str, Link]:
        return {link.id: link for link in self.links}

    @cached_property
    def system_by_id(self) -> dict[str, System]:
        return {s.id: s for s in self.systems}

    @cached_property
    def snmp_profile_by_name(self) -> dict[str, SnmpProfile]:
        return {p.name: p for p in self.snmp_profiles}

    @cached_property
    def credential_profile_by_name(self) -> dict[str, CredentialProfile]:
        return {p.name: p for p in self.credential_profiles}

    def site(self, site_id: str) -> Site:
        return self.site_by_id[site_id]

    def device(self, name: str) -> Device:
        return self.device_by_name[name]

    def link(self, link_id: str) -> Link:
        return self.link_by_id[link_id]

    def platform(self, device: Device) -> Platform:
        """The platform a device runs under this profile (the lab runs FRR on network devices,
        except those the profile's ``keep_platform`` names)."""
        if device.platform is Platform.linux or device.name in self._kept:
            return device.platform
        return self.profile.platform_override or device.platform

    def devices_at(self, site_id: str) -> list[Device]:
        return list(self._devices_by_site.get(site_id, ()))

    def devices_with_role(self, role: Role) -> list[Device]:
        return list(self._devices_by_role.get(role, ()))

    def sites_in_tier(self, tier: Tier) -> list[Site]:
        return list(self._sites_by_tier.get(tier, ()))

    def links_of(self, device_name: str) -> list[Link]:
        return list(self._links_by_device.get(device_name, ()))

    def served_site(self, link: Link) -> Site:
        """The site a link serves: the site of its downstream (b) end."""
        return self.site(self.device(link.b.device).site)

    def uplinks_of_site(self, site_id: str) -> list[Link]:
        """Links whose downstream end sits at ``site_id`` (its connections upward)."""
        return list(self._uplinks_by_site.get(site_id, ()))

    # --- indexes behind the lookups (built once: a city has thousands of each) ---------
    @cached_property
    def _kept(self) -> frozenset[str]:
        return frozenset(self.profile.keep_platform)

    @cached_property
    def _devices_by_site(self) -> dict[str, list[Device]]:
        return _group(self.devices, lambda d: d.site)

    @cached_property
    def _devices_by_role(self) -> dict[Role, list[Device]]:
        return _group(self.devices, lambda d: d.role)

    @cached_property
    def _sites_by_tier(self) -> dict[Tier, list[Site]]:
        return _group(self.sites, lambda s: s.tier)

    @cached_property
    def _links_by_device(self) -> dict[str, list[Link]]:
        out: dict[str, list[Link]] = {}
        for link in self.links:
            out.setdefault(link.a.device, []).append(link)
            if link.b.device != link.a.device:
                out.setdefault(link.b.device, []).append(link)
        return out

    @cached_property
    def _uplinks_by_site(self) -> dict[str, list[Link]]:
        # a link is an uplink of its b end's site when its a end is elsewhere (or unknown:
        # this also runs on inventories that failed validation)
        site_of = {d.name: d.site for d in self.devices}
        out: dict[str, list[Link]] = {}
        for link in self.links:
            down = site_of.get(link.b.device)
            if down is not None and site_of.get(link.a.device) != down:
                out.setdefault(down, []).append(link)
        return out

    def tier_policy(self, tier: Tier) -> TierPolicy:
        return self.policy.tiers[tier]

    def must_be_dual_homed(self, site: Site) -> bool:
        tier_rule = self.policy.tiers.get(site.tier)
        if tier_rule is not None and tier_rule.dual_homed:
            return True
        return site.important and self.policy.redundancy.important_dual_homed

    @cached_property
    def circuits(self) -> tuple[Circuit, ...]:
        """Every access circuit with its site and the plan figures of the site's tier."""
        out: list[Circuit] = []
        for link in self.links:
            if link.kind is not LinkKind.access:
                continue
            site = self.served_site(link)
            rule = self.policy.tiers.get(site.tier)
            out.append(
                Circuit(
                    link=link,
                    site=site,
                    device=self.device(link.b.device),
                    baseline_mbps=rule.baseline_mbps if rule else None,
                    target_mbps=rule.target_mbps if rule else None,
                )
            )
        return tuple(out)

    @property
    def migrated_ratio(self) -> float:
        return migrated_ratio(self.systems)

    def location(self, kind: str, key: str, *sub: str | int) -> SourceLocation:
        """Where a value was declared: ``location("link", "L1", "b", "device")``."""
        found = self.sources.get((kind, key))
        if found is None:
            return SourceLocation(str(self.root), 1, ".".join([kind, key, *map(str, sub)]))
        located, path = found
        return located.at((*path, *sub))
