"""``topology draw``: the network as Graphviz DOT, tiers as ranks, planes in two colours.

Ranks from the top: the city and the government cloud, the district cores, the departments,
the towns, the villages. Departments wrap onto further ranks of at most ``max_row`` devices,
and each town's villages are stacked in a column under it (the sample district's 31
departments and 38 villages in single rows would make a picture tens of inches wide).

Highlighted: devices and links named by must/should violations (orange), links reported
down by a live source (red, dashed) and the sites those down links isolate (red fill).
Servers are not drawn (they share their site device's fate; see topology.graph).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from inventory.models import Device, LinkKind, Role, Tier

from .findings import CheckReport, Severity
from .graph import Network
from .linkstate import LinkStatus
from .reachability import Element, ElementKind
from .whatif import what_if

PLANE_COLOURS = {"A": "#1f77b4", "B": "#2ca02c"}
VIOLATION = "#ff7f0e"
DOWN = "#d62728"
ISOLATED_FILL = "#ffcdd2"
TIER_FILL = {
    Tier.city: "#e8eaf6",
    Tier.district_core: "#c5cae9",
    Tier.cloud: "#d1c4e9",
    Tier.department: "#e0f2f1",
    Tier.town: "#fff3e0",
    Tier.village: "#fafafa",
}
FONT = "WenQuanYi Micro Hei"
MAX_DEPTH = 6  # ranks of villages under a town
EDGE_WIDTH = {
    LinkKind.core_interconnect: 3.0,
    LinkKind.uplink: 2.5,
    LinkKind.backbone: 2.5,
    LinkKind.access: 1.2,
}


@dataclass(frozen=True)
class Highlights:
    must_devices: frozenset[str] = frozenset()
    must_links: frozenset[str] = frozenset()
    should_devices: frozenset[str] = frozenset()
    should_links: frozenset[str] = frozenset()
    down_links: frozenset[str] = frozenset()
    isolated_sites: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        net: Network,
        report: CheckReport | None,
        states: Mapping[str, LinkStatus] | None,
    ) -> Highlights:
        must_d: set[str] = set()
        must_l: set[str] = set()
        should_d: set[str] = set()
        should_l: set[str] = set()
        for v in report.violations if report else []:
            if v.severity is Severity.must:
                must_d.update(v.devices)
                must_l.update(v.links)
            elif v.severity is Severity.should:
                should_d.update(v.devices)
                should_l.update(v.links)
        down = frozenset(
            link
            for link, status in (states or {}).items()
            if status is LinkStatus.down and link in net.inventory.link_by_id
        )
        isolated: frozenset[str] = frozenset()
        if down:
            result = what_if(net, [Element(ElementKind.link, lk) for lk in sorted(down)])
            isolated = frozenset(result.isolated_ids)
        return cls(
            frozenset(must_d),
            frozenset(must_l),
            frozenset(should_d),
            frozenset(should_l),
            down,
            isolated,
        )


def rate(mbps: int) -> str:
    """Committed rate as a short label: 50M, 1G, 10G."""
    if mbps >= 1000 and mbps % 1000 == 0:
        return f"{mbps // 1000}G"
    return f"{mbps}M"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _layout(
    net: Network, max_row: int, drawn: frozenset[str]
) -> tuple[list[list[str]], list[list[str]]]:
    """Device names per rank (top to bottom), and the columns of devices hanging off one
    upstream device (each town's villages, stacked under it one per rank)."""
    inv = net.inventory
    by_tier: dict[Tier, list[Device]] = {t: [] for t in Tier}
    for dev in sorted((net.devices[n] for n in drawn), key=lambda d: d.name):
        by_tier[inv.site(dev.site).tier].append(dev)
    rows: list[list[str]] = []
    for group in (by_tier[Tier.city] + by_tier[Tier.cloud], by_tier[Tier.district_core]):
        if group:
            rows.append([d.name for d in group])
    for tier in (Tier.department, Tier.town):
        rows.extend(_wrap([d.name for d in by_tier[tier]], max_row))
    under: dict[str, list[str]] = {}
    for dev in by_tier[Tier.village]:
        uplinks = inv.uplinks_of_site(dev.site)
        under.setdefault(uplinks[0].a.device if uplinks else "", []).append(dev.name)
    # a town's villages stack in a column under it, side by side columns past MAX_DEPTH
    # (a city district's 20 villages in one column would make 20 ranks of long edges)
    columns: list[list[str]] = []
    for names in under.values():
        width = -(-len(names) // MAX_DEPTH)
        columns.extend(names[i::width] for i in range(width))
    depth = max((len(c) for c in columns), default=0)
    rows.extend([c[k] for c in columns if k < len(c)] for k in range(depth))
    return rows, [c for c in columns if len(c) > 1]


def _wrap(names: list[str], max_row: int) -> list[list[str]]:
    if not names:
        return []
    count = -(-len(names) // max_row)
    size = -(-len(names) // count)
    return [names[i : i + size] for i in range(0, len(names), size)]


@dataclass(frozen=True)
class Scope:
    """What one drawing shows: its title, the devices drawn (default all) and the count
    of servers left out, for the legend."""

    title: str
    devices: frozenset[str]
    servers: int
    context: frozenset[str] = frozenset()  # drawn for orientation, not counted (city cores)

    @classmethod
    def whole(cls, net: Network) -> Scope:
        inv = net.inventory
        servers = sum(1 for d in inv.devices if d.role is Role.server)
        return cls(inv.profile.description or inv.profile.name, frozenset(net.devices), servers)


def to_dot(
    net: Network,
    report: CheckReport | None = None,
    states: Mapping[str, LinkStatus] | None = None,
    max_row: int = 11,
    scope: Scope | None = None,
) -> str:
    inv = net.inventory
    scope = scope or Scope.whole(net)
    drawn = scope.devices | scope.context
    marks = Highlights.of(net, report, states)
    rows, columns = _layout(net, max_row, drawn)
    rank = {name: i for i, row in enumerate(rows) for name in row}
    links = [lk for lk in inv.links if lk.a.device in drawn and lk.b.device in drawn]
    status = ""
    if report is not None:
        status = "  |  check: " + ("must-rules pass" if report.passed else "MUST-RULES FAIL")
    if states is not None:
        status += f"  |  live: {len(marks.down_links)} link(s) down"
    counted = len(scope.devices)
    heading = (
        f"{scope.title}\n{counted} network devices, {len(links)} links{status}\n"
        f"not drawn: {scope.servers} server(s) (inventory validate counts"
        f" {counted + scope.servers} devices here)"
        + (f"; {len(scope.context)} upstream device(s) drawn for context" if scope.context else "")
    )
    out = [
        "graph topology {",
        f"  graph [rankdir=TB, newrank=true, nodesep=0.12, ranksep=0.8, splines=true,"
        f" fontname={_q(FONT)}, fontsize=20, labelloc=t,"
        f" label={_q(heading)}];",
        f'  node [shape=box, style="rounded,filled", fontname={_q(FONT)}, fontsize=10,'
        ' margin="0.06,0.03", height=0.3];',
        f'  edge [fontname={_q(FONT)}, fontsize=7, fontcolor="#444444"];',
    ]
    for i, row in enumerate(rows):  # an invisible spine keeps the ranks in tier order
        out.append(f'  r{i} [style=invis, shape=point, width=0, label=""];')
        out.append("  { rank=same; " + " ".join([f"r{i};", *(f"{_q(n)};" for n in row)]) + " }")
    out.append("  " + " -- ".join(f"r{i}" for i in range(len(rows))) + " [style=invis];")
    for column in columns:  # keeps each town's villages stacked under it
        out.append("  " + " -- ".join(_q(n) for n in column) + " [style=invis, weight=5];")
    for name in sorted(drawn):
        out.append("  " + _node(net, name, marks))
    for link in links:
        upper, lower = sorted((link.a.device, link.b.device), key=lambda n: rank.get(n, 0))
        out.append("  " + _edge(net, link.id, upper, lower, marks))
    out.append("  " + _legend(states is not None))
    out.append("}")
    return "\n".join(out) + "\n"


def _node(net: Network, name: str, marks: Highlights) -> str:
    site = net.site_of(name)
    dual = site.tier not in (Tier.city, Tier.district_core, Tier.cloud)
    dual = dual and net.inventory.must_be_dual_homed(site)
    label = f"{site.name}{' ◆双归' if dual else ''}\n{name}"
    attrs = {"label": label, "fillcolor": TIER_FILL[site.tier]}
    if dual:
        attrs["peripheries"] = "2"
    if name in marks.must_devices or name in marks.should_devices:
        attrs.update(color=VIOLATION, penwidth="3" if name in marks.must_devices else "2")
    if site.id in marks.isolated_sites:
        attrs.update(fillcolor=ISOLATED_FILL, label=f"{label}\n(isolated)")
    if site.tier in (Tier.district_core, Tier.city, Tier.cloud):
        attrs["fontsize"] = "12"
    return f"{_q(name)} [{_attrs(attrs)}];"


def _edge(net: Network, link_id: str, upper: str, lower: str, marks: Highlights) -> str:
    link = net.link(link_id)
    plane = PLANE_COLOURS[link.plane.value]
    label = rate(link.committed_mbps)
    if link.carrier or link.circuit_id:
        label += "\n" + " ".join(x for x in (link.carrier, link.circuit_id) if x)
    attrs = {
        "label": label,
        "color": plane,
        "penwidth": str(EDGE_WIDTH[link.kind]),
        "tooltip": f"{link.id} plane {link.plane.value} {link.kind.value}",
    }
    if link_id in marks.must_links or link_id in marks.should_links:
        attrs.update(color=f"{VIOLATION}:{plane}:{VIOLATION}", label=f"⚠ {attrs['label']}")
    if link_id in marks.down_links:
        attrs.update(color=DOWN, style="dashed", penwidth="3", label=f"DOWN {attrs['label']}")
        attrs["fontcolor"] = DOWN
    return f"{_q(upper)} -- {_q(lower)} [{_attrs(attrs)}];"


def _attrs(attrs: dict[str, str]) -> str:
    return ", ".join(f"{k}={_q(v)}" for k, v in attrs.items())


def _legend(live: bool) -> str:
    rows = [
        (PLANE_COLOURS["A"], "plane A (主)"),
        (PLANE_COLOURS["B"], "plane B (备)"),
        (VIOLATION, "policy violation (must/should)"),
        ("#ffffff", "◆双归, double border: must be dual-homed (one link to each core)"),
        ("#ffffff", "link label: committed rate, carrier, circuit id"),
    ]
    if live:
        rows += [(DOWN, "link down (live)"), (ISOLATED_FILL, "site isolated")]
    cells = "".join(
        f'<tr><td bgcolor="{colour}" width="24"> </td><td align="left">{text}</td></tr>'
        for colour, text in rows
    )
    table = f'<table border="0" cellborder="1" cellspacing="0" cellpadding="3">{cells}</table>'
    return f'legend [shape=plaintext, style="", fontsize=10, label=<{table}>];'
