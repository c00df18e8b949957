"""The exporter's own health: requests, polls and process figures, on ``/metrics``.

These are the only long-lived metric objects (the brief's exception to fresh-per-scrape);
each exporter instance has its own registry, so several can run in one test process.
"""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    PlatformCollector,
    ProcessCollector,
)

POLL_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class ExporterHealth:
    def __init__(self, version: str, devices: int) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.requests = Counter(
            "egovnet_exporter_requests",
            "HTTP requests served, by path and status code.",
            ["path", "code"],
            registry=self.registry,
        )
        self.polls = Counter(
            "egovnet_exporter_polls",
            "Device polls done for /snmp, by result (ok, failed).",
            ["result"],
            registry=self.registry,
        )
        self.poll_seconds = Histogram(
            "egovnet_exporter_poll_duration_seconds",
            "Time one device poll took.",
            buckets=POLL_BUCKETS,
            registry=self.registry,
        )
        self.values = Counter(
            "egovnet_exporter_snmp_values",
            "SNMP values read from devices.",
            registry=self.registry,
        )
        info = Gauge(
            "egovnet_exporter_build_info",
            "The exporter's version; value 1.",
            ["version"],
            registry=self.registry,
        )
        info.labels(version).set(1)
        Gauge(
            "egovnet_exporter_targets",
            "Devices the exporter can poll (from the inventory).",
            registry=self.registry,
        ).set(devices)
