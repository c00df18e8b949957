"""Starting, checking and stopping the lab's daemons, by PID and start time only.

Daemons run in the foreground as children of the process that ran ``up`` (so their PID is
known without pid files) in their own session; if that process exits they are adopted by
init. A PID is only ever signalled when its start time still matches the record, so a
recycled PID is never hit.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from base.errors import LabError

from .shell import TOOL_ENV
from .state import ProcessRecord

#: Popen objects of daemons this Python process started (reaped when stopped).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def start_ticks(pid: int) -> int | None:
    """Field 22 of /proc/<pid>/stat (start time in clock ticks), None if gone or a zombie."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rfind(")") + 2 :].split()
    if fields[0] in {"Z", "X"}:
        return None
    return int(fields[19])


def alive(rec: ProcessRecord) -> bool:
    return start_ticks(rec.pid) == rec.start_ticks


def spawn(
    node: str, daemon: str, argv: Sequence[str], log: Path, env: dict[str, str] | None = None
) -> ProcessRecord:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        try:
            proc = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=env or TOOL_ENV,
                close_fds=True,
            )
        except OSError as exc:
            raise LabError(f"{node}: cannot start {daemon}: {exc.strerror}") from exc
    _CHILDREN[proc.pid] = proc
    ticks = None
    for _ in range(50):
        ticks = start_ticks(proc.pid)
        if ticks is not None:
            break
        time.sleep(0.01)
    if ticks is None:
        raise LabError(f"{node}: {daemon} exited at once; see {log}")
    return ProcessRecord(node=node, daemon=daemon, pid=proc.pid, start_ticks=ticks, argv=list(argv))


def _reap(pid: int) -> None:
    child = _CHILDREN.pop(pid, None)
    if child is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=0)
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


def stop(
    records: Iterable[ProcessRecord], extra_pids: Iterable[int] = (), grace: float = 3.0
) -> list[int]:
    """SIGTERM the recorded daemons and their descendants, wait up to ``grace`` seconds, then
    SIGKILL; returns PIDs still alive after."""
    live = {r.pid: r.start_ticks for r in records if alive(r)}
    extra_pids = [*extra_pids, *(kid for pid in list(live) for kid in descendants(pid))]
    for pid in extra_pids:
        ticks = start_ticks(pid)
        if ticks is not None:
            live.setdefault(pid, ticks)
    signal_pids(live, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while live and time.monotonic() < deadline:
        for pid in list(live):
            _reap(pid)
            if start_ticks(pid) != live[pid]:
                del live[pid]
        if live:
            time.sleep(0.05)
    signal_pids(live, signal.SIGKILL)
    deadline = time.monotonic() + 2.0
    while live and time.monotonic() < deadline:
        for pid in list(live):
            _reap(pid)
            if start_ticks(pid) != live[pid]:
                del live[pid]
        if live:
            time.sleep(0.05)
    return sorted(live)


def netns_pids(namespaces: Iterable[str]) -> dict[str, list[int]]:
    """Every process in each of these network namespaces (one pass over /proc, where
    ``ip netns pids`` would make one pass per namespace)."""
    inodes: dict[int, str] = {}
    for ns in namespaces:
        try:
            inodes[os.stat(f"/run/netns/{ns}").st_ino] = ns
        except OSError:
            continue
    out: dict[str, list[int]] = {ns: [] for ns in inodes.values()}
    if not inodes:
        return out
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            ino = os.stat(f"/proc/{entry.name}/ns/net").st_ino
        except OSError:
            continue
        if ino in inodes:
            out[inodes[ino]].append(int(entry.name))
    return out


def rss_bytes(pid: int) -> int:
    """Proportional set size (shared pages split between sharers), else RSS; 0 if gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0
