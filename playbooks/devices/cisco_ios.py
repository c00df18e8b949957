"""Cisco IOS / IOS XE (ISR1100 CPEs, Catalyst 9200 access) configurations.

Reads ``show running-config`` (file ``running-config``). Defaults IOS does not print:
``exec-timeout 10 0``; vty ``transport input`` unset is treated as ``all`` (classic IOS);
without ``ip ssh version 2`` the server answers SSH 1.99 (v1 and v2). IOS has no global
telnet server: telnet is whatever the vty lines accept. SNMPv3 users are not printed in the
running configuration, so the v3 groups and their security level stand for them.
"""

from __future__ import annotations

from collections.abc import Mapping

from .common import addresses, all_lines_have, line_idle_timeout, line_protocols, local_users
from .configtree import ConfigFile, ConfigTree, Line
from .facts import (
    DeviceFacts,
    Fact,
    PasswordStorage,
    PlatformSpec,
    SnmpLevel,
    SnmpPrincipal,
    lines_of,
)

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


def _snmp_principals(tree: ConfigTree) -> Fact[tuple[SnmpPrincipal, ...]]:
    groups = tree.top_lines(r"^snmp-server group \S+ v3 ")
    principals: dict[str, SnmpLevel] = {}
    for line in groups:
        level = line.words[4] if len(line.words) > 4 else "noauth"
        principals[f"group {line.words[2]}"] = (
            "priv" if level == "priv" else "auth" if level == "auth" else "noauth"
        )
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


def _syslog(tree: ConfigTree) -> Fact[frozenset[str]]:
    lines = tree.top_lines(r"^logging (host )?\d")
    hosts = frozenset(ln.words[2] if ln.words[1] == "host" else ln.words[1] for ln in lines)
    return Fact(hosts, tuple(lines), "" if lines else "no logging host")


def parse(files: Mapping[str, ConfigFile]) -> DeviceFacts:
    tree = ConfigTree(files["running-config"])
    vtys = tree.top(r"^line vty ")
    consoles = tree.top(r"^line (con|aux) ")
    ssh_v2 = tree.top_lines(r"^ip ssh version 2")
    protocols = line_protocols(vtys, r"^transport input ", "all", 2)
    communities = tree.top_lines(r"^snmp-server community ")
    v1_v2c = tree.top_lines(r"^snmp-server group \S+ (v1|v2c)\b")
    banners = [b for b in tree.banners if b.kind in ("login", "motd")]
    return DeviceFacts(
        ssh_server=Fact(
            bool(ssh_v2), tuple(ssh_v2), "" if ssh_v2 else "no ip ssh version 2 (answers 1.99)"
        ),
        telnet_server=Fact("telnet" in protocols.value, protocols.lines, protocols.note),
        vty_protocols=protocols,
        vty_acl=all_lines_have(vtys, r"^access-class \S+ in"),
        snmp_communities=Fact(
            len(communities), tuple(communities), "" if communities else "no snmp-server community"
        ),
        snmp_versions=Fact(
            frozenset(ln.words[3] for ln in v1_v2c) | {"v3"} if v1_v2c else None, tuple(v1_v2c)
        ),
        snmp_v3=_snmp_principals(tree),
        syslog_hosts=_syslog(tree),
        ntp_servers=addresses(tree.top_lines(r"^ntp server "), 2, "no ntp server"),
        login_attempts=_lockout(tree),
        idle_timeout_seconds=line_idle_timeout([*vtys, *consoles], r"^exec-timeout ", 600),
        banner=Fact(
            banners[0].text if banners else None,
            tuple(ln for b in banners for ln in b.lines),
            "" if banners else "no banner login/motd",
        ),
        users=local_users(
            tree.top_lines(r"^(username \S+|enable (secret|password))"),
            _name,
            _storage,
            "no local username configured",
        ),
    )


PLATFORM = PlatformSpec(name="cisco_ios", files=FILES, parse=parse, hints=HINTS)
