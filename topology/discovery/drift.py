"""Intended links against LLDP neighbours: discovered, missing, miswired and unexpected.

Each end of an intended link is judged from the neighbour table of its own device:

* ``confirmed``  the expected peer device (and port, when the peer reports one) is there;
* ``wrong``      someone else is on that interface (the cable goes elsewhere);
* ``absent``     nobody is on that interface;
* ``not_polled`` the device's table could not be read.

A link is ``miswired`` when an end sees the wrong neighbour, ``discovered`` when an end
confirms it and none is wrong, ``missing`` when every polled end is empty, ``unknown`` when
neither end was read. Neighbours on interfaces that no intended link uses are *unexpected*,
except servers of the device's own site (they hang off the site LAN by design) and
interfaces matching ``ignore_interfaces`` (management ports).

Remote devices are recognised by LLDP system name (case-insensitive, domain stripped), else
by a management address the inventory knows (management, loopback or link address).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from inventory.catalog import Inventory
from inventory.models import Role

from .interfaces import interface_key
from .models import DeviceNeighbors, Neighbor

DEFAULT_IGNORED_INTERFACES: tuple[str, ...] = (
    "mgmt*",
    "meth*",
    "m-gigabitethernet*",
    "management*",
    "lo",
)


class LinkState(StrEnum):
    discovered = "discovered"
    missing = "missing"
    miswired = "miswired"
    unknown = "unknown"


class EndVerdict(StrEnum):
    confirmed = "confirmed"
    wrong = "wrong"
    absent = "absent"
    not_polled = "not_polled"


class Record(BaseModel):
    model_config = ConfigDict(frozen=True)


class Seen(Record):
    """One neighbour as reported, recognised as an inventory device and interface if it can
    be (``port`` stays None when the reported port is no interface the inventory knows, e.g.
    a MAC-address port ID, and is then not compared)."""

    system: str | None
    device: str | None
    port: str | None
    reported_port: str | None = None

    def __str__(self) -> str:
        who = self.device or self.system or "?"
        return f"{who} {self.port or self.reported_port or '?'}"


class EndReport(Record):
    device: str
    interface: str
    verdict: EndVerdict
    seen: list[Seen] = []


class LinkReport(Record):
    link: str
    kind: str
    plane: str
    site: str
    site_name: str
    tier: str
    state: LinkState
    a: EndReport
    b: EndReport


class Unexpected(Record):
    device: str
    interface: str
    neighbor: Seen
    both_ends: bool = False  # the far end (an inventory device) reports it too


class DeviceStatus(Record):
    device: str
    source: str
    ok: bool
    neighbors: int
    error: str | None = None


class DriftReport(Record):
    inventory: str
    links: list[LinkReport]
    unexpected: list[Unexpected]
    devices: list[DeviceStatus]

    def links_in(self, state: LinkState) -> list[LinkReport]:
        return [lk for lk in self.links if lk.state is state]

    @property
    def counts(self) -> dict[str, int]:
        """Drift by kind, every kind present (0 included) for stable metrics."""
        return {
            "missing": len(self.links_in(LinkState.missing)),
            "miswired": len(self.links_in(LinkState.miswired)),
            "unexpected": len(self.unexpected),
        }

    @property
    def clean(self) -> bool:
        """No drift, no unread device and no link left unknown."""
        return (
            not any(self.counts.values())
            and all(d.ok for d in self.devices)
            and not self.links_in(LinkState.unknown)
        )


@dataclass
class _Resolver:
    """Recognises an LLDP neighbour as an inventory device."""

    inv: Inventory
    by_name: dict[str, str] = field(default_factory=dict)
    by_address: dict[str, str] = field(default_factory=dict)

    ports: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for dev in self.inv.devices:
            self.ports[dev.name] = {interface_key(i.name): i.name for i in dev.interfaces}
            self.by_name[dev.name.lower()] = dev.name
            for addr in (dev.mgmt_address, dev.loopback):
                if addr is not None:
                    self.by_address[str(addr)] = dev.name
            if dev.lan_address is not None:
                self.by_address[str(dev.lan_address.ip)] = dev.name
        for link in self.inv.links:
            for end in (link.a, link.b):
                self.ports[end.device].setdefault(interface_key(end.interface), end.interface)
                if end.address is not None:
                    self.by_address[str(end.address.ip)] = end.device

    def port(self, device: str | None, name: str | None) -> str | None:
        """The inventory's name for ``device``'s interface ``name``, if it has one."""
        if device is None or name is None:
            return None
        return self.ports.get(device, {}).get(interface_key(name))

    def device(self, neighbor: Neighbor) -> str | None:
        system = (neighbor.remote_system or "").strip().lower()
        if system:
            found = self.by_name.get(system) or self.by_name.get(system.split(".")[0])
            if found:
                return found
        if neighbor.remote_mgmt_address:
            return self.by_address.get(neighbor.remote_mgmt_address.strip())
        return None


@dataclass
class _Port:
    """What one local interface reported (its name as the device printed it)."""

    name: str
    seen: list[Seen] = field(default_factory=list)


def compare(
    inv: Inventory,
    readings: Sequence[DeviceNeighbors],
    ignore_interfaces: Sequence[str] = DEFAULT_IGNORED_INTERFACES,
    aliases: Mapping[str, Mapping[str, str]] | None = None,
) -> DriftReport:
    """Judge every intended link with an end among the devices read, list unexpected
    neighbours.

    ``aliases`` maps, per device, interface names as the device reports them to inventory
    names (the lab gives production names like ``GigabitEthernet0/0/1`` short Linux names).
    """
    resolver = _Resolver(inv)
    renames = {
        dev: {interface_key(k): v for k, v in names.items()}
        for dev, names in (aliases or {}).items()
    }

    def inventory_name(device: str | None, name: str) -> str:
        if device is None:
            return name
        return renames.get(device, {}).get(interface_key(name), name)

    polled = {r.device for r in readings if r.ok}
    ports: dict[tuple[str, str], _Port] = {}
    for reading in readings:
        for nb in reading.neighbors:
            local = inventory_name(reading.device, nb.local_interface)
            peer = resolver.device(nb)
            reported = nb.remote_port
            port = resolver.port(peer, None if reported is None else inventory_name(peer, reported))
            key = (reading.device, interface_key(local))
            ports.setdefault(key, _Port(local)).seen.append(
                Seen(system=nb.remote_system, device=peer, port=port, reported_port=reported)
            )

    asked = {r.device for r in readings}
    used: set[tuple[str, str]] = set()
    reports: list[LinkReport] = []
    for link in inv.links:
        if link.a.device not in asked and link.b.device not in asked:
            continue  # neither end was asked about: not part of this discovery
        ends: list[EndReport] = []
        for here, there in ((link.a, link.b), (link.b, link.a)):
            key = (here.device, interface_key(here.interface))
            used.add(key)
            entry = ports.get(key)
            ends.append(
                _judge(
                    here.device,
                    here.interface,
                    peer=there.device,
                    peer_interface=there.interface,
                    polled=here.device in polled,
                    seen=entry.seen if entry else [],
                )
            )
        site = inv.served_site(link)
        reports.append(
            LinkReport(
                link=link.id,
                kind=link.kind.value,
                plane=link.plane.value,
                site=site.id,
                site_name=site.name,
                tier=site.tier.value,
                state=_state(ends[0].verdict, ends[1].verdict),
                a=ends[0],
                b=ends[1],
            )
        )
    devices = [
        DeviceStatus(
            device=r.device, source=r.source, ok=r.ok, neighbors=len(r.neighbors), error=r.error
        )
        for r in readings
    ]
    return DriftReport(
        inventory=str(inv.root),
        links=reports,
        unexpected=_unexpected(inv, ports, used, ignore_interfaces),
        devices=devices,
    )


def _judge(
    device: str, interface: str, *, peer: str, peer_interface: str, polled: bool, seen: list[Seen]
) -> EndReport:
    if not polled:
        verdict = EndVerdict.not_polled
    elif not seen:
        verdict = EndVerdict.absent
    elif any(_is_expected(s, peer, peer_interface) for s in seen):
        verdict = EndVerdict.confirmed
    else:
        verdict = EndVerdict.wrong
    return EndReport(device=device, interface=interface, verdict=verdict, seen=seen)


def _is_expected(seen: Seen, peer: str, peer_interface: str) -> bool:
    if seen.device != peer:
        return False
    return seen.port is None or interface_key(seen.port) == interface_key(peer_interface)


def _state(a: EndVerdict, b: EndVerdict) -> LinkState:
    verdicts = {a, b}
    if EndVerdict.wrong in verdicts:
        return LinkState.miswired
    if EndVerdict.confirmed in verdicts:
        return LinkState.discovered
    if EndVerdict.absent in verdicts:
        return LinkState.missing
    return LinkState.unknown


def _unexpected(
    inv: Inventory,
    ports: dict[tuple[str, str], _Port],
    used: set[tuple[str, str]],
    ignore: Sequence[str],
) -> list[Unexpected]:
    out: list[Unexpected] = []
    reported: dict[frozenset[tuple[str, str]], int] = {}
    for (device, key), port in sorted(ports.items()):
        if (device, key) in used or _ignored(port.name, ignore):
            continue
        site = inv.device(device).site
        for seen in port.seen:
            peer = inv.device_by_name.get(seen.device or "")
            if peer is not None and peer.role is Role.server and peer.site == site:
                continue
            far = interface_key(seen.port or seen.reported_port or "?")
            pair = frozenset({(device, key), (seen.device or "?", far)})
            if pair in reported:  # the far end saw the same cable
                out[reported[pair]] = out[reported[pair]].model_copy(update={"both_ends": True})
                continue
            reported[pair] = len(out)
            out.append(Unexpected(device=device, interface=port.name, neighbor=seen))
    return out


def _ignored(name: str, patterns: Sequence[str]) -> bool:
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, p.lower()) for p in patterns)
