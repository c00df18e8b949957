"""Collector of one target's interface series: polled IF-MIB values and circuit speeds."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import Metric
from prometheus_client.registry import Collector

from collectors.readings import DeviceReading

from .families import add, adder, counter, gauge
from .labels import InterfaceInfo, LabelCatalog


class InterfaceCollector(Collector):
    """IF series of one poll; circuit figures come from the inventory even if the poll failed."""

    def __init__(self, reading: DeviceReading, catalog: LabelCatalog) -> None:
        self.reading = reading
        self.catalog = catalog

    def collect(self) -> Iterator[Metric]:
        device = self.reading.device
        rx = counter("egovnet_interface_received_bytes_total", "Octets received (ifHCInOctets).")
        tx = counter("egovnet_interface_transmitted_bytes_total", "Octets sent (ifHCOutOctets).")
        rx_err = counter("egovnet_interface_receive_errors_total", "ifInErrors.")
        tx_err = counter("egovnet_interface_transmit_errors_total", "ifOutErrors.")
        rx_drop = counter("egovnet_interface_receive_discards_total", "ifInDiscards.")
        tx_drop = counter("egovnet_interface_transmit_discards_total", "ifOutDiscards.")
        oper = gauge("egovnet_interface_oper_up", "1 if ifOperStatus is up(1).")
        admin = gauge("egovnet_interface_admin_up", "1 if ifAdminStatus is up(1).")
        speed = gauge(
            "egovnet_interface_speed_bytes",
            "Port speed from ifHighSpeed in bytes/s (not the circuit).",
        )
        alias = gauge("egovnet_interface_alias_info", "ifAlias of the interface.")
        add_rx, add_tx, add_rx_err, add_tx_err = adder(rx), adder(tx), adder(rx_err), adder(tx_err)
        add_rx_drop, add_tx_drop, add_oper = adder(rx_drop), adder(tx_drop), adder(oper)
        add_admin, add_speed, add_alias = adder(admin), adder(speed), adder(alias)
        interface = self.catalog.interface
        for r in self.reading.interfaces:
            info = interface(device, r.name)
            labels = info.labels
            if r.in_octets is not None:
                add_rx(labels, r.in_octets)
            if r.out_octets is not None:
                add_tx(labels, r.out_octets)
            if r.in_errors is not None:
                add_rx_err(labels, r.in_errors)
            if r.out_errors is not None:
                add_tx_err(labels, r.out_errors)
            if r.in_discards is not None:
                add_rx_drop(labels, r.in_discards)
            if r.out_discards is not None:
                add_tx_drop(labels, r.out_discards)
            if r.oper_up is not None:
                add_oper(labels, 1 if r.oper_up else 0)
            if r.admin_up is not None:
                add_admin(labels, 1 if r.admin_up else 0)
            if r.speed_mbps is not None:
                add_speed(labels, r.speed_mbps * 125_000)
            if r.alias is not None:
                add_alias(self.catalog.with_alias(info, r.alias), 1)
        yield from (rx, tx, rx_err, tx_err, rx_drop, tx_drop, oper, admin, speed, alias)
        yield from self._circuits(self.catalog.interfaces_of(device))

    @staticmethod
    def _circuits(infos: list[InterfaceInfo]) -> Iterator[Metric]:
        committed = gauge(
            "egovnet_circuit_committed_speed_bytes", "The link's committed carrier rate, bytes/s."
        )
        baseline = gauge(
            "egovnet_circuit_baseline_speed_bytes",
            "The served site's tier baseline (plan baseline year), bytes/s.",
        )
        target = gauge(
            "egovnet_circuit_target_speed_bytes",
            "The served site's tier target for the plan year in force, bytes/s.",
        )
        for info in infos:
            if info.committed_bytes is info.baseline_bytes is info.target_bytes is None:
                continue  # no link: no circuit series
            labels = info.labels
            if info.committed_bytes is not None:
                add(committed, labels, info.committed_bytes)
            if info.baseline_bytes is not None:
                add(baseline, labels, info.baseline_bytes)
            if info.target_bytes is not None:
                add(target, labels, info.target_bytes)
        yield from (committed, baseline, target)
