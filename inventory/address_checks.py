"""Address checks: usable host addresses, inside their prefixes, each used once."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from base.errors import InventoryError

from .catalog import Inventory
from .checking import Unvalidated, err
from .models import LinkEnd

_THIS_NETWORK = ipaddress.IPv4Network("0.0.0.0/8")
_LIMITED_BROADCAST = ipaddress.IPv4Address("255.255.255.255")


def unusable(addr: ipaddress.IPv4Address, *, loopback_ok: bool = False) -> str | None:
    """What makes ``addr`` unusable as a device's or server's address, or None.

    ``loopback_ok``: a management address may be in 127.0.0.0/8, where the simulated devices
    of this machine listen (snmpsim agents, fake SSH devices); an interface's may not.
    """
    if addr.is_unspecified:
        return "the unspecified address"
    if addr in _THIS_NETWORK:
        return "in 0.0.0.0/8 ('this network')"
    if addr.is_loopback and not loopback_ok:
        return "a loopback address (127.0.0.0/8)"
    if addr.is_multicast:
        return "a multicast address (224.0.0.0/4)"
    if addr == _LIMITED_BROADCAST:
        return "the limited broadcast address"
    if addr.is_reserved:
        return "in the reserved block 240.0.0.0/4"
    if addr.is_link_local:
        return "a link-local address (169.254.0.0/16)"
    return None


def host_problem(iface: ipaddress.IPv4Interface) -> str | None:
    """Like :func:`unusable`, and the network and broadcast addresses of its subnet (< /31)."""
    reason = unusable(iface.ip)
    if reason is not None:
        return reason
    net = iface.network
    if net.prefixlen < 31:
        if iface.ip == net.network_address:
            return f"the network address of {net}"
        if iface.ip == net.broadcast_address:
            return f"the broadcast address of {net}"
    return None


def _unusable_message(addr: object, reason: str) -> str:
    return f"{addr} is {reason}, not a usable host address"


def usable_addresses(inv: Inventory, skip: Unvalidated) -> Iterator[InventoryError]:
    for dev in inv.devices:
        for name in ("mgmt_address", "loopback"):
            addr: ipaddress.IPv4Address | None = getattr(dev, name)
            if addr is not None and (reason := unusable(addr, loopback_ok=True)) is not None:
                yield err(inv, "device", dev.name, name, msg=_unusable_message(addr, reason))
        if dev.lan_address is not None and (reason := host_problem(dev.lan_address)):
            yield err(
                inv,
                "device",
                dev.name,
                "lan_address",
                msg=_unusable_message(dev.lan_address, reason),
            )
    for link in inv.links:
        for side in ("a", "b"):
            end: LinkEnd = getattr(link, side)
            if end.address is not None and (reason := host_problem(end.address)):
                yield err(
                    inv,
                    "link",
                    link.id,
                    side,
                    "address",
                    msg=_unusable_message(end.address, reason),
                )
    if skip.policy:
        return
    management = inv.policy.management
    for name in ("syslog_servers", "ntp_servers"):
        servers: list[ipaddress.IPv4Address] = getattr(management, name)
        for index, addr in enumerate(servers):
            if (reason := unusable(addr)) is not None:
                yield err(
                    inv,
                    "policy",
                    "policy",
                    "management",
                    name,
                    index,
                    msg=_unusable_message(addr, reason),
                )


def lan_addresses(inv: Inventory, skip: Unvalidated) -> Iterator[InventoryError]:
    """A server's ``lan_address`` lies in its site's ``lan_prefix``, and is not the gateway."""
    for site in inv.sites:
        prefix = site.lan_prefix
        if prefix is not None and (reason := unusable(prefix.network_address)) is not None:
            yield err(inv, "site", site.id, "lan_prefix", msg=f"{prefix} is {reason}, not a LAN")
    for dev in inv.devices:
        address = dev.lan_address
        home = inv.site_by_id.get(dev.site)
        if address is None or home is None:
            continue
        prefix = home.lan_prefix
        if prefix is None:
            yield err(
                inv,
                "device",
                dev.name,
                "lan_address",
                msg=f"site {home.id!r} has no lan_prefix to hold {address}",
            )
        elif address.ip not in prefix:
            yield err(
                inv,
                "device",
                dev.name,
                "lan_address",
                msg=f"{address.ip} is outside site {home.id!r}'s lan_prefix {prefix}",
            )
        elif address.network != prefix:
            yield err(
                inv,
                "device",
                dev.name,
                "lan_address",
                msg=f"{address} has another prefix length than site {home.id!r}'s {prefix}",
            )
        elif prefix.num_addresses > 2 and address.ip == prefix.network_address + 1:
            yield err(
                inv,
                "device",
                dev.name,
                "lan_address",
                msg=f"{address.ip} is the gateway of site {home.id!r} (the first host of {prefix})",
            )


def unique_addresses(inv: Inventory, skip: Unvalidated) -> Iterator[InventoryError]:
    owners: dict[ipaddress.IPv4Address, str] = {}

    def claim(addr: ipaddress.IPv4Address, owner: str) -> str | None:
        previous = owners.get(addr)
        if previous is None:
            owners[addr] = owner
        return previous

    for dev in inv.devices:
        for field_name in ("mgmt_address", "loopback"):
            addr = getattr(dev, field_name)
            if addr is None:
                continue
            previous = claim(addr, f"{dev.name}.{field_name}")
            if previous is not None:
                yield err(
                    inv,
                    "device",
                    dev.name,
                    field_name,
                    msg=f"duplicate address {addr} (also {previous})",
                )
    for link in inv.links:
        for side in ("a", "b"):
            end: LinkEnd = getattr(link, side)
            if end.address is None:
                continue
            previous = claim(end.address.ip, f"{link.id}.{side}")
            if previous is not None:
                yield err(
                    inv,
                    "link",
                    link.id,
                    side,
                    "address",
                    msg=f"duplicate address {end.address.ip} (also {previous})",
                )


def link_subnets(inv: Inventory, skip: Unvalidated) -> Iterator[InventoryError]:
    for link in inv.links:
        a, b = link.a.address, link.b.address
        if a and b and a.network != b.network:
            yield err(
                inv,
                "link",
                link.id,
                "b",
                "address",
                msg=f"{b} is outside the a end's subnet {a.network}",
            )
