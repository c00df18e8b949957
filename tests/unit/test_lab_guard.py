"""The route guard's decision, from recorded ``ip -j route get`` answers (no kernel asked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from base.errors import LabNotUpError, LabUsageError
from inventory.catalog import Inventory
from routeguard.routes import (
    Route,
    RouteLookup,
    RouteTarget,
    device_targets,
    first_escape,
    is_lab_inventory,
    parse_route,
    require_lab_routes,
)

pytestmark = pytest.mark.unit

# what iproute2 6.x prints for `ip -j route get ADDR` on a machine without and with the lab
OFF_MACHINE = (
    '[{"dst":"172.31.250.1","gateway":"192.0.2.1","dev":"eth0","prefsrc":"192.0.2.2",'
    '"flags":[],"uid":0,"cache":[]}]'
)
INTO_LAB = (
    '[{"dst":"172.31.250.1","dev":"egmgmt0","prefsrc":"172.31.255.254","flags":[],"uid":0,'
    '"cache":[]}]'
)
LOOPBACK = (
    '[{"type":"local","dst":"127.5.0.1","dev":"lo","prefsrc":"127.0.0.1","flags":[],"uid":0,'
    '"cache":["local"]}]'
)


def lookup_from(answers: dict[str, str], asked: list[str] | None = None) -> RouteLookup:
    def lookup(address: str) -> Route:
        if asked is not None:
            asked.append(address)
        return parse_route(address, answers[address])

    return lookup


def test_parse_reads_device_gateway_and_type() -> None:
    off = parse_route("172.31.250.1", OFF_MACHINE)
    assert (off.dev, off.gateway, off.stays_on_machine) == ("eth0", "192.0.2.1", False)
    assert off.describe() == "would go out dev eth0 via 192.0.2.1"
    lab = parse_route("172.31.250.1", INTO_LAB)
    assert (lab.dev, lab.gateway, lab.stays_on_machine) == ("egmgmt0", None, True)
    local = parse_route("127.5.0.1", LOOPBACK)
    assert (local.dev, local.kind, local.stays_on_machine) == ("lo", "local", True)


@pytest.mark.parametrize("output", ["", "[]", "{}", "not json", '[{"dst":"10.0.0.1"}]'])
def test_unreadable_answers_count_as_leaving(output: str) -> None:
    route = parse_route("10.0.0.1", output)
    assert route.dev is None and not route.stays_on_machine
    assert route.describe().startswith("has no route (")


def test_the_lab_profile_is_a_lab_inventory_and_the_district_is_not(
    lab_inventory: Inventory, district_inventory: Inventory
) -> None:
    assert is_lab_inventory(lab_inventory)
    assert not is_lab_inventory(district_inventory)


def test_refusal_names_the_first_device_its_route_and_the_fix(lab_inventory: Inventory) -> None:
    core1 = lab_inventory.device("core1")
    answers = {str(d.mgmt_address): INTO_LAB for d in lab_inventory.devices}
    answers["172.31.250.1"] = OFF_MACHINE
    with pytest.raises(LabNotUpError) as info:
        require_lab_routes(
            lab_inventory,
            device_targets([lab_inventory.device("city1"), core1]),
            Path("/tmp/st"),
            hint=", or else",
            lookup=lookup_from(answers),
        )
    message = str(info.value)
    assert "\n" not in message
    assert message == (
        "the lab is not up: core1 (172.31.250.1) would go out dev eth0 via 192.0.2.1, not"
        " through the lab's bridge egmgmt0, so nothing was sent; run `egovnet lab up"
        " --state-dir /tmp/st` first, or else"
    )
    assert info.value.exit_code == 2
    assert isinstance(info.value, LabUsageError)


def test_every_address_into_the_lab_or_loopback_passes(lab_inventory: Inventory) -> None:
    asked: list[str] = []
    answers = {str(d.mgmt_address): INTO_LAB for d in lab_inventory.devices}
    answers["172.31.250.2"] = LOOPBACK
    targets = [*device_targets(lab_inventory.devices), RouteTarget("again", "172.31.250.1")]
    require_lab_routes(
        lab_inventory,
        targets,
        Path("st"),
        lookup=lookup_from(answers, asked),
    )
    assert sorted(asked) == sorted(answers)  # each address asked once


def test_a_real_inventory_is_never_looked_up(district_inventory: Inventory) -> None:
    def refuse(address: str) -> Route:
        raise AssertionError(f"looked up {address} for a real inventory")

    require_lab_routes(
        district_inventory, device_targets(district_inventory.devices), None, lookup=refuse
    )


def test_first_escape_stops_at_the_first_leaving_target() -> None:
    asked: list[str] = []
    answers = {"10.0.0.1": INTO_LAB, "10.0.0.2": OFF_MACHINE, "10.0.0.3": OFF_MACHINE}
    targets = [
        RouteTarget("a", "10.0.0.1"),
        RouteTarget("b", "10.0.0.2"),
        RouteTarget("c", "10.0.0.3"),
    ]
    found = first_escape(targets, lookup_from(answers, asked))
    assert found is not None and found[0].name == "b"
    assert asked == ["10.0.0.1", "10.0.0.2"]


def test_without_a_state_dir_the_fix_is_plain_lab_up(lab_inventory: Inventory) -> None:
    with pytest.raises(LabNotUpError, match=r"run `egovnet lab up` first$"):
        require_lab_routes(
            lab_inventory,
            [RouteTarget("x", "nonsense")],
            None,
        )
