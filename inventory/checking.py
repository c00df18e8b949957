"""What every cross-reference check shares: the located error, and what did not validate."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from base.errors import InventoryError

from .catalog import Inventory


@dataclass
class Unvalidated:
    """Items that failed their own checks; a reference to one is not reported again.

    Cross-reference checks run on the items that did validate. A link to a device whose own
    entry is broken is not "unknown": its device already has an error of its own. Sites with
    a broken device, or a device at the end of a broken link, are not judged on their uplinks.
    """

    ids: dict[str, set[str]] = field(default_factory=dict)
    devices_touched: set[str] = field(default_factory=set)
    sites_touched: set[str] = field(default_factory=set)
    policy: bool = False  # the policy is missing or broken: tiers are not checked against it
    lost: bool = False  # a whole file could not be read: a reference may point into it

    def add(self, kind: str, ident: object) -> None:
        if isinstance(ident, str):
            self.ids.setdefault(kind, set()).add(ident)

    def has(self, kind: str, ident: str) -> bool:
        return self.lost or ident in self.ids.get(kind, ())

    def site_incomplete(self, inv: Inventory, site_id: str) -> bool:
        if self.lost or site_id in self.sites_touched:
            return True
        if not self.devices_touched:
            return False
        return any(d.name in self.devices_touched for d in inv.devices_at(site_id))


Check = Callable[[Inventory, Unvalidated], Iterator[InventoryError]]


def err(inv: Inventory, kind: str, key: str, *sub: str | int, msg: str) -> InventoryError:
    """An error at the field ``sub`` of the item ``key`` of ``kind`` (``"device", "wj-core1"``)."""
    return InventoryError(inv.location(kind, key, *sub), msg)
