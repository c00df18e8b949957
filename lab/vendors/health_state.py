"""The health an emulated VRP/Comware device reports over SNMP, kept in a JSON state file.

The emulation (or a fault) writes the file; :mod:`lab.vendors.health_agent`, run by the
device's snmpd, answers from it. Every change is a whole-file replace (``base.atomic``), so
the agent reads the old state or the new one, never half of one. The values are the
emulation's own :class:`~lab.vendors.device.Health`, plus each port's ifIndex (H3C indexes
its transceiver table by ifIndex; Huawei names optics by entPhysicalName, the port name).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from base.atomic import write_text
from base.errors import LabUsageError

from .device import Health, Optic

PLATFORMS = ("huawei_vrp", "hp_comware")


@dataclass
class HealthState:
    platform: str
    health: Health = field(default_factory=Health)
    #: port name -> ifIndex as the device's IF-MIB numbers it (0: not known)
    if_index: dict[str, int] = field(default_factory=dict)
    model: str = "chassis"

    def to_json(self) -> dict[str, Any]:
        h = self.health
        names = list(dict.fromkeys([*self.if_index, *h.optics]))
        return {
            "platform": self.platform,
            "model": self.model,
            "cpu_percent": h.cpu_percent,
            "memory_percent": h.memory_percent,
            "temperature_celsius": h.temperature_celsius,
            "temperature_high_celsius": h.temperature_high_celsius,
            "fans_ok": list(h.fans_ok),
            "power_supplies_ok": list(h.power_supplies_ok),
            "ports": [
                {
                    "name": name,
                    "if_index": self.if_index.get(name, 0),
                    "optic": asdict(h.optics[name]) if name in h.optics else None,
                }
                for name in names
            ],
        }


def write_state(path: Path, state: HealthState) -> None:
    if state.platform not in PLATFORMS:
        raise LabUsageError(f"{path}: platform {state.platform!r}: expected one of {PLATFORMS}")
    text = json.dumps(state.to_json(), ensure_ascii=False, indent=1) + "\n"
    write_text(path, text)


def read_state(path: Path) -> HealthState:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        ports = doc["ports"]
        health = Health(
            cpu_percent=int(doc["cpu_percent"]),
            memory_percent=int(doc["memory_percent"]),
            temperature_celsius=int(doc["temperature_celsius"]),
            temperature_high_celsius=int(doc["temperature_high_celsius"]),
            fans_ok=[bool(x) for x in doc["fans_ok"]],
            power_supplies_ok=[bool(x) for x in doc["power_supplies_ok"]],
            optics={p["name"]: Optic(**p["optic"]) for p in ports if p.get("optic")},
        )
        return HealthState(
            platform=str(doc["platform"]),
            health=health,
            if_index={p["name"]: int(p["if_index"]) for p in ports},
            model=str(doc.get("model", "chassis")),
        )
    except OSError as exc:
        raise LabUsageError(f"{path}: cannot read the health state: {exc.strerror}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise LabUsageError(f"{path}: not a health state file: {exc!r}") from None


def _percent(path: Path, what: str, value: int) -> int:
    if not 0 <= value <= 100:
        raise LabUsageError(f"{path}: {what} {value}: expected a percentage 0-100")
    return value


def set_health(
    path: Path,
    *,
    cpu: int | None = None,
    memory: int | None = None,
    temperature: int | None = None,
    fan: tuple[int, bool] | None = None,
    power_supply: tuple[int, bool] | None = None,
) -> HealthState:
    """Change what the device reports (``fan``/``power_supply``: 1-based number, ok)."""
    state = read_state(path)
    h = state.health
    if cpu is not None:
        h.cpu_percent = _percent(path, "cpu", cpu)
    if memory is not None:
        h.memory_percent = _percent(path, "memory", memory)
    if temperature is not None:
        if not -40 <= temperature <= 150:
            raise LabUsageError(f"{path}: temperature {temperature}: expected -40..150 °C")
        h.temperature_celsius = temperature
    for what, change, parts in (
        ("fan", fan, h.fans_ok),
        ("power supply", power_supply, h.power_supplies_ok),
    ):
        if change is not None:
            number, ok = change
            if not 1 <= number <= len(parts):
                raise LabUsageError(f"{path}: {what} {number}: the device has 1-{len(parts)}")
            parts[number - 1] = ok
    write_state(path, state)
    return state


def set_optical(
    path: Path, port: str, *, rx_dbm: float | None = None, tx_dbm: float | None = None
) -> HealthState:
    """Change a port's transceiver readings; the port must have one."""
    state = read_state(path)
    optic = state.health.optics.get(port)
    if optic is None:
        known = ", ".join(sorted(state.health.optics)) or "none"
        raise LabUsageError(f"{path}: port {port!r} has no transceiver (ports with one: {known})")
    for what, value in (("rx", rx_dbm), ("tx", tx_dbm)):
        if value is not None and not (math.isfinite(value) and -60.0 <= value <= 20.0):
            raise LabUsageError(f"{path}: {what} {value} dBm: expected -60..20 dBm")
    if rx_dbm is not None:
        optic.rx_dbm = rx_dbm
    if tx_dbm is not None:
        optic.tx_dbm = tx_dbm
    write_state(path, state)
    return state


def reset_health(path: Path) -> HealthState:
    """Back to what the emulation reports when it starts: every reading at its default,
    every fan and power supply ok, every transceiver at its default power."""
    state = read_state(path)
    h = state.health
    state.health = Health(
        fans_ok=[True] * len(h.fans_ok),
        power_supplies_ok=[True] * len(h.power_supplies_ok),
        optics={name: Optic() for name in h.optics},
    )
    write_state(path, state)
    return state


def deviations(state: HealthState) -> list[str]:
    """What the device reports away from its defaults, one phrase each (``lab status``)."""
    h, normal, optic = state.health, Health(), Optic()
    out = [
        f"{what} {value}{unit}"
        for what, value, default, unit in (
            ("cpu", h.cpu_percent, normal.cpu_percent, "%"),
            ("memory", h.memory_percent, normal.memory_percent, "%"),
            ("temperature", h.temperature_celsius, normal.temperature_celsius, " °C"),
        )
        if value != default
    ]
    for what, parts in (("fan", h.fans_ok), ("power supply", h.power_supplies_ok)):
        out += [f"{what} {n} failed" for n, ok in enumerate(parts, start=1) if not ok]
    for port, o in h.optics.items():
        if o.rx_dbm != optic.rx_dbm:
            out.append(f"{port} rx {o.rx_dbm:g} dBm")
        if o.tx_dbm != optic.tx_dbm:
            out.append(f"{port} tx {o.tx_dbm:g} dBm")
    return out
