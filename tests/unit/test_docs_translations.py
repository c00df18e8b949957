"""The Chinese guides keep in step with the English ones: same sections, in the same order.

Only the heading levels are compared (never the words), so when a section is added to an
English guide this test names the Chinese file that lacks it and the English titles at that
level; the fix is to translate the new section into the Chinese file at the same place.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.doc_sections import first_difference, structure

pytestmark = pytest.mark.unit

PAIRS = [
    ("README.md", "README.zh-CN.md"),
    ("docs/engineer.md", "docs/zh/engineer.md"),
    ("docs/noc.md", "docs/zh/noc.md"),
    ("docs/auditor.md", "docs/zh/auditor.md"),
]


@pytest.mark.parametrize(("english", "chinese"), PAIRS, ids=lambda p: Path(p).name)
def test_chinese_guide_has_the_english_sections(english: str, chinese: str) -> None:
    difference = first_difference(REPO / english, REPO / chinese)
    assert difference is None, difference
    assert len(structure(REPO / english)) >= 4


@pytest.mark.parametrize(("english", "chinese"), PAIRS, ids=lambda p: Path(p).name)
def test_each_links_the_other(english: str, chinese: str) -> None:
    there = (REPO / english).read_text(encoding="utf-8")
    back = (REPO / chinese).read_text(encoding="utf-8")
    english_path, chinese_path = REPO / english, REPO / chinese
    assert f"({chinese_path.relative_to(english_path.parent).as_posix()})" in there
    up = "../" * (len(Path(chinese).parts) - len(Path(english).parts))
    assert f"({up}{english_path.name})" in back


def test_every_chinese_guide_has_an_english_original() -> None:
    originals = {chinese for _, chinese in PAIRS}
    for path in sorted((REPO / "docs" / "zh").glob("*.md")):
        assert path.relative_to(REPO).as_posix() in originals, path


def test_a_section_added_to_the_english_guide_is_noticed(tmp_path: Path) -> None:
    """What the main session sees when an English guide grows a section first."""
    english = tmp_path / "engineer.md"
    original = (REPO / "docs" / "engineer.md").read_text(encoding="utf-8")
    english.write_text(original + "\n## Onboarding a town\n\nNew text.\n", encoding="utf-8")
    difference = first_difference(english, REPO / "docs" / "zh" / "engineer.md")
    assert difference is not None
    assert "level-2 heading(s)" in difference and "'Onboarding a town'" in difference
