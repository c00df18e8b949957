"""The state of one emulated device, shared by every SSH session to it.

The running config, the saved one and named config files, the VRP8 commit history, and the
things the device reports but nobody configures: its ports and their link state, LLDP
neighbours, health readings (CPU, memory, temperature, fans, power supplies, optics).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .config import RunningConfig


@dataclass(frozen=True)
class Port:
    """A physical port: its full name and whether its link is up."""

    name: str
    up: bool = True


@dataclass(frozen=True)
class LldpNeighbor:
    local_port: str
    system_name: str
    port_id: str
    port_description: str = ""
    chassis_id: str = "0000-0000-0000"
    mgmt_address: str = ""
    system_description: str = ""


@dataclass
class Optic:
    """A transceiver's receive and transmit power (dBm) and its low-alarm thresholds."""

    rx_dbm: float = -5.0
    tx_dbm: float = -2.5
    rx_low_dbm: float = -20.0
    tx_low_dbm: float = -9.0


@dataclass
class Health:
    cpu_percent: int = 12
    memory_percent: int = 35
    temperature_celsius: int = 41
    temperature_high_celsius: int = 70
    fans_ok: list[bool] = field(default_factory=lambda: [True, True])
    power_supplies_ok: list[bool] = field(default_factory=lambda: [True, True])
    optics: dict[str, Optic] = field(default_factory=dict)


@dataclass
class Commit:
    """A VRP8 commit: its id and the running config it replaced."""

    commit_id: str
    label: str
    before: RunningConfig
    at: float


@dataclass
class DeviceModel:
    """What ``display version`` says about the hardware and software."""

    model: str
    software: str
    release: str
    esn: str = "2102350DLR10J4000123"
    mac: str = "4c1f-cc12-3400"


class Device:
    def __init__(
        self,
        running: RunningConfig,
        model: DeviceModel,
        ports: list[Port],
        neighbors: list[LldpNeighbor] | None = None,
        health: Health | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self.running = running
        self.saved = running.render()
        self.files: dict[str, str] = {}
        self.commits: list[Commit] = []
        self.model = model
        self.ports = ports
        self.neighbors = neighbors or []
        self.health = health or Health()
        self.booted = time.time()
        #: seconds the device takes before it answers each line (a busy CPU, a slow link):
        #: what makes a client's prompt detection race its own earlier newlines
        self.answer_delay = 0.0
        #: configuration lines (by prefix) the device refuses as unrecognized: a feature its
        #: licence or model lacks, what makes a push fail half-way
        self.refuse: tuple[str, ...] = ()
        #: first words of the commands in the config it started with: accepted when typed
        self.known_words = frozenset(_first_words(running))
        #: called with the saved config after each plain ``save`` (the lab keeps it on disk,
        #: so a device started again boots what was saved, as a device does)
        self.on_save: Callable[[str], None] | None = None
        self._seen_config: str | None = None
        self._seen_at = self.booted

    @property
    def sysname(self) -> str:
        for block in self.running.blocks:
            for node in block:
                if node.text.startswith("sysname "):
                    return node.text.split(None, 1)[1]
        return "HUAWEI"

    def last_change(self) -> float:
        """When the running config last changed, as VRP's ``!Last configuration was updated
        at`` prints it: noticed at the next look (the emulation does not hook every edit), so
        reading the config twice gives the same text."""
        text = self.running.render()
        with self.lock:
            if text != self._seen_config:
                if self._seen_config is not None:
                    self._seen_at = time.time()
                self._seen_config = text
            return self._seen_at

    def uptime_words(self) -> tuple[int, int, int, int]:
        """(weeks, days, hours, minutes) since the emulation started."""
        seconds = int(time.time() - self.booted)
        minutes, hours, days = seconds // 60 % 60, seconds // 3600 % 24, seconds // 86400
        return days // 7, days % 7, hours, minutes

    def commit(self, candidate: RunningConfig, label: str = "") -> str:
        with self.lock:
            commit_id = str(1000000001 + len(self.commits))
            self.commits.append(Commit(commit_id, label, self.running, time.time()))
            self.running = candidate.copy()
            return commit_id

    def rollback_to(self, commit_id: str) -> bool:
        """Back to the config before ``commit_id`` (itself a new commit, as on VRP8)."""
        with self.lock:
            for entry in self.commits:
                if entry.commit_id == commit_id:
                    self.commit(entry.before, label="rollback")
                    return True
            return False

    def save(self, name: str | None = None) -> None:
        with self.lock:
            text = self.running.render()
            if name:
                self.files[name] = text
            else:
                self.saved = text
                if self.on_save is not None:
                    self.on_save(text)

    def interface_up(self, name: str) -> tuple[bool, bool]:
        """(link, protocol) of an interface: a shut port is down, a loopback always up."""
        view = self.running.find((f"interface {name}",))
        shut = view is not None and any(c.text == "shutdown" for c in view.children)
        if shut:
            return False, False
        port = next((p for p in self.ports if p.name == name), None)
        if port is None:
            return True, True  # logical interfaces (LoopBack, Vlanif) are up
        return port.up, port.up

    def interfaces(self) -> list[str]:
        """Ports, then the logical interfaces configured, in the device's order."""
        names = [p.name for p in self.ports]
        for block in self.running.blocks:
            for node in block:
                if node.view and node.text.startswith("interface "):
                    name = node.text.split(None, 1)[1]
                    if name not in names:
                        names.append(name)
        return names

    def ip_address(self, name: str) -> str | None:
        view = self.running.find((f"interface {name}",))
        if view is None:
            return None
        for child in view.children:
            found = re.match(r"ip address (\S+)", child.text)
            if found and not child.text.endswith(" sub"):
                return found.group(1)
        return None

    def description(self, name: str) -> str:
        view = self.running.find((f"interface {name}",))
        if view is None:
            return ""
        for child in view.children:
            if child.text.startswith("description "):
                return child.text.split(None, 1)[1]
        return ""


def _first_words(config: RunningConfig) -> set[str]:
    words: set[str] = set()
    stack = [n for block in config.blocks for n in block]
    while stack:
        node = stack.pop()
        parts = node.words
        if parts:
            words.add(parts[1] if parts[0] == "undo" and len(parts) > 1 else parts[0])
        stack.extend(node.children)
    return words
