"""Readiness probes and the alerts Prometheus and Alertmanager hold, as typed records."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from base.errors import MonitorError


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return 200 <= int(resp.status) < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


def get_json(url: str, timeout: float = 5.0) -> Any:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", errors="replace")[:300]
        raise MonitorError(f"GET {url}: HTTP {exc.code}: {body}") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise MonitorError(f"GET {url}: {exc}") from exc


class PrometheusAlert(BaseModel):
    """One entry of Prometheus's /api/v1/alerts: pending or firing."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    labels: dict[str, str]
    annotations: dict[str, str] = Field(default_factory=dict)
    state: str
    active_at: datetime | None = Field(None, alias="activeAt")
    value: str | None = None

    @property
    def name(self) -> str:
        return self.labels.get("alertname", "")


class AlertmanagerStatus(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    state: str  # active, suppressed, unprocessed
    inhibited_by: list[str] = Field(default_factory=list, alias="inhibitedBy")
    silenced_by: list[str] = Field(default_factory=list, alias="silencedBy")


class AlertmanagerAlert(BaseModel):
    """One entry of Alertmanager's /api/v2/alerts."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    labels: dict[str, str]
    annotations: dict[str, str] = Field(default_factory=dict)
    status: AlertmanagerStatus
    starts_at: datetime | None = Field(None, alias="startsAt")
    receivers: list[dict[str, str]] = Field(default_factory=list)
    fingerprint: str | None = None

    @property
    def name(self) -> str:
        return self.labels.get("alertname", "")

    @property
    def receiver_names(self) -> list[str]:
        return [r.get("name", "") for r in self.receivers]


class TargetHealth(BaseModel):
    job: str
    up: int
    down: int
    unknown: int


def _validate_list(model: type[BaseModel], items: Any, url: str) -> list[Any]:
    try:
        return [model.model_validate(item) for item in items]
    except (ValidationError, TypeError) as exc:
        raise MonitorError(f"{url}: unexpected answer: {exc}") from exc


def prometheus_alerts(base_url: str) -> list[PrometheusAlert]:
    url = base_url.rstrip("/") + "/api/v1/alerts"
    body = get_json(url)
    # vmalert (behind the sharded stack's store) answers "alerts": null when there are none
    return _validate_list(PrometheusAlert, body.get("data", {}).get("alerts") or [], url)


def alertmanager_alerts(base_url: str) -> list[AlertmanagerAlert]:
    url = base_url.rstrip("/") + "/api/v2/alerts"
    return _validate_list(AlertmanagerAlert, get_json(url), url)


def prometheus_targets(base_url: str) -> list[TargetHealth]:
    url = base_url.rstrip("/") + "/api/v1/targets?state=active"
    body = get_json(url)
    by_job: dict[str, TargetHealth] = {}
    for target in body.get("data", {}).get("activeTargets", []):
        job = str(target.get("labels", {}).get("job") or target.get("scrapePool", "?"))
        health = by_job.setdefault(job, TargetHealth(job=job, up=0, down=0, unknown=0))
        state = target.get("health")
        if state == "up":
            health.up += 1
        elif state == "down":
            health.down += 1
        else:
            health.unknown += 1
    return sorted(by_job.values(), key=lambda t: t.job)


class QueryResult(BaseModel):
    """The outcome of one instant query: an error, or how many series came back."""

    ok: bool
    series: int
    error: str | None = None
    result_type: str | None = None


def instant_query(base_url: str, expr: str, at: float | None = None) -> QueryResult:
    """POST /api/v1/query; PromQL errors come back as a result, not an exception."""
    params = {"query": expr}
    if at is not None:
        params["time"] = f"{at:.3f}"
    url = base_url.rstrip("/") + "/api/v1/query"
    data = urllib.parse.urlencode(params).encode()
    request = urllib.request.Request(url, data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as resp:
            body = json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        try:
            body = json.loads(exc.read())
        except ValueError:
            return QueryResult(ok=False, series=0, error=f"HTTP {exc.code}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise MonitorError(f"POST {url}: {exc}") from exc
    if body.get("status") != "success":
        return QueryResult(ok=False, series=0, error=str(body.get("error", "unknown error")))
    data_obj = body.get("data", {})
    result = data_obj.get("result", [])
    kind = data_obj.get("resultType")
    count = len(result) if kind in {"vector", "matrix"} else 1
    return QueryResult(ok=True, series=count, result_type=kind)
