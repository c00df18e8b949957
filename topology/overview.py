"""``topology draw --overview``: a city as one box per district under the city cores.

Each district box names its core pair and counts its towns, villages, departments (how
many dual-homed), network devices and servers, with its redundancy state from the check:
green when no must-rule fails inside it, red with the count of must findings otherwise.
The city uplinks are drawn from the city cores to the districts in their plane's colour,
labelled with rate, carrier and circuit id. A district's own drawing (``--district``) shows
everything inside it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from base.errors import TopologyError
from inventory.models import Tier

from .diagram import FONT, PLANE_COLOURS, TIER_FILL, Scope, _q, rate, to_dot
from .districts import District, Districts
from .findings import CheckReport, Severity
from .graph import Network
from .linkstate import LinkStatus

GOOD = "#c8e6c9"
BAD = "#ffcdd2"


def district_scope(net: Network, district: District) -> Scope:
    """One district's drawing: its devices, plus the upstream devices its links reach."""
    inv = net.inventory
    context = {
        end
        for dev in district.devices
        for lk in inv.links_of(dev)
        for end in (lk.a.device, lk.b.device)
        if end not in district.devices
    }
    return Scope(
        title=f"{district.name} ({district.core_site.id})",
        devices=district.devices,
        servers=len(district.servers),
        context=frozenset(context),
    )


def must_findings(report: CheckReport | None, district: District) -> int | None:
    if report is None:
        return None
    return sum(
        1
        for v in report.violations
        if v.severity is Severity.must and any(s.id in district.site_ids for s in v.sites)
    )


def overview_dot(net: Network, report: CheckReport | None = None) -> str:
    inv = net.inventory
    districts = Districts(net).all
    drawn = {d for district in districts for d in district.devices}
    upstream = sorted(
        {
            lk.a.device
            for lk in inv.links
            if lk.b.device in drawn and lk.a.device not in drawn and lk.a.device in net.devices
        }
    )
    total = len(net.devices)
    servers = sum(len(d.servers) for d in districts)
    status = ""
    if report is not None:
        status = "  |  check: " + ("must-rules pass" if report.passed else "MUST-RULES FAIL")
    heading = (
        f"{inv.profile.description or inv.profile.name}\n{len(districts)} district(s),"
        f" {total} network devices, {len(inv.links)} links{status}\n"
        f"servers are counted, not drawn ({servers} in the districts); one drawing per district"
        " shows its sites and links"
    )
    out = [
        "graph overview {",
        f"  graph [rankdir=TB, nodesep=0.25, ranksep=1.4, fontname={_q(FONT)}, fontsize=18,"
        f" labelloc=t, label={_q(heading)}];",
        f'  node [shape=box, style="rounded,filled", fontname={_q(FONT)}, fontsize=11];',
        f'  edge [fontname={_q(FONT)}, fontsize=8, fontcolor="#444444"];',
    ]
    if upstream:
        out.append("  { rank=same; " + " ".join(f"{_q(n)};" for n in upstream) + " }")
    for name in upstream:
        site = net.site_of(name)
        label = f"{site.name}\n{name}"
        out.append(f"  {_q(name)} [label={_q(label)}, fillcolor={_q(TIER_FILL[Tier.city])}];")
    for district in districts:
        out.append("  " + _district_node(net, district, report))
    for district in districts:
        for lk in inv.links:
            if lk.b.device in district.devices and lk.a.device not in district.devices:
                label = "\n".join(
                    x
                    for x in (f"{rate(lk.committed_mbps)} {lk.b.device}", lk.carrier, lk.circuit_id)
                    if x
                )
                colour = PLANE_COLOURS[lk.plane.value]
                out.append(
                    f"  {_q(lk.a.device)} -- {_q('district:' + district.core_site.id)}"
                    f" [label={_q(label)}, color={_q(colour)}, penwidth=2.5,"
                    f" tooltip={_q(lk.id)}];"
                )
    out.append("}")
    return "\n".join(out) + "\n"


def _district_node(net: Network, district: District, report: CheckReport | None) -> str:
    inv = net.inventory
    tiers = Counter(inv.site(s).tier for s in district.site_ids)
    dual = sum(
        1
        for s in district.site_ids
        if inv.site(s).tier is Tier.department and inv.must_be_dual_homed(inv.site(s))
    )
    core_site = district.core_site.id
    cores = sorted(d for d in district.devices if net.site_of_device[d] == core_site)
    findings = must_findings(report, district)
    if findings is None:
        state, fill = "redundancy: not checked", TIER_FILL[Tier.district_core]
    elif findings == 0:
        state, fill = "redundancy: must-rules pass", GOOD
    else:
        state, fill = f"redundancy: {findings} must finding(s)", BAD
    label = (
        f"{district.name}\ncore pair: {' + '.join(cores) or 'none'}\n"
        f"{tiers[Tier.town]} towns, {tiers[Tier.village]} villages,"
        f" {tiers[Tier.department]} departments ({dual} dual-homed)\n"
        f"{len(district.devices)} network devices, {len(district.servers)} servers\n{state}"
    )
    node = _q("district:" + district.core_site.id)
    return f"{node} [label={_q(label)}, fillcolor={_q(fill)}, penwidth=2];"


def drawings(
    net: Network,
    report: CheckReport | None = None,
    states: Mapping[str, LinkStatus] | None = None,
    max_row: int = 11,
    *,
    district: str | None = None,
    overview: bool = False,
    per_district: bool = False,
) -> dict[str, str]:
    """The DOT text of each drawing asked for, by file stem.

    One district (``district``), the overview, or the overview plus one drawing per
    district (``per_district``). With none of them the whole network is one drawing, which
    only a single district keeps readable: a city asks for one of the three.
    """
    found = Districts(net)
    if district is not None:
        one = found.find(district)
        if one is None:
            known = ", ".join(f"{d.key} ({d.name})" for d in found.all) or "none"
            raise TopologyError(f"unknown district {district!r} (known: {known})")
        scope = district_scope(net, one)
        return {f"district-{one.key}": to_dot(net, report, states, max_row, scope)}
    if overview or per_district:
        out = {"overview": overview_dot(net, report)}
        if per_district:
            for d in found.all:
                out[f"district-{d.key}"] = to_dot(
                    net, report, states, max_row, district_scope(net, d)
                )
        return out
    if len(found.all) > 1:
        raise TopologyError(
            f"{len(found.all)} districts are too many for one drawing: use --overview,"
            " --district NAME or --per-district --out DIR"
        )
    return {"topology": to_dot(net, report, states, max_row)}
