"""`topology check`: the redundancy rules on the lab, the sample district and crafted breaks."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from inventory.catalog import Inventory
from inventory.models import LinkEnd, Plane, Role, Tier
from tests.conftest import invoke_egovnet
from tests.unit.topology_helpers import egovnet
from topology.checks import RULES, check
from topology.findings import CheckReport, Severity, Violation

pytestmark = pytest.mark.unit


def edited(inv: Inventory, drop: tuple[str, ...] = (), **changes: dict[str, object]) -> Inventory:
    """The inventory with links dropped or fields of links replaced (validation bypassed,
    as a planner's what-if inventory would be)."""
    links = []
    for link in inv.links:
        if link.id in drop:
            continue
        update = changes.get(link.id.replace("-", "_"))
        links.append(link.model_copy(update=update) if update else link)
    return dataclasses.replace(inv, links=tuple(links))


def of_rule(report: CheckReport, rule: str) -> list[Violation]:
    return [v for v in report.violations if v.rule == rule]


def sites(v: Violation) -> set[str]:
    return {s.id for s in v.sites}


def test_every_rule_is_documented(repo_root: Path) -> None:
    doc = (repo_root / "docs" / "topology.md").read_text(encoding="utf-8")
    for rule, (severity, _) in RULES.items():
        assert f"`{rule}`" in doc, rule
        assert severity.value in doc


def test_lab_passes_and_reports_its_known_gaps(lab_inventory: Inventory) -> None:
    report = check(lab_inventory)
    assert report.passed
    assert [(v.rule, v.devices) for v in report.violations if v.severity is Severity.should] == [
        ("cloud-edge", ["cloud1"])
    ]
    single = {s for v in of_rule(report, "single-homed") for s in sites(v)}
    assert single == {
        "dept-wjj",
        "vil-longgui-shangwei",
        "vil-longgui-xiaba",
        "vil-jiangwan-tianxin",
    }
    shared = {v.devices[0]: sites(v) for v in of_rule(report, "shared-path")}
    assert shared == {
        "core1": {"dept-wjj"},
        "town1": {"vil-longgui-shangwei", "vil-longgui-xiaba"},
        "town2": {"vil-jiangwan-tianxin"},
    }


def test_district_passes_its_must_rules_and_reports_its_documented_gaps(
    district_inventory: Inventory,
) -> None:
    inv = district_inventory
    report = check(inv)
    assert report.passed, [v.message for v in report.violations if v.severity is Severity.must]
    assert report.count(Severity.should) == 0
    # the deliberate gaps: villages and non-important departments hang on one circuit
    allowed_single = {
        s.id
        for s in inv.sites
        if s.tier is Tier.village or (s.tier is Tier.department and not s.important)
    }
    single = {s for v in of_rule(report, "single-homed") for s in sites(v)}
    assert single == allowed_single
    # ...and so each town device and each core carries the only path of some of them
    shared = {v.devices[0] for v in of_rule(report, "shared-path")}
    towns = {d.name for d in inv.devices if d.role is Role.aggregation}
    assert shared == towns | {"wj-core1", "wj-core2"}
    assert all(not s.must_be_redundant for v in of_rule(report, "shared-path") for s in v.sites)


def test_town_with_one_uplink(lab_inventory: Inventory) -> None:
    report = check(edited(lab_inventory, drop=("core2-town1",)))
    assert not report.passed
    [dual] = of_rule(report, "dual-homed")
    assert sites(dual) == {"town-longgui"} and dual.links == ["core1-town1"]
    spof = {(v.links + v.devices)[0]: sites(v) for v in of_rule(report, "single-point-of-failure")}
    town_and_villages = {"town-longgui", "vil-longgui-shangwei", "vil-longgui-xiaba"}
    assert spof == {"core1-town1": town_and_villages, "core1": town_and_villages | {"dept-wjj"}}
    assert all(v.severity is Severity.must for v in of_rule(report, "single-point-of-failure"))


def test_both_town_links_on_the_same_core(lab_inventory: Inventory) -> None:
    moved = {"a": LinkEnd(device="core1", interface="eth9")}
    report = check(edited(lab_inventory, core2_town1=moved))
    assert not report.passed
    [upstream] = of_rule(report, "dual-homed-upstream")
    assert sites(upstream) == {"town-longgui"} and upstream.devices == ["core1"]
    assert not of_rule(report, "dual-homed")  # it still has two links
    [spof] = of_rule(report, "single-point-of-failure")
    assert spof.devices == ["core1"]
    assert sites(spof) == {"town-longgui", "vil-longgui-shangwei", "vil-longgui-xiaba", "dept-wjj"}


def test_important_department_single_homed(lab_inventory: Inventory) -> None:
    # inventory validate refuses this at load time; check reports it on an edited inventory
    report = check(edited(lab_inventory, drop=("core2-dept1",)))
    [dual] = of_rule(report, "dual-homed")
    assert sites(dual) == {"dept-zsj"} and "important" in dual.message
    spof = {(v.links + v.devices)[0]: sites(v) for v in of_rule(report, "single-point-of-failure")}
    assert spof == {"core1-dept1": {"dept-zsj"}, "core1": {"dept-zsj", "dept-wjj"}}


def test_core_interconnect_of_one_link(lab_inventory: Inventory) -> None:
    report = check(edited(lab_inventory, drop=("core1-core2-b",)))
    [v] = of_rule(report, "core-interconnect")
    assert v.severity is Severity.must
    assert sites(v) == {"district-core"} and v.links == ["core1-core2-a"]
    # the cores still reach each other through dual-homed towns, the city and the cloud:
    # no site loses its path, so the rule is what catches it
    assert not of_rule(report, "single-point-of-failure")


def test_town_links_on_one_plane_and_one_carrier(lab_inventory: Inventory) -> None:
    same = {"plane": Plane.A, "carrier": "中国电信"}
    report = check(edited(lab_inventory, core2_town1=same))
    [planes] = of_rule(report, "dual-homed-planes")
    assert sites(planes) == {"town-longgui"} and planes.severity is Severity.must
    [carrier] = of_rule(report, "carrier-diversity")
    assert sites(carrier) == {"town-longgui"} and carrier.severity is Severity.should


def test_city_uplinks_landing_on_one_core(lab_inventory: Inventory) -> None:
    moved = {"b": LinkEnd(device="core1", interface="eth9")}
    report = check(edited(lab_inventory, city1_core2=moved))
    [v] = of_rule(report, "city-uplinks")
    assert v.devices == ["core1"] and sites(v) == {"city", "district-core"}
    [spof] = of_rule(report, "single-point-of-failure")
    assert spof.devices == ["core1"] and "city" in sites(spof)


def test_one_core_and_a_site_without_links(lab_inventory: Inventory) -> None:
    inv = edited(lab_inventory, drop=tuple(lk.id for lk in lab_inventory.links_of("dept2")))
    inv = dataclasses.replace(
        inv,
        policy=inv.policy.model_copy(
            update={"redundancy": inv.policy.redundancy.model_copy(update={"core_devices": 3})}
        ),
    )
    report = check(inv)
    [cores] = of_rule(report, "core-devices")
    assert cores.devices == ["core1", "core2"]
    [coverage] = of_rule(report, "coverage")
    assert sites(coverage) == {"dept-wjj"}


def test_violations_are_ordered_must_first(lab_inventory: Inventory) -> None:
    report = check(edited(lab_inventory, drop=("core2-town1",)))
    order = [v.severity for v in report.violations]
    assert order == sorted(order, key=[Severity.must, Severity.should, Severity.info].index)


# --- the command ----------------------------------------------------------------------------


def copy_lab(tmp_path: Path, repo_root: Path, drop_line_with: str | None = None) -> Path:
    target = tmp_path / "inv"
    shutil.copytree(repo_root / "inventory" / "lab", target)
    if drop_line_with:
        links = target / "links.yaml"
        lines = links.read_text(encoding="utf-8").splitlines(keepends=True)
        links.write_text("".join(ln for ln in lines if drop_line_with not in ln), encoding="utf-8")
    return target


def test_cli_check_exit_codes_and_json(
    tmp_path: Path, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ok = invoke_egovnet("topology", "check", "--profile", "lab", "--json")
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert data["passed"] is True and data["counts"] == {"must": 0, "should": 1, "info": 7}

    broken = copy_lab(tmp_path, repo_root, drop_line_with="id: core2-town1,")
    bad = egovnet(capsys, "topology", "check", str(broken))
    assert bad.returncode == 1
    assert "must-rules FAIL" in bad.stdout and "龙归镇" in bad.stdout

    quiet = egovnet(capsys, "topology", "check", str(broken), "--min-severity", "must", "--json")
    assert quiet.returncode == 1
    shown = json.loads(quiet.stdout)["violations"]
    assert shown and {v["severity"] for v in shown} == {"must"}


def test_cli_check_bad_inventory_is_exit_2(
    tmp_path: Path, repo_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = copy_lab(tmp_path, repo_root)
    (broken / "sites.yaml").write_text("sites:\n  - {id: x, name: [\n", encoding="utf-8")
    done = egovnet(capsys, "topology", "check", str(broken))
    assert done.returncode == 2
    assert "sites.yaml:" in done.stderr and "Traceback" not in done.stderr
