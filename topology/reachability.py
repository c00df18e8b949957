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
