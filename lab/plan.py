"""What the lab will build from an inventory: a pure, typed plan (no system calls).

Every check that can reject the inventory happens here, before anything on the machine is
touched, and every rejection names the file, line and field it comes from.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

from base.errors import InventoryError, InventoryErrors
from inventory.catalog import Inventory
from inventory.models import Device, Link, LinkKind, Platform, Role

from . import names


@dataclass(frozen=True)
class Port:
    """One end of an inventory link, as an interface inside a device namespace."""

    device: str
    link_id: str
    inventory_name: str
    ifname: str
    address: ipaddress.IPv4Interface
    fabric_ifname: str
    peer_device: str
    peer_inventory_name: str


@dataclass(frozen=True)
class PlannedLink:
    id: str
    kind: LinkKind
    a: Port
    b: Port
    #: Committed rate the carrier enforces (access circuits only), in Mbps.
    shaped_mbps: int | None
    description: str


@dataclass(frozen=True)
class Endpoint:
    """An HTTP health endpoint the lab serves, inside the namespace of a site's gateway."""

    url: str
    host: ipaddress.IPv4Address
    port: int
    path: str
    site: str
    device: str


@dataclass(frozen=True)
class Lan:
    """A site LAN: a switch in the fabric, the gateway device's ``lan0``, servers' ``eth0``."""

    site: str
    prefix: ipaddress.IPv4Network
    gateway_device: str
    gateway: ipaddress.IPv4Interface
    switch: str
    servers: tuple[str, ...]
    endpoints: tuple[Endpoint, ...]


@dataclass(frozen=True)
class Node:
    """A device or server: one namespace, one management veth, its ports and daemons."""

    name: str
    site: str
    role: Role
    namespace: str
    mgmt: ipaddress.IPv4Interface
    host_port: str
    loopback: ipaddress.IPv4Address | None
    ports: tuple[Port, ...]
    #: The LAN this node is the gateway of (site device) or a host on (server).
    lan_site: str | None
    lan_address: ipaddress.IPv4Interface | None
    lan_fabric_ifname: str | None
    snmp_engine_id: str
    device: Device = field(repr=False)
    #: the vendor platform whose emulation answers the management address (the profile's
    #: ``keep_platform``), or None: sshd and the FRR device agent answer there
    emulation: Platform | None = None

    @property
    def is_server(self) -> bool:
        return self.role is Role.server

    @property
    def router_id(self) -> ipaddress.IPv4Address:
        if self.loopback is not None:
            return self.loopback
        if self.ports:
            return self.ports[0].address.ip
        return self.mgmt.ip

    def port(self, inventory_name: str) -> Port:
        return next(p for p in self.ports if p.inventory_name == inventory_name)


@dataclass(frozen=True)
class LabPlan:
    profile: str
    nodes: tuple[Node, ...]
    links: tuple[PlannedLink, ...]
    lans: tuple[Lan, ...]

    @property
    def namespaces(self) -> list[str]:
        return [names.FABRIC_NAMESPACE, *(n.namespace for n in self.nodes)]

    @property
    def routers(self) -> list[Node]:
        return [n for n in self.nodes if not n.is_server]

    @property
    def servers(self) -> list[Node]:
        return [n for n in self.nodes if n.is_server]

    @property
    def endpoints(self) -> list[Endpoint]:
        return [e for lan in self.lans for e in lan.endpoints]

    def node(self, name: str) -> Node:
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(name)

    def link(self, link_id: str) -> PlannedLink:
        for link in self.links:
            if link.id == link_id:
                return link
        raise KeyError(link_id)

    def lan_of(self, site: str) -> Lan | None:
        return next((lan for lan in self.lans if lan.site == site), None)


def snmp_engine_id(device: str) -> str:
    """The device's SNMP engine ID (hex): net-snmp's enterprise prefix + a name hash."""
    return "80001f8805" + names.short_hash(device, 24)


def _describe(inv: Inventory, link: Link) -> str:
    parts = [f"{link.id} {link.kind.value} {link.committed_mbps}M"]
    if link.carrier:
        parts.append(link.carrier)
    if link.circuit_id:
        parts.append(link.circuit_id)
    return " ".join(parts)


def plan_lab(inv: Inventory) -> LabPlan:
    """Turn a validated inventory into the lab's plan; raise every problem at once."""
    errors: list[InventoryError] = []

    def err(kind: str, key: str, *sub: str | int, msg: str) -> None:
        errors.append(InventoryError(inv.location(kind, key, *sub), msg))

    _check_mgmt(inv, err)
    ifnames = _ifnames(inv)
    ports: dict[str, list[Port]] = {d.name: [] for d in inv.devices}
    links: list[PlannedLink] = []
    for link in inv.links:
        if link.a.address is None or link.b.address is None:
            end = "a" if link.a.address is None else "b"
            err("link", link.id, end, "address", msg="the lab needs an address on both ends")
            continue
        if inv.device(link.a.device).role is Role.server or (
            inv.device(link.b.device).role is Role.server
        ):
            err("link", link.id, msg="servers attach to their site LAN, not to links")
            continue
        pa = Port(
            device=link.a.device,
            link_id=link.id,
            inventory_name=link.a.interface,
            ifname=ifnames[link.a.device][link.a.interface],
            address=link.a.address,
            fabric_ifname=names.fabric_port(link.id, "a"),
            peer_device=link.b.device,
            peer_inventory_name=link.b.interface,
        )
        pb = Port(
            device=link.b.device,
            link_id=link.id,
            inventory_name=link.b.interface,
            ifname=ifnames[link.b.device][link.b.interface],
            address=link.b.address,
            fabric_ifname=names.fabric_port(link.id, "b"),
            peer_device=link.a.device,
            peer_inventory_name=link.a.interface,
        )
        ports[link.a.device].append(pa)
        ports[link.b.device].append(pb)
        links.append(
            PlannedLink(
                id=link.id,
                kind=link.kind,
                a=pa,
                b=pb,
                shaped_mbps=link.committed_mbps if link.kind is LinkKind.access else None,
                description=_describe(inv, link),
            )
        )
    lans = _lans(inv, err)
    lan_of_node: dict[str, tuple[Lan, ipaddress.IPv4Interface]] = {}
    for lan in lans:
        lan_of_node[lan.gateway_device] = (lan, lan.gateway)
        for server in lan.servers:
            address = inv.device(server).lan_address
            assert address is not None
            lan_of_node[server] = (lan, address)
    nodes: list[Node] = []
    for dev in inv.devices:
        lan_entry = lan_of_node.get(dev.name)
        nodes.append(
            Node(
                name=dev.name,
                site=dev.site,
                role=dev.role,
                namespace=names.namespace(dev.name),
                mgmt=ipaddress.IPv4Interface(f"{dev.mgmt_address}/{names.MGMT_NETWORK.prefixlen}"),
                host_port=names.host_port(dev.name),
                loopback=dev.loopback,
                ports=tuple(ports[dev.name]),
                lan_site=lan_entry[0].site if lan_entry else None,
                lan_address=lan_entry[1] if lan_entry else None,
                lan_fabric_ifname=names.lan_switch_port(dev.name) if lan_entry else None,
                snmp_engine_id=snmp_engine_id(dev.name),
                device=dev,
                emulation=dev.platform if dev.name in inv.profile.keep_platform else None,
            )
        )
    _check_unique_names(inv, err)
    if errors:
        raise InventoryErrors(errors)
    return LabPlan(profile=inv.profile.name, nodes=tuple(nodes), links=tuple(links), lans=lans)


def _ifnames(inv: Inventory) -> dict[str, dict[str, str]]:
    wanted: dict[str, list[str]] = {d.name: [i.name for i in d.interfaces] for d in inv.devices}
    for link in inv.links:
        for end in (link.a, link.b):
            wanted.setdefault(end.device, []).append(end.interface)
    return {dev: names.assign_ifnames(ifs) for dev, ifs in wanted.items()}


def _check_mgmt(inv: Inventory, err: _Err) -> None:
    seen: dict[ipaddress.IPv4Address, str] = {}
    net = names.MGMT_NETWORK
    for dev in inv.devices:
        addr = dev.mgmt_address
        if addr not in net or addr in {net.network_address, net.broadcast_address}:
            err("device", dev.name, "mgmt_address", msg=f"the lab needs a host address in {net}")
        elif addr == names.HOST_MGMT_INTERFACE.ip:
            err("device", dev.name, "mgmt_address", msg=f"{addr} is the lab host's own address")
        elif addr in seen:
            err("device", dev.name, "mgmt_address", msg=f"{addr} is also {seen[addr]}'s address")
        else:
            seen[addr] = dev.name


def _check_unique_names(inv: Inventory, err: _Err) -> None:
    seen: dict[str, str] = {}
    for link in inv.links:
        for end in ("a", "b"):
            name = names.fabric_port(link.id, end)
            if name in seen:
                err("link", link.id, msg=f"lab name clash with {seen[name]}; rename the link")
            seen[name] = link.id


def _lans(inv: Inventory, err: _Err) -> tuple[Lan, ...]:
    endpoints = _endpoints(inv, err)
    lans: list[Lan] = []
    for site in inv.sites:
        servers = [d for d in inv.devices_at(site.id) if d.role is Role.server]
        if site.lan_prefix is None:
            for srv in servers:
                err("device", srv.name, "site", msg=f"site {site.id} has no lan_prefix")
            continue
        gateways = [d for d in inv.devices_at(site.id) if d.role is not Role.server]
        site_endpoints = tuple(e for e in endpoints if e.host in site.lan_prefix)
        if not gateways:
            if servers or site_endpoints:
                err("site", site.id, "lan_prefix", msg="no network device at the site holds it")
            continue
        gateway = ipaddress.IPv4Interface(
            f"{next(site.lan_prefix.hosts())}/{site.lan_prefix.prefixlen}"
        )
        for srv in servers:
            if srv.lan_address is None:
                err("device", srv.name, "lan_address", msg="a lab server needs a LAN address")
            elif srv.lan_address.network != site.lan_prefix:
                err("device", srv.name, "lan_address", msg=f"not in {site.lan_prefix}")
            elif srv.lan_address.ip == gateway.ip:
                err("device", srv.name, "lan_address", msg=f"{gateway.ip} is the site gateway")
        lans.append(
            Lan(
                site=site.id,
                prefix=site.lan_prefix,
                gateway_device=gateways[0].name,
                gateway=gateway,
                switch=names.lan_switch(site.id),
                servers=tuple(s.name for s in servers if s.lan_address is not None),
                endpoints=tuple(
                    Endpoint(
                        url=e.url,
                        host=e.host,
                        port=e.port,
                        path=e.path,
                        site=site.id,
                        device=gateways[0].name,
                    )
                    for e in site_endpoints
                ),
            )
        )
    placed = {e.url for lan in lans for e in lan.endpoints}
    for index, e in enumerate(endpoints):
        if e.url not in placed:
            err(
                "profile",
                "profile",
                "lab_endpoints",
                index,
                msg=f"{e.host} is in no site's lan_prefix (with a network device)",
            )
    return tuple(lans)


def _endpoints(inv: Inventory, err: _Err) -> list[Endpoint]:
    out: list[Endpoint] = []
    seen: set[tuple[ipaddress.IPv4Address, int, str]] = set()
    for index, url in enumerate(inv.profile.lab_endpoints):
        parts = urlsplit(url)
        try:
            host = ipaddress.IPv4Address(parts.hostname or "")
            port = parts.port or 80
        except ValueError:
            err("profile", "profile", "lab_endpoints", index, msg=f"{url!r}: need http://IPv4")
            continue
        if parts.scheme != "http":
            err("profile", "profile", "lab_endpoints", index, msg=f"{url!r}: only http is served")
            continue
        key = (host, port, parts.path or "/")
        if key in seen:
            err("profile", "profile", "lab_endpoints", index, msg=f"{url!r} listed twice")
            continue
        seen.add(key)
        out.append(Endpoint(url, host, port, parts.path or "/", site="", device=""))
    return out


class _Err(Protocol):
    """The error callback of :func:`plan_lab`: where (kind, key, sub-fields) and what."""

    def __call__(self, kind: str, key: str, *sub: str | int, msg: str) -> None: ...
