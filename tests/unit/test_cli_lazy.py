"""`egovnet` verbs load lazily: VERBS in step with the modules, errors and completion as usual.

What a fresh interpreter imports (nothing heavy for `--help`) is a process-level matter:
tests/integration/test_cli_process.py.
"""

from __future__ import annotations

import inspect

import pytest

from egovnet.cli import VERBS, load
from tests.conftest import REPO, invoke_egovnet

pytestmark = pytest.mark.unit

WIDE = {"COLUMNS": "200", "PATH": ""}


def test_help_lists_every_verb_with_its_line() -> None:
    result = invoke_egovnet("--help", env=WIDE)
    assert result.returncode == 0, result.stderr
    for verb in VERBS:
        assert f"{verb.name}  " in result.stdout, verb.name
        assert verb.help in result.stdout, verb.name


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
    result = invoke_egovnet("inventory", "validate", "--profile", "no-such-profile", env=WIDE)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert "no inventory profile named 'no-such-profile'" in result.stderr
    assert "Traceback" not in result.stderr


def test_shell_completion_reaches_into_a_lazily_loaded_group() -> None:
    result = invoke_egovnet(
        env={
            **WIDE,
            "_EGOVNET_COMPLETE": "complete_zsh",
            "_TYPER_COMPLETE_ARGS": "egovnet lab fault ",
        }
    )
    assert result.returncode == 0, result.stderr
    for command in ("link-down", "link-up", "device-down", "device-up"):
        assert f'"{command}"' in result.stdout, command
