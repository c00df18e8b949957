"""Fixtures shared by every test tier."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

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
#: the lab with FRR answering on every device (no vendor emulation): what FRR-only tests use
FRR_LAB_INVENTORY = REPO / "inventory" / "lab-frr"
DISTRICT_INVENTORY = REPO / "inventory" / "district"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def lab_inventory() -> Inventory:
    return load_inventory(LAB_INVENTORY)


@pytest.fixture(scope="session")
def frr_lab_inventory() -> Inventory:
    return load_inventory(FRR_LAB_INVENTORY)


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


@dataclass(frozen=True)
class Invocation:
    """What one in-process run of ``egovnet`` ended with (named as in CompletedProcess)."""

    returncode: int
    stdout: str
    stderr: str


def invoke_egovnet(
    *args: str, cwd: Path | None = None, env: Mapping[str, str | None] | None = None
) -> Invocation:
    """Run ``egovnet ARGS`` in this process, as ``egovnet.cli.main`` runs it for a user.

    ``main`` is the console script: the lazy verb group, click's usage errors (exit 2) and
    egovnet's own errors turned into one line and their exit code. Typer's CliRunner swaps
    stdin, stdout, stderr and the environment variables in ``env`` (None removes one) for the
    call; the working directory is ``cwd`` (default: the repository). Output is 80 columns
    unless ``env`` says COLUMNS, and never coloured, like a subprocess writing to a pipe.
    An exception egovnet lets through is a crash: it is raised here, not hidden in a code.
    """
    from egovnet.cli import main
    from egovnet.commands.common import console, err_console

    overlay = {"COLUMNS": "80", **(env or {})}
    runner = CliRunner()
    saved = [(c, c._width, c._color_system) for c in (console, err_console)]
    code = 0
    with contextlib.chdir(cwd or REPO), runner.isolation(env=overlay) as (out, err, _):
        for c, _width, _colors in saved:
            # rich fixes these when the console is made (at import), not when it prints
            c._width = None
            c._color_system = None
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            for c, width, colors in saved:
                c._width, c._color_system = width, colors
        stdout, stderr = out.getvalue(), err.getvalue()
    return Invocation(code, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"))
