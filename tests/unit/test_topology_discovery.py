"""LLDP discovery: parsers on recorded outputs, drift against intended links, metrics."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from base.errors import DiscoveryError
from inventory.catalog import Inventory
from inventory.loader import load_inventory
from inventory.models import Platform, Role
from tests.conftest import LAB_INVENTORY, REPO, invoke_egovnet
from tests.unit.topology_helpers import egovnet
from topology.discovery.drift import DEFAULT_IGNORED_INTERFACES, EndVerdict, LinkState, compare
from topology.discovery.interfaces import interface_key, remote_port
from topology.discovery.metrics import drift_metrics
from topology.discovery.models import DeviceNeighbors, Neighbor
from topology.discovery.platforms import LLDP_COMMANDS, frr
from topology.discovery.sources import (
    ByPlatform,
    CommandSource,
    NapalmSource,
    from_napalm,
    read_all,
    recorded_runner,
)

pytestmark = pytest.mark.unit

FIXTURES = REPO / "tests" / "fixtures" / "topology"
SLICE = FIXTURES / "lldp-slice"
LAB_LLDP = FIXTURES / "lldp-lab"


@pytest.fixture(scope="module")
def lab_inventory(frr_lab_inventory: Inventory) -> Inventory:
    """The recordings under LAB_LLDP are lldpcli's on the lab with FRR on every device."""
    return frr_lab_inventory


@pytest.fixture(scope="module")
def slice_inventory() -> Inventory:
    return load_inventory(SLICE / "inventory")


def network(inv: Inventory) -> list:  # type: ignore[type-arg]
    return [d for d in inv.devices if d.role is not Role.server]


RECORDED = sorted(p for p in (SLICE / "lldp").glob("*/*.txt"))


@pytest.mark.parametrize("output", RECORDED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_recorded_cli_output_parses_to_its_expected_neighbours(
    output: Path, slice_inventory: Inventory
) -> None:
    platform = slice_inventory.platform(slice_inventory.device(output.parent.name))
    command = LLDP_COMMANDS[platform]
    assert output.name == command.file_name  # recorded under the command egovnet runs
    expected = json.loads(output.with_name(output.stem + ".expected.json").read_text("utf-8"))
    assert [n.model_dump() for n in command.parse(output.read_text("utf-8"))] == expected


def test_every_textfsm_platform_has_a_recorded_output() -> None:
    recorded = {p.name for p in RECORDED}
    for platform in (Platform.huawei_vrp, Platform.hp_comware, Platform.cisco_ios):
        assert LLDP_COMMANDS[platform].file_name in recorded


def test_lldpcli_json_shapes_from_real_lldpd() -> None:
    town1 = frr.parse((LAB_LLDP / "lldpcli" / "town1.json").read_text("utf-8"))
    assert [(n.local_interface, n.remote_system, n.remote_port) for n in town1] == [
        ("eth1", "core1", "eth5"),
        ("eth2", "core2", "eth5"),
        ("eth3", "vil1", "eth1"),
        ("eth4", "vil2", "eth1"),
    ]
    assert town1[0].remote_mgmt_address == "10.255.0.1"  # the IPv4 one of the two
    [vil1] = frr.parse((LAB_LLDP / "lldpcli" / "vil1.json").read_text("utf-8"))  # one: a mapping
    assert (vil1.local_interface, vil1.remote_system, vil1.remote_port) == ("eth1", "town1", "eth3")
    assert frr.parse((LAB_LLDP / "lldpcli" / "dept2.json").read_text("utf-8")) == []
    assert frr.parse((LAB_LLDP / "lldpcli" / "dept2.json0").read_text("utf-8")) == []
    json0 = frr.parse((LAB_LLDP / "intended" / "town1" / frr_file()).read_text("utf-8"))
    assert [(n.local_interface, n.remote_system) for n in json0] == [
        (n.local_interface, n.remote_system) for n in town1
    ]


def frr_file() -> str:
    return LLDP_COMMANDS[Platform.frr].file_name


def test_unparseable_output_is_a_discovery_error() -> None:
    with pytest.raises(DiscoveryError, match="lldpcli: not JSON"):
        frr.parse("lldpcli: unable to connect to socket")
    with pytest.raises(DiscoveryError, match="huawei_vrp"):
        LLDP_COMMANDS[Platform.huawei_vrp].parse("GE1/0/1 has 1 neighbor(s):\nwhat is this line\n")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("GE1/0/1", "GigabitEthernet1/0/1"),
        ("Gi1/0/1", "GigabitEthernet1/0/1"),
        ("XGE1/0/49", "Ten-GigabitEthernet1/0/49"),
        ("Te1/1/1", "TenGigabitEthernet1/1/1"),
        ("10GE1/0/6", "XGigabitEthernet1/0/6"),
        ("Eth-Trunk1", "eth-trunk1"),
        ("eth1", "ETH1"),
    ],
)
def test_interface_names_compare_across_vendors(a: str, b: str) -> None:
    assert interface_key(a) == interface_key(b)


def test_different_ports_stay_different() -> None:
    assert interface_key("GE1/0/1") != interface_key("GE1/0/10")
    assert interface_key("GE1/0/1") != interface_key("XGE1/0/1")
    assert interface_key("eth1") != interface_key("Ethernet1")


def test_a_mac_port_id_falls_back_to_the_description() -> None:
    assert remote_port("5254.0012.3456", "eth0") == "eth0"
    assert remote_port("6e:ad:f5:35:82:53", "eth1") == "eth1"
    assert remote_port("Gi1/0/1", "GigabitEthernet1/0/1 uplink") == "Gi1/0/1"


# --- drift --------------------------------------------------------------------------------


def test_recorded_slice_drift_is_exactly_the_deliberate_drift(slice_inventory: Inventory) -> None:
    source = CommandSource(recorded_runner(SLICE / "lldp"), name="recorded")
    report = compare(slice_inventory, read_all(slice_inventory, source, network(slice_inventory)))
    states = {lk.link: lk.state for lk in report.links}
    assert states == {
        "wj-core1-core2-a": LinkState.discovered,
        "wj-core1-core2-b": LinkState.discovered,
        "wj-core1-xilian": LinkState.discovered,
        "wj-core2-xilian": LinkState.missing,
        "wj-xilian-vil01": LinkState.miswired,
        "wj-xilian-vil02": LinkState.miswired,
        "wj-xilian-vil03": LinkState.discovered,
        "wj-core1-zsj": LinkState.discovered,
        "wj-core2-zsj": LinkState.discovered,
    }
    vil01 = next(lk for lk in report.links if lk.link == "wj-xilian-vil01")
    assert [str(s) for s in vil01.a.seen] == ["wj-vil-xilian-02 GigabitEthernet0/0/1"]
    assert [str(s) for s in vil01.b.seen] == ["wj-town-xilian GigabitEthernet1/0/4"]
    vil03 = next(lk for lk in report.links if lk.link == "wj-xilian-vil03")
    assert (vil03.a.verdict, vil03.b.verdict) == (EndVerdict.confirmed, EndVerdict.not_polled)
    [odd] = report.unexpected
    assert (odd.device, odd.interface, odd.neighbor.system, odd.neighbor.device) == (
        "wj-core1",
        "10GE1/0/20",
        "H3C",
        None,
    )
    assert report.counts == {"missing": 1, "miswired": 2, "unexpected": 1}
    [unread] = [d for d in report.devices if not d.ok]
    assert unread.device == "wj-vil-xilian-03" and "no recorded output" in (unread.error or "")
    assert not report.clean


def test_recorded_lab_matches_then_reports_the_link_set_down(lab_inventory: Inventory) -> None:
    intended = CommandSource(recorded_runner(LAB_LLDP / "intended"))
    report = compare(lab_inventory, read_all(lab_inventory, intended, network(lab_inventory)))
    assert report.clean
    assert len(report.links_in(LinkState.discovered)) == len(lab_inventory.links)

    after = CommandSource(recorded_runner(LAB_LLDP / "intended", LAB_LLDP / "core2-town1-down"))
    report = compare(lab_inventory, read_all(lab_inventory, after, network(lab_inventory)))
    assert [lk.link for lk in report.links if lk.state is not LinkState.discovered] == [
        "core2-town1"
    ]
    assert report.counts == {"missing": 1, "miswired": 0, "unexpected": 0}


def reading(device: str, *neighbors: Neighbor) -> DeviceNeighbors:
    return DeviceNeighbors(device=device, source="test", neighbors=list(neighbors))


def test_lab_interface_names_map_back_through_aliases(lab_inventory: Inventory) -> None:
    seen = reading(
        "core1", Neighbor(local_interface="gi0-0-5", remote_system="town1", remote_port="ge-1")
    )
    report = compare(
        lab_inventory,
        [seen],
        aliases={"core1": {"gi0-0-5": "eth5"}, "town1": {"ge-1": "eth1"}},
    )
    link = next(lk for lk in report.links if lk.link == "core1-town1")
    assert link.a.verdict is EndVerdict.confirmed and link.state is LinkState.discovered


def test_unexpected_neighbours_rules(lab_inventory: Inventory) -> None:
    readings = [
        # a cable between two villages, seen from both ends: one finding
        reading(
            "vil1",
            Neighbor(local_interface="eth9", remote_system="VIL3.wj.gov.cn", remote_port="eth9"),
        ),
        reading("vil3", Neighbor(local_interface="eth9", remote_system="vil1", remote_port="eth9")),
        # the management port and the site's own server are not drift
        reading(
            "dept1",
            Neighbor(local_interface="mgmt0", remote_system="core1"),
            Neighbor(local_interface="lan0", remote_system="srv-dept1"),
        ),
        # recognised by management address when the system name is the factory default
        reading(
            "town2",
            Neighbor(
                local_interface="eth7", remote_system="Huawei", remote_mgmt_address="172.31.250.22"
            ),
        ),
    ]
    report = compare(lab_inventory, readings)
    found = [(u.device, u.interface, u.neighbor.device, u.both_ends) for u in report.unexpected]
    assert found == [("town2", "eth7", "vil2", False), ("vil1", "eth9", "vil3", True)]
    ignored = compare(
        lab_inventory, readings, ignore_interfaces=(*DEFAULT_IGNORED_INTERFACES, "eth9", "eth7")
    )
    assert ignored.unexpected == []


def test_a_port_id_that_names_no_known_interface_is_not_compared(lab_inventory: Inventory) -> None:
    seen = reading(
        "core1",
        Neighbor(
            local_interface="eth5", remote_system="town1", remote_port="to core1 eth5 SGWJ-DX-0101"
        ),
    )
    link = next(lk for lk in compare(lab_inventory, [seen]).links if lk.link == "core1-town1")
    assert link.state is LinkState.discovered


def test_napalm_source_feeds_the_same_comparison(lab_inventory: Inventory) -> None:
    recorded = {
        "eth1": [{"hostname": "core1", "port": "eth3"}],
        "eth2": [{"hostname": "core2", "port": "eth3"}],
    }
    assert from_napalm(recorded)[0] == Neighbor(
        local_interface="eth1", remote_system="core1", remote_port="eth3"
    )
    source = NapalmSource(lambda device: recorded)
    report = compare(
        lab_inventory, read_all(lab_inventory, source, [lab_inventory.device("city1")])
    )
    assert {lk.link: lk.state for lk in report.links} == {
        "city1-core1": LinkState.discovered,
        "city1-core2": LinkState.discovered,
    }


def test_a_failing_device_is_recorded_not_raised(lab_inventory: Inventory) -> None:
    def run(device, command):  # type: ignore[no-untyped-def]
        if device.name == "vil2":
            raise TimeoutError("timed out after 20s")
        return (LAB_LLDP / "intended" / device.name / frr_file()).read_text("utf-8")

    readings = read_all(lab_inventory, CommandSource(run), network(lab_inventory))
    failed = [r for r in readings if not r.ok]
    assert [(r.device, r.error) for r in failed] == [("vil2", "TimeoutError: timed out after 20s")]
    report = compare(lab_inventory, readings)
    link = next(lk for lk in report.links if lk.link == "town1-vil2")
    assert link.state is LinkState.discovered  # the town still sees it


# --- metrics and the command --------------------------------------------------------------


def test_drift_metrics(slice_inventory: Inventory) -> None:
    source = CommandSource(recorded_runner(SLICE / "lldp"))
    report = compare(slice_inventory, read_all(slice_inventory, source, network(slice_inventory)))
    families = {f.name: f for f in drift_metrics(slice_inventory, report)}
    links = {
        s.labels["link"]: s.value for s in families["egovnet_topology_link_discovered"].samples
    }
    assert (
        links["wj-core2-xilian"] == 0
        and links["wj-xilian-vil01"] == 0
        and links["wj-core1-zsj"] == 1
    )
    drift = {s.labels["kind"]: s.value for s in families["egovnet_topology_drift"].samples}
    assert drift == {"missing": 1, "miswired": 2, "unexpected": 1}
    up = {s.labels["device"]: s.value for s in families["egovnet_topology_lldp_up"].samples}
    assert up["wj-vil-xilian-03"] == 0 and up["wj-core1"] == 1


def test_cli_discover_from_recordings(capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "topology",
        "discover",
        "-i",
        str(SLICE / "inventory"),
        "--from-dir",
        str(SLICE / "lldp"),
    ]
    table = invoke_egovnet(*args, env={**os.environ, "COLUMNS": "200"})
    assert table.returncode == 1
    assert "wj-core2-xilian" in table.stdout and "miswired" in table.stdout
    assert "could not read wj-vil-xilian-03" in table.stderr

    exposition = egovnet(capsys, *args, "--metrics")
    assert exposition.returncode == 1
    samples = {
        (s.name, s.labels.get("kind")): s.value
        for fam in text_string_to_metric_families(exposition.stdout)
        for s in fam.samples
    }
    assert samples[("egovnet_topology_drift", "miswired")] == 2

    clean = egovnet(
        capsys,
        "topology",
        "discover",
        "--profile",
        "lab-frr",
        "--json",
        "--from-dir",
        str(LAB_LLDP / "intended"),
    )
    assert clean.returncode == 0, clean.stderr
    assert json.loads(clean.stdout)["clean"] is True

    for bad in (
        ["--from-dir", "/nonexistent"],
        ["--from-dir", str(LAB_LLDP / "intended"), "-d", "core9"],
    ):
        done = egovnet(capsys, "topology", "discover", "--profile", "lab", *bad)
        assert done.returncode == 2 and done.stderr.startswith("error: ")


def test_auto_names_the_source_each_device_was_read_with() -> None:
    """On the lab (FRR beside the emulated dept1 and vil2) ``auto`` reads FRR with lldpcli
    and the rest over the CLI; each reading says which, also when it failed."""
    inv = load_inventory(LAB_INVENTORY)
    lldpcli = CommandSource(recorded_runner(LAB_LLDP / "intended"), name="lldpcli")

    def unreachable(device: object, command: str) -> str:
        raise DiscoveryError("no route to host")

    source = ByPlatform({Platform.frr: lldpcli}, default=CommandSource(unreachable, name="cli"))
    readings = {r.device: r for r in read_all(inv, source, network(inv))}
    assert {d: r.source for d, r in readings.items() if r.source != "lldpcli"} == {
        "dept1": "cli",
        "vil2": "cli",
    }
    assert readings["vil2"].error == "no route to host" and readings["town1"].ok
    # lldpcli reads lldpd beside an emulated device too: its command, whatever the platform
    beside = CommandSource(lldpcli.run, name="lldpcli", as_platform=Platform.frr)
    assert all(r.ok for r in read_all(inv, beside, network(inv)))
    assert not next(r for r in read_all(inv, lldpcli, network(inv)) if r.device == "dept1").ok
