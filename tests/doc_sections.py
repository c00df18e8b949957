"""The section structure of a Markdown document, to keep translations in step with the original.

A translation keeps the original's structure: the same headings at the same levels, in the
same order. Only the levels are compared, never the words, so a test can say "the Chinese guide
lacks the third level-2 section" without knowing Chinese.
"""

from __future__ import annotations

import re
from pathlib import Path

HEADING = re.compile(r"^(#{1,6})\s+(\S.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def headings(text: str) -> list[tuple[int, str]]:
    """(level, title) of every ATX heading outside fenced code blocks, in order."""
    found: list[tuple[int, str]] = []
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if match:
            found.append((len(match.group(1)), match.group(2)))
    return found


def structure(path: Path) -> list[int]:
    """The heading levels of a Markdown file, in order."""
    return [level for level, _ in headings(path.read_text(encoding="utf-8"))]


def first_difference(original: Path, translation: Path) -> str | None:
    """None when both files have the same structure, else what a maintainer should fix.

    Only levels are compared, so a section missing in the middle shows as a count that differs;
    the message lists the original's titles at that level so a reader can find which one.
    """
    want = headings(original.read_text(encoding="utf-8"))
    got = headings(translation.read_text(encoding="utf-8"))
    if [level for level, _ in want] == [level for level, _ in got]:
        return None
    for level in range(1, 7):
        theirs = [title for lvl, title in want if lvl == level]
        ours = [title for lvl, title in got if lvl == level]
        if len(theirs) != len(ours):
            titles = ", ".join(repr(t) for t in theirs)
            return (
                f"{translation}: {len(ours)} level-{level} heading(s), {original} has "
                f"{len(theirs)}: {titles}"
            )
    index = next(i for i, (a, b) in enumerate(zip(want, got, strict=True)) if a[0] != b[0])
    return (
        f"{translation}: heading {index + 1} is level {got[index][0]} ({got[index][1]!r}); "
        f"{original} has level {want[index][0]} there ({want[index][1]!r})"
    )
