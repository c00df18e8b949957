"""Linux names the lab gives to inventory interfaces and to its own objects."""

from __future__ import annotations

import pytest

from lab.names import (
    assign_ifnames,
    derive_ifname,
    fabric_port,
    host_port,
    is_lab_namespace,
    is_valid_ifname,
    namespace,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("production", "linux"),
    [
        ("GigabitEthernet0/0/1", "gi0-0-1"),
        ("10GE1/0/32", "10ge1-0-32"),
        ("GE0/0/1", "ge0-0-1"),
        ("Ten-GigabitEthernet1/0/49", "te1-0-49"),
        ("XGigabitEthernet0/0/1", "xg0-0-1"),
        ("GigabitEthernet0/0/1.100", "gi0-0-1-100"),
    ],
)
def test_production_names_get_short_readable_linux_names(production: str, linux: str) -> None:
    assert not is_valid_ifname(production)
    assert derive_ifname(production) == linux
    assert is_valid_ifname(linux)


def test_valid_names_are_kept_and_reserved_ones_are_renamed() -> None:
    got = assign_ifnames(["eth1", "Eth-Trunk1", "mgmt0", "lan0", "GigabitEthernet0/0/1"])
    assert got["eth1"] == "eth1"
    assert got["Eth-Trunk1"] == "Eth-Trunk1"
    assert got["mgmt0"] not in {"mgmt0", "lan0", "lo"}
    assert got["lan0"] not in {"mgmt0", "lan0", "lo"}
    assert got["GigabitEthernet0/0/1"] == "gi0-0-1"
    assert all(is_valid_ifname(v) for v in got.values())


def test_names_that_would_collide_on_one_device_stay_distinct() -> None:
    # gi0-0-1 is both a literal name and the short form of GigabitEthernet0/0/1
    got = assign_ifnames(["gi0-0-1", "GigabitEthernet0/0/1", "Gigabit-Ethernet0/0/1"])
    assert len(set(got.values())) == 3
    assert got["gi0-0-1"] == "gi0-0-1"
    assert all(is_valid_ifname(v) for v in got.values())


def test_long_names_fall_back_to_a_stable_hash() -> None:
    name = "GigabitEthernet100/100/100/100"
    assert derive_ifname(name) == derive_ifname(name)
    assert is_valid_ifname(derive_ifname(name))


def test_lab_objects_carry_the_lab_prefixes() -> None:
    assert namespace("core1") == "eg-core1"
    assert is_lab_namespace("eg-core1") and is_lab_namespace("egfabric")
    assert not is_lab_namespace("t6-exp")
    assert host_port("a-very-long-device-name-in-the-district").startswith("egm")
    assert len(host_port("a-very-long-device-name-in-the-district")) <= 15
    assert fabric_port("core1-town1", "a") != fabric_port("core1-town1", "b")
    assert len(fabric_port("x" * 60, "a")) <= 15
