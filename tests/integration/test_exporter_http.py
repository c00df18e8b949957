"""`egovnet exporter` as Prometheus sees it, against a real snmpd on loopback.

One snmpd answers for core1 (SNMPv3 authPriv), town1 (v2c) and vil1 (v3, but the exporter
holds a wrong key for it); dead1's address has a socket that never answers.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import bcrypt
import pytest
import yaml

from collectors.simulate import AgentUser, NetSnmpAgent
from tests.conftest import run_egovnet
from tests.integration.exporter_process import (
    Running,
    free_udp_port,
    samples,
    start_exporter,
    stop,
    value,
)

pytestmark = pytest.mark.integration

CORE1, TOWN1, VIL1, DEAD1 = "127.4.0.31", "127.4.0.32", "127.4.0.33", "127.4.0.34"
USER = AgentUser("noc", "SHA-256", "exporter-auth-key", "AES", "exporter-priv-key")
COMMUNITY = "t4-exporter"
WRONG_KEY = "this-is-not-the-key"


def write_inventory(directory: Path, port: int) -> None:
    v3 = {"version": "v3", "user": "noc", "auth_protocol": "SHA-256", "priv_protocol": "AES"}
    doc = {
        "profile": {"name": "t4-http"},
        "policy": {
            "tiers": {
                "district_core": {},
                "town": {"baseline_mbps": 50, "target_mbps": 100},
                "village": {"baseline_mbps": 10, "target_mbps": 50},
            }
        },
        "snmp_profiles": [
            {"name": "noc-v3", **v3, "auth_key_env": "T4_AUTH", "priv_key_env": "T4_PRIV",
             "port": port, "timeout_seconds": 1.0, "retries": 1},
            {"name": "stale-v3", **v3, "auth_key_env": "T4_STALE_AUTH",
             "priv_key_env": "T4_PRIV", "port": port, "timeout_seconds": 1.0, "retries": 0},
            {"name": "legacy-v2c", "version": "v2c", "community_env": "T4_COMMUNITY",
             "port": port, "timeout_seconds": 1.0, "retries": 1},
        ],
        "sites": [
            {"id": "district-core", "name": "武江区电子政务外网核心机房", "tier": "district_core"},
            {"id": "town-longgui", "name": "龙归镇", "tier": "town", "parent": "district-core"},
            {"id": "vil-shangwei", "name": "龙归镇上围村", "tier": "village",
             "parent": "town-longgui"},
        ],
        "devices": [
            {"name": "core1", "site": "district-core", "role": "core", "platform": "huawei_vrp",
             "mgmt_address": CORE1, "snmp_profile": "noc-v3", "interfaces": [{"name": "lo"}]},
            {"name": "town1", "site": "town-longgui", "role": "aggregation",
             "platform": "hp_comware", "mgmt_address": TOWN1, "snmp_profile": "legacy-v2c",
             "interfaces": [{"name": "lo"}]},
            {"name": "vil1", "site": "vil-shangwei", "role": "cpe", "platform": "cisco_ios",
             "mgmt_address": VIL1, "snmp_profile": "stale-v3", "interfaces": [{"name": "lo"}]},
            {"name": "dead1", "site": "vil-shangwei", "role": "cpe", "platform": "cisco_ios",
             "mgmt_address": DEAD1, "snmp_profile": "legacy-v2c",
             "interfaces": [{"name": "lo"}]},
        ],
        "links": [
            {"id": "core1-town1", "kind": "access", "plane": "A", "committed_mbps": 50,
             "carrier": "中国电信", "circuit_id": "SGWJ-DX-0101",
             "a": {"device": "core1", "interface": "lo"},
             "b": {"device": "town1", "interface": "lo"}},
        ],
    }  # fmt: skip
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "inventory.yaml").write_text(
        yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """snmpd on three loopback addresses, a black hole on the fourth, configs on disk."""
    work = tmp_path_factory.mktemp("exporter")
    port = free_udp_port(CORE1)
    snmpd = NetSnmpAgent(
        work / "snmpd", [CORE1, TOWN1, VIL1], port, community=COMMUNITY, users=[USER],
        sys_name="sim-agent",
    )  # fmt: skip
    black_hole = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    black_hole.bind((DEAD1, port))
    write_inventory(work / "inventory", port)
    (work / "secrets.env").write_text(
        f"T4_AUTH={USER.auth_key}\nT4_PRIV={USER.priv_key}\nT4_STALE_AUTH={WRONG_KEY}\n"
        f"T4_COMMUNITY={COMMUNITY}\n"
    )
    (work / "exporter.yml").write_text(
        "inventory: inventory\nsecrets_file: secrets.env\nmax_concurrency: 8\n"
    )
    snmpd.start()
    try:
        yield work
    finally:
        snmpd.stop()
        black_hole.close()


@pytest.fixture(scope="module")
def exporter(lab: Path) -> Iterator[Running]:
    running = start_exporter(lab)
    try:
        yield running
    finally:
        stop(running)


def test_snmp_target_serves_the_interface_series_of_the_inventory(exporter: Running) -> None:
    status, text = exporter.get("/snmp?target=town1")
    assert status == 200
    labels = {
        "device": "town1",
        "interface": "lo",
        "link": "core1-town1",
        "plane": "A",
        "end": "b",
        "kind": "access",
        "site": "town-longgui",
        "site_name": "龙归镇",
        "tier": "town",
    }
    ((got, received),) = samples(text, "egovnet_interface_received_bytes_total")
    assert got == labels
    assert received > 0
    assert value(text, "egovnet_interface_oper_up", **labels) == 1
    assert value(text, "egovnet_circuit_committed_speed_bytes", **labels) == 6_250_000
    assert value(text, "egovnet_circuit_target_speed_bytes", **labels) == 12_500_000
    assert value(text, "egovnet_circuit_baseline_speed_bytes", **labels) == 6_250_000
    assert value(text, "egovnet_device_up", device="town1", site_name="龙归镇") == 1
    assert value(text, "egovnet_device_info", device="town1", sysname="sim-agent") == 1
    assert value(text, "egovnet_snmp_errors_total", device="town1", kind="auth") == 0


def test_the_serving_process_holds_no_pydantic_after_scrapes(exporter: Running) -> None:
    """Issue 15: the config and the inventory are parsed in a child, the process Prometheus
    scrapes (the PID it started) never loads pydantic (nor typer, rich or the models)."""
    for path in ("/snmp?target=core1", "/snmp?target=town1", "/metrics", "/"):
        assert exporter.get(path)[0] == 200
    maps = Path(f"/proc/{exporter.process.pid}/maps").read_text()
    assert "_pydantic_core" not in maps  # pydantic's compiled core, mapped once imported
    assert "gufo" in maps  # the SNMP client it does use: the signal is real


def test_target_may_be_the_management_address(exporter: Running) -> None:
    status, text = exporter.get(f"/snmp?target={CORE1}")
    assert status == 200
    assert value(text, "egovnet_device_up", device="core1") == 1
    assert value(text, "egovnet_interface_admin_up", device="core1", end="a") == 1


def test_unreachable_target_is_down_within_its_timeout_and_others_unaffected(
    exporter: Running,
) -> None:
    results: dict[str, tuple[float, str]] = {}

    def scrape(target: str) -> None:
        t0 = time.monotonic()
        _, text = exporter.get(f"/snmp?target={target}")
        results[target] = (time.monotonic() - t0, text)

    dead = threading.Thread(target=scrape, args=("dead1",))
    dead.start()
    time.sleep(0.2)
    scrape("core1")
    dead.join()
    core_seconds, core_text = results["core1"]
    dead_seconds, dead_text = results["dead1"]
    assert value(core_text, "egovnet_device_up", device="core1") == 1
    assert core_seconds < 1.0  # not queued behind dead1
    assert value(dead_text, "egovnet_device_up", device="dead1") == 0
    assert 1.9 < dead_seconds < 3.0  # timeout 1 s x (1 + 1 retry)
    assert value(dead_text, "egovnet_snmp_errors_total", device="dead1", kind="timeout") >= 1
    # inventory figures are served even while the device is down
    assert samples(dead_text, "egovnet_interface_received_bytes_total") == []


def test_prometheus_scrape_timeout_cuts_the_poll(exporter: Running) -> None:
    t0 = time.monotonic()
    _, text = exporter.get(
        "/snmp?target=dead1", headers={"X-Prometheus-Scrape-Timeout-Seconds": "1.2"}
    )
    assert time.monotonic() - t0 < 1.2
    assert value(text, "egovnet_device_up", device="dead1") == 0


def test_wrong_v3_key_gives_an_auth_error_metric_and_one_log_line(exporter: Running) -> None:
    _, text = exporter.get("/snmp?target=vil1")
    assert value(text, "egovnet_device_up", device="vil1") == 0
    assert value(text, "egovnet_snmp_errors_total", device="vil1", kind="auth") == 1
    exporter.get("/snmp?target=vil1")  # failing the same way again: no second line
    lines = [line for line in exporter.log.read_text().splitlines() if "vil1" in line]
    assert len(lines) == 1
    assert "auth" in lines[0]
    log_text = exporter.log.read_text()
    assert WRONG_KEY not in log_text
    assert USER.auth_key not in log_text and USER.priv_key not in log_text


def test_metrics_landing_page_and_bad_requests(exporter: Running) -> None:
    status, text = exporter.get("/metrics")
    assert status == 200
    assert (
        value(
            text, "egovnet_circuit_info", link="core1-town1", site_name="龙归镇", carrier="中国电信"
        )
        == 1
    )
    assert value(text, "egovnet_site_uplinks", site="town-longgui") == 1
    assert value(text, "egovnet_exporter_requests_total", path="/snmp", code="200") >= 1
    assert value(text, "egovnet_exporter_targets") == 4
    status, page = exporter.get("/")
    assert status == 200 and "龙归镇上围村" in page and "/snmp?target=core1" in page
    assert exporter.get("/snmp?target=nosuch")[0] == 400
    assert exporter.get("/snmp")[0] == 400
    assert exporter.get("/nowhere")[0] == 404


def send_trap(kind: str, source: str, port: int, if_index: int, *auth: str) -> None:
    oid = {"down": "1.3.6.1.6.3.1.1.5.3", "up": "1.3.6.1.6.3.1.1.5.4"}[kind]
    oper = "2" if kind == "down" else "1"
    tool = "snmpinform" if auth and auth[0] == "-v3" else "snmptrap"
    subprocess.run(
        [tool, *auth, f"--clientaddr={source}", f"127.4.0.1:{port}", "", oid,
         f"1.3.6.1.2.1.2.2.1.1.{if_index}", "i", str(if_index),
         f"1.3.6.1.2.1.2.2.1.8.{if_index}", "i", oper],
        check=True, capture_output=True, timeout=20,
    )  # fmt: skip


def wait_for(exporter: Running, name: str, labels: dict[str, str], expected: float) -> None:
    deadline = time.monotonic() + 10
    while True:
        _, text = exporter.get("/metrics")
        found = [v for lab, v in samples(text, name) if labels.items() <= lab.items()]
        if found == [expected]:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{name}{labels}: {found}, expected {expected}")
        time.sleep(0.2)


def lo_index(exporter: Running) -> int:
    # lo is ifIndex 1 on Linux; read it the way the exporter does, from a poll
    exporter.get("/snmp?target=town1")
    return 1


@pytest.mark.skipif(shutil.which("snmptrap") is None, reason="net-snmp's snmptrap is missing")
def test_link_traps_mark_the_link_at_once(exporter: Running) -> None:
    index = lo_index(exporter)
    send_trap("down", TOWN1, exporter.trap_port, index, "-v2c", "-c", COMMUNITY)
    wait_for(exporter, "egovnet_trap_link_oper_up", {"device": "town1", "interface": "lo"}, 0)
    wait_for(exporter, "egovnet_traps_received_total", {"device": "town1", "kind": "link_down"}, 1)
    _, text = exporter.get("/metrics")
    assert value(text, "egovnet_trap_link_oper_up", device="town1", link="core1-town1") == 0
    v3 = ["-v3", "-u", "noc", "-l", "authPriv", "-a", "SHA-256", "-A", USER.auth_key,
          "-x", "AES", "-X", USER.priv_key]  # fmt: skip
    send_trap("up", CORE1, exporter.trap_port, index, *v3)
    wait_for(exporter, "egovnet_trap_link_oper_up", {"device": "core1", "interface": "lo"}, 1)
    # a trap with the wrong community is not counted
    send_trap("down", CORE1, exporter.trap_port, index, "-v2c", "-c", "wrong-community")
    time.sleep(0.5)
    _, text = exporter.get("/metrics")
    assert value(text, "egovnet_trap_link_oper_up", device="core1", interface="lo") == 1
    # the next poll of town1 (lo is up) supersedes the trap
    exporter.get("/snmp?target=town1")
    wait_for(exporter, "egovnet_trap_link_oper_up", {"device": "town1", "interface": "lo"}, 1)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is missing")
def test_tls_and_basic_auth(lab: Path) -> None:
    cert, key = lab / "server.crt", lab / "server.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.4.0.1", "-addext", "subjectAltName=IP:127.4.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    hashed = bcrypt.hashpw(b"scrape-pass", bcrypt.gensalt(rounds=6)).decode()
    web = lab / "web.yml"
    web.write_text(
        "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n"
        f"basic_auth_users:\n  prometheus: '{hashed}'\n"
    )
    running = start_exporter(lab, "--web.config.file", str(web))
    try:
        assert running.url.startswith("https://")
        context = ssl.create_default_context(cafile=str(cert))
        assert running.get("/metrics", context=context)[0] == 401
        good = "Basic " + base64.b64encode(b"prometheus:scrape-pass").decode()
        bad = "Basic " + base64.b64encode(b"prometheus:nope").decode()
        assert running.get("/metrics", {"Authorization": bad}, context)[0] == 401
        status, text = running.get("/snmp?target=core1", {"Authorization": good}, context)
        assert status == 200
        assert value(text, "egovnet_device_up", device="core1") == 1
        with pytest.raises((urllib.error.URLError, ConnectionError)):  # no plain HTTP
            urllib.request.urlopen(running.url.replace("https", "http") + "/metrics", timeout=5)
    finally:
        stop(running)


def poll_cli(lab: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EGOVNET_", "T4_"))}
    env["EGOVNET_SECRETS_FILE"] = str(lab / "secrets.env")
    return run_egovnet("poll", "--inventory", str(lab / "inventory"), *args, env=env)


def test_poll_command_json_and_table(lab: Path) -> None:
    result = poll_cli(lab, "core1", "town1", "--json")
    assert result.returncode == 0, result.stderr
    readings = json.loads(result.stdout)
    assert [r["device"] for r in readings] == ["core1", "town1"]
    assert all(r["ok"] for r in readings)
    (lo,) = readings[1]["interfaces"]
    assert lo["name"] == "lo" and lo["oper_up"] is True and lo["in_octets"] > 0

    result = poll_cli(lab, "town1", "vil1")
    assert result.returncode == 1  # some work failed
    assert "town1" in result.stdout and "vil1" in result.stdout
    assert "auth" in result.stdout
    assert WRONG_KEY not in result.stdout + result.stderr

    result = poll_cli(lab, "nosuch")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "nosuch" in result.stderr
