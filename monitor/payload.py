"""Alertmanager's webhook payload (version 4), as the receiver and the robots read it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class WebhookAlert(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    status: str
    labels: dict[str, str]
    annotations: dict[str, str] = Field(default_factory=dict)
    starts_at: datetime | None = Field(None, alias="startsAt")
    ends_at: datetime | None = Field(None, alias="endsAt")
    fingerprint: str | None = None


class WebhookNotification(BaseModel):
    """Alertmanager's webhook payload (version 4)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    receiver: str
    status: str
    alerts: list[WebhookAlert]
    group_labels: dict[str, str] = Field(default_factory=dict, alias="groupLabels")
    common_labels: dict[str, str] = Field(default_factory=dict, alias="commonLabels")
    group_key: str | None = Field(None, alias="groupKey")
    truncated_alerts: int = Field(0, alias="truncatedAlerts")

    @property
    def alert_names(self) -> list[str]:
        return sorted({a.labels.get("alertname", "") for a in self.alerts})
