"""H3C Comware 7 (S5560X aggregation, MSR routers) configurations.

Reads ``display current-configuration`` (file ``running-config``); global commands are
printed indented by one space. Defaults Comware does not print: telnet server off, vty
``protocol inbound`` all (telnet and ssh), ``idle-timeout`` 10 minutes. Comware 7 restricts
management sources globally (``ssh server acl``), not per vty line.
"""

from __future__ import annotations

from functools import partial

from .common import local_users, snmp_agent_v3, snmp_agent_versions
from .configtree import ConfigTree, Line
from .facts import ConfigAuditSpec, Fact, LocalUser, PasswordStorage, lines_of
from .syntax import CliSyntax, Command, Servers, Switch

FILES = ("running-config",)

HINTS = {
    "NET-DEFAULT-ACCOUNTS": "undo local-user admin class manage; local-user <u> class manage "
    "/ password hash <pw>",
    "NET-LOCKOUT": "password-control enable; password-control login-attempt 5 exceed lock-time 10",
    "NET-IDLE-TIMEOUT": "line vty 0 63 / idle-timeout 10 0",
    "NET-SSH-ONLY": "undo telnet server enable; ssh server enable; line vty 0 63 / "
    "protocol inbound ssh",
    "NET-SNMPV3": "undo snmp-agent community ...; snmp-agent sys-info version v3; "
    "snmp-agent group v3 <g> privacy",
    "NET-SYSLOG": "info-center loghost <server>",
    "NET-NTP": "ntp-service enable; ntp-service unicast-server <server>",
    "NET-BANNER": "header login %<banner>%",
    "NET-VTY-ACL": "ssh server acl 2000",
}


_STORAGE: dict[str, PasswordStorage] = {"hash": "irreversible", "cipher": "reversible"}


def _storage(line: Line) -> PasswordStorage | None:
    words = line.words
    if words[0] != "password":
        return None
    kind = words[1] if len(words) > 1 else ""
    return _STORAGE.get(kind, "plain")


def _lockout(tree: ConfigTree) -> Fact[int | None]:
    enabled = tree.top_lines(r"^password-control enable")
    attempt_lines = tree.top_lines(r"^password-control login-attempt \d+")
    shown = lines_of(enabled, attempt_lines)
    if not attempt_lines:
        return Fact(None, shown, "no password-control login-attempt")
    if not enabled:
        return Fact(
            None, shown, "password-control login-attempt set but password-control is not enabled"
        )
    return Fact(int(attempt_lines[-1].words[2]), shown)


def _acl(tree: ConfigTree) -> Fact[bool]:
    ssh_acl = tree.top_lines(r"^ssh server (ipv6 )?acl ")
    telnet_acl = tree.top_lines(r"^telnet server (ipv6 )?acl ")
    return Fact(
        bool(ssh_acl), lines_of(ssh_acl, telnet_acl), "" if ssh_acl else "no ssh server acl"
    )


def _users(tree: ConfigTree) -> Fact[tuple[LocalUser, ...]]:
    owners: dict[int, str] = {}
    user_lines: list[Line] = []
    for node in tree.top(r"^local-user \S+"):
        user_lines.append(node.line)
        owners[node.line.number] = node.line.words[1]
        for line in node.child_lines(r"^password "):
            user_lines.append(line)
            owners[line.number] = node.line.words[1]
    return local_users(
        user_lines, lambda line: owners[line.number], _storage, "no local-user configured"
    )


SYNTAX = CliSyntax(
    vty=r"^line vty ",
    console=r"^line (con|aux) ",
    protocols=r"^protocol inbound ",
    idle_timeout=r"^idle-timeout ",
    ssh_server=Command(r"^ssh server enable", "no ssh server enable"),
    telnet_server=Switch(r"^telnet server enable", "telnet server off (default)"),
    vty_acl=_acl,
    snmp_communities=Command(r"^snmp-agent community ", "no snmp-agent community"),
    snmp_versions=partial(
        snmp_agent_versions, missing="snmp-agent sys-info version not set (Comware default v3)"
    ),
    snmp_v3=partial(snmp_agent_v3, split_users=False),
    syslog=Servers(
        r"^info-center loghost (vpn-instance \S+ )?(ipv6 )?\d", "no info-center loghost"
    ),
    ntp=Servers(r"^ntp-service unicast-server ", "no ntp-service unicast-server"),
    login_attempts=_lockout,
    banner_kinds=("login", "motd"),
    banner_missing="no header login/motd",
    users=_users,
)

PLATFORM = ConfigAuditSpec(name="hp_comware", files=FILES, parse=SYNTAX.parse, hints=HINTS)
