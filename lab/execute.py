"""Run a command on a lab device or server, as if logged in on its console.

On a device the command runs in its network namespace; ``vtysh`` and ``lldpcli`` are pointed
at that device's own daemons (``-N eg-<name>``, ``-u <its lldpd socket>``) unless the caller
says otherwise. On a server it runs inside the server's namespaces and copy-on-write root.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from base.errors import LabError

from . import procs, servers, shell
from .running import RunningLab, open_lab


def device_argv(lab: RunningLab, device: str, argv: Sequence[str]) -> list[str]:
    node = lab.node(device)
    args = list(argv)
    if not args:
        raise LabError("nothing to run")
    if node.is_server:
        rec = next((p for p in lab.state.processes_of(node.name) if p.daemon == "server"), None)
        init = servers.init_pid(rec.pid) if rec is not None and procs.alive(rec) else None
        if init is None:
            raise LabError(f"server {device} is not running (lab fault device-up {device}?)")
        return servers.exec_argv(init, args)
    tool = Path(args[0]).name
    if tool == "vtysh" and "-N" not in args and "--pathspace" not in args:
        args[1:1] = ["-N", node.namespace]
    if tool == "lldpcli" and "-u" not in args:
        args[1:1] = ["-u", str(lab.paths.lldpd_socket(node.name))]
    return shell.in_device(node.namespace, node.name, args)


def exec_in(
    state_dir: Path,
    device: str,
    argv: Sequence[str],
    *,
    timeout: float = 60.0,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` on ``device``; returns the completed process (output captured)."""
    lab = open_lab(state_dir)
    return shell.run(device_argv(lab, device, argv), check=False, timeout=timeout, input=input)
