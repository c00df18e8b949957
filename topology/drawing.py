"""The network drawn with Graphviz: checks and live link states laid over the graph."""

from __future__ import annotations

from dataclasses import dataclass

from inventory.catalog import Inventory

from .checks import check
from .diagram import to_dot
from .graph import Network, build_network
from .linkstate import LinkStatus, open_source
from .render import Format, render


@dataclass(frozen=True)
class Drawing:
    """The rendered image and what it shows; ``states`` None when no live source."""

    data: bytes
    format: Format
    network: Network
    states: dict[str, LinkStatus] | None


def draw(
    inv: Inventory,
    fmt: Format,
    *,
    live: str | None = None,
    violations: bool = True,
    max_row: int = 11,
) -> Drawing:
    """Render ``inv``'s network as ``fmt``: check violations highlighted (``violations``),
    links down highlighted from ``live`` (a Prometheus URL, a .json file or a saved text
    exposition, see :func:`topology.linkstate.open_source`), ``max_row`` departments a row."""
    net = build_network(inv)
    report = check(inv, net) if violations else None
    states = dict(open_source(live, inv).link_states()) if live else None
    data = render(to_dot(net, report, states, max_row=max_row), fmt)
    return Drawing(data=data, format=fmt, network=net, states=states)
