"""Cross-reference checks over a parsed inventory: every problem, each with its location.

They run on the items that validated on their own; :class:`~inventory.checking.Unvalidated`
names the others so that a reference to a broken item is not reported a second time.
"""

from __future__ import annotations

from collections.abc import Iterator

from base.errors import InventoryError

from . import address_checks, site_checks
from .catalog import Inventory
from .checking import Check, Unvalidated, err
from .models import EMULATED_PLATFORMS, LinkEnd, Role
from .monitoring import receiver_problems


def cross_check(inv: Inventory, skip: Unvalidated | None = None) -> list[InventoryError]:
    unvalidated = skip or Unvalidated()
    checks: tuple[Check, ...] = (
        site_checks.parents,
        site_checks.parent_cycles,
        _devices,
        _links,
        address_checks.usable_addresses,
        address_checks.lan_addresses,
        address_checks.unique_addresses,
        address_checks.link_subnets,
        site_checks.tiers_have_policy,
        site_checks.dual_homing,
        _profiles,
        _kept_platforms,
        _systems,
        _receivers,
    )
    errors: list[InventoryError] = []
    for check in checks:
        errors.extend(check(inv, unvalidated))
    return errors


def _devices(inv: Inventory, skip: Unvalidated) -> Iterator[InventoryError]:
    def known(kind: str, ident: str, table: dict[str, object]) -> bool:
        return ident in table or skip.has(kind, ident)

    profiles: dict[str, object] = dict(inv.snmp_profile_by_name)
    credentials: dict[str, object] = dict(inv.credential_profile_by_name)
    sites: dict[str, object] = dict(inv.site_by_id)
    for dev in inv.devices:
        if not known("site", dev.site, sites):
            yield err(inv, "device", dev.name, "site", msg=f"unknown site {dev.site!r}")
        if not known("snmp_profile", dev.snmp_profile, profiles):
            yield err(
                inv,
                "device",
                dev.name,
                "snmp_profile",
                msg=f"unknown SNMP profile {dev.snmp_profile!r}",
            )
        legacy = dev.legacy_snmp_profile
        if legacy is not None and not known("snmp_profile", legacy, profiles):
            yield err(
                inv,
                "device",
                dev.name,
                "legacy_snmp_profile",
                msg=f"unknown SNMP profile {legacy!r}",
            )
        cred = dev.credential_profile
        if cred is not None and not known("credential_profile", cred, credentials):
            yield err(
                inv,
                "device",
                dev.name,
                "credential_profile",
                msg=f"unknown credential profile {cred!r}",
            )
        seen: set[str] = set()
        for index, iface in enumerate(dev.interfaces):
            if iface.name in seen:
                yield err(
                    inv,
                    "device",
                    dev.name,
                    "interfaces",
                    index,
                    "name",
                    msg=f"duplicate interface {iface.name!r}",
                )
            seen.add(iface.name)


def _links(inv: Inventory, skip: Unvalidated) -> Iterator[InventoryError]:
    used: dict[tuple[str, str], str] = {}
    circuits: dict[str, str] = {}
    for link in inv.links:
        if (link.a.device, link.a.interface) == (link.b.device, link.b.interface):
            yield err(
                inv,
                "link",
                link.id,
                "b",
                "interface",
                msg=(
                    f"both ends are {link.b.device} {link.b.interface}: a link joins two "
                    "different interfaces"
                ),
            )
            ends: tuple[str, ...] = ("a",)
        else:
            ends = ("a", "b")
            if link.a.device == link.b.device:
                yield err(inv, "link", link.id, "b", "device", msg="both ends on the same device")
        for side in ends:
            yield from _link_end(inv, skip, link.id, side=side, end=getattr(link, side), used=used)
        if link.circuit_id is not None:
            other = circuits.setdefault(link.circuit_id, link.id)
            if other != link.id:
                first = inv.location("link", other, "circuit_id")
                yield err(
                    inv,
                    "link",
                    link.id,
                    "circuit_id",
                    msg=(
                        f"circuit {link.circuit_id!r} is also link {other!r} "
                        f"({first.file}:{first.line}): one carrier circuit is one link"
                    ),
                )


def _link_end(
    inv: Inventory,
    skip: Unvalidated,
    link_id: str,
    *,
    side: str,
    end: LinkEnd,
    used: dict[tuple[str, str], str],
) -> Iterator[InventoryError]:
    dev = inv.device_by_name.get(end.device)
    if dev is None:
        if not skip.has("device", end.device):
            yield err(inv, "link", link_id, side, "device", msg=f"unknown device {end.device!r}")
        return
    if dev.interface(end.interface) is None:
        yield err(
            inv,
            "link",
            link_id,
            side,
            "interface",
            msg=f"device {end.device!r} has no interface {end.interface!r}",
        )
    other = used.get((end.device, end.interface))
    if other is not None:
        yield err(
            inv,
            "link",
            link_id,
            side,
            "interface",
            msg=f"{end.device} {end.interface} is already used by link {other!r}",
        )
    used[(end.device, end.interface)] = link_id


def _profiles(inv: Inventory, skip: Unvalidated) -> Iterator[InventoryError]:
    for prof in inv.snmp_profiles:
        if prof.version == "v3":
            for needed in (
                "user",
                "auth_protocol",
                "auth_key_env",
                "priv_protocol",
                "priv_key_env",
            ):
                if getattr(prof, needed) is None:
                    yield err(
                        inv,
                        "snmp_profile",
                        prof.name,
                        needed,
                        msg="required for SNMPv3 authPriv (等保: no noAuth/authNoPriv)",
                    )
        elif prof.community_env is None:
            yield err(inv, "snmp_profile", prof.name, "community_env", msg="required for v2c")


def _kept_platforms(inv: Inventory, skip: Unvalidated) -> Iterator[InventoryError]:
    """``profile.keep_platform``: access-side devices the lab can emulate, under an override."""
    kept = inv.profile.keep_platform
    if kept and inv.profile.platform_override is None:
        yield err(
            inv,
            "profile",
            "profile",
            "keep_platform",
            msg="needs platform_override: without it every device keeps its platform already",
        )
        return
    emulated = ", ".join(p.value for p in EMULATED_PLATFORMS)
    seen: set[str] = set()
    for index, name in enumerate(kept):
        dev = inv.device_by_name.get(name)
        problem = None
        if name in seen:
            problem = f"{name!r} is listed twice"
        elif dev is None:
            if skip.has("device", name):
                continue
            problem = f"unknown device {name!r}"
        elif dev.platform not in EMULATED_PLATFORMS:
            problem = (
                f"{name} runs {dev.platform.value}, which the lab cannot emulate (only {emulated})"
            )
        elif dev.role is Role.core:
            problem = f"{name} is a core device: the lab keeps the core on FRR"
        seen.add(name)
        if problem:
            yield err(inv, "profile", "profile", "keep_platform", index, msg=problem)


def _systems(inv: Inventory, skip: Unvalidated) -> Iterator[InventoryError]:
    for system in inv.systems:
        dept = inv.site_by_id.get(system.department)
        if dept is None and not skip.has("site", system.department):
            yield err(
                inv, "system", system.id, "department", msg=f"unknown site {system.department!r}"
            )
        for index, dep in enumerate(system.migration.depends_on):
            if dep not in inv.system_by_id and not skip.has("system", dep):
                yield err(
                    inv,
                    "system",
                    system.id,
                    "migration",
                    "depends_on",
                    index,
                    msg=f"unknown system {dep!r}",
                )
        for index, host in enumerate(system.hosts):
            dev = inv.device_by_name.get(host)
            if dev is None:
                if not skip.has("device", host):
                    yield err(
                        inv, "system", system.id, "hosts", index, msg=f"unknown device {host!r}"
                    )
            elif dev.role is not Role.server:
                yield err(
                    inv,
                    "system",
                    system.id,
                    "hosts",
                    index,
                    msg=f"device {host!r} has role {dev.role.value}, not server",
                )
        mlps = system.mlps
        if mlps.last_assessment and mlps.next_due and mlps.next_due < mlps.last_assessment:
            yield err(
                inv,
                "system",
                system.id,
                "mlps",
                "next_due",
                msg="next_due is before last_assessment",
            )


def _receivers(inv: Inventory, skip: Unvalidated) -> Iterator[InventoryError]:
    for path, msg in receiver_problems(enumerate(inv.monitoring.receivers)):
        yield err(inv, "monitoring", "monitoring", *path, msg=msg)
