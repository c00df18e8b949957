"""Drawings of a city: an overview of its districts and one readable drawing per district."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from inventory.models import Role
from tests.unit.city_helpers import SMALL, city_dir, city_inventory
from tests.unit.topology_helpers import egovnet
from topology.checks import check
from topology.districts import Districts
from topology.graph import build_network
from topology.overview import district_scope, drawings, overview_dot

pytestmark = pytest.mark.unit


def nodes(dot: str) -> set[str]:
    return set(re.findall(r'^\s*"([^"]+)" \[label=', dot, re.M))


def edges(dot: str) -> list[tuple[str, str, str]]:
    return re.findall(r'^\s*"([^"]+)" -- "([^"]+)" \[label="([^"]*)"', dot, re.M)


def test_districts_are_the_core_sites_and_everything_below_them() -> None:
    inv = city_inventory(SMALL)
    found = Districts(build_network(inv)).all
    assert [(d.key, d.name) for d in found] == [("wj", "武江区"), ("zj", "浈江区")]
    for district in found:
        assert len(district.servers) == 12
        owned = {d.name for d in inv.devices if d.site in district.site_ids}
        assert district.devices | district.servers == owned
    assert not any("city" in d.site_ids for d in found)  # the city is above the districts


def test_the_overview_shows_each_district_with_its_core_pair_counts_and_state() -> None:
    inv = city_inventory(SMALL)
    net = build_network(inv)
    dot = overview_dot(net, check(inv, net))
    for district in Districts(net).all:
        block = re.search(rf'"district:{re.escape(district.core_site.id)}" \[label="([^"]*)"', dot)
        assert block is not None
        label = block.group(1)
        assert district.name in label and f"{district.key}-core1 + {district.key}-core2" in label
        assert f"{len(district.devices)} network devices, 12 servers" in label
        assert "must-rules pass" in label
    uplinks = [e for e in edges(dot) if e[1].startswith("district:")]
    assert len(uplinks) == 4  # two city uplinks per district, with carrier and circuit id
    assert all("中国" in label and "SG" in label for _, _, label in uplinks)


def test_a_district_drawing_traces_every_site_to_its_core_and_counts_like_validate() -> None:
    inv = city_inventory(SMALL)
    net = build_network(inv)
    district = Districts(net).find("浈江区")
    assert district is not None
    scope = district_scope(net, district)
    assert scope.context == {"sg-city-core1", "sg-city-core2"}
    dot = drawings(net, check(inv, net), district="zj")["district-zj"]
    assert nodes(dot) == district.devices | scope.context
    counted = len(district.devices) + len(district.servers)
    assert counted == sum(1 for d in inv.devices if d.site in district.site_ids)
    assert f"{len(district.devices)} network devices" in dot
    assert f"validate counts {counted} devices here" in dot and "12 server(s)" in dot
    drawn = edges(dot)
    # every device but the city cores has a drawn link towards the core
    downstream = {b for _, b, _ in drawn} | {a for a, _, _ in drawn}
    assert district.devices <= downstream
    villages = [d for d in district.devices if ".vil-" in inv.device(d).site]
    for name in villages:
        ((up, _, label),) = [(a, b, lbl) for a, b, lbl in drawn if b == name]
        assert up.startswith("zj-town-") and re.search(r"中国.. SGZJ-..-\d{4}", label)
    dual = [d for d in district.devices if inv.must_be_dual_homed(inv.site(inv.device(d).site))]
    for name in dual:
        line = re.search(rf'^\s*"{re.escape(name)}" \[.*$', dot, re.M)
        assert line is not None and "◆双归" in line.group(0) and 'peripheries="2"' in line.group(0)
    assert all(inv.device(n).role is not Role.server for n in nodes(dot))


def test_draw_a_city_per_district_from_the_cli(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    where = str(city_dir(SMALL))
    done = egovnet(capsys, "topology", "draw", "-i", where, "--out", str(tmp_path / "x.svg"))
    assert done.returncode == 2 and "--per-district" in done.stderr  # too big for one drawing
    done = egovnet(capsys, "topology", "draw", "-i", where, "--district", "nosuch", "-f", "dot")
    assert done.returncode == 2 and "wj (武江区)" in done.stderr
    done = egovnet(
        capsys, "topology", "draw", "-i", where, "--per-district", "--out", str(tmp_path / "d")
    )
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (tmp_path / "d").iterdir())
    assert written == ["district-wj.svg", "district-zj.svg", "overview.svg"]
    for name in written:
        root = ET.fromstring((tmp_path / "d" / name).read_text(encoding="utf-8"))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    root = ET.fromstring((tmp_path / "d" / "overview.svg").read_text(encoding="utf-8"))
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "浈江区" in texts and "redundancy: must-rules pass" in texts
