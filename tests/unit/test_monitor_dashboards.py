"""The Grafana dashboards as files: schema, the ${datasource} variable, extracted queries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from base.errors import MonitorConfigError
from monitor.dashboards import (
    DASHBOARD_DIR,
    load_dashboard,
    load_dashboards,
    panel_queries,
    substitute,
    variable_query,
)
from tests.conftest import REPO

pytestmark = pytest.mark.unit

BOARDS = sorted(DASHBOARD_DIR.glob("*.json"))


def test_the_three_dashboards_are_there() -> None:
    titles = {b.uid: b.title for b in load_dashboards()}
    assert set(titles) == {"egovnet-noc", "egovnet-site", "egovnet-plan"}


@pytest.mark.parametrize("path", BOARDS, ids=lambda p: p.stem)
def test_every_panel_uses_the_datasource_variable(path: Path) -> None:
    raw = json.loads(path.read_text(encoding="utf-8"))
    variables = {v["name"]: v for v in raw["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    assert variables["datasource"]["query"] == "prometheus"
    assert isinstance(raw["schemaVersion"], int) and raw["uid"] and raw["title"]
    ids = [p["id"] for p in raw["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"
    for panel in raw["panels"]:
        if panel["type"] == "row":
            continue
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${datasource}"
            assert target["expr"].strip()


def test_site_detail_has_a_site_variable_from_the_inventory_series() -> None:
    board = load_dashboard(DASHBOARD_DIR / "site-detail.json")
    (site,) = board.query_variables
    assert site.name == "site"
    assert variable_query(site) == "group by (site) (egovnet_site_info)"
    queries = panel_queries(board, {"site": "town-jiangwan"})
    assert queries and all("$" not in q.expr for q in queries)
    assert any('site="town-jiangwan"' in q.expr for q in queries)


def test_grafana_variables_are_replaced_and_unknown_ones_refused() -> None:
    expr = 'rate(x{site="$site", b="${site}", c="[[site]]"}[$__rate_interval])'
    assert substitute(expr, {"site": "vil-1"}) == 'rate(x{site="vil-1", b="vil-1", c="vil-1"}[1m])'
    assert substitute('label_replace(x, "a", "$1", "b", "(.*)")', {}) == (
        'label_replace(x, "a", "$1", "b", "(.*)")'
    )
    with pytest.raises(MonitorConfigError, match=r"no value for the variable \$tier"):
        substitute('x{tier="$tier"}', {"site": "a"})


def test_only_alert_tables_and_untested_bandwidth_may_come_back_empty() -> None:
    empty_ok = [
        (b.uid, q.panel)
        for b in load_dashboards()
        for q in panel_queries(b, {"site": "x"})
        if q.may_be_empty
    ]
    assert empty_ok == [
        ("egovnet-noc", "Links down"),
        ("egovnet-noc", "Firing alerts"),
        ("egovnet-site", "Last bandwidth test (egovnet bandwidth test)"),
        # vendor health: Huawei/H3C sites only; tests/integration/test_vendor_health_snmpd.py
        # checks these non-empty on emulated devices
        ("egovnet-site", "CPU and memory per board"),
        ("egovnet-site", "CPU and memory per board"),
        ("egovnet-site", "Board temperature"),
        ("egovnet-site", "Fans and power supplies"),
        ("egovnet-site", "Fans and power supplies"),
        *[("egovnet-site", "Optical power against the low alarm threshold")] * 4,
    ]


def test_dashboards_use_only_contract_metrics() -> None:
    contract = (REPO / "docs" / "metrics.md").read_text(encoding="utf-8")
    defined = set(re.findall(r"`(egovnet_[a-z_]+)`", contract))
    used = {
        name
        for b in load_dashboards()
        for q in panel_queries(b, {"site": "x"})
        for name in re.findall(r"\begovnet_[a-z_]+\b", q.expr)
    }
    assert used and used <= defined, used - defined


def test_provisioning_files_point_grafana_at_the_dashboards_and_prometheus() -> None:
    prov = DASHBOARD_DIR / "provisioning"
    dashboards = yaml.safe_load((prov / "dashboards" / "egovnet.yml").read_text("utf-8"))
    (provider,) = dashboards["providers"]
    assert provider["type"] == "file" and provider["options"]["path"]
    sources = yaml.safe_load((prov / "datasources" / "egovnet.yml").read_text("utf-8"))
    (prom,) = sources["datasources"]
    assert prom["type"] == "prometheus" and prom["url"].startswith("http://127.0.0.1:")
