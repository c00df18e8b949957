"""``inventory discover``: crawl from seeds and write the draft inventory, whole or not at all."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from base.errors import DiscoveryError, InventoryError, InventoryErrors, SourceLocation
from inventory.catalog import Inventory
from inventory.ledger.settings import TEMPLATE_POLICY
from inventory.models import SnmpProfile
from inventory.staging import require_new_directory, write_inventory

from .crawl import CrawlResult, FoundDevice, crawl
from .draft import build_draft, write_draft
from .snmpwalk import Walker

SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")


def choose_snmp_profile(inv: Inventory, name: str | None) -> SnmpProfile:
    """The named profile of ``inv``, or its first SNMPv3 one (else its first)."""
    if name is None:
        usable = [p for p in inv.snmp_profiles if p.version == "v3"] or list(inv.snmp_profiles)
        if not usable:
            raise InventoryError(
                SourceLocation(str(inv.root), 1, "snmp_profiles"), "no SNMP profile to ask with"
            )
        return usable[0]
    found = inv.snmp_profile_by_name.get(name)
    if found is None:
        known = ", ".join(inv.snmp_profile_by_name) or "none"
        raise InventoryError(
            SourceLocation(str(inv.root), 1, "--snmp-profile"),
            f"no SNMP profile {name!r} (known: {known})",
        )
    return found


@dataclass(frozen=True)
class Discovered:
    inventory: Inventory
    crawl: CrawlResult
    #: neighbours seen but left out of the draft, and why
    skipped: tuple[str, ...] = ()


def discover(
    seeds: list[str],
    walker: Walker,
    allow: Callable[[str], None],
    out: Path,
    snmp_profile: SnmpProfile,
    *,
    on_device: Callable[[FoundDevice], None] | None = None,
) -> Discovered:
    """Crawl, draft and write ``out`` (new or empty); the draft must load as an inventory."""
    require_new_directory(out)  # before sending anything: the answer would be thrown away
    found = asyncio.run(crawl(seeds, walker, allow, on_device=on_device))
    if not found.devices:
        failed = "; ".join(f"{a}: {why}" for a, why in found.failed.items())
        raise DiscoveryError(f"no seed answered over SNMP ({failed}); nothing was written")
    draft = build_draft(found, snmp_profile)
    policy = yaml.safe_dump(
        {"policy": TEMPLATE_POLICY.model_dump(mode="json", exclude_none=True)},
        allow_unicode=True,
        sort_keys=False,
    )
    name = out.name if SLUG.match(out.name) else "district"

    def write(directory: Path) -> None:
        write_draft(directory, draft, snmp_profile, policy)
        (directory / "profile.yaml").write_text(
            yaml.safe_dump({"profile": {"name": name, "description": "drafted by discovery"}}),
            encoding="utf-8",
        )

    try:
        inventory = write_inventory(out, write)
    except InventoryErrors as exc:  # a guess the checks refuse: say which, write nothing
        shown = "; ".join(_in_draft(str(e), out) for e in exc.errors[:5])
        more = f" (+{len(exc.errors) - 5} more)" if len(exc.errors) > 5 else ""
        raise DiscoveryError(
            f"the draft does not validate, nothing was written: {shown}{more}"
        ) from None
    return Discovered(inventory, found, tuple(draft.skipped))


def _in_draft(message: str, out: Path) -> str:
    """A staged file's name as the draft's own (``out/links.yaml:12: ...``)."""
    return re.sub(r"\S*/staging/", f"{out}/", message)
