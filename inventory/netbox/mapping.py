"""The mapping between the inventory and NetBox, both ways (docs/engineer.md, "NetBox").

=====================  ==========================================================================
inventory              NetBox
=====================  ==========================================================================
tier                   site group, slug = tier (``town``), name in Chinese (镇街)
site                   site, slug = id; ``address`` = physical address; parent, important and
                       LAN prefix in custom fields ``egovnet_parent`` / ``_important`` /
                       ``_lan_prefix`` (NetBox sites have no parent site)
device                 device with its role (device role, slug = role), platform (slug =
                       platform), device type (model under the platform's manufacturer);
                       addresses and profile names in ``egovnet_*`` custom fields
interface              interface (type ``other``), with its description
link                   cable labelled with the link id between the two interfaces; kind, plane,
                       committed and port rate in ``egovnet_*`` custom fields; each end's
                       address an IP address on its interface
circuit                circuit (cid = ``circuit_id``) of provider ``carrier``, type = link kind,
                       ``commit_rate`` in kbit/s, ``egovnet_link`` = the link id
system                 tenant in tenant group ``information-systems``, slug = id; the rest of
                       the record (department, 等保, migration, hosts) in the JSON custom field
                       ``egovnet_system``
=====================  ==========================================================================
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..catalog import Inventory
from ..models import Device, Interface, Link, LinkEnd, Platform, Site, System, Tier
from .kinds import CABLE_CF, CIRCUIT_CF, DEVICE_CF, KINDS, SITE_CF, TENANT_CF, slugify
from .objects import MARKER, SYNCED_FIELD, TAG_SLUG, Fields, NbObject, State, interface_key

TIER_NAMES = {
    Tier.city: "市级",
    Tier.district_core: "区级核心",
    Tier.cloud: "政务云",
    Tier.department: "区直单位",
    Tier.town: "镇街",
    Tier.village: "村居",
}
MANUFACTURERS = {
    Platform.huawei_vrp: ("huawei", "Huawei"),
    Platform.hp_comware: ("h3c", "H3C"),
    Platform.cisco_ios: ("cisco", "Cisco"),
    Platform.frr: ("frrouting", "FRRouting"),
    Platform.linux: ("generic", "Generic"),
}
UNSPECIFIED_MODEL = "unspecified"
SYSTEMS_GROUP = "information-systems"
KBPS_PER_MBPS = 1000

CUSTOM_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    **dict.fromkeys(SITE_CF, ("text", ("dcim.site",))),
    "egovnet_important": ("boolean", ("dcim.site",)),
    **dict.fromkeys(DEVICE_CF, ("text", ("dcim.device",))),
    "egovnet_kind": ("text", ("dcim.cable",)),
    "egovnet_plane": ("text", ("dcim.cable",)),
    "egovnet_committed_mbps": ("integer", ("dcim.cable",)),
    "egovnet_port_mbps": ("integer", ("dcim.cable",)),
    **dict.fromkeys(CIRCUIT_CF, ("text", ("circuits.circuit",))),
    **dict.fromkeys(TENANT_CF, ("json", ("tenancy.tenant",))),
    SYNCED_FIELD: ("text", tuple(sorted(k.object_type for k in KINDS if k.tagged))),
}
assert set(CABLE_CF) <= set(CUSTOM_FIELDS)


def _device_type_key(platform: Platform, model: str | None) -> str:
    return f"{MANUFACTURERS[platform][0]}-{slugify(model or UNSPECIFIED_MODEL)}"


class _Desired:
    def __init__(self) -> None:
        self.state: State = {k.name: {} for k in KINDS}

    def add(self, kind: str, key: str, **fields: Any) -> None:
        self.state[kind][key] = NbObject(kind, key, fields)


def desired_state(inv: Inventory) -> tuple[State, list[str]]:
    """What NetBox should hold for this inventory, and what the mapping cannot carry."""
    out = _Desired()
    warnings: list[str] = []
    out.add("tag", TAG_SLUG, name=TAG_SLUG, description=MARKER)
    for name, (cf_type, types) in CUSTOM_FIELDS.items():
        out.add("custom_field", name, type=cf_type, object_types=sorted(types), description=MARKER)
    for site in inv.sites:
        out.add("site_group", site.tier.value, name=TIER_NAMES[site.tier])
        out.add("site", site.id, **site_fields(site))
    for device in inv.devices:
        _add_device(out, device)
    for link in inv.links:
        _add_link(out, link, warnings)
    if inv.systems:
        out.add("tenant_group", SYSTEMS_GROUP, name="信息系统")
    for system in inv.systems:
        record = system.model_dump(mode="json", exclude={"id", "name"})
        out.add("tenant", system.id, name=system.name, group=SYSTEMS_GROUP,
                **{"cf.egovnet_system": record})  # fmt: skip
    return out.state, warnings


def site_fields(site: Site) -> Fields:
    return {
        "name": site.name,
        "group": site.tier.value,
        "physical_address": site.address,
        "cf.egovnet_parent": site.parent,
        "cf.egovnet_important": site.important,
        "cf.egovnet_lan_prefix": str(site.lan_prefix) if site.lan_prefix else None,
    }


def _text(value: object | None) -> str | None:
    return None if value is None else str(value)


def _add_device(out: _Desired, device: Device) -> None:
    slug, name = MANUFACTURERS[device.platform]
    out.add("manufacturer", slug, name=name)
    type_key = _device_type_key(device.platform, device.model)
    out.add("device_type", type_key, manufacturer=slug, model=device.model or UNSPECIFIED_MODEL)
    out.add("role", device.role.value, name=device.role.value)
    out.add("platform", device.platform.value, name=device.platform.value)
    out.add("device", device.name, **{
        "site": device.site, "role": device.role.value, "platform": device.platform.value,
        "device_type": type_key,
        "cf.egovnet_mgmt_address": str(device.mgmt_address),
        "cf.egovnet_loopback": _text(device.loopback),
        "cf.egovnet_lan_address": _text(device.lan_address),
        "cf.egovnet_snmp_profile": device.snmp_profile,
        "cf.egovnet_legacy_snmp_profile": device.legacy_snmp_profile,
        "cf.egovnet_credential_profile": device.credential_profile,
    })  # fmt: skip
    for iface in device.interfaces:
        key = interface_key(device.name, iface.name)
        out.add(
            "interface", key, device=device.name, name=iface.name, description=iface.description
        )


def _add_link(out: _Desired, link: Link, warnings: list[str]) -> None:
    a = interface_key(link.a.device, link.a.interface)
    b = interface_key(link.b.device, link.b.interface)
    out.add("cable", link.id, **{
        "a": a, "b": b,
        "cf.egovnet_kind": link.kind.value, "cf.egovnet_plane": link.plane.value,
        "cf.egovnet_committed_mbps": link.committed_mbps, "cf.egovnet_port_mbps": link.port_mbps,
    })  # fmt: skip
    for end, key in ((link.a, a), (link.b, b)):
        if end.address is not None:
            address = str(end.address)
            out.add("ip_address", f"{address} {key}", address=address, interface=key)
    if link.circuit_id is None:
        if link.carrier is not None:
            warnings.append(
                f"link {link.id}: carrier {link.carrier} without a circuit_id is not pushed"
                " (a NetBox circuit needs a circuit id)"
            )
        return
    provider = link.carrier or "unknown"
    out.add("provider", provider, name=provider)
    out.add("circuit_type", link.kind.value, name=link.kind.value)
    out.add("circuit", link.circuit_id, **{
        "provider": provider, "type": link.kind.value,
        "commit_rate": link.committed_mbps * KBPS_PER_MBPS, "cf.egovnet_link": link.id,
    })  # fmt: skip


# --- NetBox -> inventory --------------------------------------------------------------------


@dataclass
class Pulled:
    """The inventory sections read from NetBox, and what could not be read, with why."""

    sites: list[Site]
    devices: list[Device]
    links: list[Link]
    systems: list[System]
    skipped: list[str]


def _model(cls: Any, data: dict[str, Any], what: str, skipped: list[str]) -> Any:
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        skipped.append(f"{what}: {where}: {first['msg']}")
        return None


def _cfs(obj: NbObject) -> dict[str, Any]:
    return {k[3:].removeprefix("egovnet_"): v for k, v in obj.fields.items() if k.startswith("cf.")}


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def pulled_inventory(state: State) -> Pulled:
    """Read sites, devices, links and systems out of NetBox's objects (egovnet's or not)."""
    skipped: list[str] = []
    tiers = {t.value for t in Tier}
    sites: list[Site] = []
    for obj in state["site"].values():
        group = obj.fields["group"]
        if group not in tiers:
            skipped.append(f"site {obj.key}: its site group {group!r} is not a tier")
            continue
        cf = _cfs(obj)
        data = _drop_none({
            "id": obj.key, "name": obj.fields["name"], "tier": group, "parent": cf["parent"],
            "important": bool(cf["important"]), "address": obj.fields["physical_address"],
            "lan_prefix": cf["lan_prefix"],
        })  # fmt: skip
        if (site := _model(Site, data, f"site {obj.key}", skipped)) is not None:
            sites.append(site)
    site_ids = {s.id for s in sites}
    types = state["device_type"]
    interfaces: dict[str, list[NbObject]] = {}
    for iface in state["interface"].values():
        interfaces.setdefault(iface.fields["device"], []).append(iface)
    devices: list[Device] = []
    for obj in state["device"].values():
        if obj.fields["site"] not in site_ids:
            skipped.append(f"device {obj.key}: its site {obj.fields['site']!r} is not pulled")
            continue
        cf = _cfs(obj)
        dtype = types.get(str(obj.fields["device_type"]))
        model = dtype.fields["model"] if dtype else None
        data = _drop_none({
            "name": obj.key, "site": obj.fields["site"], "role": obj.fields["role"],
            "platform": obj.fields["platform"],
            "model": None if model == UNSPECIFIED_MODEL else model,
            **{k: cf[k] for k in ("mgmt_address", "loopback", "lan_address", "snmp_profile",
                                  "legacy_snmp_profile", "credential_profile")},
            "interfaces": [_drop_none({"name": i.fields["name"],
                                       "description": i.fields["description"]})
                           for i in interfaces.get(obj.key, [])],
        })  # fmt: skip
        if (device := _model(Device, data, f"device {obj.key}", skipped)) is not None:
            devices.append(device)
    links = _pulled_links(state, {d.name for d in devices}, skipped)
    systems: list[System] = []
    for obj in state["tenant"].values():
        if obj.fields["group"] != SYSTEMS_GROUP:
            continue
        record = obj.fields.get("cf.egovnet_system")
        if not isinstance(record, dict):
            skipped.append(f"tenant {obj.key}: no egovnet_system record")
            continue
        data = {**record, "id": obj.key, "name": obj.fields["name"]}
        if (system := _model(System, data, f"system {obj.key}", skipped)) is not None:
            systems.append(system)
    return Pulled(sites, devices, links, systems, skipped)


def _pulled_links(state: State, devices: set[str], skipped: list[str]) -> list[Link]:
    addresses: dict[str, str] = {}
    for ip in sorted(state["ip_address"].values(), key=lambda o: o.id or 0):
        addresses.setdefault(ip.fields["interface"], ip.fields["address"])
    circuits = {
        c.fields["cf.egovnet_link"]: c
        for c in state["circuit"].values()
        if c.fields.get("cf.egovnet_link")
    }
    links: list[Link] = []
    for obj in state["cable"].values():
        ends = []
        for side in ("a", "b"):
            device, _, iface = str(obj.fields[side]).partition("/")
            ends.append(LinkEnd.model_construct(device=device, interface=iface))
        if not all(e.device in devices for e in ends):
            skipped.append(f"cable {obj.key}: an end is on a device that is not pulled")
            continue
        cf = _cfs(obj)
        circuit = circuits.get(obj.key)
        committed = cf["committed_mbps"]
        if circuit is not None and circuit.fields["commit_rate"]:
            committed = int(circuit.fields["commit_rate"]) // KBPS_PER_MBPS
        data = _drop_none({
            "id": obj.key, "kind": cf["kind"], "plane": cf["plane"], "committed_mbps": committed,
            "port_mbps": cf["port_mbps"],
            "carrier": None if circuit is None or circuit.fields["provider"] == "unknown"
            else circuit.fields["provider"],
            "circuit_id": circuit.key if circuit else None,
            **{side: _drop_none({"device": e.device, "interface": e.interface,
                                 "address": addresses.get(str(obj.fields[side]))})
               for side, e in zip(("a", "b"), ends, strict=True)},
        })  # fmt: skip
        if (link := _model(Link, data, f"link {obj.key}", skipped)) is not None:
            links.append(link)
    return links


def sorted_interfaces(interfaces: Iterable[Interface]) -> list[Interface]:
    return sorted(interfaces, key=lambda i: i.name)
