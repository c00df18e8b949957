"""Checks over the site tree: parents exist, form no cycle, and follow the tier order."""

from __future__ import annotations

from collections.abc import Iterator

from base.errors import InventoryError

from .catalog import Inventory
from .checking import Unvalidated, err
from .models import Site, Tier

#: The tiers a site's parent may have (a site without a parent is always allowed).
PARENT_TIERS: dict[Tier, tuple[Tier, ...]] = {
    Tier.city: (),
    Tier.district_core: (Tier.city,),
    Tier.cloud: (Tier.district_core, Tier.city),
    Tier.department: (Tier.district_core, Tier.city),
    Tier.town: (Tier.district_core,),
    # a village hangs off its town; a small district may run its circuit to the core itself
    Tier.village: (Tier.town, Tier.district_core),
}


def parents(inv: Inventory, skip: Unvalidated) -> Iterator[InventoryError]:
    for site in inv.sites:
        if site.parent is None:
            continue
        if site.parent == site.id:
            yield err(inv, "site", site.id, "parent", msg="a site cannot be its own parent")
            continue
        parent = inv.site_by_id.get(site.parent)
        if parent is None:
            if not skip.has("site", site.parent):
                yield err(inv, "site", site.id, "parent", msg=f"unknown site {site.parent!r}")
            continue
        allowed = PARENT_TIERS[site.tier]
        if parent.tier not in allowed:
            if allowed:
                need = " or ".join(t.value for t in allowed)
                text = f"a {site.tier.value} site's parent must be a {need} site"
            else:
                text = f"a {site.tier.value} site has no parent site"
            yield err(
                inv,
                "site",
                site.id,
                "parent",
                msg=f"{text}, not {parent.tier.value} site {parent.id!r}",
            )


def parent_cycles(inv: Inventory, skip: Unvalidated) -> Iterator[InventoryError]:
    """Each cycle once, at its first site in file order: ``a -> b -> c -> a``."""
    order = {s.id: n for n, s in enumerate(inv.sites)}
    done: set[str] = set()
    for site in inv.sites:
        trail: list[Site] = []
        on_trail: set[str] = set()
        current: Site | None = site
        while current is not None and current.id not in done and current.id not in on_trail:
            trail.append(current)
            on_trail.add(current.id)
            parent_id = current.parent
            current = None
            if parent_id is not None and parent_id != trail[-1].id:
                current = inv.site_by_id.get(parent_id)
        done.update(on_trail)
        if current is None or current.id not in on_trail:
            continue
        cycle = trail[[s.id for s in trail].index(current.id) :]
        first = min(range(len(cycle)), key=lambda n: order[cycle[n].id])
        cycle = cycle[first:] + cycle[:first]
        shown = " -> ".join(s.id for s in [*cycle, cycle[0]])
        yield err(inv, "site", cycle[0].id, "parent", msg=f"parent cycle: {shown}")


def tiers_have_policy(inv: Inventory, skip: Unvalidated) -> Iterator[InventoryError]:
    if skip.policy:
        return
    reported: set[str] = set()
    for site in inv.sites:
        if site.tier not in inv.policy.tiers and site.tier.value not in reported:
            reported.add(site.tier.value)
            yield err(
                inv,
                "site",
                site.id,
                "tier",
                msg=f"tier {site.tier.value!r} has no entry in policy.tiers",
            )


def dual_homing(inv: Inventory, skip: Unvalidated) -> Iterator[InventoryError]:
    for site in inv.sites:
        if not site.important or skip.site_incomplete(inv, site.id):
            continue
        uplinks = inv.uplinks_of_site(site.id)
        upstream = {lk.a.device for lk in uplinks}
        if len(uplinks) < 2 or len(upstream) < 2:
            yield err(
                inv,
                "site",
                site.id,
                "important",
                msg=(
                    f"important site {site.name} must be dual-homed: it has {len(uplinks)} "
                    f"uplink(s) to {len(upstream)} upstream device(s)"
                ),
            )
