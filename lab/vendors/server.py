"""Start an emulated VRP or Comware device: a fakenos SSH server on an address and port, with
egovnet's shell bound to the device's state.

fakenos keeps the SSH server (paramiko), its inventory and start/stop; its inventory model
accepts only ``shell: {plugin: CMDShell}``, so the instance's shell registry is replaced by
the device's own shell class after ``FakeNOS(inventory=...)`` and before ``start()``. Typed
input reaches the shell through :mod:`lab.vendors.input_tap` instead of fakenos's byte-at-a-time
tap.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from . import input_tap
from .config import RunningConfig
from .device import Device, DeviceModel, Health, LldpNeighbor, Port
from .hp_comware import platform as comware_platform
from .huawei_vrp import platform as vrp_platform
from .shell import VendorPlatform, shell_for

#: the emulated platforms by the names the inventory uses (``huawei_vrp8``: VRP8 two-stage)
EMULATIONS: dict[str, Callable[[], VendorPlatform]] = {
    "huawei_vrp": lambda: vrp_platform(vrp8=False),
    "huawei_vrp8": lambda: vrp_platform(vrp8=True),
    "hp_comware": comware_platform,
}

#: the Netmiko driver that talks to each emulation (automation's platform map says the same
#: for the platforms it configures; tests/unit/test_inventory_keep_platform.py keeps them equal)
NETMIKO_DEVICE_TYPES: dict[str, str] = {
    "huawei_vrp": "huawei",
    "huawei_vrp8": "huawei",
    "hp_comware": "hp_comware",
}

DEFAULT_MODELS: dict[str, DeviceModel] = {
    "huawei_vrp": DeviceModel("S5735-L24T4X-A1", "5.170", "V200R021C00SPC100"),
    "huawei_vrp8": DeviceModel("CE6881-48S6CQ", "8.180", "V200R005C10SPC800"),
    "hp_comware": DeviceModel("S5130S-28S-EI", "7.1.070", "6608"),
}


@dataclass
class DeviceSpec:
    """What an emulated device starts with."""

    platform: str
    config: str
    ports: list[Port]
    username: str
    password: str
    neighbors: list[LldpNeighbor] = field(default_factory=list)
    health: Health = field(default_factory=Health)
    model: DeviceModel | None = None


class EmulatedDevice:
    """A running emulation; ``with`` stops it. ``device`` is its live state."""

    def __init__(self, spec: DeviceSpec, address: str = "127.0.0.1", port: int = 0) -> None:
        from fakenos import FakeNOS

        if spec.platform not in EMULATIONS:
            raise ValueError(
                f"no emulation for platform {spec.platform!r} (known: {', '.join(EMULATIONS)})"
            )
        self.platform = EMULATIONS[spec.platform]()
        running = RunningConfig.parse(spec.config, self.platform.style)
        self.device = Device(
            running,
            spec.model or DEFAULT_MODELS[spec.platform],
            spec.ports,
            spec.neighbors,
            spec.health,
        )
        self.address = address
        self.port = port or free_port(address)
        fake_platform = "hp_comware" if spec.platform == "hp_comware" else "huawei_vrp"
        inventory: dict[str, Any] = {
            "hosts": {
                self.device.sysname: {
                    "username": spec.username,
                    "password": spec.password,
                    "port": self.port,
                    "platform": fake_platform,
                    "server": {
                        "plugin": "ParamikoSshServer",
                        "configuration": {
                            "address": address,
                            "timeout": 1,
                            "ssh_banner": "",
                        },
                    },
                }
            }
        }
        input_tap.install()
        self._net = FakeNOS(inventory=inventory)
        self._net.shell_plugins = {"CMDShell": shell_for(self.device, self.platform)}
        self._started = False

    def start(self, timeout: float = 10.0) -> EmulatedDevice:
        self._net.start()
        self._started = True
        # fakenos binds in start() but listens in a thread started there: wait for it
        # (a probe connection would make the server log a failed SSH handshake)
        deadline = time.monotonic() + timeout
        while not listening(self.port):
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"emulated device not listening on port {self.port}")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._started:
            self._net.stop()
            self._started = False

    def __enter__(self) -> EmulatedDevice:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def free_port(address: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((address, 0))
        return int(sock.getsockname()[1])


def listening(port: int, table_path: str = "/proc/net/tcp") -> bool:
    """Whether a TCP socket listens on ``port`` (Linux: /proc/net/tcp, state 0A), in this
    process's network namespace or, with ``/proc/<pid>/net/tcp``, in that process's."""
    wanted = f":{port:04X}"
    with open(table_path, encoding="ascii") as table:
        for row in table.readlines()[1:]:
            fields = row.split()
            if fields[1].endswith(wanted) and fields[3] == "0A":
                return True
    return False
