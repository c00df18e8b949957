"""FRR in the lab: a network namespace with FRR, snmpd and an sshd whose ForceCommand is vtysh.

An FRR "device" is more than ``show running-config``: management access, SNMP, syslog
forwarding and time live in the namespace's own daemons. Files read (a directory per device,
see :mod:`playbooks.devices.sources`):

``running-config``  ``vtysh -c 'show running-config'`` (required)
``snmpd.conf``      the snmpd configuration the lab writes for the namespace
``sshd_config``     the namespace's sshd configuration
``listeners``       ``ss -H -ltn`` inside the namespace (FRR vty ports are telnet)
``rsyslog.conf``    forwarding rules, when the namespace runs a syslog daemon
``chrony.conf``     time sources, when the namespace runs chrony

A missing optional file is a finding, not an error: its checks fail and say which file. vtysh
over SSH is not an FRR vty, so ``exec-timeout`` does not end it: the idle timeout is sshd's
``ChannelTimeout session:*=...``; lockout is sshd's ``MaxAuthTries`` (per connection).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..roles.mlps_hardening.module_utils.mlps_parsers import (
    ConfLine,
    conf_lines,
    duration_seconds,
    forwarding_target,
    listeners,
    sshd_options,
    time_sources,
)
from .common import banner
from .configtree import ConfigFile, ConfigTree, Line
from .facts import (
    ConfigAuditSpec,
    DeviceFacts,
    Fact,
    LocalUser,
    PasswordStorage,
    SnmpLevel,
    SnmpPrincipal,
    lines_of,
)

FILES = ("running-config", "snmpd.conf", "sshd_config", "listeners", "rsyslog.conf", "chrony.conf")

HINTS = {
    "NET-DEFAULT-ACCOUNTS": "sshd_config: PermitRootLogin no; no vty/enable passwords in FRR",
    "NET-LOCKOUT": "sshd_config: MaxAuthTries 5 (and pam_faillock on the host account)",
    "NET-IDLE-TIMEOUT": "sshd_config: ChannelTimeout session:*=10m",
    "NET-SSH-ONLY": "run FRR daemons with -A 127.0.0.1 so vty ports stay on loopback",
    "NET-SNMPV3": "snmpd.conf: remove rocommunity/com2sec; rouser <user> priv",
    "NET-SYSLOG": "FRR: log syslog informational; rsyslog in the namespace: *.* @@<server>:514",
    "NET-NTP": "chrony.conf in the namespace: server <server> iburst",
    "NET-BANNER": "banner motd line <banner>",
    "NET-VTY-ACL": "sshd_config: AllowUsers <user>@<mgmt prefix>, or FRR line vty / access-class",
}

TELNET_PORTS = frozenset({23, *range(2601, 2621)})


def _line(file: ConfigFile, conf: ConfLine) -> Line:
    return Line(file.name, conf.number, conf.text)


def _file_lines(file: ConfigFile | None) -> list[Line]:
    return [] if file is None else [_line(file, c) for c in conf_lines(file.text)]


def _sshd_options(file: ConfigFile | None) -> dict[str, Line]:
    if file is None:
        return {}
    return {key: _line(file, conf) for key, conf in sshd_options(file.text).items()}


def _missing(files: Mapping[str, ConfigFile], name: str) -> str:
    return "" if name in files else f"{name} not collected"


def _snmp(files: Mapping[str, ConfigFile]) -> tuple[Fact[int], Fact[tuple[SnmpPrincipal, ...]]]:
    lines = _file_lines(files.get("snmpd.conf"))
    communities = [ln for ln in lines if re.match(r"^(ro|rw)community6?$|^com2sec6?$", ln.words[0])]
    access = [ln for ln in lines if ln.words[0] in ("rouser", "rwuser")]
    principals: dict[str, SnmpLevel] = {}
    for line in access:
        words = list(line.words[1:])
        if words[:1] == ["-s"]:
            words = words[2:]
        name = words[0] if words else "?"
        level = words[1].lower() if len(words) > 1 else "auth"
        principals[f"user {name}"] = (
            "priv" if level in ("priv", "authpriv") else "noauth" if level == "noauth" else "auth"
        )
    missing = _missing(files, "snmpd.conf")
    return (
        Fact(
            len(communities),
            tuple(communities),
            missing or ("" if communities else "no rocommunity/rwcommunity/com2sec"),
            "snmpd.conf",
        ),
        Fact(
            tuple(SnmpPrincipal(n, lv) for n, lv in principals.items()),
            tuple(access),
            missing or ("" if access else "no rouser/rwuser"),
            "snmpd.conf",
        ),
    )


def _telnet(files: Mapping[str, ConfigFile]) -> Fact[bool | None]:
    file = files.get("listeners")
    if file is None:
        return Fact(None, (), "listeners not collected: vty (telnet) exposure unknown", "listeners")
    by_text = {ln.stripped: ln for ln in _file_lines(file)}
    exposed = [
        by_text[sock.line]
        for sock in listeners(file.text)
        if sock.port in TELNET_PORTS and not sock.loopback and sock.line in by_text
    ]
    note = "" if exposed else "no telnet/vty port listening outside loopback"
    return Fact(bool(exposed), tuple(exposed), note, "listeners")


def _syslog(tree: ConfigTree, files: Mapping[str, ConfigFile]) -> Fact[frozenset[str]]:
    log_lines = tree.top_lines(r"^log syslog")
    if not log_lines:
        return Fact(frozenset(), (), "FRR does not log to syslog (no 'log syslog')")
    forward: list[Line] = []
    hosts: set[str] = set()
    for line in _file_lines(files.get("rsyslog.conf")):
        host = forwarding_target(line.text)
        if host:
            hosts.add(host)
            forward.append(line)
    note = _missing(files, "rsyslog.conf") or ("" if forward else "no forwarding rule")
    return Fact(frozenset(hosts), lines_of(log_lines, forward), note, "rsyslog.conf")


def _ntp(files: Mapping[str, ConfigFile]) -> Fact[frozenset[str]]:
    file = files.get("chrony.conf")
    sources = [] if file is None else time_sources(file.text)
    note = _missing(files, "chrony.conf") or ("" if sources else "no server/pool line")
    if file is None:
        note += " (a namespace shares the host clock; its sources must be shown)"
    servers = frozenset(host for _, host in sources)
    lines = tuple(_line(file, conf) for conf, _ in sources) if file else ()
    return Fact(servers, lines, note, "chrony.conf")


def _users(tree: ConfigTree, sshd: dict[str, Line]) -> Fact[tuple[LocalUser, ...]]:
    users: list[LocalUser] = []
    shown: list[Line] = []
    for line in tree.top_lines(r"^(enable )?password "):
        storage: PasswordStorage = "reversible" if line.words[-2:-1] == ["8"] else "plain"
        users.append(LocalUser("enable" if line.words[0] == "enable" else "vty", storage))
        shown.append(line)
    root = sshd.get("permitrootlogin")
    if root is None or root.words[1].lower() != "no":
        users.append(LocalUser("root", "none"))
        if root is not None:
            shown.append(root)
    note = "" if root is not None else "sshd PermitRootLogin not set (default prohibit-password)"
    return Fact(tuple(users), lines_of(shown), note, "sshd_config")


def parse(files: Mapping[str, ConfigFile]) -> DeviceFacts:
    tree = ConfigTree(files["running-config"])
    sshd = _sshd_options(files.get("sshd_config"))
    telnet = _telnet(files)
    vtys = tree.top(r"^line vty")
    acl_lines = [ln for vty in vtys for ln in vty.child_lines(r"^access-class ")]
    allow = [ln for key, ln in sshd.items() if key == "allowusers" and "@" in ln.text]
    match_address = [
        ln
        for ln in _file_lines(files.get("sshd_config"))
        if re.match(r"(?i)^match\s+address", ln.stripped)
    ]
    protocols = {"ssh"} if sshd else set()
    if telnet.value:
        protocols.add("telnet")
    tries = sshd.get("maxauthtries")
    timeout = sshd.get("channeltimeout")
    idle: int | None = None
    if timeout is not None:
        sessions = [
            w.split("=", 1)[1] for w in timeout.words[1:] if w.startswith("session") and "=" in w
        ]
        values = [duration_seconds(v) for v in sessions]
        idle = max((v for v in values if v is not None), default=None)
    communities, principals = _snmp(files)
    banners = [b for b in tree.banners if b.kind == "motd" and b.text]
    ssh_lines = tuple(
        ln for key, ln in sshd.items() if key in ("port", "listenaddress", "forcecommand")
    )
    return DeviceFacts(
        ssh_server=Fact(bool(sshd), ssh_lines, _missing(files, "sshd_config")),
        telnet_server=telnet,
        vty_protocols=Fact(frozenset(protocols), lines_of(ssh_lines, telnet.lines)),
        vty_acl=Fact(
            bool(acl_lines or allow or match_address),
            lines_of(acl_lines, allow, match_address),
            ""
            if acl_lines or allow or match_address
            else "no access-class, AllowUsers user@prefix or Match Address",
        ),
        snmp_communities=communities,
        snmp_versions=Fact(None),
        snmp_v3=principals,
        syslog_hosts=_syslog(tree, files),
        ntp_servers=_ntp(files),
        login_attempts=Fact(
            int(tries.words[1]) if tries is not None else 6,
            (tries,) if tries is not None else (),
            "sshd MaxAuthTries (per connection)" + ("" if tries else ": default 6"),
            "sshd_config",
        ),
        idle_timeout_seconds=Fact(
            idle,
            (timeout,) if timeout is not None else (),
            ""
            if idle is not None
            else "sshd ChannelTimeout session not set: vtysh sessions never time out",
            "sshd_config",
        ),
        banner=banner(banners, "no banner motd line"),
        users=_users(tree, sshd),
    )


PLATFORM = ConfigAuditSpec(name="frr", files=FILES, parse=parse, hints=HINTS)
