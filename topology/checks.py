"""``topology check``: the plan's redundancy rules over the intended network.

The rules come from the 十四五 plan ("市、区两级双核心、双链路", "重要用户单位双归链路接入") and
are driven by ``policy.redundancy`` and the tier policies; which sites must be dual-homed is
decided by :meth:`Inventory.must_be_dual_homed` only.

Relation to ``inventory validate``: the loader already refuses an *important* site with fewer
than two uplinks to two devices, so on a loaded inventory the ``dual-homed`` rules fire for
sites whose *tier* must be dual-homed (towns). They also fire for important sites when an
inventory is assembled in code (what-if planning, tests), because check never assumes that
validation ran.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

from inventory.catalog import Inventory
from inventory.models import Device, LinkKind, Role, Site, Tier

from .findings import SEVERITY_ORDER, CheckReport, Severity, Violation, site_refs
from .graph import Network, build_network
from .reachability import ElementKind, connected_sites, single_points

#: Every rule: id -> (severity, what it checks). docs/topology.md lists the same.
RULES: dict[str, tuple[Severity, str]] = {
    "core-devices": (Severity.must, "the district has policy.redundancy.core_devices cores"),
    "core-interconnect": (
        Severity.must,
        "the cores are joined by policy.redundancy.core_interconnect_links links",
    ),
    "core-interconnect-planes": (Severity.should, "the core interconnect links use both planes"),
    "city-uplinks": (
        Severity.must,
        "policy.redundancy.city_uplinks uplinks to the city, landing on different cores",
    ),
    "city-uplink-planes": (Severity.should, "the city uplinks use both planes"),
    "dual-homed": (Severity.must, "a site that must be dual-homed has two or more uplinks"),
    "dual-homed-upstream": (
        Severity.must,
        "a dual-homed site's uplinks land on different devices (one on each core)",
    ),
    "dual-homed-planes": (Severity.must, "a dual-homed site's uplinks are on planes A and B"),
    "carrier-diversity": (Severity.should, "a dual-homed site's circuits come from two carriers"),
    "coverage": (Severity.must, "every site has a path to the government cloud (100% 覆盖)"),
    "single-point-of-failure": (
        Severity.must,
        "no link or device whose loss cuts a must-be-redundant site off the cloud",
    ),
    "cloud-edge": (Severity.should, "the government cloud is reached through two devices"),
    "single-homed": (Severity.info, "a site allowed one uplink has one (a known, accepted gap)"),
    "shared-path": (Severity.info, "a device carries the only path of sites allowed one"),
}


@dataclass(frozen=True)
class Context:
    net: Network

    @property
    def inv(self) -> Inventory:
        return self.net.inventory

    @property
    def must(self) -> frozenset[str]:
        return self.net.must_be_redundant

    @cached_property
    def cores(self) -> list[Device]:
        core_sites = {s.id for s in self.inv.sites_in_tier(Tier.district_core)}
        return [d for d in self.inv.devices_with_role(Role.core) if d.site in core_sites]

    @cached_property
    def core_sites(self) -> set[str]:
        return {d.site for d in self.cores} or {
            s.id for s in self.inv.sites_in_tier(Tier.district_core)
        }

    def violation(
        self,
        rule: str,
        message: str,
        sites: set[str] | frozenset[str],
        *,
        links: list[str] | None = None,
        devices: list[str] | None = None,
        severity: Severity | None = None,
    ) -> Violation:
        return Violation(
            rule=rule,
            severity=severity or RULES[rule][0],
            message=message,
            sites=site_refs(self.inv, sites, self.must),
            links=sorted(links or []),
            devices=sorted(devices or []),
        )


Rule = Callable[[Context], Iterator[Violation]]


def _cores(ctx: Context) -> Iterator[Violation]:
    wanted = ctx.inv.policy.redundancy.core_devices
    names = [d.name for d in ctx.cores]
    if len(names) < wanted:
        yield ctx.violation(
            "core-devices",
            f"{len(names)} core device(s) ({', '.join(names) or 'none'}),"
            f" the policy wants {wanted}",
            ctx.core_sites,
            devices=names,
        )


def _core_interconnect(ctx: Context) -> Iterator[Violation]:
    wanted = ctx.inv.policy.redundancy.core_interconnect_links
    names = {d.name for d in ctx.cores}
    if len(names) < 2:
        return
    links = [
        lk
        for lk in ctx.inv.links
        if lk.kind is LinkKind.core_interconnect and {lk.a.device, lk.b.device} <= names
    ]
    ids = [lk.id for lk in links]
    if len(links) < wanted:
        yield ctx.violation(
            "core-interconnect",
            f"the cores are joined by {len(links)} link(s) ({', '.join(ids) or 'none'}),"
            f" the policy wants {wanted}",
            ctx.core_sites,
            links=ids,
            devices=sorted(names),
        )
    elif len({lk.plane for lk in links}) < 2:
        yield ctx.violation(
            "core-interconnect-planes",
            f"all core interconnect links are on plane {links[0].plane.value}",
            ctx.core_sites,
            links=ids,
        )


def _city_uplinks(ctx: Context) -> Iterator[Violation]:
    wanted = ctx.inv.policy.redundancy.city_uplinks
    uplinks = [lk for lk in ctx.inv.links if lk.kind is LinkKind.uplink]
    ids = [lk.id for lk in uplinks]
    sites = {s.id for s in ctx.inv.sites_in_tier(Tier.city)} | ctx.core_sites
    if len(uplinks) < wanted:
        yield ctx.violation(
            "city-uplinks",
            f"{len(uplinks)} uplink(s) to the city ({', '.join(ids) or 'none'}),"
            f" the policy wants {wanted}",
            sites,
            links=ids,
        )
        return
    landing = {lk.b.device for lk in uplinks}
    needed = min(wanted, len(ctx.cores))
    if len(landing) < needed:
        yield ctx.violation(
            "city-uplinks",
            f"every city uplink lands on {', '.join(sorted(landing))};"
            f" they must land on {needed} different cores",
            sites,
            links=ids,
            devices=sorted(landing),
        )
    if wanted >= 2 and len({lk.plane for lk in uplinks}) < 2:
        yield ctx.violation(
            "city-uplink-planes",
            f"every city uplink is on plane {uplinks[0].plane.value}",
            sites,
            links=ids,
        )


def _dual_homing(ctx: Context) -> Iterator[Violation]:
    for site in ctx.inv.sites:
        if not ctx.inv.must_be_dual_homed(site):
            continue
        uplinks = ctx.inv.uplinks_of_site(site.id)
        ids = [lk.id for lk in uplinks]
        why = _why_dual_homed(ctx.inv, site)
        if len(uplinks) < 2:
            yield ctx.violation(
                "dual-homed",
                f"{site.name} ({why}) has {len(uplinks)} uplink(s)"
                f"{': ' + ', '.join(ids) if ids else ''}; it needs one to each core",
                {site.id},
                links=ids,
            )
            continue
        upstream = sorted({lk.a.device for lk in uplinks})
        if len(upstream) < 2:
            yield ctx.violation(
                "dual-homed-upstream",
                f"both uplinks of {site.name} ({why}) land on {upstream[0]};"
                " one must land on each core",
                {site.id},
                links=ids,
                devices=upstream,
            )
        planes = {lk.plane.value for lk in uplinks}
        if len(planes) < 2:
            yield ctx.violation(
                "dual-homed-planes",
                f"every uplink of {site.name} is on plane {planes.pop()};"
                " one must be on each plane (主备平面)",
                {site.id},
                links=ids,
            )
        carriers = {lk.carrier for lk in uplinks}
        if None not in carriers and len(carriers) == 1:
            yield ctx.violation(
                "carrier-diversity",
                f"every circuit of {site.name} comes from {carriers.pop()}",
                {site.id},
                links=ids,
            )


def _why_dual_homed(inv: Inventory, site: Site) -> str:
    rule = inv.policy.tiers.get(site.tier)
    if rule is not None and rule.dual_homed:
        return f"every {site.tier.value} site"
    return "important site, 双归"


def _coverage(ctx: Context) -> Iterator[Violation]:
    reached = connected_sites(ctx.net)
    for site in ctx.net.endpoint_sites:
        if site.id in reached:
            continue
        devices = sorted(ctx.net.site_devices[site.id])
        why = "has no network device" if not devices else "has no path to the government cloud"
        yield ctx.violation("coverage", f"{site.name} {why}", {site.id}, devices=devices)


def _single_points(ctx: Context) -> Iterator[Violation]:
    for element, cut in sorted(single_points(ctx.net).items()):
        must_cut = cut & ctx.must
        what = _describe_sites(ctx, cut)
        links = [element.name] if element.kind is ElementKind.link else []
        devices = [element.name] if element.kind is ElementKind.device else []
        if must_cut:
            yield ctx.violation(
                "single-point-of-failure",
                f"{element} is a single point of failure: losing it cuts off {what}",
                cut,
                links=links,
                devices=devices,
            )
        elif element.kind is ElementKind.device:
            yield ctx.violation(
                "shared-path",
                f"{element} carries the only path to the cloud of {what}",
                cut,
                devices=devices,
            )


def _describe_sites(ctx: Context, site_ids: frozenset[str]) -> str:
    refs = site_refs(ctx.inv, site_ids, ctx.must)
    shown = [f"{r.name}{' (must be redundant)' if r.must_be_redundant else ''}" for r in refs[:3]]
    more = len(refs) - len(shown)
    return ", ".join(shown) + (f" and {more} more site(s)" if more else "")


def _cloud_edge(ctx: Context) -> Iterator[Violation]:
    cloud = sorted(ctx.net.cloud_devices)
    if len(cloud) == 1:
        sites = {ctx.net.site_of(cloud[0]).id}
        yield ctx.violation(
            "cloud-edge",
            f"the government cloud is reached through one device ({cloud[0]})",
            sites,
            devices=cloud,
        )


def _single_homed(ctx: Context) -> Iterator[Violation]:
    for site in ctx.inv.sites:
        if site.tier in (Tier.city, Tier.district_core, Tier.cloud):
            continue
        if ctx.inv.must_be_dual_homed(site):
            continue
        uplinks = ctx.inv.uplinks_of_site(site.id)
        if len(uplinks) != 1:
            continue
        link = uplinks[0]
        yield ctx.violation(
            "single-homed",
            f"{site.name} is single-homed ({link.id} to {link.a.device});"
            f" allowed for a {'non-important ' if site.tier is Tier.department else ''}"
            f"{site.tier.value} site",
            {site.id},
            links=[link.id],
        )


ALL_RULES: tuple[Rule, ...] = (
    _cores,
    _core_interconnect,
    _city_uplinks,
    _dual_homing,
    _coverage,
    _single_points,
    _cloud_edge,
    _single_homed,
)


def check(inv: Inventory, net: Network | None = None) -> CheckReport:
    """Run every rule; violations ordered by severity, rule and first site."""
    ctx = Context(net or build_network(inv))
    found = [v for rule in ALL_RULES for v in rule(ctx)]
    found.sort(key=lambda v: (SEVERITY_ORDER[v.severity], v.rule, [s.id for s in v.sites], v.links))
    return CheckReport(inventory=str(inv.root), profile=inv.profile.name, violations=found)
