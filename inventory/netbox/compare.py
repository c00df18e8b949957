"""A semantic diff of two inventories: same objects with the same values, order aside.

File layout, comments and list order do not count (NetBox sorts interfaces by name); every
field of every site, device, link and system does.
"""

from __future__ import annotations

from typing import Any

from ..catalog import Inventory


def _records(inv: Inventory) -> dict[tuple[str, str], Any]:
    out: dict[tuple[str, str], Any] = {}
    for site in inv.sites:
        out[("site", site.id)] = site.model_dump(mode="json")
    for device in inv.devices:
        data = device.model_dump(mode="json")
        data["interfaces"] = sorted(data["interfaces"], key=lambda i: i["name"])
        out[("device", device.name)] = data
    for link in inv.links:
        out[("link", link.id)] = link.model_dump(mode="json")
    for system in inv.systems:
        out[("system", system.id)] = system.model_dump(mode="json")
    return out


def _walk(path: str, a: Any, b: Any, out: list[str]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            _walk(f"{path}.{key}", a.get(key), b.get(key), out)
    elif a != b:
        out.append(f"{path}: {a!r} != {b!r}")


def inventory_diff(left: Inventory, right: Inventory) -> list[str]:
    """One line per difference (``device wj-core1.platform: 'frr' != 'huawei_vrp'``)."""
    a, b = _records(left), _records(right)
    out: list[str] = []
    for kind, key in sorted(set(a) | set(b)):
        name = f"{kind} {key}"
        if (kind, key) not in b:
            out.append(f"{name}: only in the first")
        elif (kind, key) not in a:
            out.append(f"{name}: only in the second")
        else:
            _walk(name, a[(kind, key)], b[(kind, key)], out)
    return out
