"""Can this machine run the lab? Root, the tools (by Debian package), a reachable state dir."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from base import programs
from base.errors import LabUsageError

from .frr import DAEMON_DIR, DAEMONS

#: The programs ``lab up`` needs; base/programs.txt names the package of each.
TOOLS: tuple[str, ...] = (
    "ip",
    "tc",
    "vtysh",
    "snmpd",
    "lldpd",
    "lldpcli",
    "sshd",
    "ssh-keygen",
    "unshare",
    "nsenter",
    "mount",
    "chroot",
    "sysctl",
    "openssl",
    "ping",
    *(str(DAEMON_DIR / daemon) for daemon in DAEMONS),
)
TRAFFIC_TOOLS: tuple[str, ...] = ("iperf3",)


def missing_tools(tools: Iterable[str], path: str | None = None) -> list[tuple[str, str]]:
    return programs.missing(tools, path)


def require_root() -> None:
    if os.geteuid() != 0:
        raise LabUsageError(
            "the lab needs root (network namespaces, mounts): run it with sudo or as root"
        )


def require_tools(tools: Iterable[str] = TOOLS, path: str | None = None) -> None:
    missing = missing_tools(tools, path)
    if missing:
        raise LabUsageError(programs.describe_missing(missing))


def require_searchable(directory: Path) -> None:
    """The daemons run as users ``frr`` and the lab accounts, so every parent directory of
    the state dir must let others through (``o+x``)."""
    path = directory.resolve()
    for parent in [path, *path.parents]:
        try:
            mode = parent.stat().st_mode
        except FileNotFoundError:
            continue
        if not mode & stat.S_IXOTH:
            raise LabUsageError(
                f"state dir {directory}: {parent} is not searchable by the lab's daemons "
                "(user frr); use a state dir under world-searchable directories or chmod o+x"
            )


def preflight(state_dir: Path, path: str | None = None) -> None:
    """Everything ``up`` checks before it touches the machine (each failure: exit 2)."""
    require_root()
    require_tools(TOOLS, path)
    require_searchable(state_dir)
