"""The Nornir tasks behind ``egovnet config``: one function per verb, one device each.

Each returns a :class:`DeviceOutcome`; :func:`automation.runner.run` runs them in parallel
and turns exceptions into failed outcomes. Pushes follow the candidate lifecycle: backup
(taken by the caller before any device changes), diff, apply, verify, and on any failure
restore the backup and say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from nornir.core.task import Task

from .changelog import ChangeRecord, now, who
from .platforms import platform_spec
from .runner import DeviceOutcome, Status, one_line
from .secretref import mask, referenced, resolve
from .sessions import ConfigSession, SessionTarget, open_session
from .workspace import Workspace


def target_of(task: Task) -> SessionTarget:
    host = task.host
    extras = host.connection_options.get("egovnet")
    return SessionTarget(
        name=host.name,
        host=str(host.hostname),
        username=host.username,
        password=host.password,
        port=host.port,
        extras=tuple(sorted((extras.extras or {}).items())) if extras else (),
    )


def session_for(ws: Workspace, task: Task) -> ConfigSession:
    dev = ws.device(task.host.name)
    plat = dev.platform if ws.production else ws.inventory.platform(dev)
    return open_session(platform_spec(plat), target_of(task))


def render_task(task: Task, ws: Workspace, write: bool = True) -> DeviceOutcome:
    rendered = ws.render(task.host.name)
    where = rendered.write(ws.rendered_dir) if write else None
    return DeviceOutcome(
        task.host.name,
        rendered.platform.value,
        Status.rendered,
        detail=f"{len(rendered.text.splitlines())} lines sha256 {rendered.sha256[:12]}"
        + (f" -> {where}" if where else ""),
    )


def diff_task(task: Task, ws: Workspace) -> DeviceOutcome:
    """Running vs intended; changes nothing on the device."""
    rendered = ws.render(task.host.name)
    with session_for(ws, task) as session:
        running = session.running_config()
        change = session.change(running, rendered.text)
    status = Status.unchanged if change.empty else Status.would_change
    return DeviceOutcome(task.host.name, rendered.platform.value, status, diff=change.unified())


def drift_task(task: Task, ws: Workspace) -> DeviceOutcome:
    """Like diff, worded for drift; also says whether the device changed since its backup."""
    rendered = ws.render(task.host.name)
    with session_for(ws, task) as session:
        running = session.running_config()
        change = session.change(running, rendered.text)
        last = ws.backups.last(task.host.name)
        since = "no backup yet"
        if last is not None:
            changed = not session.change(last, running).empty
            since = "changed since last backup" if changed else "as in last backup"
    status = Status.in_sync if change.empty else Status.drift
    return DeviceOutcome(
        task.host.name, rendered.platform.value, status, diff=change.unified(), detail=since
    )


def fetch_task(task: Task, ws: Workspace) -> DeviceOutcome:
    """The running config, for a backup (``detail`` carries the text back)."""
    with session_for(ws, task) as session:
        running = session.running_config()
    plat = ws.inventory.platform(ws.device(task.host.name)).value
    return DeviceOutcome(task.host.name, plat, Status.backed_up, detail=running)


@dataclass(frozen=True)
class PushPlan:
    commit: bool
    revert_in: int | None
    #: the pre-push running config of each device, committed to the backup repo
    backups: dict[str, str]
    backup_commit: str | None


def push_task(task: Task, ws: Workspace, plan: PushPlan) -> DeviceOutcome:
    name = task.host.name
    rendered = ws.render(name)
    plat = rendered.platform.value
    secret_names = referenced(rendered.text)
    with session_for(ws, task) as session:
        running = session.running_config()
        change = session.change(running, rendered.text)
        diff = change.unified()
        if change.empty:
            return DeviceOutcome(name, plat, Status.unchanged)
        if not plan.commit:
            return DeviceOutcome(name, plat, Status.would_change, diff=diff)
        record = _recorder(ws, action="push", device=name, platform=plat, diff=diff, plan=plan)
        try:
            session.apply(running, resolve(rendered.text, ws.secrets), plan.revert_in)
            after = session.running_config()
            left = session.change(after, rendered.text)
            if not left.empty:
                raise RuntimeError(f"not converged after commit, still differs:\n{left.unified()}")
        except Exception as exc:
            error = mask(one_line(exc), ws.secrets, secret_names)
            restored = _restore(session, plan.backups.get(name))
            result = "failed, restored from backup" if restored else "failed, NOT restored"
            record(result, error)
            return DeviceOutcome(name, plat, Status.failed, diff=diff, error=f"{error}; {result}")
    status = Status.pending if plan.revert_in is not None else Status.committed
    record(status.value, None)
    detail = f"reverts in {plan.revert_in}s unless confirmed" if plan.revert_in else ""
    return DeviceOutcome(name, plat, status, diff=diff, detail=detail)


Recorder = Callable[[str, str | None], None]


def _recorder(
    ws: Workspace,
    *,
    action: str,
    device: str,
    platform: str,
    diff: str,
    plan: PushPlan | None = None,
) -> Recorder:
    """A function writing one change-log record for this device: ``record(result, error)``."""

    def record(result: str, error: str | None) -> None:
        ws.changelog.append(
            ChangeRecord(
                at=now(),
                who=who(),
                action=action,
                device=device,
                platform=platform,
                result=result,
                diff=diff,
                run=ws.run_id,
                revert_in_seconds=plan.revert_in if plan else None,
                backup=plan.backup_commit if plan else None,
                error=error,
            )
        )

    return record


def _restore(session: ConfigSession, backup: str | None) -> bool:
    """Put the pre-push config back; True when the running config then matches it."""
    if backup is None:
        return False
    try:
        running = session.running_config()
        if session.change(running, backup).empty:
            return True
        session.apply(running, backup, None)
        return session.change(session.running_config(), backup).empty
    except Exception:
        return False


def confirm_task(task: Task, ws: Workspace) -> DeviceOutcome:
    name = task.host.name
    plat = ws.inventory.platform(ws.device(name)).value
    with session_for(ws, task) as session:
        if not session.spec.supports_commit_confirm or not session.has_pending_commit():
            return DeviceOutcome(name, plat, Status.nothing_pending)
        session.confirm()
    _recorder(ws, action="confirm", device=name, platform=plat, diff="")("confirmed", None)
    return DeviceOutcome(name, plat, Status.confirmed)


def rollback_task(task: Task, ws: Workspace) -> DeviceOutcome:
    """Back to the device's last backup in the git repository."""
    name = task.host.name
    plat = ws.inventory.platform(ws.device(name)).value
    backup = ws.backups.last(name)
    if backup is None:
        return DeviceOutcome(name, plat, Status.failed, error="no backup of this device yet")
    with session_for(ws, task) as session:
        running = session.running_config()
        change = session.change(running, backup)
        if change.empty:
            return DeviceOutcome(name, plat, Status.unchanged, detail="already as in backup")
        diff = change.unified()
        record = _recorder(ws, action="rollback", device=name, platform=plat, diff=diff)
        try:
            session.apply(running, backup, None)
            left = session.change(session.running_config(), backup)
            if not left.empty:
                raise RuntimeError(f"not converged to the backup:\n{left.unified()}")
        except Exception as exc:
            record("failed", one_line(exc))
            raise
    record("rolled-back", None)
    return DeviceOutcome(name, plat, Status.rolled_back, diff=diff)
