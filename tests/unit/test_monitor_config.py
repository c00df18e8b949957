"""`egovnet monitor config`: the files a production NOC loads, checked by promtool and amtool."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from inventory.catalog import Inventory
from inventory.models import Role
from monitor.generate import route_receivers
from tests.conftest import LAB_INVENTORY, REPO, Invocation, invoke_egovnet

pytestmark = pytest.mark.unit

ALERTS = REPO / "exporters" / "rules" / "alerts.yml"


def generate(out: Path, *extra: str) -> Invocation:
    return invoke_egovnet("monitor", "config", "--out", str(out), "-i", str(LAB_INVENTORY), *extra)


@pytest.fixture(scope="module")
def config_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("noc")
    result = generate(out, "--exporter-address", "10.20.0.5:9516", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [c["ok"] for c in report["checks"]] == [True, True]
    return out


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def alert_for(rules_file: Path) -> dict[tuple[str, str], str | None]:
    data = load(rules_file)
    return {
        (r["alert"], r["labels"]["severity"]): r.get("for")
        for g in data["groups"]
        for r in g["rules"]
        if "alert" in r
    }


def test_promtool_and_amtool_accept_the_generated_files(config_dir: Path) -> None:
    for argv in (
        ["promtool", "check", "config", "prometheus.yml"],
        ["amtool", "check-config", "alertmanager.yml"],
    ):
        done = subprocess.run(argv, cwd=config_dir, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def test_device_job_relabels_each_target_to_the_exporter(config_dir: Path) -> None:
    prom = load(config_dir / "prometheus.yml")
    jobs = {j["job_name"]: j for j in prom["scrape_configs"]}
    snmp = jobs["egovnet-snmp"]
    assert snmp["metrics_path"] == "/snmp"
    assert snmp["file_sd_configs"] == [{"files": ["targets/devices.json"]}]
    assert snmp["relabel_configs"] == [
        {"source_labels": ["__address__"], "target_label": "__param_target"},
        {"source_labels": ["__param_target"], "target_label": "instance"},
        {"target_label": "__address__", "replacement": "10.20.0.5:9516"},
    ]
    assert jobs["egovnet-exporter"]["static_configs"] == [{"targets": ["10.20.0.5:9516"]}]
    assert prom["rule_files"][-1] == "rules/alerts.yml"
    assert prom["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] == [
        "127.0.0.1:9093"
    ]


def test_file_sd_has_one_target_per_polled_device(
    config_dir: Path, lab_inventory: Inventory
) -> None:
    groups = json.loads((config_dir / "targets" / "devices.json").read_text(encoding="utf-8"))
    polled = [d for d in lab_inventory.devices if d.role is not Role.server]
    assert [g["targets"] for g in groups] == [[d.name] for d in polled]
    by_device = {g["labels"]["device"]: g["labels"] for g in groups}
    assert by_device["vil3"] == {
        "device": "vil3",
        "site": "vil-jiangwan-tianxin",
        "site_name": "江湾镇田心村",
        "tier": "village",
        "role": "cpe",
    }


@pytest.mark.parametrize(
    ("labels", "receiver"),
    [
        ({"alertname": "CircuitBelowPlanTarget", "severity": "info", "tier": "town"}, "planning"),
        ({"alertname": "SiteIsolated", "severity": "critical", "tier": "village"}, "noc-page"),
        ({"alertname": "CoreDeviceDown", "severity": "critical", "tier": "district_core"},
         "core-oncall"),
        ({"alertname": "SiteIsolated", "severity": "critical", "tier": "cloud"}, "core-oncall"),
        ({"alertname": "ExporterDown", "severity": "critical"}, "core-oncall"),
        ({"alertname": "RedundancyLost", "severity": "warning", "tier": "town"}, "noc-ticket"),
        ({"alertname": "CircuitSaturated", "severity": "warning", "tier": "village"},
         "noc-ticket"),
    ],
)  # fmt: skip
def test_routes_by_severity_and_tier(
    config_dir: Path, labels: dict[str, str], receiver: str
) -> None:
    """Alertmanager's own routing tree (amtool config routes test) picks the receiver."""
    assert route_receivers(config_dir, labels) == [receiver]


def test_info_alerts_are_never_sent_and_groups_are_per_site(config_dir: Path) -> None:
    am = load(config_dir / "alertmanager.yml")
    receivers = {r["name"]: r for r in am["receivers"]}
    assert "webhook_configs" not in receivers["planning"]
    for name in ("core-oncall", "noc-page", "noc-ticket"):
        assert receivers[name]["webhook_configs"][0]["url"] == "http://127.0.0.1:9095/alerts"
        assert receivers[name]["webhook_configs"][0]["send_resolved"] is True
    assert am["route"]["group_by"] == ["district", "site"]
    isolated = next(
        r for r in am["inhibit_rules"] if r["source_matchers"] == ['alertname="SiteIsolated"']
    )
    assert "site" in isolated["equal"]


def test_generated_rules_equal_the_shipped_ones_by_default(config_dir: Path) -> None:
    assert alert_for(config_dir / "rules" / "alerts.yml") == alert_for(ALERTS)


def test_for_scale_shortens_only_the_generated_copy(tmp_path: Path) -> None:
    before = hashlib.sha256(ALERTS.read_bytes()).hexdigest()
    result = generate(tmp_path, "--alert-for-scale", "0.1", "--alert-for", "LinkDown=20s")
    assert result.returncode == 0, result.stderr
    durations = alert_for(tmp_path / "rules" / "alerts.yml")
    assert durations[("CircuitSaturated", "warning")] == "1m"
    assert durations[("CircuitSaturated", "critical")] == "1m"
    assert durations[("DeviceUnreachable", "warning")] == "12s"
    assert durations[("CircuitBelowPlanTarget", "info")] == "1m30s"
    assert durations[("LinkDown", "warning")] == "20s"  # the override wins over the scale
    assert durations[("LinkFlapping", "warning")] is None
    assert hashlib.sha256(ALERTS.read_bytes()).hexdigest() == before
    shipped = alert_for(ALERTS)
    assert shipped[("CircuitSaturated", "warning")] == "10m"


def test_runbook_base_turns_paths_into_links(tmp_path: Path) -> None:
    result = generate(tmp_path, "--runbook-base", "https://noc.example.gov.cn/runbooks/")
    assert result.returncode == 0, result.stderr
    data = load(tmp_path / "rules" / "alerts.yml")
    urls = {r["annotations"]["runbook_url"] for g in data["groups"] for r in g["rules"]}
    assert "https://noc.example.gov.cn/runbooks/site-isolated.md" in urls
    assert all(u.startswith("https://noc.example.gov.cn/runbooks/") for u in urls)
    zh = {r["annotations"]["runbook_url_zh"] for g in data["groups"] for r in g["rules"]}
    assert "https://noc.example.gov.cn/runbooks/zh/site-isolated.md" in zh
    assert all(u.startswith("https://noc.example.gov.cn/runbooks/zh/") for u in zh)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--alert-for", "NoSuchAlert=1m"], "--alert-for: unknown alert 'NoSuchAlert'"),
        (["--alert-for", "LinkDown"], "--alert-for: 'LinkDown' is not NAME=DURATION"),
        (["--alert-for", "LinkDown=soon"], "'soon' is not a Prometheus duration"),
        (["--scrape-interval", "15 seconds"], "--scrape-interval:"),
        (["--exporter-address", "exporter"], "--exporter-address:"),
        (["--webhook-url", "ftp://pager"], "--webhook-url:"),
        (["--alert-for-scale", "0"], "--alert-for-scale:"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "out"
    result = generate(out, *args)
    assert result.returncode == 2, result.stdout + result.stderr
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1 and message in errors[0], result.stderr
    assert not out.exists(), "a bad option must change nothing"
