"""The knobs of a generated monitoring configuration, validated once at the edge."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from base.durations import parse_duration
from base.errors import MonitorConfigError
from base.hostport import parse_host_port

#: Job names the alert rules refer to (``up{job="egovnet-snmp"}``); change both together.
SNMP_JOB = "egovnet-snmp"
EXPORTER_JOB = "egovnet-exporter"


def split_host_port(value: str, field: str = "address") -> tuple[str, int]:
    """A component's address; a bad one is a MonitorConfigError naming ``field``."""
    try:
        return parse_host_port(value)
    except ValueError:
        raise MonitorConfigError(
            f"{field}: {value!r} is not HOST:PORT (e.g. 127.0.0.1:9090)"
        ) from None


class MonitorOptions(BaseModel):
    """Everything `egovnet monitor config` and `monitor up` let the user choose."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    exporter_address: str = Field("127.0.0.1:9516", description="where Prometheus scrapes it")
    prometheus_address: str = "127.0.0.1:9090"
    alertmanager_address: str = "127.0.0.1:9093"
    webhook_url: str | None = Field(
        "http://127.0.0.1:9095/alerts", description="every paging/ticket receiver posts here"
    )
    scrape_interval: str = "15s"
    evaluation_interval: str = "15s"
    alert_for_scale: float = Field(1.0, gt=0, le=100)
    alert_for: dict[str, str] = Field(
        default_factory=dict, description="alert name -> exact `for:` in the generated copy"
    )
    runbook_base: str | None = None
    group_wait: str = "30s"
    group_interval: str = "5m"
    repeat_interval: str = "4h"

    @field_validator("exporter_address", "prometheus_address", "alertmanager_address")
    @classmethod
    def _host_port(cls, value: str) -> str:
        split_host_port(value)
        return value

    @field_validator(
        "scrape_interval", "evaluation_interval", "group_wait", "group_interval", "repeat_interval"
    )
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @field_validator("alert_for")
    @classmethod
    def _durations(cls, value: dict[str, str]) -> dict[str, str]:
        for name, duration in value.items():
            parse_duration(duration, f"alert_for[{name}]")
        return value

    @field_validator("webhook_url", "runbook_base")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme not in {"http", "https", "file"} or not (parts.netloc or parts.path):
                raise ValueError(f"{value!r} is not an http(s) or file URL")
        return value

    @property
    def scrape_timeout(self) -> str:
        """The scrape interval, capped at 10 s (an SNMP poll that slow has failed anyway)."""
        ms = min(parse_duration(self.scrape_interval), 10_000)
        return f"{ms}ms" if ms % 1000 else f"{ms // 1000}s"

    @classmethod
    def build(cls, **values: Any) -> MonitorOptions:
        """Validate user input; the first problem becomes one line naming the option."""
        try:
            return cls(**{k: v for k, v in values.items() if v is not None})
        except ValidationError as exc:
            err = exc.errors()[0]
            field = "--" + "-".join(str(p) for p in err["loc"][:1]).replace("_", "-")
            detail = ".".join(str(p) for p in err["loc"][1:])
            where = f"{field}[{detail}]" if detail else field
            message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
            raise MonitorConfigError(f"{where}: {message}") from None


def parse_overrides(pairs: list[str]) -> dict[str, str]:
    """``["CircuitSaturated=1m", ...]`` from ``--alert-for NAME=DURATION`` options."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, duration = pair.partition("=")
        if not sep or not name.strip() or not duration.strip():
            raise MonitorConfigError(
                f"--alert-for: {pair!r} is not NAME=DURATION (e.g. CircuitSaturated=1m)"
            )
        out[name.strip()] = duration.strip()
    return out
