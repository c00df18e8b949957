"""Every NetBox object kind egovnet maps: its endpoint, how a record reads, how it is written.

One table (``KINDS``), in the order objects must be created (a kind only refers to kinds
before it). ``read`` turns a NetBox JSON record into an :class:`NbObject` (``None`` when the
record is nothing egovnet maps); ``payload`` turns natural fields into the API body, asking
``ids`` for the NetBox id of each referenced object.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .objects import MARKER, SYNCED_FIELD, TAG_SLUG, Fields, NbObject, interface_key

#: (kind, natural key) -> NetBox id
Ids = Callable[[str, str], int]
Record = dict[str, Any]


@dataclass(frozen=True)
class Kind:
    name: str
    endpoint: str  # "app.endpoint" of the REST API, e.g. "dcim.sites"
    read: Callable[[Record], NbObject | None]
    payload: Callable[[Fields, Ids], Fields]
    tagged: bool = True  # NetBox models with tags and custom fields (not tags/custom fields)
    custom_fields: tuple[str, ...] = ()

    @property
    def object_type(self) -> str:
        app, endpoint = self.endpoint.split(".")
        return f"{app}.{OBJECT_TYPES[endpoint]}"


OBJECT_TYPES = {
    "sites": "site", "site_groups": "sitegroup", "manufacturers": "manufacturer",
    "device_types": "devicetype", "device_roles": "devicerole", "platforms": "platform",
    "devices": "device", "interfaces": "interface", "ip_addresses": "ipaddress",
    "cables": "cable", "providers": "provider", "circuit_types": "circuittype",
    "circuits": "circuit", "tenant_groups": "tenantgroup", "tenants": "tenant",
    "tags": "tag", "custom_fields": "customfield",
}  # fmt: skip


def slugify(text: str) -> str:
    """A NetBox slug for any text; non-ASCII names (中国电信) get a short stable hash."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-")
    if slug and slug.isascii() and len(slug) <= 90:
        return slug
    return "x-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _ref(record: Record, name: str, attr: str = "slug") -> str | None:
    value = record.get(name)
    if isinstance(value, dict):
        found = value.get(attr)
        return str(found) if found is not None else None
    return None


def _text(value: Any) -> Any:
    return None if value == "" else value


def _cf(record: Record, names: tuple[str, ...]) -> Fields:
    values = record.get("custom_fields") or {}
    return {f"cf.{n}": _text(values.get(n)) for n in names}


def _managed(record: Record) -> bool:
    return any(t.get("slug") == TAG_SLUG for t in record.get("tags") or [])


def _obj(kind: str, key: str, record: Record, fields: Fields, **extra: Any) -> NbObject:
    synced = (record.get("custom_fields") or {}).get(SYNCED_FIELD)
    return NbObject(kind, key, fields, int(record["id"]), _managed(record), synced, dict(extra))


def _split_cf(fields: Fields) -> tuple[Fields, Fields]:
    plain = {k: v for k, v in fields.items() if not k.startswith("cf.")}
    custom = {k[3:]: v for k, v in fields.items() if k.startswith("cf.")}
    return plain, custom


def _body(fields: Fields, refs: dict[str, tuple[str, str]], ids: Ids) -> Fields:
    """Plain fields, references resolved to ids, custom fields under ``custom_fields``."""
    plain, custom = _split_cf(fields)
    body: Fields = {}
    for name, value in plain.items():
        if name in refs:
            target, attr = refs[name]
            body[attr] = ids(target, value) if value is not None else None
        else:
            body[name] = "" if value is None else value
    if custom:
        body["custom_fields"] = custom
    return body


# --- schema: the tag and the custom fields ---------------------------------------------------


def _read_tag(r: Record) -> NbObject | None:
    fields = {"name": r["name"], "description": _text(r.get("description"))}
    return NbObject("tag", str(r["slug"]), fields, int(r["id"]), r.get("description") == MARKER)


def _read_custom_field(r: Record) -> NbObject | None:
    fields = {"type": _ref(r, "type", "value"), "object_types": sorted(r.get("object_types") or [])}
    fields["description"] = _text(r.get("description"))
    managed = r.get("description") == MARKER
    return NbObject("custom_field", str(r["name"]), fields, int(r["id"]), managed)


def _pay_custom_field(fields: Fields, ids: Ids) -> Fields:
    return {**fields, "label": fields.get("label") or ""}


# --- dcim ------------------------------------------------------------------------------------


def _read_slugged(kind: str, *extra_refs: str) -> Callable[[Record], NbObject | None]:
    def read(r: Record) -> NbObject | None:
        fields: Fields = {"name": r["name"]}
        for ref in extra_refs:
            fields[ref] = _ref(r, ref)
        return _obj(kind, str(r["slug"]), r, fields)

    return read


SITE_CF = ("egovnet_parent", "egovnet_important", "egovnet_lan_prefix")
DEVICE_CF = (
    "egovnet_mgmt_address", "egovnet_loopback", "egovnet_lan_address", "egovnet_snmp_profile",
    "egovnet_legacy_snmp_profile", "egovnet_credential_profile",
)  # fmt: skip
CABLE_CF = ("egovnet_kind", "egovnet_plane", "egovnet_committed_mbps", "egovnet_port_mbps")
CIRCUIT_CF = ("egovnet_link",)
TENANT_CF = ("egovnet_system",)


def _read_site(r: Record) -> NbObject | None:
    fields: Fields = {"name": r["name"], "group": _ref(r, "group")}
    fields["physical_address"] = _text(r.get("physical_address"))
    return _obj("site", str(r["slug"]), r, fields | _cf(r, SITE_CF))


def _read_device_type(r: Record) -> NbObject | None:
    fields = {"manufacturer": _ref(r, "manufacturer"), "model": r["model"]}
    return _obj("device_type", str(r["slug"]), r, fields)


def _read_device(r: Record) -> NbObject | None:
    if not r.get("name"):
        return None
    fields: Fields = {
        "site": _ref(r, "site"),
        "role": _ref(r, "role"),
        "platform": _ref(r, "platform"),
        "device_type": _ref(r, "device_type"),
    }
    return _obj("device", str(r["name"]), r, fields | _cf(r, DEVICE_CF))


def _read_interface(r: Record) -> NbObject | None:
    device = _ref(r, "device", "name")
    if device is None:
        return None
    fields = {"device": device, "name": r["name"], "description": _text(r.get("description"))}
    cable = r.get("cable")
    occupied = isinstance(cable, dict)
    return _obj("interface", interface_key(device, r["name"]), r, fields, cabled=occupied)


def _pay_interface(fields: Fields, ids: Ids) -> Fields:
    return _body(fields, {"device": ("device", "device")}, ids) | {"type": "other"}


def _end_of(terminations: Any) -> str | None:
    if not isinstance(terminations, list) or len(terminations) != 1:
        return None
    term = terminations[0]
    if term.get("object_type") != "dcim.interface":
        return None
    obj = term.get("object") or {}
    device = _ref(obj, "device", "name")
    return interface_key(device, obj["name"]) if device and obj.get("name") else None


def _read_cable(r: Record) -> NbObject | None:
    a, b = _end_of(r.get("a_terminations")), _end_of(r.get("b_terminations"))
    if not r.get("label") or a is None or b is None:
        return None
    return _obj("cable", str(r["label"]), r, {"a": a, "b": b} | _cf(r, CABLE_CF))


def _pay_cable(fields: Fields, ids: Ids) -> Fields:
    plain, custom = _split_cf(fields)

    def end(key: str) -> list[Fields]:
        return [{"object_type": "dcim.interface", "object_id": ids("interface", key)}]

    return {
        "a_terminations": end(plain["a"]),
        "b_terminations": end(plain["b"]),
        "status": "connected",
        "custom_fields": custom,
    }


def _read_ip(r: Record) -> NbObject | None:
    if r.get("assigned_object_type") != "dcim.interface":
        return None
    obj = r.get("assigned_object") or {}
    device = _ref(obj, "device", "name")
    if device is None:
        return None
    iface = interface_key(device, obj["name"])
    fields = {"address": r["address"], "interface": iface}
    return _obj("ip_address", f"{r['address']} {iface}", r, fields)


def _pay_ip(fields: Fields, ids: Ids) -> Fields:
    return {
        "address": fields["address"],
        "assigned_object_type": "dcim.interface",
        "assigned_object_id": ids("interface", fields["interface"]),
    }


# --- circuits and tenancy -------------------------------------------------------------------


def _read_provider(r: Record) -> NbObject | None:
    return _obj("provider", str(r["name"]), r, {"name": r["name"]})


def _pay_named(fields: Fields, ids: Ids) -> Fields:
    return {"name": fields["name"], "slug": slugify(fields["name"])}


def _read_circuit(r: Record) -> NbObject | None:
    fields: Fields = {
        "provider": _ref(r, "provider", "name"),
        "type": _ref(r, "type"),
        "commit_rate": r.get("commit_rate"),
    }
    return _obj("circuit", str(r["cid"]), r, fields | _cf(r, CIRCUIT_CF))


def _pay_circuit(fields: Fields, ids: Ids) -> Fields:
    refs = {"provider": ("provider", "provider"), "type": ("circuit_type", "type")}
    return _body(fields, refs, ids)


def _read_tenant(r: Record) -> NbObject | None:
    fields = {"name": r["name"], "group": _ref(r, "group")}
    return _obj("tenant", str(r["slug"]), r, fields | _cf(r, TENANT_CF))


def _payload(refs: dict[str, tuple[str, str]]) -> Callable[[Fields, Ids], Fields]:
    def payload(fields: Fields, ids: Ids) -> Fields:
        return _body(fields, refs, ids)

    return payload


_NO_REFS: dict[str, tuple[str, str]] = {}
KINDS: tuple[Kind, ...] = (
    Kind("tag", "extras.tags", _read_tag, _payload(_NO_REFS), tagged=False),
    Kind("custom_field", "extras.custom_fields", _read_custom_field, _pay_custom_field,
         tagged=False),
    Kind("site_group", "dcim.site_groups", _read_slugged("site_group"), _payload(_NO_REFS)),
    Kind("site", "dcim.sites", _read_site, _payload({"group": ("site_group", "group")}),
         custom_fields=SITE_CF),
    Kind("manufacturer", "dcim.manufacturers", _read_slugged("manufacturer"), _payload(_NO_REFS)),
    Kind("device_type", "dcim.device_types", _read_device_type,
         _payload({"manufacturer": ("manufacturer", "manufacturer")})),
    Kind("role", "dcim.device_roles", _read_slugged("role"), _payload(_NO_REFS)),
    Kind("platform", "dcim.platforms", _read_slugged("platform"), _payload(_NO_REFS)),
    Kind("device", "dcim.devices", _read_device, _payload({
        "site": ("site", "site"), "role": ("role", "role"), "platform": ("platform", "platform"),
        "device_type": ("device_type", "device_type")}), custom_fields=DEVICE_CF),
    Kind("interface", "dcim.interfaces", _read_interface, _pay_interface),
    Kind("ip_address", "ipam.ip_addresses", _read_ip, _pay_ip),
    Kind("cable", "dcim.cables", _read_cable, _pay_cable, custom_fields=CABLE_CF),
    Kind("provider", "circuits.providers", _read_provider, _pay_named),
    Kind("circuit_type", "circuits.circuit_types", _read_slugged("circuit_type"),
         _payload(_NO_REFS)),
    Kind("circuit", "circuits.circuits", _read_circuit, _pay_circuit, custom_fields=CIRCUIT_CF),
    Kind("tenant_group", "tenancy.tenant_groups", _read_slugged("tenant_group"),
         _payload(_NO_REFS)),
    Kind("tenant", "tenancy.tenants", _read_tenant,
         _payload({"group": ("tenant_group", "group")}), custom_fields=TENANT_CF),
)  # fmt: skip
KIND_BY_NAME = {k.name: k for k in KINDS}
#: Kinds whose natural key is also written as their slug.
SLUG_KEYED = {"tag", "site_group", "site", "manufacturer", "device_type", "role", "platform",
              "circuit_type", "tenant_group", "tenant"}  # fmt: skip
#: The field that holds the natural key in a kind's API body (besides the slug).
KEY_FIELD = {"device": "name", "circuit": "cid", "cable": "label", "custom_field": "name"}
