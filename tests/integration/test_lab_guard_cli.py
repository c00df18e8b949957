"""The route guard as a user meets it: with no lab up, every command that would send to the
lab's devices refuses in one line, changes nothing and sends nothing.

Each command runs inside a throwaway network namespace that has loopback and one veth whose
default route leads nowhere (its peer is in the same namespace): even a broken guard could not
send a packet off this machine. The veth's transmit counter is the proof that nothing was
sent; a control test shows that counter does see a datagram.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lab.state import LabState, load_state, save_state
from tests.conftest import REPO

pytestmark = pytest.mark.integration

OUT = "egtout0"  # the sandbox's way "out": a veth whose peer is in the same namespace
GATEWAY = "192.0.2.1"  # TEST-NET-1, answered by nobody; a static neighbour entry avoids ARP
SETUP = f"""
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add {OUT} type veth peer name egtout1
ip link set egtout1 up
ip link set {OUT} up
ip addr add 192.0.2.2/24 dev {OUT}
ip neigh replace {GATEWAY} lladdr 02:00:00:00:00:01 dev {OUT} nud permanent
ip route add default via {GATEWAY} dev {OUT}
echo ready
exec sleep 600
"""


def _unavailable() -> str | None:
    if os.geteuid() != 0:
        return "a network namespace needs root"
    missing = [tool for tool in ("unshare", "nsenter", "ip") if shutil.which(tool) is None]
    return f"missing {', '.join(missing)}" if missing else None


@dataclass
class Sandbox:
    """A network namespace held open by one ``sleep`` process (its PID is the handle)."""

    pid: int

    def _argv(self, *argv: str) -> list[str]:
        # never run anything in the host's namespace by mistake
        assert os.readlink(f"/proc/{self.pid}/ns/net") != os.readlink("/proc/self/ns/net")
        return ["nsenter", f"--target={self.pid}", "--net", "--", *argv]

    def run(self, *argv: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("EGOVNET_")}
        return subprocess.run(
            self._argv(*argv),
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def sent_packets(self) -> int:
        """Packets every interface but loopback has transmitted."""
        done = self.run("ip", "-j", "-s", "link", "show")
        assert done.returncode == 0, done.stderr
        links = json.loads(done.stdout)
        return sum(int(ln["stats64"]["tx"]["packets"]) for ln in links if ln["ifname"] != "lo")


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    reason = _unavailable()
    if reason is not None:
        pytest.skip(reason)
    holder = subprocess.Popen(
        ["unshare", "--net", "--", "sh", "-ec", SETUP], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready", "the sandbox namespace failed"
        box = Sandbox(holder.pid)
        route = json.loads(box.run("ip", "-j", "route", "get", "172.31.250.1").stdout)
        assert route[0]["dev"] == OUT  # the lab's addresses would leave through the veth
        yield box
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_the_sandbox_counts_what_would_have_left(sandbox: Sandbox) -> None:
    """The control: one datagram towards a lab address shows up on the counter."""
    assert sandbox.sent_packets() == 0
    send = (
        "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM);"
        " s.sendto(b'x', ('172.31.250.1', 161))"
    )
    assert sandbox.run(sys.executable, "-c", send).returncode == 0
    assert sandbox.sent_packets() == 1


REFUSAL = re.compile(
    r"error: the lab is not up: (?P<name>.+) \((?P<address>[0-9.]+)\) would go out dev"
    rf" {OUT} via {re.escape(GATEWAY)}, not through the lab's bridge egmgmt0, so nothing was"
    r" sent; run `egovnet lab up --state-dir (?P<state>\S+)` first(?P<hint>.*)"
)


BANDWIDTH = ["bandwidth", "test", "--profile", "lab", "--link", "town1-vil1"]


@pytest.mark.parametrize(
    ("argv", "first"),
    [
        pytest.param(["poll", "--profile", "lab"], ("city1", "172.31.250.3"), id="poll"),
        pytest.param(
            ["poll", "--profile", "lab", "core1", "--json"], ("core1", "172.31.250.1"), id="poll1"
        ),
        pytest.param(
            ["config", "diff", "--profile", "lab"], ("city1", "172.31.250.3"), id="config-diff"
        ),
        pytest.param(
            ["config", "push", "--profile", "lab", "--commit", "town1"],
            ("town1", "172.31.250.11"),
            id="config-push",
        ),
        pytest.param(
            ["config", "backup", "--profile", "lab", "--filter", "tier=village"],
            None,
            id="config-backup",
        ),
        pytest.param(
            ["exporter", "--profile", "lab", "--web.listen-address", "127.0.0.1:9516"],
            None,
            id="exporter",
        ),
        pytest.param(["monitor", "up", "--profile", "lab"], None, id="monitor-up"),
        pytest.param(
            ["topology", "discover", "--profile", "lab", "-d", "vil2"],
            ("vil2", "172.31.250.22"),
            id="topology-discover",
        ),
        pytest.param(
            [*BANDWIDTH, "--server", "198.51.100.9"],
            ("the iperf3 server of town1-vil1", "198.51.100.9"),
            id="bandwidth-test",
        ),
        pytest.param(
            ["audit", "run", "--profile", "lab", "--no-devices"],
            ("srv-cloud1", "172.31.250.101"),
            id="audit-run",
        ),
    ],
)
def test_without_a_lab_the_command_refuses_and_sends_nothing(
    sandbox: Sandbox, tmp_path: Path, argv: list[str], first: tuple[str, str] | None
) -> None:
    state = tmp_path / "state"
    started = time.monotonic()
    done = sandbox.run(sys.executable, "-m", "egovnet", *argv, "--state-dir", str(state))
    took = time.monotonic() - started
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    refusal = REFUSAL.fullmatch(lines[0])
    assert refusal is not None, lines[0]
    assert refusal["state"] == str(state)
    if first is not None:
        assert (refusal["name"], refusal["address"]) == first
    assert done.stdout == ""
    assert sandbox.sent_packets() == 0, "the command sent packets before refusing"
    assert not state.exists(), "a refused command must change nothing"
    assert took < 15, f"refusing took {took:.1f}s: it must come before any network work"


def test_monitor_up_still_says_how_to_do_without_the_lab(sandbox: Sandbox, tmp_path: Path) -> None:
    done = sandbox.run(
        sys.executable, "-m", "egovnet", "monitor", "up", "--profile", "lab",
        "--state-dir", str(tmp_path / "state"),
    )  # fmt: skip
    refusal = REFUSAL.fullmatch(done.stderr.strip())
    assert refusal is not None, done.stderr
    assert refusal["hint"] == ", or point --exporter-address at an exporter of your own"


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["monitor", "up", "--profile", "lab"], id="monitor-up"),
        pytest.param(["bandwidth", "test", "--profile", "lab", "江湾镇"], id="bandwidth-lab"),
        pytest.param(["poll", "--profile", "lab"], id="poll"),
    ],
)
def test_a_stale_state_file_saying_up_does_not_open_the_way(
    sandbox: Sandbox, tmp_path: Path, argv: list[str]
) -> None:
    """After a crash the state file may still say ``up``: the kernel's routes decide."""
    state = tmp_path / "state"
    save_state(
        LabState(
            status="up",
            state_dir=str(state),
            inventory_root=str(REPO / "inventory" / "lab"),
            profile="lab",
        )
    )
    stale = load_state(state)
    assert stale is not None and stale.status == "up"
    before = sorted(p.relative_to(state) for p in state.rglob("*"))
    done = sandbox.run(sys.executable, "-m", "egovnet", *argv, "--state-dir", str(state))
    assert done.returncode == 2, done.stdout + done.stderr
    assert REFUSAL.fullmatch(done.stderr.strip()) is not None, done.stderr
    assert sandbox.sent_packets() == 0
    assert sorted(p.relative_to(state) for p in state.rglob("*")) == before
