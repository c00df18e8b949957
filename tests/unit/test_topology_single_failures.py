"""``whatif --all-single`` from the graph's structure gives the per-scenario rerun's answers.

The reference (tests/unit/whatif_reference.py) is the algorithm as it was before issue 15:
one full reachability and single-point analysis per failed element. Compared on the sample
district, the lab, a generated one-district city and many small random graphs (parallel
links, multi-device sites, unreachable devices, several cloud devices or none).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.catalog import Inventory
from inventory.models import (
    Device,
    Link,
    LinkEnd,
    LinkKind,
    Plane,
    Platform,
    Policy,
    Profile,
    Role,
    Site,
    Tier,
    TierPolicy,
)
from tests.unit.city_helpers import SMALL, city_inventory
from tests.unit.whatif_reference import (
    reference_rank,
    reference_single_points,
    reference_what_if,
)
from topology.graph import build_network
from topology.reachability import NO_FAILURE, Element, ElementKind, Failure, single_points
from topology.single_failures import Baseline, scenario
from topology.whatif import rank_single_failures

pytestmark = pytest.mark.unit


def test_all_single_matches_the_rerun_on_the_shipped_inventories(
    lab_inventory: Inventory, district_inventory: Inventory
) -> None:
    for inv in (lab_inventory, district_inventory):
        net = build_network(inv)
        rows = rank_single_failures(net)
        assert rows == reference_rank(net)
        assert any(r.lost_redundancy for r in rows)  # the comparison covers both answers
        assert any(r.isolated for r in rows)


def test_all_single_matches_the_rerun_on_a_generated_city() -> None:
    net = build_network(city_inventory(SMALL))
    assert rank_single_failures(net) == reference_rank(net)


@st.composite
def random_networks(draw: st.DrawFn) -> Inventory:
    """A small random network: sites of every tier with 0-3 devices, random links."""
    more = draw(st.lists(st.sampled_from(list(Tier)), min_size=1, max_size=8))
    tiers = [Tier.cloud, Tier.district_core, *more]
    sites: list[Site] = []
    devices: list[Device] = []
    for s, tier in enumerate(tiers):
        important = draw(st.booleans())
        sites.append(Site(id=f"s{s}", name=f"站点{s}", tier=tier, important=important))
        for _ in range(draw(st.integers(1 if tier is Tier.cloud else 0, 3))):
            n = len(devices)
            devices.append(
                Device(
                    name=f"d{n}",
                    site=f"s{s}",
                    role=Role.core if tier is Tier.district_core else Role.access,
                    platform=Platform.frr,
                    mgmt_address=f"10.0.0.{n + 1}",
                    snmp_profile="p",
                )
            )
    links: list[Link] = []
    if len(devices) >= 2:
        pairs = draw(
            st.lists(
                st.tuples(
                    st.integers(0, len(devices) - 1),
                    st.integers(0, len(devices) - 1),
                    st.sampled_from(list(Plane)),
                ),
                max_size=3 * len(devices),
            )
        )
        for a, b, plane in pairs:
            if a == b:
                continue
            links.append(
                Link(
                    id=f"l{len(links)}",
                    kind=LinkKind.access,
                    plane=plane,
                    a=LinkEnd(device=f"d{a}", interface="e0"),
                    b=LinkEnd(device=f"d{b}", interface="e1"),
                    committed_mbps=100,
                )
            )
    tier_rules = {t: TierPolicy(dual_homed=t is Tier.town) for t in Tier}
    return Inventory(
        root=Path("random"),
        profile=Profile(name="random"),
        policy=Policy(tiers=tier_rules),
        sites=tuple(sites),
        devices=tuple(devices),
        links=tuple(links),
        systems=(),
        snmp_profiles=(),
        credential_profiles=(),
    )


RANDOM = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


@RANDOM
@given(random_networks())
def test_all_single_matches_the_rerun_on_random_networks(inv: Inventory) -> None:
    net = build_network(inv)
    assert rank_single_failures(net) == reference_rank(net)


@RANDOM
@given(random_networks(), st.data())
def test_what_if_matches_the_rerun_under_random_failures(
    inv: Inventory, data: st.DataObject
) -> None:
    net = build_network(inv)
    elements = [Element(ElementKind.link, lk.id) for lk in inv.links] + [
        Element(ElementKind.device, d) for d in net.devices
    ]
    failed = data.draw(st.lists(st.sampled_from(elements), max_size=3) if elements else st.just([]))
    failure = Failure.of(failed)
    base = Baseline.of(net)
    assert single_points(net, failure) == reference_single_points(net, failure)
    got = scenario(net, failure, base)
    isolated, lost = reference_what_if(net, failure, base.connected, base.with_single_point)
    assert got.isolated == isolated
    assert {s: sorted(got.hanging[s]) for s in got.lost} == lost
    assert base.points == reference_single_points(net, NO_FAILURE)
