"""What a platform parser reads out of a device's configuration, platform-free.

Every platform module (huawei_vrp, hp_comware, cisco_ios, frr) turns its files into one
:class:`DeviceFacts`; :mod:`playbooks.devices.evaluate` judges those facts against the
controls and the inventory's management policy, the same way for every platform. Each fact
keeps the configuration lines it was read from, which become the evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from .configtree import ConfigFile, Line

T = TypeVar("T")

SnmpLevel = Literal["noauth", "auth", "priv"]
PasswordStorage = Literal["irreversible", "reversible", "plain", "none"]


@dataclass(frozen=True)
class Fact(Generic[T]):
    """A value read from the configuration, the lines that show it, and a note when the
    value is a platform default that the configuration does not print."""

    value: T
    lines: tuple[Line, ...] = ()
    note: str = ""
    #: the file consulted when no line shows the value (defaults to the running config)
    source: str = ""


@dataclass(frozen=True)
class SnmpPrincipal:
    """An SNMPv3 user or group and its security level."""

    name: str
    level: SnmpLevel


@dataclass(frozen=True)
class LocalUser:
    name: str
    storage: PasswordStorage


@dataclass(frozen=True)
class DeviceFacts:
    ssh_server: Fact[bool]
    #: a telnet (or FRR vty) server reachable from the network; None = not known
    telnet_server: Fact[bool | None]
    #: protocols accepted on the remote-management lines ("ssh", "telnet"); empty = none
    vty_protocols: Fact[frozenset[str]]
    vty_acl: Fact[bool]
    snmp_communities: Fact[int]
    #: versions the agent is restricted to, or None when the configuration does not say
    snmp_versions: Fact[frozenset[str] | None]
    snmp_v3: Fact[tuple[SnmpPrincipal, ...]]
    syslog_hosts: Fact[frozenset[str]]
    ntp_servers: Fact[frozenset[str]]
    #: failed logins before the account or source is locked; None = no lockout
    login_attempts: Fact[int | None]
    #: the longest idle timeout of any management line in seconds; 0 = never; None = unknown
    idle_timeout_seconds: Fact[int | None]
    banner: Fact[str | None]
    users: Fact[tuple[LocalUser, ...]]


Parser = Callable[[Mapping[str, ConfigFile]], DeviceFacts]


@dataclass(frozen=True)
class ConfigAuditSpec:
    """What one platform module provides: the files it reads, its parser, its hints."""

    name: str
    #: logical file names; the first is required (the running configuration)
    files: tuple[str, ...]
    parse: Parser
    #: platform commands that fix a failing check, shown with the remediation
    hints: Mapping[str, str] = field(default_factory=dict)


def lines_of(*groups: list[Line] | tuple[Line, ...]) -> tuple[Line, ...]:
    """Join evidence lines from several lookups, in file order, without repeats."""
    seen: dict[tuple[str, int], Line] = {}
    for group in groups:
        for line in group:
            seen.setdefault((line.file, line.number), line)
    return tuple(sorted(seen.values(), key=lambda ln: (ln.file, ln.number)))


def minutes_seconds(words: list[str], start: int) -> int | None:
    """``idle-timeout 10 0`` / ``exec-timeout 5 30``: minutes and optional seconds."""
    try:
        minutes = int(words[start])
        seconds = int(words[start + 1]) if len(words) > start + 1 else 0
    except (IndexError, ValueError):
        return None
    return minutes * 60 + seconds
