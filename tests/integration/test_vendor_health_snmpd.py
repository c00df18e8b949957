"""Vendor health end to end on loopback: emulated VRP and Comware health MIBs in real snmpd,
the real exporter polling them, the real Prometheus evaluating the shipped alert rules.

Each device is a net-snmp snmpd with :func:`lab.vendors.health_snmpd.snmpd_config_lines`
(``pass_persist`` to lab/vendors/health_agent.py) serving its JSON state file; IF-MIB is
snmpd's own (the loopback interface ``lo``). A fault is a change of the state file
(:mod:`lab.vendors.health_state`): the next scrape reports it and the alert fires. Only
``for:`` is shortened, in the generated rule copy (``monitor.rules.generated_alerts``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from collectors.simulate import AgentUser, NetSnmpAgent
from lab.vendors.device import Health, Optic
from lab.vendors.health_snmpd import snmpd_config_lines
from lab.vendors.health_state import HealthState, set_health, set_optical, write_state
from monitor.options import MonitorOptions
from monitor.rules import generated_alerts
from tests.conftest import run_egovnet
from tests.integration.exporter_process import (
    Running,
    free_udp_port,
    samples,
    start_exporter,
    stop,
    value,
)
from tests.monitor_support import free_port

pytestmark = pytest.mark.integration

VRP, COMWARE = "127.4.14.1", "127.4.14.2"
COMMUNITY = "t14-health"
#: the Comware device is polled as the lab polls its devices: SNMPv3 authPriv
USER = AgentUser("noc", "SHA-256", "t14-auth-key-0123", "AES", "t14-priv-key-0123")
DEV = {"site": "town-longgui", "site_name": "龙归镇", "tier": "town", "role": "aggregation"}


def write_inventory(directory: Path, port: int) -> None:
    doc = {
        "profile": {"name": "t14-vendor-health"},
        "policy": {
            "tiers": {
                "town": {"baseline_mbps": 50, "target_mbps": 100},
                "village": {"baseline_mbps": 10, "target_mbps": 50},
            }
        },
        "snmp_profiles": [
            {"name": "legacy-v2c", "version": "v2c", "community_env": "T14_COMMUNITY",
             "port": port, "timeout_seconds": 1.0, "retries": 1},
            {"name": "noc-v3", "version": "v3", "user": USER.name, "auth_protocol": "SHA-256",
             "priv_protocol": "AES", "auth_key_env": "T14_AUTH", "priv_key_env": "T14_PRIV",
             "port": port, "timeout_seconds": 1.0, "retries": 1},
        ],
        "sites": [
            {"id": "town-longgui", "name": "龙归镇", "tier": "town"},
            {"id": "vil-shangwei", "name": "龙归镇上围村", "tier": "village",
             "parent": "town-longgui"},
        ],
        "devices": [
            {"name": "vrp1", "site": "town-longgui", "role": "aggregation",
             "platform": "huawei_vrp", "mgmt_address": VRP, "snmp_profile": "legacy-v2c",
             "interfaces": [{"name": "lo"}]},
            {"name": "cw1", "site": "vil-shangwei", "role": "cpe", "platform": "hp_comware",
             "mgmt_address": COMWARE, "snmp_profile": "noc-v3",
             "interfaces": [{"name": "lo"}]},
        ],
        "links": [
            {"id": "vrp1-cw1", "kind": "access", "plane": "A", "committed_mbps": 50,
             "carrier": "中国电信", "circuit_id": "SGWJ-DX-0114",
             "a": {"device": "vrp1", "interface": "lo"},
             "b": {"device": "cw1", "interface": "lo"}},
        ],
    }  # fmt: skip
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "inventory.yaml").write_text(
        yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    work = tmp_path_factory.mktemp("vendor-health")
    port = free_udp_port(VRP)
    agents = []
    for platform, address in (("huawei_vrp", VRP), ("hp_comware", COMWARE)):
        state = work / f"{platform}.json"
        # IF-MIB here is the host's: lo is ifIndex 1 (what H3C's transceiver table keys on)
        write_state(state, HealthState(platform, Health(optics={"lo": Optic()}), {"lo": 1}))
        agents.append(
            NetSnmpAgent(
                work / platform, [address], port, community=COMMUNITY, users=[USER],
                sys_name=platform, extra_config=snmpd_config_lines(platform, state),
            )
        )  # fmt: skip
    write_inventory(work / "inventory", port)
    (work / "secrets.env").write_text(
        f"T14_COMMUNITY={COMMUNITY}\nT14_AUTH={USER.auth_key}\nT14_PRIV={USER.priv_key}\n"
    )
    (work / "exporter.yml").write_text("inventory: inventory\nsecrets_file: secrets.env\n")
    for agent in agents:
        agent.start()
    try:
        yield work
    finally:
        for agent in agents:
            agent.stop()


@pytest.fixture(scope="module")
def exporter(lab: Path) -> Iterator[Running]:
    running = start_exporter(lab)
    try:
        yield running
    finally:
        stop(running)


def scrape(exporter: Running, device: str) -> str:
    status, text = exporter.get(f"/snmp?target={device}")
    assert status == 200, text
    return text


def test_the_vrp_device_serves_its_health_in_base_units(exporter: Running) -> None:
    text = scrape(exporter, "vrp1")
    dev = {"device": "vrp1", **DEV}
    assert value(text, "egovnet_device_health_up", **dev) == 1
    board = {**dev, "entity": "MPU Board 0"}
    assert value(text, "egovnet_device_cpu_ratio", **board) == pytest.approx(0.12)
    assert value(text, "egovnet_device_memory_ratio", **board) == pytest.approx(0.35)
    assert value(text, "egovnet_device_temperature_celsius", **board) == 41
    assert [lab["fan"] for lab, v in samples(text, "egovnet_device_fan_ok") if v == 1] == [
        "0/1",
        "0/2",
    ]
    assert len(samples(text, "egovnet_device_power_supply_ok")) == 2
    port = {"device": "vrp1", "interface": "lo", "link": "vrp1-cw1", "end": "a"}
    assert value(text, "egovnet_interface_optical_rx_dbm", **port) == -5.0
    assert value(text, "egovnet_interface_optical_tx_dbm", **port) == -2.5
    assert value(text, "egovnet_interface_optical_rx_low_threshold_dbm", **port) == -20.0
    assert value(text, "egovnet_interface_optical_tx_low_threshold_dbm", **port) == -9.0
    assert value(text, "egovnet_interface_oper_up", **port) == 1  # IF-MIB from snmpd itself


def test_the_comware_device_converts_its_microwatt_thresholds(exporter: Running) -> None:
    text = scrape(exporter, "cw1")
    board = {"device": "cw1", "entity": "Board 1", "tier": "village", "role": "cpe"}
    assert value(text, "egovnet_device_cpu_ratio", **board) == pytest.approx(0.12)
    assert value(text, "egovnet_device_temperature_celsius", **board) == 41
    assert {lab["fan"] for lab, _ in samples(text, "egovnet_device_fan_ok")} == {
        "Fan 1",
        "Fan 2",
    }
    port = {"device": "cw1", "interface": "lo", "end": "b"}
    assert value(text, "egovnet_interface_optical_rx_dbm", **port) == -5.0
    # HH3C thresholds are tenths of a microwatt on the wire (100 and 1259 here)
    assert value(text, "egovnet_interface_optical_rx_low_threshold_dbm", **port) == -20.0
    assert value(text, "egovnet_interface_optical_tx_low_threshold_dbm", **port) == -9.0


def test_a_failed_fan_shows_in_the_next_scrape(lab: Path, exporter: Running) -> None:
    state = lab / "hp_comware.json"
    set_health(state, fan=(2, False))
    try:
        text = scrape(exporter, "cw1")
        assert value(text, "egovnet_device_fan_ok", device="cw1", fan="Fan 2") == 0
        assert value(text, "egovnet_device_fan_ok", device="cw1", fan="Fan 1") == 1
    finally:
        set_health(state, fan=(2, True))


def start_prometheus(work: Path, exporter: Running) -> tuple[subprocess.Popen[bytes], str]:
    options = MonitorOptions(
        alert_for={"DeviceCpuHigh": "1s", "OpticalPowerLow": "1s"},
        scrape_interval="1s",
        evaluation_interval="1s",
    )
    (work / "alerts.yml").write_text(generated_alerts(options).render(), encoding="utf-8")
    address = f"127.4.14.9:{free_port()}"
    config = {
        "global": {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"},
        "rule_files": ["alerts.yml"],
        "scrape_configs": [
            {
                "job_name": "egovnet-snmp",
                "metrics_path": "/snmp",
                "honor_labels": True,
                "static_configs": [{"targets": ["vrp1", "cw1"]}],
                "relabel_configs": [
                    {"source_labels": ["__address__"], "target_label": "__param_target"},
                    {"source_labels": ["__param_target"], "target_label": "instance"},
                    {"target_label": "__address__",
                     "replacement": exporter.url.removeprefix("http://")},
                ],
            }
        ],
    }  # fmt: skip
    (work / "prometheus.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    binary = shutil.which("prometheus")
    assert binary is not None, "prometheus is not installed (Debian package prometheus)"
    log = (work / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [binary, f"--config.file={work / 'prometheus.yml'}",
         f"--storage.tsdb.path={work / 'tsdb'}", f"--web.listen-address={address}"],
        stdout=log, stderr=log,
    )  # fmt: skip
    return process, f"http://{address}"


HEALTH_PANELS = {
    "CPU and memory per board",
    "Board temperature",
    "Fans and power supplies",
    "Optical power against the low alarm threshold",
}


def health_panel_series(lab: Path, url: str, site: str) -> dict[tuple[str, str], int]:
    """`egovnet monitor dashboards --check` on this data: series per vendor health panel query
    of the site dashboard (the rest of the stack, e.g. the exporter's own /metrics job, is not
    scraped here, so only these panels are judged)."""
    done = run_egovnet(
        "monitor", "dashboards", "--check", "--prometheus-url", url, "--site", site,
        "--json", "--inventory", str(lab / "inventory"), "--state-dir", str(lab / "state"),
    )  # fmt: skip
    rows = [r for r in json.loads(done.stdout) if r["panel"] in HEALTH_PANELS]
    assert {r["panel"] for r in rows} == HEALTH_PANELS, done.stderr
    assert all(r["problem"] in {None, "empty result where data must exist"} for r in rows)
    return {(r["panel"], r["ref"]): int(r["series"]) for r in rows}


def firing(url: str) -> list[dict[str, str]]:
    try:
        with urllib.request.urlopen(f"{url}/api/v1/alerts", timeout=5) as response:
            alerts = json.load(response)["data"]["alerts"]
    except OSError:
        return []  # not listening yet
    return [a["labels"] for a in alerts if a["state"] == "firing"]


def test_high_cpu_and_low_optical_power_fire_their_alerts_in_prometheus(
    lab: Path, exporter: Running
) -> None:
    prometheus, url = start_prometheus(lab, exporter)
    try:
        set_health(lab / "huawei_vrp.json", cpu=95)
        set_optical(lab / "hp_comware.json", "lo", rx_dbm=-21.5)
        wanted = {("DeviceCpuHigh", "vrp1", ""), ("OpticalPowerLow", "cw1", "rx")}
        seen: set[tuple[str, str, str]] = set()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not wanted <= seen:
            seen = {
                (a["alertname"], a.get("device", ""), a.get("direction", "")) for a in firing(url)
            }
            time.sleep(0.5)
        assert wanted <= seen, (seen, (lab / "prometheus.log").read_text()[-2000:])
        # nothing else is wrong with these devices
        assert {name for name, _, _ in seen} == {"DeviceCpuHigh", "OpticalPowerLow"}
        # boards are the device's own site; optics the link's served site (the village)
        town = health_panel_series(lab, url, "town-longgui")
        village = health_panel_series(lab, url, "vil-shangwei")
        assert all(n > 0 for (panel, _), n in town.items() if not panel.startswith("Optical"))
        assert all(n > 0 for n in village.values()), village
    finally:
        prometheus.terminate()
        prometheus.wait(10)
        set_health(lab / "huawei_vrp.json", cpu=12)
        set_optical(lab / "hp_comware.json", "lo", rx_dbm=-5.0)
