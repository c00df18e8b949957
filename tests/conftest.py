"""Fixtures shared by every test tier."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from base.lang import Lang, lang_from_env
from inventory.catalog import Inventory
from inventory.loader import load_inventory

REPO = Path(__file__).resolve().parent.parent
# The command speaks the locale's language (egovnet --lang defaults from LC_ALL/LANG); the
# tests read its English output unless they choose Chinese themselves, so a Chinese locale on
# the machine running them must not change what they see.
if lang_from_env(os.environ) is Lang.zh:
    os.environ["LC_ALL"] = "C.UTF-8"

#: Set by `make fresh-check` (so by CI): a skipped test is a failure there, because a machine
#: that the project's own scripts set up must be able to run every test.
FORBID_SKIPS = os.environ.get("EGOVNET_FORBID_SKIPS") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if FORBID_SKIPS and report.skipped and not hasattr(report, "wasxfail"):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped where skips are forbidden (EGOVNET_FORBID_SKIPS=1): {reason}"


LAB_INVENTORY = REPO / "inventory" / "lab"
DISTRICT_INVENTORY = REPO / "inventory" / "district"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def lab_inventory() -> Inventory:
    return load_inventory(LAB_INVENTORY)


@pytest.fixture(scope="session")
def district_inventory() -> Inventory:
    return load_inventory(DISTRICT_INVENTORY)


def run_egovnet(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run the real ``egovnet`` command as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "egovnet", *args],
        cwd=cwd or REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
