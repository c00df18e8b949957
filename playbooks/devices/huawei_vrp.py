"""Huawei VRP (V200R0xx: S57xx access, CE68xx/CE128xx core, USG firewalls) configurations.

Reads ``display current-configuration`` (file ``running-config``). Defaults VRP does not
print: ``idle-timeout`` 10 minutes on user interfaces; telnet server off (V200R010 and
later). An unset ``protocol inbound`` is treated as ``all`` (older releases' default), so the
baseline sets it explicitly.
"""

from __future__ import annotations

from functools import partial

from .common import local_users, snmp_agent_v3, snmp_agent_versions
from .configtree import ConfigTree, Line
from .facts import ConfigAuditSpec, Fact, LocalUser, PasswordStorage
from .syntax import CliSyntax, Command, Servers, Switch

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


def _users(tree: ConfigTree) -> Fact[tuple[LocalUser, ...]]:
    return local_users(
        tree.any_lines(r"^local-user \S+"),
        lambda line: line.words[1],
        _storage,
        "no local-user configured",
    )


SYNTAX = CliSyntax(
    vty=r"^user-interface vty ",
    console=r"^user-interface (con|console) ",
    protocols=r"^protocol inbound ",
    idle_timeout=r"^idle-timeout ",
    ssh_server=Command(r"^stelnet (ipv4 |ipv6 )?server enable", "no stelnet server enable"),
    telnet_server=Switch(
        r"^telnet (ipv6 )?server enable",
        "telnet server not set (off by default)",
        off=r"^undo telnet (ipv6 )?server enable",
    ),
    vty_acl=r"^acl (ipv6 )?\S+ inbound",
    snmp_communities=Command(r"^snmp-agent community ", "no snmp-agent community"),
    snmp_versions=partial(snmp_agent_versions, missing="snmp-agent sys-info version not set"),
    snmp_v3=partial(snmp_agent_v3, split_users=True),
    syslog=Servers(r"^info-center loghost (ipv6 )?\d", "no info-center loghost"),
    ntp=Servers(r"^ntp-service unicast-server ", "no ntp-service unicast-server"),
    login_attempts=_lockout,
    banner_kinds=("login", "shell"),
    banner_missing="no header login/shell information",
    users=_users,
)

PLATFORM = ConfigAuditSpec(name="huawei_vrp", files=FILES, parse=SYNTAX.parse, hints=HINTS)
