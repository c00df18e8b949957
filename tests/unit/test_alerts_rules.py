"""The shipped alert rules: promtool's own unit tests, and what every alert must carry."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

pytestmark = pytest.mark.unit

RULES = REPO / "exporters" / "rules"
ALERTS = RULES / "alerts.yml"
TEST_FILES = sorted((RULES / "tests").glob("alerts_*.yml"))
REQUIRED = {
    "LinkDown",
    "RedundancyLost",
    "SiteIsolated",
    "CoreDeviceDown",
    "DeviceUnreachable",
    "ExporterDown",
    "CircuitSaturated",
    "CircuitBelowPlanTarget",
    "InterfaceErrors",
    "LinkFlapping",
    "DeviceCpuHigh",
    "DeviceMemoryHigh",
    "DeviceTemperatureHigh",
    "DeviceFanFailed",
    "DevicePowerSupplyFailed",
    "OpticalPowerLow",
    "OpticalPowerNearThreshold",
}


def promtool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("promtool") is None:
        pytest.fail("promtool is not installed (Debian package prometheus; run `make setup`)")
    return subprocess.run(
        ["promtool", *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def alert_rules() -> list[dict[str, Any]]:
    data = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))
    return [r for g in data["groups"] for r in g["rules"] if "alert" in r]


def test_rule_file_is_valid_for_prometheus() -> None:
    result = promtool("check", "rules", str(ALERTS), cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("test_file", TEST_FILES, ids=lambda p: p.stem)
def test_promtool_rule_tests_pass(test_file: Path) -> None:
    result = promtool("test", "rules", test_file.name, cwd=test_file.parent)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_alert_has_cases_that_fire_and_cases_that_stay_silent() -> None:
    fires: set[str] = set()
    silent: set[str] = set()
    for path in TEST_FILES:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert doc["rule_files"] == ["../alerts.yml"], path
        for case in doc["tests"]:
            for check in case["alert_rule_test"]:
                (fires if check["exp_alerts"] else silent).add(check["alertname"])
    names = {r["alert"] for r in alert_rules()}
    assert names == REQUIRED
    assert fires == names, f"no firing case for {names - fires}"
    assert silent == names, f"no silent case for {names - silent}"


@pytest.mark.parametrize("rule", alert_rules(), ids=lambda r: f"{r['alert']}-{r['labels']}")
def test_alert_carries_severity_site_and_runbook(rule: dict[str, Any]) -> None:
    labels, notes = rule["labels"], rule["annotations"]
    assert labels["severity"] in {"critical", "warning", "info"}
    assert {"summary", "description", "runbook_url"} <= set(notes)
    if rule["alert"] != "ExporterDown":  # the exporter belongs to no site
        for key in ("summary", "description"):
            assert "$labels.site_name" in notes[key], (rule["alert"], key)
        assert "$labels.tier" in notes["description"]
    runbook = REPO / notes["runbook_url"]
    assert notes["runbook_url"].startswith("docs/runbooks/") and runbook.is_file(), runbook
    assert rule["alert"] in runbook.read_text(encoding="utf-8")


def test_info_alerts_are_planning_only() -> None:
    info = {r["alert"] for r in alert_rules() if r["labels"]["severity"] == "info"}
    assert info == {"CircuitBelowPlanTarget"}


def test_rules_use_only_contract_metrics() -> None:
    """Every egovnet_* name in the rules is a name docs/metrics.md defines."""
    contract = (REPO / "docs" / "metrics.md").read_text(encoding="utf-8")
    defined = set(re.findall(r"`(egovnet_[a-z_]+)`", contract))
    used = set(re.findall(r"\begovnet_[a-z_]+\b", ALERTS.read_text(encoding="utf-8")))
    used -= {"egovnet_snmp", "egovnet_exporter"}  # job names, not metrics
    assert used and used <= defined, used - defined


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (") > 0.8\n", ") > 0.6\n"),  # saturation threshold
        ("unless on (link)", "or on (link)"),  # planned shutdowns
        ("and on (site) egovnet_site_uplinks >= 2", ""),  # design gaps are not outages
        ('role!="core"} == 0\n', 'role!="x"} == 0\n'),  # the core/non-core split
        ('"town"\n            }}镇街{{', '"town"\n            }}town{{'),  # a Chinese tier name
        ('scope="site",site="%s"', 'scope="x",site="%s"'),  # minutes since the cut, in Chinese
        ("egovnet_device_cpu_ratio > 0.9\n", "egovnet_device_cpu_ratio > 0.96\n"),
        ("egovnet_device_fan_ok == 0\n", "egovnet_device_fan_ok == 1\n"),
        ("_rx_low_threshold_dbm + 3\n", "_rx_low_threshold_dbm + 1\n"),  # the 3 dB margin
    ],
)
def test_a_broken_rule_fails_the_promtool_tests(tmp_path: Path, old: str, new: str) -> None:
    """The rule tests can fail: each mutation of the rules makes at least one case fail."""
    text = ALERTS.read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "tests").mkdir()
    (tmp_path / "alerts.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    for path in TEST_FILES:
        shutil.copy(path, tmp_path / "tests" / path.name)
    names = [p.name for p in TEST_FILES]
    result = promtool("test", "rules", *names, cwd=tmp_path / "tests")
    assert result.returncode != 0, "the promtool tests did not notice the broken rule"
