"""Compare the inventory's objects with NetBox's and decide, per object, what push would do.

A three-way decision, so a hand-made change is never overwritten silently:

* not in NetBox                                   -> create (tagged ``egovnet``)
* in NetBox, not egovnet's                        -> left alone: ``keep`` if it matches,
                                                     ``conflict`` if it differs
* egovnet's and equal                             -> nothing to do
* egovnet's, unchanged since egovnet wrote it     -> update (the inventory changed)
  (its fields still match the ``egovnet_synced`` fingerprint)
* egovnet's, changed in NetBox since              -> ``conflict``, unless it already matches
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .kinds import KINDS
from .objects import NbObject, State, fingerprint


class Action(StrEnum):
    create = "create"
    update = "update"
    conflict = "conflict"
    keep = "keep"  # exists, not egovnet's, already what the inventory says


@dataclass(frozen=True)
class FieldDiff:
    field: str
    netbox: Any
    inventory: Any


@dataclass(frozen=True)
class Change:
    action: Action
    kind: str
    key: str
    reason: str = ""
    diffs: tuple[FieldDiff, ...] = ()
    desired: NbObject | None = field(default=None, repr=False, compare=False)
    current: NbObject | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Plan:
    changes: tuple[Change, ...]
    unchanged: int
    warnings: tuple[str, ...] = ()

    def of(self, action: Action) -> list[Change]:
        return [c for c in self.changes if c.action is action]

    @property
    def writes(self) -> list[Change]:
        return [c for c in self.changes if c.action in (Action.create, Action.update)]

    @property
    def counts(self) -> dict[str, int]:
        counts = {a.value: len(self.of(a)) for a in Action}
        return counts | {"unchanged": self.unchanged}


def _diffs(current: NbObject, desired: NbObject) -> tuple[FieldDiff, ...]:
    return tuple(
        FieldDiff(name, current.fields.get(name), value)
        for name, value in desired.fields.items()
        if current.fields.get(name) != value
    )


def _decide(current: NbObject | None, desired: NbObject) -> Change | None:
    kind, key = desired.kind, desired.key
    if current is None:
        return Change(Action.create, kind, key, desired=desired)
    diffs = _diffs(current, desired)
    if not current.managed:
        if not diffs:
            return Change(Action.keep, kind, key, "exists in NetBox, not created by egovnet",
                          desired=desired, current=current)  # fmt: skip
        return Change(Action.conflict, kind, key, "exists in NetBox, not created by egovnet",
                      diffs, desired, current)  # fmt: skip
    if not diffs:
        return None
    schema = not any(k.tagged for k in KINDS if k.name == kind)
    if schema or current.synced == fingerprint(current.fields):
        return Change(Action.update, kind, key, "the inventory changed", diffs, desired, current)
    return Change(Action.conflict, kind, key, "changed in NetBox since egovnet wrote it",
                  diffs, desired, current)  # fmt: skip


def _occupied_ends(current: State, desired: State) -> list[Change]:
    """A new cable cannot land on an interface that already has another cable."""
    mine = {k for k in desired["cable"] if k in current["cable"]}
    taken = {
        end: key
        for key, cable in current["cable"].items()
        for end in (cable.fields["a"], cable.fields["b"])
    }
    out: list[Change] = []
    for key, cable in desired["cable"].items():
        if key in mine:
            continue
        for end in (cable.fields["a"], cable.fields["b"]):
            iface = current["interface"].get(end)
            other = taken.get(end)
            if other is not None or (iface is not None and iface.extra.get("cabled")):
                who = f"cable {other}" if other else "a cable egovnet does not map"
                out.append(Change(Action.conflict, "cable", key, f"{end} is taken by {who}"))
                break
    return out


def make_plan(current: State, desired: State, warnings: list[str] | None = None) -> Plan:
    changes: list[Change] = []
    unchanged = 0
    blocked = {c.key for c in _occupied_ends(current, desired)}
    for kind in KINDS:
        for key, want in desired[kind.name].items():
            if kind.name == "cable" and key in blocked:
                continue
            change = _decide(current[kind.name].get(key), want)
            if change is None:
                unchanged += 1
            else:
                changes.append(change)
    changes.extend(_occupied_ends(current, desired))
    return Plan(tuple(changes), unchanged, tuple(warnings or ()))
