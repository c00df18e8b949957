"""The running configuration of an emulated VRP or Comware device: views, lines and ``#``.

Both vendors print ``display current-configuration`` as blocks separated by ``#`` lines;
a block holds top-level commands or one view (``interface GigabitEthernet0/0/1``) with its
lines indented one space per level. The emulation keeps that shape: it parses a real config
into blocks of :class:`Node`, changes it line by line as a user types in system view, and
prints it back the way the device does (a parsed config prints as it was read).

Where a new command goes: a top-level command joins the block holding commands of the same
first word (``info-center loghost`` beside the other ``info-center`` lines); a new view
follows the last view of its kind (a new interface after the interfaces). Commands that
hold one value per view (``description``, ``ip address``, ``idle-timeout``...) replace
the old value, as on the device.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

Path = tuple[str, ...]


@dataclass(frozen=True)
class ConfigStyle:
    """How one vendor prints and changes its configuration."""

    #: indentation of top-level commands outside a view (Comware: one space, VRP: none)
    global_indent: int
    #: commands that open a view, at the top level and inside another view
    view_prefixes: tuple[str, ...]
    nested_view_prefixes: tuple[str, ...]
    #: commands holding one value per view: a new one replaces the old
    single_valued: tuple[str, ...]
    #: features on by default: ``undo`` of one is printed as an ``undo`` line
    default_on: tuple[str, ...]
    #: interfaces that exist in hardware and cannot be deleted
    physical_interfaces: str
    #: views printed last, before which new blocks go
    tail_views: tuple[str, ...] = ("user-interface", "line ")
    #: lines at the head of the printout that are not configuration
    stamps: tuple[str, ...] = (r"^!", r"^version \d", r"^return$")


@dataclass
class Node:
    text: str
    children: list[Node] = field(default_factory=list)
    view: bool = False
    #: the indentation it was read with (None: computed when printed)
    indent: int | None = None

    @property
    def words(self) -> list[str]:
        return self.text.split()


class ChangeError(ValueError):
    """A configuration line the device refuses; the message is the device's."""


_BANNER = re.compile(r"^header \S+( information)? (\S)")


class RunningConfig:
    def __init__(
        self, style: ConfigStyle, blocks: list[list[Node]] | None = None, leaf_indent: int = -1
    ) -> None:
        self.style = style
        self.blocks: list[list[Node]] = blocks or []
        #: how this config indents top-level commands (a parsed one: as it was read)
        self.leaf_indent = style.global_indent if leaf_indent < 0 else leaf_indent

    # -- reading and printing ---------------------------------------------------------

    @classmethod
    def parse(cls, text: str, style: ConfigStyle) -> RunningConfig:
        config = cls(style)
        lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").split("\n")]
        block: list[Node] = []
        stack: list[Node] = []
        index = 0
        while index < len(lines):
            line = lines[index]
            index += 1
            stripped = line.strip()
            indent = len(line) - len(line.lstrip(" "))
            if stripped == "#" and indent and stack:
                # an indented separator inside a view (Comware between BGP address families)
                while stack and (stack[-1].indent or 0) >= indent:
                    stack.pop()
                if stack:
                    stack[-1].children.append(Node("#", indent=indent))
                    continue
            if stripped == "#":
                if block:
                    config.blocks.append(block)
                block, stack = [], []
                continue
            if not stripped or any(re.match(p, stripped) for p in style.stamps):
                continue
            banner = _BANNER.match(stripped)
            if banner and stripped.count(banner.group(2)) == 1:
                delimiter = banner.group(2)  # a multi-line banner ends at its delimiter
                body = [line]
                while index < len(lines) and delimiter not in lines[index]:
                    body.append(lines[index])
                    index += 1
                if index < len(lines):
                    body.append(lines[index])
                    index += 1
                line, stripped = "\n".join(body), "\n".join(body).strip()
            while stack and (stack[-1].indent or 0) >= indent:
                stack.pop()
            node = Node(stripped, indent=indent)
            if stack:
                stack[-1].children.append(node)
                stack[-1].view = True
            else:
                block.append(node)
                node.view = stripped.startswith(style.view_prefixes)
            stack.append(node)
        if block:
            config.blocks.append(block)
        indents = [
            n.indent for b in config.blocks for n in b if not n.view and n.indent is not None
        ]
        if indents:
            config.leaf_indent = max(set(indents), key=indents.count)
        return config

    def render(self) -> str:
        """The configuration as the device prints it, ``#`` between blocks, ``\\n`` ends."""
        out: list[str] = []
        for block in self.blocks:
            out.append("#")
            for node in block:
                self._render(node, 0, out, top=True)
        out.append("#")
        out.append("return")
        return "\n".join(out)

    def _render(self, node: Node, depth: int, out: list[str], top: bool = False) -> None:
        if node.indent is not None:
            indent = node.indent
        elif top:
            indent = 0 if node.view else self.leaf_indent
        else:
            indent = depth
        out.append(" " * indent + node.text)
        for child in node.children:
            self._render(child, depth + 1, out)

    def copy(self) -> RunningConfig:
        return RunningConfig(self.style, copy.deepcopy(self.blocks), self.leaf_indent)

    def lines(self) -> list[str]:
        return self.render().split("\n")

    # -- views ------------------------------------------------------------------------

    def find(self, path: Path) -> Node | None:
        if not path:
            return None
        nodes = [n for block in self.blocks for n in block]
        found: Node | None = None
        for header in path:
            found = next((n for n in nodes if n.text == header), None)
            if found is None:
                return None
            nodes = found.children
        return found

    def opens_view(self, path: Path, line: str) -> bool:
        """Whether ``line`` typed in the view ``path`` enters a view."""
        if not path:
            return line.startswith(self.style.view_prefixes)
        parent = self.find(path)
        if parent is not None and any(c.view and c.text == line for c in parent.children):
            return True
        return line.startswith(self.style.nested_view_prefixes)

    def enter(self, path: Path, header: str) -> Path:
        """Enter (creating it when missing) the view ``header`` below ``path``."""
        if not path:
            found = self.find((header,))
            if found is None:
                self._insert_top_view(Node(header, view=True))
            else:
                found.view = True
            return (header,)
        parent = self.find(path)
        if parent is None:  # pragma: no cover - the shell only enters views it has
            raise ChangeError("Error: The view does not exist.")
        child = next((c for c in parent.children if c.text == header), None)
        if child is None:
            parent.children.append(Node(header, view=True))
        else:
            child.view = True
        return (*path, header)

    # -- lines --------------------------------------------------------------------------

    def _siblings(self, path: Path) -> list[Node] | None:
        if not path:
            return None
        node = self.find(path)
        if node is None:  # pragma: no cover - the shell only works in views it has
            raise ChangeError("Error: The view does not exist.")
        return node.children

    def _top_leaves(self) -> list[tuple[list[Node], Node]]:
        return [(block, n) for block in self.blocks for n in block if not n.view]

    def set_line(self, path: Path, line: str) -> None:
        """A configuration line typed in view ``path`` (``()``: system view)."""
        if line.startswith("undo "):
            self.undo(path, line[5:].strip())
            return
        negated = f"undo {line}"
        self._remove_leaf(path, lambda n: n.text == negated)
        if path == () and line in self.style.default_on:
            return
        key = next((p for p in self.style.single_valued if line.startswith(p)), None)
        if key == "ip address " and line.endswith(" sub"):
            key = None
        siblings = self._siblings(path)
        if siblings is None:
            leaves = self._top_leaves()
            if any(n.text == line for _, n in leaves):
                return
            if key is not None:
                for _block, node in leaves:
                    if node.text.startswith(key):
                        node.text = line
                        return
            self._insert_top_leaf(Node(line))
            return
        if any(n.text == line for n in siblings):
            return
        if key is not None:
            for node in siblings:
                if not node.view and node.text.startswith(key):
                    if key == "ip address " and node.text.endswith(" sub"):
                        continue
                    node.text = line
                    return
        if line in {"shutdown", "undo shutdown"}:
            siblings[:] = [n for n in siblings if n.text not in ("shutdown", "undo shutdown")]
        siblings.append(Node(line))

    def undo(self, path: Path, args: str) -> None:
        if not args:
            raise ChangeError("incomplete")
        siblings = self._siblings(path)
        pool = [n for b in self.blocks for n in b] if siblings is None else siblings
        view = next((n for n in pool if n.view and n.text == args), None)
        if view is not None:
            if args.startswith("interface ") and re.match(
                self.style.physical_interfaces, args.split(None, 1)[1]
            ):
                raise ChangeError("Error: The interface cannot be deleted.")
            self._remove(path, view)
            return
        words = args.split()
        exact = next((n for n in pool if not n.view and n.text == args), None)
        match = exact or next(
            (n for n in pool if not n.view and n.words[: len(words)] == words), None
        )
        if match is not None:
            self._remove(path, match)
            if siblings is not None and args == "shutdown":
                siblings.append(Node("undo shutdown"))
            return
        if siblings is None and args in self.style.default_on:
            self._insert_top_leaf(Node(f"undo {args}"))
        elif siblings is not None and args == "shutdown":
            siblings.append(Node("undo shutdown"))

    def _remove_leaf(self, path: Path, pred: object) -> None:
        siblings = self._siblings(path)
        pool = [n for b in self.blocks for n in b] if siblings is None else siblings
        for node in [n for n in pool if not n.view and pred(n)]:  # type: ignore[operator]
            self._remove(path, node)

    def _remove(self, path: Path, node: Node) -> None:
        siblings = self._siblings(path)
        if siblings is not None:
            siblings.remove(node)
            return
        for block in self.blocks:
            if node in block:
                block.remove(node)
        self.blocks = [b for b in self.blocks if b]

    # -- where new things go ------------------------------------------------------------

    def _tail_index(self) -> int:
        for index, block in enumerate(self.blocks):
            if block and block[0].text.startswith(self.style.tail_views):
                return index
        return len(self.blocks)

    def _insert_top_leaf(self, node: Node) -> None:
        first = node.words[0]
        for block in self.blocks:
            same = [i for i, n in enumerate(block) if not n.view and n.words[0] == first]
            if same:
                node.indent = block[same[-1]].indent  # as its neighbours are printed
                block.insert(same[-1] + 1, node)
                return
        self.blocks.insert(self._tail_index(), [node])

    def _insert_top_view(self, node: Node) -> None:
        first = node.words[0]
        same = [i for i, b in enumerate(self.blocks) if b and b[0].view and b[0].words[0] == first]
        self.blocks.insert(same[-1] + 1 if same else self._tail_index(), [node])
