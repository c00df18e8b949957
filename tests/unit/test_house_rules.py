"""The house rules that keep the layers apart: nothing imports the CLI glue, and the ground
floor (``base/``) imports nothing of the project."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
PROJECT = (
    "base",
    "egovnet",
    "inventory",
    "topology",
    "collectors",
    "exporters",
    "monitor",
    "bandwidth",
    "automation",
    "napalm_frr",
    "lab",
    "playbooks",
)
DOMAIN = [name for name in PROJECT if name != "egovnet" and (ROOT / name).is_dir()]


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _offenders(packages: list[str], forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, module in _imports(path):
                if module.split(".")[0] in forbidden:
                    bad.append(f"{path.relative_to(ROOT)}:{line}: imports {module}")
    return bad


def test_no_domain_package_imports_the_cli_glue() -> None:
    assert _offenders(DOMAIN, ("egovnet",)) == []


def test_the_ground_floor_imports_nothing_of_the_project() -> None:
    assert _offenders(["base"], PROJECT) == []


def test_the_rule_can_fail(tmp_path: Path) -> None:
    # The scan itself must see a violation written the usual ways.
    sample = tmp_path / "x.py"
    sample.write_text("import egovnet.cli\nfrom egovnet.settings import Settings\n")
    assert [m for _, m in _imports(sample)] == ["egovnet.cli", "egovnet.settings"]
