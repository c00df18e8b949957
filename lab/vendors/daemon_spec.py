"""What the lab tells an emulated device's daemon (:mod:`lab.vendors.daemon`): a JSON file.

Apart from the daemon so that the lab can write it without importing the daemon's module
(``python -m lab.vendors.daemon`` must be the first import of that module).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from base.atomic import write_text

from .device import LldpNeighbor


@dataclass(frozen=True)
class DaemonPort:
    name: str  #: as the device (and the inventory) names it
    ifname: str  #: the Linux interface in the namespace (its ifIndex is the port's)


@dataclass(frozen=True)
class DaemonSpec:
    platform: str
    config: str  #: path of the boot config (markers for secrets)
    address: str
    port: int
    username: str
    password_env: str
    health_state: str
    ports: list[DaemonPort] = field(default_factory=list)
    neighbors: list[LldpNeighbor] = field(default_factory=list)

    def write(self, path: Path) -> bool:
        """Write the spec (True when it changed, so the daemon must restart)."""
        text = json.dumps(asdict(self), ensure_ascii=False, indent=1) + "\n"
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old != text:
            write_text(path, text)
        return old != text

    @classmethod
    def read(cls, path: Path) -> DaemonSpec:
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["ports"] = [DaemonPort(**p) for p in doc["ports"]]
        doc["neighbors"] = [LldpNeighbor(**n) for n in doc["neighbors"]]
        return cls(**doc)
