"""The NOC stack at a glance: each component's health, the targets, the alerts, and what
the chat receivers delivered (failed deliveries are problems)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from base.errors import MonitorError

from .health import (
    AlertmanagerAlert,
    TargetHealth,
    alertmanager_alerts,
    http_ok,
    prometheus_alerts,
    prometheus_targets,
)
from .robots.deliver import FailedDelivery, read_deliveries
from .stack import StackLayout, in_start_order, is_running, load_state


class ComponentStatus(BaseModel):
    name: str
    pid: int | None
    running: bool
    ready: bool
    address: str | None
    log: str | None


class AlertRow(BaseModel):
    """One alert Prometheus holds, with what Alertmanager made of it."""

    name: str
    severity: str
    state: str  # pending / firing (Prometheus)
    delivery: str  # active / suppressed (inhibited or silenced) / not received
    site: str
    site_name: str
    subject: str  # the link or device it is about
    since: datetime | None
    summary: str
    receivers: list[str]


class DeliveryRow(BaseModel):
    """One chat receiver (robot): messages delivered, and those that failed every retry."""

    receiver: str
    kind: str
    delivered: int
    merged: int
    failed: int
    last_delivered_at: datetime | None
    failures: list[FailedDelivery]


class StackStatus(BaseModel):
    components: list[ComponentStatus]
    targets: list[TargetHealth]
    alerts: list[AlertRow]
    deliveries: list[DeliveryRow]
    problems: list[str]

    @property
    def healthy(self) -> bool:
        return bool(self.components) and all(c.running and c.ready for c in self.components)


def _delivery(labels: dict[str, str], am: list[AlertmanagerAlert]) -> tuple[str, list[str]]:
    for alert in am:
        if all(alert.labels.get(k) == v for k, v in labels.items()):
            return alert.status.state, alert.receiver_names
    return "not received", []


def _scraper_targets(components: list[ComponentStatus]) -> list[TargetHealth]:
    """Each running scraper's targets, its name beside the job (replicas count twice)."""
    found: list[TargetHealth] = []
    for c in components:
        if c.name.startswith("scraper-") and c.ready and c.address:
            for t in prometheus_targets(f"http://{c.address}"):
                found.append(t.model_copy(update={"job": f"{t.job} ({c.name})"}))
    return found


def stack_status(layout: StackLayout) -> StackStatus:
    state = load_state(layout)
    components: list[ComponentStatus] = []
    for name in in_start_order(state.components):
        record = state.components[name]
        running = is_running(record)
        components.append(
            ComponentStatus(
                name=name,
                pid=record.pid,
                running=running,
                ready=running and http_ok(record.ready_url),
                address=record.address,
                log=record.log,
            )
        )
    problems: list[str] = []
    targets: list[TargetHealth] = []
    rows: list[AlertRow] = []
    # the query endpoint: Prometheus, or the sharded stack's store (alerts proxied to vmalert)
    prom_ready = any(c.name in {"prometheus", "store"} and c.ready for c in components)
    am_ready = any(c.name == "alertmanager" and c.ready for c in components)
    if prom_ready and state.prometheus_url:
        try:
            targets = prometheus_targets(state.prometheus_url) + _scraper_targets(components)
            am: list[AlertmanagerAlert] = []
            if am_ready and state.alertmanager_url:
                am = alertmanager_alerts(state.alertmanager_url)
            for alert in prometheus_alerts(state.prometheus_url):
                delivery, receivers = _delivery(alert.labels, am)
                labels = alert.labels
                rows.append(
                    AlertRow(
                        name=alert.name,
                        severity=labels.get("severity", ""),
                        state=alert.state,
                        delivery=delivery,
                        site=labels.get("site", ""),
                        site_name=labels.get("site_name", ""),
                        subject=labels.get("link")
                        or labels.get("device")
                        or labels.get("instance", ""),
                        since=alert.active_at,
                        summary=alert.annotations.get("summary", ""),
                        receivers=receivers,
                    )
                )
        except MonitorError as exc:
            problems.append(str(exc))
    order = {"critical": 0, "warning": 1, "info": 2}
    rows.sort(key=lambda r: (r.state != "firing", order.get(r.severity, 3), r.site, r.name))
    for c in components:
        if not c.running:
            problems.append(f"{c.name} (pid {c.pid}) is not running; see {c.log}")
        elif not c.ready:
            problems.append(f"{c.name} at {c.address} does not answer ready")
    deliveries = _deliveries(layout)
    for d in deliveries:
        if d.failures:
            last = d.failures[-1]
            problems.append(
                f"{d.receiver}: {d.failed} deliveries failed; last {last.title!r} after"
                f" {last.attempts} attempts: {last.error}"
            )
    return StackStatus(
        components=components,
        targets=targets,
        alerts=rows,
        deliveries=deliveries,
        problems=problems,
    )


def _deliveries(layout: StackLayout) -> list[DeliveryRow]:
    state = read_deliveries(layout.deliveries_file)
    return [
        DeliveryRow(
            receiver=name,
            kind=r.kind,
            delivered=r.delivered,
            merged=r.merged,
            failed=r.failed,
            last_delivered_at=r.last_delivered_at,
            failures=r.failures,
        )
        for name, r in sorted(state.receivers.items())
    ]
