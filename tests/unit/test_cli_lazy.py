"""`egovnet` starts fast: a verb's module (and its heavy libraries) loads only when used."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest

from egovnet.cli import VERBS, load
from tests.conftest import REPO, run_egovnet

pytestmark = pytest.mark.unit

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


def test_help_lists_every_verb_with_its_line_without_loading_any() -> None:
    result = run_egovnet("--help", env=WIDE)
    assert result.returncode == 0, result.stderr
    for verb in VERBS:
        assert f"{verb.name}  " in result.stdout, verb.name
        assert verb.help in result.stdout, verb.name
    assert probe("--help") == {"code": 0, "heavy": [], "verbs": []}


def test_inventory_validate_loads_neither_other_verbs_nor_device_libraries() -> None:
    result = probe("inventory", "validate", "--profile", "lab")
    assert result["code"] == 0
    assert result["heavy"] == [], f"{HEAVY} must stay unloaded"
    assert result["verbs"] == ["egovnet.commands.common", "egovnet.commands.inventory"]


def test_every_verb_module_is_listed_and_its_line_matches_its_own_help() -> None:
    modules = {p.stem for p in (REPO / "egovnet" / "commands").glob("*.py")} - {
        "__init__",
        "common",
    }
    assert {v.target.partition(":")[0] for v in VERBS} == modules
    for verb in VERBS:
        own = load(verb).help or ""
        first = " ".join(inspect.cleandoc(own).split("\n\n")[0].split())
        assert first == verb.help, f"egovnet.cli.VERBS[{verb.name!r}] differs from its module"


def test_a_lazily_loaded_verb_still_reports_bad_input_in_one_line() -> None:
    result = run_egovnet("inventory", "validate", "--profile", "no-such-profile", env=WIDE)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert "no inventory profile named 'no-such-profile'" in result.stderr
    assert "Traceback" not in result.stderr


def test_shell_completion_reaches_into_a_lazily_loaded_group() -> None:
    result = run_egovnet(
        env={
            **WIDE,
            "_EGOVNET_COMPLETE": "complete_zsh",
            "_TYPER_COMPLETE_ARGS": "egovnet lab fault ",
        }
    )
    assert result.returncode == 0, result.stderr
    for command in ("link-down", "link-up", "device-down", "device-up"):
        assert f'"{command}"' in result.stdout, command
