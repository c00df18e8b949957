"""The declaration of every external program egovnet runs (``base/programs.txt``).

One file names each program with the Debian (or Python) package that brings it;
``scripts/install-deps.sh`` installs from it and checks it, preflight checks look programs up
in it, and a unit test keeps it in step with the programs the code starts.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

Scope = Literal["host", "server", "test", "venv", "ci"]
SCOPES: tuple[Scope, ...] = ("host", "server", "test", "venv", "ci")
DECLARATION = Path(__file__).with_name("programs.txt")
#: Where programs are looked for besides PATH: root's sbin directories are not on every PATH.
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass(frozen=True)
class Program:
    """One program: its name (or absolute path), the package that ships it, and its scope."""

    name: str
    package: str
    scope: Scope
    line: int


def parse_declaration(text: str, source: str = "base/programs.txt") -> list[Program]:
    """Parse the declaration; a malformed line raises ValueError naming it."""
    programs: list[Program] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split()
        if len(fields) != 3 or fields[1] not in SCOPES:
            raise ValueError(f"{source}:{number}: expected 'PACKAGE SCOPE PROGRAM[,...]'")
        package, scope, names = fields
        for name in names.split(","):
            programs.append(Program(name, package, scope, number))  # type: ignore[arg-type]
    return programs


@cache
def declared() -> dict[str, Program]:
    """Every declared program by name (for absolute paths: by the path)."""
    return {p.name: p for p in parse_declaration(DECLARATION.read_text(encoding="utf-8"))}


def package_of(name: str) -> str:
    """The package that brings ``name``; a program missing from the declaration is a bug."""
    program = declared().get(name)
    if program is None:
        raise KeyError(f"{name} is not declared in base/programs.txt")
    return program.package


def is_present(name: str, path: str | None = None) -> bool:
    if name.startswith("/"):
        return os.path.exists(name)
    search = path if path is not None else os.environ.get("PATH", "") + ":" + SYSTEM_PATH
    return shutil.which(name, path=search) is not None


def missing(names: Iterable[str], path: str | None = None) -> list[tuple[str, str]]:
    """``(program, package)`` for each of ``names`` not found on this machine."""
    return [(name, package_of(name)) for name in names if not is_present(name, path)]


def describe_missing(found: list[tuple[str, str]]) -> str:
    """One line: the missing programs and the packages to install."""
    packages = " ".join(sorted({package for _, package in found}))
    programs = ", ".join(name for name, _ in found)
    return f"missing {programs}: install Debian package(s) {packages} (make setup)"
