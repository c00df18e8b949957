"""prometheus.yml: the device job in snmp_exporter's relabel pattern, plus the exporter itself.

The device job's targets are device names from file_sd; relabelling turns each into
``/snmp?target=DEVICE`` on the egovnet exporter and keeps the device name as ``instance``.
``honor_labels`` lets the exporter's own device/site labels stand (they are the same values
the target carries, so nothing is renamed to ``exported_*``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .options import EXPORTER_JOB, SNMP_JOB, MonitorOptions
from .yamltext import dump_yaml

TARGETS_FILE = "targets/devices.json"
ALERT_RULES_FILE = "rules/alerts.yml"
RECORDING_RULES_FILE = "rules/recording.yml"


class RelabelConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    source_labels: list[str] | None = None
    target_label: str | None = None
    replacement: str | None = None


class StaticConfig(BaseModel):
    targets: list[str]
    labels: dict[str, str] | None = None


class FileSdConfig(BaseModel):
    files: list[str]
    refresh_interval: str | None = None


class ScrapeConfig(BaseModel):
    job_name: str
    scrape_interval: str | None = None
    scrape_timeout: str | None = None
    metrics_path: str | None = None
    honor_labels: bool | None = None
    static_configs: list[StaticConfig] | None = None
    file_sd_configs: list[FileSdConfig] | None = None
    relabel_configs: list[RelabelConfig] | None = None


class AlertmanagerTarget(BaseModel):
    static_configs: list[StaticConfig]


class Alerting(BaseModel):
    alertmanagers: list[AlertmanagerTarget]


class GlobalConfig(BaseModel):
    scrape_interval: str
    scrape_timeout: str
    evaluation_interval: str
    external_labels: dict[str, str] = Field(default_factory=dict)


class PrometheusConfig(BaseModel):
    global_: GlobalConfig = Field(alias="global")
    rule_files: list[str]
    alerting: Alerting
    scrape_configs: list[ScrapeConfig]

    model_config = ConfigDict(populate_by_name=True)

    def render(self, header: str | None = None) -> str:
        return dump_yaml(self.model_dump(by_alias=True, exclude_none=True), header)


def snmp_relabel(exporter_address: str) -> list[RelabelConfig]:
    return [
        RelabelConfig(source_labels=["__address__"], target_label="__param_target"),
        RelabelConfig(source_labels=["__param_target"], target_label="instance"),
        RelabelConfig(target_label="__address__", replacement=exporter_address),
    ]


def exporter_scrape_configs(options: MonitorOptions) -> list[ScrapeConfig]:
    """The device job (the exporter's /snmp?target= pattern) and the exporter's own job:
    what Prometheus scrapes, and what each vmagent scraper of a sharded stack shares."""
    return [
        ScrapeConfig(
            job_name=SNMP_JOB,
            metrics_path="/snmp",
            honor_labels=True,
            file_sd_configs=[FileSdConfig(files=[TARGETS_FILE])],
            relabel_configs=snmp_relabel(options.exporter_address),
        ),
        ScrapeConfig(
            job_name=EXPORTER_JOB,
            static_configs=[StaticConfig(targets=[options.exporter_address])],
        ),
    ]


def prometheus_config(
    options: MonitorOptions, district: str, with_recording_rules: bool
) -> PrometheusConfig:
    rule_files = [ALERT_RULES_FILE]
    if with_recording_rules:
        rule_files.insert(0, RECORDING_RULES_FILE)
    return PrometheusConfig(
        global_=GlobalConfig(
            scrape_interval=options.scrape_interval,
            scrape_timeout=options.scrape_timeout,
            evaluation_interval=options.evaluation_interval,
            external_labels={"district": district},
        ),
        rule_files=rule_files,
        alerting=Alerting(
            alertmanagers=[
                AlertmanagerTarget(
                    static_configs=[StaticConfig(targets=[options.alertmanager_address])]
                )
            ]
        ),
        scrape_configs=[
            *exporter_scrape_configs(options),
            ScrapeConfig(
                job_name="prometheus",
                static_configs=[StaticConfig(targets=[options.prometheus_address])],
            ),
            ScrapeConfig(
                job_name="alertmanager",
                static_configs=[StaticConfig(targets=[options.alertmanager_address])],
            ),
        ],
    )
