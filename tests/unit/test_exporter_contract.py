"""Every series docs/metrics.md promises is what the exporter's collectors produce."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from collectors.linkstate import LinkStateBook, TrapKind
from collectors.readings import DeviceReading, ErrorKind, InterfaceReading
from exporters.devices import DeviceCollector
from exporters.exposition import render_collectors
from exporters.health import ExporterHealth
from exporters.interfaces import InterfaceCollector
from exporters.inventory_series import InventoryCollector
from exporters.labels import LabelCatalog
from exporters.traps import TrapCollector
from inventory.catalog import Inventory

pytestmark = pytest.mark.unit

DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"
SECTIONS = ("## Polled per target", "## Inventory series", "## Traps", "## Exporter health")


def documented() -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    names: set[str] = set()
    for heading in SECTIONS:
        section = text.split(heading, 1)[1].split("\n## ", 1)[0]
        names |= set(re.findall(r"`(egovnet_[a-z_]+)`", section))
    return names


def reading(device: str, interfaces: list[str], ok: bool = True) -> DeviceReading:
    return DeviceReading(
        device=device,
        ok=ok,
        started_at=0.0,
        duration_seconds=0.12,
        uptime_seconds=3600.0 if ok else None,
        sys_name=device if ok else None,
        interfaces=tuple(
            InterfaceReading(
                name=name, index=i + 1, in_octets=10**12, out_octets=10**11, octets_64bit=True,
                in_errors=1, out_errors=2, in_discards=3, out_discards=4, oper_up=True,
                admin_up=True, speed_mbps=1000, alias="至龙归镇",
            )
            for i, name in enumerate(interfaces if ok else [])
        ),
    )  # fmt: skip


def exported(lab_inventory: Inventory) -> dict[str, list[dict[str, str]]]:
    catalog = LabelCatalog(lab_inventory)
    errors = dict.fromkeys(ErrorKind, 0)
    book = LinkStateBook()
    book.record_trap("town1", "eth1", up=False, at=1.0)
    book.count("town1", TrapKind.link_down)
    health = ExporterHealth("test", 1)
    health.registry.register(InventoryCollector(lab_inventory))
    health.registry.register(TrapCollector(book, catalog))
    health.requests.labels("/snmp", "200").inc()
    health.polls.labels("ok").inc()
    health.poll_seconds.observe(0.1)
    health.values.inc(10)
    text = (
        render_collectors(
            [
                DeviceCollector(reading("town1", ["eth1", "eth2"]), catalog, errors),
                InterfaceCollector(reading("town1", ["eth1", "eth2"]), catalog),
            ]
        ).decode()
        + generate_latest(health.registry).decode()
    )
    out: dict[str, list[dict[str, str]]] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out.setdefault(s.name, []).append(s.labels)
    return out


def test_every_documented_series_is_exported(lab_inventory: Inventory) -> None:
    series = exported(lab_inventory)
    names = set(series) | {n.removesuffix("_bucket") for n in series}
    missing = sorted(n for n in documented() if n not in names)
    assert missing == []


def test_if_and_dev_label_sets(lab_inventory: Inventory) -> None:
    series = exported(lab_inventory)
    if_labels = {"device", "interface", "link", "plane", "end", "kind", "site", "site_name", "tier"}
    for name in ("egovnet_interface_received_bytes_total", "egovnet_trap_link_oper_up"):
        assert all(set(labels) == if_labels for labels in series[name]), name
    assert {frozenset(lab) for lab in series["egovnet_interface_alias_info"]} == {
        frozenset(if_labels | {"alias"})
    }
    (dev,) = series["egovnet_device_up"]
    assert dev == {
        "device": "town1",
        "site": "town-longgui",
        "site_name": "龙归镇",
        "tier": "town",
        "role": "aggregation",
    }
    kinds = {lab["kind"] for lab in series["egovnet_snmp_errors_total"]}
    assert kinds == {k.value for k in ErrorKind}  # all kinds from the start, so rate() works


def test_a_failed_poll_still_serves_the_plan(lab_inventory: Inventory) -> None:
    catalog = LabelCatalog(lab_inventory)
    text = render_collectors(
        [
            DeviceCollector(reading("town2", [], ok=False), catalog, dict.fromkeys(ErrorKind, 0)),
            InterfaceCollector(reading("town2", [], ok=False), catalog),
        ]
    ).decode()
    names = {s.name for f in text_string_to_metric_families(text) for s in f.samples}
    assert "egovnet_interface_received_bytes_total" not in names
    assert {"egovnet_device_up", "egovnet_circuit_committed_speed_bytes"} <= names
    assert "egovnet_device_info" not in names
