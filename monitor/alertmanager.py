"""alertmanager.yml: who hears what, and how often.

Routing (first match wins):

==========================================  ============  ===================================
alerts                                      receiver      why
==========================================  ============  ===================================
severity=info (CircuitBelowPlanTarget)      planning      planning data: kept, never sent
critical at city/district core/cloud tiers  core-oncall   the whole district depends on it
ExporterDown                                core-oncall   the NOC is blind
other critical (SiteIsolated of a town...)  noc-page      a site is off the extranet
everything else (warning)                   noc-ticket    work for the day shift
==========================================  ============  ===================================

Notifications are grouped per site (``group_by: [district, site]``): cutting one town's uplink
raises LinkDown and RedundancyLost for that town and arrives as one message. Inhibitions drop
what a bigger alert already explains (an isolated site's link and device alerts; the warning
twin of a critical saturation; device alerts while the exporter itself is down; lost
redundancy everywhere while a core device is down).

The inventory's ``monitoring.receivers`` join every receiver but ``planning``: robots
(WeCom group, DingTalk, Feishu) as one more webhook each, to the egovnet receiver's
``/robots/NAME`` on the same host as ``webhook_url``; WeCom applications as Alertmanager's own
``wechat_configs`` with egovnet's template (``templates/``), the on-call added on the
critical receivers (``core-oncall``, ``noc-page``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from base.errors import MonitorConfigError
from inventory.monitoring import AlertReceiver, ReceiverKind

from .options import MonitorOptions
from .robots.wechat import wechat_config
from .yamltext import dump_yaml

RECEIVERS = ("core-oncall", "noc-page", "noc-ticket", "planning")
CRITICAL_RECEIVERS = ("core-oncall", "noc-page")
CORE_TIERS = ("city", "district_core", "cloud")
#: Where generate() puts egovnet's notification templates, relative to alertmanager.yml.
TEMPLATES_DIR = "templates"


class WebhookConfig(BaseModel):
    url: str
    send_resolved: bool = True
    max_alerts: int = 0


class Receiver(BaseModel):
    name: str
    webhook_configs: list[WebhookConfig] | None = None
    wechat_configs: list[dict[str, Any]] | None = None


class Route(BaseModel):
    receiver: str | None = None
    matchers: list[str] | None = None
    group_by: list[str] | None = None
    group_wait: str | None = None
    group_interval: str | None = None
    repeat_interval: str | None = None
    continue_: bool | None = Field(None, alias="continue")
    routes: list[Route] | None = None

    model_config = ConfigDict(populate_by_name=True)


class InhibitRule(BaseModel):
    source_matchers: list[str]
    target_matchers: list[str]
    equal: list[str] | None = None


class GlobalConfig(BaseModel):
    resolve_timeout: str = "5m"


class AlertmanagerConfig(BaseModel):
    global_: GlobalConfig = Field(default_factory=GlobalConfig, alias="global")
    templates: list[str] | None = None
    route: Route
    receivers: list[Receiver]
    inhibit_rules: list[InhibitRule]

    model_config = ConfigDict(populate_by_name=True)

    def render(self, header: str | None = None) -> str:
        return dump_yaml(self.model_dump(by_alias=True, exclude_none=True), header)


def robot_url(webhook_url: str, name: str) -> str:
    """The egovnet receiver's address for robot ``name``, beside ``webhook_url``."""
    parts = urlsplit(webhook_url)
    return f"{parts.scheme}://{parts.netloc}/robots/{name}"


def _receiver(name: str, options: MonitorOptions, chat: Sequence[AlertReceiver]) -> Receiver:
    if name == "planning":
        return Receiver(name=name)
    hooks: list[WebhookConfig] = []
    if options.webhook_url is not None:
        hooks.append(WebhookConfig(url=options.webhook_url))
        hooks += [
            WebhookConfig(url=robot_url(options.webhook_url, r.name)) for r in chat if r.is_robot
        ]
    apps = [
        wechat_config(r, critical=name in CRITICAL_RECEIVERS)
        for r in chat
        if r.kind is ReceiverKind.wecom_app
    ]
    return Receiver(name=name, webhook_configs=hooks or None, wechat_configs=apps or None)


def alertmanager_config(
    options: MonitorOptions, chat: Sequence[AlertReceiver] = ()
) -> AlertmanagerConfig:
    """The routes of the module docstring; ``chat`` are the inventory's receivers."""
    robots = [r for r in chat if r.is_robot]
    if robots and (options.webhook_url is None or not options.webhook_url.startswith("http")):
        raise MonitorConfigError(
            f"--webhook-url: the robot receivers ({robots[0].name}, ...) are reached through"
            " egovnet's webhook receiver, which needs an http URL"
        )
    apps = any(r.kind is ReceiverKind.wecom_app for r in chat)
    core_tiers = "|".join(CORE_TIERS)
    return AlertmanagerConfig(
        templates=[f"{TEMPLATES_DIR}/*.tmpl"] if apps else None,
        route=Route(
            receiver="noc-ticket",
            group_by=["district", "site"],
            group_wait=options.group_wait,
            group_interval=options.group_interval,
            repeat_interval=options.repeat_interval,
            routes=[
                Route(
                    receiver="planning",
                    matchers=['severity="info"'],
                    group_by=["district", "tier"],
                    repeat_interval="7d",
                ),
                Route(
                    receiver="core-oncall",
                    matchers=['severity="critical"', f'tier=~"{core_tiers}"'],
                    repeat_interval="1h",
                ),
                Route(
                    receiver="core-oncall",
                    matchers=['alertname="ExporterDown"'],
                    repeat_interval="1h",
                ),
                Route(receiver="noc-page", matchers=['severity="critical"'], repeat_interval="1h"),
                Route(receiver="noc-ticket", matchers=['severity="warning"']),
            ],
        ),
        receivers=[_receiver(name, options, chat) for name in RECEIVERS],
        inhibit_rules=[
            InhibitRule(
                source_matchers=['alertname="SiteIsolated"'],
                target_matchers=[
                    'alertname=~"LinkDown|RedundancyLost|LinkFlapping|InterfaceErrors'
                    '|CircuitSaturated|DeviceUnreachable"'
                ],
                equal=["district", "site"],
            ),
            InhibitRule(
                source_matchers=['alertname="CircuitSaturated"', 'severity="critical"'],
                target_matchers=['alertname="CircuitSaturated"', 'severity="warning"'],
                equal=["district", "link", "direction"],
            ),
            InhibitRule(
                source_matchers=['alertname="ExporterDown"'],
                target_matchers=['alertname=~"DeviceUnreachable|CoreDeviceDown"'],
                equal=["district"],
            ),
            InhibitRule(
                source_matchers=['alertname="CoreDeviceDown"'],
                target_matchers=['alertname="RedundancyLost"'],
                equal=["district"],
            ),
        ],
    )
