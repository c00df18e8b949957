"""The validated inventory as one object, with the lookups every layer needs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

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
        """The platform a device runs under this profile (the lab runs FRR on network devices)."""
        if device.platform is Platform.linux:
            return device.platform
        return self.profile.platform_override or device.platform

    def devices_at(self, site_id: str) -> list[Device]:
        return [d for d in self.devices if d.site == site_id]

    def devices_with_role(self, role: Role) -> list[Device]:
        return [d for d in self.devices if d.role == role]

    def sites_in_tier(self, tier: Tier) -> list[Site]:
        return [s for s in self.sites if s.tier == tier]

    def links_of(self, device_name: str) -> list[Link]:
        return [lk for lk in self.links if device_name in (lk.a.device, lk.b.device)]

    def served_site(self, link: Link) -> Site:
        """The site a link serves: the site of its downstream (b) end."""
        return self.site(self.device(link.b.device).site)

    def uplinks_of_site(self, site_id: str) -> list[Link]:
        """Links whose downstream end sits at ``site_id`` (its connections upward)."""
        names = {d.name for d in self.devices_at(site_id)}
        return [lk for lk in self.links if lk.b.device in names and lk.a.device not in names]

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
