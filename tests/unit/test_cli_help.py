"""Help that reads at 80 columns, and ``--version``."""

from __future__ import annotations

from importlib.metadata import version

import pytest
from typer.testing import CliRunner

from egovnet.cli import VERBS, app, reflow

pytestmark = pytest.mark.unit

runner = CliRunner()


def _help(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
    assert result.exit_code == 0, result.output
    return result.output


def test_version_is_the_distributions() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"egovnet {version('egovnet')}"


def test_reflow_joins_wrapped_lines_and_keeps_examples_and_lists() -> None:
    text = "One paragraph wrapped\nin the source.\n\nExample: egovnet x\n  egovnet y\n- item\n- b"
    assert reflow(text) == (
        "One paragraph wrapped in the source.\n\nExample: egovnet x\n  egovnet y\n- item\n- b"
    )


def test_a_wrapped_paragraph_reads_as_one_at_80_columns() -> None:
    out = _help("topology", "whatif")
    # the source wraps after "and"; at 80 columns the paragraph flows on
    assert "alone and ranks them" in " ".join(out.split())
    lines = [line.strip() for line in out.splitlines()]
    assert "ranks" not in lines


@pytest.mark.parametrize("verb", [v.name for v in VERBS])
def test_no_flag_shows_a_bool_metavar(verb: str) -> None:
    assert "<bool>" not in _help(verb)
    assert "<bool>" not in _help()
