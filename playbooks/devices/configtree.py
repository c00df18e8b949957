"""A device configuration as lines and an indentation tree, shared by every platform parser.

Huawei VRP and H3C Comware separate sections with ``#``, Cisco IOS and FRR with ``!``; a
child is indented under its parent. Comware prints global commands indented by one space
after a ``#``: a separator ends every open section, so those lines are top level. Banners
(``banner login ^C ... ^C``, ``header login %...%``) span lines that are not indented and are
cut out before the tree is built. Secrets never reach evidence: :func:`redact` masks them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..results import sha256_text


@dataclass(frozen=True)
class ConfigFile:
    """One collected file: its logical name (``running-config``, ``snmpd.conf``...)."""

    name: str
    path: str
    text: str

    @property
    def sha256(self) -> str:
        return sha256_text(self.text)


@dataclass(frozen=True)
class Line:
    file: str  # the ConfigFile name
    number: int  # 1-based
    text: str

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip(" "))

    @property
    def words(self) -> list[str]:
        return self.text.split()

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass
class Node:
    line: Line
    children: list[Node] = field(default_factory=list)

    def child_lines(self, pattern: str) -> list[Line]:
        rx = re.compile(pattern)
        return [c.line for c in self.children if rx.match(c.line.stripped)]


@dataclass(frozen=True)
class Banner:
    kind: str  # login, motd, shell...
    text: str
    lines: tuple[Line, ...]


_BANNER_START = re.compile(
    r"^\s*(?:banner|header)\s+(?P<kind>login|motd|shell|incoming|exec)"
    r"(?:\s+information)?\s+(?P<rest>.*)$"
)


class ConfigTree:
    """Lines of one file, their tree, and the banners cut out of it."""

    def __init__(self, file: ConfigFile, separators: tuple[str, ...] = ("#", "!")) -> None:
        self.file = file
        self.banners: list[Banner] = []
        self.lines: list[Line] = []
        raw = file.text.replace("\r\n", "\n").split("\n")
        index = 0
        while index < len(raw):
            line = Line(file.name, index + 1, raw[index].rstrip())
            start = _BANNER_START.match(line.text)
            if start:
                index = self._cut_banner(raw, index, start.group("kind"), start.group("rest"))
                continue
            self.lines.append(line)
            index += 1
        self.roots: list[Node] = []
        stack: list[Node] = []
        for line in self.lines:
            text = line.stripped
            if not text:
                continue
            if text in separators or text[0] in separators:
                stack.clear()
                continue
            node = Node(line)
            while stack and stack[-1].line.indent >= line.indent:
                stack.pop()
            if stack:
                stack[-1].children.append(node)
            else:
                self.roots.append(node)
            stack.append(node)

    def _cut_banner(self, raw: list[str], index: int, kind: str, rest: str) -> int:
        rest = rest.strip()
        taken_one = Line(self.file.name, index + 1, raw[index].rstrip())
        if kind == "motd" and rest.startswith(("line ", "default", "file ")):
            # FRR: one line (``banner motd line TEXT``), the default text, or a file.
            text = rest[5:].strip() if rest.startswith("line ") else ""
            self.banners.append(Banner(kind, text, (taken_one,)))
            return index + 1
        if rest.startswith('"'):
            delimiter, body = '"', rest[1:]
        elif rest.startswith("^C"):
            delimiter, body = "^C", rest[2:]
        elif rest:
            delimiter, body = rest[0], rest[1:]
        else:
            delimiter, body = "", ""
        taken = [taken_one]
        parts: list[str] = []
        if delimiter and delimiter in body:
            parts.append(body.split(delimiter, 1)[0])
            self.banners.append(Banner(kind, "\n".join(parts).strip(), tuple(taken)))
            return index + 1
        parts.append(body)
        index += 1
        while index < len(raw) and delimiter:
            text = raw[index].rstrip()
            taken.append(Line(self.file.name, index + 1, text))
            index += 1
            if delimiter in text:
                parts.append(text.split(delimiter, 1)[0])
                break
            parts.append(text)
        self.banners.append(Banner(kind, "\n".join(parts).strip(), tuple(taken)))
        return index

    def walk(self) -> Iterator[Node]:
        todo = list(reversed(self.roots))
        while todo:
            node = todo.pop()
            yield node
            todo.extend(reversed(node.children))

    def top(self, pattern: str) -> list[Node]:
        """Top-level commands whose text (without indentation) matches ``pattern``."""
        rx = re.compile(pattern)
        return [n for n in self.roots if rx.match(n.line.stripped)]

    def top_lines(self, pattern: str) -> list[Line]:
        return [n.line for n in self.top(pattern)]

    def any_lines(self, pattern: str) -> list[Line]:
        """Every line anywhere (sections included) matching ``pattern``."""
        rx = re.compile(pattern)
        return [n.line for n in self.walk() if rx.match(n.line.stripped)]


_SECRET_TYPES = {"cipher", "irreversible-cipher", "simple", "hash", "0", "5", "6", "7", "8", "9"}
_SECRET_AFTER = {"password", "secret", "key", "key-string"}
_VALUE_AFTER = {"cipher", "irreversible-cipher", "simple", "hash"}
#: net-snmp's snmpd.conf: word positions holding communities and keys
_FIRST_WORD_SECRETS = {
    "rocommunity": (1,),
    "rwcommunity": (1,),
    "rocommunity6": (1,),
    "rwcommunity6": (1,),
    "com2sec": (3,),
    "com2sec6": (3,),
    "createuser": (3, 5),
}


def _past(words: list[str], index: int, *optional: set[str]) -> int:
    """The index of a value at ``index``, past the optional keywords standing there (one of
    each set in turn: ``read``, then ``cipher``) as long as a word follows them."""
    for keywords in optional:
        if words[index].lower() in keywords and index + 1 < len(words):
            index += 1
    return index


def redact(text: str) -> str:
    """Mask passwords, keys and SNMP communities in one configuration line."""
    indent = text[: len(text) - len(text.lstrip())]
    words = text.split()
    masked: set[int] = set(_FIRST_WORD_SECRETS.get(words[0].lower(), ())) if words else set()
    i = 0
    while i < len(words):
        word = words[i].lower()
        secret: int | None = None
        if word in _SECRET_AFTER and i + 1 < len(words):
            secret = _past(words, i + 1, _SECRET_TYPES)
        elif word in ("authentication-mode", "privacy-mode") and i + 2 < len(words):
            # <mode> <algorithm> [cipher|simple] <key>
            secret = _past(words, i + 2, _SECRET_TYPES)
        elif word in _VALUE_AFTER and i + 1 < len(words) and not words[i + 1].endswith("-mode"):
            secret = i + 1
        elif word == "community" and i + 1 < len(words):
            secret = _past(words, i + 1, {"read", "write"}, {"cipher", "simple"})
        if secret is None:
            i += 1
        else:
            masked.add(secret)
            i = secret + 1
    masked = {k for k in masked if k < len(words)}
    if not masked:
        return text
    return indent + " ".join("******" if k in masked else w for k, w in enumerate(words))


def excerpt(lines: list[Line] | tuple[Line, ...]) -> str:
    """Deciding lines as evidence: ``file:line: text``, secrets masked."""
    return "\n".join(f"{ln.file}:{ln.number}: {redact(ln.text.strip())}" for ln in lines)
