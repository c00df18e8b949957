"""Host services of an FRR device as configuration: what vtysh cannot show or change.

On FRR the 等保 SNMP baseline lives in snmpd, not in vtysh. So that it is diffed, pushed,
backed up, reverted and rolled back like the rest of the config, the device agent shows
snmpd's v1/v2c access as one more context of the running config::

    host-service snmpd
     rocommunity public 172.31.0.0/16
    exit

and the rendered intent holds the same context (empty: SNMPv3 only). The FRR syntax marks
``host-service`` contexts as host contexts (:attr:`ConfigSyntax.host_contexts`): they are
compared only when both sides have them and never sent to vtysh; the driver and the
agent's device-side revert hand the wanted lines to :func:`write_snmpd_access` instead.

Standard library only: the device agent imports it on the device.
"""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

SNMPD = "host-service snmpd"
_COMMUNITY = re.compile(r"[A-Za-z0-9_.@%+=:-]{1,64}")
_HEADER = "# egovnet: v1/v2c access of this device's snmpd (written by the device agent)"


class HostServiceError(ValueError):
    """A host-service line the device cannot apply."""


def snmpd_line(line: str) -> str:
    """One ``rocommunity COMMUNITY SOURCE`` line, normalised; anything else is an error."""
    words = line.split()
    if len(words) != 3 or words[0] != "rocommunity":
        raise HostServiceError(f"{SNMPD}: expected 'rocommunity COMMUNITY SOURCE', got {line!r}")
    if not _COMMUNITY.fullmatch(words[1]):
        raise HostServiceError(f"{SNMPD}: community: letters, digits and _.@%+=:- only, at most 64")
    try:
        source = ipaddress.ip_network(words[2], strict=False)
    except ValueError as exc:
        raise HostServiceError(f"{SNMPD}: source {words[2]!r}: {exc}") from None
    return f"rocommunity {words[1]} {source}"


def read_snmpd_access(path: Path) -> list[str]:
    """The access lines of the file snmpd includes (comments and blanks skipped)."""
    out: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def write_snmpd_access(path: Path, lines: list[str]) -> list[str]:
    """Replace the access file atomically with these (checked) lines; returns them."""
    checked = [snmpd_line(ln) for ln in lines if ln.strip()]
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("\n".join([_HEADER, *checked]) + "\n", encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)
    return checked


def render(context: str, lines: list[str]) -> str:
    """A host-service context as the running config shows it."""
    return "\n".join([context, *(f" {ln}" for ln in lines), "exit", "!"]) + "\n"
