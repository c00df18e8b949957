"""Label sets of the metrics contract (docs/metrics.md), built once from the inventory.

A :class:`LabelSet` is a plain ``dict`` for prometheus_client and also carries its text form
(``{device="core1",...}``), so the exporter renders thousands of samples without formatting
the same labels again on every scrape.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from inventory.catalog import Circuit, Inventory
from inventory.models import Device, Link

MBPS_IN_BYTES = 125_000.0  # 1 Mbit/s = 125,000 bytes/s

IF_LABELS = ("device", "interface", "link", "plane", "end", "kind", "site", "site_name", "tier")
DEV_LABELS = ("device", "site", "site_name", "tier", "role")


def escape_label_value(value: str) -> str:
    return value.replace("\\", r"\\").replace("\n", r"\n").replace('"', r"\"")


def render_labels(labels: dict[str, str]) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{k}="{escape_label_value(v)}"' for k, v in sorted(labels.items()))
    return "{" + inner + "}"


class LabelSet(dict[str, str]):
    """Labels of one series with their exposition text; never mutate one after creation."""

    __slots__ = ("text",)

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(items)
        self.text = render_labels(self)

    def extend(self, **extra: str) -> LabelSet:
        return LabelSet([*self.items(), *extra.items()])


@dataclass(frozen=True)
class InterfaceInfo:
    """What the inventory says about one interface: its labels and its circuit's figures."""

    labels: LabelSet
    link: Link | None
    committed_bytes: float | None
    baseline_bytes: float | None
    target_bytes: float | None


class LabelCatalog:
    """Interface and device label sets of one inventory."""

    def __init__(self, inv: Inventory) -> None:
        self.inventory = inv
        circuits: dict[str, Circuit] = {c.link.id: c for c in inv.circuits}
        self._interfaces: dict[tuple[str, str], InterfaceInfo] = {}
        self._devices: dict[str, LabelSet] = {}
        self._aliases: dict[tuple[str, str], LabelSet] = {}
        self._by_device: dict[str, list[InterfaceInfo]] = {}
        for device in inv.devices:
            self._devices[device.name] = self._device_labels(device)
            infos = self._by_device[device.name] = []
            for iface in device.interfaces:
                info = self._interface_info(device, iface.name, circuits)
                self._interfaces[(device.name, iface.name)] = info
                infos.append(info)

    def device(self, name: str) -> LabelSet:
        return self._devices[name]

    def interface(self, device: str, interface: str) -> InterfaceInfo:
        found = self._interfaces.get((device, interface))
        if found is None:  # polled but not declared (e.g. a link end missing from the list)
            found = self._interface_info(self.inventory.device(device), interface, {})
            self._interfaces[(device, interface)] = found
        return found

    def with_alias(self, info: InterfaceInfo, alias: str) -> LabelSet:
        """IF labels plus ``alias``, remembered so a steady ifAlias costs nothing per scrape."""
        key = (info.labels.text, alias)
        found = self._aliases.get(key)
        if found is None:
            found = self._aliases[key] = info.labels.extend(alias=alias)
        return found

    def interfaces_of(self, device: str) -> list[InterfaceInfo]:
        """The inventory interfaces of ``device``, in inventory order."""
        return self._by_device.get(device, [])

    def _device_labels(self, device: Device) -> LabelSet:
        site = self.inventory.site(device.site)
        return LabelSet(
            [
                ("device", device.name),
                ("site", site.id),
                ("site_name", site.name),
                ("tier", site.tier.value),
                ("role", device.role.value),
            ]
        )

    def _interface_info(
        self, device: Device, interface: str, circuits: dict[str, Circuit]
    ) -> InterfaceInfo:
        inv = self.inventory
        link = next(
            (
                lk
                for lk in inv.links_of(device.name)
                if (lk.a.device, lk.a.interface) == (device.name, interface)
                or (lk.b.device, lk.b.interface) == (device.name, interface)
            ),
            None,
        )
        site = inv.served_site(link) if link is not None else inv.site(device.site)
        end = ""
        if link is not None:
            end = "a" if (link.a.device, link.a.interface) == (device.name, interface) else "b"
        labels = LabelSet(
            [
                ("device", device.name),
                ("interface", interface),
                ("link", link.id if link else ""),
                ("plane", link.plane.value if link else ""),
                ("end", end),
                ("kind", link.kind.value if link else ""),
                ("site", site.id),
                ("site_name", site.name),
                ("tier", site.tier.value),
            ]
        )
        circuit = circuits.get(link.id) if link is not None else None
        return InterfaceInfo(
            labels=labels,
            link=link,
            committed_bytes=link.committed_mbps * MBPS_IN_BYTES if link else None,
            baseline_bytes=_bytes(circuit.baseline_mbps) if circuit else None,
            target_bytes=_bytes(circuit.target_mbps) if circuit else None,
        )


def _bytes(mbps: int | None) -> float | None:
    return None if mbps is None else mbps * MBPS_IN_BYTES
