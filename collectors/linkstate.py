"""Link states from linkDown/linkUp notifications and from polls: the book the exporter reads.

:class:`LinkStateBook` keeps the latest state per interface: a trap sets it at once; a later
poll that read ifOperStatus overwrites it, so a lost linkUp does not leave a link marked down
forever. :func:`decode_link_event` reads a notification's varbinds (numeric OIDs as text);
the pysnmp receiver that feeds it is in :mod:`collectors.traps`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .oids import IF_DESCR, IF_INDEX, IF_NAME, IF_OPER_STATUS, LINK_DOWN, LINK_UP, SNMP_TRAP_OID


class TrapKind(StrEnum):
    link_down = "link_down"
    link_up = "link_up"
    other = "other"


@dataclass(frozen=True, slots=True)
class LinkEvent:
    """One notification as received, before it is matched to the inventory."""

    source: str
    kind: TrapKind
    if_index: int | None
    if_name: str | None
    oper_up: bool | None
    received_at: float


@dataclass(slots=True)
class LinkState:
    up: bool
    at: float
    by_trap: bool


@dataclass
class LinkStateBook:
    """Latest known oper state per (device, interface) and notifications counted."""

    states: dict[tuple[str, str], LinkState] = field(default_factory=dict)
    received: Counter[tuple[str, TrapKind]] = field(default_factory=Counter)

    def count(self, device: str, kind: TrapKind) -> None:
        self.received[(device, kind)] += 1

    def record_trap(self, device: str, interface: str, up: bool, at: float) -> None:
        self.states[(device, interface)] = LinkState(up=up, at=at, by_trap=True)

    def record_poll(self, device: str, interface: str, up: bool, polled_at: float) -> None:
        """A poll that started after the trap supersedes it; only trapped links are tracked."""
        state = self.states.get((device, interface))
        if state is not None and polled_at > state.at:
            self.states[(device, interface)] = LinkState(up=up, at=polled_at, by_trap=False)


def decode_link_event(source: str, var_binds: Iterable[tuple[str, Any]], at: float) -> LinkEvent:
    """Read a linkDown/linkUp notification from its varbinds (numeric OIDs as strings)."""
    kind = TrapKind.other
    if_index: int | None = None
    if_name: str | None = None
    oper: bool | None = None
    for oid, value in var_binds:
        if oid == SNMP_TRAP_OID:
            trap = str(value)
            kind = {LINK_DOWN: TrapKind.link_down, LINK_UP: TrapKind.link_up}.get(
                trap, TrapKind.other
            )
        elif oid.startswith(IF_INDEX + "."):
            if_index = int(value)
        elif oid.startswith(IF_OPER_STATUS + "."):
            oper = int(value) == 1
            if_index = if_index or int(oid.rsplit(".", 1)[1])
        elif oid.startswith((IF_NAME + ".", IF_DESCR + ".")) and if_name is None:
            raw = value.asOctets() if hasattr(value, "asOctets") else str(value).encode()
            if_name = raw.decode("utf-8", errors="replace")
    if oper is None and kind is not TrapKind.other:
        oper = kind is TrapKind.link_up
    return LinkEvent(source, kind, if_index, if_name, oper, at)
