"""Typed results of the topology checks: violations with severity and the sites they affect."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from inventory.catalog import Inventory
from inventory.models import Site

from .graph import TIER_ORDER


class Severity(StrEnum):
    """``must`` fails the check (exit 1); ``should`` and ``info`` are reported only."""

    must = "must"
    should = "should"
    info = "info"


SEVERITY_ORDER = {Severity.must: 0, Severity.should: 1, Severity.info: 2}


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class SiteRef(Record):
    id: str
    name: str
    tier: str
    must_be_redundant: bool

    @classmethod
    def of(cls, site: Site, must: frozenset[str]) -> SiteRef:
        return cls(
            id=site.id, name=site.name, tier=site.tier.value, must_be_redundant=site.id in must
        )


class Violation(Record):
    rule: str
    severity: Severity
    message: str
    sites: list[SiteRef]
    links: list[str] = []
    devices: list[str] = []


class CheckReport(Record):
    inventory: str
    profile: str
    violations: list[Violation]

    @property
    def passed(self) -> bool:
        """True when no must-rule fails."""
        return not any(v.severity is Severity.must for v in self.violations)

    def count(self, severity: Severity) -> int:
        return sum(1 for v in self.violations if v.severity is severity)


def site_refs(
    inv: Inventory, site_ids: set[str] | frozenset[str], must: frozenset[str]
) -> list[SiteRef]:
    """Sites in a stable order: tier (top to bottom of the network), then id."""
    rank = {tier: i for i, tier in enumerate(TIER_ORDER)}
    sites = sorted((inv.site(s) for s in site_ids), key=lambda s: (rank[s.tier], s.id))
    return [SiteRef.of(s, must) for s in sites]
