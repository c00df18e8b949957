"""Vendor health: the OID table and its doc, each platform's parser, the emulation's agent.

The parsers read walked tables as gufo-snmp returns them (index after the column, ints and
bytes); the agent's own rows are fed through the same parsers, so the emulation and the
exporter cannot drift apart without a test noticing (the integration test does it over snmpd).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from base.errors import LabUsageError
from collectors.vendor_health import HEALTH_PLATFORMS, hp_comware, huawei_vrp
from collectors.vendor_health.readings import (
    BoardHealth,
    HealthParts,
    HealthReading,
    OpticalReading,
    PartState,
    Tables,
)
from collectors.vendor_oids import VENDOR_OIDS
from exporters.exposition import render_collectors
from exporters.labels import LabelCatalog
from exporters.vendor_health import VendorHealthCollector
from inventory.catalog import Inventory
from lab.faults import parse_part
from lab.vendors import health_agent
from lab.vendors.device import Health, Optic
from lab.vendors.health_snmpd import snmpd_config_lines
from lab.vendors.health_state import (
    HealthState,
    deviations,
    read_state,
    reset_health,
    set_health,
    set_optical,
    write_state,
)
from tests.conftest import REPO

pytestmark = pytest.mark.unit

HW = "1.3.6.1.4.1.2011.5.25.31.1.1"
ENT = "1.3.6.1.2.1.47.1.1.1.1"
HH3C = "1.3.6.1.4.1.25506.2.6.1.1.1.1"
XCVR = "1.3.6.1.4.1.25506.2.70.1.1.1"


def test_the_doc_lists_exactly_the_oids_of_the_code() -> None:
    text = (REPO / "docs" / "vendor-health.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([\d.]+)` \| (\w+) \| ([\w-]+) \|", text, flags=re.MULTILINE)
    assert rows == [(o.oid, o.name, o.mib) for o in VENDOR_OIDS]
    every_column = {c for p in HEALTH_PLATFORMS.values() for c in p.columns}
    assert every_column == {o.oid for o in VENDOR_OIDS}


def test_huawei_boards_fans_power_and_optics() -> None:
    tables: Tables = {
        f"{ENT}.7": {"16777216": b"S5735-L24T4X", "16842753": b"MPU Board 0", "67": b"GE0/0/1",
                     "68": b"GE0/0/2"},
        f"{HW}.1.1.5": {"16777216": 0, "16842753": 23},
        f"{HW}.1.1.7": {"16842753": 61},
        f"{HW}.1.1.11": {"16842753": 2147483647},  # Huawei's "invalid"
        f"{HW}.10.1.7": {"0.1": 1, "0.2": 2},
        f"{HW}.18.1.6": {"0.1": 1, "0.2": 2, "0.3": 3},
        f"{HW}.3.1.8": {"67": -731, "68": 2147483647},
        f"{HW}.3.1.9": {"67": -254},
        f"{HW}.3.1.13": {"67": -2000},
        f"{HW}.3.1.15": {"67": -900},
    }  # fmt: skip
    parts = huawei_vrp.parse(tables, lambda index: None)
    assert parts.boards == (BoardHealth("MPU Board 0", 0.23, 0.61, None),)
    assert parts.fans == (PartState("0/1", True, 1), PartState("0/2", False, 2))
    assert [p.ok for p in parts.power_supplies] == [True, False, False]  # sleep is not supply
    assert parts.optics == (
        OpticalReading("GE0/0/1", -7.31, -2.54, -20.0, -9.0),
        OpticalReading("GE0/0/2"),
    )


def test_comware_classes_error_codes_and_microwatt_thresholds() -> None:
    tables: Tables = {
        f"{ENT}.2": {"1": b"S5130", "2": b"MODULE LEVEL1", "5": b"Fan", "6": b"Fan",
                     "7": b"PSU", "8": b"Hotspot temperature sensor", "9": b"GE port"},
        f"{ENT}.5": {"1": 3, "2": 9, "5": 7, "6": 7, "7": 6, "8": 8, "9": 10},
        f"{ENT}.7": {"2": b"Board 1", "5": b"Fan 1", "6": b"Fan 2", "7": b"Power 1",
                     "8": b"Sensor 1"},
        f"{HH3C}.6": {"1": 0, "2": 7},
        f"{HH3C}.8": {"2": 44},
        f"{HH3C}.12": {"1": 0, "2": 0, "8": 38},  # 0: no sensor there
        f"{HH3C}.19": {"2": 2, "5": 2, "6": 41, "7": 61},
        f"{XCVR}.9": {"11": -212, "99": -300},
        f"{XCVR}.12": {"11": -1884},
        f"{XCVR}.31": {"11": 1259},
        f"{XCVR}.35": {"11": 100},
    }  # fmt: skip
    parts = hp_comware.parse(tables, {11: "GigabitEthernet1/0/1"}.get)
    assert parts.boards == (
        BoardHealth("Board 1", 0.07, 0.44, None),
        BoardHealth("Sensor 1", None, None, 38.0),
    )
    assert parts.fans == (PartState("Fan 1", True, 2), PartState("Fan 2", False, 41))
    assert parts.power_supplies == (PartState("Power 1", False, 61),)  # rpsError
    # ifIndex 99 is no interface the poller resolved: left out
    assert parts.optics == (OpticalReading("GigabitEthernet1/0/1", -18.84, -2.12, -20.0, -9.0),)


def agent_tables(state: dict[str, object], columns: tuple[str, ...]) -> Tables:
    """The agent's rows as the poller's walks would hand them to the parser."""
    tables: Tables = {c: {} for c in columns}
    for oid, kind, text in health_agent.rows(state):
        dotted = ".".join(map(str, oid))
        column = next((c for c in columns if dotted.startswith(c + ".")), None)
        if column is not None:
            tables[column][dotted[len(column) + 1 :]] = (
                int(text) if kind == "integer" else text.encode()
            )
    return tables


@pytest.mark.parametrize("platform", ["huawei_vrp", "hp_comware"])
def test_what_the_emulation_answers_is_what_the_exporter_reads(platform: str) -> None:
    health = Health(
        cpu_percent=95, memory_percent=40, temperature_celsius=52, fans_ok=[True, False],
        power_supplies_ok=[False], optics={"GE1": Optic(rx_dbm=-21.5, tx_dbm=-3.0)},
    )  # fmt: skip
    state = HealthState(platform, health, {"GE1": 7, "GE2": 8}).to_json()
    spec = HEALTH_PLATFORMS[platform]
    parts = spec.parse(agent_tables(state, spec.columns), {7: "GE1", 8: "GE2"}.get)
    (board,) = parts.boards
    assert (board.cpu_ratio, board.memory_ratio, board.temperature_celsius) == (0.95, 0.4, 52)
    assert [f.ok for f in parts.fans] == [True, False]
    assert [p.ok for p in parts.power_supplies] == [False]
    (optic,) = parts.optics
    assert (optic.interface, optic.rx_dbm, optic.tx_dbm) == ("GE1", -21.5, -3.0)
    assert (optic.rx_low_dbm, optic.tx_low_dbm) == (-20.0, -9.0)


def test_the_agent_speaks_pass_persist_and_follows_the_state_file(tmp_path: Path) -> None:
    state = tmp_path / "health.json"
    write_state(state, HealthState("huawei_vrp", Health(optics={"lo": Optic()}), {"lo": 1}))
    agent = health_agent.Agent(str(state), health_agent.parse_oid(".1.3.6.1.4.1.2011.5.25.31"))
    cpu = f".{HW}.1.1.5.2"  # the board's hwEntityCpuUsage
    requests = f"PING\nget\n{cpu}\ngetnext\n.1.3.6.1.4.1.2011\nget\n.1.3.6.1.4.1.2011.9\n"
    requests += f"set\n{cpu}\ninteger 1\ngetnext\n.{HW}.18.1.6.0.2\n"
    out = io.StringIO()
    health_agent.serve(agent, io.StringIO(requests), out)
    assert out.getvalue().splitlines() == [
        "PONG",
        cpu, "integer", "12",
        f".{HW}.1.1.5.1", "integer", "0",  # the first object of the subtree
        "NONE",
        "not-writable",
        "NONE",  # past the last object: the end of this agent's subtree
    ]  # fmt: skip
    set_health(state, cpu=97)
    assert agent.get(health_agent.parse_oid(cpu)) == (health_agent.parse_oid(cpu), "integer", "97")
    state.write_text("{not json", encoding="utf-8")  # a broken file: the last answer stands
    assert agent.get(health_agent.parse_oid(cpu)) == (health_agent.parse_oid(cpu), "integer", "97")


def test_state_setters_refuse_bad_values_and_name_the_file(tmp_path: Path) -> None:
    state = tmp_path / "vrp.json"
    write_state(state, HealthState("huawei_vrp", Health(optics={"GE1": Optic()})))
    with pytest.raises(LabUsageError, match=rf"{state}: cpu 101: expected a percentage"):
        set_health(state, cpu=101)
    with pytest.raises(LabUsageError, match=r"fan 3: the device has 1-2"):
        set_health(state, fan=(3, False))
    with pytest.raises(LabUsageError, match=r"port 'GE9' has no transceiver \(ports with one: GE1"):
        set_optical(state, "GE9", rx_dbm=-30.0)
    with pytest.raises(LabUsageError, match=r"rx nan dBm"):
        set_optical(state, "GE1", rx_dbm=float("nan"))
    assert read_state(state).health == Health(optics={"GE1": Optic()})  # nothing changed
    set_optical(state, "GE1", rx_dbm=-19.0)
    set_health(state, power_supply=(1, False), temperature=66)
    back = read_state(state).health
    assert (back.optics["GE1"].rx_dbm, back.power_supplies_ok, back.temperature_celsius) == (
        -19.0, [False, True], 66,
    )  # fmt: skip
    (tmp_path / "bad.json").write_text(json.dumps({"platform": "huawei_vrp"}), encoding="utf-8")
    with pytest.raises(LabUsageError, match=r"bad\.json: not a health state file"):
        read_state(tmp_path / "bad.json")


def test_what_a_device_reports_away_from_its_defaults_and_back(tmp_path: Path) -> None:
    state = tmp_path / "cmw.json"
    write_state(state, HealthState("hp_comware", Health(optics={"GE1/0/1": Optic()})))
    assert deviations(read_state(state)) == []
    set_health(state, cpu=95, fan=(2, False), temperature=75)
    set_optical(state, "GE1/0/1", rx_dbm=-27.5)
    assert deviations(read_state(state)) == [
        "cpu 95%",
        "temperature 75 °C",
        "fan 2 failed",
        "GE1/0/1 rx -27.5 dBm",
    ]
    back = reset_health(state)
    assert deviations(back) == [] and back.health == Health(optics={"GE1/0/1": Optic()})
    assert read_state(state).health == back.health


@pytest.mark.parametrize(
    ("typed", "expected"), [("2=failed", (2, False)), ("1=ok", (1, True)), (None, None)]
)
def test_a_part_state_as_typed(typed: str | None, expected: tuple[int, bool] | None) -> None:
    assert parse_part(typed, "fan") == expected


@pytest.mark.parametrize("typed", ["two", "2", "2=broken", "=ok", "-1=ok"])
def test_a_part_state_typed_wrong_is_one_line(typed: str) -> None:
    with pytest.raises(LabUsageError, match=r"^--fan .*: expected NUMBER=ok or NUMBER=failed"):
        parse_part(typed, "fan")


def test_snmpd_lines_register_the_entity_table_and_the_vendor_subtrees(tmp_path: Path) -> None:
    state = tmp_path / "s.json"
    hw = snmpd_config_lines("huawei_vrp", state, python="/usr/bin/python3")
    assert [line.split()[1] for line in hw] == [
        ".1.3.6.1.2.1.47.1.1.1",
        ".1.3.6.1.4.1.2011.5.25.31",
    ]
    assert all(line.endswith(f"health_agent.py {state} {line.split()[1]}") for line in hw)
    assert len(snmpd_config_lines("hp_comware", state)) == 3
    with pytest.raises(LabUsageError, match=r"platform 'frr' has no vendor health MIBs"):
        snmpd_config_lines("frr", state)


def test_the_collector_exports_what_the_contract_documents(lab_inventory: Inventory) -> None:
    parts = HealthParts(
        boards=(BoardHealth("MPU Board 0", 0.5, 0.25, 45.0),),
        fans=(PartState("0/1", False, 2),),
        power_supplies=(PartState("0/1", True, 1),),
        optics=(OpticalReading("eth1", -7.0, -2.0, -20.0, -9.0),),
    )
    catalog = LabelCatalog(lab_inventory)
    text = render_collectors(
        [VendorHealthCollector(HealthReading("town1", "x", True, parts), catalog)]
    )
    got = {s.name: s for f in text_string_to_metric_families(text.decode()) for s in f.samples}
    contract = (REPO / "docs" / "metrics.md").read_text(encoding="utf-8")
    section = contract.split("## Vendor health", 1)[1].split("\n## ", 1)[0]
    assert set(got) == set(re.findall(r"`(egovnet_[a-z_]+)`", section))
    assert got["egovnet_device_fan_ok"].value == 0
    assert got["egovnet_device_cpu_ratio"].labels["entity"] == "MPU Board 0"
    assert (
        got["egovnet_interface_optical_rx_dbm"].labels == catalog.interface("town1", "eth1").labels
    )
    failed = render_collectors([VendorHealthCollector(HealthReading("town1", "x", False), catalog)])
    assert [s.name for f in text_string_to_metric_families(failed.decode()) for s in f.samples] == [
        "egovnet_device_health_up"
    ]


def test_the_doc_states_each_health_alert_as_the_rules_define_it() -> None:
    import yaml

    text = (REPO / "docs" / "vendor-health.md").read_text(encoding="utf-8")
    table = text.split("## The alerts", 1)[1].split("\n## ", 1)[0]
    documented = {
        m[0]: (m[1], m[2])
        for m in re.findall(r"^\| (\w+) \| .+ \| (\w+) \| (\w+) \|$", table, flags=re.MULTILINE)
        if m[0] != "alert"
    }
    rules = yaml.safe_load((REPO / "exporters" / "rules" / "alerts.yml").read_text("utf-8"))
    (group,) = [g for g in rules["groups"] if g["name"] == "egovnet-device-health"]
    defined = {r["alert"]: (r["for"], r["labels"]["severity"]) for r in group["rules"]}
    assert documented == defined
