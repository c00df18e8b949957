"""Starting, checking and stopping the lab's daemons, by PID and start time only.

Daemons run in the foreground as children of the process that ran ``up`` (so their PID is
known without pid files) in their own session; if that process exits they are adopted by
init. Ownership by PID and start time is the ground floor's (``base.procs``); this module adds
the lab's records and what only the lab asks (processes per namespace, memory).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from base.errors import LabError
from base.pidstat import start_ticks
from base.procs import alive, spawn_detached, stop

from .shell import TOOL_ENV
from .state import DaemonRecord

__all__ = ["alive", "netns_pids", "rss_bytes", "spawn", "start_ticks", "stop"]


def spawn(
    node: str, daemon: str, argv: Sequence[str], log: Path, env: dict[str, str] | None = None
) -> DaemonRecord:
    try:
        pid, ticks = spawn_detached(argv, log, env or TOOL_ENV)
    except OSError as exc:
        raise LabError(f"{node}: cannot start {daemon}: {exc.strerror}") from exc
    if ticks is None:
        raise LabError(f"{node}: {daemon} exited at once; see {log}")
    return DaemonRecord(node=node, daemon=daemon, pid=pid, start_ticks=ticks, argv=list(argv))


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
