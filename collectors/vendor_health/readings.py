"""Typed results of one vendor health poll: boards, fans, power supplies and optics."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..readings import PollError

#: Walked columns: column OID -> {row index after the column (e.g. "67108873", "0.1") -> value}.
Tables = dict[str, dict[str, object]]
#: The interface name of an ifIndex as the poller resolved it (None: not an inventory port).
InterfaceOf = Callable[[int], str | None]


@dataclass(frozen=True, slots=True)
class BoardHealth:
    """A board (Huawei MPU, H3C level-1 module) and what it reports; None: not reported."""

    entity: str
    cpu_ratio: float | None = None
    memory_ratio: float | None = None
    temperature_celsius: float | None = None


@dataclass(frozen=True, slots=True)
class PartState:
    """A fan or power supply: ``ok`` is False only in the MIB's failure states."""

    name: str
    ok: bool
    code: int


@dataclass(frozen=True, slots=True)
class OpticalReading:
    """A port's transceiver in dBm; thresholds are the vendor's low alarm thresholds."""

    interface: str
    rx_dbm: float | None = None
    tx_dbm: float | None = None
    rx_low_dbm: float | None = None
    tx_low_dbm: float | None = None


@dataclass(frozen=True, slots=True)
class HealthParts:
    """What a platform's parser makes of the walked tables."""

    boards: tuple[BoardHealth, ...] = ()
    fans: tuple[PartState, ...] = ()
    power_supplies: tuple[PartState, ...] = ()
    optics: tuple[OpticalReading, ...] = ()


@dataclass(frozen=True, slots=True)
class HealthReading:
    """One vendor health poll of a device (``ok`` False: ``error`` says why)."""

    device: str
    platform: str
    ok: bool
    parts: HealthParts = field(default_factory=HealthParts)
    error: PollError | None = None
