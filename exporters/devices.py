"""Collector of one target's device series: up, uptime, info, scrape duration, SNMP errors."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import Metric
from prometheus_client.registry import Collector

from collectors.readings import DeviceReading, ErrorKind

from .families import add, counter, gauge
from .labels import LabelCatalog, device_kind_labels


class DeviceCollector(Collector):
    def __init__(
        self, reading: DeviceReading, catalog: LabelCatalog, errors: dict[ErrorKind, int]
    ) -> None:
        self.reading = reading
        self.catalog = catalog
        self.errors = errors

    def collect(self) -> Iterator[Metric]:
        r = self.reading
        labels = self.catalog.device(r.device)
        up = gauge("egovnet_device_up", "1 if the SNMP poll succeeded.")
        add(up, labels, 1 if r.ok else 0)
        yield up
        duration = gauge("egovnet_scrape_duration_seconds", "Time this poll took.")
        add(duration, labels, r.duration_seconds)
        yield duration
        if r.uptime_seconds is not None:
            uptime = gauge("egovnet_device_uptime_seconds", "sysUpTime in seconds.")
            add(uptime, labels, r.uptime_seconds)
            yield uptime
        if r.ok:
            info = gauge("egovnet_device_info", "The device as SNMP and the inventory see it.")
            platform = self.catalog.platform(r.device)
            add(info, labels.extend(sysname=r.sys_name or "", platform=platform), 1)
            yield info
        errors = counter(
            "egovnet_snmp_errors_total", "SNMP errors by kind since the exporter started."
        )
        for kind in ErrorKind:
            add(errors, device_kind_labels(r.device, kind.value), self.errors[kind])
        yield errors
