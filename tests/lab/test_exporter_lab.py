"""Issue 4 in the lab: the egovnet exporter polls the real snmpd of every lab device.

One exporter process (as `egovnet exporter` runs it) polls the session's lab over SNMPv3
authPriv and receives the devices' linkDown/linkUp informs on the management bridge; the lab
is re-upped with that trap sink for this module and without it afterwards (net-snmp stalls on
an inform receiver that is gone). Faults are restored in ``finally``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

import lab as lab_api
from inventory.loader import load_inventory
from tests.conftest import LAB_INVENTORY
from tests.integration.exporter_process import Running, samples, start_exporter, stop, value
from tests.lab.conftest import SessionLab

pytestmark = pytest.mark.lab

MGMT_HOST = "172.31.255.254"  # the host's address on the lab's management bridge


def write_config(work: Path, lab: SessionLab) -> Path:
    path = work / "exporter.yml"
    config = {
        "inventory": str(LAB_INVENTORY),
        "secrets_file": str(lab.state_dir / "secrets.env"),
        "state_dir": str(lab.state_dir),
    }
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def exporter(lab: SessionLab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """The exporter, listening for informs before the devices are told to send them."""
    work = tmp_path_factory.mktemp("exporter-lab")
    write_config(work, lab)
    running = start_exporter(work, trap_host=MGMT_HOST)
    inventory = load_inventory(LAB_INVENTORY)
    try:
        lab_api.up(
            inventory, lab.state_dir, trap_sink=lab_api.TrapSink(MGMT_HOST, running.trap_port)
        )
        yield running
    finally:
        try:
            lab_api.up(inventory, lab.state_dir)  # no trap sink: nothing waits on informs
        finally:
            stop(running)


def scrape(running: Running, device: str, timeout: float | None = None) -> str:
    headers = {"X-Prometheus-Scrape-Timeout-Seconds": f"{timeout:g}"} if timeout else None
    status, body = running.get(f"/snmp?target={device}", headers)
    assert status == 200, (device, status, body)
    return body


def test_every_device_answers_with_every_link_end(lab: SessionLab, exporter: Running) -> None:
    inv = lab.inventory
    for node in lab.plan.routers:
        body = scrape(exporter, node.name)
        assert value(body, "egovnet_device_up", device=node.name) == 1, body[:2000]
        info = samples(body, "egovnet_device_info")
        assert [labels["sysname"] for labels, _ in info] == [node.name]
        for link in inv.links:
            for end_name, end in (("a", link.a), ("b", link.b)):
                if end.device != node.name:
                    continue
                oper = value(
                    body,
                    "egovnet_interface_oper_up",
                    device=node.name,
                    interface=end.interface,
                    link=link.id,
                    end=end_name,
                )
                assert oper == 1, f"{link.id} {end_name} end ({node.name} {end.interface})"
                sent = value(
                    body,
                    "egovnet_interface_transmitted_bytes_total",
                    device=node.name,
                    interface=end.interface,
                )
                assert sent > 0, f"{node.name} {end.interface} transmitted nothing (OSPF hellos)"
    vil1 = scrape(exporter, "vil1")
    assert value(vil1, "egovnet_interface_oper_up", link="town1-vil1", end="b") == 1
    [(labels, _)] = [
        s for s in samples(vil1, "egovnet_interface_oper_up") if s[0]["link"] == "town1-vil1"
    ]
    assert labels["site_name"] == "龙归镇上围村"
    assert labels["tier"] == "village"


def test_metrics_serve_plan_migration_and_bandwidth_families(exporter: Running) -> None:
    status, body = exporter.get("/metrics")
    assert status == 200
    ratio = value(body, "egovnet_systems_migrated_ratio")
    assert 0 < ratio <= 1
    statuses = {labels["status"] for labels, _ in samples(body, "egovnet_systems")}
    assert {"not_started", "validated", "retained"} <= statuses
    assert "# TYPE egovnet_bandwidth_test_speed_bytes gauge" in body


def test_link_down_trap_sets_state_before_any_poll(lab: SessionLab, exporter: Running) -> None:
    link = "town1-vil2"
    scrape(exporter, "vil2")  # the interface names are known; the trap book is empty
    started = time.monotonic()
    try:
        lab.link_down(link)
        deadline = started + 15
        state: list[float] = []
        while time.monotonic() < deadline:
            _, body = exporter.get("/metrics")
            state = [
                v
                for labels, v in samples(body, "egovnet_trap_link_oper_up")
                if labels["link"] == link and labels["device"] == "vil2"
            ]
            if state == [0.0]:
                break
            time.sleep(0.2)
        took = time.monotonic() - started
        assert state == [0.0], f"no linkDown from vil2 within 15 s: {state}"
        assert took < 10, f"linkDown took {took:.1f}s to reach the exporter"
        downs = value(body, "egovnet_traps_received_total", device="vil2", kind="link_down")
        assert downs >= 1
        print(f"\nlinkDown of {link} reached the exporter in {took:.1f}s")
    finally:
        lab.link_up(link)


def test_unreachable_device_fails_alone_within_its_timeout(
    lab: SessionLab, exporter: Running
) -> None:
    try:
        lab.device_down("vil3")
        started = time.monotonic()
        body = scrape(exporter, "vil3", timeout=5)
        took = time.monotonic() - started
        assert value(body, "egovnet_device_up", device="vil3") == 0
        assert took < 6, f"scrape of a dead device took {took:.1f}s (timeout 5 s)"
        timeouts = value(body, "egovnet_snmp_errors_total", device="vil3", kind="timeout")
        assert timeouts >= 1
        for other in ("vil1", "town2", "core1"):
            t0 = time.monotonic()
            assert value(scrape(exporter, other, timeout=5), "egovnet_device_up") == 1
            assert time.monotonic() - t0 < 3, f"{other} slowed down by vil3's failure"
    finally:
        lab.device_up("vil3")


def test_wrong_snmpv3_key_is_an_auth_error_naming_the_device(
    lab: SessionLab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_key = lab.env["EGOVNET_SNMP_AUTH_KEY"]
    wrong_key = "not-the-lab-key-" + real_key[:4][::-1] + "x" * 8
    monkeypatch.setenv("EGOVNET_SNMP_AUTH_KEY", wrong_key)
    write_config(tmp_path, lab)
    running = start_exporter(tmp_path)
    try:
        body = scrape(running, "core1", timeout=5)
        assert value(body, "egovnet_device_up", device="core1") == 0
        assert value(body, "egovnet_snmp_errors_total", device="core1", kind="auth") >= 1
        assert value(body, "egovnet_snmp_errors_total", device="core1", kind="timeout") == 0
    finally:
        stop(running)
    log = running.log.read_text(errors="replace")
    lines = [line for line in log.splitlines() if "core1" in line and "authentication" in line]
    assert lines, log[-2000:]
    assert wrong_key not in log and real_key not in log
