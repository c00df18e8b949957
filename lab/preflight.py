"""Can this machine run the lab? Root, the tools (by Debian package), a reachable state dir."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

from base.errors import LabUsageError

from .frr import DAEMON_DIR, DAEMONS

#: Tool -> the Debian package that ships it (scripts/install-deps.sh installs them all).
TOOLS = {
    "ip": "iproute2",
    "tc": "iproute2",
    "vtysh": "frr",
    "snmpd": "snmpd",
    "lldpd": "lldpd",
    "lldpcli": "lldpd",
    "sshd": "openssh-server",
    "ssh-keygen": "openssh-client",
    "unshare": "util-linux",
    "nsenter": "util-linux",
    "mount": "mount",
    "chroot": "coreutils",
    "sysctl": "procps",
    "openssl": "openssl",
    "ping": "iputils-ping",
}
TRAFFIC_TOOLS = {"iperf3": "iperf3"}
SEARCH_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def missing_tools(tools: dict[str, str], path: str | None = None) -> list[tuple[str, str]]:
    search = path if path is not None else os.environ.get("PATH", "") + ":" + SEARCH_PATH
    out = [(tool, pkg) for tool, pkg in tools.items() if shutil.which(tool, path=search) is None]
    if tools is TOOLS:
        out += [(str(DAEMON_DIR / d), "frr") for d in DAEMONS if not (DAEMON_DIR / d).is_file()]
    return out


def require_root() -> None:
    if os.geteuid() != 0:
        raise LabUsageError(
            "the lab needs root (network namespaces, mounts): run it with sudo or as root"
        )


def require_tools(tools: dict[str, str] = TOOLS, path: str | None = None) -> None:
    missing = missing_tools(tools, path)
    if missing:
        pkgs = sorted({pkg for _, pkg in missing})
        tool_list = ", ".join(tool for tool, _ in missing)
        raise LabUsageError(
            f"missing {tool_list}: install Debian package(s) {' '.join(pkgs)} (make setup)"
        )


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
