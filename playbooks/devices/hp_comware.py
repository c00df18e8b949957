"""H3C Comware 7 (S5560X aggregation, MSR routers) configurations.

Reads ``display current-configuration`` (file ``running-config``); global commands are
printed indented by one space. Defaults Comware does not print: telnet server off, vty
``protocol inbound`` all (telnet and ssh), ``idle-timeout`` 10 minutes. Comware 7 restricts
management sources globally (``ssh server acl``), not per vty line.
"""

from __future__ import annotations

from collections.abc import Mapping

from .common import addresses, line_idle_timeout, line_protocols, local_users
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


def _snmp_principals(tree: ConfigTree) -> Fact[tuple[SnmpPrincipal, ...]]:
    principals: dict[str, SnmpLevel] = {}
    groups = tree.top_lines(r"^snmp-agent group v3 ")
    for line in groups:
        words = line.words
        principals[f"group {words[3]}"] = (
            "priv" if "privacy" in words else "auth" if "authentication" in words else "noauth"
        )
    users = tree.top_lines(r"^snmp-agent usm-user v3 ")
    for line in users:
        words = line.words
        principals[f"user {words[3]}"] = (
            "priv"
            if "privacy-mode" in words
            else "auth"
            if "authentication-mode" in words
            else "noauth"
        )
    return Fact(
        tuple(SnmpPrincipal(n, lv) for n, lv in principals.items()),
        lines_of(groups, users),
        "" if principals else "no snmp-agent group v3 / usm-user v3",
    )


def _snmp_versions(tree: ConfigTree) -> Fact[frozenset[str] | None]:
    lines = tree.top_lines(r"^snmp-agent sys-info version ")
    if not lines:
        return Fact(None, (), "snmp-agent sys-info version not set (Comware default v3)")
    words = set(lines[-1].words[3:])
    return Fact(frozenset({"v1", "v2c", "v3"} if "all" in words else words), (lines[-1],))


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


def parse(files: Mapping[str, ConfigFile]) -> DeviceFacts:
    tree = ConfigTree(files["running-config"])
    vtys = tree.top(r"^line vty ")
    consoles = tree.top(r"^line (con|aux) ")
    telnet_on = tree.top_lines(r"^telnet server enable")
    ssh_on = tree.top_lines(r"^ssh server enable")
    communities = tree.top_lines(r"^snmp-agent community ")
    banners = [b for b in tree.banners if b.kind in ("login", "motd")]
    owners: dict[int, str] = {}
    user_lines: list[Line] = []
    for node in tree.top(r"^local-user \S+"):
        user_lines.append(node.line)
        owners[node.line.number] = node.line.words[1]
        for line in node.child_lines(r"^password "):
            user_lines.append(line)
            owners[line.number] = node.line.words[1]
    return DeviceFacts(
        ssh_server=Fact(bool(ssh_on), tuple(ssh_on), "" if ssh_on else "no ssh server enable"),
        telnet_server=Fact(
            bool(telnet_on), tuple(telnet_on), "" if telnet_on else "telnet server off (default)"
        ),
        vty_protocols=line_protocols(vtys, r"^protocol inbound ", "all", 2),
        vty_acl=_acl(tree),
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
            "" if banners else "no header login/motd",
        ),
        users=local_users(
            user_lines,
            lambda line: owners[line.number],
            _storage,
            "no local-user configured",
        ),
    )


PLATFORM = PlatformSpec(name="hp_comware", files=FILES, parse=parse, hints=HINTS)
