"""Crawl the management network from seed devices over SNMP: sysName, interfaces and their
addresses (IF-MIB, IP-MIB), neighbours from LLDP-MIB, then each neighbour's advertised
management address in turn.

LLDP-MIB (IEEE 802.1AB, numeric OIDs; Debian ships no MIB files)::

    lldpLocPortId     1.0.8802.1.1.2.1.3.7.1.3.<localPortNum>
    lldpRemPortId     1.0.8802.1.1.2.1.4.1.1.7.<timeMark>.<localPortNum>.<remIndex>
    lldpRemSysName    1.0.8802.1.1.2.1.4.1.1.9.<timeMark>.<localPortNum>.<remIndex>
    lldpRemManAddr... 1.0.8802.1.1.2.1.4.2.1.3.<timeMark>.<localPortNum>.<remIndex>.1.4.<a.b.c.d>

Every address is passed to ``allow`` before anything is sent to it (the route guard):
a seed it refuses stops the crawl, a neighbour it refuses is listed and left alone.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field

from base.errors import DiscoveryError, EgovnetError
from collectors.oids import IF_NAME, SYS_NAME

from .snmpwalk import Varbind, Walker

SYS_DESCR = "1.3.6.1.2.1.1.1.0"
IF_HIGH_SPEED = "1.3.6.1.2.1.31.1.1.1.15"
IP_AD_ENT_IF_INDEX = "1.3.6.1.2.1.4.20.1.2"
IP_AD_ENT_NET_MASK = "1.3.6.1.2.1.4.20.1.3"
LLDP_LOC_PORT_ID = "1.0.8802.1.1.2.1.3.7.1.3"
LLDP_REM_PORT_ID = "1.0.8802.1.1.2.1.4.1.1.7"
LLDP_REM_SYS_NAME = "1.0.8802.1.1.2.1.4.1.1.9"
LLDP_REM_MAN_ADDR_IF_SUBTYPE = "1.0.8802.1.1.2.1.4.2.1.3"
#: A district has ~100 devices, a city ~2,500: a crawl past this is walking someone else's net.
MAX_DEVICES = 5000
PARALLEL = 16


@dataclass(frozen=True)
class FoundInterface:
    index: int
    name: str
    speed_mbps: int | None = None
    addresses: tuple[ipaddress.IPv4Interface, ...] = ()


@dataclass(frozen=True)
class FoundNeighbor:
    local_port: str
    system_name: str
    port: str
    management_address: str | None = None


@dataclass(frozen=True)
class FoundDevice:
    """One device as it describes itself, reached at ``address``."""

    address: str
    sys_name: str
    sys_descr: str
    interfaces: tuple[FoundInterface, ...]
    neighbors: tuple[FoundNeighbor, ...]
    depth: int = 0

    def interface(self, name: str) -> FoundInterface | None:
        return next((i for i in self.interfaces if i.name == name), None)


@dataclass
class CrawlResult:
    devices: list[FoundDevice] = field(default_factory=list)
    #: addresses that did not answer, and why
    failed: dict[str, str] = field(default_factory=dict)
    #: neighbour addresses the route guard would not let us send to, and why
    refused: dict[str, str] = field(default_factory=dict)


def text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").strip("\x00").strip()
    return str(value).strip()


def _suffix(oid: str, base: str) -> list[int]:
    rest = oid[len(base) :].lstrip(".")
    return [int(p) for p in rest.split(".")] if rest else []


def _as_int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def parse_interfaces(
    names: list[Varbind], speeds: list[Varbind], ip_index: list[Varbind], masks: list[Varbind]
) -> tuple[FoundInterface, ...]:
    by_index: dict[int, str] = {}
    for oid, value in names:
        index = _suffix(oid, IF_NAME)
        if len(index) == 1:
            by_index[index[0]] = text(value)
    speed = {i[0]: _as_int(v) for o, v in speeds if len(i := _suffix(o, IF_HIGH_SPEED)) == 1}
    mask = {".".join(map(str, _suffix(o, IP_AD_ENT_NET_MASK))): text(v) for o, v in masks}
    addresses: dict[int, list[ipaddress.IPv4Interface]] = {}
    for oid, value in ip_index:
        ip = ".".join(map(str, _suffix(oid, IP_AD_ENT_IF_INDEX)))
        if_index = _as_int(value)
        if if_index is None or ip not in mask:
            continue
        try:
            iface = ipaddress.IPv4Interface(f"{ip}/{mask[ip]}")
        except ValueError:
            continue
        addresses.setdefault(if_index, []).append(iface)
    return tuple(
        FoundInterface(i, name, speed.get(i) or None, tuple(addresses.get(i, ())))
        for i, name in sorted(by_index.items())
    )


def parse_neighbors(
    local_ports: list[Varbind],
    rem_ports: list[Varbind],
    rem_names: list[Varbind],
    man_addrs: list[Varbind],
    if_names: dict[int, str],
) -> tuple[FoundNeighbor, ...]:
    local = {}
    for oid, value in local_ports:
        index = _suffix(oid, LLDP_LOC_PORT_ID)
        if len(index) == 1:
            local[index[0]] = text(value)
    names = {tuple(_suffix(o, LLDP_REM_SYS_NAME)): text(v) for o, v in rem_names}
    mgmt: dict[tuple[int, ...], str] = {}
    for oid, _ in man_addrs:
        index = _suffix(oid, LLDP_REM_MAN_ADDR_IF_SUBTYPE)
        if len(index) == 9 and index[3:5] == [1, 4]:  # IPv4: family 1, length 4
            mgmt.setdefault(tuple(index[:3]), ".".join(map(str, index[5:])))
    out: list[FoundNeighbor] = []
    for oid, value in rem_ports:
        key = tuple(_suffix(oid, LLDP_REM_PORT_ID))
        if len(key) != 3 or key not in names:
            continue
        port_num = key[1]
        local_port = local.get(port_num) or if_names.get(port_num) or str(port_num)
        out.append(FoundNeighbor(local_port, names[key], text(value), mgmt.get(key)))
    return tuple(sorted(out, key=lambda n: (n.local_port, n.system_name, n.port)))


async def read_device(walker: Walker, address: str, depth: int = 0) -> FoundDevice:
    """sysName, sysDescr, interfaces with addresses and LLDP neighbours of one device."""
    system = await walker.get(address, [SYS_NAME, SYS_DESCR])
    name = text(system.get(SYS_NAME, b""))
    if not name:
        raise DiscoveryError(f"{address}: no sysName")
    names = await walker.walk(address, IF_NAME)
    speeds = await walker.walk(address, IF_HIGH_SPEED)
    ip_index = await walker.walk(address, IP_AD_ENT_IF_INDEX)
    masks = await walker.walk(address, IP_AD_ENT_NET_MASK)
    interfaces = parse_interfaces(names, speeds, ip_index, masks)
    neighbors = parse_neighbors(
        await walker.walk(address, LLDP_LOC_PORT_ID),
        await walker.walk(address, LLDP_REM_PORT_ID),
        await walker.walk(address, LLDP_REM_SYS_NAME),
        await walker.walk(address, LLDP_REM_MAN_ADDR_IF_SUBTYPE),
        {i.index: i.name for i in interfaces},
    )
    return FoundDevice(
        address, name, text(system.get(SYS_DESCR, b"")), interfaces, neighbors, depth
    )


async def crawl(
    seeds: list[str],
    walker: Walker,
    allow: Callable[[str], None],
    *,
    on_device: Callable[[FoundDevice], None] | None = None,
    max_devices: int = MAX_DEVICES,
) -> CrawlResult:
    """Breadth first from ``seeds``; each device once (by sysName), each address once."""
    for seed in seeds:
        allow(seed)  # a refused seed is the caller's mistake: let it raise
    result = CrawlResult()
    seen_addresses = set(seeds)
    seen_names: set[str] = set()
    level = list(dict.fromkeys(seeds))
    depth = 0
    limit = asyncio.Semaphore(PARALLEL)

    async def one(address: str) -> FoundDevice | None:
        async with limit:
            try:
                return await read_device(walker, address, depth)
            except (TimeoutError, OSError, DiscoveryError, EgovnetError) as exc:
                result.failed[address] = str(exc) or type(exc).__name__
                return None

    while level:
        found = await asyncio.gather(*(one(a) for a in level))
        following: list[str] = []
        for device in found:
            if device is None or device.sys_name in seen_names:
                continue
            seen_names.add(device.sys_name)
            result.devices.append(device)
            if on_device is not None:
                on_device(device)
            for neighbor in device.neighbors:
                address = neighbor.management_address
                if address is None or address in seen_addresses:
                    continue
                if neighbor.system_name in seen_names:
                    continue
                seen_addresses.add(address)
                try:
                    allow(address)
                except EgovnetError as exc:
                    result.refused[address] = str(exc)
                    continue
                following.append(address)
        if len(result.devices) + len(following) > max_devices:
            raise DiscoveryError(f"more than {max_devices} devices: stopped the crawl")
        level = following
        depth += 1
    return result
