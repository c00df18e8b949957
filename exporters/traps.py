"""Collector of link states set by linkDown/linkUp traps, and of traps counted."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import Metric
from prometheus_client.registry import Collector

from collectors.linkstate import LinkStateBook

from .families import add, counter, gauge
from .labels import LabelCatalog, device_kind_labels


class TrapCollector(Collector):
    def __init__(self, book: LinkStateBook, catalog: LabelCatalog) -> None:
        self.book = book
        self.catalog = catalog

    def collect(self) -> Iterator[Metric]:
        state = gauge(
            "egovnet_trap_link_oper_up",
            "Latest known oper state of a link that sent a trap: 1 up, 0 down (a newer poll"
            " overrides the trap).",
        )
        for (device, interface), link in sorted(self.book.states.items()):
            add(state, self.catalog.interface(device, interface).labels, 1 if link.up else 0)
        yield state
        received = counter(
            "egovnet_traps_received_total", "SNMP notifications received, by device and kind."
        )
        for (device, kind), count in sorted(self.book.received.items()):
            add(received, device_kind_labels(device, kind.value), count)
        yield received
