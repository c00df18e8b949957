"""`egovnet` as a process: what a fresh interpreter imports, and commands that spawn or drop
privileges. The rest of the command's behaviour is tested in-process (tests/unit).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, run_egovnet

pytestmark = pytest.mark.integration

WIDE = {"COLUMNS": "200", "PATH": ""}
HEAVY = ("napalm", "nornir", "pysnmp", "openpyxl")

# Runs the CLI's own main in a fresh interpreter, then reports what it imported.
PROBE = """
import json, sys
from egovnet.cli import main
try:
    main(sys.argv[1:])
    code = 0
except SystemExit as exc:
    code = exc.code
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})
verbs = sorted(m for m in sys.modules if m.startswith("egovnet.commands."))
print(json.dumps({{"code": code, "heavy": loaded, "verbs": verbs}}))
"""


def probe(*args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=set(HEAVY)), *args],
        cwd=REPO,
        env=WIDE,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_help_loads_no_verb_and_no_device_library() -> None:
    assert probe("--help") == {"code": 0, "heavy": [], "verbs": []}


def test_inventory_validate_loads_neither_other_verbs_nor_device_libraries() -> None:
    result = probe("inventory", "validate", "--profile", "lab")
    assert result["code"] == 0
    assert result["heavy"] == [], f"{HEAVY} must stay unloaded"
    assert result["verbs"] == ["egovnet.commands.common", "egovnet.commands.inventory"]


def test_python_dash_m_egovnet_is_the_command() -> None:
    result = run_egovnet("no-such-verb", env=WIDE)
    assert result.returncode == 2
    assert "No such command" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_without_lab_validates_and_summarises_the_district(tmp_path: Path) -> None:
    # the demo runs each step as its own `python -m egovnet` process
    result = run_egovnet("demo", "--no-lab", "--state-dir", str(tmp_path / "state"), env=WIDE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "inventory/district: 79 sites" in result.stdout
    assert "上云率" in result.stdout
    assert "must-rules pass" in result.stdout


def _as_nobody() -> list[str]:
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0:
        return []
    if setpriv is None:
        pytest.skip("setpriv (util-linux) is needed to drop root for this test")
    return [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def test_lab_up_as_a_normal_user_is_refused_in_one_line(tmp_path: Path) -> None:
    state = tmp_path / "state"
    tmp_path.chmod(0o777)
    proc = subprocess.run(
        [*_as_nobody(), sys.executable, "-m", "egovnet", "lab", "up", "--state-dir", str(state)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"},
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "error: the lab needs root (network namespaces, mounts): run it with sudo or as root"
    ]
    assert not state.exists()
