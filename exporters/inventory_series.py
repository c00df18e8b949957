"""Collector of the plan itself: series that need no polling, so PromQL can join on them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from .labels import MBPS_IN_BYTES

if TYPE_CHECKING:
    from inventory.catalog import Inventory


class InventoryCollector(Collector):
    """The plan series of ``/metrics``: circuits, sites, tiers and systems (上云率).

    The plan does not change while the exporter runs, so its families are built once and
    the collector keeps no inventory model: the serving process unpickles it (exporters.state)
    without importing pydantic or ``inventory.models``.
    """

    def __init__(self, inv: Inventory) -> None:
        self._plan: tuple[Metric, ...] = (
            *self._circuits(inv),
            *self._sites(inv),
            *self._tiers(inv),
            *self._systems(inv),
        )

    def collect(self) -> Iterator[Metric]:
        yield from self._plan

    @staticmethod
    def _circuits(inv: Inventory) -> Iterator[Metric]:
        info = GaugeMetricFamily(
            "egovnet_circuit_info",
            "One per inventory link, value 1.",
            labels=[
                "link", "kind", "plane", "site", "site_name", "tier", "carrier", "circuit_id",
                "a_device", "a_interface", "b_device", "b_interface",
            ],
        )  # fmt: skip
        for link in inv.links:
            site = inv.served_site(link)
            info.add_metric(
                [
                    link.id,
                    link.kind.value,
                    link.plane.value,
                    site.id,
                    site.name,
                    site.tier.value,
                    link.carrier or "",
                    link.circuit_id or "",
                    link.a.device,
                    link.a.interface,
                    link.b.device,
                    link.b.interface,
                ],
                1,
            )
        yield info

    @staticmethod
    def _sites(inv: Inventory) -> Iterator[Metric]:
        names = ["site", "site_name", "tier"]
        info = GaugeMetricFamily(
            "egovnet_site_info", "One per site, value 1.", labels=[*names, "parent", "important"]
        )
        required = GaugeMetricFamily(
            "egovnet_site_required_uplinks",
            "2 where the site must be dual-homed (tier policy or important), else 1.",
            labels=names,
        )
        uplinks = GaugeMetricFamily(
            "egovnet_site_uplinks", "Uplinks the inventory gives the site.", labels=names
        )
        for site in inv.sites:
            values = [site.id, site.name, site.tier.value]
            info.add_metric([*values, site.parent or "", str(site.important).lower()], 1)
            required.add_metric(values, 2 if inv.must_be_dual_homed(site) else 1)
            uplinks.add_metric(values, len(inv.uplinks_of_site(site.id)))
        yield from (info, required, uplinks)

    @staticmethod
    def _tiers(inv: Inventory) -> Iterator[Metric]:
        plan = inv.policy.plan
        target = GaugeMetricFamily(
            "egovnet_tier_target_speed_bytes",
            "The plan's access bandwidth target per tier, bytes/s.",
            labels=["tier", "year"],
        )
        baseline = GaugeMetricFamily(
            "egovnet_tier_baseline_speed_bytes",
            "The plan's access bandwidth baseline per tier, bytes/s.",
            labels=["tier", "year"],
        )
        for tier, rule in inv.policy.tiers.items():
            if rule.target_mbps is not None:
                target.add_metric(
                    [tier.value, str(plan.target_year)], rule.target_mbps * MBPS_IN_BYTES
                )
            if rule.baseline_mbps is not None:
                baseline.add_metric(
                    [tier.value, str(plan.baseline_year)], rule.baseline_mbps * MBPS_IN_BYTES
                )
        yield from (target, baseline)

    @staticmethod
    def _systems(inv: Inventory) -> Iterator[Metric]:
        from playbooks.migration import migration_metrics  # pydantic: where the state is built

        metrics = migration_metrics(inv)  # the series need no migration check results
        systems = GaugeMetricFamily(
            "egovnet_systems", "Information systems per migration status.", labels=["status"]
        )
        for status, count in metrics.systems_by_status.items():
            systems.add_metric([status], count)
        yield systems
        yield GaugeMetricFamily(
            "egovnet_systems_migrated_ratio",
            "Share of systems running on the government cloud (上云率).",
            value=metrics.migrated_ratio,
        )
