"""The verbs of ``egovnet config`` as functions: select devices, run tasks, return outcomes.

The CLI (egovnet/commands/config.py) only parses options and prints; everything a verb
does is here, so tests and other tools can call it the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nornir.core import Nornir

from base.errors import AutomationInputError
from inventory.catalog import Inventory
from inventory.loader import load_inventory
from inventory.secrets import SecretStore
from routeguard.routes import device_targets, require_lab_routes

from .backup import BackupRun
from .pending import PendingConfirm
from .runner import DeviceOutcome, Status, make_nornir, one_line, run, select
from .tasks import (
    PushPlan,
    confirm_task,
    diff_task,
    drift_task,
    fetch_task,
    push_task,
    render_task,
    revert_task,
    rollback_task,
)
from .workspace import Workspace

OnDone = Callable[[DeviceOutcome], None] | None


@dataclass(frozen=True)
class Selection:
    """Which devices a verb works on: names (all when empty), ``KEY=VALUE`` filters, workers."""

    devices: list[str]
    filters: list[str]
    workers: int = 20


def prepare(
    inv: Inventory,
    selection: Selection,
    *,
    inventory_path: Path,
    state_dir: Path,
    secrets_file: Path,
    connects: bool = True,
    templates: Path | None = None,
    production: bool = False,
    rendered_out: Path | None = None,
) -> tuple[Workspace, Nornir]:
    """The workspace and the selected hosts for one verb. A verb that ``connects`` reaches a
    lab inventory's devices only while the lab is up (routeguard): refused before anything
    is sent or written."""
    if templates is not None and not templates.is_dir():
        raise AutomationInputError(f"--templates {templates}: no such directory")
    ws = Workspace(
        inv,
        state_dir,
        SecretStore(secrets_file),
        production=production,
        rendered_out=rendered_out,
        templates=templates,
        inventory_path=inventory_path,
    )
    nr = select(
        make_nornir(inventory_path, secrets_file, selection.workers),
        selection.devices,
        selection.filters,
    )
    if connects:
        chosen = [inv.device_by_name[name] for name in nr.inventory.hosts]
        require_lab_routes(inv, device_targets(chosen), state_dir)
    return ws, nr


def revert_overdue(ws: Workspace, nr: Nornir) -> dict[str, DeviceOutcome]:
    """Unconfirmed pushes whose egovnet timer is gone (a reboot, a killed process) and whose
    deadline passed: their pre-push backups go back now, before the command's own work.
    Devices of ``nr`` only (a command reaches only what it was allowed to)."""
    due = {
        r.device: r.run for r in ws.pending.all() if r.overdue() and r.device in nr.inventory.hosts
    }
    if not due:
        return {}
    subset = nr.filter(filter_func=lambda h: h.name in due)
    return run(subset, revert_task, None, ws=ws, runs=due)


def revert_pending(state_dir: Path, records: list[PendingConfirm]) -> dict[str, DeviceOutcome]:
    """What egovnet's timer process runs at the deadline: the devices of ``records`` back to
    their pre-push backups (inventory and secrets file as the push had them)."""
    out: dict[str, DeviceOutcome] = {}
    for record in records:
        inventory_path = Path(record.inventory)
        secrets = Path(record.secrets_file) if record.secrets_file else Path("/nonexistent")
        try:
            ws, nr = prepare(
                load_inventory(inventory_path),
                Selection([record.device], []),
                inventory_path=inventory_path,
                state_dir=state_dir,
                secrets_file=secrets,
            )
        except Exception as exc:
            out[record.device] = DeviceOutcome(
                record.device, record.platform, Status.failed, error=one_line(exc)
            )
            continue
        out.update(run(nr, revert_task, None, ws=ws, runs={record.device: record.run}))
    return out


def render(ws: Workspace, nr: Nornir, on_done: OnDone = None) -> dict[str, DeviceOutcome]:
    return run(nr, render_task, on_done, ws=ws)


def diff(ws: Workspace, nr: Nornir, on_done: OnDone = None) -> dict[str, DeviceOutcome]:
    return run(nr, diff_task, on_done, ws=ws)


def drift(ws: Workspace, nr: Nornir, on_done: OnDone = None) -> dict[str, DeviceOutcome]:
    return run(nr, drift_task, on_done, ws=ws)


@dataclass(frozen=True)
class BackupResult:
    outcomes: dict[str, DeviceOutcome]
    run: BackupRun


def backup(
    ws: Workspace, nr: Nornir, on_done: OnDone = None, message: str = "backup"
) -> BackupResult:
    """Running configs into the git repo: one commit, unchanged devices not re-committed."""
    fetched = run(nr, fetch_task, on_done, ws=ws)
    configs = {n: o.detail for n, o in fetched.items() if not o.failed}
    result = ws.backups.commit(configs, message)
    changed = set(result.changed)
    outcomes = {
        n: o
        if o.failed
        else DeviceOutcome(
            n,
            o.platform,
            Status.backed_up if n in changed else Status.unchanged,
            detail="committed" if n in changed else "unchanged since last backup",
        )
        for n, o in fetched.items()
    }
    return BackupResult(outcomes, result)


@dataclass(frozen=True)
class PushResult:
    outcomes: dict[str, DeviceOutcome]
    backup: BackupResult | None


def push(
    ws: Workspace,
    nr: Nornir,
    commit: bool,
    revert_in: int | None = None,
    on_done: OnDone = None,
) -> PushResult:
    """Backup first (one commit), then apply and verify in parallel; a failing device is
    restored from that backup while the others carry on. With ``revert_in`` each device
    reverts unless confirmed: by itself where the platform can, else by egovnet's timer
    (:mod:`automation.pending`) from that backup."""
    if not commit:
        return PushResult(run(nr, push_task, on_done, ws=ws, plan=_dry_plan()), None)
    saved = backup(ws, nr, None, message="pre-push backup")
    reachable = [n for n, o in saved.outcomes.items() if not o.failed]
    backups = {n: ws.backups.last(n) or "" for n in reachable}
    plan = PushPlan(True, revert_in, backups, saved.run.commit or _head(ws))
    outcomes = dict(saved.outcomes)
    if reachable:
        subset = nr.filter(filter_func=lambda h: h.name in set(reachable))
        outcomes.update(run(subset, push_task, on_done, ws=ws, plan=plan))
    for name, o in saved.outcomes.items():
        if o.failed:
            failed = DeviceOutcome(
                name, o.platform, Status.failed, error=f"no backup, not pushed: {o.error}"
            )
            outcomes[name] = failed
            if on_done is not None:
                on_done(failed)
    return PushResult(dict(sorted(outcomes.items())), saved)


def _dry_plan() -> PushPlan:
    return PushPlan(False, None, {}, None)


def _head(ws: Workspace) -> str | None:
    entries = ws.backups.log(limit=1)
    return entries[0].split()[0] if entries else None


def confirm(ws: Workspace, nr: Nornir, on_done: OnDone = None) -> dict[str, DeviceOutcome]:
    return run(nr, confirm_task, on_done, ws=ws)


def rollback(ws: Workspace, nr: Nornir, on_done: OnDone = None) -> dict[str, DeviceOutcome]:
    return run(nr, rollback_task, on_done, ws=ws)
