"""The last bandwidth results as Prometheus metrics (names in docs/metrics.md).

Register :class:`BandwidthCollector` on a registry (the egovnet exporter's ``/metrics``) and
each scrape reads ``<state>/bandwidth/last.json`` afresh; or write the same series to a
textfile with :func:`render_textfile`.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bandwidth.store import BandwidthStore

LABELS = ["link", "site", "site_name", "tier", "plane", "direction"]
MBPS_IN_BYTES = 125_000.0


class BandwidthCollector(Collector):
    def __init__(self, store: BandwidthStore) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        speed = GaugeMetricFamily(
            "egovnet_bandwidth_test_speed_bytes",
            "Throughput the last iperf3 test of the circuit achieved (receiver side), bytes/s.",
            labels=LABELS,
        )
        ratio = GaugeMetricFamily(
            "egovnet_bandwidth_test_committed_ratio",
            "Achieved throughput of the last test over the circuit's committed rate.",
            labels=LABELS,
        )
        meets = GaugeMetricFamily(
            "egovnet_bandwidth_test_meets_target",
            "1 if the last test reached the tier's plan target (within tolerance), else 0.",
            labels=LABELS,
        )
        delivers = GaugeMetricFamily(
            "egovnet_bandwidth_test_delivers_committed",
            "1 if the last test reached the circuit's committed rate (within tolerance), else 0.",
            labels=LABELS,
        )
        success = GaugeMetricFamily(
            "egovnet_bandwidth_test_success",
            "1 if the last test of the circuit produced a measurement, 0 if it failed.",
            labels=LABELS,
        )
        when = GaugeMetricFamily(
            "egovnet_bandwidth_test_timestamp_seconds",
            "When the last test of the circuit ran, Unix time.",
            labels=LABELS,
        )
        for result in self.store.last().values():
            values = [
                result.link,
                result.site,
                result.site_name,
                result.tier,
                result.plane,
                result.direction,
            ]
            success.add_metric(values, 0 if result.achieved_mbps is None else 1)
            when.add_metric(values, result.measured_at.timestamp())
            if result.achieved_mbps is not None:
                speed.add_metric(values, result.achieved_mbps * MBPS_IN_BYTES)
                ratio.add_metric(values, result.achieved_mbps / result.committed_mbps)
            if result.delivers_committed is not None:
                delivers.add_metric(values, 1 if result.delivers_committed else 0)
            if result.meets_target is not None:
                meets.add_metric(values, 1 if result.meets_target else 0)
        yield from (speed, ratio, meets, delivers, success, when)


def render_textfile(store: BandwidthStore) -> str:
    registry = CollectorRegistry(auto_describe=True)
    registry.register(BandwidthCollector(store))
    return generate_latest(registry).decode("utf-8")
