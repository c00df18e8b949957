"""FRR per device: the initial config (OSPF area 0 + BFD on every link), daemons, queries.

Each device is an FRR *pathspace* named after its namespace, so the usual tools work:
``vtysh -N eg-core1`` finds ``/etc/frr/eg-core1/`` and ``/var/run/frr/eg-core1/``. Those two
paths are symlinks into the lab's state directory (``devices/<name>/frr`` and ``.../run``).
The config dir is group-writable so ``write memory`` from an SSH session (user in groups
frr and frrvty) saves the running config (``frr.conf``), which a later ``device-up`` boots.

Booting: a device whose ``frr.conf`` is still the lab's initial config starts each daemon
with its own slice of it (``-f boot/<daemon>.conf``), which costs nothing; a device with a
saved config of its own boots it with ``vtysh -b`` (vtysh's start-up costs ~0.3 s of CPU
per device, which adds up over a district of 80 devices).
"""

from __future__ import annotations

import ipaddress
import json
import socket
from dataclasses import dataclass, field
from pathlib import Path

from . import shell
from .plan import LabPlan, Node

DAEMONS = ("zebra", "ospfd", "bfdd", "staticd")
DAEMON_DIR = Path("/usr/lib/frr")
ETC_ROOT = Path("/etc/frr")
RUN_ROOT = Path("/var/run/frr")
BFD_PROFILE = "lab-fast"
HELLO_SECONDS = 1
DEAD_SECONDS = 4
BFD_INTERVAL_MS = 100
BFD_MULTIPLIER = 3


def etc_link(node: Node) -> Path:
    return ETC_ROOT / node.namespace


def run_link(node: Node) -> Path:
    return RUN_ROOT / node.namespace


@dataclass
class InterfaceConfig:
    name: str
    zebra: list[str] = field(default_factory=list)
    ospfd: list[str] = field(default_factory=list)


@dataclass
class FrrConfig:
    """The initial config, kept per daemon so it can be written whole or in slices."""

    hostname: str
    interfaces: list[InterfaceConfig]
    ospfd: list[str]
    bfdd: list[str]

    def integrated(self) -> str:
        lines = [*self._header(), "service integrated-vtysh-config", "!"]
        for iface in self.interfaces:
            lines += [f"interface {iface.name}", *iface.zebra, *iface.ospfd, "exit", "!"]
        lines += [*self.ospfd, *self.bfdd, *self._vty()]
        return "\n".join(lines) + "\n"

    def daemon(self, daemon: str) -> str:
        """One daemon's slice, for ``<daemon> -f`` at boot."""
        lines = [*self._header(), "!"]
        if daemon in {"zebra", "ospfd"}:
            for iface in self.interfaces:
                body = iface.zebra if daemon == "zebra" else iface.ospfd
                if body:
                    lines += [f"interface {iface.name}", *body, "exit", "!"]
        if daemon == "ospfd":
            lines += self.ospfd
        if daemon == "bfdd":
            lines += self.bfdd
        return "\n".join([*lines, *self._vty()]) + "\n"

    def _header(self) -> list[str]:
        return ["frr version 8.4", "frr defaults traditional", f"hostname {self.hostname}"]

    @staticmethod
    def _vty() -> list[str]:
        return ["line vty", " exec-timeout 10 0", "exit", "!"]


def config(plan: LabPlan, node: Node) -> FrrConfig:
    interfaces: list[InterfaceConfig] = []
    for port in node.ports:
        link = plan.link(port.link_id)
        interfaces.append(
            InterfaceConfig(
                port.ifname,
                zebra=[
                    f" description {link.description} to {port.peer_device}"
                    f" {port.peer_inventory_name}",
                    f" ip address {port.address}",
                ],
                ospfd=[
                    " ip ospf area 0",
                    " ip ospf network point-to-point",
                    f" ip ospf hello-interval {HELLO_SECONDS}",
                    f" ip ospf dead-interval {DEAD_SECONDS}",
                    " ip ospf retransmit-interval 1",
                    " ip ospf bfd",
                    f" ip ospf bfd profile {BFD_PROFILE}",
                ],
            )
        )
    passive: list[str] = []
    if node.lan_address is not None and not node.is_server:
        interfaces.append(
            InterfaceConfig(
                "lan0",
                zebra=[
                    f" description site LAN {node.lan_site} {node.lan_address.network}",
                    f" ip address {node.lan_address}",
                ],
                ospfd=[" ip ospf area 0"],
            )
        )
        passive.append("lan0")
    if node.loopback is not None:
        interfaces.append(
            InterfaceConfig(
                "lo",
                zebra=[f" ip address {ipaddress.IPv4Interface(f'{node.loopback}/32')}"],
                ospfd=[" ip ospf area 0"],
            )
        )
    ospfd = [
        "router ospf",
        f" ospf router-id {node.router_id}",
        *(f" passive-interface {name}" for name in passive),
        " timers throttle spf 0 50 1000",
        # a rebooted device re-originates its LSAs above the old ones at once
        " timers throttle lsa all 100",
        " timers lsa min-arrival 100",
        "exit",
        "!",
    ]
    bfdd = [
        "bfd",
        f" profile {BFD_PROFILE}",
        f"  detect-multiplier {BFD_MULTIPLIER}",
        f"  receive-interval {BFD_INTERVAL_MS}",
        f"  transmit-interval {BFD_INTERVAL_MS}",
        " exit",
        "exit",
        "!",
    ]
    return FrrConfig(node.name, interfaces, ospfd, bfdd)


def render(plan: LabPlan, node: Node) -> str:
    """The device's integrated ``frr.conf``: what ``show running-config`` starts from."""
    return config(plan, node).integrated()


def vtysh_conf(node: Node) -> str:
    """vtysh's own config: integrated frr.conf, and the device's name for vtysh itself."""
    return f"service integrated-vtysh-config\nhostname {node.name}\n"


def daemon_argv(node: Node, daemon: str, boot_file: Path | None = None) -> list[str]:
    """Foreground daemon in the device's pathspace; no TCP vty port (``-P 0``)."""
    argv = [str(DAEMON_DIR / daemon), "-N", node.namespace, "-F", "traditional", "-P", "0"]
    argv += ["-u", "frr", "-g", "frr", "--log", "stdout", "--log-level", "warnings"]
    if boot_file is not None:
        argv += ["-f", str(boot_file)]
    if daemon == "zebra":
        argv += ["-s", "16777216"]
    return shell.in_device(node.namespace, node.name, argv)


def vty_sockets(run_dir: Path) -> list[Path]:
    return [run_dir / f"{d}.vty" for d in DAEMONS]


def zserv_socket(run_dir: Path) -> Path:
    return run_dir / "zserv.api"


def vtysh(node_namespace: str, *commands: str, timeout: float = 30.0) -> str:
    argv = ["vtysh", "-N", node_namespace]
    for cmd in commands:
        argv += ["-c", cmd]
    return shell.run(argv, timeout=timeout, what=f"vtysh {node_namespace}").stdout


def boot(node: Node) -> None:
    """Load the saved integrated config into the running daemons (``vtysh -b``)."""
    shell.run(["vtysh", "-N", node.namespace, "-b"], timeout=60, what=f"vtysh -b {node.name}")


def vty_command(run_dir: Path, daemon: str, command: str, timeout: float = 5.0) -> str | None:
    """One command straight to a daemon's vty socket (what vtysh does, minus its start-up):
    each command goes NUL-terminated; each answer ends with three NULs and a status byte.
    A new session starts in view mode, so ``enable`` goes first (as vtysh's does)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(run_dir / f"{daemon}.vty"))
            answers = [_ask(sock, line) for line in ("enable", command)]
    except OSError:
        return None
    status, text = answers[-1]
    return text if status == 0 else None


def _ask(sock: socket.socket, line: str) -> tuple[int, str]:
    sock.sendall(line.encode() + b"\0")
    buf = b""
    while not (len(buf) >= 4 and buf[-4:-1] == b"\0\0\0"):
        chunk = sock.recv(65536)
        if not chunk:
            raise OSError("vty closed")
        buf += chunk
    return buf[-1], buf[:-4].decode("utf-8", "replace")


@dataclass(frozen=True)
class OspfNeighbor:
    router_id: str
    state: str
    interface: str
    address: str

    @property
    def full(self) -> bool:
        return self.state.startswith("Full")


def ospf_neighbors(run_dir: Path) -> list[OspfNeighbor]:
    """``show ip ospf neighbor json`` from the device's ospfd; none if it does not answer."""
    text = vty_command(run_dir, "ospfd", "show ip ospf neighbor json")
    if not text:
        return []
    try:
        data = json.loads(text)
    except ValueError:
        return []
    out: list[OspfNeighbor] = []
    for rid, entries in (data.get("neighbors") or {}).items():
        for entry in entries if isinstance(entries, list) else [entries]:
            out.append(
                OspfNeighbor(
                    router_id=rid,
                    state=str(entry.get("nbrState") or entry.get("state") or ""),
                    interface=str(entry.get("ifaceName") or "").split(":")[0],
                    address=str(entry.get("ifaceAddress") or entry.get("address") or ""),
                )
            )
    return out


def bfd_peers_up(run_dir: Path) -> set[str]:
    """Addresses of the BFD peers whose session is up (``show bfd peers json``)."""
    text = vty_command(run_dir, "bfdd", "show bfd peers json")
    if not text:
        return set()
    try:
        data = json.loads(text)
    except ValueError:
        return set()
    return {str(p.get("peer")) for p in data if isinstance(p, dict) and p.get("status") == "up"}
