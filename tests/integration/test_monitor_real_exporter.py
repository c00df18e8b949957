"""`egovnet monitor up` starting the real `egovnet exporter`, on loopback only.

The lab is not needed: the inventory is the lab's with every management address moved to
127.5.0.0/24 and SNMP pointed at a closed port, so each poll fails at once and nothing
leaves the machine. What is checked is the real chain exporter -> Prometheus -> rules ->
Alertmanager -> webhook: every device answers `egovnet_device_up 0`, the devices' alerts
fire with the labels the exporter really writes, and `down` ends exactly what `up` started.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import time
from pathlib import Path

import pytest

from monitor.health import prometheus_alerts
from monitor.stack import StackLayout, is_running, load_state, port_in_use
from monitor.webhook import read_notifications
from tests.conftest import LAB_INVENTORY, run_egovnet
from tests.monitor_support import free_port

pytestmark = pytest.mark.integration

SECRETS = {
    "EGOVNET_SNMP_AUTH_KEY": "t5-auth-key-0123",
    "EGOVNET_SNMP_PRIV_KEY": "t5-priv-key-0123",
    "EGOVNET_SNMP_COMMUNITY": "t5-community",
    "EGOVNET_DEVICE_PASSWORD": "t5-password",
}


def closed_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.5.0.1", 0))
        return int(sock.getsockname()[1])  # released on return: nothing listens there


def loopback_inventory(tmp_path: Path) -> Path:
    inv = tmp_path / "inv"
    shutil.copytree(LAB_INVENTORY, inv)
    devices = inv / "devices.yaml"
    text = re.sub(r"172\.31\.250\.(\d+)", r"127.5.0.\1", devices.read_text(encoding="utf-8"))
    devices.write_text(text, encoding="utf-8")
    profiles = inv / "profiles.yaml"
    port = closed_udp_port()
    text = profiles.read_text(encoding="utf-8").replace(
        "    timeout_seconds: 1.0\n", f"    timeout_seconds: 0.5\n    port: {port}\n"
    )
    profiles.write_text(text, encoding="utf-8")
    assert "172.31." not in devices.read_text(encoding="utf-8")
    return inv


def up_args(inv: Path, state: Path) -> list[str]:
    return [
        "monitor", "up", "-i", str(inv), "--state-dir", str(state),
        "--prometheus-port", str(free_port()), "--alertmanager-port", str(free_port()),
        "--exporter-port", str(free_port()), "--webhook-port", str(free_port()),
        "--scrape-interval", "2s", "--evaluation-interval", "2s", "--alert-for-scale", "0.1",
        "--group-wait", "1s", "--group-interval", "3s", "--json",
    ]  # fmt: skip


def test_up_runs_the_real_exporter_and_its_device_alerts_reach_the_webhook(
    tmp_path: Path,
) -> None:
    inv = loopback_inventory(tmp_path)
    state = tmp_path / "state"
    env = {**os.environ, **SECRETS}
    result = run_egovnet(*up_args(inv, state), env=env)
    layout = StackLayout(state)
    try:
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert {c["component"] for c in report["components"]} == {
            "webhook", "alertmanager", "exporter", "prometheus",
        }  # fmt: skip
        prom = report["prometheus"]
        deadline = time.monotonic() + 90
        firing: dict[str, dict[str, str]] = {}
        while time.monotonic() < deadline:
            firing = {
                a.labels["device"]: a.labels
                for a in prometheus_alerts(prom)
                if a.state == "firing" and a.name in {"DeviceUnreachable", "CoreDeviceDown"}
            }
            if len(firing) == 11:
                break
            time.sleep(1)
        assert sorted(firing) == sorted(
            ["city1", "core1", "core2", "cloud1", "town1", "town2", "vil1", "vil2", "vil3",
             "dept1", "dept2"]
        )  # fmt: skip
        assert firing["vil3"]["site_name"] == "江湾镇田心村" and firing["vil3"]["role"] == "cpe"
        assert firing["core1"]["alertname"] == "CoreDeviceDown"
        status = json.loads(
            run_egovnet("monitor", "status", "--state-dir", str(state), "--json").stdout
        )
        assert status["healthy"] is True
        targets = {t["job"]: t for t in status["targets"]}
        assert targets["egovnet-exporter"]["up"] == 1
        assert targets["egovnet-snmp"]["up"] == 11  # the exporter answers, with device_up 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            sites = {
                n.notification.group_labels.get("site")
                for n in read_notifications(layout.notifications_file)
            }
            if "vil-jiangwan-tianxin" in sites:
                break
            time.sleep(1)
        assert "vil-jiangwan-tianxin" in sites
    finally:
        records = list(load_state(layout).components.values())
        down = run_egovnet("monitor", "down", "--state-dir", str(state), "--json")
        assert down.returncode == 0, down.stderr
        assert records and not any(is_running(r) for r in records)


def test_up_fails_clearly_and_leaves_nothing_when_the_exporter_cannot_start(
    tmp_path: Path,
) -> None:
    inv = loopback_inventory(tmp_path)
    state = tmp_path / "state"
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    env["EGOVNET_SECRETS_FILE"] = str(tmp_path / "no-secrets.env")
    args = up_args(inv, state)
    result = run_egovnet(*args, env=env)
    assert result.returncode == 1
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert "exporter exited during start-up" in errors[0]
    assert "EGOVNET_SNMP_AUTH_KEY" in errors[0]
    assert load_state(StackLayout(state)).components == {}
    ports = [args[i + 1] for i, a in enumerate(args) if a.endswith("-port")]
    assert len(ports) == 4
    assert not any(port_in_use(f"127.0.0.1:{p}") for p in ports)
