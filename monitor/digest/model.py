"""The daily digest as data: what the JSON output holds and what the message is rendered from."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class SiteGap(BaseModel):
    """A site whose circuit is bought below its tier's plan target."""

    site: str
    site_name: str
    committed_mbps: int
    target_mbps: int
    shortfall_mbps: int


class TierProgress(BaseModel):
    """One tier against its target: by the committed rates, and by the last measurements."""

    tier: str
    sites: int
    target_mbps: int | None
    meeting: int  # sites none of whose circuits is bought below the target
    tested: int  # sites with at least one bandwidth measurement on record
    tested_meeting: int  # of those, sites no measurement of which fell short
    gaps: list[SiteGap]


class Coverage(BaseModel):
    """Sites with a path to the government cloud (区、镇、村三级100%全覆盖)."""

    sites: int
    connected: int
    ratio: float
    target_ratio: float
    unconnected: list[str]  # site names


class CloudMigration(BaseModel):
    """上云率 as playbooks.migration reports it."""

    total: int
    counted: int
    migrated: int
    ratio: float
    verified_ratio: float | None
    baseline_ratio: float
    target_ratio: float
    plan_state: str
    blocked: int  # systems not migrated that have at least one blocker
    pending: list[str]  # names of the systems still to move


class Assessment(BaseModel):
    """A 等保测评 overdue (``days`` past the due date) or due soon (``days`` left)."""

    system: str
    name: str
    due: date
    days: int


class FailingSystem(BaseModel):
    system: str
    name: str
    failed: int


class MlpsStatus(BaseModel):
    """等保 from the audit store (controls) and the inventory's records (assessments)."""

    systems: int  # 等保 objects: the extranet and every recorded system
    checked: int  # of those, with stored audit results
    passed: int
    failed: int
    manual: int
    pass_rate: float | None
    failing: list[FailingSystem]
    overdue: list[Assessment]
    due_soon: list[Assessment]
    due_soon_days: int
    never_assessed: list[str]
    unfiled: list[str]  # recorded systems without a filing number (备案)


class OpenAlert(BaseModel):
    name: str
    severity: str
    site: str
    site_name: str
    summary: str
    summary_zh: str
    since: datetime | None


class AlertsStatus(BaseModel):
    """Open alerts of the running stack; ``reachable`` False when neither API answered."""

    reachable: bool
    source: str | None  # alertmanager | prometheus
    url: str | None
    error: str | None
    alerts: list[OpenAlert]

    def count(self, severity: str) -> int:
        return sum(1 for a in self.alerts if a.severity == severity)


class Digest(BaseModel):
    district: str
    generated_at: datetime
    zone: str
    target_year: int
    tiers: list[TierProgress]
    coverage: Coverage
    cloud: CloudMigration
    mlps: MlpsStatus
    alerts: AlertsStatus
