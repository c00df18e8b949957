"""A wiring of real lldpd daemons for the topology discovery tests.

One network namespace ``t7-<device>`` per network device of an inventory, one veth pair per
link (or per cable of a deliberately different wiring), lldpd in each namespace with the
device name as its system name and a one-second transmit interval. Nothing else runs: no
routing, no addresses beyond loopbacks, nothing leaves the machine. ``down()`` stops the
daemons by PID and deletes exactly the namespaces it made, even after a failed test.

Also used to record the fixtures in tests/fixtures/topology/lldp-lab/ (see its README).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from inventory.catalog import Inventory
from inventory.models import Device, Role

PREFIX = "t7-"
Cable = tuple[tuple[str, str], tuple[str, str]]  # ((device, interface), (device, interface))


def run(*cmd: str, check: bool = True) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def can_build() -> str | None:
    """Why the wiring cannot be built here, or None."""
    if os.geteuid() != 0:
        return "needs root (network namespaces)"
    for tool in ("lldpd", "lldpcli", "ip"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    return None


def intended_cables(inv: Inventory) -> list[Cable]:
    return [((lk.a.device, lk.a.interface), (lk.b.device, lk.b.interface)) for lk in inv.links]


@dataclass
class LldpNet:
    inv: Inventory
    work: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="t7-lldp-")))
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    namespaces: list[str] = field(default_factory=list)
    cables: int = 0

    @property
    def devices(self) -> list[Device]:
        return [d for d in self.inv.devices if d.role is not Role.server]

    @staticmethod
    def ns(device: str) -> str:
        return PREFIX + device

    def socket(self, device: str) -> Path:
        return self.work / f"{device}.sock"

    def up(self, cables: Iterable[Cable] | None = None) -> None:
        self.work.chmod(0o755)  # lldpd's unprivileged half must reach its socket here
        for dev in self.devices:
            run("ip", "netns", "add", self.ns(dev.name))
            self.namespaces.append(self.ns(dev.name))
            run("ip", "-n", self.ns(dev.name), "link", "set", "lo", "up")
            if dev.loopback is not None:
                run("ip", "-n", self.ns(dev.name), "addr", "add", f"{dev.loopback}/32", "dev", "lo")
        for cable in intended_cables(self.inv) if cables is None else cables:
            self.plug(cable)
        for dev in self.devices:
            self._start_lldpd(dev.name)
        if not self.wait_until(lambda: all(self.socket(d.name).exists() for d in self.devices)):
            raise RuntimeError(f"lldpd did not start; see the logs in {self.work}")

    def plug(self, cable: Cable) -> None:
        (dev_a, if_a), (dev_b, if_b) = cable
        self.cables += 1
        tmp_a, tmp_b = f"t7v{self.cables}a", f"t7v{self.cables}b"
        run(
            "ip",
            "link",
            "add",
            tmp_a,
            "netns",
            self.ns(dev_a),
            "type",
            "veth",
            "peer",
            "name",
            tmp_b,
            "netns",
            self.ns(dev_b),
        )
        for dev, tmp, name in ((dev_a, tmp_a, if_a), (dev_b, tmp_b, if_b)):
            run("ip", "-n", self.ns(dev), "link", "set", tmp, "name", name)
            run("ip", "-n", self.ns(dev), "link", "set", name, "up")

    def set_link(self, device: str, interface: str, up: bool) -> None:
        run("ip", "-n", self.ns(device), "link", "set", interface, "up" if up else "down")

    def _start_lldpd(self, device: str) -> None:
        conf = self.work / f"{device}.conf"
        conf.write_text(f"configure system hostname {device}\nconfigure lldp tx-interval 1\n")
        log = (self.work / f"{device}.log").open("wb")
        self.procs[device] = subprocess.Popen(
            [
                "ip",
                "netns",
                "exec",
                self.ns(device),
                "lldpd",
                "-d",
                "-u",
                str(self.socket(device)),
                "-O",
                str(conf),
                "-I",
                "eth*",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def lldpcli(self, device: str, command: str) -> str:
        """A command as the lab would run it in the device's namespace, on its own socket."""
        argv = shlex.split(command)
        if argv[0] == "lldpcli":
            argv[1:1] = ["-u", str(self.socket(device))]
        return run("ip", "netns", "exec", self.ns(device), *argv)

    def runner(self):  # type: ignore[no-untyped-def]  # a topology CommandRunner
        return lambda device, command: self.lldpcli(device.name, command)

    def neighbor_count(self, device: str) -> int:
        """Neighbours lldpd lists now (-1 while its control socket does not answer yet)."""
        try:
            data = json.loads(self.lldpcli(device, "lldpcli -f json0 show neighbors") or "{}")
        except RuntimeError:
            return -1
        return sum(len(block.get("interface", [])) for block in data.get("lldp", []))

    def wait_until(self, predicate, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.3)
        return False

    def down(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        self.procs.clear()
        for ns in self.namespaces:
            run("ip", "netns", "del", ns, check=False)
        self.namespaces.clear()
        shutil.rmtree(self.work, ignore_errors=True)
