"""`topology draw`: DOT with tiers as ranks, rendered by the real Graphviz, and live states."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, Gauge, generate_latest

from base.errors import TopologyError
from inventory.catalog import Inventory
from tests.conftest import invoke_egovnet
from tests.unit.topology_helpers import egovnet
from topology.checks import check
from topology.diagram import DOWN, ISOLATED_FILL, PLANE_COLOURS, VIOLATION, rate, to_dot
from topology.graph import build_network
from topology.linkstate import LinkStatus, combine, load_json_states, states_from_exposition
from topology.render import Format, render

pytestmark = pytest.mark.unit

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz not installed")


def ranks(dot: str) -> list[list[str]]:
    rows = re.findall(r"\{ rank=same; r\d+; (.*?) \}", dot)
    return [re.findall(r'"([^"]+)"', row) for row in rows]


def edge(dot: str, a: str, b: str) -> str:
    match = re.search(rf'^\s*"{a}" -- "{b}" \[(.*)\];$', dot, re.M)
    assert match, (a, b)
    return match.group(1)


def test_tiers_are_ranks_from_cloud_and_cores_down_to_villages(lab_inventory: Inventory) -> None:
    rows = ranks(to_dot(build_network(lab_inventory)))
    assert rows == [
        ["city1", "cloud1"],
        ["core1", "core2"],
        ["dept1", "dept2"],
        ["town1", "town2"],
        ["vil1", "vil3"],  # the first village of each town, then the next one under it
        ["vil2"],
    ]


def test_the_district_wraps_departments_and_stacks_villages(district_inventory: Inventory) -> None:
    rows = ranks(to_dot(build_network(district_inventory)))
    tiers = [
        {district_inventory.site(district_inventory.device(n).site).tier.value for n in r}
        for r in rows
    ]
    assert tiers[:2] == [{"city", "cloud"}, {"district_core"}]
    assert max(len(r) for r in rows) <= 11
    assert sum(len(r) for r in rows) == 82  # every network device drawn once, no server
    village_rows = [r for r, t in zip(rows, tiers, strict=True) if t == {"village"}]
    assert len(village_rows) == 6 and len(village_rows[0]) == 7  # one column per town


def test_links_carry_plane_colour_and_committed_rate(lab_inventory: Inventory) -> None:
    dot = to_dot(build_network(lab_inventory))
    assert f'color="{PLANE_COLOURS["A"]}"' in edge(dot, "core1", "town1")
    # rate, carrier and circuit id
    assert 'label="100M\\n中国电信 SGWJ-DX-0101"' in edge(dot, "core1", "town1")
    assert f'color="{PLANE_COLOURS["B"]}"' in edge(dot, "core2", "town2")
    assert 'label="10G"' in edge(dot, "cloud1", "core1")  # the cloud is drawn above the core
    assert '"龙归镇 ◆双归\\ntown1"' in dot  # a town must be dual-homed
    assert 'peripheries="2"' in re.search(r'^\s*"town1" \[.*$', dot, re.M).group(0)
    assert (rate(50), rate(1000), rate(40000), rate(500)) == ("50M", "1G", "40G", "500M")


def test_violations_and_down_links_are_highlighted(lab_inventory: Inventory) -> None:
    inv = dataclasses.replace(
        lab_inventory, links=tuple(lk for lk in lab_inventory.links if lk.id != "core2-town1")
    )
    net = build_network(inv)
    dot = to_dot(
        net, check(inv, net), {"town1-vil1": LinkStatus.down, "core1-town2": LinkStatus.up}
    )
    assert VIOLATION in edge(dot, "core1", "town1") and "⚠" in edge(dot, "core1", "town1")
    assert re.search(rf'^\s*"core1" \[.*color="{VIOLATION}"', dot, re.M)
    down = edge(dot, "town1", "vil1")
    assert DOWN in down and "dashed" in down and "DOWN 50M" in down
    assert re.search(rf'^\s*"vil1" \[.*fillcolor="{ISOLATED_FILL}"', dot, re.M)
    assert not re.search(rf'^\s*"vil2" \[.*fillcolor="{ISOLATED_FILL}"', dot, re.M)
    assert "1 link(s) down" in dot and "MUST-RULES FAIL" in dot


@needs_dot
def test_svg_renders_with_chinese_names(district_inventory: Inventory) -> None:
    net = build_network(district_inventory)
    svg = render(to_dot(net, check(district_inventory, net)), Format.svg).decode("utf-8")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {"龙归镇 ◆双归", "区政务服务数据管理局 ◆双归", "区发展和改革局", "wj-core1"} <= texts
    assert "SGWJ-DX-0101" in " ".join(t or "" for t in texts)  # circuit ids on the links


def test_json_link_states(tmp_path: Path, lab_inventory: Inventory) -> None:
    good = tmp_path / "states.json"
    good.write_text(json.dumps({"core1-town1": "DOWN", "town1-vil1": "up"}), encoding="utf-8")
    assert dict(load_json_states(good, lab_inventory).link_states()) == {
        "core1-town1": LinkStatus.down,
        "town1-vil1": LinkStatus.up,
    }
    for text, message in (
        ('{"core9-town1": "down"}', "unknown link"),
        ('{"core1-town1": "flapping"}', "must be up or down"),
        ("{\n  nope", ":2: not JSON"),
    ):
        good.write_text(text, encoding="utf-8")
        with pytest.raises(TopologyError, match=message):
            load_json_states(good, lab_inventory)


def test_link_states_from_the_exporters_exposition() -> None:
    registry = CollectorRegistry()
    oper = Gauge(
        "egovnet_interface_oper_up", "", ["device", "interface", "link"], registry=registry
    )
    oper.labels("core1", "eth5", "core1-town1").set(1)
    oper.labels("town1", "eth1", "core1-town1").set(0)  # one end down: the link is down
    oper.labels("core2", "eth5", "core2-town1").set(1)
    oper.labels("core2", "eth9", "").set(0)  # an interface no link uses
    states = states_from_exposition(generate_latest(registry).decode("utf-8")).link_states()
    assert dict(states) == {"core1-town1": LinkStatus.down, "core2-town1": LinkStatus.up}
    assert combine([("x", 0.0), ("x", 1.0)]) == {"x": LinkStatus.down}


@needs_dot
def test_cli_draw(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "lab.png"
    done = invoke_egovnet(
        "topology", "draw", "--profile", "lab", "--format", "png", "--out", str(png)
    )
    assert done.returncode == 0, done.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    states = tmp_path / "live.json"
    states.write_text('{"core1-town1": "down", "core2-town1": "down"}', encoding="utf-8")
    out = tmp_path / "live.svg"
    done = egovnet(
        capsys,
        "topology",
        "draw",
        "--profile",
        "lab",
        "--out",
        str(out),
        "--live",
        str(states),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["down_links"] == ["core1-town1", "core2-town1"]
    assert "(isolated)" in out.read_text(encoding="utf-8")

    dot = egovnet(capsys, "topology", "draw", "--profile", "lab", "--format", "dot")
    assert dot.returncode == 0 and dot.stdout.startswith("graph topology {")

    states.write_text('{"no-such-link": "down"}', encoding="utf-8")
    for bad in (["--out", str(out), "--live", str(states)], ["--format", "svg"]):
        done = egovnet(capsys, "topology", "draw", "--profile", "lab", *bad)
        assert done.returncode == 2 and done.stderr.startswith("error: "), bad
