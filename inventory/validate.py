"""Cross-reference checks over a parsed inventory: every problem, each with its location."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from base.errors import InventoryError

from .catalog import Inventory
from .models import LinkEnd, Role


def cross_check(inv: Inventory) -> list[InventoryError]:
    errors: list[InventoryError] = []
    for check in (
        _sites,
        _devices,
        _links,
        _addresses,
        _tiers_have_policy,
        _dual_homing,
        _profiles,
        _systems,
    ):
        errors.extend(check(inv))
    return errors


def _err(inv: Inventory, kind: str, key: str, *sub: str | int, msg: str) -> InventoryError:
    return InventoryError(inv.location(kind, key, *sub), msg)


def _sites(inv: Inventory) -> Iterator[InventoryError]:
    for site in inv.sites:
        if site.parent is not None and site.parent not in inv.site_by_id:
            yield _err(inv, "site", site.id, "parent", msg=f"unknown site {site.parent!r}")
        if site.parent == site.id:
            yield _err(inv, "site", site.id, "parent", msg="a site cannot be its own parent")


def _devices(inv: Inventory) -> Iterator[InventoryError]:
    for dev in inv.devices:
        if dev.site not in inv.site_by_id:
            yield _err(inv, "device", dev.name, "site", msg=f"unknown site {dev.site!r}")
        if dev.snmp_profile not in inv.snmp_profile_by_name:
            yield _err(
                inv,
                "device",
                dev.name,
                "snmp_profile",
                msg=f"unknown SNMP profile {dev.snmp_profile!r}",
            )
        legacy = dev.legacy_snmp_profile
        if legacy is not None and legacy not in inv.snmp_profile_by_name:
            yield _err(
                inv,
                "device",
                dev.name,
                "legacy_snmp_profile",
                msg=f"unknown SNMP profile {legacy!r}",
            )
        cred = dev.credential_profile
        if cred is not None and cred not in inv.credential_profile_by_name:
            yield _err(
                inv,
                "device",
                dev.name,
                "credential_profile",
                msg=f"unknown credential profile {cred!r}",
            )
        seen: set[str] = set()
        for index, iface in enumerate(dev.interfaces):
            if iface.name in seen:
                yield _err(
                    inv,
                    "device",
                    dev.name,
                    "interfaces",
                    index,
                    "name",
                    msg=f"duplicate interface {iface.name!r}",
                )
            seen.add(iface.name)


def _links(inv: Inventory) -> Iterator[InventoryError]:
    used: dict[tuple[str, str], str] = {}
    for link in inv.links:
        for side in ("a", "b"):
            end: LinkEnd = getattr(link, side)
            dev = inv.device_by_name.get(end.device)
            if dev is None:
                yield _err(
                    inv, "link", link.id, side, "device", msg=f"unknown device {end.device!r}"
                )
                continue
            if dev.interface(end.interface) is None:
                yield _err(
                    inv,
                    "link",
                    link.id,
                    side,
                    "interface",
                    msg=f"device {end.device!r} has no interface {end.interface!r}",
                )
            other = used.get((end.device, end.interface))
            if other is not None:
                yield _err(
                    inv,
                    "link",
                    link.id,
                    side,
                    "interface",
                    msg=f"{end.device} {end.interface} is already used by link {other!r}",
                )
            used[(end.device, end.interface)] = link.id
        if link.a.device == link.b.device:
            yield _err(inv, "link", link.id, "b", "device", msg="both ends on the same device")
        if link.a.address and link.b.address and link.a.address.network != link.b.address.network:
            yield _err(
                inv,
                "link",
                link.id,
                "b",
                "address",
                msg=f"{link.b.address} is outside the a end's subnet {link.a.address.network}",
            )


def _addresses(inv: Inventory) -> Iterator[InventoryError]:
    owners: dict[ipaddress.IPv4Address, str] = {}

    def claim(addr: ipaddress.IPv4Address, owner: str) -> str | None:
        previous = owners.get(addr)
        if previous is None:
            owners[addr] = owner
        return previous

    for dev in inv.devices:
        for field_name in ("mgmt_address", "loopback"):
            addr = getattr(dev, field_name)
            if addr is None:
                continue
            previous = claim(addr, f"{dev.name}.{field_name}")
            if previous is not None:
                yield _err(
                    inv,
                    "device",
                    dev.name,
                    field_name,
                    msg=f"duplicate address {addr} (also {previous})",
                )
    for link in inv.links:
        for side in ("a", "b"):
            end: LinkEnd = getattr(link, side)
            if end.address is None:
                continue
            previous = claim(end.address.ip, f"{link.id}.{side}")
            if previous is not None:
                yield _err(
                    inv,
                    "link",
                    link.id,
                    side,
                    "address",
                    msg=f"duplicate address {end.address.ip} (also {previous})",
                )


def _tiers_have_policy(inv: Inventory) -> Iterator[InventoryError]:
    reported: set[str] = set()
    for site in inv.sites:
        if site.tier not in inv.policy.tiers and site.tier.value not in reported:
            reported.add(site.tier.value)
            yield _err(
                inv,
                "site",
                site.id,
                "tier",
                msg=f"tier {site.tier.value!r} has no entry in policy.tiers",
            )


def _dual_homing(inv: Inventory) -> Iterator[InventoryError]:
    for site in inv.sites:
        if not site.important:
            continue
        uplinks = inv.uplinks_of_site(site.id)
        upstream = {lk.a.device for lk in uplinks}
        if len(uplinks) < 2 or len(upstream) < 2:
            yield _err(
                inv,
                "site",
                site.id,
                "important",
                msg=(
                    f"important site {site.name} must be dual-homed: it has {len(uplinks)} "
                    f"uplink(s) to {len(upstream)} upstream device(s)"
                ),
            )


def _profiles(inv: Inventory) -> Iterator[InventoryError]:
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
                    yield _err(
                        inv,
                        "snmp_profile",
                        prof.name,
                        needed,
                        msg="required for SNMPv3 authPriv (等保: no noAuth/authNoPriv)",
                    )
        elif prof.community_env is None:
            yield _err(inv, "snmp_profile", prof.name, "community_env", msg="required for v2c")


def _systems(inv: Inventory) -> Iterator[InventoryError]:
    for system in inv.systems:
        dept = inv.site_by_id.get(system.department)
        if dept is None:
            yield _err(
                inv, "system", system.id, "department", msg=f"unknown site {system.department!r}"
            )
        for index, dep in enumerate(system.migration.depends_on):
            if dep not in inv.system_by_id:
                yield _err(
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
                yield _err(inv, "system", system.id, "hosts", index, msg=f"unknown device {host!r}")
            elif dev.role is not Role.server:
                yield _err(
                    inv,
                    "system",
                    system.id,
                    "hosts",
                    index,
                    msg=f"device {host!r} has role {dev.role.value}, not server",
                )
        mlps = system.mlps
        if mlps.last_assessment and mlps.next_due and mlps.next_due < mlps.last_assessment:
            yield _err(
                inv,
                "system",
                system.id,
                "mlps",
                "next_due",
                msg="next_due is before last_assessment",
            )
