"""A drift report as metric families the exporter can serve (names in docs/metrics.md).

Typed records: the exporter turns each :class:`MetricFamily` into a ``GaugeMetricFamily``
per scrape; :func:`to_exposition` renders them as text for ``discover --metrics``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict

from inventory.catalog import Inventory

from .drift import DriftReport, LinkState

LINK_DISCOVERED = "egovnet_topology_link_discovered"
DRIFT = "egovnet_topology_drift"
UNEXPECTED = "egovnet_topology_unexpected_neighbor_info"
LLDP_UP = "egovnet_topology_lldp_up"


class MetricSample(BaseModel):
    model_config = ConfigDict(frozen=True)

    labels: dict[str, str]
    value: float


class MetricFamily(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    type: Literal["gauge"] = "gauge"
    help: str
    samples: list[MetricSample]


def drift_metrics(inv: Inventory, report: DriftReport) -> list[MetricFamily]:
    """Per link 1/0 (links neither end of which was read are left out), drift per kind,
    one info series per unexpected neighbour, and per device whether LLDP was read."""
    links = [
        MetricSample(
            labels={
                "link": lk.link,
                "kind": lk.kind,
                "plane": lk.plane,
                "site": lk.site,
                "site_name": lk.site_name,
                "tier": lk.tier,
                "a_device": lk.a.device,
                "b_device": lk.b.device,
            },
            value=1.0 if lk.state is LinkState.discovered else 0.0,
        )
        for lk in report.links
        if lk.state is not LinkState.unknown
    ]
    drift = [
        MetricSample(labels={"kind": kind}, value=float(n)) for kind, n in report.counts.items()
    ]
    unexpected = [
        MetricSample(
            labels={
                "device": u.device,
                "interface": u.interface,
                "neighbor": u.neighbor.device or u.neighbor.system or "",
                "neighbor_port": u.neighbor.port or u.neighbor.reported_port or "",
            },
            value=1.0,
        )
        for u in report.unexpected
    ]
    up = []
    for status in report.devices:
        dev = inv.device(status.device)
        site = inv.site(dev.site)
        up.append(
            MetricSample(
                labels={
                    "device": dev.name,
                    "site": site.id,
                    "site_name": site.name,
                    "tier": site.tier.value,
                    "role": dev.role.value,
                },
                value=1.0 if status.ok else 0.0,
            )
        )
    return [
        MetricFamily(
            name=LINK_DISCOVERED,
            help="1 if LLDP shows the intended link (right devices and ports),"
            " 0 if it is missing or miswired",
            samples=links,
        ),
        MetricFamily(
            name=DRIFT,
            help="Links missing or miswired, and unexpected LLDP neighbours, by kind",
            samples=drift,
        ),
        MetricFamily(
            name=UNEXPECTED,
            help="An LLDP neighbour on an interface no intended link uses",
            samples=unexpected,
        ),
        MetricFamily(
            name=LLDP_UP, help="1 if the device's LLDP neighbour table could be read", samples=up
        ),
    ]


def to_exposition(families: list[MetricFamily]) -> str:
    """Prometheus text exposition of the families (e.g. for a node_exporter textfile)."""
    from prometheus_client import CollectorRegistry, generate_latest
    from prometheus_client.core import GaugeMetricFamily, Metric
    from prometheus_client.registry import Collector

    class _Once(Collector):
        def collect(self) -> Iterator[Metric]:
            for fam in families:
                labels = sorted({k for sample in fam.samples for k in sample.labels})
                gauge = GaugeMetricFamily(fam.name, fam.help, labels=labels)
                for sample in fam.samples:
                    gauge.add_metric([sample.labels.get(k, "") for k in labels], sample.value)
                yield gauge

    registry = CollectorRegistry()
    registry.register(_Once())
    return generate_latest(registry).decode("utf-8")
