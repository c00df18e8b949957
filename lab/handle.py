"""A typed handle on a running lab, for tests and tools of the other layers.

from lab.handle import LabHandle
lab = LabHandle(Path(".egovnet"))
lab.vtysh("core1", "show ip ospf neighbor")
lab.ping("core1", "10.255.0.11").received
lab.link_down("core1-town1"); ...; lab.link_up("core1-town1")
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from inventory.catalog import Inventory

from . import faults, frr, lldp, shell
from .credentials import LabCredentials, SnmpV3User
from .execute import device_argv
from .plan import LabPlan
from .running import RunningLab, open_lab
from .snmpd import TrapSink
from .state import LabState, LinkFaultMode, load_state
from .status import LabStatus, status
from .traffic import TrafficResult, traffic
from .vendors.server import NETMIKO_DEVICE_TYPES

_PING = re.compile(r"(\d+) packets transmitted, (\d+) (?:packets )?received")


@dataclass(frozen=True)
class PingResult:
    sent: int
    received: int

    @property
    def lost(self) -> int:
        return self.sent - self.received


class LabHandle:
    """Everything a test needs to drive the lab recorded in ``state_dir``."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir.resolve()

    def _lab(self) -> RunningLab:
        return open_lab(self.state_dir)

    @cached_property
    def _static(self) -> RunningLab:
        return self._lab()

    @property
    def inventory(self) -> Inventory:
        return self._static.inventory

    @property
    def plan(self) -> LabPlan:
        return self._static.plan

    @property
    def state(self) -> LabState:
        state = load_state(self.state_dir)
        assert state is not None
        return state

    @property
    def credentials(self) -> LabCredentials:
        return self._static.credentials

    @property
    def env(self) -> dict[str, str]:
        """Every lab secret by its environment-variable name (for child processes)."""
        return dict(self.credentials.env)

    @property
    def trap_sink(self) -> TrapSink | None:
        sink = self.state.trap_sink
        return TrapSink.from_record(sink) if sink else None

    def mgmt_address(self, device: str) -> str:
        return str(self._static.node(device).mgmt.ip)

    def snmp_user(self, device: str) -> SnmpV3User:
        return self.credentials.v3[self.inventory.device(device).snmp_profile]

    def community(self, device: str) -> str | None:
        legacy = self.inventory.device(device).legacy_snmp_profile
        return self.credentials.communities.get(legacy) if legacy else None

    def ifname(self, device: str, inventory_name: str) -> str:
        """The Linux name of an inventory interface (they differ for names Linux cannot hold)."""
        return self.state.nodes[device].ifnames.get(inventory_name, inventory_name)

    # --- running things on devices -----------------------------------------------------
    def exec(
        self, device: str, *argv: str, timeout: float = 60.0, check: bool = False
    ) -> subprocess.CompletedProcess[str]:
        proc = shell.run(device_argv(self._lab(), device, argv), check=False, timeout=timeout)
        if check and proc.returncode != 0:
            raise AssertionError(f"{device}: {' '.join(argv)} -> {proc.returncode}: {proc.stderr}")
        return proc

    def vtysh(self, device: str, command: str) -> str:
        return frr.vtysh(self._static.node(device).namespace, command)

    def ospf_neighbors(self, device: str) -> list[frr.OspfNeighbor]:
        return frr.ospf_neighbors(self._static.paths.frr_run(device))

    def lldp_neighbors(self, device: str) -> list[lldp.LldpNeighbor]:
        node = self._static.node(device)
        return lldp.neighbors(node.namespace, self._static.paths.lldpd_socket(device))

    def ping(
        self, source: str, target: str, count: int = 3, interval: float = 0.2, wait: float = 1.0
    ) -> PingResult:
        proc = self.exec(
            source,
            "ping",
            "-n",
            "-q",
            "-c",
            str(count),
            "-i",
            f"{interval:g}",
            "-W",
            f"{wait:g}",
            target,
            timeout=count * interval + wait + 30,
        )
        match = _PING.search(proc.stdout)
        if not match:
            return PingResult(count, 0)
        return PingResult(int(match.group(1)), int(match.group(2)))

    def http_get(self, device: str, url: str, timeout: float = 5.0) -> tuple[int, str]:
        """GET ``url`` from inside a device's namespace: (status, body); status 0 if none."""
        code = (
            "import sys,urllib.request as u\n"
            "try:\n"
            f" r=u.urlopen({url!r},timeout={timeout});print(r.status);print(r.read().decode())\n"
            "except Exception as e:\n"
            " s=getattr(e,'code',0);print(s);print(e)\n"
        )
        proc = self.exec(device, "python3", "-I", "-c", code, timeout=timeout + 15)
        first, _, rest = proc.stdout.partition("\n")
        return (int(first) if first.strip().isdigit() else 0), rest.strip()

    # --- faults and traffic ------------------------------------------------------------
    def link_down(self, link_id: str, mode: LinkFaultMode = "carrier") -> None:
        faults.link_down(self.state_dir, link_id, mode)

    def link_up(self, link_id: str, wait: float = 30.0) -> None:
        """Restore a circuit and (``wait`` > 0) wait for OSPF Full and BFD up over it."""
        faults.link_up(self.state_dir, link_id, wait=wait)

    def wait_converged(self, link_id: str, timeout: float = 30.0) -> None:
        lab = self._lab()
        faults.wait_converged(lab, lab.link(link_id), timeout)

    def device_down(self, device: str) -> None:
        faults.device_down(self.state_dir, device)

    def device_up(self, device: str) -> None:
        faults.device_up(self.state_dir, device)

    def traffic(self, site: str, mbps: float, seconds: float, **kw: Any) -> TrafficResult:
        return traffic(self.state_dir, site, mbps, seconds, **kw)

    def status(self) -> LabStatus:
        return status(self.state_dir)

    # --- connection parameters for the other layers ------------------------------------
    def netmiko_params(self, device: str) -> dict[str, Any]:
        """Keyword arguments for ``netmiko.ConnectHandler`` to a lab device (its vendor's
        driver where the emulation answers, else ``cisco_ios`` for vtysh)."""
        dev = self.inventory.device(device)
        assert dev.credential_profile is not None
        account = self.credentials.accounts[dev.credential_profile]
        emulation = self._static.node(device).emulation
        return {
            "device_type": NETMIKO_DEVICE_TYPES[emulation.value] if emulation else "cisco_ios",
            "host": self.mgmt_address(device),
            "username": account.username,
            "password": account.password,
            "fast_cli": False,
            "timeout": 20,
            "conn_timeout": 20,
            "auth_timeout": 30,
            "banner_timeout": 30,
        }

    def server_login(self) -> tuple[str, str]:
        """(username, password) of the lab servers' account (the first credential profile)."""
        name = sorted(self.credentials.accounts)[0]
        account = self.credentials.accounts[name]
        return account.username, account.password

    def write_ansible_inventory(self, path: Path) -> Path:
        """An Ansible inventory of the lab servers, logging in with the lab's key (sudo on)."""
        user, _ = self.server_login()
        hosts = {
            n.name: {
                "ansible_host": str(n.mgmt.ip),
                "ansible_user": user,
                "ansible_ssh_private_key_file": str(self.credentials.ssh_key),
                "ansible_ssh_common_args": "-o StrictHostKeyChecking=no "
                "-o UserKnownHostsFile=/dev/null",
                "ansible_python_interpreter": "/usr/bin/python3",
                "ansible_become": True,
            }
            for n in self.plan.servers
        }
        path.write_text(
            yaml.safe_dump({"all": {"hosts": hosts}}, allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        return path
