"""The `egovnet` command's own conventions: verb groups, usage errors.

The demo's first part runs its steps as processes: tests/integration/test_cli_process.py.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import invoke_egovnet

pytestmark = pytest.mark.unit

WIDE = {"COLUMNS": "200", "PATH": ""}


def listed_commands(help_text: str) -> list[str]:
    """The command names in the Commands panel of a rich ``--help``, in order."""
    names: list[str] = []
    inside = False
    for line in help_text.splitlines():
        if "─ Commands ─" in line:
            inside = True
        elif inside and line.startswith("╰"):
            break
        elif inside and (found := re.match(r"│ (\S+)  ", line)):
            names.append(found.group(1))
    return names


def test_help_lists_every_verb_group() -> None:
    result = invoke_egovnet("--help", env=WIDE)
    assert result.returncode == 0
    assert sorted(listed_commands(result.stdout)) == sorted(
        [
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
        ]
    )


def test_unknown_command_is_a_usage_error_not_a_traceback() -> None:
    result = invoke_egovnet("no-such-verb", env=WIDE)
    assert result.returncode == 2
    assert "No such command" in result.stderr
    assert "Traceback" not in result.stderr
