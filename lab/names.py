"""Every name the lab gives to a kernel object, decided in one place.

The lab's objects are global on the machine (namespaces, the management bridge), so their
names carry fixed prefixes that nothing else uses; :func:`is_lab_namespace` and the
``HOST_PORT_PREFIX`` let ``down --sweep`` find a crashed lab's leftovers without its state.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Iterable

from routeguard.routes import MGMT_BRIDGE as MGMT_BRIDGE  # noqa: PLC0414 - the guard owns it

#: Prefix of every device's network namespace: device ``core1`` lives in ``eg-core1``.
NAMESPACE_PREFIX = "eg-"
#: The namespace holding the physical layer: carrier circuits and site LAN switches.
FABRIC_NAMESPACE = "egfabric"
#: The management bridge in the root namespace and the host's address on it.
HOST_MGMT_INTERFACE = ipaddress.IPv4Interface("172.31.255.254/16")
MGMT_NETWORK = HOST_MGMT_INTERFACE.network
#: Root-namespace ends of the management veths start with this.
HOST_PORT_PREFIX = "egm"
#: Interface names inside every device namespace that the lab reserves.
MGMT_IFNAME = "mgmt0"
LAN_IFNAME = "lan0"
SERVER_LAN_IFNAME = "eth0"
RESERVED_IFNAMES = frozenset({"lo", MGMT_IFNAME, LAN_IFNAME})

IFNAME_MAX = 15
_BAD_IFNAME = re.compile(r"[/:\s]")
_ALPHA_HEAD = re.compile(r"^([0-9]*[A-Za-z][A-Za-z-]*?)-?([0-9].*)$")


def namespace(device: str) -> str:
    """The network namespace of a device or server: ``eg-<name>``."""
    return NAMESPACE_PREFIX + device


def is_lab_namespace(name: str) -> bool:
    return name.startswith(NAMESPACE_PREFIX) or name == FABRIC_NAMESPACE


def short_hash(key: str, length: int = 8) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:length]


def host_port(device: str) -> str:
    """The root-namespace end of a device's management veth (enslaved to the bridge)."""
    return HOST_PORT_PREFIX + short_hash(device)


def fabric_port(link_id: str, end: str) -> str:
    """The fabric-side end of a link's veth toward its ``a`` or ``b`` device."""
    return "w" + short_hash(link_id) + end


def lan_switch(site_id: str) -> str:
    """The bridge in the fabric namespace that is a site's LAN switch."""
    return "s" + short_hash(site_id)


def lan_switch_port(node: str) -> str:
    """The fabric-side end of a node's LAN veth, a port of its site's LAN switch."""
    return "p" + short_hash(node)


def is_valid_ifname(name: str) -> bool:
    """Linux accepts 1-15 bytes without '/', ':' or whitespace, and not '.' or '..'."""
    return (
        0 < len(name.encode("utf-8")) <= IFNAME_MAX
        and not _BAD_IFNAME.search(name)
        and name not in {".", ".."}
    )


def derive_ifname(name: str) -> str:
    """A short, deterministic Linux name for a production interface name.

    A short type stays whole, a long one keeps two letters, numbers keep their digits:
    ``10GE1/0/1`` -> ``10ge1-0-1``, ``GE0/0/1`` -> ``ge0-0-1``, ``GigabitEthernet0/0/1`` ->
    ``gi0-0-1``, ``Ten-GigabitEthernet1/0/49`` -> ``te1-0-49``. Anything that still does not
    fit becomes ``if`` + 8 hex digits of its hash.
    """
    match = _ALPHA_HEAD.match(name)
    if match:
        head, rest = match.groups()
        kind = head.replace("-", "").lower()
        kind = kind if len(kind) <= 5 else kind[:2]
        candidate = kind + re.sub(r"[/:.\s]+", "-", rest)
        if is_valid_ifname(candidate):
            return candidate
    return "if" + short_hash(name)


def assign_ifnames(names: Iterable[str]) -> dict[str, str]:
    """Linux names for one device's interfaces: valid names kept, others derived, no clash.

    Names the lab reserves (``lo``, ``mgmt0``, ``lan0``) are derived too, so an inventory
    interface never collides with the lab's own.
    """
    ordered = list(dict.fromkeys(names))
    taken = set(RESERVED_IFNAMES)
    out: dict[str, str] = {}
    keep = [n for n in ordered if is_valid_ifname(n) and n not in RESERVED_IFNAMES]
    taken.update(keep)
    for name in ordered:
        if name in keep:
            out[name] = name
            continue
        candidate = derive_ifname(name)
        if candidate in taken:
            candidate = "if" + short_hash(name)
        suffix = 0
        while candidate in taken:
            suffix += 1
            candidate = "if" + short_hash(f"{name}#{suffix}")
        taken.add(candidate)
        out[name] = candidate
    return out
