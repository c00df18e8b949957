"""Huawei VRP (V200R0xx: S57xx access, CE68xx/CE128xx core, USG firewalls) configurations.

Reads ``display current-configuration`` (file ``running-config``). Defaults VRP does not
print: ``idle-timeout`` 10 minutes on user interfaces; telnet server off (V200R010 and
later). An unset ``protocol inbound`` is treated as ``all`` (older releases' default), so the
baseline sets it explicitly.
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
    "NET-DEFAULT-ACCOUNTS": "aaa / undo local-user admin; local-user <u> password "
    "irreversible-cipher <pw>",
    "NET-LOCKOUT": "aaa / local-aaa-user wrong-password retry-interval 5 retry-time 5 "
    "block-time 10",
    "NET-IDLE-TIMEOUT": "user-interface vty 0 4 / idle-timeout 10 0",
    "NET-SSH-ONLY": "undo telnet server enable; stelnet server enable; user-interface vty 0 4 "
    "/ protocol inbound ssh",
    "NET-SNMPV3": "undo snmp-agent community ...; snmp-agent sys-info version v3; "
    "snmp-agent group v3 <g> privacy",
    "NET-SYSLOG": "info-center loghost <server>",
    "NET-NTP": "ntp-service unicast-server <server>",
    "NET-BANNER": 'header login information "<banner>"',
    "NET-VTY-ACL": "user-interface vty 0 4 / acl 2000 inbound",
}


def _storage(line: Line) -> PasswordStorage | None:
    words = line.words
    if "password" not in words:
        return None
    if "irreversible-cipher" in words:
        return "irreversible"
    if "cipher" in words:
        return "reversible"
    return "plain"


def _snmp_principals(tree: ConfigTree) -> Fact[tuple[SnmpPrincipal, ...]]:
    principals: dict[str, SnmpLevel] = {}
    groups = tree.top_lines(r"^snmp-agent group v3 ")
    for line in groups:
        words = line.words
        principals[f"group {words[3]}"] = (
            "priv" if "privacy" in words else "auth" if "authentication" in words else "noauth"
        )
    users = tree.top_lines(r"^snmp-agent usm-user v3 ")
    modes: dict[str, set[str]] = {}
    for line in users:
        seen = modes.setdefault(line.words[3], set())
        seen |= {"priv"} if "privacy-mode" in line.words else set()
        seen |= {"auth"} if "authentication-mode" in line.words else set()
    for user, seen in modes.items():
        principals[f"user {user}"] = "priv" if "priv" in seen else "auth" if seen else "noauth"
    return Fact(
        tuple(SnmpPrincipal(n, lv) for n, lv in principals.items()),
        lines_of(groups, users),
        "" if principals else "no snmp-agent group v3 / usm-user v3",
    )


def _snmp_versions(tree: ConfigTree) -> Fact[frozenset[str] | None]:
    lines = tree.top_lines(r"^snmp-agent sys-info version ")
    if not lines:
        return Fact(None, (), "snmp-agent sys-info version not set")
    words = set(lines[-1].words[3:])
    return Fact(frozenset({"v1", "v2c", "v3"} if "all" in words else words), (lines[-1],))


def _lockout(tree: ConfigTree) -> Fact[int | None]:
    lines = tree.any_lines(r"^local-aaa-user wrong-password ") + tree.any_lines(
        r"^local-user \S+ state block fail-times "
    )
    attempts: int | None = None
    for line in lines:
        words = line.words
        key = "retry-time" if "retry-time" in words else "fail-times"
        if key in words and words.index(key) + 1 < len(words):
            attempts = int(words[words.index(key) + 1])
    return Fact(attempts, tuple(lines), "" if lines else "no local-aaa-user wrong-password")


def parse(files: Mapping[str, ConfigFile]) -> DeviceFacts:
    tree = ConfigTree(files["running-config"])
    vtys = tree.top(r"^user-interface vty ")
    consoles = tree.top(r"^user-interface (con|console) ")
    telnet_on = tree.top_lines(r"^telnet (ipv6 )?server enable")
    telnet_off = tree.top_lines(r"^undo telnet (ipv6 )?server enable")
    ssh_on = tree.top_lines(r"^stelnet (ipv4 |ipv6 )?server enable")
    communities = tree.top_lines(r"^snmp-agent community ")
    banners = [b for b in tree.banners if b.kind in ("login", "shell")]
    return DeviceFacts(
        ssh_server=Fact(bool(ssh_on), tuple(ssh_on), "" if ssh_on else "no stelnet server enable"),
        telnet_server=Fact(
            bool(telnet_on) and not telnet_off,
            lines_of(telnet_on, telnet_off),
            "" if telnet_on or telnet_off else "telnet server not set (off by default)",
        ),
        vty_protocols=line_protocols(vtys, r"^protocol inbound ", "all", 2),
        vty_acl=all_lines_have(vtys, r"^acl (ipv6 )?\S+ inbound"),
        snmp_communities=Fact(
            len(communities), tuple(communities), "" if communities else "no snmp-agent community"
        ),
        snmp_versions=_snmp_versions(tree),
        snmp_v3=_snmp_principals(tree),
        syslog_hosts=addresses(
            tree.top_lines(r"^info-center loghost (ipv6 )?\d"), 2, "no info-center loghost"
        ),
        ntp_servers=addresses(
            tree.top_lines(r"^ntp-service unicast-server "), 2, "no ntp-service unicast-server"
        ),
        login_attempts=_lockout(tree),
        idle_timeout_seconds=line_idle_timeout([*vtys, *consoles], r"^idle-timeout ", 600),
        banner=Fact(
            banners[0].text if banners else None,
            tuple(ln for b in banners for ln in b.lines),
            "" if banners else "no header login/shell information",
        ),
        users=local_users(
            tree.any_lines(r"^local-user \S+"),
            lambda line: line.words[1],
            _storage,
            "no local-user configured",
        ),
    )


PLATFORM = PlatformSpec(name="huawei_vrp", files=FILES, parse=parse, hints=HINTS)
