"""Typed summaries of an inventory for people (tables) and machines (JSON)."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from .catalog import Inventory
from .models import Tier


class TierSummary(BaseModel):
    tier: str
    sites: int
    baseline_mbps: int | None
    target_mbps: int | None
    circuits: int
    circuits_meeting_target: int
    sites_meeting_target: int


class CircuitRow(BaseModel):
    link: str
    site: str
    site_name: str
    tier: str
    plane: str
    carrier: str | None
    committed_mbps: int
    target_mbps: int | None
    meets_target: bool | None
    shortfall_mbps: int


class InventorySummary(BaseModel):
    profile: str
    root: str
    counts: dict[str, int]
    platforms: dict[str, int]
    tiers: list[TierSummary]
    circuits: list[CircuitRow]
    migrated_ratio: float
    migration_target_ratio: float
    systems_by_status: dict[str, int]


def summarize(inv: Inventory) -> InventorySummary:
    rows = [
        CircuitRow(
            link=c.link.id,
            site=c.site.id,
            site_name=c.site.name,
            tier=c.site.tier.value,
            plane=c.link.plane.value,
            carrier=c.link.carrier,
            committed_mbps=c.link.committed_mbps,
            target_mbps=c.target_mbps,
            meets_target=c.meets_target,
            shortfall_mbps=c.shortfall_mbps,
        )
        for c in inv.circuits
    ]
    tiers: list[TierSummary] = []
    for tier in Tier:
        sites = inv.sites_in_tier(tier)
        if not sites:
            continue
        rule = inv.policy.tiers.get(tier)
        tier_rows = [r for r in rows if r.tier == tier.value]
        failing_sites = {r.site for r in tier_rows if r.meets_target is False}
        served = {r.site for r in tier_rows}
        tiers.append(
            TierSummary(
                tier=tier.value,
                sites=len(sites),
                baseline_mbps=rule.baseline_mbps if rule else None,
                target_mbps=rule.target_mbps if rule else None,
                circuits=len(tier_rows),
                circuits_meeting_target=sum(1 for r in tier_rows if r.meets_target),
                sites_meeting_target=len(served - failing_sites),
            )
        )
    return InventorySummary(
        profile=inv.profile.name,
        root=str(inv.root),
        counts={
            "sites": len(inv.sites),
            "devices": len(inv.devices),
            "links": len(inv.links),
            "circuits": len(inv.circuits),
            "systems": len(inv.systems),
        },
        platforms=dict(Counter(inv.platform(d).value for d in inv.devices)),
        tiers=tiers,
        circuits=rows,
        migrated_ratio=round(inv.migrated_ratio, 4),
        migration_target_ratio=inv.policy.plan.migration_target_ratio,
        systems_by_status=dict(Counter(s.migration.status.value for s in inv.systems)),
    )
