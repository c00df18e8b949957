"""The `egovnet` command's own conventions: verb groups, usage errors, the demo's first part."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_egovnet

pytestmark = pytest.mark.unit

WIDE = {"COLUMNS": "200", "PATH": ""}


def test_help_lists_every_verb_group() -> None:
    result = run_egovnet("--help", env=WIDE)
    assert result.returncode == 0
    for group in (
        "inventory",
        "topology",
        "config",
        "poll",
        "exporter",
        "monitor",
        "bandwidth",
        "lab",
        "audit",
        "demo",
    ):
        assert group in result.stdout, group


def test_unknown_command_is_a_usage_error_not_a_traceback() -> None:
    result = run_egovnet("no-such-verb", env=WIDE)
    assert result.returncode == 2
    assert "No such command" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_without_lab_validates_and_summarises_the_district(tmp_path: Path) -> None:
    result = run_egovnet("demo", "--no-lab", "--state-dir", str(tmp_path / "state"), env=WIDE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "inventory/district: 79 sites" in result.stdout
    assert "上云率" in result.stdout
    assert "must-rules pass" in result.stdout
