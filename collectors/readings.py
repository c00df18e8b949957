"""Typed results of one SNMP poll: a reading per interface, one per device."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ErrorKind(StrEnum):
    """Why a poll (or part of it) failed; the ``kind`` label of ``egovnet_snmp_errors_total``."""

    timeout = "timeout"
    auth = "auth"
    decode = "decode"
    no_such_name = "no_such_name"
    other = "other"


@dataclass(frozen=True, slots=True)
class PollError:
    kind: ErrorKind
    message: str

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.message}"


@dataclass(frozen=True, slots=True)
class InterfaceReading:
    """One interface the inventory names, as the device reported it.

    Counters are ready to export: 64-bit ones raw, 32-bit ones made monotonic across wraps
    and agent restarts (:mod:`collectors.counters`). ``None`` means the device did not answer
    for that column.
    """

    name: str
    index: int
    in_octets: int | None
    out_octets: int | None
    octets_64bit: bool
    in_errors: int | None
    out_errors: int | None
    in_discards: int | None
    out_discards: int | None
    oper_up: bool | None
    admin_up: bool | None
    speed_mbps: int | None
    alias: str | None

    @property
    def speed_bytes(self) -> float | None:
        """Port speed from ifHighSpeed (Mbit/s) in bytes/s."""
        return None if self.speed_mbps is None else self.speed_mbps * 125_000.0


@dataclass(frozen=True, slots=True)
class DeviceReading:
    """The outcome of polling one device once."""

    device: str
    ok: bool
    started_at: float
    duration_seconds: float
    uptime_seconds: float | None = None
    sys_name: str | None = None
    restarted: bool = False
    interfaces: tuple[InterfaceReading, ...] = ()
    missing: tuple[str, ...] = ()
    error: PollError | None = None
    requests: int = 0
    values: int = 0
    warnings: tuple[PollError, ...] = field(default=())
