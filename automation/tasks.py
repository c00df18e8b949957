"""The Nornir tasks behind ``egovnet config``: one function per verb, one device each.

Each returns a :class:`DeviceOutcome`; :func:`automation.runner.run` runs them in parallel
and turns exceptions into failed outcomes. Pushes follow the candidate lifecycle: backup
(taken by the caller before any device changes), diff, apply, verify, and on any failure
restore the backup and say so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from nornir.core.task import Task

from .changelog import ChangeRecord, now, who
from .pending import PendingConfirm, start_timer
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
        # the device's own revert where it has one, else egovnet's timer, armed before the
        # first line changes (a session lost mid-push still reverts)
        on_device = session.spec.supports_commit_confirm
        timer = None if on_device or plan.revert_in is None else _arm(ws, name, plat, plan)
        try:
            session.apply(
                running, resolve(rendered.text, ws.secrets), plan.revert_in if on_device else None
            )
            after = session.running_config()
            left = session.change(after, rendered.text)
            if not left.empty:
                raise RuntimeError(f"not converged after commit, still differs:\n{left.unified()}")
        except Exception as exc:
            error = mask(one_line(exc), ws.secrets, secret_names)
            why_not = _restore(session, plan.backups.get(name))
            restored = why_not is None
            if timer is not None and restored:
                with ws.pending.locked(name):
                    ws.pending.drop(name, timer.run)
            result = (
                "failed, restored from backup"
                if restored
                else f"failed, NOT restored ({mask(why_not or '', ws.secrets, secret_names)})"
            )
            record(result, error)
            return DeviceOutcome(name, plat, Status.failed, diff=diff, error=f"{error}; {result}")
    if timer is not None:
        _restart_window(ws, timer)
    status = Status.pending if plan.revert_in is not None else Status.committed
    record(status.value, None)
    detail = ""
    if plan.revert_in is not None:
        who_reverts = "the device" if on_device else "egovnet's timer (the device cannot)"
        detail = f"{who_reverts} reverts in {plan.revert_in}s unless confirmed"
    return DeviceOutcome(name, plat, status, diff=diff, detail=detail)


def _restart_window(ws: Workspace, timer: PendingConfirm) -> None:
    """The confirm window counts from the end of the push (a slow device does not eat it);
    the timer reads the deadline anew every second."""
    with ws.pending.locked(timer.device):
        current = ws.pending.get(timer.device)
        if current is not None and current.run == timer.run:
            ws.pending.put(current.model_copy(update={"deadline": time.time() + timer.seconds}))


def _arm(ws: Workspace, name: str, platform: str, plan: PushPlan) -> PendingConfirm:
    """egovnet's own revert timer for one device: a durable record, then the timer process."""
    assert plan.revert_in is not None
    if plan.backup_commit is None or ws.inventory_path is None:
        raise RuntimeError("no backup commit to revert to; not pushed")
    with ws.pending.locked(name):
        old = ws.pending.get(name)
        if old is not None and old.seconds_left() > 0:
            raise RuntimeError(
                f"a push (run {old.run}) is pending confirmation already: "
                f"confirm it or let it revert in {old.seconds_left():.0f}s"
            )
        record = PendingConfirm(
            device=name,
            platform=platform,
            run=ws.run_id,
            armed_at=now(),
            seconds=plan.revert_in,
            deadline=time.time() + plan.revert_in,
            backup_commit=plan.backup_commit,
            inventory=str(ws.inventory_path),
            secrets_file=str(ws.secrets.file) if ws.secrets.file else None,
        )
        return start_timer(ws.pending, record, ws.state_dir)


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


def _restore(session: ConfigSession, backup: str | None) -> str | None:
    """Put the pre-push config back; None when the running config then matches it, else
    why not (one line)."""
    if backup is None:
        return "no backup of this device"
    try:
        running = session.running_config()
        if session.change(running, backup).empty:
            return None
        session.apply(running, backup, None)
        left = session.change(session.running_config(), backup)
    except Exception as exc:
        return f"the restore failed too: {one_line(exc)}"
    if left.empty:
        return None
    return "still differs from the backup: " + " ".join(left.unified().split())[:300]


def confirm_task(task: Task, ws: Workspace) -> DeviceOutcome:
    name = task.host.name
    plat = ws.inventory.platform(ws.device(name)).value
    spec = platform_spec(ws.inventory.platform(ws.device(name)))
    if not spec.supports_commit_confirm:
        # egovnet's own timer: dropping the record is the confirmation (no session needed,
        # so a device that went unreachable after the push can still be confirmed)
        with ws.pending.locked(name):
            dropped = ws.pending.drop(name)
        if dropped is None:
            return DeviceOutcome(name, plat, Status.nothing_pending)
        record = _recorder(ws, action="confirm", device=name, platform=plat, diff="")
        record("confirmed", None)
        detail = f"egovnet's revert timer (run {dropped.run}) cancelled"
        return DeviceOutcome(name, plat, Status.confirmed, detail=detail)
    with session_for(ws, task) as session:
        if not session.has_pending_commit():
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
    return _converge_to(ws, task, backup, action="rollback", done=Status.rolled_back)


def revert_task(task: Task, ws: Workspace, runs: dict[str, str]) -> DeviceOutcome:
    """egovnet's timer ran out: the pre-push backup of the unconfirmed push of ``runs[name]``
    goes back on the device; the record stays (for a later try) when that fails."""
    name = task.host.name
    plat = ws.inventory.platform(ws.device(name)).value
    with ws.pending.locked(name):
        pending = ws.pending.get(name)
        if pending is None or pending.run != runs.get(name):
            return DeviceOutcome(name, plat, Status.nothing_pending, detail="confirmed meanwhile")
        backup = ws.backups.at(pending.backup_commit, name)
        if backup is None:
            ws.pending.drop(name)
            raise RuntimeError(f"backup commit {pending.backup_commit[:12]} has no {name}.cfg")
        outcome = _converge_to(
            ws,
            task,
            backup,
            action="restore",
            done=Status.reverted,
            result=f"reverted by egovnet: not confirmed within {pending.seconds}s",
        )
        ws.pending.drop(name, pending.run)
    detail = (
        f"not confirmed within {pending.seconds}s: egovnet restored the pre-push backup "
        f"{pending.backup_commit[:12]} (the device cannot revert by itself)"
    )
    if outcome.status is Status.unchanged:
        detail = f"not confirmed within {pending.seconds}s; already as before the push"
    return DeviceOutcome(name, plat, Status.reverted, diff=outcome.diff, detail=detail)


def _converge_to(
    ws: Workspace,
    task: Task,
    backup: str,
    *,
    action: str,
    done: Status,
    result: str | None = None,
) -> DeviceOutcome:
    """Make ``backup`` the running config again, logged as ``action``."""
    name = task.host.name
    plat = ws.inventory.platform(ws.device(name)).value
    with session_for(ws, task) as session:
        running = session.running_config()
        change = session.change(running, backup)
        if change.empty:
            return DeviceOutcome(name, plat, Status.unchanged, detail="already as in backup")
        diff = change.unified()
        record = _recorder(ws, action=action, device=name, platform=plat, diff=diff)
        try:
            session.apply(running, backup, None)
            left = session.change(session.running_config(), backup)
            if not left.empty:
                raise RuntimeError(f"not converged to the backup:\n{left.unified()}")
        except Exception as exc:
            record("failed", one_line(exc))
            raise
    record(result or done.value, None)
    return DeviceOutcome(name, plat, done, diff=diff)
