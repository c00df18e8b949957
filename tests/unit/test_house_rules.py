"""The house rules that keep the layers apart: nothing imports the CLI glue, the ground floor
(``base/``) imports nothing of the project, no room imports a room on its own floor or above,
and no two modules import each other, however long the way round.

The floor order is written once, here (``FLOORS``); docs/architecture.md draws the same
floors and a test below keeps the two in step.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]

#: The rooms from the ground up. A room imports only rooms on floors below its own.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("base",),
    ("inventory",),
    ("routeguard",),
    ("collectors",),
    ("lab", "automation"),
    ("topology", "playbooks", "napalm_frr"),
    ("bandwidth",),
    ("exporters",),
    ("monitor",),
    ("egovnet",),
)
PROJECT = tuple(room for floor in FLOORS for room in floor)
FLOOR_OF = {room: n for n, floor in enumerate(FLOORS) for room in floor}
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


# --- floors ------------------------------------------------------------------------------


def _upward(rooms: dict[str, int], root: Path) -> list[str]:
    """Every import of a room on the importer's own floor or above (``rooms``: name -> floor)."""
    bad = []
    for room, floor in rooms.items():
        for path in sorted((root / room).rglob("*.py")):
            for line, module in _imports(path):
                other = module.split(".")[0]
                if other != room and other in rooms and rooms[other] >= floor:
                    where = f"{path.relative_to(root)}:{line}"
                    bad.append(f"{where}: {room} (floor {floor}) imports {module} (floor "
                               f"{rooms[other]})")  # fmt: skip
    return bad


def test_every_room_has_a_floor() -> None:
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench"}
    assert packages <= set(PROJECT), f"give {sorted(packages - set(PROJECT))} a floor in FLOORS"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    unlisted = [r for r in PROJECT if f'"{r}*"' not in pyproject or f'"{r}"' not in pyproject]
    assert unlisted == [], "list every room in pyproject.toml (setuptools and mypy packages)"


def test_no_room_imports_a_room_on_its_floor_or_above() -> None:
    assert _upward(FLOOR_OF, ROOT) == []


def test_the_floor_rule_can_fail(tmp_path: Path) -> None:
    for room, text in {"low": "from high.x import y\n", "high": "import low\n"}.items():
        (tmp_path / room).mkdir()
        (tmp_path / room / "__init__.py").write_text(text)
    assert _upward({"low": 0, "high": 1}, tmp_path) == [
        "low/__init__.py:1: low (floor 0) imports high.x (floor 1)"
    ]


# --- circles -----------------------------------------------------------------------------


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph(root: Path, rooms: tuple[str, ...]) -> dict[str, set[str]]:
    """Module -> the project modules it imports (relative imports, and imports inside
    functions, included: a lazy import still ties the two modules together)."""
    files = {_module_name(p, root): p for room in rooms for p in (root / room).rglob("*.py")}

    def known(name: str) -> str | None:
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            wanted: list[str] = []
            if isinstance(node, ast.Import):
                wanted = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, *([node.module] if node.module else [])])
                subs = [f"{base}.{alias.name}" for alias in node.names]
                wanted = [s for s in subs if s in files] or [base]
            for target in filter(None, map(known, wanted)):
                if target != name:
                    graph[name].add(target)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            nxt = next(edges, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def test_no_import_circles_between_modules() -> None:
    assert _circles(_import_graph(ROOT, PROJECT)) == []


def test_the_circle_rule_can_fail(tmp_path: Path) -> None:
    # The circle bandwidth's store and collector once made: one import inside a function.
    (tmp_path / "room").mkdir()
    (tmp_path / "room" / "__init__.py").write_text("")
    (tmp_path / "room" / "store.py").write_text("def f():\n    from .collector import render\n")
    (tmp_path / "room" / "collector.py").write_text("from room.store import f\n")
    (tmp_path / "room" / "leaf.py").write_text("from . import store\n")
    assert _circles(_import_graph(tmp_path, ("room",))) == [["room.collector", "room.store"]]


# --- the document ------------------------------------------------------------------------


def test_docs_architecture_draws_the_same_floors() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    drawn = {
        int(m[1]): tuple(m[2].replace("/", " ").split())
        for m in re.finditer(r"^floor (\d+) +(.+?)\s*$", text, re.MULTILINE)
    }
    assert drawn == dict(enumerate(FLOORS))
