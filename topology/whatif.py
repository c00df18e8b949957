"""``topology whatif``: which sites lose the cloud, or only their redundancy, under failures."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from pydantic import Field

from base.errors import TopologyError
from inventory.models import Role

from .findings import Record, SiteRef, site_refs
from .graph import Network
from .reachability import (
    NO_FAILURE,
    Element,
    ElementKind,
    Failure,
    connected_sites,
    down_sites,
    single_points,
)


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


@dataclass(frozen=True)
class Baseline:
    """The intended network's answers, computed once for many what-ifs."""

    connected: frozenset[str]
    with_single_point: frozenset[str]

    @classmethod
    def of(cls, net: Network) -> Baseline:
        points = single_points(net, NO_FAILURE)
        return cls(
            connected=connected_sites(net),
            with_single_point=frozenset(s for sites in points.values() for s in sites),
        )


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
    after = connected_sites(net, failure)
    down = down_sites(net, failure) & base.connected
    cut = base.connected - after - down
    hanging: dict[str, list[str]] = {}
    for element, sites in single_points(net, failure).items():
        for site in sites:
            hanging.setdefault(site, []).append(str(element))
    lost = {s for s in hanging if s in after and s not in base.with_single_point}
    isolated = [
        SiteImpact(site=ref, impact=Impact.down if ref.id in down else Impact.cut_off)
        for ref in site_refs(net.inventory, down | cut, must)
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
    """Fail every link and every network device alone; most sites isolated first."""
    must = net.must_be_redundant
    base = Baseline.of(net)
    elements = [Element(ElementKind.link, lk.id) for lk in net.inventory.links] + [
        Element(ElementKind.device, name) for name in net.devices
    ]
    rows: list[RankRow] = []
    for index, element in enumerate(elements):
        result = what_if(net, [element], base)
        ids = [i.site.id for i in result.isolated]
        rows.append(
            RankRow(
                element=str(element),
                kind=element.kind,
                name=element.name,
                isolated=len(ids),
                isolated_must=sum(1 for s in ids if s in must),
                lost_redundancy=len(result.lost_redundancy),
                sites=ids,
            )
        )
        if progress is not None:
            progress(index + 1, len(elements))
    rows.sort(key=lambda r: (-r.isolated, -r.isolated_must, -r.lost_redundancy, r.element))
    return rows
