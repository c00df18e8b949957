"""Recording rules: promtool checks them and runs their unit tests (tests/recording_*.yml)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.unit

RULES = Path(__file__).resolve().parents[2] / "exporters" / "rules"
METRICS_DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


def promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        pytest.fail("promtool is missing: `make setup` installs Debian's prometheus package")
    return found


def test_recording_rules_are_valid() -> None:
    result = subprocess.run(
        [promtool(), "check", "rules", str(RULES / "recording.yml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_recording_rule_unit_tests_pass() -> None:
    tests = sorted((RULES / "tests").glob("recording_*.yml"))
    assert len(tests) >= 2
    result = subprocess.run(
        [promtool(), "test", "rules", *map(str, tests)],
        capture_output=True,
        text=True,
        check=False,
        cwd=RULES / "tests",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_recording_rule_of_the_contract_is_recorded() -> None:
    recorded = {
        rule["record"]
        for group in yaml.safe_load((RULES / "recording.yml").read_text(encoding="utf-8"))["groups"]
        for rule in group["rules"]
    }
    text = METRICS_DOC.read_text(encoding="utf-8")
    section = text.split("## Recording rules", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([a-z_]+:[a-z_]+:[a-z0-9_]+)`", section))
    assert documented
    assert documented == recorded
