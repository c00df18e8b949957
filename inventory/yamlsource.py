"""YAML files that remember where each value stood, so errors can name file, line and field.

:func:`read_located` reads one file within :class:`~inventory.yamlbuild.YamlLimits` and returns
what it could read together with every problem found, never raising for bad input: a file that
is not UTF-8 names its first bad line; a syntax error in one item of a list section (``- name:
...`` under ``devices:``) costs only that item, the file's other items are still read (see
:func:`_recover`).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from base.errors import InventoryError, SourceLocation

from .yamlbuild import (
    DEFAULT_LIMITS,
    UNRESOLVED,
    Budget,
    Built,
    PathKey,
    Problem,
    Stop,
    YamlLimits,
    build,
    dotted,
)

__all__ = ["Located", "PathKey", "Unreadable", "dotted", "load_located", "read_located"]


@dataclass
class Located:
    """Plain Python data of one YAML file and the 1-based line of every value in it."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line_of(self, path: PathKey) -> int:
        """The line of ``path`` or, failing that, of its nearest recorded ancestor."""
        for cut in range(len(path), -1, -1):
            line = self.lines.get(path[:cut])
            if line is not None:
                return line
        return 1

    def at(self, path: PathKey, field_name: str | None = None) -> SourceLocation:
        return SourceLocation(self.file, self.line_of(path), field_name or dotted(path))


@dataclass(frozen=True)
class Unreadable:
    """A list item whose YAML did not parse: its error is reported, the item is skipped.

    ``fields`` holds the first ``key: word`` pairs its text shows (``name: vil3``) and
    ``words`` every such word, so references to the item are not reported again as unknown.
    """

    line: int
    fields: dict[str, str]
    words: frozenset[str] = frozenset()


def load_located(path: Path, display: str | None = None) -> Located:
    """Parse one YAML file; its first problem raises :class:`InventoryError`."""
    located, errors = read_located(path, display)
    if errors:
        raise min(errors, key=lambda e: e.location.line)
    return located


def read_located(
    path: Path,
    display: str | None = None,
    *,
    limits: YamlLimits = DEFAULT_LIMITS,
    parser: type[Any] | None = None,
) -> tuple[Located, list[InventoryError]]:
    """Everything readable from ``path`` and every problem found on the way."""
    shown = display or str(path)
    located = Located(shown, None)
    try:
        text, problems = read_text(path, shown, limits)
    except InventoryError as exc:
        return located, [exc]
    try:
        built = build(text, budget=Budget(limits), parser=parser)
    except Stop as stop:
        recovered = None
        if stop.problem.message.startswith("bad YAML"):
            recovered = _recover(text, limits, parser)
        if recovered is None:
            return located, [*problems, _error(shown, stop.problem)]
        built = recovered
    located.data, located.lines = built.data, built.lines
    return located, [*problems, *(_error(shown, p) for p in built.problems)]


def _error(shown: str, problem: Problem) -> InventoryError:
    name = dotted(problem.path) if problem.path else "(yaml)"
    return InventoryError(SourceLocation(shown, problem.line, name), problem.message)


# --- bytes to text ------------------------------------------------------------------------

_OTHER_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


def read_text(
    path: Path, shown: str, limits: YamlLimits = DEFAULT_LIMITS
) -> tuple[str, list[InventoryError]]:
    """The file's text; raises for what is not a regular file within the size limit.

    Bytes that are not UTF-8 are one error at their first line, and read as U+FFFD, so the
    file's structure is still checked (a GBK file's names are wrong, not its devices).
    """

    def fail(message: str, line: int = 1, name: str = "(file)") -> InventoryError:
        return InventoryError(SourceLocation(shown, line, name), message)

    try:
        # O_NONBLOCK: a FIFO named like a YAML file must not hang the open
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise fail("cannot read: no such file (a broken symbolic link?)") from None
    except OSError as exc:
        raise fail(f"cannot read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise fail("a directory, not a YAML file")
        if not stat.S_ISREG(mode):
            raise fail("not a regular file")
        try:
            data = fh.read(limits.max_bytes + 1)
        except OSError as exc:
            raise fail(f"cannot read: {exc.strerror}") from None
    if len(data) > limits.max_bytes:
        raise fail(f"larger than {limits.max_bytes // (1024 * 1024)} MiB; split it into files")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for bom, name in _OTHER_BOMS.items():
        if data.startswith(bom):
            raise fail(f"the file is {name}-encoded: save as UTF-8", 1, "(encoding)")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad_lines = sum(1 for raw in data.split(b"\n") if not _is_utf8(raw))
        more = f"; {bad_lines - 1} more line(s) too" if bad_lines > 1 else ""
        hint = ""
        if _decodes(data, "gb18030"):
            hint = " (it looks GBK/GB18030-encoded)"
        problem = fail(f"not UTF-8{hint}{more}: save as UTF-8", line, "(encoding)")
        return data.decode("utf-8", "replace"), [problem]


def _is_utf8(raw: bytes) -> bool:
    return _decodes(raw, "utf-8")


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


# --- recovery after a syntax error ----------------------------------------------------------

#: Pieces one file may be cut into after a syntax error (a city's devices are ~2,500 items);
#: past that only the file's first error is reported, so recovery stays as fast as a read.
MAX_PIECES = 10_000
_TOP_KEY = re.compile(r"([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]|$)")
_ITEM = re.compile(r"( *)-(?:[ \t]|$)")
_WORD_FIELD = re.compile(r"([A-Za-z_]\w*)[ \t]*:[ \t]*[\"']?([A-Za-z0-9][\w.-]*)")


def _recover(text: str, limits: YamlLimits, parser: type[Any] | None) -> Built | None:
    """Read a file that has a syntax error piece by piece, so it hides only its own piece.

    The file is cut at its top-level keys (``devices:``); a section that is a block list is
    cut further at each of its items. Pieces are parsed in order with one budget and one set
    of anchors. ``None`` when the file does not have that shape or every piece parses (the
    error then depends on more than one piece and only the whole file's error is reported).
    """
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if _TOP_KEY.match(line)]
    if not starts or any(_content(line) for line in lines[: starts[0]]):
        return None
    if len(starts) > MAX_PIECES:
        return None
    pieces = _Pieces(lines, Budget(limits), parser)
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        if not pieces.section(start, end):
            return None
    return pieces.out if pieces.failed else None


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith(("#", "---", "%"))


def _item_starts(lines: list[str], start: int, end: int) -> list[int] | None:
    """Lines starting the items of a block-list section, or None if it is not one."""
    header = lines[start]
    rest = header[header.index(":") + 1 :].strip()
    if rest and not rest.startswith("#"):
        return None
    body = [i for i in range(start + 1, end) if _content(lines[i])]
    if not body:
        return None
    first = _ITEM.match(lines[body[0]])
    if first is None:
        return None
    indent = first.group(1)
    return [i for i in body if (m := _ITEM.match(lines[i])) and m.group(1) == indent]


class _Pieces:
    """The sections and items of one file, each parsed on its own into one result."""

    def __init__(self, lines: list[str], budget: Budget, parser: type[Any] | None) -> None:
        self.lines = lines
        self.budget = budget
        self.parser = parser
        self.out = Built(data={}, lines={(): 1})
        self.failed = False
        self.pieces = 0

    def section(self, start: int, end: int) -> bool:
        """Read the section at ``lines[start:end]``; False when it has too many items."""
        match = _TOP_KEY.match(self.lines[start])
        assert match is not None
        key = match.group(1)
        if key in self.out.data:
            first = self.out.lines.get((key,), 0)
            text = f"duplicate key (first at line {first})"
            self.out.problems.append(Problem(start + 1, (key,), text))
            return True
        items = _item_starts(self.lines, start, end)
        if items is None:
            self._piece(start, end, key, None)
            return True
        self.pieces += len(items)
        if self.pieces > MAX_PIECES:
            return False
        self.out.data[key] = []
        self.out.lines[(key,)] = start + 1
        for index, item_start in enumerate(items):
            item_end = items[index + 1] if index + 1 < len(items) else end
            self._piece(item_start, item_end, key, index)
        return True

    def _piece(self, start: int, end: int, key: str, index: int | None) -> None:
        """Parse ``lines[start:end]``: the whole section ``key``, or its item ``index``."""

        def where(path: PathKey) -> PathKey:
            # an item piece is a one-item list: its item 0 is item ``index`` of the section
            if index is None:
                return path
            return (key, index, *path[1:]) if path and path[0] == 0 else (key, index)

        def moved(problem: Problem) -> Problem:
            return Problem(problem.line, where(problem.path), problem.message, problem.fatal)

        out = self.out
        piece = "\n".join(self.lines[start:end])
        try:
            built = build(piece, first_line=start + 1, budget=self.budget, parser=self.parser)
        except Stop as stop:
            self.failed = True
            out.problems.append(moved(stop.problem))
            if index is None:
                out.data[key] = UNRESOLVED
                out.lines[(key,)] = start + 1
            else:
                pairs = _WORD_FIELD.findall(piece)
                words = frozenset(word for _, word in pairs)
                out.data[key].append(Unreadable(start + 1, dict(reversed(pairs)), words))
            return
        out.problems.extend(moved(p) for p in built.problems)
        if index is None:
            if isinstance(built.data, dict) and key in built.data:
                out.data[key] = built.data[key]
                out.lines.update(built.lines)
            return
        value = built.data[0] if isinstance(built.data, list) and built.data else None
        out.data[key].append(value)
        for path, line in built.lines.items():
            if path and path[0] == 0:
                out.lines[where(path)] = line
