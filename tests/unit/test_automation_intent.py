"""The intended configuration model: decisions made once for every platform."""

from __future__ import annotations

import ipaddress

import pytest

from automation.intent import (
    OSPF_COST,
    InterfaceRole,
    build_intent,
    build_intents,
    network_devices,
    site_gateway,
)
from inventory.catalog import Inventory
from inventory.models import LinkKind, Plane, Platform, Role

pytestmark = pytest.mark.unit


def test_servers_are_not_rendered(lab_inventory: Inventory) -> None:
    names = {i.name for i in build_intents(lab_inventory)}
    servers = {d.name for d in lab_inventory.devices if d.role is Role.server}
    assert servers and not names & servers
    assert names == {d.name for d in network_devices(lab_inventory)}


def test_lab_profile_renders_frr_and_production_flag_ignores_override(
    lab_inventory: Inventory, frr_lab_inventory: Inventory
) -> None:
    assert {i.platform for i in build_intents(frr_lab_inventory)} == {Platform.frr}
    # the lab profile keeps two devices on their production platform (their emulation)
    kept = {i.name: i.platform for i in build_intents(lab_inventory) if i.platform != "frr"}
    assert kept == {"dept1": Platform.huawei_vrp, "vil2": Platform.hp_comware}
    prod = {i.name: i.platform for i in build_intents(lab_inventory, production=True)}
    assert prod["core1"] is Platform.huawei_vrp
    assert prod["town1"] is Platform.hp_comware
    assert prod["vil1"] is Platform.cisco_ios


def test_every_link_end_is_an_interface_with_its_address_cost_and_bfd(
    lab_inventory: Inventory,
) -> None:
    for intent in build_intents(lab_inventory):
        links = lab_inventory.links_of(intent.name)
        by_name = {i.name: i for i in intent.interfaces}
        assert len(intent.link_interfaces) == len(links)
        for link in links:
            end = link.a if link.a.device == intent.name else link.b
            iface = by_name[end.interface]
            assert iface.address == end.address
            assert iface.bfd
            assert iface.ospf_cost == OSPF_COST[link.plane]
            assert iface.network in intent.ospf.networks


def test_plane_a_is_preferred_over_plane_b() -> None:
    assert OSPF_COST[Plane.A] < OSPF_COST[Plane.B]


def test_descriptions_name_site_circuit_and_carrier(lab_inventory: Inventory) -> None:
    town1 = build_intent(lab_inventory, lab_inventory.device("town1"))
    eth1 = next(i for i in town1.interfaces if i.name == "eth1")
    assert eth1.description == "[A] 龙归镇 SGWJ-DX-0101 中国电信 to core1 eth5"
    eth2 = next(i for i in town1.interfaces if i.name == "eth2")
    assert "[B]" in eth2.description and "中国联通" in eth2.description
    assert "|" not in eth1.description  # a pipe to vtysh


def test_only_access_circuits_are_shaped_to_the_committed_rate(
    lab_inventory: Inventory,
) -> None:
    for intent in build_intents(lab_inventory):
        for iface in intent.link_interfaces:
            link = lab_inventory.link(iface.link_id or "")
            if link.kind is LinkKind.access:
                assert iface.shaping is not None
                assert iface.shaping.committed_mbps == link.committed_mbps
            else:
                assert iface.shaping is None
    town2 = build_intent(lab_inventory, lab_inventory.device("town2"))
    assert {i.shaping.committed_mbps for i in town2.interfaces if i.shaping} == {50, 30}


def test_loopback_and_site_lan_are_passive(
    lab_inventory: Inventory, frr_lab_inventory: Inventory
) -> None:
    dept1 = build_intent(frr_lab_inventory, frr_lab_inventory.device("dept1"))
    lan = next(i for i in dept1.interfaces if i.role is InterfaceRole.lan)
    assert lan.name == "lan0"  # the lab's LAN interface on the FRR platform
    assert lan.address == ipaddress.IPv4Interface("10.210.1.1/24")
    assert "区政务服务数据管理局" in lan.description
    loop = next(i for i in dept1.interfaces if i.role is InterfaceRole.loopback)
    assert loop.address == ipaddress.IPv4Interface("10.255.0.31/32")
    assert set(dept1.ospf.passive_interfaces) == {"lan0", "lo"}
    assert dept1.ospf.router_id == "10.255.0.31"
    # on its emulated VRP platform the same LAN is the device's VLAN interface
    vrp = build_intent(lab_inventory, lab_inventory.device("dept1"))
    assert set(vrp.ospf.passive_interfaces) == {"Vlanif100", "LoopBack0"}
    # a core device serves no LAN
    core1 = build_intent(lab_inventory, lab_inventory.device("core1"))
    assert not any(i.role is InterfaceRole.lan for i in core1.interfaces)


def test_site_gateway_is_the_sites_network_device(lab_inventory: Inventory) -> None:
    gw = site_gateway(lab_inventory, "gov-cloud")
    assert gw is not None and gw.name == "cloud1"


def test_management_baseline_comes_from_policy_and_profiles(lab_inventory: Inventory) -> None:
    m = build_intent(lab_inventory, lab_inventory.device("vil1")).management
    policy = lab_inventory.policy.management
    assert m.syslog_servers == tuple(str(s) for s in policy.syslog_servers)
    assert m.ntp_servers == tuple(str(s) for s in policy.ntp_servers)
    assert m.idle_timeout_minutes <= 10 and m.login_failures_before_lock <= 5
    assert m.snmp is not None and m.snmp.user == "noc"
    assert m.snmp.auth_key_env == "EGOVNET_SNMP_AUTH_KEY"


def test_district_production_intents_cover_every_network_device(
    district_inventory: Inventory,
) -> None:
    intents = build_intents(district_inventory, production=True)
    assert len(intents) == len(network_devices(district_inventory))
    assert {i.platform for i in intents} == {
        Platform.huawei_vrp,
        Platform.hp_comware,
        Platform.cisco_ios,
    }
