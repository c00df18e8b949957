"""Reading patterns the vendor CLIs share, so each platform module only states its syntax."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .configtree import Line, Node
from .facts import Fact, LocalUser, PasswordStorage, minutes_seconds


def line_protocols(
    lines: Sequence[Node], pattern: str, default: str, word: int
) -> Fact[frozenset[str]]:
    """Protocols accepted on management lines (``protocol inbound ssh``, ``transport input
    ssh``); ``all`` means ssh and telnet; an unset line takes ``default``."""
    protocols: set[str] = set()
    shown: list[Line] = []
    defaulted = False
    for node in lines:
        found = node.child_lines(pattern)
        shown.extend(found[-1:] or [node.line])
        values = found[-1].words[word:] if found else [default]
        defaulted = defaulted or not found
        for value in values:
            if value == "all":
                protocols |= {"ssh", "telnet"}
            elif value in ("ssh", "telnet"):
                protocols.add(value)
    note = f"not set on some line: platform default {default}" if defaulted else ""
    return Fact(frozenset(protocols), tuple(shown), note)


def line_idle_timeout(
    lines: Sequence[Node], pattern: str, default_seconds: int, word: int = 1
) -> Fact[int | None]:
    """The longest idle timeout over management lines (0 when any line never times out)."""
    values: list[int] = []
    shown: list[Line] = []
    defaulted = False
    for node in lines:
        found = node.child_lines(pattern)
        if found:
            shown.append(found[-1])
            seconds = minutes_seconds(found[-1].words, word)
            values.append(default_seconds if seconds is None else seconds)
        else:
            shown.append(node.line)
            values.append(default_seconds)
            defaulted = True
    if not values:
        return Fact(None, (), "no management lines configured")
    worst = 0 if 0 in values else max(values)
    note = (
        f"not set on some line: platform default {default_seconds // 60} min" if defaulted else ""
    )
    return Fact(worst, tuple(shown), note)


def all_lines_have(lines: Sequence[Node], pattern: str) -> Fact[bool]:
    """Whether every management line carries a child matching ``pattern`` (an ACL)."""
    found = [ln for node in lines for ln in node.child_lines(pattern)]
    ok = bool(lines) and all(node.child_lines(pattern) for node in lines)
    return Fact(ok, tuple(found) or tuple(n.line for n in lines), "" if lines else "no vty lines")


def addresses(lines: Sequence[Line], word: int, missing: str) -> Fact[frozenset[str]]:
    """Server addresses at a word position (skipping an ``ipv6`` keyword before them)."""
    values = set()
    for line in lines:
        words = line.words
        index = word + 1 if len(words) > word + 1 and words[word] == "ipv6" else word
        if len(words) > index:
            values.add(words[index])
    return Fact(frozenset(values), tuple(lines), "" if lines else missing)


def local_users(
    user_lines: Sequence[Line],
    name_of: Callable[[Line], str],
    storage_of: Callable[[Line], PasswordStorage | None],
    missing: str,
) -> Fact[tuple[LocalUser, ...]]:
    """Local accounts and how their passwords are kept; a later password line wins."""
    found: dict[str, PasswordStorage] = {}
    first: dict[str, Line] = {}
    password_lines: list[Line] = []
    for line in user_lines:
        name = name_of(line)
        first.setdefault(name, line)
        storage = storage_of(line)
        if storage is None:
            found.setdefault(name, "none")
        else:
            found[name] = storage
            password_lines.append(line)
    shown = sorted(
        [*password_lines, *(first[n] for n, s in found.items() if s == "none")],
        key=lambda ln: ln.number,
    )
    users = tuple(LocalUser(n, s) for n, s in found.items())
    return Fact(users, tuple(shown), "" if users else missing)
