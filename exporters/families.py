"""Fresh prometheus_client metric families, filled with samples whose labels are LabelSets."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.samples import Sample

from .labels import LabelSet


def gauge(name: str, documentation: str) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation)


def counter(name: str, documentation: str) -> CounterMetricFamily:
    """A counter family; ``name`` carries its ``_total`` as in docs/metrics.md."""
    return CounterMetricFamily(name, documentation)


def add(family: Metric, labels: LabelSet, value: float) -> None:
    """Append one sample; the label set is shared, not copied (it is never mutated)."""
    adder(family)(labels, value)


def adder(family: Metric) -> Callable[[LabelSet, float], None]:
    """A fast ``add`` bound to one family, for the loops over thousands of interfaces."""
    name = family.name + ("_total" if family.type == "counter" else "")
    append = family.samples.append
    new = tuple.__new__

    def add_sample(labels: LabelSet, value: float) -> None:
        # tuple.__new__ skips NamedTuple's argument handling: a third of the cost per sample.
        append(new(Sample, (name, labels, value, None, None, None)))

    return add_sample
