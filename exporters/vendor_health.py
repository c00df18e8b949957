"""Collector of one Huawei/H3C target's vendor health: boards, fans, power supplies, optics.

Served on ``/snmp?target=DEVICE`` beside the device and interface series for the platforms
in :data:`collectors.vendor_health.HEALTH_PLATFORMS`; names and units in docs/metrics.md
("Vendor health"), OIDs in docs/vendor-health.md.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import Metric
from prometheus_client.registry import Collector

from collectors.vendor_health.readings import HealthReading, PartState

from .families import add, gauge
from .labels import LabelCatalog, LabelSet


class VendorHealthCollector(Collector):
    def __init__(self, reading: HealthReading, catalog: LabelCatalog) -> None:
        self.reading = reading
        self.catalog = catalog

    def collect(self) -> Iterator[Metric]:
        r = self.reading
        device = self.catalog.device(r.device)
        up = gauge("egovnet_device_health_up", "1 if the vendor health MIBs answered.")
        add(up, device, 1 if r.ok else 0)
        yield up
        if not r.ok:
            return
        cpu = gauge("egovnet_device_cpu_ratio", "CPU usage of a board, 0-1.")
        memory = gauge("egovnet_device_memory_ratio", "Memory usage of a board, 0-1.")
        temperature = gauge("egovnet_device_temperature_celsius", "Board temperature, °C.")
        for board in r.parts.boards:
            labels = device.extend(entity=board.entity)
            if board.cpu_ratio is not None:
                add(cpu, labels, board.cpu_ratio)
            if board.memory_ratio is not None:
                add(memory, labels, board.memory_ratio)
            if board.temperature_celsius is not None:
                add(temperature, labels, board.temperature_celsius)
        yield from (cpu, memory, temperature)
        yield _parts(
            "egovnet_device_fan_ok", "1 if the fan works, 0 in a failure state.",
            device, "fan", r.parts.fans,
        )  # fmt: skip
        yield _parts(
            "egovnet_device_power_supply_ok", "1 if the power supply works, 0 if it failed.",
            device, "power_supply", r.parts.power_supplies,
        )  # fmt: skip
        rx = gauge("egovnet_interface_optical_rx_dbm", "Transceiver receive power, dBm.")
        tx = gauge("egovnet_interface_optical_tx_dbm", "Transceiver transmit power, dBm.")
        rx_low = gauge(
            "egovnet_interface_optical_rx_low_threshold_dbm",
            "The transceiver's receive power low alarm threshold, dBm.",
        )
        tx_low = gauge(
            "egovnet_interface_optical_tx_low_threshold_dbm",
            "The transceiver's transmit power low alarm threshold, dBm.",
        )
        for optic in r.parts.optics:
            labels = self.catalog.interface(r.device, optic.interface).labels
            for family, value in (
                (rx, optic.rx_dbm),
                (tx, optic.tx_dbm),
                (rx_low, optic.rx_low_dbm),
                (tx_low, optic.tx_low_dbm),
            ):
                if value is not None:
                    add(family, labels, value)
        yield from (rx, tx, rx_low, tx_low)


def _parts(
    name: str, documentation: str, device: LabelSet, label: str, parts: tuple[PartState, ...]
) -> Metric:
    family = gauge(name, documentation)
    for part in parts:
        add(family, device.extend(**{label: part.name}), 1 if part.ok else 0)
    return family
