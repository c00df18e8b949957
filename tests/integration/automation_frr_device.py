"""Real FRR devices for the automation tests: per device a network namespace ``t6-<name>``
with zebra/ospfd/bfdd/staticd (own pathspace and UTS hostname), sshd whose login is the
egovnet FRR agent (vtysh for logins, agent verbs for commands), a veth into the bridge
``t6-br0`` (host 172.30.6.1/24, device 172.30.6.<index>), and the local user ``t6netops``
in groups frrvty and frr. Devices can be cabled to each other (veth between namespaces).
Everything is torn down by PID and name, even when a test fails.

This is also the reference for what the lab must provide per FRR device (docs/automation.md).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DAEMONS = ("zebra", "ospfd", "bfdd", "staticd")
USER = "t6netops"
BRIDGE = "t6-br0"
SYSTEM_PYTHON = "/usr/bin/python3"


def run(*cmd: str, check: bool = True, input_: str | None = None) -> str:
    done = subprocess.run(
        cmd, capture_output=True, text=True, check=False, input=input_, timeout=60
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def wait_pid(pidfile: Path, timeout: float = 10) -> int:
    """The PID a daemon writes once it runs (the file may exist empty for a moment)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            return int(pidfile.read_text().strip())
        time.sleep(0.05)
    raise RuntimeError(f"no PID in {pidfile} after {timeout}s")


def can_build() -> str | None:
    """Why a device cannot be built here, or None."""
    if os.geteuid() != 0:
        return "needs root (network namespaces, daemons)"
    for tool in ("/usr/lib/frr/zebra", "/usr/sbin/sshd", "/usr/bin/vtysh", SYSTEM_PYTHON):
        if not Path(tool).exists():
            return f"{tool} is not installed"
    return None


@dataclass
class FrrDevice:
    name: str  # the hostname inside; the namespace and pathspace are t6-<name>
    index: int = 2  # the device's address is 172.30.6.<index>, the host's .1
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="t6-frr-")))
    pids: list[int] = field(default_factory=list)

    @property
    def ns(self) -> str:
        return f"t6-{self.name}"

    @property
    def address(self) -> str:
        return f"172.30.6.{self.index}"

    @property
    def host_veth(self) -> str:
        return f"t6-{self.name}-h"[:15]

    @property
    def confdir(self) -> Path:
        return Path("/etc/frr") / self.ns

    @property
    def rundir(self) -> Path:
        return Path("/var/run/frr") / self.ns

    @property
    def agent_state(self) -> Path:
        return self.work / "agent"

    @property
    def lldpd_socket(self) -> Path:
        return self.work / "lldpd.socket"

    def start_lldpd(self, ports: list[str]) -> None:
        """lldpd on ``ports`` (foreground, so its PID is ours), sending every second."""
        log = (self.work / "lldpd.log").open("w")
        proc = subprocess.Popen(
            [
                "ip",
                "netns",
                "exec",
                self.ns,
                "unshare",
                "--uts",
                "sh",
                "-c",
                f"hostname {self.name} && exec /usr/sbin/lldpd -d -u {self.lldpd_socket} "
                f"-I {','.join(ports)}",
            ],
            stdout=log,
            stderr=log,
        )
        self.pids.append(proc.pid)
        deadline = time.monotonic() + 10
        while not self.lldpd_socket.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        run("lldpcli", "-u", str(self.lldpd_socket), "configure", "lldp", "tx-interval", "1")

    def vtysh(self, *commands: str) -> str:
        args = ["vtysh", "-N", self.ns]
        for c in commands:
            args += ["-c", c]
        return run(*args, check=False)

    def running_config(self) -> str:
        return self.vtysh("show running-config")

    # --- bring up -----------------------------------------------------------------------
    def up(self, initial_config: str) -> None:
        run("ip", "netns", "add", self.ns)
        self._ns("ip", "link", "set", "lo", "up")
        run(
            "ip",
            "link",
            "add",
            self.host_veth,
            "type",
            "veth",
            "peer",
            "name",
            "mgmt0",
            "netns",
            self.ns,
        )
        run("ip", "link", "set", self.host_veth, "master", BRIDGE, "up")
        self._ns("ip", "addr", "add", f"{self.address}/24", "dev", "mgmt0")
        self._ns("ip", "link", "set", "mgmt0", "up")
        self._ns("sysctl", "-qw", "net.ipv4.ip_forward=1")
        self._frr(initial_config)
        self.agent_state.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.agent_state, USER, USER)
        self.work.chmod(0o755)
        self._sshd()

    def local_port(self, ifname: str) -> None:
        """A routed port whose other end (p-<ifname>) stays inside the device."""
        self._ns("ip", "link", "add", ifname, "type", "veth", "peer", "name", f"p-{ifname}")
        self._ns("ip", "link", "set", ifname, "up")
        self._ns("ip", "link", "set", f"p-{ifname}", "up")

    def _ns(self, *cmd: str) -> str:
        return run("ip", "netns", "exec", self.ns, *cmd)

    def _frr(self, initial_config: str) -> None:
        for d in (self.confdir, self.rundir):
            d.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.rundir, "frr", "frr")
        shutil.chown(self.confdir, "frr", "frrvty")
        self.confdir.chmod(0o775)  # write memory from vtysh needs it group-writable
        (self.confdir / "frr.conf").write_text(initial_config, encoding="utf-8")
        (self.confdir / "vtysh.conf").write_text("service integrated-vtysh-config\n")
        for f in ("frr.conf", "vtysh.conf"):
            shutil.chown(self.confdir / f, "frr", "frrvty")
            (self.confdir / f).chmod(0o664)
        for daemon in DAEMONS:
            # a UTS namespace per device: FRR prints the system hostname as `hostname`
            script = (
                f"hostname {self.name} && exec /usr/lib/frr/{daemon} -d -N {self.ns} "
                f"-F traditional -A 127.0.0.1"
            )
            self._ns("unshare", "--uts", "sh", "-c", script)
        for daemon in DAEMONS:
            self.pids.append(wait_pid(self.rundir / f"{daemon}.pid"))
        run("vtysh", "-N", self.ns, "-b", check=False)

    def _sshd(self) -> None:
        Path("/run/sshd").mkdir(exist_ok=True)
        key = self.work / "host_ed25519"
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key))
        agent = (
            f"env PYTHONPATH={REPO} {SYSTEM_PYTHON} -m automation.frr.agent "
            f"--pathspace {self.ns} --state-dir {self.agent_state} "
            f"--lldpd-socket {self.lldpd_socket}"
        )
        conf = self.work / "sshd_config"
        conf.write_text(
            f"ListenAddress {self.address}\nPort 22\nHostKey {key}\n"
            f"PidFile {self.work}/sshd.pid\nUsePAM no\nPasswordAuthentication yes\n"
            f"KbdInteractiveAuthentication no\nPermitRootLogin no\nAllowUsers {USER}\n"
            f"StrictModes no\nPrintMotd no\nMaxAuthTries 5\nClientAliveInterval 300\n"
            f"ForceCommand {agent}\n",
            encoding="utf-8",
        )
        # sshd (and so the vtysh it starts) shares the device's hostname: vtysh prints its
        # own `hostname` line besides the daemons'
        self._ns(
            "unshare",
            "--uts",
            "sh",
            "-c",
            f"hostname {self.name} && exec /usr/sbin/sshd -f {conf} -E {self.work / 'sshd.log'}",
        )
        self.pids.append(wait_pid(self.work / "sshd.pid"))

    # --- tear down ----------------------------------------------------------------------
    def timer_pids(self) -> list[int]:
        """Revert timers the agent started inside this device (they belong to the test)."""
        out = []
        for pid in run("ip", "netns", "pids", self.ns, check=False).split():
            cmdline = Path(f"/proc/{pid}/cmdline")
            with contextlib.suppress(OSError):
                if b"revert-timer" in cmdline.read_bytes():
                    out.append(int(pid))
        return out

    def ns_pids(self) -> list[int]:
        """Every process inside this device's namespace: all were started by the test."""
        return [int(p) for p in run("ip", "netns", "pids", self.ns, check=False).split()]

    def down(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in {*self.ns_pids(), *self.pids}:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
            time.sleep(0.3)
        run("ip", "link", "del", self.host_veth, check=False)
        run("ip", "netns", "del", self.ns, check=False)
        shutil.rmtree(self.confdir, ignore_errors=True)
        shutil.rmtree(self.rundir, ignore_errors=True)
        shutil.rmtree(self.work, ignore_errors=True)


def connect(a: FrrDevice, a_if: str, b: FrrDevice, b_if: str) -> None:
    """Cable two devices: a veth from one namespace into the other."""
    run(
        "ip",
        "netns",
        "exec",
        a.ns,
        "ip",
        "link",
        "add",
        a_if,
        "type",
        "veth",
        "peer",
        "name",
        b_if,
        "netns",
        b.ns,
    )
    run("ip", "netns", "exec", a.ns, "ip", "link", "set", a_if, "up")
    run("ip", "netns", "exec", b.ns, "ip", "link", "set", b_if, "up")


@dataclass
class T6Network:
    """The bridge, the login user and the devices of one test module."""

    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    devices: list[FrrDevice] = field(default_factory=list)

    def up(self) -> None:
        run("ip", "link", "add", BRIDGE, "type", "bridge")
        run("ip", "addr", "add", "172.30.6.1/24", "dev", BRIDGE)
        run("ip", "link", "set", BRIDGE, "up")
        run("userdel", USER, check=False)  # left over by a run that was killed
        run("useradd", "-M", "-d", "/nonexistent", "-s", "/bin/sh", "-G", "frrvty,frr,adm", USER)
        run("chpasswd", input_=f"{USER}:{self.password}\n")

    def device(self, name: str, index: int, initial_config: str) -> FrrDevice:
        dev = FrrDevice(name=name, index=index)
        self.devices.append(dev)  # registered first: torn down even if up() fails
        dev.up(initial_config)
        return dev

    def down(self) -> None:
        for dev in self.devices:
            dev.down()
        run("ip", "link", "del", BRIDGE, check=False)
        run("userdel", USER, check=False)


@contextlib.contextmanager
def t6_network() -> Iterator[T6Network]:
    net = T6Network()
    try:
        net.up()
        yield net
    finally:
        net.down()
