"""The sharded NOC stack on VictoriaMetrics: several scrapers, one global store, vmalert.

This is how Prometheus users take monitoring past one machine (docs/scale.md), built from
Debian's ``victoria-metrics`` package alone::

    exporter(s) <- vmagent scraper-0 .. scraper-(N-1)  (cluster mode: each scrapes its share,
                         |                              every target by ``replication`` of them)
                         v remote_write
                   victoria-metrics (the global store; ``-dedup.minScrapeInterval`` = the scrape
                         ^         |    interval keeps one sample of the replicated ones;
                         |         |    it scrapes the scrapers' own /metrics: ScraperDown)
                  vmalert (the project's alert and recording rules) -> Alertmanager -> receivers
                  dashboards: a Prometheus-type data source on the store

The directory ``monitor config --shards N`` writes (paths relative to it)::

    scrapers.yml            vmagent -promscrape.config, shared by every scraper
    store-scrape.yml        the store's own scrape jobs: the scrapers, vmalert, Alertmanager
    alertmanager.yml        as for Prometheus
    rules/*.yml             the shipped alerts and recording rules, plus rules/scrapers.yml
    targets/devices.json    file_sd: one group per polled device, as for Prometheus
    grafana/datasource.yml  Grafana provisioning: the dashboards' data source on the store
    processes.yml           each process's command line, to be run from this directory
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from base.durations import parse_duration
from base.errors import MonitorConfigError, MonitorError
from inventory.catalog import Inventory

from .generate import AMTOOL, GeneratedFile, ToolCheck, check_files, generate
from .options import MonitorOptions, split_host_port
from .prometheus import (
    ALERT_RULES_FILE,
    RECORDING_RULES_FILE,
    ScrapeConfig,
    StaticConfig,
    exporter_scrape_configs,
)
from .rules import RULES_DIR, generated_alerts, load_rule_file
from .stack import ComponentSpec
from .yamltext import dump_yaml

STORE_BIN = "/usr/bin/victoria-metrics"
SCRAPER_BIN = "/usr/bin/vmagent"
VMALERT_BIN = "/usr/bin/vmalert"

#: The job under which the store scrapes the scrapers (ScraperDown in rules/scrapers.yml).
SCRAPER_JOB = "egovnet-scraper"
SCRAPERS_FILE = "scrapers.yml"
STORE_SCRAPE_FILE = "store-scrape.yml"
SCRAPER_RULES_FILE = "rules/scrapers.yml"
DATASOURCE_FILE = "grafana/datasource.yml"
PROCESSES_FILE = "processes.yml"
SHIPPED_SCRAPER_RULES = RULES_DIR / "scrapers.yml"
HEALTH_PATH = "/health"
MAX_SHARDS = 64


def scraper_name(i: int) -> str:
    return f"scraper-{i}"


class ShardOptions(BaseModel):
    """Where the sharded stack's own processes listen, and how long the store keeps data."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    shards: int = Field(ge=1, le=MAX_SHARDS)
    store_address: str = "127.0.0.1:8428"
    vmalert_address: str = "127.0.0.1:8880"
    scraper_addresses: tuple[str, ...] = ()
    retention: str = "15d"

    @field_validator("store_address", "vmalert_address")
    @classmethod
    def _host_port(cls, value: str) -> str:
        split_host_port(value)
        return value

    @field_validator("scraper_addresses")
    @classmethod
    def _host_ports(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for address in value:
            split_host_port(address)
        return value

    @field_validator("retention")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value

    @model_validator(mode="after")
    def _one_address_per_scraper(self) -> ShardOptions:
        if not self.scraper_addresses:
            first = split_host_port(self.store_address)[1] + 2
            addresses = tuple(f"127.0.0.1:{first + i}" for i in range(self.shards))
            object.__setattr__(self, "scraper_addresses", addresses)
        if len(self.scraper_addresses) != self.shards:
            raise ValueError(
                f"--scraper-address: {len(self.scraper_addresses)} given for"
                f" {self.shards} scrapers (one per scraper, or none)"
            )
        return self

    @property
    def replication(self) -> int:
        """Every target is scraped by two scrapers (one alone has no replica)."""
        return min(2, self.shards)

    @property
    def store_url(self) -> str:
        return f"http://{self.store_address}"

    @classmethod
    def build(cls, **values: Any) -> ShardOptions:
        """Validate user input; a problem becomes one line naming the option."""
        try:
            return cls(**{k: v for k, v in values.items() if v is not None})
        except ValidationError as exc:
            err = exc.errors()[0]
            message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
            if not err["loc"]:  # the whole model: the message names its option
                raise MonitorConfigError(message) from None
            field = str(err["loc"][0]).removesuffix("es").replace("_", "-")
            raise MonitorConfigError(f"--{field}: {message}") from None


# --- configuration files ----------------------------------------------------------------


class ScrapeGlobal(BaseModel):
    scrape_interval: str
    scrape_timeout: str


class ScrapeOnlyConfig(BaseModel):
    """A -promscrape.config: prometheus.yml's scraping half (no rules, no alerting)."""

    global_: ScrapeGlobal = Field(alias="global")
    scrape_configs: list[ScrapeConfig]

    model_config = ConfigDict(populate_by_name=True)

    def render(self, header: str) -> str:
        return dump_yaml(self.model_dump(by_alias=True, exclude_none=True), header)


def _global(options: MonitorOptions) -> ScrapeGlobal:
    return ScrapeGlobal(
        scrape_interval=options.scrape_interval, scrape_timeout=options.scrape_timeout
    )


def scrapers_config(options: MonitorOptions) -> ScrapeOnlyConfig:
    """The device job (the exporter's /snmp?target= pattern) and the exporter's own job."""
    return ScrapeOnlyConfig(
        global_=_global(options),
        scrape_configs=exporter_scrape_configs(options),
    )


def store_scrape_config(options: MonitorOptions, shard: ShardOptions) -> ScrapeOnlyConfig:
    """What the store scrapes itself: each scraper (named), vmalert and Alertmanager."""
    return ScrapeOnlyConfig(
        global_=_global(options),
        scrape_configs=[
            ScrapeConfig(
                job_name=SCRAPER_JOB,
                static_configs=[
                    StaticConfig(targets=[address], labels={"scraper": scraper_name(i)})
                    for i, address in enumerate(shard.scraper_addresses)
                ],
            ),
            ScrapeConfig(
                job_name="vmalert",
                static_configs=[StaticConfig(targets=[shard.vmalert_address])],
            ),
            ScrapeConfig(
                job_name="alertmanager",
                static_configs=[StaticConfig(targets=[options.alertmanager_address])],
            ),
        ],
    )


def grafana_datasource(shard: ShardOptions) -> str:
    """Grafana provisioning: the dashboards' ``${datasource}`` is a Prometheus-type source,
    and the store answers the Prometheus query API."""
    doc = {
        "apiVersion": 1,
        "datasources": [
            {
                "name": "egovnet (VictoriaMetrics)",
                "type": "prometheus",
                "access": "proxy",
                "url": shard.store_url,
                "isDefault": True,
                "jsonData": {"timeInterval": "15s"},
            }
        ],
    }
    return dump_yaml(doc, "Grafana data source of the egovnet dashboards: the global store.")


@dataclass(frozen=True)
class ShardPaths:
    """Where the processes find config and keep data: absolute under `monitor up`'s state
    directory, relative (run from the config directory) in what `monitor config` writes."""

    config_dir: Path
    data_dir: Path


def shard_specs(
    options: MonitorOptions, shard: ShardOptions, paths: ShardPaths, district: str
) -> list[ComponentSpec]:
    """The store, vmalert and every scraper, as the stack starts them."""
    cfg, data = paths.config_dir, paths.data_dir
    interval = options.scrape_interval
    store = ComponentSpec(
        name="store",
        argv=(
            STORE_BIN,
            f"-httpListenAddr={shard.store_address}",
            f"-storageDataPath={data / 'store'}",
            f"-retentionPeriod={shard.retention}",
            f"-dedup.minScrapeInterval={interval}",
            f"-search.latencyOffset={interval}",  # data is queryable one scrape after it lands
            f"-promscrape.config={cfg / STORE_SCRAPE_FILE}",
            f"-selfScrapeInterval={interval}",
            f"-vmalert.proxyURL=http://{shard.vmalert_address}",  # /api/v1/alerts, /rules
        ),
        address=shard.store_address,
        ready_path=HEALTH_PATH,
    )
    vmalert = ComponentSpec(
        name="vmalert",
        argv=(
            VMALERT_BIN,
            f"-httpListenAddr={shard.vmalert_address}",
            f"-rule={cfg / 'rules' / '*.yml'}",
            f"-datasource.url={shard.store_url}",
            f"-remoteWrite.url={shard.store_url}",  # recording rules' results, ALERTS series
            f"-remoteRead.url={shard.store_url}",  # alert state survives a restart
            f"-notifier.url=http://{options.alertmanager_address}",
            f"-evaluationInterval={options.evaluation_interval}",
            f"-external.url={shard.store_url}",
            f"-external.label=district={district}",
        ),
        address=shard.vmalert_address,
        ready_path=HEALTH_PATH,
    )
    scrapers = [
        ComponentSpec(
            name=scraper_name(i),
            argv=(
                SCRAPER_BIN,
                f"-httpListenAddr={address}",
                f"-promscrape.config={cfg / SCRAPERS_FILE}",
                f"-remoteWrite.url={shard.store_url}/api/v1/write",
                f"-remoteWrite.tmpDataPath={data / scraper_name(i)}",
                *(_cluster_flags(shard, i) if shard.shards > 1 else ()),
            ),
            address=address,
            ready_path=HEALTH_PATH,
        )
        for i, address in enumerate(shard.scraper_addresses)
    ]
    return [store, vmalert, *scrapers]


def _cluster_flags(shard: ShardOptions, member: int) -> tuple[str, ...]:
    return (
        f"-promscrape.cluster.membersCount={shard.shards}",
        f"-promscrape.cluster.memberNum={member}",
        f"-promscrape.cluster.replicationFactor={shard.replication}",
    )


def processes_text(specs: list[ComponentSpec]) -> str:
    doc = {
        "processes": [{"name": s.name, "listen": s.address, "argv": list(s.argv)} for s in specs]
    }
    return dump_yaml(
        doc,
        "The sharded stack's processes; run each from this directory (paths are relative).\n"
        "The exporter(s), Alertmanager and its receivers run as for the Prometheus stack.",
    )


def sharded_generate(
    inv: Inventory, options: MonitorOptions, shard: ShardOptions
) -> list[GeneratedFile]:
    """Every file of the sharded stack, in memory: the Prometheus stack's files without
    prometheus.yml, plus the scrapers', the store's and vmalert's."""
    # --alert-for may name the scraper alerts too: each rule file gets its own overrides
    ours = set(load_rule_file(SHIPPED_SCRAPER_RULES).alert_names)
    main, scraper = (
        {k: v for k, v in options.alert_for.items() if (k in ours) == mine}
        for mine in (False, True)
    )
    files = [
        f
        for f in generate(inv, options.model_copy(update={"alert_for": main}))
        if f.path != "prometheus.yml"
    ]
    header = (
        f"Generated by `egovnet monitor config --shards {shard.shards}` from the inventory"
        f" {inv.profile.name!r}.\nDo not edit: change the inventory or the options and generate"
        " again."
    )
    scraper_rules = generated_alerts(
        options.model_copy(update={"alert_for": scraper}), SHIPPED_SCRAPER_RULES
    )
    specs = shard_specs(options, shard, ShardPaths(Path("."), Path("data")), inv.profile.name)
    files += [
        GeneratedFile(
            SCRAPERS_FILE,
            "vmagent",
            scrapers_config(options).render(f"Scrape config shared by every scraper.\n{header}"),
        ),
        GeneratedFile(
            STORE_SCRAPE_FILE,
            "victoria-metrics",
            store_scrape_config(options, shard).render(f"The store's own jobs.\n{header}"),
        ),
        GeneratedFile(
            SCRAPER_RULES_FILE,
            "rules",
            scraper_rules.render(f"Scraper alerts (exporters/rules/scrapers.yml).\n{header}"),
        ),
        GeneratedFile(DATASOURCE_FILE, "grafana", grafana_datasource(shard)),
        GeneratedFile(PROCESSES_FILE, "processes", processes_text(specs)),
    ]
    return files


# --- checks by the engines' own tools -----------------------------------------------------


def _check(tool: str, file: str, argv: list[str], cwd: Path) -> ToolCheck:
    if shutil.which(argv[0]) is None:
        raise MonitorError(
            f"{argv[0]} is not installed (Debian packages victoria-metrics, "
            "prometheus-alertmanager)"
        )
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    output = "\n".join(
        line
        for line in (done.stdout + done.stderr).splitlines()
        if "\terror\t" in line or "\tfatal\t" in line
    )
    return ToolCheck(tool, file, done.returncode == 0, output or done.stderr.strip()[-500:])


def check_sharded_files(out_dir: Path) -> list[ToolCheck]:
    """vmagent and the store parse their scrape configs, vmalert every rule file, amtool the
    routes (``-dryRun`` modes: nothing is started)."""
    rules = [RECORDING_RULES_FILE, ALERT_RULES_FILE, SCRAPER_RULES_FILE]
    rule_flags = [f"-rule={r}" for r in rules if (out_dir / r).is_file()]
    quiet = "-loggerLevel=ERROR"
    return [
        _check(
            "vmagent",
            SCRAPERS_FILE,
            [SCRAPER_BIN, quiet, "-dryRun", f"-promscrape.config={SCRAPERS_FILE}"],
            out_dir,
        ),
        _check(
            "vmagent",
            STORE_SCRAPE_FILE,
            [SCRAPER_BIN, quiet, "-dryRun", f"-promscrape.config={STORE_SCRAPE_FILE}"],
            out_dir,
        ),
        _check("vmalert", "rules/", [VMALERT_BIN, quiet, "-dryRun", *rule_flags], out_dir),
        _check(AMTOOL, "alertmanager.yml", [AMTOOL, "check-config", "alertmanager.yml"], out_dir),
    ]


def generate_for(
    inv: Inventory, options: MonitorOptions, shard: ShardOptions | None
) -> list[GeneratedFile]:
    """The Prometheus stack's files, or with ``shard`` the sharded stack's."""
    return generate(inv, options) if shard is None else sharded_generate(inv, options, shard)


def check_for(out_dir: Path, shard: ShardOptions | None) -> list[ToolCheck]:
    return check_files(out_dir) if shard is None else check_sharded_files(out_dir)
