"""When a process started, from ``/proc/<pid>/stat``: what tells a process from a recycled PID.

Standard library only: the FRR device agent (``automation.frr.agent``) runs it with the
device's own Python, where none of the project's dependencies are installed.
"""

from __future__ import annotations

from pathlib import Path


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
