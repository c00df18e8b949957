"""The per-scenario failure analysis as it was before issue 15, kept as the reference the
structural ``whatif --all-single`` is compared with (tests only).

Every single failure reruns reachability and the single-point analysis over the whole
network; the single-point analysis itself does O(n) work per cut element. Exact, and
cubic in the network's size.
"""

from __future__ import annotations

from dataclasses import dataclass

from topology.findings import site_refs
from topology.graph import Network
from topology.reachability import (
    NO_FAILURE,
    Element,
    ElementKind,
    Failure,
    connected_sites,
    down_sites,
)
from topology.whatif import RankRow


def reference_single_points(
    net: Network, failure: Failure = NO_FAILURE
) -> dict[Element, frozenset[str]]:
    """Every further link or device whose failure would cut sites off, with those sites.

    Sites the element would only bring *down* (its own site) are left out, and cloud devices
    are never candidates: they are where the paths end.
    """
    tree = _DfsTree.build(net, failure)
    reached = set(tree.order) - {_CLOUD}
    cuts = tree.cuts()
    # A device that is not an articulation point still cuts its own site off when the site's
    # other devices are alive but already unreachable.
    for name in reached:
        cuts.setdefault(Element(ElementKind.device, name), set())
    out: dict[Element, frozenset[str]] = {}
    for element, lost_devices in cuts.items():
        gone = {element.name} if element.kind is ElementKind.device else set()
        still = reached - lost_devices - gone
        touched = {net.graph.nodes[d]["site"] for d in lost_devices | gone}
        cut = frozenset(
            site
            for site in touched
            if net.site_devices[site] & reached
            and (net.site_devices[site] - failure.devices - gone)
            and not net.site_devices[site] & still
        )
        if cut:
            out[element] = cut
    return out


_CLOUD = "\x00cloud"  # one node standing for every cloud device (never a device name)


@dataclass
class _DfsTree:
    """A depth-first tree rooted at the cloud over the surviving network (Tarjan's lowpoints).

    Cutting a bridge tree-edge (p, v) disconnects exactly v's subtree; removing an articulation
    point p disconnects the subtrees of its children v with ``low[v] >= disc[p]``.
    """

    adjacency: dict[str, dict[str, list[str]]]
    order: list[str]
    disc: dict[str, int]
    low: dict[str, int]
    parent: dict[str, str]
    last: dict[str, int]  # index in ``order`` of the last node of each subtree

    @classmethod
    def build(cls, net: Network, failure: Failure) -> _DfsTree:
        def node(name: str) -> str:
            return _CLOUD if name in net.cloud_devices else name

        adjacency: dict[str, dict[str, list[str]]] = {_CLOUD: {}}
        for u, v, link_id in net.graph.edges(keys=True):
            if link_id in failure.links or u in failure.devices or v in failure.devices:
                continue
            a, b = node(u), node(v)
            if a == b:
                continue
            adjacency.setdefault(a, {}).setdefault(b, []).append(link_id)
            adjacency.setdefault(b, {}).setdefault(a, []).append(link_id)
        tree = cls(adjacency, [], {}, {}, {}, {})
        if any(d not in failure.devices for d in net.cloud_devices):
            tree._walk()
        return tree

    def _walk(self) -> None:
        self.disc[_CLOUD] = self.low[_CLOUD] = 0
        self.order.append(_CLOUD)
        stack = [(_CLOUD, iter(self.adjacency[_CLOUD]))]
        while stack:
            node, peers = stack[-1]
            advanced = False
            for peer in peers:
                if peer not in self.disc:
                    self.parent[peer] = node
                    self.disc[peer] = self.low[peer] = len(self.order)
                    self.order.append(peer)
                    stack.append((peer, iter(self.adjacency[peer])))
                    advanced = True
                    break
                if peer != self.parent.get(node):
                    self.low[node] = min(self.low[node], self.disc[peer])
            if advanced:
                continue
            stack.pop()
            self.last[node] = len(self.order) - 1
            if stack:
                up = stack[-1][0]
                self.low[up] = min(self.low[up], self.low[node])

    def subtree(self, node: str) -> list[str]:
        return self.order[self.disc[node] : self.last[node] + 1]

    def cuts(self) -> dict[Element, set[str]]:
        """Bridges and articulation points with the devices each would disconnect."""
        out: dict[Element, set[str]] = {}
        for child, up in self.parent.items():
            links = self.adjacency[up][child]
            if self.low[child] > self.disc[up] and len(links) == 1:
                out[Element(ElementKind.link, links[0])] = set(self.subtree(child))
            if up != _CLOUD and self.low[child] >= self.disc[up]:
                out.setdefault(Element(ElementKind.device, up), set()).update(self.subtree(child))
        return out


def reference_rank(net: Network) -> list[RankRow]:
    """``rank_single_failures`` as it was: one full what-if per link and device."""
    must = net.must_be_redundant
    points = reference_single_points(net, NO_FAILURE)
    connected = connected_sites(net)
    with_single_point = frozenset(s for sites in points.values() for s in sites)
    elements = [Element(ElementKind.link, lk.id) for lk in net.inventory.links] + [
        Element(ElementKind.device, name) for name in net.devices
    ]
    rows: list[RankRow] = []
    for element in elements:
        isolated, lost = reference_what_if(net, Failure.of([element]), connected, with_single_point)
        ids = [ref.id for ref in site_refs(net.inventory, isolated, must)]
        rows.append(
            RankRow(
                element=str(element),
                kind=element.kind,
                name=element.name,
                isolated=len(ids),
                isolated_must=sum(1 for s in ids if s in must),
                lost_redundancy=len(lost),
                sites=ids,
            )
        )
    rows.sort(key=lambda r: (-r.isolated, -r.isolated_must, -r.lost_redundancy, r.element))
    return rows


def reference_what_if(
    net: Network,
    failure: Failure,
    connected: frozenset[str],
    with_single_point: frozenset[str],
) -> tuple[frozenset[str], dict[str, list[str]]]:
    """Sites isolated (down or cut off), and the sites that lost redundancy with the
    elements each now hangs on."""
    after = connected_sites(net, failure)
    down = down_sites(net, failure) & connected
    cut = connected - after - down
    hanging: dict[str, list[str]] = {}
    for element, sites in reference_single_points(net, failure).items():
        for site in sites:
            hanging.setdefault(site, []).append(str(element))
    lost = {s: sorted(v) for s, v in hanging.items() if s in after and s not in with_single_point}
    return frozenset(down | cut), lost
