"""Failure scenarios: one set of failures, or every single failure at once from the structure.

:func:`scenario` recomputes reachability and the single points of failure under one set of
failed elements (what ``whatif --fail`` shows). Doing that for each of a city's ~5,000 links
and devices is ~5,000 walks of the whole network, each followed by work per cut element:
quadratic to cubic in the network's size (issue 15: it did not finish in 600 s).

:func:`all_single_failures` answers the same question for every single element in one pass
over the graph's structure (identical results; the tests compare it with the per-scenario
rerun on the sample district, the lab and random graphs):

* *isolated* by an element: its own site when the element was the site's only network device
  (down), plus the sites the intended network's single-point analysis (one depth-first walk)
  says the element cuts off;
* *lost redundancy*: a site without a single point of failure can only get one when the
  failed element lies on some path between the cloud and one of the site's devices, i.e. in
  one of the biconnected blocks between them in the block-cut tree. Any element outside
  those blocks leaves every such path and every second failure's effect unchanged. Only the
  elements of those blocks (the redundant core: cores, city cores, dual-homed towns and
  departments and their links) are rerun, each over those blocks only;
* a cloud device is merged with the others into one node by the analysis: losing it is
  losing its links (one reachability walk for what it isolates, a rerun of the blocks for
  the redundancy).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .graph import Network
from .reachability import (
    CLOUD,
    NO_FAILURE,
    Adjacency,
    DfsTree,
    Element,
    ElementKind,
    Failure,
    connected_sites,
    down_sites,
    single_points,
)


@dataclass(frozen=True)
class Baseline:
    """The intended network's answers, computed once for many what-ifs."""

    connected: frozenset[str]
    with_single_point: frozenset[str]
    points: dict[Element, frozenset[str]]

    @classmethod
    def of(cls, net: Network) -> Baseline:
        points = single_points(net, NO_FAILURE)
        return cls(
            connected=connected_sites(net),
            with_single_point=frozenset(s for sites in points.values() for s in sites),
            points=points,
        )

    @property
    def redundant(self) -> frozenset[str]:
        """Connected sites that no single failure cuts off."""
        return self.connected - self.with_single_point


@dataclass(frozen=True)
class Scenario:
    """What one set of failures does to the sites that reached the cloud before."""

    down: frozenset[str]  # every network device of the site failed
    cut: frozenset[str]  # its devices run but no path reaches the cloud
    hanging: dict[str, list[str]]  # site -> the elements it now hangs on (any site)
    lost: frozenset[str]  # still connected, had no single point, now has one

    @property
    def isolated(self) -> frozenset[str]:
        return self.down | self.cut


def scenario(net: Network, failure: Failure, base: Baseline) -> Scenario:
    """Recompute everything under ``failure`` (one walk of the whole network)."""
    after = connected_sites(net, failure)
    down = down_sites(net, failure) & base.connected
    cut = base.connected - after - down
    hanging: dict[str, list[str]] = {}
    for element, sites in single_points(net, failure).items():
        for site in sites:
            hanging.setdefault(site, []).append(str(element))
    lost = frozenset(s for s in hanging if s in after and s not in base.with_single_point)
    return Scenario(down=down, cut=frozenset(cut), hanging=hanging, lost=lost)


@dataclass(frozen=True)
class SingleFailure:
    """One link or network device failed alone."""

    element: Element
    isolated: frozenset[str]  # sites down or cut off
    lost_redundancy: frozenset[str]  # sites still connected, now through a single point


def single_elements(net: Network) -> list[Element]:
    """Every link, then every network device: the candidates of ``--all-single``."""
    return [Element(ElementKind.link, lk.id) for lk in net.inventory.links] + [
        Element(ElementKind.device, name) for name in net.devices
    ]


def all_single_failures(
    net: Network, progress: Callable[[int, int], None] | None = None
) -> list[SingleFailure]:
    """Fail every link and every network device alone, in :func:`single_elements` order."""
    base = Baseline.of(net)
    core = _RedundantCore.of(net, base)
    elements = single_elements(net)
    out: list[SingleFailure] = []
    for index, element in enumerate(elements):
        if element.kind is ElementKind.device and element.name in net.cloud_devices:
            # merged into the cloud node: losing one is losing its links (one walk)
            isolated = base.connected - connected_sites(net, Failure.of([element]))
        else:
            isolated = _down(net, element, base) | base.points.get(element, frozenset())
        out.append(SingleFailure(element, isolated, core.lost(element, isolated)))
        if progress is not None:
            progress(index + 1, len(elements))
    return out


def _down(net: Network, element: Element, base: Baseline) -> frozenset[str]:
    if element.kind is not ElementKind.device:
        return frozenset()
    site = net.site_of_device[element.name]
    alone = net.site_devices[site] == {element.name}
    return frozenset({site}) if alone and site in base.connected else frozenset()


@dataclass(frozen=True)
class _RedundantCore:
    """The biconnected blocks on the paths between the cloud and the devices of the sites
    that have no single point of failure: the only place a single failure can take
    redundancy away."""

    net: Network
    redundant: frozenset[str]
    adjacency: Adjacency  # of those blocks, cloud devices as one node
    ends: dict[str, tuple[str, str]]  # link id -> its two nodes in ``adjacency``
    cloud_links: dict[str, list[str]]  # cloud device -> its links in ``adjacency``

    @classmethod
    def of(cls, net: Network, base: Baseline) -> _RedundantCore:
        tree = DfsTree.build(net, NO_FAILURE)
        reached = tree.reached
        blocks: set[int] = set()
        for site in base.redundant:
            for device in net.site_devices[site] & reached:
                node = device
                while node != CLOUD:  # up the block-cut tree to the cloud
                    block = tree.block_of[node]
                    if block in blocks:
                        break
                    blocks.add(block)
                    node = tree.top[block]
        adjacency: Adjacency = {CLOUD: {}}
        ends: dict[str, tuple[str, str]] = {}
        for block in blocks:
            for a, b in tree.block_pairs[block]:
                links = tree.adjacency[a][b]
                adjacency.setdefault(a, {})[b] = links
                adjacency.setdefault(b, {})[a] = links
                ends.update((k, (a, b)) for k in links)
        cloud_links: dict[str, list[str]] = {}
        for u, v, k in net.graph.edges(keys=True):
            for end in (u, v):
                if k in ends and end in net.cloud_devices:
                    cloud_links.setdefault(end, []).append(k)
        return cls(net, base.redundant, adjacency, ends, cloud_links)

    def lost(self, element: Element, isolated: frozenset[str]) -> frozenset[str]:
        adjacency = self._without(element)
        if adjacency is None:
            return frozenset()
        failure = Failure.of([element])
        tree = DfsTree.over(self.net, adjacency, failure)
        cut = tree.cut_sites(self.net, failure, only=self.redundant - isolated)
        return frozenset(s for sites in cut.values() for s in sites)

    def _without(self, element: Element) -> Adjacency | None:
        """The blocks minus ``element`` (copying only what changes); None when the element
        is not in them."""
        out = dict(self.adjacency)
        name = element.name
        if element.kind is ElementKind.link:
            links = [name] if name in self.ends else []
        elif name in self.net.cloud_devices:
            links = self.cloud_links.get(name, [])
        elif name in out:
            for peer in out.pop(name):
                out[peer] = {k: v for k, v in out[peer].items() if k != name}
            return out
        else:
            links = []
        if not links:
            return None
        for link in links:
            a, b = self.ends[link]
            kept = [k for k in out[a][b] if k != link]
            for x, y in ((a, b), (b, a)):
                out[x] = {p: (kept if p == y else v) for p, v in out[x].items() if kept or p != y}
        return out
