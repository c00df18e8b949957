"""Cisco IOS / IOS XE (ISR1100 CPEs, Catalyst 9200 access) configurations.

Reads ``show running-config`` (file ``running-config``). Defaults IOS does not print:
``exec-timeout 10 0``; vty ``transport input`` unset is treated as ``all`` (classic IOS);
without ``ip ssh version 2`` the server answers SSH 1.99 (v1 and v2). IOS has no global
telnet server: telnet is whatever the vty lines accept. SNMPv3 users are not printed in the
running configuration, so the v3 groups and their security level stand for them.
"""

from __future__ import annotations

from .common import local_users, snmp_level
from .configtree import ConfigTree, Line
from .facts import ConfigAuditSpec, Fact, LocalUser, PasswordStorage, SnmpPrincipal, lines_of
from .syntax import CliSyntax, Command, Servers

FILES = ("running-config",)

HINTS = {
    "NET-DEFAULT-ACCOUNTS": "no username cisco; username <u> privilege 15 algorithm-type "
    "scrypt secret <pw>; enable algorithm-type scrypt secret <pw>",
    "NET-LOCKOUT": "login block-for 600 attempts 5 within 120; aaa local authentication "
    "attempts max-fail 5",
    "NET-IDLE-TIMEOUT": "line vty 0 15 / exec-timeout 10 0",
    "NET-SSH-ONLY": "ip ssh version 2; line vty 0 15 / transport input ssh",
    "NET-SNMPV3": "no snmp-server community <c>; snmp-server group <g> v3 priv",
    "NET-SYSLOG": "logging host <server>",
    "NET-NTP": "ntp server <server>",
    "NET-BANNER": "banner login ^C<banner>^C",
    "NET-VTY-ACL": "line vty 0 15 / access-class <acl> in",
}

_STORAGE: dict[str, PasswordStorage] = {"0": "plain", "7": "reversible"}


def _storage(line: Line) -> PasswordStorage | None:
    words = line.words
    for key in ("secret", "password"):
        if key in words:
            index = words.index(key) + 1
            kind = words[index] if index < len(words) - 1 else "0"
            if key == "secret":
                return "irreversible"
            return _STORAGE.get(kind, "plain")
    return None


def _name(line: Line) -> str:
    return "enable" if line.words[0] == "enable" else line.words[1]


def _snmp_v3(tree: ConfigTree) -> Fact[tuple[SnmpPrincipal, ...]]:
    groups = tree.top_lines(r"^snmp-server group \S+ v3 ")
    principals = {
        f"group {ln.words[2]}": snmp_level(ln.words[4:5], "priv", "auth") for ln in groups
    }
    return Fact(
        tuple(SnmpPrincipal(n, lv) for n, lv in principals.items()),
        tuple(groups),
        "" if groups else "no snmp-server group ... v3",
    )


def _lockout(tree: ConfigTree) -> Fact[int | None]:
    block = tree.top_lines(r"^login block-for \d+ attempts \d+")
    max_fail = tree.top_lines(r"^aaa local authentication attempts max-fail \d+")
    values = [int(ln.words[4]) for ln in block] + [int(ln.words[5]) for ln in max_fail]
    shown = lines_of(block, max_fail)
    if not values:
        return Fact(None, shown, "no login block-for / aaa local authentication attempts")
    return Fact(min(values), shown)


def _snmp_versions(tree: ConfigTree) -> Fact[frozenset[str] | None]:
    v1_v2c = tree.top_lines(r"^snmp-server group \S+ (v1|v2c)\b")
    return Fact(frozenset(ln.words[3] for ln in v1_v2c) | {"v3"} if v1_v2c else None, tuple(v1_v2c))


def _users(tree: ConfigTree) -> Fact[tuple[LocalUser, ...]]:
    return local_users(
        tree.top_lines(r"^(username \S+|enable (secret|password))"),
        _name,
        _storage,
        "no local username configured",
    )


SYNTAX = CliSyntax(
    vty=r"^line vty ",
    console=r"^line (con|aux) ",
    protocols=r"^transport input ",
    idle_timeout=r"^exec-timeout ",
    ssh_server=Command(r"^ip ssh version 2", "no ip ssh version 2 (answers 1.99)"),
    telnet_server=None,
    vty_acl=r"^access-class \S+ in",
    snmp_communities=Command(r"^snmp-server community ", "no snmp-server community"),
    snmp_versions=_snmp_versions,
    snmp_v3=_snmp_v3,
    syslog=Servers(r"^logging (host )?\d", "no logging host", word=1, skip="host"),
    ntp=Servers(r"^ntp server ", "no ntp server"),
    login_attempts=_lockout,
    banner_kinds=("login", "motd"),
    banner_missing="no banner login/motd",
    users=_users,
)

PLATFORM = ConfigAuditSpec(name="cisco_ios", files=FILES, parse=SYNTAX.parse, hints=HINTS)
