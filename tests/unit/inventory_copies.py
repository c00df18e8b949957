"""Broken copies of a shipped inventory, and the real ``egovnet`` command run in-process."""

from __future__ import annotations

import shutil
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from egovnet.cli import main
from tests.conftest import LAB_INVENTORY


class InventoryCopy:
    """A copy of an inventory directory to break, one edit at a time."""

    def __init__(self, tmp_path: Path, source: Path = LAB_INVENTORY) -> None:
        self.root = tmp_path / "inv"
        shutil.copytree(source, self.root)

    def text(self, file: str) -> str:
        return (self.root / file).read_text(encoding="utf-8")

    def line_of(self, file: str, text: str) -> int:
        """The line where ``text`` (which must occur once) starts in ``file``."""
        content = self.text(file)
        assert content.count(text) == 1, f"{text!r} must occur once in {file}"
        return content[: content.index(text)].count("\n") + 1

    def replace(self, file: str, old: str, new: str) -> int:
        """Replace the one ``old`` by ``new`` in ``file``; return the line where it stood."""
        line = self.line_of(file, old)
        (self.root / file).write_text(self.text(file).replace(old, new), encoding="utf-8")
        return line

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str
    traceback: str | None = None

    def errors(self, root: Path | None = None) -> list[str]:
        """The ``error:`` lines (without it), the inventory's directory written as ``inv``."""
        lines = [ln[7:] for ln in self.stderr.splitlines() if ln.startswith("error: ")]
        if root is None:
            return lines
        return [ln.replace(str(root), "inv") for ln in lines]


def run_cli(*args: str) -> Outcome:
    """``egovnet ARGS`` in this process, through its real ``main`` and typer's CliRunner.

    An exception escaping ``main`` (the traceback a user would see) is returned, not raised.
    """
    runner = CliRunner()
    with runner.isolation() as (out, err, _):
        trace = None
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception:
            trace = traceback.format_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        return Outcome(
            code,
            out.getvalue().decode("utf-8", "replace"),
            err.getvalue().decode("utf-8", "replace"),
            trace,
        )
