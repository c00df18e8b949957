"""Which sites reach the government cloud, under a set of failed links and devices.

A site *reaches the cloud* when any of its surviving network devices is connected to any
surviving network device of a ``cloud``-tier site. A *single point of failure* of a site is
one more link or device whose failure would cut the site off; the site's own devices and the
cloud's devices are the two ends of the path and never count as such (a failed site device
makes the site *down*, which is reported apart from being cut off).

Only articulation points and bridges can cut anything off; one depth-first walk from the
cloud finds them all with the devices each would disconnect, so ranking every single failure
of a ~90-device district stays well under a second.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .graph import Network


class ElementKind(StrEnum):
    link = "link"
    device = "device"


@dataclass(frozen=True, order=True)
class Element:
    """One link (by id) or one network device (by name) that can fail."""

    kind: ElementKind
    name: str

    def __str__(self) -> str:
        return f"{self.kind.value} {self.name}"


@dataclass(frozen=True)
class Failure:
    """A set of failed links and devices (empty: the network as intended)."""

    links: frozenset[str] = frozenset()
    devices: frozenset[str] = frozenset()

    @classmethod
    def of(cls, elements: Iterable[Element]) -> Failure:
        items = list(elements)
        return cls(
            links=frozenset(e.name for e in items if e.kind is ElementKind.link),
            devices=frozenset(e.name for e in items if e.kind is ElementKind.device),
        )

    def plus(self, element: Element) -> Failure:
        if element.kind is ElementKind.link:
            return Failure(self.links | {element.name}, self.devices)
        return Failure(self.links, self.devices | {element.name})

    @property
    def elements(self) -> list[Element]:
        return sorted(
            [Element(ElementKind.link, n) for n in self.links]
            + [Element(ElementKind.device, n) for n in self.devices]
        )


NO_FAILURE = Failure()


def reached_devices(net: Network, failure: Failure = NO_FAILURE) -> set[str]:
    """Network devices still connected to a surviving cloud device."""
    start = [d for d in net.cloud_devices if d not in failure.devices]
    seen = set(start)
    queue = deque(start)
    adjacency = net.graph.adj
    while queue:
        node = queue.popleft()
        for peer, links in adjacency[node].items():
            if peer in seen or peer in failure.devices:
                continue
            if all(link_id in failure.links for link_id in links):
                continue
            seen.add(peer)
            queue.append(peer)
    return seen


def connected_sites(net: Network, failure: Failure = NO_FAILURE) -> frozenset[str]:
    """Ids of the non-cloud sites that still reach the cloud."""
    reached = reached_devices(net, failure)
    return frozenset(site.id for site in net.endpoint_sites if net.site_devices[site.id] & reached)


def down_sites(net: Network, failure: Failure) -> frozenset[str]:
    """Sites that have network devices and lost every one of them to the failure."""
    return frozenset(
        site.id
        for site in net.endpoint_sites
        if net.site_devices[site.id] and net.site_devices[site.id] <= failure.devices
    )


def single_points(net: Network, failure: Failure = NO_FAILURE) -> dict[Element, frozenset[str]]:
    """Every further link or device whose failure would cut sites off, with those sites.

    Sites the element would only bring *down* (its own site) are left out, and cloud devices
    are never candidates: they are where the paths end.
    """
    return DfsTree.build(net, failure).cut_sites(net, failure)


CLOUD = "\x00cloud"  # one node standing for every cloud device (never a device name)

Adjacency = dict[str, dict[str, list[str]]]


def surviving_adjacency(net: Network, failure: Failure) -> Adjacency:
    """The graph minus the failure, cloud devices as one node."""
    cloud = net.cloud_devices
    adjacency: Adjacency = {CLOUD: {}}
    for u, v, link_id in net.graph.edges(keys=True):
        if link_id in failure.links or u in failure.devices or v in failure.devices:
            continue
        a = CLOUD if u in cloud else u
        b = CLOUD if v in cloud else v
        if a == b:
            continue
        adjacency.setdefault(a, {}).setdefault(b, []).append(link_id)
        adjacency.setdefault(b, {}).setdefault(a, []).append(link_id)
    return adjacency


@dataclass
class DfsTree:
    """A depth-first tree rooted at the cloud over the surviving network (Tarjan's lowpoints).

    Cutting a bridge tree-edge (p, v) disconnects exactly v's subtree; removing an articulation
    point p disconnects the subtrees of its children v with ``low[v] >= disc[p]``. The walk also
    splits the edges into biconnected blocks: ``block_of[v]`` is the block of v's tree edge
    (the one towards the cloud) and ``top[b]`` the vertex through which block b hangs off the
    blocks nearer the cloud.
    """

    adjacency: Adjacency
    order: list[str]
    disc: dict[str, int]
    low: dict[str, int]
    parent: dict[str, str]
    last: dict[str, int]  # index in ``order`` of the last node of each subtree
    block_of: dict[str, int]
    top: list[str]
    block_pairs: list[list[tuple[str, str]]]

    @classmethod
    def build(cls, net: Network, failure: Failure) -> DfsTree:
        return cls.over(net, surviving_adjacency(net, failure), failure)

    @classmethod
    def over(cls, net: Network, adjacency: Adjacency, failure: Failure) -> DfsTree:
        """The tree over an adjacency that already leaves the failure out."""
        tree = cls(adjacency, [], {}, {}, {}, {}, {}, [], [])
        if any(d not in failure.devices for d in net.cloud_devices):
            tree._walk()
        return tree

    def _walk(self) -> None:
        disc, low, parent, order = self.disc, self.low, self.parent, self.order
        disc[CLOUD] = low[CLOUD] = 0
        order.append(CLOUD)
        pairs: list[tuple[str, str]] = []  # Tarjan's edge stack
        stack = [(CLOUD, iter(self.adjacency[CLOUD]))]
        while stack:
            node, peers = stack[-1]
            advanced = False
            for peer in peers:
                if peer not in disc:
                    parent[peer] = node
                    disc[peer] = low[peer] = len(order)
                    order.append(peer)
                    pairs.append((node, peer))
                    stack.append((peer, iter(self.adjacency[peer])))
                    advanced = True
                    break
                if peer != parent.get(node) and disc[peer] < disc[node]:
                    pairs.append((node, peer))
                    low[node] = min(low[node], disc[peer])
            if advanced:
                continue
            stack.pop()
            self.last[node] = len(order) - 1
            if stack:
                up = stack[-1][0]
                low[up] = min(low[up], low[node])
                if low[node] >= disc[up]:
                    self._close_block(pairs, up, node)

    def _close_block(self, pairs: list[tuple[str, str]], up: str, child: str) -> None:
        block = len(self.top)
        self.top.append(up)
        popped: list[tuple[str, str]] = []
        while True:
            pair = pairs.pop()
            popped.append(pair)
            if pair[0] == up and pair[1] == child:
                break
        self.block_pairs.append(popped)
        for a, b in popped:
            if self.parent.get(b) == a:
                self.block_of[b] = block

    @property
    def reached(self) -> set[str]:
        return set(self.order) - {CLOUD}

    def subtree(self, node: str) -> list[str]:
        return self.order[self.disc[node] : self.last[node] + 1]

    def cuts(self) -> dict[Element, set[str]]:
        """Bridges and articulation points with the devices each would disconnect."""
        out: dict[Element, set[str]] = {}
        for child, up in self.parent.items():
            links = self.adjacency[up][child]
            if self.low[child] > self.disc[up] and len(links) == 1:
                out[Element(ElementKind.link, links[0])] = set(self.subtree(child))
            if up != CLOUD and self.low[child] >= self.disc[up]:
                out.setdefault(Element(ElementKind.device, up), set()).update(self.subtree(child))
        return out

    def cut_sites(
        self, net: Network, failure: Failure, only: frozenset[str] | None = None
    ) -> dict[Element, frozenset[str]]:
        """The sites each further element would cut off (those in ``only``, when given).

        A site is cut off when it has a reached device, keeps a device that did not fail,
        and every one of its reached devices is lost or is the failed element itself. The
        work per element is the size of what it disconnects, not of the network.
        """
        reached = self.reached
        cuts = self.cuts()
        site_of = net.site_of_device
        # A device that is not an articulation point still cuts its own site off when the
        # site's other devices are alive but already unreachable.
        for name in reached:
            if only is None or site_of[name] in only:
                cuts.setdefault(Element(ElementKind.device, name), set())
        site_devices = net.site_devices
        out: dict[Element, frozenset[str]] = {}
        for element, lost in cuts.items():
            gone = element.name if element.kind is ElementKind.device else None
            touched = {site_of[d] for d in lost}
            if gone is not None:
                touched.add(site_of[gone])
            cut = set()
            for site in touched:
                if only is not None and site not in only:
                    continue
                devices = site_devices[site]
                alive = [d for d in devices if d in reached]
                if not alive:
                    continue
                if all(d in failure.devices or d == gone for d in devices):
                    continue  # down, not cut off
                if all(d in lost or d == gone for d in alive):
                    cut.add(site)
            if cut:
                out[element] = frozenset(cut)
        return out
