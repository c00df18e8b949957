"""``push`` (inventory -> NetBox) and ``pull`` (NetBox -> inventory YAML), the domain verbs.

Push is a dry run unless ``apply``: it reads NetBox, makes a :class:`~.plan.Plan` and, when
applying, creates and updates exactly the plan's writes, kind by kind in dependency order.
Conflicts and objects egovnet did not create are never written. Pull writes a whole inventory
directory only after it validates (nothing partial on failure).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from base.errors import InventoryErrors, NetBoxError, NetBoxInputError

from ..catalog import Inventory
from ..loader import load_inventory
from .client import NetBoxClient
from .kinds import KEY_FIELD, KINDS, SLUG_KEYED, Kind
from .mapping import Pulled, desired_state, pulled_inventory
from .objects import SYNCED_FIELD, TAG_SLUG, Fields, NbObject, State, fingerprint
from .plan import Action, Change, Plan, make_plan

Progress = Callable[[str], None]


def plan_push(
    client: NetBoxClient, inv: Inventory, progress: Progress | None = None
) -> tuple[Plan, State]:
    """The plan, and the NetBox state it was made against (``apply_plan`` needs its ids)."""
    desired, warnings = desired_state(inv)
    current = client.read_state(progress)
    return make_plan(current, desired, warnings), current


@dataclass
class _Ids:
    known: dict[tuple[str, str], int]

    def __call__(self, kind: str, key: str) -> int:
        found = self.known.get((kind, key))
        if found is None:
            raise NetBoxError(f"NetBox has no {kind} {key!r} to refer to (was it skipped?)")
        return found


def _create_body(kind: Kind, obj: NbObject, ids: _Ids) -> Fields:
    body = kind.payload(obj.fields, ids)
    if kind.name in SLUG_KEYED:
        body["slug"] = obj.key
    if kind.name in KEY_FIELD:
        body[KEY_FIELD[kind.name]] = obj.key
    return _mark(kind, obj, body, ids)


def _mark(kind: Kind, obj: NbObject, body: Fields, ids: _Ids | None) -> Fields:
    """The fingerprint of what is written; the tag on creation (an update keeps the tags)."""
    if kind.tagged:
        if ids is not None:
            body["tags"] = [ids("tag", TAG_SLUG)]
        body.setdefault("custom_fields", {})[SYNCED_FIELD] = fingerprint(obj.fields)
    return body


def apply_plan(
    client: NetBoxClient, plan: Plan, current: State, progress: Progress | None = None
) -> int:
    """Write the plan's creates and updates; returns how many objects were written."""
    ids = _Ids({(k, key): o.id for k, objs in current.items() for key, o in objs.items() if o.id})
    by_kind: dict[str, list[Change]] = {}
    for change in plan.writes:
        by_kind.setdefault(change.kind, []).append(change)
    written = 0
    for kind in KINDS:
        changes = by_kind.get(kind.name, [])
        creates = [c for c in changes if c.action is Action.create and c.desired]
        updates = [c for c in changes if c.action is Action.update and c.desired and c.current]
        if not creates and not updates:
            continue
        if progress:
            progress(f"{kind.name}: {len(creates)} to create, {len(updates)} to update")
        if creates:
            bodies = [_create_body(kind, c.desired, ids) for c in creates if c.desired]
            for change, new_id in zip(creates, client.create(kind, bodies), strict=True):
                ids.known[(kind.name, change.key)] = new_id
        if updates:
            bodies = []
            for c in updates:
                assert c.desired is not None and c.current is not None
                body = _mark(kind, c.desired, kind.payload(c.desired.fields, ids), None)
                bodies.append(body | {"id": c.current.id})
            client.update(kind, bodies)
        written += len(creates) + len(updates)
    return written


# --- pull ------------------------------------------------------------------------------------

#: Sections NetBox does not hold; pull copies them from the base inventory.
LOCAL_SECTIONS = ("profile", "policy", "snmp_profiles", "credential_profiles")


def _dump(value: Any) -> Any:
    return value.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def _yaml(section: str, value: Any) -> str:
    return yaml.safe_dump({section: value}, allow_unicode=True, sort_keys=False, width=100)


def read_netbox(client: NetBoxClient, progress: Progress | None = None) -> Pulled:
    state: State = client.read_state(progress)
    return pulled_inventory(state)


def write_pulled(pulled: Pulled, base: Inventory, out: Path) -> Inventory:
    """Write the pulled inventory into ``out``; validated first, nothing written if it fails.

    ``out`` may hold a previous pull (its files are replaced) but no other YAML, which would
    be read as part of the inventory.
    """
    files = {
        "profile.yaml": _yaml("profile", _dump(base.profile)),
        "policy.yaml": _yaml("policy", base.policy.model_dump(mode="json", exclude_none=True)),
        "profiles.yaml": _yaml("snmp_profiles", [_dump(p) for p in base.snmp_profiles])
        + _yaml("credential_profiles", [_dump(p) for p in base.credential_profiles]),
        "sites.yaml": _yaml("sites", [_dump(s) for s in pulled.sites]),
        "devices.yaml": _yaml("devices", [_dump(d) for d in pulled.devices]),
        "links.yaml": _yaml("links", [_dump(lk) for lk in pulled.links]),
        "systems.yaml": _yaml("systems", [_dump(s) for s in pulled.systems]),
    }
    if out.exists():
        if not out.is_dir():
            raise NetBoxInputError(f"{out}: not a directory")
        others = sorted(p.name for p in out.glob("*.y*ml") if p.name not in files)
        if others:
            raise NetBoxInputError(
                f"{out} holds other inventory files ({', '.join(others)}); pull into a new"
                " or empty directory"
            )
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="pull-staging-", dir=out))  # a valid profile name
    try:
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        try:
            load_inventory(staging)
        except InventoryErrors as exc:
            lines = "; ".join(str(e) for e in exc.errors[:5])
            raise NetBoxError(
                f"the inventory read from NetBox does not validate, nothing written: {lines}"
            ) from exc
        for name in files:
            os.replace(staging / name, out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return load_inventory(out)


@dataclass(frozen=True)
class PushResult:
    plan: Plan
    applied: bool
    written: int


def push(
    client: NetBoxClient, inv: Inventory, apply: bool = False, progress: Progress | None = None
) -> PushResult:
    """Plan the push; with ``apply``, write its creates and updates (never its conflicts)."""
    plan, current = plan_push(client, inv, progress)
    written = apply_plan(client, plan, current, progress) if apply and plan.writes else 0
    return PushResult(plan, apply, written)


@dataclass(frozen=True)
class PullResult:
    inventory: Inventory
    skipped: tuple[str, ...]


def pull(
    client: NetBoxClient, base: Inventory, out: Path, progress: Progress | None = None
) -> PullResult:
    """Read NetBox into an inventory directory ``out`` (sites, devices, links, systems), with
    the sections NetBox does not hold (profile, policy, SNMP and credential profiles) from
    ``base``."""
    pulled = read_netbox(client, progress)
    return PullResult(write_pulled(pulled, base, out), tuple(pulled.skipped))
