"""The declaration of external programs (base/programs.txt) names every program the code starts.

A program started but not declared is installed on a developer's machine by accident and
missing on a fresh one (that is how ``sudo`` slipped through). The scan reads the code as
text: calls that start programs (``subprocess.*``, ``asyncio.create_subprocess_exec``,
``shutil.which``, the lab's ``exec_in``/``in_netns``/``in_device``/``device_argv``...), argv lists
assigned to ``argv``/``cmd`` names, absolute paths of programs, and the playbooks' ``become`` and
``command`` tasks.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from base.programs import declared, parse_declaration

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SCANNED = (
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
    "bench",
    "tests",
)

#: Calls that take an argv list (the program first), at this position.
ARGV_CALLS = {
    "run": 0,
    "Popen": 0,
    "check_output": 0,
    "check_call": 0,
    "call": 0,
    "_run": 0,
    "exec_in": 2,
    "in_netns": 1,
    "in_device": 2,
    "device_argv": 2,
}
#: Calls that take the program itself as a string argument, at this position.
NAME_CALLS = {"which": 0, "create_subprocess_exec": 0, "execvp": 0, "get_bin_path": 0}
#: ``lab.exec(device, program, *args)`` in the lab tests and ``run(program, *args)`` helpers.
VARARG_CALLS = {"exec": 1}
ARGV_NAME = re.compile(r"(^|_)(argv|cmd|command)$")
PROGRAM_PATH = re.compile(r"^/(usr/)?(s?bin|lib/frr)/[\w.+-]+$")
#: Absolute paths the code names as data, not as programs it starts.
NOT_STARTED = {
    "/usr/sbin/nologin": "the login shell that account checks expect",
    "/bin/false": "a login shell in account checks",
    "/usr/bin/false": "a login shell in account checks",
    "/sbin/nologin": "a login shell in account checks",
    "/bin/sh": "a login shell of test accounts",
    "/bin/bash": "a login shell of lab accounts",
    "/usr/bin/vtysh": "ForceCommand text in sshd_config (vtysh is declared)",
}


def _looks_like_a_program(text: str) -> bool:
    return (
        bool(text) and " " not in text and not text.startswith(("-", "{", "$")) and "=" not in text
    )


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _first_string(node: ast.expr) -> str | None:
    if isinstance(node, ast.List | ast.Tuple) and node.elts:
        first = node.elts[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def programs_in_python(source: str, filename: str) -> Iterator[tuple[int, str]]:
    tree = ast.parse(source, filename=filename)
    # pieces of f-strings are paths built around a variable (a root, a venv), not programs
    pieces = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node)
            index = ARGV_CALLS.get(name)
            if index is not None and len(node.args) > index:
                first = _first_string(node.args[index])
                if first:
                    yield node.lineno, first
            position = NAME_CALLS.get(name, VARARG_CALLS.get(name))
            if position is not None and len(node.args) > position:
                arg = node.args[position]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield node.lineno, arg.value
            if name == "run" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield node.lineno, arg.value
        elif isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            first = _first_string(node.value)
            if first and any(ARGV_NAME.search(t) for t in targets):
                yield node.lineno, first
        elif (
            isinstance(node, ast.Constant)
            and id(node) not in pieces
            and isinstance(node.value, str)
            and PROGRAM_PATH.match(node.value)
        ):
            yield node.lineno, node.value


#: Ansible modules that need something on the managed host (a lab server: this host's root).
MODULE_NEEDS = {"ansible.builtin.apt": "/usr/lib/python3/dist-packages/apt/__init__.py"}


def programs_in_playbook(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        module = stripped.removeprefix("- ").split(":", 1)[0]
        if module in MODULE_NEEDS:
            yield number, MODULE_NEEDS[module]
        if re.match(r"^become:\s*(true|yes)\b", stripped):
            yield number, "sudo"
        match = re.match(r"^(- )?(ansible\.builtin\.)?command:\s*(\S.*)$", stripped)
        if match and not match.group(3).startswith(("|", ">")):
            yield number, match.group(3).split()[0]


def is_declared(program: str) -> bool:
    names = declared()
    if program in names or program in NOT_STARTED:
        return True
    return program.startswith("/") and Path(program).name in names


def scan() -> list[str]:
    undeclared = []
    for top in SCANNED:
        base = ROOT / top
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.py")):
            if "fixtures" in path.parts or path.name == Path(__file__).name:
                continue
            text = path.read_text(encoding="utf-8")
            for line, program in programs_in_python(text, str(path)):
                if _looks_like_a_program(program) and not is_declared(program):
                    undeclared.append(f"{path.relative_to(ROOT)}:{line}: {program}")
        for path in sorted(base.rglob("*.yml")):
            if "fixtures" in path.parts or "rules" in path.parts or "dashboards" in path.parts:
                continue
            for line, program in programs_in_playbook(path.read_text(encoding="utf-8")):
                if not is_declared(program):
                    undeclared.append(f"{path.relative_to(ROOT)}:{line}: {program}")
    return undeclared


def test_every_program_the_code_starts_is_declared() -> None:
    assert scan() == []


def test_the_scan_finds_programs_written_the_usual_ways() -> None:
    sample = """
import subprocess, shutil, asyncio
subprocess.run(["frobnicate", "-x"], check=True)
subprocess.Popen(("zapper", "--now"))
shutil.which("whichprog")
argv = ["argvprog", "a"]
lab.exec("core1", "execprog", "-H")
run("useradd", "-M")
asyncio.create_subprocess_exec("asyncprog")
exec_in(lab, "core1", ["inprog"])
binary = "/usr/sbin/pathprog"
"""
    found = [program for _, program in programs_in_python(sample, "sample.py")]
    for program in (
        "frobnicate",
        "zapper",
        "whichprog",
        "argvprog",
        "execprog",
        "useradd",
        "asyncprog",
        "inprog",
        "/usr/sbin/pathprog",
    ):
        assert program in found
    assert not is_declared("frobnicate")


def test_playbook_become_needs_sudo_declared() -> None:
    playbook = (
        "- hosts: all\n  become: true\n  tasks:\n    - ansible.builtin.command: auditctl -s\n"
        "    - ansible.builtin.apt:\n        name: auditd\n"
    )
    assert list(programs_in_playbook(playbook)) == [
        (2, "sudo"),
        (4, "auditctl"),
        (5, "/usr/lib/python3/dist-packages/apt/__init__.py"),
    ]
    assert is_declared("sudo") and declared()["sudo"].scope == "server"


def test_the_declaration_parses_and_names_real_scopes() -> None:
    programs = parse_declaration((ROOT / "base" / "programs.txt").read_text(encoding="utf-8"))
    assert {p.scope for p in programs} <= {"host", "server", "test", "venv", "ci"}
    with pytest.raises(ValueError, match=r"x\.txt:1: expected"):
        parse_declaration("frr sometimes vtysh\n", "x.txt")


def test_venv_programs_come_from_pyproject() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for program in declared().values():
        if program.scope == "venv":
            assert f'"{program.package}' in text, program


def test_install_deps_reads_the_declaration() -> None:
    # The script installs and checks from the declaration, not from a list of its own.
    script = (ROOT / "scripts" / "install-deps.sh").read_text(encoding="utf-8")
    assert "base/programs.txt" in script
    assert "APT_PACKAGES=(" not in script
