"""``down``: remove exactly what the lab made, then check that nothing of it is left.

Processes go first (recorded PIDs, plus anything else still inside a lab namespace), then
the namespaces (which takes every veth and fabric bridge with them), the management bridge,
the FRR pathspace symlinks, the runtime files and the owner record. Logs, the client key and
the state file (marked ``down``) stay for post-mortems. ``sweep`` does the same by name for
a lab whose state directory is lost (a crashed CI run): namespaces ``eg-*`` and ``egfabric``,
the bridge ``egmgmt0``, ``egm*`` veths and ``eg-*`` symlinks in FRR's directories.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from base.errors import LabError

from . import frr, names, netdev, procs
from .paths import LabPaths
from .state import LabState, clear_owner, load_state, machine_lock, read_owner, save_state


@dataclass
class DownReport:
    """What ``down`` removed, and anything it found left over (should be empty)."""

    state_dir: str | None
    processes: int = 0
    namespaces: int = 0
    links: int = 0
    symlinks: int = 0
    leftovers: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.leftovers


def down(state_dir: Path, *, check: bool = True) -> DownReport:
    """Tear the lab of ``state_dir`` down; raise LabError (exit 1) if anything is left."""
    state_dir = state_dir.resolve()
    with machine_lock():
        report = teardown(state_dir, load_state(state_dir))
    if check and not report.clean:
        raise LabError(f"lab down left {len(report.leftovers)} object(s): {report.leftovers[0]}")
    return report


def teardown(state_dir: Path, state: LabState | None) -> DownReport:
    """The work of ``down`` (the caller holds the machine lock)."""
    report = DownReport(state_dir=str(state_dir))
    if state is None:
        clear_owner(state_dir)
        return report
    namespaces = list(state.namespaces)
    present = netdev.existing_namespaces()
    extra = [pid for pids in procs.netns_pids(namespaces).values() for pid in pids]
    report.processes = len({p.pid for p in state.processes if procs.alive(p)} | set(extra))
    procs.stop(state.processes, extra)
    report.namespaces = len([ns for ns in namespaces if ns in present])
    netdev.delete_namespaces(namespaces)
    ports = [*state.host_ports, *([state.bridge] if state.bridge else [])]
    have = netdev.link_names(None)
    report.links = len([p for p in ports if p in have])
    netdev.delete_links(ports)
    lab_root = LabPaths(state_dir).root
    for link in state.symlinks:
        path = Path(link)
        if path.is_symlink() and _inside(Path(os.readlink(path)), lab_root):
            path.unlink()
            report.symlinks += 1
    for directory in LabPaths(state_dir).runtime_dirs:
        shutil.rmtree(directory, ignore_errors=True)
    clear_owner(state_dir)
    report.leftovers = leftovers(state)
    state.status = "down"
    state.processes = []
    state.faults.links.clear()
    state.faults.devices.clear()
    save_state(state)
    return report


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def leftovers(state: LabState) -> list[str]:
    """Anything of this lab still in ``ip netns``, ``ip link``, the process or mount table."""
    out: list[str] = []
    present = netdev.existing_namespaces()
    out += [f"namespace {ns}" for ns in state.namespaces if ns in present]
    links = netdev.link_names(None)
    out += [f"link {p}" for p in [*state.host_ports, state.bridge or ""] if p and p in links]
    out += [f"process {p.pid} ({p.node} {p.daemon})" for p in state.processes if procs.alive(p)]
    out += [f"process {pid} ({cmd})" for pid, cmd in processes_mentioning(state.state_dir)]
    out += [f"mount {m}" for m in mounts_mentioning(state)]
    out += [f"symlink {s}" for s in state.symlinks if Path(s).is_symlink()]
    return out


def processes_mentioning(state_dir: str) -> list[tuple[int, str]]:
    """Live processes whose command line names the lab's state directory."""
    needle = (str(Path(state_dir) / "lab") + "/").encode()
    me = os.getpid()
    out: list[tuple[int, str]] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmdline and procs.start_ticks(int(entry.name)) is not None:
            out.append(
                (int(entry.name), cmdline.replace(b"\0", b" ").decode(errors="replace")[:80])
            )
    return out


def mounts_mentioning(state: LabState) -> list[str]:
    """Host mount-table entries of the lab's namespaces or state directory."""
    needles = [f"/run/netns/{ns}" for ns in state.namespaces]
    needles.append(str(Path(state.state_dir) / "lab"))
    try:
        table = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return []
    out = []
    for line in table:
        mount_point = line.split()[4]
        if any(mount_point == n or mount_point.startswith(n + "/") for n in needles):
            out.append(mount_point)
    return out


def sweep() -> DownReport:
    """Remove any lab on this machine: the recorded owner's first, then anything by name."""
    with machine_lock():
        owner = read_owner()
        report = DownReport(state_dir=str(owner) if owner else None)
        if owner is not None:
            state = load_state(owner) if (owner / "lab" / "state.json").is_file() else None
            if state is not None:
                report = teardown(owner, state)
        clear_owner(None)
        lab_ns = sorted(ns for ns in netdev.existing_namespaces() if names.is_lab_namespace(ns))
        pids = [pid for found in procs.netns_pids(lab_ns).values() for pid in found]
        report.processes += len(pids)
        procs.stop([], pids)
        report.namespaces += len(lab_ns)
        netdev.delete_namespaces(lab_ns)
        ports = [
            p
            for p in netdev.link_names(None)
            if p == names.MGMT_BRIDGE or p.startswith(names.HOST_PORT_PREFIX)
        ]
        report.links += len(ports)
        netdev.delete_links(ports)
        for root in (frr.ETC_ROOT, frr.RUN_ROOT):
            for path in root.glob(names.NAMESPACE_PREFIX + "*"):
                if path.is_symlink():
                    path.unlink()
                    report.symlinks += 1
        left = [
            f"namespace {ns}" for ns in netdev.existing_namespaces() if names.is_lab_namespace(ns)
        ]
        left += [f"link {p}" for p in netdev.link_names(None) if p == names.MGMT_BRIDGE]
        report.leftovers += left
        return report
