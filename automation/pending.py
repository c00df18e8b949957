"""Pushes waiting for ``config confirm`` on devices that cannot revert by themselves.

FRR (the device agent) and IOS (``configure replace ... revert trigger``) hold a revert
timer on the device. Huawei VRP through napalm-huawei-vrp and H3C Comware through Netmiko
have none (see docs/automation.md), so egovnet keeps the timer: a push with
``--confirm-within`` writes a *pending-confirm record* before the first line changes, then
starts a detached timer process (:mod:`automation.revert_timer`). Unless ``config confirm``
drops the record in time, the timer restores the device's pre-push backup from the git
repository and writes a ``restore`` record to the change log.

The record is durable: ``<state>/automation/pending/<device>.json`` (mode 0600). When the
timer process is gone (the machine rebooted, it was killed) an overdue record is acted on by
the next ``egovnet config`` command that connects (:func:`automation.operations.prepare`):
the device runs the unconfirmed change until then. No secret is ever written here: the
timer reads credentials from its environment or the secrets file, as the CLI does.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, ValidationError

from base.atomic import write_text
from base.procs import ProcessRecord, alive

#: under the state directory
PENDING_DIR = "automation/pending"
#: an overdue record whose timer still runs gets this long before another process acts
GRACE_SECONDS = 5.0


class PendingConfirm(BaseModel):
    """One unconfirmed push that egovnet itself must revert."""

    device: str
    platform: str
    #: the run (``Workspace.run_id``) of the push: a later push's record is another one
    run: str
    armed_at: str
    seconds: int
    #: wall-clock deadline (seconds since the epoch): survives a reboot, unlike a monotonic one
    deadline: float
    #: the backup commit holding the device's pre-push config (``<device>.cfg``)
    backup_commit: str
    #: what the timer needs to reach the device again (paths only, never a secret)
    inventory: str
    secrets_file: str | None
    timer: ProcessRecord | None = None

    def seconds_left(self, now: float | None = None) -> float:
        return self.deadline - (time.time() if now is None else now)

    def overdue(self, now: float | None = None) -> bool:
        """Past its deadline with nobody left to act on it (the timer is gone, or late)."""
        left = self.seconds_left(now)
        if left > 0:
            return False
        return self.timer is None or not alive(self.timer) or -left > GRACE_SECONDS


class PendingStore:
    def __init__(self, state_dir: Path) -> None:
        self.root = state_dir / PENDING_DIR

    def path(self, device: str) -> Path:
        return self.root / f"{device}.json"

    @contextmanager
    def locked(self, device: str) -> Iterator[None]:
        """Exclusive use of one device's record: confirm, push and timer never interleave."""
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.root / f".{device}.lock", "a", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def get(self, device: str) -> PendingConfirm | None:
        try:
            text = self.path(device).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            return PendingConfirm.model_validate_json(text)
        except ValidationError:
            return None  # a record no egovnet wrote; confirm or a new push replaces it

    def put(self, record: PendingConfirm) -> None:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_text(self.path(record.device), record.model_dump_json(indent=1), mode=0o600)

    def drop(self, device: str, run: str | None = None) -> PendingConfirm | None:
        """Remove the device's record (only the one of ``run`` when given); the removed one."""
        record = self.get(device)
        if record is None or (run is not None and record.run != run):
            return None
        self.path(device).unlink(missing_ok=True)
        return record

    def all(self) -> list[PendingConfirm]:
        if not self.root.is_dir():
            return []
        found = (self.get(p.stem) for p in sorted(self.root.glob("*.json")))
        return [r for r in found if r is not None]


def start_timer(store: PendingStore, record: PendingConfirm, state_dir: Path) -> PendingConfirm:
    """Write ``record``, then start its timer process detached (own session, output to
    ``pending/timer.log``) so it outlives this command; the record as written with the timer."""
    import os
    import sys

    from base.procs import spawn_detached

    store.put(record)
    argv = [
        sys.executable,
        "-m",
        "automation.revert_timer",
        str(state_dir),
        record.device,
        record.run,
    ]
    pid, ticks = spawn_detached(argv, store.root / "timer.log", os.environ)
    timer = None if ticks is None else ProcessRecord(pid=pid, start_ticks=ticks, argv=argv)
    timed = record.model_copy(update={"timer": timer})
    store.put(timed)
    return timed
