"""One reader for the vendor CLIs (Huawei VRP, H3C Comware, Cisco IOS): each states its syntax.

The three keep management alike: vty and console lines with accepted protocols and an idle
timeout, an SSH and a telnet server, SNMP communities, log and time servers, a login banner.
They differ in the words, which a :class:`CliSyntax` holds, and in a few things each does its
own way (lockout, SNMP, local users), for which it names a :data:`Reader`.
:meth:`CliSyntax.parse` reads a running configuration into
:class:`~playbooks.devices.facts.DeviceFacts` the same way for all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from .common import (
    addresses,
    all_lines_have,
    banner,
    line_idle_timeout,
    line_protocols,
    present,
)
from .configtree import ConfigFile, ConfigTree
from .facts import DeviceFacts, Fact, LocalUser, SnmpPrincipal, lines_of

T = TypeVar("T")

#: a fact a platform reads its own way from the running configuration
Reader = Callable[[ConfigTree], Fact[T]]

RUNNING_CONFIG = "running-config"


@dataclass(frozen=True)
class Command:
    """A top-level command (``pattern``) and what to say when the configuration lacks it."""

    pattern: str
    missing: str


@dataclass(frozen=True)
class Servers:
    """Server lines and where their address is: word ``word``, or the next one after a
    ``skip`` keyword."""

    pattern: str
    missing: str
    word: int = 2
    skip: str = "ipv6"


@dataclass(frozen=True)
class Switch:
    """A server that is off unless ``on`` is configured; ``off`` is its explicit undo."""

    on: str
    missing: str
    off: str | None = None


@dataclass(frozen=True)
class CliSyntax:
    """How one vendor CLI prints management settings; patterns match stripped lines."""

    #: top-level remote-management lines and console lines
    vty: str
    console: str
    #: children of a line: the protocols it accepts, its idle timeout
    protocols: str
    idle_timeout: str
    ssh_server: Command
    #: None: no global telnet server; telnet is whatever the vty lines accept (IOS)
    telnet_server: Switch | None
    #: the ACL child every vty line carries, or a reader where sources are restricted globally
    vty_acl: str | Reader[bool]
    snmp_communities: Command
    snmp_versions: Reader[frozenset[str] | None]
    snmp_v3: Reader[tuple[SnmpPrincipal, ...]]
    syslog: Servers
    ntp: Servers
    login_attempts: Reader[int | None]
    #: the banner kinds shown at login, and what to say when none is
    banner_kinds: tuple[str, ...]
    banner_missing: str
    users: Reader[tuple[LocalUser, ...]]
    #: platform defaults the configuration does not print
    protocols_default: str = "all"
    idle_timeout_default_seconds: int = 600

    def parse(self, files: Mapping[str, ConfigFile]) -> DeviceFacts:
        tree = ConfigTree(files[RUNNING_CONFIG])
        vtys = tree.top(self.vty)
        consoles = tree.top(self.console)
        protocols = line_protocols(vtys, self.protocols, self.protocols_default, 2)
        communities = tree.top_lines(self.snmp_communities.pattern)
        return DeviceFacts(
            ssh_server=present(tree.top_lines(self.ssh_server.pattern), self.ssh_server.missing),
            telnet_server=(
                Fact("telnet" in protocols.value, protocols.lines, protocols.note)
                if self.telnet_server is None
                else _switch(tree, self.telnet_server)
            ),
            vty_protocols=protocols,
            vty_acl=(
                all_lines_have(vtys, self.vty_acl)
                if isinstance(self.vty_acl, str)
                else self.vty_acl(tree)
            ),
            snmp_communities=Fact(
                len(communities),
                tuple(communities),
                "" if communities else self.snmp_communities.missing,
            ),
            snmp_versions=self.snmp_versions(tree),
            snmp_v3=self.snmp_v3(tree),
            syslog_hosts=_servers(tree, self.syslog),
            ntp_servers=_servers(tree, self.ntp),
            login_attempts=self.login_attempts(tree),
            idle_timeout_seconds=line_idle_timeout(
                [*vtys, *consoles], self.idle_timeout, self.idle_timeout_default_seconds
            ),
            banner=banner(
                [b for b in tree.banners if b.kind in self.banner_kinds], self.banner_missing
            ),
            users=self.users(tree),
        )


def _switch(tree: ConfigTree, switch: Switch) -> Fact[bool | None]:
    on = tree.top_lines(switch.on)
    off = tree.top_lines(switch.off) if switch.off else []
    return Fact(bool(on) and not off, lines_of(on, off), "" if on or off else switch.missing)


def _servers(tree: ConfigTree, servers: Servers) -> Fact[frozenset[str]]:
    lines = tree.top_lines(servers.pattern)
    return addresses(lines, servers.word, servers.missing, servers.skip)
