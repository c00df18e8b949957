"""Processes this program started, known by PID *and* kernel start time.

A PID alone is not an identity: once a process exits the kernel may give its PID to a
stranger. Every record keeps the start time (field 22 of ``/proc/<pid>/stat``, in clock
ticks) read right after the start, and a PID is only ever signalled while its start time still
matches the record, so a recycled PID is never hit. Processes run in their own session with
output to a log file, so they outlive the command that started them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel

from .pidstat import start_ticks

#: Popen objects of processes this Python process started (reaped when they are stopped).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


class ProcessRecord(BaseModel):
    """A process we started: a recycled PID never matches ``start_ticks``."""

    pid: int
    start_ticks: int
    argv: list[str]


def alive(record: ProcessRecord) -> bool:
    """The recorded process still runs and is the one we started."""
    return start_ticks(record.pid) == record.start_ticks


def spawn_detached(
    argv: Sequence[str], log: Path, env: Mapping[str, str], cwd: Path | None = None
) -> tuple[int, int | None]:
    """Start ``argv`` detached, output appended to ``log``: (pid, start ticks), the ticks None
    when it exited at once. A program that cannot be run raises :class:`OSError`."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=dict(env),
            cwd=cwd,
            close_fds=True,
        )
    _CHILDREN[proc.pid] = proc
    ticks = None
    for _ in range(50):
        ticks = start_ticks(proc.pid)
        if ticks is not None:
            break
        time.sleep(0.01)
    return proc.pid, ticks


def reap(pid: int) -> None:
    """Collect the exit status of a child of ours, so it does not linger as a zombie."""
    child = _CHILDREN.pop(pid, None)
    if child is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=0)
        if child.returncode is None:
            _CHILDREN[pid] = child
        return
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def signal_pids(pids: Iterable[int], sig: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def descendants(pid: int) -> list[int]:
    """Children, grandchildren, ... of a process (e.g. a server's PID 1 under ``unshare``)."""
    out: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                kids = [int(x) for x in (task / "children").read_text().split()]
            except OSError:
                continue
            out += kids
            todo += kids
    return out


def _wait_gone(live: dict[int, int], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while live and time.monotonic() < deadline:
        for pid in list(live):
            reap(pid)
            if start_ticks(pid) != live[pid]:
                del live[pid]
        if live:
            time.sleep(0.05)


def stop(
    records: Iterable[ProcessRecord], extra_pids: Iterable[int] = (), grace: float = 3.0
) -> list[int]:
    """SIGTERM the recorded processes and their descendants, wait up to ``grace`` seconds, then
    SIGKILL; returns PIDs still alive after."""
    live = {r.pid: r.start_ticks for r in records if alive(r)}
    extra_pids = [*extra_pids, *(kid for pid in list(live) for kid in descendants(pid))]
    for pid in extra_pids:
        ticks = start_ticks(pid)
        if ticks is not None:
            live.setdefault(pid, ticks)
    signal_pids(live, signal.SIGTERM)
    _wait_gone(live, grace)
    signal_pids(live, signal.SIGKILL)
    _wait_gone(live, 2.0)
    return sorted(live)
