"""The intended configuration of one device, platform-independent, built from the inventory.

Templates only format these models; every decision (which interfaces, costs, passive
interfaces, QoS on which circuits, the management baseline) is made here once for all
platforms.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from enum import StrEnum

from inventory.catalog import Inventory
from inventory.models import Device, Link, LinkKind, Plane, Platform, Role, RoutingPolicy

from .platforms import PlatformSpec, platform_spec
from .qos import BEST_EFFORT, POLICY_NAME, QOS_CLASSES, QosClass

#: OSPF costs by plane: traffic takes plane A while it is up (主备平面: A primary, B backup)
OSPF_COST = {Plane.A: 10, Plane.B: 100}
OSPF_AREA = "0.0.0.0"
OSPF_PROCESS = 1
#: BFD on every routed link: 100 ms x 3 detects a failure in 0.3 s
BFD_INTERVAL_MS = 100
BFD_MULTIPLIER = 3
BFD_PROFILE = "egovnet"


class InterfaceRole(StrEnum):
    link = "link"  # one end of an inventory link
    loopback = "loopback"
    lan = "lan"  # the site LAN gateway
    unused = "unused"  # named in the inventory, on no link


@dataclass(frozen=True)
class Shaping:
    """QoS on one access-circuit end: shape to the committed rate, then share by class."""

    committed_mbps: int
    policy: str = POLICY_NAME

    @property
    def kbps(self) -> int:
        return self.committed_mbps * 1000

    @property
    def bps(self) -> int:
        return self.committed_mbps * 1_000_000


@dataclass(frozen=True)
class InterfaceIntent:
    name: str
    role: InterfaceRole
    description: str
    address: ipaddress.IPv4Interface | None = None
    link_id: str | None = None
    plane: str | None = None
    ospf_cost: int | None = None
    ospf_passive: bool = False
    bfd: bool = False
    shaping: Shaping | None = None

    @property
    def network(self) -> ipaddress.IPv4Network | None:
        return self.address.network if self.address else None


@dataclass(frozen=True)
class SnmpV3Intent:
    user: str
    group: str
    auth_protocol: str
    priv_protocol: str
    auth_key_env: str
    priv_key_env: str


@dataclass(frozen=True)
class ManagementIntent:
    """The 等保 level-2 management baseline of a network device."""

    syslog_servers: tuple[str, ...]
    ntp_servers: tuple[str, ...]
    banner: str
    idle_timeout_minutes: int
    login_failures_before_lock: int
    lockout_minutes: int
    snmp: SnmpV3Intent | None


@dataclass(frozen=True)
class OspfIntent:
    process: int
    area: str
    router_id: str | None
    networks: tuple[ipaddress.IPv4Network, ...]
    passive_interfaces: tuple[str, ...]


@dataclass(frozen=True)
class DeviceIntent:
    name: str
    platform: Platform
    production_platform: Platform
    role: Role
    site: str
    site_name: str
    model: str | None
    loopback: ipaddress.IPv4Address | None
    interfaces: tuple[InterfaceIntent, ...]
    ospf: OspfIntent
    management: ManagementIntent
    qos_classes: tuple[QosClass, ...] = QOS_CLASSES
    best_effort: QosClass = BEST_EFFORT
    qos_policy: str = POLICY_NAME
    bfd_interval_ms: int = BFD_INTERVAL_MS
    bfd_multiplier: int = BFD_MULTIPLIER
    bfd_profile: str = BFD_PROFILE
    #: OSPF/BFD timers from ``policy.routing`` (None: the platform default)
    timers: RoutingPolicy = field(default_factory=RoutingPolicy)
    comments: tuple[str, ...] = field(default=())

    @property
    def shaped(self) -> bool:
        return any(i.shaping for i in self.interfaces)

    @property
    def link_interfaces(self) -> tuple[InterfaceIntent, ...]:
        return tuple(i for i in self.interfaces if i.role is InterfaceRole.link)


def network_devices(inv: Inventory) -> list[Device]:
    """Devices automation/ configures: everything but servers."""
    return [d for d in inv.devices if d.platform is not Platform.linux]


def site_gateway(inv: Inventory, site_id: str) -> Device | None:
    """The device holding a site LAN's first address: the site's first network device."""
    return next((d for d in network_devices(inv) if d.site == site_id), None)


def describe(inv: Inventory, link: Link, device: Device) -> str:
    """``[A] 龙归镇 SGWJ-DX-0101 中国电信 to town1 eth1``: plane, site, circuit, carrier, peer.

    Spaces only: ``|`` is a pipe to vtysh and a separator to some vendors' parsers.
    """
    near, far = (link.a, link.b) if link.a.device == device.name else (link.b, link.a)
    del near
    site = inv.served_site(link)
    circuit = link.circuit_id or link.id
    carrier = link.carrier or "自建"
    return f"[{link.plane.value}] {site.name} {circuit} {carrier} to {far.device} {far.interface}"


def build_intent(inv: Inventory, device: Device, platform: Platform | None = None) -> DeviceIntent:
    """The intended configuration of ``device`` on ``platform`` (default: its profile's)."""
    plat = platform or inv.platform(device)
    spec = platform_spec(plat)
    interfaces = [*_link_interfaces(inv, device), *_own_interfaces(inv, device, spec)]
    interfaces.sort(key=lambda i: _iface_order(device, i))
    networks = sorted({i.network for i in interfaces if i.network is not None})
    passive = tuple(i.name for i in interfaces if i.ospf_passive)
    site = inv.site(device.site)
    return DeviceIntent(
        name=device.name,
        platform=plat,
        production_platform=device.platform,
        role=device.role,
        site=site.id,
        site_name=site.name,
        model=device.model,
        loopback=device.loopback,
        interfaces=tuple(interfaces),
        ospf=OspfIntent(
            process=OSPF_PROCESS,
            area=OSPF_AREA,
            router_id=str(device.loopback) if device.loopback else None,
            networks=tuple(networks),
            passive_interfaces=passive,
        ),
        management=_management(inv, device),
        bfd_interval_ms=inv.policy.routing.bfd_interval_ms,
        bfd_multiplier=inv.policy.routing.bfd_multiplier,
        timers=inv.policy.routing,
    )


def build_intents(
    inv: Inventory, names: list[str] | None = None, production: bool = False
) -> list[DeviceIntent]:
    """Intents of every network device (or of ``names``); ``production`` ignores the
    profile's platform override and renders each device for the platform it runs in the
    field."""
    wanted = set(names) if names is not None else None
    return [
        build_intent(inv, d, d.platform if production else None)
        for d in network_devices(inv)
        if wanted is None or d.name in wanted
    ]


def _link_interfaces(inv: Inventory, device: Device) -> list[InterfaceIntent]:
    out: list[InterfaceIntent] = []
    for link in inv.links_of(device.name):
        end = link.a if link.a.device == device.name else link.b
        out.append(
            InterfaceIntent(
                name=end.interface,
                role=InterfaceRole.link,
                description=describe(inv, link, device),
                address=end.address,
                link_id=link.id,
                plane=link.plane.value,
                ospf_cost=OSPF_COST[link.plane],
                bfd=True,
                shaping=Shaping(link.committed_mbps) if link.kind is LinkKind.access else None,
            )
        )
    return out


def _own_interfaces(inv: Inventory, device: Device, spec: PlatformSpec) -> list[InterfaceIntent]:
    site = inv.site(device.site)
    out: list[InterfaceIntent] = []
    if device.loopback is not None:
        out.append(
            InterfaceIntent(
                name=spec.loopback_interface,
                role=InterfaceRole.loopback,
                description=f"{device.name} loopback / router-id",
                address=ipaddress.IPv4Interface(f"{device.loopback}/32"),
                ospf_passive=True,
            )
        )
    gateway = site_gateway(inv, site.id)
    if site.lan_prefix is not None and gateway is not None and gateway.name == device.name:
        first = next(site.lan_prefix.hosts())
        out.append(
            InterfaceIntent(
                name=spec.lan_interface,
                role=InterfaceRole.lan,
                description=f"{site.name} LAN {site.lan_prefix}",
                address=ipaddress.IPv4Interface(f"{first}/{site.lan_prefix.prefixlen}"),
                ospf_passive=True,
            )
        )
    used = {lk.a.interface for lk in inv.links if lk.a.device == device.name}
    used |= {lk.b.interface for lk in inv.links if lk.b.device == device.name}
    for iface in device.interfaces:
        if iface.name not in used:
            out.append(
                InterfaceIntent(
                    name=iface.name,
                    role=InterfaceRole.unused,
                    description=iface.description or "unused / 未使用",
                )
            )
    return out


def _iface_order(device: Device, iface: InterfaceIntent) -> tuple[int, int, str]:
    """Inventory order first, then loopback, then LAN: stable, readable configs."""
    names = [i.name for i in device.interfaces]
    if iface.name in names:
        return (0, names.index(iface.name), iface.name)
    rank = {InterfaceRole.loopback: 1, InterfaceRole.lan: 2}.get(iface.role, 3)
    return (rank, 0, iface.name)


def _management(inv: Inventory, device: Device) -> ManagementIntent:
    mgmt = inv.policy.management
    snmp = None
    profile = inv.snmp_profile_by_name.get(device.snmp_profile)
    if (
        profile is not None
        and profile.version == "v3"
        and profile.user
        and profile.auth_key_env
        and profile.priv_key_env
    ):
        snmp = SnmpV3Intent(
            user=profile.user,
            group="EGOV-NOC",
            auth_protocol=profile.auth_protocol or "SHA",
            priv_protocol=profile.priv_protocol or "AES",
            auth_key_env=profile.auth_key_env,
            priv_key_env=profile.priv_key_env,
        )
    return ManagementIntent(
        syslog_servers=tuple(str(s) for s in mgmt.syslog_servers),
        ntp_servers=tuple(str(s) for s in mgmt.ntp_servers),
        banner=mgmt.banner,
        idle_timeout_minutes=mgmt.idle_timeout_minutes,
        login_failures_before_lock=mgmt.login_failures_before_lock,
        lockout_minutes=mgmt.lockout_minutes,
        snmp=snmp,
    )
