"""Label sets of the metrics contract (docs/metrics.md), built once from the inventory.

A :class:`LabelSet` is a plain ``dict`` for prometheus_client and also carries its text form
(``{device="core1",...}``), so the exporter renders thousands of samples without formatting
the same labels again on every scrape.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the catalog is built from these and unpickled without them
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
    """Labels of one series with their exposition text; never mutate one after creation.

    The text is kept as UTF-8 bytes (``utf8``): the answer is assembled from bytes, so a
    label value in Chinese does not make the whole answer a wide string that then has to be
    encoded character by character (that encoding was ~100 µs of a 48-port answer).
    """

    __slots__ = ("utf8",)

    def __init__(self, items: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(items)
        self.utf8 = render_labels(self).encode("utf-8")

    @classmethod
    def rendered(cls, items: Iterable[tuple[str, str]], utf8: bytes) -> LabelSet:
        """A label set whose text the caller already rendered and encoded (as
        :func:`render_labels` would): composed from escaped pieces, not formatted again."""
        new = dict.__new__(cls)
        dict.__init__(new, items)
        new.utf8 = utf8
        return new

    @property
    def text(self) -> str:
        """The label text as the exposition shows it: ``{a="1",b="2"}``."""
        return self.utf8.decode("utf-8")

    def extend(self, **extra: str) -> LabelSet:
        return LabelSet([*self.items(), *extra.items()])


def device_kind_labels(device: str, kind: str) -> LabelSet:
    """``{device=...,kind=...}`` (SNMP errors, traps received), without sorting and formatting
    a generic label set: a scrape makes one per error kind."""
    utf8 = f'{{device="{escape_label_value(device)}",kind="{escape_label_value(kind)}"}}'
    return LabelSet.rendered((("device", device), ("kind", kind)), utf8.encode("utf-8"))


_SORTED = sorted(IF_LABELS)
_NAME_AT = _SORTED.index("interface")


class _Shape:
    """What the interfaces of one device (or of one link end) share: every IF label but the
    interface name, as a dict and as the label text before and after the name."""

    __slots__ = ("base", "head", "tail")

    def __init__(self, values: dict[str, str]) -> None:
        self.base = {**values, "interface": ""}
        before, after = _SORTED[:_NAME_AT], _SORTED[_NAME_AT + 1 :]
        self.head = (
            "{" + "".join(f'{k}="{escape_label_value(values[k])}",' for k in before)
            + 'interface="'
        ).encode("utf-8")  # fmt: skip
        tail = '"' + "".join(f',{k}="{escape_label_value(values[k])}"' for k in after) + "}"
        self.tail = tail.encode("utf-8")

    def __reduce__(self) -> tuple[type[_Shape], tuple[dict[str, str]]]:
        return _Shape, (self.base,)


class InterfaceInfo:
    """What the inventory says about one interface: its labels and its circuit's figures.

    Kept for every interface of every device for the exporter's life, so it holds only its
    name and a :class:`_Shape` shared with the other interfaces of its device or link end,
    and builds its :class:`LabelSet` when asked, once per scrape (a dict copy and three
    byte strings joined): a label set kept per interface was most of the exporter's memory at
    50,000 interfaces.
    """

    __slots__ = (
        "_name_text",
        "_shape",
        "baseline_bytes",
        "committed_bytes",
        "name",
        "target_bytes",
    )

    def __init__(  # positional, so that __reduce__ can pickle it compactly
        self,
        name: str,
        shape: _Shape,
        committed_bytes: float | None,
        baseline_bytes: float | None,
        target_bytes: float | None,
    ) -> None:
        self.name = name
        self._name_text = escape_label_value(name).encode("utf-8")
        self._shape = shape
        self.committed_bytes = committed_bytes
        self.baseline_bytes = baseline_bytes
        self.target_bytes = target_bytes

    def __reduce__(self) -> tuple[type[InterfaceInfo], tuple[object, ...]]:
        # The constructor's arguments, not a dict of slots per object: unpickling 50,000 of
        # them (exporters.state) then needs no transient dict each.
        args = (self.name, self._shape, self.committed_bytes, self.baseline_bytes)
        return InterfaceInfo, (*args, self.target_bytes)

    @property
    def link_id(self) -> str | None:
        """The id of the inventory link this interface is an end of (None: no link)."""
        return self._shape.base["link"] or None

    @property
    def labels(self) -> LabelSet:
        """The IF label set (a new one each time: keep it for the scrape, not longer)."""
        shape = self._shape
        labels = _new_label_set(LabelSet)
        _fill(labels, shape.base)
        labels["interface"] = self.name
        labels.utf8 = shape.head + self._name_text + shape.tail
        return labels

    def labels_with_alias(self, alias: str) -> LabelSet:
        """IF labels plus ``alias`` (which sorts first in the text)."""
        shape = self._shape
        labels = _new_label_set(LabelSet)
        _fill(labels, shape.base)
        labels["interface"] = self.name
        labels["alias"] = alias
        labels.utf8 = (
            b'{alias="' + escape_label_value(alias).encode("utf-8") + b'",' + shape.head[1:]
            + self._name_text + shape.tail
        )  # fmt: skip
        return labels


_new_label_set = dict.__new__
_fill = dict.update


class LabelCatalog:
    """Interface and device label sets of one inventory, and each device's platform.

    Built from the inventory and then independent of it: the catalog keeps no reference to
    the :class:`Inventory` (nor to its devices), so the exporter can drop the model graph
    once its state is built (:mod:`exporters.state`). Label values are interned: a device's
    name, site and tier are one string object however many interfaces carry them.
    """

    def __init__(self, inv: Inventory) -> None:
        circuits: dict[str, Circuit] = {c.link.id: c for c in inv.circuits}
        self._devices: dict[str, LabelSet] = {}
        self._platforms: dict[str, str] = {}
        #: device -> interface name -> info; inventory interfaces first, in inventory order,
        #: then link ends the device's interface list does not declare
        self._by_device: dict[str, dict[str, InterfaceInfo]] = {}
        self._declared: dict[str, int] = {}
        for device in inv.devices:
            name = sys.intern(device.name)
            self._devices[name] = self._device_labels(inv, device)
            self._platforms[name] = sys.intern(inv.platform(device).value)
            infos = self._by_device[name] = {}
            ends: dict[str, Link] = {}
            shapes: dict[tuple[str, ...], _Shape] = {}
            for lk in inv.links_of(device.name):  # the first link naming the port is its link
                for end in (lk.a, lk.b):
                    if end.device == device.name:
                        ends.setdefault(end.interface, lk)
            for iface in device.interfaces:
                infos.setdefault(
                    sys.intern(iface.name),
                    self._interface_info(inv, device, iface.name, ends, circuits, shapes),
                )
            self._declared[name] = len(infos)
            for iface_name in ends:
                if iface_name not in infos:
                    infos[sys.intern(iface_name)] = self._interface_info(
                        inv, device, iface_name, ends, {}, shapes
                    )

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Column-wise per device: unpickling then holds a few objects per device in its memo
        # while it runs, not an argument tuple per interface (exporters.state streams this).
        columns = {
            device: (
                tuple(infos),  # the names
                tuple(i._shape for i in infos.values()),
                tuple(i.committed_bytes for i in infos.values()),
                tuple(i.baseline_bytes for i in infos.values()),
                tuple(i.target_bytes for i in infos.values()),
            )
            for device, infos in self._by_device.items()
        }
        return _rebuild_catalog, (self._devices, self._platforms, self._declared, columns)

    def device(self, name: str) -> LabelSet:
        return self._devices[name]

    def platform(self, device: str) -> str:
        """The platform ``device`` runs under the inventory's profile (``huawei_vrp``...)."""
        return self._platforms[device]

    def interface(self, device: str, interface: str) -> InterfaceInfo:
        found = self._by_device[device].get(interface)
        if found is None:  # e.g. a trap naming a port the inventory does not list
            labels = self._devices[device]
            shape = _Shape(
                {"device": device, "link": "", "plane": "", "end": "", "kind": "",
                 "site": labels["site"], "site_name": labels["site_name"], "tier": labels["tier"]}
            )  # fmt: skip
            found = InterfaceInfo(interface, shape, None, None, None)
        return found

    def with_alias(self, info: InterfaceInfo, alias: str) -> LabelSet:
        """IF labels plus ``alias``."""
        return info.labels_with_alias(alias)

    def interfaces_of(self, device: str) -> list[InterfaceInfo]:
        """The inventory interfaces of ``device``, in inventory order."""
        infos = self._by_device.get(device)
        if infos is None:
            return []
        return list(infos.values())[: self._declared[device]]

    @staticmethod
    def _device_labels(inv: Inventory, device: Device) -> LabelSet:
        site = inv.site(device.site)
        return LabelSet(
            [
                ("device", sys.intern(device.name)),
                ("site", sys.intern(site.id)),
                ("site_name", sys.intern(site.name)),
                ("tier", sys.intern(site.tier.value)),
                ("role", sys.intern(device.role.value)),
            ]
        )

    @staticmethod
    def _interface_info(  # noqa: PLR0917 - a private helper of __init__
        inv: Inventory,
        device: Device,
        interface: str,
        ends: dict[str, Link],
        circuits: dict[str, Circuit],
        shapes: dict[tuple[str, ...], _Shape],
    ) -> InterfaceInfo:
        link = ends.get(interface)
        site = inv.served_site(link) if link is not None else inv.site(device.site)
        end = ""
        if link is not None:
            end = "a" if (link.a.device, link.a.interface) == (device.name, interface) else "b"
        values = {
            "device": device.name,
            "link": link.id if link else "",
            "plane": link.plane.value if link else "",
            "end": end,
            "kind": link.kind.value if link else "",
            "site": site.id,
            "site_name": site.name,
            "tier": site.tier.value,
        }
        key = tuple(values.values())
        shape = shapes.get(key)
        if shape is None:
            shape = shapes[key] = _Shape({k: sys.intern(v) for k, v in values.items()})
        circuit = circuits.get(link.id) if link is not None else None
        return InterfaceInfo(
            sys.intern(interface),
            shape,
            committed_bytes=link.committed_mbps * MBPS_IN_BYTES if link else None,
            baseline_bytes=_bytes(circuit.baseline_mbps) if circuit else None,
            target_bytes=_bytes(circuit.target_mbps) if circuit else None,
        )


def _bytes(mbps: int | None) -> float | None:
    return None if mbps is None else mbps * MBPS_IN_BYTES


_Columns = tuple[
    tuple[str, ...],
    tuple[_Shape, ...],
    tuple[float | None, ...],
    tuple[float | None, ...],
    tuple[float | None, ...],
]


def _rebuild_catalog(
    devices: dict[str, LabelSet],
    platforms: dict[str, str],
    declared: dict[str, int],
    columns: dict[str, _Columns],
) -> LabelCatalog:
    catalog = LabelCatalog.__new__(LabelCatalog)
    catalog._devices = devices
    catalog._platforms = platforms
    catalog._declared = declared
    catalog._by_device = {
        device: {
            name: InterfaceInfo(name, shape, committed, baseline, target)
            for name, shape, committed, baseline, target in zip(*cols, strict=True)
        }
        for device, cols in columns.items()
    }
    return catalog
