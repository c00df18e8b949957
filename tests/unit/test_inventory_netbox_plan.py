"""The NetBox mapping and push decisions without a NetBox (the real one: tests/integration)."""

from __future__ import annotations

import dataclasses

import pytest

from inventory.catalog import Inventory
from inventory.netbox.compare import inventory_diff
from inventory.netbox.mapping import desired_state, pulled_inventory
from inventory.netbox.objects import NbObject, State, fingerprint
from inventory.netbox.plan import Action, make_plan

pytestmark = pytest.mark.unit


def as_netbox(state: State, managed: bool = True) -> State:
    """The desired objects as if egovnet had written them (ids, tag and fingerprint)."""
    out: State = {}
    for n, (kind, objects) in enumerate(state.items()):
        out[kind] = {
            key: dataclasses.replace(
                obj, id=n * 10_000 + i, managed=managed, synced=fingerprint(obj.fields)
            )
            for i, (key, obj) in enumerate(objects.items())
        }
    return out


def edited(state: State, kind: str, key: str, **fields: object) -> State:
    obj = state[kind][key]
    changed = dataclasses.replace(obj, fields={**obj.fields, **fields})
    return {**state, kind: {**state[kind], key: changed}}


def test_the_mapping_carries_the_whole_district_both_ways(district_inventory: Inventory) -> None:
    desired, warnings = desired_state(district_inventory)
    assert warnings == []
    pulled = pulled_inventory(desired)
    assert pulled.skipped == []
    back = dataclasses.replace(
        district_inventory,
        sites=tuple(pulled.sites),
        devices=tuple(pulled.devices),
        links=tuple(pulled.links),
        systems=tuple(pulled.systems),
    )
    assert inventory_diff(district_inventory, back) == []


def test_the_semantic_diff_names_the_field(district_inventory: Inventory) -> None:
    site = district_inventory.sites[3]
    other = dataclasses.replace(
        district_inventory, sites=(site.model_copy(update={"name": "改名"}),)
    )
    diff = inventory_diff(district_inventory, other)
    assert f"site {site.id}.name: '{site.name}' != '改名'" in diff
    assert f"site {district_inventory.sites[0].id}: only in the first" in diff


def test_an_empty_netbox_gets_everything_created(district_inventory: Inventory) -> None:
    desired, _ = desired_state(district_inventory)
    empty: State = {kind: {} for kind in desired}
    plan = make_plan(empty, desired)
    assert plan.counts["create"] == sum(len(v) for v in desired.values())
    assert plan.of(Action.conflict) == [] and plan.unchanged == 0


def test_what_egovnet_wrote_and_nobody_touched_is_a_no_op(district_inventory: Inventory) -> None:
    desired, _ = desired_state(district_inventory)
    plan = make_plan(as_netbox(desired), desired)
    assert plan.changes == ()


def test_an_inventory_change_updates_an_untouched_object(district_inventory: Inventory) -> None:
    desired, _ = desired_state(district_inventory)
    netbox = edited(as_netbox(desired), "site", "town-xilian", name="旧名")
    # the fingerprint still says what egovnet wrote: the old name came from egovnet
    obj = netbox["site"]["town-xilian"]
    netbox["site"]["town-xilian"] = dataclasses.replace(obj, synced=fingerprint(obj.fields))
    [change] = make_plan(netbox, desired).changes
    assert (change.action, change.kind, change.key) == (Action.update, "site", "town-xilian")
    assert [(d.field, d.netbox, d.inventory) for d in change.diffs] == [("name", "旧名", "西联镇")]


def test_a_hand_change_since_the_last_push_is_a_conflict(district_inventory: Inventory) -> None:
    desired, _ = desired_state(district_inventory)
    netbox = edited(as_netbox(desired), "device", "wj-core1", platform="cisco_ios")
    [change] = make_plan(netbox, desired).changes
    assert change.action is Action.conflict
    assert change.reason == "changed in NetBox since egovnet wrote it"


def test_objects_egovnet_did_not_create_are_never_written(district_inventory: Inventory) -> None:
    desired, _ = desired_state(district_inventory)
    netbox = edited(as_netbox(desired, managed=False), "site", "city", name="手工")
    plan = make_plan(netbox, desired)
    assert plan.writes == []
    [conflict] = plan.of(Action.conflict)
    assert (conflict.kind, conflict.key) == ("site", "city")
    assert len(plan.of(Action.keep)) == sum(len(v) for v in desired.values()) - 1


def test_a_cable_on_a_taken_interface_is_a_conflict(district_inventory: Inventory) -> None:
    desired, _ = desired_state(district_inventory)
    netbox = as_netbox(desired)
    cable = netbox["cable"].pop("wj-core1-core2-a")
    netbox["cable"]["by-hand"] = NbObject("cable", "by-hand", cable.fields, id=1)
    conflicts = make_plan(netbox, desired).of(Action.conflict)
    assert [(c.kind, c.key) for c in conflicts] == [("cable", "wj-core1-core2-a")]
    assert "taken by cable by-hand" in conflicts[0].reason
