"""The SNMP/LLDP-MIB crawl and the draft inventory, against walks recorded from the lab
(tests/fixtures/topology/snmp-walks/lab: one JSON file per management address, as the
project's SNMP client answered during a crawl from core1)."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from base.errors import DiscoveryError, LabNotUpError
from inventory.loader import load_inventory
from tests.conftest import LAB_INVENTORY, REPO, invoke_egovnet
from tests.discovery_compare import link_facts, network_devices
from topology.discovery.crawl import (
    IF_HIGH_SPEED,
    LLDP_REM_PORT_ID,
    LLDP_REM_SYS_NAME,
    crawl,
    read_device,
)
from topology.discovery.onboard import discover
from topology.discovery.snmpwalk import RecordedWalker, Varbind

pytestmark = pytest.mark.unit

WALKS = REPO / "tests" / "fixtures" / "topology" / "snmp-walks" / "lab"
CORE1 = "172.31.250.1"
PROFILE = load_inventory(LAB_INVENTORY).snmp_profile_by_name["noc-v3"]


class CountingWalker(RecordedWalker):
    """Recorded answers, and every address something was sent to."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.asked: list[str] = []

    async def get(self, address: str, oids: list[str]) -> dict[str, object]:
        self.asked.append(address)
        return await super().get(address, oids)

    async def walk(self, address: str, oid: str) -> list[Varbind]:
        self.asked.append(address)
        return await super().walk(address, oid)


def allow_all(address: str) -> None:
    return None


def test_one_device_reads_its_name_interfaces_addresses_and_neighbours() -> None:
    core1 = asyncio.run(read_device(RecordedWalker(WALKS), CORE1))
    assert core1.sys_name == "core1"
    assert "production huawei_vrp" in core1.sys_descr
    eth3 = core1.interface("eth3")
    assert eth3 is not None and [str(a) for a in eth3.addresses] == ["10.1.1.2/30"]
    assert eth3.speed_mbps == 10000  # veth ports; the committed rate is in no MIB
    by_port = {n.local_port: n for n in core1.neighbors}
    assert by_port["eth3"].system_name == "city1" and by_port["eth3"].port == "eth1"
    assert by_port["eth3"].management_address == "172.31.250.3"
    assert sorted(by_port) == [f"eth{i}" for i in range(1, 9)]


def test_from_core1_the_draft_holds_every_device_and_link_of_the_lab(tmp_path: Path) -> None:
    out = tmp_path / "draft"
    found = discover([CORE1], RecordedWalker(WALKS), allow_all, out, PROFILE)
    lab = load_inventory(LAB_INVENTORY)
    assert network_devices(found.inventory) == network_devices(lab)
    assert link_facts(found.inventory) == link_facts(lab)
    assert invoke_egovnet("inventory", "validate", str(out)).returncode == 0
    sites = (out / "sites.yaml").read_text(encoding="utf-8")
    assert "# review:" in sites and "tier: village" in sites
    links = (out / "links.yaml").read_text(encoding="utf-8")
    assert "not the carrier's committed rate" in links


def test_a_refused_neighbour_is_listed_and_never_asked(tmp_path: Path) -> None:
    walker = CountingWalker(WALKS)
    town1 = "172.31.250.11"

    def guard(address: str) -> None:
        if address == town1:
            raise LabNotUpError(f"{address} would leave the machine")

    result = asyncio.run(crawl([CORE1], walker, guard))
    assert town1 not in walker.asked
    assert set(result.refused) == {town1}
    names = {d.sys_name for d in result.devices}
    # town1's villages are reached only through town1
    assert "town1" not in names and "vil1" not in names and "vil2" not in names
    assert {"core2", "town2", "vil3", "city1", "cloud1"} <= names


def test_a_refused_seed_stops_before_anything_is_sent() -> None:
    walker = CountingWalker(WALKS)

    def guard(address: str) -> None:
        raise LabNotUpError("not up")

    with pytest.raises(LabNotUpError):
        asyncio.run(crawl([CORE1], walker, guard))
    assert walker.asked == []


def test_a_silent_device_is_listed_and_the_draft_still_validates(tmp_path: Path) -> None:
    walks = tmp_path / "walks"
    shutil.copytree(WALKS, walks)
    (walks / "172.31.250.23.json").unlink()  # vil3 does not answer
    found = discover([CORE1], RecordedWalker(walks), allow_all, tmp_path / "draft", PROFILE)
    assert set(found.crawl.failed) == {"172.31.250.23"}
    assert "vil3" not in {d.name for d in found.inventory.devices}
    assert len(found.inventory.links) == 15


def test_no_answer_from_the_seed_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "draft"
    with pytest.raises(DiscoveryError, match="no seed answered"):
        discover(["172.31.250.99"], RecordedWalker(WALKS), allow_all, out, PROFILE)
    assert not out.exists()


def test_lldp_rows_without_a_system_name_are_skipped() -> None:
    class Partial(RecordedWalker):
        async def walk(self, address: str, oid: str) -> list[Varbind]:
            rows = await super().walk(address, oid)
            if oid == LLDP_REM_SYS_NAME:
                return rows[:1]
            if oid == IF_HIGH_SPEED:
                return []
            return rows

    core1 = asyncio.run(read_device(Partial(WALKS), CORE1))
    assert len(core1.neighbors) == 1
    assert all(i.speed_mbps is None for i in core1.interfaces)


def test_the_guard_refuses_a_lab_seed_off_the_machine(tmp_path: Path) -> None:
    result = invoke_egovnet(
        "inventory", "discover", "--profile", "lab", "--state-dir", str(tmp_path / "state"),
        "--seed", "192.0.2.77", "--out", str(tmp_path / "draft"),
    )  # fmt: skip
    assert result.returncode == 2
    assert "the lab is not up" in result.stderr and "nothing was sent" in result.stderr
    assert not (tmp_path / "draft").exists()


def test_a_port_with_two_neighbours_keeps_one_and_says_so(tmp_path: Path) -> None:
    walks = tmp_path / "walks"
    shutil.copytree(WALKS, walks)
    core1 = walks / f"{CORE1}.json"
    data = json.loads(core1.read_text(encoding="utf-8"))
    # a second neighbour on local port 3 (eth1, ifIndex 3), as behind an unmanaged switch
    data["walk"][LLDP_REM_SYS_NAME].append([f"{LLDP_REM_SYS_NAME}.0.3.2", {"hex": b"vil1".hex()}])
    data["walk"][LLDP_REM_PORT_ID].append([f"{LLDP_REM_PORT_ID}.0.3.2", {"hex": b"eth9".hex()}])
    core1.write_text(json.dumps(data), encoding="utf-8")
    found = discover([CORE1], RecordedWalker(walks), allow_all, tmp_path / "draft", PROFILE)
    assert found.skipped == ("core1 eth1 -> vil1 eth9: core1 eth1 already has a neighbour",)
    assert link_facts(found.inventory) == link_facts(load_inventory(LAB_INVENTORY))


def test_a_draft_that_does_not_validate_is_not_written(tmp_path: Path) -> None:
    walks = tmp_path / "walks"
    shutil.copytree(WALKS, walks)
    vil3 = walks / "172.31.250.23.json"  # vil3 reports vil2's loopback as its own
    vil3.write_text(vil3.read_text("utf-8").replace("10.255.0.23", "10.255.0.22"), "utf-8")
    out = tmp_path / "draft"
    with pytest.raises(DiscoveryError, match="does not validate") as caught:
        discover([CORE1], RecordedWalker(walks), allow_all, out, PROFILE)
    assert "10.255.0.22" in str(caught.value) and f"{out}/devices.yaml" in str(caught.value)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [walks]
