"""The network drawn with Graphviz: checks and live link states laid over the graph.

One inventory gives one drawing; a city (several districts) gives an overview and one drawing
per district (``topology.overview``), each rendered on its own so each stays readable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from inventory.catalog import Inventory

from .checks import check
from .graph import Network, build_network
from .linkstate import LinkStatus, open_source
from .overview import drawings
from .render import Format, render


@dataclass(frozen=True)
class Image:
    """One rendered drawing and the file stem it is written under (``district-qj``)."""

    stem: str
    data: bytes


@dataclass(frozen=True)
class Drawing:
    """The rendered images and what they show; ``states`` None when no live source."""

    images: list[Image]
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
    district: str | None = None,
    overview: bool = False,
    per_district: bool = False,
    on_rendered: Callable[[int, int], None] | None = None,
) -> Drawing:
    """Render ``inv``'s network as ``fmt``: check violations highlighted (``violations``),
    links down highlighted from ``live`` (a Prometheus URL, a .json file or a saved text
    exposition, see :func:`topology.linkstate.open_source`), ``max_row`` departments a row.

    ``district``, ``overview`` and ``per_district`` choose the drawings of a city (see
    :func:`topology.overview.drawings`); ``on_rendered(done, total)`` after each one.
    """
    net = build_network(inv)
    report = check(inv, net) if violations else None
    states = dict(open_source(live, inv).link_states()) if live else None
    dots = drawings(
        net,
        report,
        states,
        max_row,
        district=district,
        overview=overview,
        per_district=per_district,
    )
    images = []
    for stem, dot_text in dots.items():
        images.append(Image(stem, render(dot_text, fmt)))
        if on_rendered is not None:
            on_rendered(len(images), len(dots))
    return Drawing(images=images, format=fmt, network=net, states=states)
