"""One 等保 audit run: the hardening role on the servers, device configs, the migration check.

:func:`run_audit` takes a typed :class:`AuditRequest` (plain paths, no CLI settings) and
returns a :class:`RunSummary`; progress goes to a callback as :class:`Step` events.

Every result the run stores is one it declared before starting. Each playbook is given the
results directory and a fresh run id that it writes into every result file; afterwards the
run reads exactly the declared paths (``raw/<host>.json`` for every host of the PLAY RECAP,
``migration/<system>.json`` for every system of the inventory) and takes a file only when it
carries this run's id. A file left by an earlier run, or written by hand meanwhile, is never
mistaken for this run's result, whatever its modification time.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from base.errors import AuditInputError
from inventory.ansible_export import render_ansible_inventory
from inventory.catalog import Inventory
from inventory.models import Role
from routeguard.routes import device_targets, require_lab_routes

from .ansible_run import PLAYBOOK_DIR, PlaybookRun, run_playbook
from .atomic import write_text
from .controls import AssetType
from .devices import check_configs
from .linux import RawHostAudit, load_raw, rows_for_host
from .migration import load_check
from .results import CheckResult
from .store import AuditPaths, save_asset_results


class AssetLine(BaseModel):
    asset: str
    kind: str
    systems: list[str]
    passed: int
    failed: int
    manual: int
    not_applicable: int
    changed: int | None = None


class RunSummary(BaseModel):
    mode: str
    assets: list[AssetLine]
    failures: list[str]
    skipped: list[str]
    migration: dict[str, list[str]] | None = None
    logs: list[str]


@dataclass(frozen=True)
class AuditRequest:
    """What to check and where; ``configs`` None means the backups under the state dir."""

    state_dir: Path
    servers: bool = True
    devices: bool = True
    migration: bool = False
    remediate: bool = False
    configs: Path | None = None
    ansible_inventory: Path | None = None
    limit: str | None = None
    ssh_user: str | None = None
    ssh_key: Path | None = None
    network_level: int = 2

    @property
    def mode(self) -> str:
        return "remediate" if self.remediate else "audit"

    @property
    def config_dir(self) -> Path:
        return self.configs or self.state_dir / "automation" / "backups"


@dataclass(frozen=True)
class Step:
    """Progress of one part of the run: ``key`` names it, ``total`` None while unknown."""

    key: str
    description: str
    completed: int = 0
    total: int | None = None


OnStep = Callable[[Step], None]


@dataclass(frozen=True)
class DeclaredOutputs:
    """Where a playbook writes its results, and the id it stamps on each of them."""

    directory: Path
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def path(self, name: str) -> Path:
        return self.directory / f"{name}.json"


def run_audit(inv: Inventory, request: AuditRequest, on_step: OnStep | None = None) -> RunSummary:
    """Run the parts the request asks for; bad input (AuditInputError, exit 2) before any."""
    step = on_step or (lambda _: None)
    if (request.servers or request.migration) and request.ansible_inventory is None:
        # Ansible goes to the servers of the exported inventory (and probes from them);
        # a given --ansible-inventory names its own hosts
        lab_servers = [d for d in inv.devices if d.role is Role.server]
        require_lab_routes(inv, device_targets(lab_servers), request.state_dir)
    request.state_dir.mkdir(parents=True, exist_ok=True)
    paths = AuditPaths(request.state_dir)
    summary = RunSummary(mode=request.mode, assets=[], failures=[], skipped=[], logs=[])
    extra = _connection_vars(request)
    ansible_inv: Path | None = None
    if request.servers or request.migration:
        ansible_inv = _ansible_inventory(inv, paths, request.ansible_inventory)
    if request.servers and ansible_inv is not None:
        _servers(inv, paths, ansible_inv, request=request, extra=extra, step=step, summary=summary)
    if request.devices:
        if request.configs is None and not request.config_dir.is_dir():
            summary.skipped.append(f"devices: no configs in {request.config_dir} (use --configs)")
        else:
            _devices(
                inv,
                paths,
                request.config_dir,
                network_level=request.network_level,
                step=step,
                summary=summary,
            )
    if request.migration and ansible_inv is not None:
        _migration(inv, paths, ansible_inv, extra=extra, step=step, summary=summary)
    return summary


def _connection_vars(request: AuditRequest) -> dict[str, object]:
    extra: dict[str, object] = {}
    if request.ssh_user:
        extra["ansible_user"] = request.ssh_user
    if request.ssh_key is not None:
        if not request.ssh_key.is_file():
            raise AuditInputError(f"--ssh-key: {request.ssh_key}: no such file")
        extra["ansible_ssh_private_key_file"] = str(request.ssh_key.resolve())
    return extra


def _line(asset: str, kind: str, rows: list[CheckResult], changed: int | None = None) -> AssetLine:
    counts = Counter(r.result.value for r in rows)
    return AssetLine(
        asset=asset,
        kind=kind,
        systems=sorted({r.system_id for r in rows}),
        passed=counts["pass"],
        failed=counts["fail"],
        manual=counts["manual"],
        not_applicable=counts["not_applicable"],
        changed=changed,
    )


def _ansible_inventory(inv: Inventory, paths: AuditPaths, given: Path | None) -> Path:
    if given is not None:
        if not given.is_file():
            raise AuditInputError(f"--ansible-inventory: {given}: no such file")
        return given
    out = paths.ansible / "hosts.yml"
    write_text(out, render_ansible_inventory(inv))
    return out


def _playbook(
    name: str,
    *,
    inventory: Path,
    extra: dict[str, object],
    log: Path,
    limit: str | None,
    step: OnStep,
) -> PlaybookRun:
    step(Step(name, f"{name}: starting"))

    def seen(task_name: str) -> None:
        step(Step(name, f"{name}: {task_name[:70]}"))

    try:
        return run_playbook(PLAYBOOK_DIR / name, inventory, extra, log, limit=limit, on_task=seen)
    finally:
        step(Step(name, f"{name}: done", completed=1, total=1))


def _servers(
    inv: Inventory,
    paths: AuditPaths,
    inventory: Path,
    *,
    request: AuditRequest,
    extra: dict[str, object],
    step: OnStep,
    summary: RunSummary,
) -> None:
    outputs = DeclaredOutputs(paths.raw.resolve())
    run = _playbook(
        "mlps_hardening.yml",
        inventory=inventory,
        extra={
            **extra,
            "mlps_hardening_mode": request.mode,
            "mlps_hardening_results_dir": str(outputs.directory),
            "mlps_hardening_run_id": outputs.run_id,
        },
        log=paths.root / "logs" / f"mlps_hardening-{request.mode}.log",
        limit=request.limit or "servers",
        step=step,
    )
    summary.logs.append(str(run.log))
    for host, stats in sorted(run.stats.items()):
        if stats.unreachable or stats.failed:
            summary.failures.append(
                f"{host}: {'unreachable' if stats.unreachable else 'failed'} (see {run.log})"
            )
    if not run.ok and not summary.failures:
        summary.failures.append(f"ansible-playbook exited {run.returncode} (see {run.log})")
    for raw_file, raw in server_results(outputs, run.stats):
        rows = rows_for_host(inv, raw, str(raw_file), request.network_level)
        save_asset_results(paths, raw.host, rows)
        changed = run.stats[raw.host].changed if request.mode == "remediate" else None
        summary.assets.append(_line(raw.host, AssetType.linux_server.value, rows, changed))


def server_results(
    outputs: DeclaredOutputs, hosts: Iterable[str]
) -> list[tuple[Path, RawHostAudit]]:
    """The result files this run wrote for ``hosts``, by host name; a host that failed
    before writing, or whose file is an earlier run's, has none."""
    found: list[tuple[Path, RawHostAudit]] = []
    for host in sorted(hosts):
        raw_file = outputs.path(host)
        if not raw_file.is_file():
            continue
        raw = load_raw(raw_file)
        if raw.run_id == outputs.run_id and raw.host == host:
            found.append((raw_file, raw))
    return found


def migration_results(outputs: DeclaredOutputs, systems: Iterable[str]) -> list[str]:
    """The systems whose result file this run wrote, sorted."""
    return sorted(
        system
        for system in systems
        if outputs.path(system).is_file()
        and load_check(outputs.path(system)).run_id == outputs.run_id
    )


def _devices(
    inv: Inventory,
    paths: AuditPaths,
    configs: Path,
    *,
    network_level: int,
    step: OnStep,
    summary: RunSummary,
) -> None:
    if not configs.is_dir():
        raise AuditInputError(f"--configs: {configs}: no such directory")
    key = "device configurations"
    total = len([d for d in inv.devices if d.role is not Role.server])
    step(Step(key, key, total=total))
    audit = check_configs(inv, configs, network_level=network_level)
    for done, (name, rows) in enumerate(sorted(audit.results.items()), 1):
        save_asset_results(paths, name, rows)
        summary.assets.append(_line(name, AssetType.network_device.value, rows))
        step(Step(key, key, completed=done, total=total))
    step(Step(key, key, completed=total, total=total))
    summary.skipped.extend(f"{name}: no configuration in {configs}" for name in audit.missing)


def _migration(
    inv: Inventory,
    paths: AuditPaths,
    inventory: Path,
    *,
    extra: dict[str, object],
    step: OnStep,
    summary: RunSummary,
) -> None:
    outputs = DeclaredOutputs(paths.migration.resolve())
    run = _playbook(
        "cloud_migration.yml",
        inventory=inventory,
        extra={
            **extra,
            "migration_results_dir": str(outputs.directory),
            "migration_run_id": outputs.run_id,
        },
        log=paths.root / "logs" / "cloud_migration.log",
        limit=None,
        step=step,
    )
    summary.logs.append(str(run.log))
    if not run.ok:
        summary.failures.append(f"cloud_migration.yml exited {run.returncode} (see {run.log})")
    written = migration_results(outputs, (system.id for system in inv.systems))
    summary.migration = {"checked": written}
