"""The lab's two vendor devices (``profile.keep_platform``): dept1 answers as a Huawei VRP
device and vil2 as an H3C Comware device through lab/vendors/' emulations, FRR still routes in
their namespaces, and egovnet drives and monitors them like the devices they stand for.

On the session's lab (tests/lab/conftest.py); the config lifecycle on them is in
test_automation_lab.py, discovery in test_topology_lab.py. What this module changes it puts
back: the pushed descriptions, the health faults; the last test takes the lab down and up.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import lab as lab_api
from base.procs import alive
from monitor.stack import StackLayout
from monitor.webhook import WebhookAlert
from tests.conftest import LAB_INVENTORY, run_egovnet
from tests.integration.exporter_process import Running, samples, start_exporter, stop
from tests.lab.conftest import SessionLab
from tests.lab.device_access import running
from tests.lab.test_monitor_lab import Noc
from tests.monitor_support import free_port

pytestmark = [pytest.mark.lab, pytest.mark.slow]

EMULATED = {"dept1": "huawei_vrp", "vil2": "hp_comware"}
#: the circuit ids the changed inventory gives the two devices' uplinks (their descriptions)
RENAMED = {"SGWJ-DX-2001": "SGWJ-DX-2001-MOVED", "SGWJ-DX-1102": "SGWJ-DX-1102-MOVED"}


def config(lab: SessionLab, *args: str, inventory: Path = LAB_INVENTORY) -> dict[str, Any]:
    done = run_egovnet(
        "config",
        *args,
        *EMULATED,
        "--inventory",
        str(inventory),
        "--state-dir",
        str(lab.state_dir),
        "--json",
        env={**lab.env, "EGOVNET_USER": "lab-tester"},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout)
    return {d["device"]: d for d in report["devices"]}


def ssh_version(address: str) -> str:
    with socket.create_connection((address, 22), timeout=5) as sock:
        return sock.recv(256).decode("ascii", "replace").strip()


def exporter(lab: SessionLab, work: Path) -> Running:
    """The exporter on the lab's inventory and secrets, on a free loopback port."""
    (work / "exporter.yml").write_text(
        f"inventory: {LAB_INVENTORY}\n"
        f"secrets_file: {lab.state_dir / 'secrets.env'}\n"
        f"state_dir: {lab.state_dir}\n",
        encoding="utf-8",
    )
    return start_exporter(work)


def test_status_shows_each_devices_platform(lab: SessionLab) -> None:
    done = run_egovnet("lab", "status", "--state-dir", str(lab.state_dir), "--json")
    assert done.returncode == 0, done.stdout[-3000:]
    nodes = {n["device"]: n for n in json.loads(done.stdout)["nodes"]}
    assert {name: n["platform"] for name, n in nodes.items() if name in EMULATED} == EMULATED
    assert {n["platform"] for name, n in nodes.items() if name not in EMULATED} == {
        "frr",
        "linux",
    }
    for name in EMULATED:  # routing stays FRR's: every adjacency Full, snmpd answers
        assert nodes[name]["ospf_full"] == nodes[name]["ospf_expected"] > 0
        assert nodes[name]["snmp_sys_name"] == name
    table = run_egovnet("lab", "status", "--state-dir", str(lab.state_dir)).stdout
    assert "huawei_vrp" in table and "hp_comware" in table


def test_the_emulation_answers_ssh_where_frr_devices_run_openssh(lab: SessionLab) -> None:
    assert "OpenSSH" in ssh_version(lab.mgmt_address("town1"))
    for device in EMULATED:
        assert "OpenSSH" not in ssh_version(lab.mgmt_address(device))
    assert "sysname dept1" in running(lab, "dept1")


def test_a_pushed_description_lands_in_the_emulation(lab: SessionLab, tmp_path: Path) -> None:
    changed = tmp_path / "inventory"
    shutil.copytree(LAB_INVENTORY, changed)  # the links' targets, as files
    links = changed / "links.yaml"
    text = links.read_text(encoding="utf-8")
    for old, new in RENAMED.items():
        text = text.replace(f"circuit_id: {old},", f"circuit_id: {new},")
    links.write_text(text, encoding="utf-8")

    before = config(lab, "diff", inventory=changed)
    for device in EMULATED:
        assert before[device]["status"] == "would-change"
        assert "description" in before[device]["diff"]
    pushed = config(lab, "push", "--commit", inventory=changed)
    assert {d: r["status"] for d, r in pushed.items()} == dict.fromkeys(EMULATED, "committed")
    assert "SGWJ-DX-2001-MOVED" in running(lab, "dept1")
    assert "SGWJ-DX-1102-MOVED" in running(lab, "vil2")
    after = config(lab, "diff", inventory=changed)
    assert {d: r["status"] for d, r in after.items()} == dict.fromkeys(EMULATED, "unchanged")
    # the push saved the config: the emulation's boot file has it, secrets still markers
    boot = lab.state_dir / "lab" / "devices" / "dept1" / "vendor" / "config.cfg"
    saved = boot.read_text(encoding="utf-8")
    assert "SGWJ-DX-2001-MOVED" in saved and "<<secret:" in saved
    assert not any(value in saved for value in lab.env.values())


def test_up_again_leaves_the_running_emulations_alone(lab: SessionLab) -> None:
    def vendor_pids() -> dict[str, int]:
        state = lab_api.load_state(lab.state_dir)
        assert state is not None
        return {p.node: p.pid for p in state.processes if p.daemon == "vendor"}

    before = vendor_pids()
    done = run_egovnet("lab", "up", "--state-dir", str(lab.state_dir), "--json")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert vendor_pids() == before
    assert sorted(before) == sorted(EMULATED)


def test_a_power_cycle_boots_what_the_device_saved(lab: SessionLab) -> None:
    """After the push above (which saved), the emulation starts again from its saved config;
    FRR comes back with its adjacencies, as on every lab device."""
    for verb in ("device-down", "device-up"):
        done = run_egovnet("lab", "fault", verb, "dept1", "--state-dir", str(lab.state_dir))
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "SGWJ-DX-2001-MOVED" in running(lab, "dept1")
    neighbors = lab.ospf_neighbors("dept1")
    assert len(neighbors) == 2 and all(n.full for n in neighbors)
    # the lab's own inventory again: the moved circuit ids go, and stay gone when saved
    pushed = config(lab, "push", "--commit")
    assert {d: r["status"] for d, r in pushed.items()} == dict.fromkeys(EMULATED, "committed")
    assert "SGWJ-DX-2001-MOVED" not in running(lab, "dept1")


def test_the_exporter_reads_vendor_health_from_the_emulated_devices(
    lab: SessionLab, tmp_path: Path
) -> None:
    running = exporter(lab, tmp_path)
    try:
        for device in [*EMULATED, "town1"]:
            status, body = running.get(f"/snmp?target={device}")
            assert status == 200, (device, body)
            health = [v for labels, v in samples(body, "egovnet_device_health_up")]
            cpu = [v for labels, v in samples(body, "egovnet_device_cpu_ratio")]
            if device in EMULATED:
                assert health == [1] and cpu and all(0 < v < 1 for v in cpu), device
            else:  # an FRR device has no vendor health
                assert health == [] and cpu == []
    finally:
        stop(running)


def fault_health(lab: SessionLab, device: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_egovnet("lab", "fault", "health", device, *args, "--state-dir", str(lab.state_dir))


def health_of(running: Running, device: str) -> dict[str, dict[str, float]]:
    status, body = running.get(f"/snmp?target={device}")
    assert status == 200, body
    out: dict[str, dict[str, float]] = {}
    for name in ("egovnet_device_cpu_ratio", "egovnet_interface_optical_rx_dbm"):
        out[name] = {labels.get("interface", ""): v for labels, v in samples(body, name)}
    out["egovnet_device_fan_ok"] = {
        labels["fan"]: v for labels, v in samples(body, "egovnet_device_fan_ok")
    }
    return out


def test_a_health_fault_reaches_the_exporter_and_status_and_up_clears_it(
    lab: SessionLab, tmp_path: Path
) -> None:
    # bad input: one line, exit 2, nothing changed
    frr_device = fault_health(lab, "town1", "--cpu", "90")
    assert frr_device.returncode == 2 and "town1: runs FRR in this lab" in frr_device.stderr
    assert len(frr_device.stderr.strip().splitlines()) == 1, frr_device.stderr
    too_much = fault_health(lab, "dept1", "--cpu", "101")
    assert too_much.returncode == 2 and "dept1: cpu 101: expected a percentage" in too_much.stderr
    bad_fan = fault_health(lab, "dept1", "--fan", "two")
    assert bad_fan.returncode == 2 and "--fan 'two'" in bad_fan.stderr

    running = exporter(lab, tmp_path)
    try:
        before = health_of(running, "dept1")
        (port, rx_before), *_ = before["egovnet_interface_optical_rx_dbm"].items()
        assert port and rx_before > -20
        done = fault_health(lab, "dept1", "--cpu", "95", "--port", port, "--rx", "-27.5")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "cpu 95%" in done.stdout and f"{port} rx -27.5 dBm" in done.stdout
        after = health_of(running, "dept1")  # the next scrape: no restart, no cache
        assert set(after["egovnet_device_cpu_ratio"].values()) == {0.95}
        assert after["egovnet_interface_optical_rx_dbm"][port] == -27.5
        nodes = {
            n["device"]: n
            for n in json.loads(
                run_egovnet("lab", "status", "--state-dir", str(lab.state_dir), "--json").stdout
            )["nodes"]
        }
        assert "health: cpu 95%" in nodes["dept1"]["faults"]
        assert fault_health(lab, "dept1", "--clear").returncode == 0
        assert health_of(running, "dept1") == before

        # a failed fan on the Comware device; `lab up` heals it with the other faults
        assert fault_health(lab, "vil2", "--fan", "2=failed").returncode == 0
        fans = health_of(running, "vil2")["egovnet_device_fan_ok"]
        assert sorted(fans.values()) == [0, 1], fans  # one of its two fans failed
        up = run_egovnet("lab", "up", "--state-dir", str(lab.state_dir))
        assert up.returncode == 0, up.stdout[-2000:] + up.stderr[-2000:]
        assert set(health_of(running, "vil2")["egovnet_device_fan_ok"].values()) == {1}
    finally:
        stop(running)


@pytest.fixture
def noc(lab: SessionLab) -> Iterator[Noc]:
    """The monitoring stack on the lab: 5 s scrapes, `for:` at a tenth."""
    prom, am, exp, hook = (free_port() for _ in range(4))
    up = run_egovnet(
        "monitor", "up", "--inventory", str(LAB_INVENTORY), "--state-dir", str(lab.state_dir),
        "--prometheus-port", str(prom), "--alertmanager-port", str(am),
        "--exporter-port", str(exp), "--webhook-port", str(hook),
        "--scrape-interval", "5s", "--evaluation-interval", "5s", "--alert-for-scale", "0.1",
        "--group-wait", "1s", "--group-interval", "5s", "--repeat-interval", "1h",
        "--json", timeout=120,
    )  # fmt: skip
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        yield Noc(lab.state_dir, f"http://127.0.0.1:{prom}", StackLayout(lab.state_dir), 0)
    finally:
        down = run_egovnet("monitor", "down", "--state-dir", str(lab.state_dir), timeout=60)
        assert down.returncode == 0, down.stdout + down.stderr


def _alert(name: str, device: str, status: str) -> Callable[[WebhookAlert], bool]:
    def match(a: WebhookAlert) -> bool:
        labels = a.labels
        return (labels.get("alertname"), labels.get("device"), a.status) == (name, device, status)

    return match


def test_a_high_cpu_and_a_weak_transceiver_page_the_noc_and_resolve(
    lab: SessionLab, noc: Noc
) -> None:
    deadline = time.monotonic() + 60
    while not noc.query('egovnet_interface_optical_rx_dbm{device="vil2"}'):
        assert time.monotonic() < deadline, "no optics of vil2 in Prometheus"
        time.sleep(1)
    port = noc.query('egovnet_interface_optical_rx_dbm{device="vil2"}')[0]["metric"]["interface"]
    since = time.time()
    assert fault_health(lab, "dept1", "--cpu", "95").returncode == 0
    assert fault_health(lab, "vil2", "--port", port, "--rx", "-27.5").returncode == 0
    cpu, _ = noc.wait_alert(since, "DeviceCpuHigh", _alert("DeviceCpuHigh", "dept1", "firing"), 180)
    optic, _ = noc.wait_alert(
        since, "OpticalPowerLow", _alert("OpticalPowerLow", "vil2", "firing"), 180
    )
    assert "95%" in cpu.annotations["summary_zh"] and "CPU" in cpu.annotations["summary_zh"]
    assert optic.labels["interface"] == port and "-27.50 dBm" in optic.annotations["summary_zh"]

    cleared = time.time()
    assert fault_health(lab, "dept1", "--clear").returncode == 0
    assert fault_health(lab, "vil2", "--clear").returncode == 0
    noc.wait_alert(
        cleared, "DeviceCpuHigh resolved", _alert("DeviceCpuHigh", "dept1", "resolved"), 180
    )
    noc.wait_alert(
        cleared, "OpticalPowerLow resolved", _alert("OpticalPowerLow", "vil2", "resolved"), 180
    )


def test_down_stops_the_emulations(lab: SessionLab) -> None:
    daemons = [p for p in lab.state.processes if p.daemon == "vendor"]
    assert sorted(p.node for p in daemons) == sorted(EMULATED)
    try:
        report = lab_api.down(lab.state_dir, check=True)
        assert report.clean, report.leftovers
        assert not any(alive(p) for p in daemons)
    finally:
        lab.ensure_up()
    assert lab.status().healthy
