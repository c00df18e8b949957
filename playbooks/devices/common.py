"""Reading patterns the vendor CLIs share, so each platform module only states its syntax."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from .configtree import Banner, ConfigTree, Line, Node
from .facts import (
    Fact,
    LocalUser,
    PasswordStorage,
    SnmpLevel,
    SnmpPrincipal,
    lines_of,
    minutes_seconds,
)


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


def present(lines: Sequence[Line], missing: str) -> Fact[bool]:
    """Whether a command is configured (a server switched on), the lines saying so."""
    return Fact(bool(lines), tuple(lines), "" if lines else missing)


def addresses(
    lines: Sequence[Line], word: int, missing: str, skip: str = "ipv6"
) -> Fact[frozenset[str]]:
    """Server addresses at a word position (skipping a ``skip`` keyword before them:
    ``info-center loghost ipv6 <a>``, ``logging host <a>``, and a VPN instance that Comware
    names first: ``info-center loghost vpn-instance internal <a>``)."""
    values = set()
    for line in lines:
        words = line.words
        index = word + 2 if words[word : word + 1] == ["vpn-instance"] else word
        index = index + 1 if len(words) > index + 1 and words[index] == skip else index
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


def banner(banners: Sequence[Banner], missing: str) -> Fact[str | None]:
    """The first of the login banners shown, with the lines of all of them."""
    return Fact(
        banners[0].text if banners else None,
        tuple(ln for b in banners for ln in b.lines),
        "" if banners else missing,
    )


def snmp_level(words: Collection[str], priv: str, auth: str) -> SnmpLevel:
    """The security level named by keywords (``privacy``/``authentication``, or the modes)."""
    return "priv" if priv in words else "auth" if auth in words else "noauth"


def snmp_agent_v3(tree: ConfigTree, *, split_users: bool) -> Fact[tuple[SnmpPrincipal, ...]]:
    """SNMPv3 groups and USM users of an ``snmp-agent`` (VRP, Comware) and their levels. With
    ``split_users`` a user's modes stand on separate lines that add up (VRP prints them so);
    otherwise a later line for a user replaces the earlier (Comware prints one line a user)."""
    principals: dict[str, SnmpLevel] = {}
    groups = tree.top_lines(r"^snmp-agent group v3 ")
    for line in groups:
        principals[f"group {line.words[3]}"] = snmp_level(line.words, "privacy", "authentication")
    users = tree.top_lines(r"^snmp-agent usm-user v3 ")
    modes: dict[str, set[str]] = {}
    for line in users:
        seen = modes.setdefault(line.words[3], set())
        if not split_users:
            seen.clear()
        seen |= {m for m in ("privacy-mode", "authentication-mode") if m in line.words}
    for user, seen in modes.items():
        principals[f"user {user}"] = snmp_level(seen, "privacy-mode", "authentication-mode")
    return Fact(
        tuple(SnmpPrincipal(n, lv) for n, lv in principals.items()),
        lines_of(groups, users),
        "" if principals else "no snmp-agent group v3 / usm-user v3",
    )


def snmp_agent_versions(tree: ConfigTree, *, missing: str) -> Fact[frozenset[str] | None]:
    """The versions ``snmp-agent sys-info version`` restricts the agent to (VRP, Comware)."""
    lines = tree.top_lines(r"^snmp-agent sys-info version ")
    if not lines:
        return Fact(None, (), missing)
    words = set(lines[-1].words[3:])
    return Fact(frozenset({"v1", "v2c", "v3"} if "all" in words else words), (lines[-1],))
