"""The fast text renderer says exactly what prometheus_client's generate_latest says."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import Metric
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.registry import Collector

from exporters.exposition import render
from exporters.families import add, counter, gauge
from exporters.labels import LabelSet, device_kind_labels

pytestmark = pytest.mark.unit

TRICKY = LabelSet(
    [
        ("device", "vil1"),
        ("site_name", "龙归镇上围村"),
        ("alias", 'uplink "A"\\1\nnext line'),
        ("interface", "GigabitEthernet0/0/1"),
    ]
)


class Sample(Collector):
    def collect(self) -> Iterator[Metric]:
        rx = counter("egovnet_interface_received_bytes_total", "Octets received.")
        add(rx, TRICKY, 18_446_744_073_709_551_000)  # a 64-bit counter near its top
        add(rx, LabelSet([("device", "core1"), ("interface", "eth1")]), 0)
        up = gauge("egovnet_device_up", "1 if the SNMP poll succeeded.\nSecond line \\ too")
        add(up, LabelSet([("device", "core1")]), 1)
        up.samples.append(up.samples[0]._replace(labels={"device": "plain-dict"}, value=0.5))
        yield rx
        yield up


def parsed(text: str) -> list[tuple[str, str, str, list[tuple[str, dict[str, str], float]]]]:
    return [
        (f.name, f.type, f.documentation, [(s.name, s.labels, float(s.value)) for s in f.samples])
        for f in text_string_to_metric_families(text)
    ]


def test_render_parses_to_the_same_samples_as_generate_latest() -> None:
    registry = CollectorRegistry()
    registry.register(Sample())
    ours = render(Sample().collect()).decode("utf-8")
    theirs = generate_latest(registry).decode("utf-8")
    assert parsed(ours) == parsed(theirs)
    assert "龙归镇上围村" in ours


def test_integers_print_exactly() -> None:
    text = render(Sample().collect()).decode()
    # float formatting would give 1.8446744073709552e+19 and lose the low digits
    assert " 18446744073709551000\n" in text


def test_label_text_is_rendered_once_and_sorted() -> None:
    labels = LabelSet([("b", "2"), ("a", "1")])
    assert labels.text == '{a="1",b="2"}'
    assert labels.extend(c="3").text == '{a="1",b="2",c="3"}'
    assert dict(labels) == {"a": "1", "b": "2"}


def test_error_and_trap_label_sets_render_as_a_generic_label_set_does() -> None:
    odd = 'core "1"\\\nnext'
    fast = device_kind_labels(odd, "timeout")
    assert fast.text == LabelSet([("kind", "timeout"), ("device", odd)]).text
    assert dict(fast) == {"device": odd, "kind": "timeout"}
