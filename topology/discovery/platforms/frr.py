"""FRR devices (the lab): lldpd beside FRR, read with ``lldpcli`` as JSON.

``json0`` keeps every level a list whatever the number of neighbours; the plain ``json``
format (a mapping keyed by interface name, a list only when there are several) is read too,
so output captured either way parses.
"""

from __future__ import annotations

import json
from typing import Any

from base.errors import DiscoveryError

from ..interfaces import remote_port
from ..models import Neighbor

COMMAND = "lldpcli -f json0 show neighbors"


def parse(output: str) -> list[Neighbor]:
    try:
        data = json.loads(output) if output.strip() else {}
    except json.JSONDecodeError as exc:
        raise DiscoveryError(f"lldpcli: not JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict):
        raise DiscoveryError("lldpcli: expected a JSON object")
    out: list[Neighbor] = []
    for local, entry in _interfaces(data.get("lldp")):
        chassis_name, chassis = _chassis(entry.get("chassis"))
        port = _first(entry.get("port")) or {}
        port_id = _first(port.get("id")) or {}
        out.append(
            Neighbor(
                local_interface=local,
                remote_system=chassis_name,
                remote_port=remote_port(_value(port_id), _value(port.get("descr"))),
                remote_chassis_id=_value(_first(chassis.get("id"))),
                remote_mgmt_address=_ipv4(chassis.get("mgmt-ip")),
            )
        )
    return out


def _interfaces(lldp: Any) -> list[tuple[str, dict[str, Any]]]:
    """(local interface, entry) pairs from either JSON shape."""
    out: list[tuple[str, dict[str, Any]]] = []
    for block in lldp if isinstance(lldp, list) else [lldp]:
        if not isinstance(block, dict):
            continue
        interfaces = block.get("interface", [])
        for item in interfaces if isinstance(interfaces, list) else [interfaces]:
            if not isinstance(item, dict):
                continue
            if "name" in item:  # json0: {"name": "eth1", "chassis": [...], ...}
                out.append((str(item["name"]), item))
            else:  # json: {"eth1": {"chassis": {...}, ...}}
                out.extend((str(k), v) for k, v in item.items() if isinstance(v, dict))
    return out


def _chassis(raw: Any) -> tuple[str | None, dict[str, Any]]:
    chassis = _first(raw) or {}
    if "id" in chassis or "name" in chassis:  # json0, or json without a system name
        return _value(_first(chassis.get("name"))), chassis
    for name, body in chassis.items():  # json: {"town1": {"id": ...}}
        if isinstance(body, dict):
            return str(name), body
    return None, {}


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _value(item: Any) -> str | None:
    """``{"value": "x"}``, ``[{"value": "x"}]`` or ``"x"`` -> ``"x"``."""
    item = _first(item)
    if isinstance(item, dict):
        item = item.get("value")
    return None if item is None else str(item)


def _ipv4(raw: Any) -> str | None:
    values = raw if isinstance(raw, list) else [raw]
    addresses = [v for v in (_value(x) for x in values) if v]
    return next((a for a in addresses if ":" not in a), addresses[0] if addresses else None)
