"""Gather the digest from the inventory, the state directory's stores and the running stack.

Every figure comes from the function the rest of the project already uses for it:

* tier targets by committed rate: :func:`inventory.views.summarize`
* measured bandwidth: the last results of :class:`bandwidth.store.BandwidthStore`
* coverage: :func:`topology.reachability.connected_sites`
* 上云率 and blockers: :func:`playbooks.migration.migration_report` (through the audit dataset)
* 等保 controls and overdue assessments: :func:`playbooks.export.build_dataset`
* open alerts: :func:`monitor.health.alertmanager_alerts`, else
  :func:`monitor.health.prometheus_alerts`

The stack is optional: when neither API answers, the digest says so and carries the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bandwidth.assess import BandwidthResult
from bandwidth.store import BandwidthStore
from base.errors import MonitorError
from inventory.catalog import Inventory
from inventory.models import MIGRATED_STATUSES, MigrationStatus, Tier
from inventory.views import CircuitRow, summarize
from playbooks.assets import EXTRANET_ID
from playbooks.export import build_dataset
from playbooks.export.dataset import AuditDataset
from playbooks.export.localtime import zone
from playbooks.results import pass_rate
from playbooks.store import AuditPaths
from topology.graph import build_network
from topology.reachability import connected_sites

from ..health import alertmanager_alerts, prometheus_alerts
from ..options import MonitorOptions
from ..stack import StackLayout, load_state
from .model import (
    AlertsStatus,
    Assessment,
    CloudMigration,
    Coverage,
    Digest,
    FailingSystem,
    MlpsStatus,
    OpenAlert,
    SiteGap,
    TierProgress,
)

#: An assessment due within this many days is listed as due soon.
DUE_SOON_DAYS = 30
#: The tiers the plan sets access targets and coverage for (区、镇、村).
ACCESS_TIERS = (Tier.department, Tier.town, Tier.village)


@dataclass(frozen=True)
class StackUrls:
    """Where the open alerts are asked for; None: not known."""

    alertmanager: str | None
    prometheus: str | None


def stack_urls(
    state_dir: Path, alertmanager: str | None = None, prometheus: str | None = None
) -> StackUrls:
    """Given URLs first, then those `monitor up` recorded, then the default loopback ports."""
    recorded = load_state(StackLayout(state_dir))
    defaults = MonitorOptions()
    return StackUrls(
        alertmanager=alertmanager
        or recorded.alertmanager_url
        or f"http://{defaults.alertmanager_address}",
        prometheus=prometheus or recorded.prometheus_url or f"http://{defaults.prometheus_address}",
    )


def build_digest(
    inv: Inventory,
    state_dir: Path,
    urls: StackUrls,
    *,
    now: datetime | None = None,
) -> Digest:
    schedule = inv.monitoring.digest
    tz = zone(schedule.timezone)
    at = (now or datetime.now().astimezone()).astimezone(tz)
    data = build_dataset(inv, AuditPaths(state_dir), now=at, timezone=schedule.timezone)
    return Digest(
        district=inv.profile.description or inv.profile.name,
        generated_at=at,
        zone=schedule.timezone,
        target_year=inv.policy.plan.target_year,
        tiers=tier_progress(inv, BandwidthStore(state_dir).last().values()),
        coverage=coverage(inv),
        cloud=cloud_migration(data),
        mlps=mlps_status(data, at.date()),
        alerts=open_alerts(urls),
    )


def _gap(rows: list[CircuitRow]) -> SiteGap | None:
    """A site's worst circuit short of its target (None: none is short)."""
    short = [(r, r.target_mbps) for r in rows if r.meets_target is False and r.target_mbps]
    if not short:
        return None
    worst, target = max(short, key=lambda pair: pair[0].shortfall_mbps)
    return SiteGap(
        site=worst.site,
        site_name=worst.site_name,
        committed_mbps=worst.committed_mbps,
        target_mbps=target,
        shortfall_mbps=worst.shortfall_mbps,
    )


def tier_progress(inv: Inventory, measured: Iterable[BandwidthResult]) -> list[TierProgress]:
    summary = summarize(inv)
    verdicts: dict[str, list[bool]] = {}
    for result in measured:
        if result.meets_target is not None:
            verdicts.setdefault(result.site, []).append(result.meets_target)
    rows_of: dict[str, list[CircuitRow]] = {}
    for row in summary.circuits:
        rows_of.setdefault(row.site, []).append(row)
    out: list[TierProgress] = []
    for tier in summary.tiers:
        if tier.target_mbps is None or tier.tier not in {t.value for t in ACCESS_TIERS}:
            continue
        sites = [s.id for s in inv.sites_in_tier(Tier(tier.tier))]
        tested = [s for s in sites if s in verdicts]
        gaps = [gap for site in sites if (gap := _gap(rows_of.get(site, []))) is not None]
        gaps.sort(key=lambda g: (-g.shortfall_mbps, g.site))
        out.append(
            TierProgress(
                tier=tier.tier,
                sites=tier.sites,
                target_mbps=tier.target_mbps,
                meeting=tier.sites_meeting_target,
                tested=len(tested),
                tested_meeting=sum(1 for s in tested if all(verdicts[s])),
                gaps=gaps,
            )
        )
    return out


def coverage(inv: Inventory) -> Coverage:
    net = build_network(inv)
    reached = connected_sites(net)
    sites = [s for s in net.endpoint_sites if s.tier in ACCESS_TIERS]
    connected = [s for s in sites if s.id in reached]
    return Coverage(
        sites=len(sites),
        connected=len(connected),
        ratio=round(len(connected) / len(sites), 4) if sites else 1.0,
        target_ratio=inv.policy.plan.coverage_target_ratio,
        unconnected=[s.name for s in sites if s.id not in reached],
    )


def cloud_migration(data: AuditDataset) -> CloudMigration:
    report = data.migration
    pending = [
        line
        for line in report.systems
        if line.status not in MIGRATED_STATUSES and line.status is not MigrationStatus.retained
    ]
    return CloudMigration(
        total=report.total,
        counted=report.counted,
        migrated=report.migrated,
        ratio=report.ratio,
        verified_ratio=report.verified_ratio,
        baseline_ratio=report.baseline_ratio,
        target_ratio=report.target_ratio,
        plan_state=report.plan_state,
        blocked=len({b.system_id for b in report.blockers}),
        pending=[line.name for line in pending],
    )


def mlps_status(data: AuditDataset, today: date) -> MlpsStatus:
    summaries = data.summaries
    records = [s for s in summaries if s.system.id != EXTRANET_ID]  # the extranet has no record
    overdue = [
        Assessment(system=s.system.id, name=s.system.name, due=due, days=s.overdue_days)
        for s in records
        if s.overdue_days is not None and (due := s.system.next_due) is not None
    ]
    due_soon = [
        Assessment(system=s.system.id, name=s.system.name, due=due, days=(due - today).days)
        for s in records
        if (due := s.system.next_due) is not None and 0 <= (due - today).days <= DUE_SOON_DAYS
    ]
    overdue.sort(key=lambda a: (-a.days, a.system))
    due_soon.sort(key=lambda a: (a.days, a.system))
    failing = [
        FailingSystem(system=s.system.id, name=s.system.name, failed=s.failed)
        for s in summaries
        if s.failed
    ]
    failing.sort(key=lambda f: (-f.failed, f.system))
    return MlpsStatus(
        systems=len(summaries),
        checked=sum(1 for s in summaries if s.checks),
        passed=sum(s.passed for s in summaries),
        failed=sum(s.failed for s in summaries),
        manual=sum(s.manual for s in summaries),
        pass_rate=pass_rate(data.rows),
        failing=failing,
        overdue=overdue,
        due_soon=due_soon,
        due_soon_days=DUE_SOON_DAYS,
        never_assessed=[s.system.name for s in records if s.system.last_assessment is None],
        unfiled=[s.system.name for s in records if not s.system.filing_number],
    )


_SEVERITY_ORDER = {"critical": 0, "warning": 1, "info": 2}


def _ordered(alerts: list[OpenAlert]) -> list[OpenAlert]:
    return sorted(alerts, key=lambda a: (_SEVERITY_ORDER.get(a.severity, 3), a.site, a.name))


def _alert(labels: dict[str, str], notes: dict[str, str], since: datetime | None) -> OpenAlert:
    return OpenAlert(
        name=labels.get("alertname", ""),
        severity=labels.get("severity", ""),
        site=labels.get("site", ""),
        site_name=labels.get("site_name", ""),
        summary=notes.get("summary", ""),
        summary_zh=notes.get("summary_zh", ""),
        since=since,
    )


def _from_alertmanager(url: str) -> list[OpenAlert]:
    got = alertmanager_alerts(url)
    return [_alert(a.labels, a.annotations, a.starts_at) for a in got if a.status.state == "active"]


def _from_prometheus(url: str) -> list[OpenAlert]:
    got = prometheus_alerts(url)
    return [_alert(a.labels, a.annotations, a.active_at) for a in got if a.state == "firing"]


def open_alerts(urls: StackUrls) -> AlertsStatus:
    """Active alerts (not silenced or inhibited) from Alertmanager; firing ones from
    Prometheus when Alertmanager does not answer; neither: unreachable, with both errors."""
    errors: list[str] = []
    sources = (
        ("alertmanager", urls.alertmanager, _from_alertmanager),
        ("prometheus", urls.prometheus, _from_prometheus),
    )
    for source, url, fetch in sources:
        if not url:
            continue
        try:
            alerts = fetch(url)
        except MonitorError as exc:
            errors.append(str(exc))
            continue
        error = "; ".join(errors) or None
        return AlertsStatus(
            reachable=True, source=source, url=url, error=error, alerts=_ordered(alerts)
        )
    return AlertsStatus(
        reachable=False,
        source=None,
        url=urls.alertmanager or urls.prometheus,
        error="; ".join(errors) or "no Alertmanager or Prometheus address",
        alerts=[],
    )
