"""The generated city (bench/city.py, inventory/sample_city.py): valid, passing the topology
check, and analysed the same way as the sample district at city size."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from inventory.loader import load_inventory
from inventory.models import Role, Tier
from inventory.sample_city import CityShape, city_documents, write_city
from tests.conftest import invoke_egovnet
from tests.unit.city_helpers import SMALL, city_dir, city_inventory
from topology.checks import check
from topology.graph import build_network
from topology.reachability import Element, ElementKind
from topology.whatif import rank_single_failures, what_if

pytestmark = pytest.mark.unit


def test_the_generator_is_deterministic_and_writes_one_file_per_district(tmp_path: Path) -> None:
    counts = write_city(tmp_path / "a", SMALL)
    write_city(tmp_path / "b", SMALL)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == counts.files
    assert files == [
        "city.yaml",
        "district-wj.yaml",
        "district-zj.yaml",
        "policy.yaml",
        "profile.yaml",
        "profiles.yaml",
    ]
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    other = city_documents(CityShape(districts=2, towns=4, subdistricts=1, villages=(2, 5), seed=7))
    assert other["district-wj.yaml"] != city_documents(SMALL)["district-wj.yaml"]


def test_a_generated_city_validates_and_passes_the_check() -> None:
    inv = city_inventory(SMALL)
    cores = inv.sites_in_tier(Tier.district_core)
    assert [s.name for s in cores] == ["武江区电子政务外网核心机房", "浈江区电子政务外网核心机房"]
    assert len(inv.sites_in_tier(Tier.town)) == 8
    villages = inv.sites_in_tier(Tier.village)
    assert all(v.name.endswith(("村", "社区")) for v in villages)
    assert len(inv.devices_with_role(Role.server)) == 24
    report = check(inv)
    assert report.passed, [v.message for v in report.violations if v.severity.value == "must"]
    # single-homed villages and departments are reported, as in the sample district
    assert {v.rule for v in report.violations} >= {"single-homed", "shared-path"}


def test_every_dual_homed_site_survives_any_single_failure_in_the_city() -> None:
    net = build_network(city_inventory(SMALL))
    rows = rank_single_failures(net)
    assert len(rows) == len(net.inventory.links) + len(net.devices)
    must = net.must_be_redundant
    for row in rows:  # a must-be-redundant site is only ever lost with its own device
        own = {net.site_of_device[row.name]} if row.kind is ElementKind.device else set()
        assert {s for s in row.sites if s in must} <= own, row
    core = next(r for r in rows if r.name == "wj-core1")
    assert core.isolated > 0 and core.lost_redundancy > 0  # its single-homed departments


def test_whatif_all_single_on_a_generated_city_from_the_cli() -> None:
    done = invoke_egovnet(
        "topology", "whatif", "--all-single", "--json", "-i", str(city_dir(SMALL))
    )
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert len(rows) == len(city_inventory(SMALL).links) + 130 - 24
    first = rows[0]
    assert first["kind"] == "device" and first["isolated"] >= 5  # a town and its villages


@pytest.mark.slow
def test_the_ten_district_city_of_issue_15(tmp_path: Path) -> None:
    counts = write_city(tmp_path, CityShape(districts=10))
    assert 2400 <= counts.network_devices <= 2600
    assert (counts.servers, counts.districts) == (120, 10)
    assert 2400 <= counts.sites <= 2600 and 2600 <= counts.links <= 2800
    inv = load_inventory(tmp_path)
    assert len(inv.devices) == counts.network_devices + counts.servers
    net = build_network(inv)
    assert check(inv, net).passed
    rows = {r.element: r for r in rank_single_failures(net)}
    assert len(rows) == counts.links + counts.network_devices
    # each answer of the one-pass ranking is what failing that element alone shows
    elements = sorted(rows)
    for name in random.Random(15).sample(elements, 12):
        kind, _, ident = name.partition(" ")
        result = what_if(net, [Element(ElementKind(kind), ident)])
        assert rows[name].sites == [i.site.id for i in result.isolated]
        assert rows[name].lost_redundancy == len(result.lost_redundancy)
