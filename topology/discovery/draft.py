"""A draft inventory from what a crawl found: devices with their management addresses,
the links LLDP shows (with the interface addresses at both ends), and sites and tiers
guessed from the device names. Every guess is written with a ``# review`` comment.

Guesses, in the order they are made:

* tier from name tokens: ``city``/``sj`` city, ``core``/``hx`` district core, ``cloud``/``yun``
  cloud, ``town``/``zhen``/``jd`` town, ``vil``/``cun``/``sq`` village, ``dept``/``ju``
  department; nothing matching: department;
* role from tier (core, firewall at the cloud, aggregation at a town, cpe in a village,
  access for departments); platform from sysDescr (``production <platform>`` in the lab,
  VRP, Comware, IOS, else FRR);
* one site per device, except that the city, district-core and cloud devices share one
  site per tier (``city``, ``district-core``, ``gov-cloud``: both cores sit in one room); a
  site's parent is the site of its upstream neighbour;
* a link's ``a`` end is the upstream one (tier, then nearness to the seed), its committed
  rate the port speed (the carrier's rate is in no MIB), its plane A, or B for the second
  of two links.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from inventory.models import LinkKind, Platform, Role, SnmpProfile, Tier

from .crawl import CrawlResult, FoundDevice

TIER_WORDS: tuple[tuple[Tier, frozenset[str]], ...] = (
    (Tier.city, frozenset({"city", "sj", "shi"})),
    (Tier.cloud, frozenset({"cloud", "yun", "zwy"})),
    (Tier.district_core, frozenset({"core", "hx"})),
    (Tier.village, frozenset({"vil", "village", "cun", "sq"})),
    (Tier.town, frozenset({"town", "zhen", "jd", "street"})),
    (Tier.department, frozenset({"dept", "ju", "bu", "wei"})),
)
#: Upstream first: the a end of a link is the end of lower rank.
TIER_RANK = {
    Tier.city: 0,
    Tier.district_core: 1,
    Tier.cloud: 2,
    Tier.department: 2,
    Tier.town: 2,
    Tier.village: 3,
}
ROLE_OF_TIER = {
    Tier.city: Role.core,
    Tier.district_core: Role.core,
    Tier.cloud: Role.firewall,
    Tier.department: Role.access,
    Tier.town: Role.aggregation,
    Tier.village: Role.cpe,
}
#: Shared sites get these ids (the names the sample district uses).
SHARED_SITE_IDS = {Tier.city: "city", Tier.district_core: "district-core", Tier.cloud: "gov-cloud"}
PLATFORM_WORDS = (
    ("versatile routing platform", Platform.huawei_vrp),
    ("huawei", Platform.huawei_vrp),
    ("comware", Platform.hp_comware),
    ("h3c", Platform.hp_comware),
    ("cisco ios", Platform.cisco_ios),
)
DEFAULT_MBPS = 1000
SLUG_BAD = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Draft:
    """The draft's sections, and the review note of each item (by section and key)."""

    sites: list[dict[str, Any]] = field(default_factory=list)
    devices: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    #: neighbours left out of the draft, and why (a port seeing two neighbours, say)
    skipped: list[str] = field(default_factory=list)


def slug(name: str) -> str:
    cleaned = SLUG_BAD.sub("-", name).strip("-._")[:63]
    return cleaned or "device"


def guess_tier(name: str) -> tuple[Tier, bool]:
    """The tier a device name suggests, and whether a word of the name said so."""
    tokens = {t for t in re.split(r"[^a-z]+", name.lower()) if t}
    for tier, words in TIER_WORDS:
        if tokens & words:
            return tier, True
    return Tier.department, False


def guess_platform(descr: str) -> tuple[Platform, bool]:
    found = re.search(r"production (\w+)", descr)
    if found and found[1] in Platform.__members__:
        return Platform(found[1]), True
    lowered = descr.lower()
    for word, platform in PLATFORM_WORDS:
        if word in lowered:
            return platform, True
    return Platform.frr, False


def build_draft(found: CrawlResult, snmp_profile: SnmpProfile) -> Draft:
    draft = Draft()
    by_name = {d.sys_name: d for d in found.devices}
    names = {d.sys_name: slug(d.sys_name) for d in found.devices}
    tiers = {d.sys_name: guess_tier(d.sys_name) for d in found.devices}
    links = _links(found.devices, by_name, tiers, draft)
    site_of = _sites(found.devices, tiers, links, names, draft)
    used: dict[str, set[str]] = {d.sys_name: set() for d in found.devices}
    for a, a_port, b, b_port, _, _ in links:
        used[a].add(a_port)
        used[b].add(b_port)
    for device in found.devices:
        tier, said = tiers[device.sys_name]
        platform, known = guess_platform(device.sys_descr)
        entry: dict[str, Any] = {
            "name": names[device.sys_name],
            "site": site_of[device.sys_name],
            "role": ROLE_OF_TIER[tier].value,
            "platform": platform.value,
            "mgmt_address": device.address,
        }
        loopback = _loopback(device)
        if loopback is not None:
            entry["loopback"] = loopback
        entry["snmp_profile"] = snmp_profile.name
        entry["interfaces"] = [
            {"name": i.name} for i in device.interfaces if i.name in used[device.sys_name]
        ]
        draft.devices.append(entry)
        why = [f"role from tier {tier.value}" + ("" if said else " (name says nothing: guessed)")]
        if not known:
            why.append(f"platform unknown from sysDescr {device.sys_descr[:60]!r}")
        draft.notes[("devices", entry["name"])] = "; ".join(why)
    _write_links(links, by_name, names, site_of, draft)
    return draft


Edge = tuple[str, str, str, str, Tier, Tier]  # a, a port, b, b port, tiers


def _links(
    devices: list[FoundDevice],
    by_name: dict[str, FoundDevice],
    tiers: dict[str, tuple[Tier, bool]],
    draft: Draft,
) -> list[Edge]:
    """Each cable once, upstream end first, from both ends' LLDP tables. A port that sees
    two neighbours (a switch the crawl cannot see in between) keeps the first."""
    seen: set[frozenset[tuple[str, str]]] = set()
    ports: dict[tuple[str, str], frozenset[tuple[str, str]]] = {}
    out: list[Edge] = []
    for device in devices:
        for n in device.neighbors:
            if n.system_name not in by_name:
                continue  # a neighbour we could not reach is not in the draft
            ends = frozenset({(device.sys_name, n.local_port), (n.system_name, n.port)})
            if ends in seen:
                continue
            seen.add(ends)
            taken = [end for end in ends if end in ports]
            if taken:
                draft.skipped.append(
                    f"{device.sys_name} {n.local_port} -> {n.system_name} {n.port}:"
                    f" {taken[0][0]} {taken[0][1]} already has a neighbour"
                )
                continue
            for end in ends:
                ports[end] = ends
            here, there = (device.sys_name, n.local_port), (n.system_name, n.port)
            if _upstream_key(there, by_name, tiers) < _upstream_key(here, by_name, tiers):
                here, there = there, here
            out.append(
                (here[0], here[1], there[0], there[1], tiers[here[0]][0], tiers[there[0]][0])
            )
    return sorted(out)


def _upstream_key(
    end: tuple[str, str], by_name: dict[str, FoundDevice], tiers: dict[str, tuple[Tier, bool]]
) -> tuple[int, int, str]:
    return (TIER_RANK[tiers[end[0]][0]], by_name[end[0]].depth, end[0])


def _sites(
    devices: list[FoundDevice],
    tiers: dict[str, tuple[Tier, bool]],
    links: list[Edge],
    names: dict[str, str],
    draft: Draft,
) -> dict[str, str]:
    site_of: dict[str, str] = {}
    for device in devices:
        tier = tiers[device.sys_name][0]
        site_of[device.sys_name] = SHARED_SITE_IDS.get(tier) or names[device.sys_name]
    upstream: dict[str, str] = {}
    for a, _, b, _, _, _ in links:
        if site_of[a] != site_of[b]:
            upstream.setdefault(site_of[b], site_of[a])
    written: set[str] = set()
    for device in devices:
        site = site_of[device.sys_name]
        if site in written:
            continue
        written.add(site)
        tier, said = tiers[device.sys_name]
        entry: dict[str, Any] = {"id": site, "name": site, "tier": tier.value}
        if site in upstream:
            entry["parent"] = upstream[site]
        draft.sites.append(entry)
        draft.notes[("sites", site)] = (
            f"name, tier{' and parent' if 'parent' in entry else ''} guessed from device"
            f" {device.sys_name!r}" + ("" if said else " (the name names no tier)")
        )
    return site_of


def _loopback(device: FoundDevice) -> str | None:
    for iface in device.interfaces:
        if iface.name.startswith("lo"):
            for address in iface.addresses:
                if not address.ip.is_loopback:
                    return str(address.ip)
    return None


def _kind(a: Tier, b: Tier) -> LinkKind:
    if a == b == Tier.district_core:
        return LinkKind.core_interconnect
    if Tier.city in (a, b):
        return LinkKind.uplink
    if Tier.cloud in (a, b):
        return LinkKind.backbone
    return LinkKind.access


def _write_links(
    links: list[Edge],
    by_name: dict[str, FoundDevice],
    names: dict[str, str],
    site_of: dict[str, str],
    draft: Draft,
) -> None:
    between: dict[tuple[str, str], int] = {}
    ids: set[str] = set()
    for a, a_port, b, b_port, a_tier, b_tier in links:
        kind = _kind(a_tier, b_tier)
        # the second link between two sites (dual homing, dual core) is the B plane
        pair = (site_of[a], site_of[b])
        plane = "A" if between.get(pair, 0) == 0 else "B"
        between[pair] = between.get(pair, 0) + 1
        base = f"{names[a]}-{names[b]}"
        link_id = base if base not in ids else f"{base}-{plane.lower()}"
        ids.add(link_id)
        a_if, b_if = by_name[a].interface(a_port), by_name[b].interface(b_port)
        speed = (a_if.speed_mbps if a_if else None) or DEFAULT_MBPS
        entry: dict[str, Any] = {
            "id": link_id,
            "kind": kind.value,
            "plane": plane,
            "committed_mbps": speed,
            "a": _end(names[a], a_port, a_if.addresses if a_if else ()),
            "b": _end(names[b], b_port, b_if.addresses if b_if else ()),
        }
        draft.links.append(entry)
        draft.notes[("links", link_id)] = (
            f"kind and plane guessed; committed_mbps is the port speed ({speed} Mbps),"
            " not the carrier's committed rate"
        )


def _end(device: str, port: str, addresses: tuple[ipaddress.IPv4Interface, ...]) -> dict[str, Any]:
    end: dict[str, Any] = {"device": device, "interface": port}
    if addresses:
        end["address"] = str(addresses[0])
    return end


def render_section(section: str, items: list[dict[str, Any]], draft: Draft, key: str) -> str:
    """One YAML list with a ``# review:`` comment above every guessed item."""
    lines = [f"{section}:"] if items else [f"{section}: []"]
    for item in items:
        note = draft.notes.get((section, str(item[key])))
        if note:
            lines.append(f"  # review: {note}")
        flow = yaml.safe_dump(
            item, allow_unicode=True, default_flow_style=True, width=10_000, sort_keys=False
        )
        lines.append(f"  - {flow.strip()}")
    return "\n".join(lines) + "\n"


def write_draft(directory: Path, draft: Draft, profile: SnmpProfile, policy_text: str) -> None:
    header = "# Drafted by `egovnet inventory discover`: check every `# review` line.\n"
    (directory / "sites.yaml").write_text(
        header + render_section("sites", draft.sites, draft, "id"), encoding="utf-8"
    )
    (directory / "devices.yaml").write_text(
        header + render_section("devices", draft.devices, draft, "name"), encoding="utf-8"
    )
    (directory / "links.yaml").write_text(
        header + render_section("links", draft.links, draft, "id"), encoding="utf-8"
    )
    profiles = {"snmp_profiles": [profile.model_dump(mode="json", exclude_none=True)]}
    (directory / "profiles.yaml").write_text(
        header + yaml.safe_dump(profiles, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    (directory / "policy.yaml").write_text(header + policy_text, encoding="utf-8")
