"""``topology whatif``: which sites lose the cloud, or only their redundancy, under failures."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum

from pydantic import Field

from base.errors import TopologyError
from inventory.models import Role

from .findings import Record, SiteRef, site_refs
from .graph import Network
from .reachability import Element, ElementKind, Failure
from .single_failures import Baseline, all_single_failures, scenario


class Impact(StrEnum):
    down = "down"  # every network device of the site failed
    cut_off = "cut_off"  # its devices run but no path reaches the cloud
    lost_redundancy = "lost_redundancy"  # still connected, now through a single point


class SiteImpact(Record):
    site: SiteRef
    impact: Impact
    single_points: list[str] = Field(default_factory=list)  # lost_redundancy: hangs on these


class WhatIfResult(Record):
    failed: list[str]
    isolated: list[SiteImpact]
    lost_redundancy: list[SiteImpact]

    @property
    def isolated_ids(self) -> set[str]:
        return {i.site.id for i in self.isolated}


class RankRow(Record):
    element: str
    kind: ElementKind
    name: str
    isolated: int
    isolated_must: int
    lost_redundancy: int
    sites: list[str]


def resolve(net: Network, names: Iterable[str]) -> list[Element]:
    """Link ids and device names as failure elements; ``link:``/``device:`` force the kind.

    Unknown, ambiguous and server names raise :class:`TopologyError` (exit 2).
    """
    inv = net.inventory
    out: list[Element] = []
    for raw in names:
        kind, _, name = raw.partition(":") if ":" in raw else ("", "", raw)
        if kind not in ("", "link", "device"):
            raise TopologyError(f"{raw!r}: prefix must be link: or device:")
        is_link = name in inv.link_by_id and kind in ("", "link")
        dev = inv.device_by_name.get(name) if kind in ("", "device") else None
        if is_link and dev is not None:
            raise TopologyError(
                f"{name!r} is both a link and a device: write link:{name} or device:{name}"
            )
        if is_link:
            out.append(Element(ElementKind.link, name))
        elif dev is not None and dev.role is Role.server:
            raise TopologyError(
                f"{name!r} is a server: servers are not in the topology (fail its site's device)"
            )
        elif dev is not None:
            out.append(Element(ElementKind.device, name))
        else:
            known = [*inv.link_by_id, *net.devices]
            close = difflib.get_close_matches(name, known, n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise TopologyError(f"unknown link or device {name!r}{hint}")
    return out


def what_if(
    net: Network, elements: Sequence[Element], baseline: Baseline | None = None
) -> WhatIfResult:
    """Sites isolated by failing ``elements`` together, and sites left on a single path.

    Only sites that reached the cloud before count; *lost redundancy* means a site that had
    no single point of failure now has at least one (listed in ``single_points``).
    """
    base = baseline or Baseline.of(net)
    must = net.must_be_redundant
    failure = Failure.of(elements)
    result = scenario(net, failure, base)
    down, hanging, lost = result.down, result.hanging, result.lost
    isolated = [
        SiteImpact(site=ref, impact=Impact.down if ref.id in down else Impact.cut_off)
        for ref in site_refs(net.inventory, result.isolated, must)
    ]
    degraded = [
        SiteImpact(site=ref, impact=Impact.lost_redundancy, single_points=sorted(hanging[ref.id]))
        for ref in site_refs(net.inventory, lost, must)
    ]
    return WhatIfResult(
        failed=[str(e) for e in failure.elements], isolated=isolated, lost_redundancy=degraded
    )


def rank_single_failures(
    net: Network, progress: Callable[[int, int], None] | None = None
) -> list[RankRow]:
    """Fail every link and every network device alone; most sites isolated first.

    Computed in one pass over the graph's structure (:func:`all_single_failures`).
    """
    must = net.must_be_redundant
    rows: list[RankRow] = []
    for one in all_single_failures(net, progress):
        ids = [ref.id for ref in site_refs(net.inventory, one.isolated, must)]
        rows.append(
            RankRow(
                element=str(one.element),
                kind=one.element.kind,
                name=one.element.name,
                isolated=len(ids),
                isolated_must=sum(1 for s in ids if s in must),
                lost_redundancy=len(one.lost_redundancy),
                sites=ids,
            )
        )
    rows.sort(key=lambda r: (-r.isolated, -r.isolated_must, -r.lost_redundancy, r.element))
    return rows
