"""`monitor up` as one function: the stack composed from the inventory, started on loopback.

The caller resolves everything once (the state directory, the inventory it loaded, where the
inventory and secrets live) and hands it over in plain values; the exporter this starts gets
a config file holding exactly those resolved paths, nothing for it to look up again.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from base.atomic import write_text
from base.errors import MonitorError
from base.hostport import free_tcp_port
from exporters.config import ExporterConfig, TrapConfig
from inventory.catalog import Inventory
from inventory.secrets import SecretStore
from routeguard.routes import device_targets, require_lab_routes

from .generate import ROBOTS_FILE, write_files
from .options import MonitorOptions
from .shards import (
    ShardOptions,
    ShardPaths,
    check_for,
    generate_for,
    scraper_name,
    shard_specs,
)
from .stack import (
    ComponentSpec,
    Outcome,
    StackLayout,
    StackState,
    alertmanager_spec,
    bring_up,
    exporter_spec,
    is_running,
    load_state,
    prometheus_spec,
    webhook_spec,
)

EXPORTER_CONFIG = "exporter.yml"


@dataclass(frozen=True)
class ExporterLaunch:
    """The exporter `monitor up` starts: its command (without the flags this adds) and what
    it serves, resolved by the caller."""

    command: tuple[str, ...]  # e.g. (python, "-m", "egovnet", "exporter")
    inventory: Path
    secrets_file: Path
    traps: TrapConfig | None = None

    def config(self, state_dir: Path) -> ExporterConfig:
        return ExporterConfig(
            inventory=self.inventory,
            secrets_file=self.secrets_file,
            state_dir=state_dir,
            traps=self.traps,
        )

    def argv(self, listen: str, config_file: Path) -> list[str]:
        return [*self.command, "--web.listen-address", listen, "--config.file", str(config_file)]


@dataclass(frozen=True)
class StackUp:
    """What `monitor up` did: one outcome per component, and the stack as now recorded."""

    layout: StackLayout
    outcomes: list[Outcome]
    state: StackState = field(repr=False)


def stack_up(
    inv: Inventory,
    options: MonitorOptions,
    layout: StackLayout,
    *,
    webhook_address: str,
    exporter: ExporterLaunch | None,
    timeout: float = 30.0,
    python: str = sys.executable,
    on_start: Callable[[str], None] | None = None,
    secrets: SecretStore | None = None,
    shards: ShardOptions | None = None,
) -> StackUp:
    """Generate and check the configuration into ``layout``, then start (or keep and reload)
    the webhook receiver (listening on ``webhook_address``, where ``options.webhook_url``
    points), Alertmanager, Prometheus and, given ``exporter``, the exporter at
    ``options.exporter_address``. ``on_start`` hears each component's name as its turn comes.

    The exporter polls every device at once, so for a lab inventory it starts only while the
    lab's routes are up; without ``exporter`` Prometheus scrapes one already running.

    The inventory's chat receivers read their secrets from ``secrets`` (the environment,
    then its file): each must be there before anything starts.

    With ``shards`` the stack is the sharded one of :mod:`monitor.shards` (scrapers, store,
    vmalert) in place of Prometheus; the query URL recorded is then the store's.
    """
    chat = inv.monitoring.receivers
    store = secrets or SecretStore()
    for receiver in chat:
        for name in receiver.secret_names:
            store.get(name)  # SecretMissingError names the variable, never a value
    if exporter is not None:
        require_lab_routes(
            inv,
            device_targets(inv.devices),
            layout.state_dir,
            hint=", or point --exporter-address at an exporter of your own",
        )
    files = generate_for(inv, options, shards)
    write_files(layout.config_dir, files, store)
    query_url = f"http://{options.prometheus_address}" if shards is None else shards.store_url
    failed = [c for c in check_for(layout.config_dir, shards) if not c.ok]
    if failed:
        raise MonitorError(f"{failed[0].tool} rejects {failed[0].file}: {failed[0].output}")
    robots = [f.text for f in files if f.path == ROBOTS_FILE]
    digest = hashlib.sha256(robots[0].encode()).hexdigest()[:16] if robots else ""
    secrets_file = (store.file or Path("/dev/null")) if robots else None
    specs = list(
        _specs(layout, options, webhook_address, exporter, python, robots=(secrets_file, digest))
    )
    if shards is not None:
        specs = [s for s in specs if s.name != "prometheus"]
        paths = ShardPaths(layout.config_dir, layout.data_dir)
        specs += shard_specs(options, shards, paths, inv.profile.name)
    outcomes = bring_up(
        layout,
        specs,
        urls=(query_url, f"http://{options.alertmanager_address}"),
        timeout=timeout,
        progress=on_start,
    )
    return StackUp(layout=layout, outcomes=outcomes, state=load_state(layout))


def _specs(
    layout: StackLayout,
    options: MonitorOptions,
    webhook_address: str,
    exporter: ExporterLaunch | None,
    python: str,
    *,
    robots: tuple[Path | None, str],
) -> Sequence[ComponentSpec]:
    specs = [
        webhook_spec(layout, webhook_address, python, *robots),
        alertmanager_spec(layout, options.alertmanager_address),
        prometheus_spec(layout, options.prometheus_address),
    ]
    if exporter is not None:
        config_file = layout.config_dir / EXPORTER_CONFIG
        write_text(config_file, exporter.config(layout.state_dir).to_yaml())
        listen = options.exporter_address
        specs.append(exporter_spec(exporter.argv(listen, config_file), listen))
    return specs


def scraper_addresses(layout: StackLayout, count: int, host: str = "127.0.0.1") -> tuple[str, ...]:
    """Listen addresses for ``count`` scrapers: a running scraper keeps the one it has (so
    `up` again keeps it running), the others get free ports."""
    state = load_state(layout)
    out: list[str] = []
    for i in range(count):
        record = state.components.get(scraper_name(i))
        if record is not None and is_running(record):
            out.append(record.address)
        else:
            out.append(f"{host}:{free_tcp_port(host)}")
    return tuple(out)
