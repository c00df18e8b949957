"""Issue 5 in the lab: the NOC stack watches the real lab and pages through Alertmanager.

One `egovnet monitor up --profile lab` (exporter, Prometheus, Alertmanager, webhook receiver on
free loopback ports, 5 s scrapes, `for:` shortened only through the generated-config options)
serves every test here; faults are restored in ``finally`` and the stack is stopped at the
end. Alerts are checked where a pager would see them: the webhook receiver's notifications.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import lab as lab_api
from inventory.loader import load_inventory
from lab.traffic import TrafficResult
from monitor.generate import AMTOOL, PROMTOOL
from monitor.stack import StackLayout
from monitor.webhook import WebhookAlert, read_notifications
from tests.conftest import LAB_INVENTORY, run_egovnet
from tests.lab.conftest import SessionLab
from tests.monitor_support import free_port

pytestmark = pytest.mark.lab

ALERT_WAIT = 180.0  # seconds: "fires at the webhook within 3 minutes"


@dataclass
class Noc:
    state_dir: Path
    prometheus: str
    layout: StackLayout
    started: float

    def query(self, expr: str) -> list[dict[str, Any]]:
        url = f"{self.prometheus}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
        with urllib.request.urlopen(url, timeout=10) as response:
            data = json.load(response)
        assert data["status"] == "success", data
        result: list[dict[str, Any]] = data["data"]["result"]
        return result

    def alerts(self, since: float) -> list[WebhookAlert]:
        """Every alert in a notification received after ``since`` (Unix time)."""
        return [
            alert
            for n in read_notifications(self.layout.notifications_file)
            if n.received_at.timestamp() >= since
            for alert in n.notification.alerts
        ]

    def wait_alert(
        self, since: float, what: str, match: Callable[[WebhookAlert], bool], timeout: float
    ) -> tuple[WebhookAlert, float]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [a for a in self.alerts(since) if match(a)]
            if found:
                return found[0], time.time() - since
            time.sleep(1)
        got = sorted({(a.labels.get("alertname"), a.status) for a in self.alerts(since)})
        raise AssertionError(f"no {what} at the webhook within {timeout:.0f}s; got {got}")


def _stack_args(state_dir: Path) -> list[str]:
    return ["--profile", "lab", "--state-dir", str(state_dir)]


@pytest.fixture(scope="module")
def noc(lab: SessionLab) -> Iterator[Noc]:
    prom, am, exp, hook = (free_port() for _ in range(4))
    started = time.time()
    up = run_egovnet(
        "monitor", "up", *_stack_args(lab.state_dir),
        "--prometheus-port", str(prom), "--alertmanager-port", str(am),
        "--exporter-port", str(exp), "--webhook-port", str(hook),
        "--scrape-interval", "5s", "--evaluation-interval", "5s",
        "--alert-for-scale", "0.1", "--alert-for", "CircuitSaturated=10s",
        "--group-wait", "1s", "--group-interval", "5s", "--repeat-interval", "1h",
        "--json", timeout=120,
    )  # fmt: skip
    layout = StackLayout(lab.state_dir)
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        noc = Noc(lab.state_dir, f"http://127.0.0.1:{prom}", layout, started)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # first scrapes of every device
            if len(noc.query('egovnet_device_up{job="egovnet-snmp"} == 1')) == len(
                lab.plan.routers
            ):
                break
            time.sleep(1)
        else:
            raise AssertionError(f"not every device up in Prometheus: {noc.query('up')}")
        yield noc
    finally:
        down = run_egovnet("monitor", "down", "--state-dir", str(lab.state_dir), timeout=60)
        assert down.returncode == 0, down.stdout + down.stderr


def test_generated_config_passes_promtool_and_amtool(noc: Noc) -> None:
    config = noc.layout.config_dir
    prom = subprocess.run(
        [PROMTOOL, "check", "config", "prometheus.yml"],
        cwd=config, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert prom.returncode == 0, prom.stdout + prom.stderr
    assert "SUCCESS" in prom.stdout + prom.stderr
    am = subprocess.run(
        [AMTOOL, "check-config", "alertmanager.yml"],
        cwd=config, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert am.returncode == 0, am.stdout + am.stderr


def _site_alert(name: str, site: str, status: str = "firing") -> Callable[[WebhookAlert], bool]:
    def match(a: WebhookAlert) -> bool:
        return (
            a.labels.get("alertname") == name
            and a.labels.get("site") == site
            and a.status == status
        )

    return match


def test_one_uplink_cut_loses_redundancy_both_isolate(lab: SessionLab, noc: Noc) -> None:
    site = "town-longgui"  # 龙归镇: core1-town1 and core2-town1
    since = time.time()
    try:
        lab.link_down("core1-town1")
        alert, took = noc.wait_alert(
            since, "RedundancyLost firing", _site_alert("RedundancyLost", site), ALERT_WAIT
        )
        assert alert.labels["site_name"] == "龙归镇"
        print(f"\nRedundancyLost at the webhook {took:.0f}s after the cut")
        restored = time.time()
        lab.link_up("core1-town1")
        _, took = noc.wait_alert(
            since,
            "RedundancyLost resolved",
            _site_alert("RedundancyLost", site, "resolved"),
            ALERT_WAIT,
        )
        print(f"RedundancyLost resolved {time.time() - restored:.0f}s after the link returned")
        since = time.time()
        lab.link_down("core1-town1")
        lab.link_down("core2-town1")
        alert, took = noc.wait_alert(
            since, "SiteIsolated firing", _site_alert("SiteIsolated", site), ALERT_WAIT
        )
        assert alert.labels["severity"] == "critical"
        print(f"SiteIsolated at the webhook {took:.0f}s after both cuts")
    finally:
        for link in ("core1-town1", "core2-town1"):
            if link in lab.state.faults.links:
                lab.link_up(link)


def _kill_snmpd(lab: SessionLab, device: str) -> None:
    [proc] = [p for p in lab.state.processes_of(device) if p.daemon == "snmpd"]
    stat = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    assert int(stat[19]) == proc.start_ticks, "the recorded snmpd is not running"
    os.kill(proc.pid, signal.SIGTERM)


@pytest.mark.parametrize(
    ("device", "site_name", "link"),
    [
        ("vil3", "江湾镇田心村", "town2-vil3"),  # FRR
        ("dept1", "区政务服务数据管理局", "core1-dept1"),  # the Huawei VRP emulation
        ("vil2", "龙归镇下坝村", "town1-vil2"),  # the H3C Comware emulation
    ],
)
def test_stopped_snmpd_is_device_unreachable_for_that_device_only(
    lab: SessionLab, noc: Noc, device: str, site_name: str, link: str
) -> None:
    since = time.time()
    try:
        _kill_snmpd(lab, device)
        alert, took = noc.wait_alert(
            since,
            f"DeviceUnreachable for {device}",
            lambda a: a.labels.get("alertname") == "DeviceUnreachable" and a.status == "firing",
            ALERT_WAIT,
        )
        assert alert.labels["device"] == device
        assert alert.labels["site_name"] == site_name
        print(f"\nDeviceUnreachable({device}) at the webhook {took:.0f}s after snmpd stopped")
        time.sleep(6)  # one more scrape and evaluation: nobody else may join it
        others = {
            a.labels.get("device")
            for a in noc.alerts(since)
            if a.labels.get("alertname") in {"DeviceUnreachable", "CoreDeviceDown"}
            and a.status == "firing"
        }
        assert others == {device}
        assert not [
            a
            for a in noc.alerts(since)
            if a.labels.get("alertname") == "LinkDown"
            and a.labels.get("link") == link
            and a.status == "firing"
        ], "a silent agent is no link down"
    finally:
        lab_api.up(load_inventory(LAB_INVENTORY), lab.state_dir)  # restarts the dead snmpd
    noc.wait_alert(
        since,
        f"DeviceUnreachable for {device} resolved",
        lambda a: (
            a.labels.get("alertname") == "DeviceUnreachable"
            and a.labels.get("device") == device
            and a.status == "resolved"
        ),
        ALERT_WAIT,
    )


def test_sustained_streams_read_utilisation_and_saturate(lab: SessionLab, noc: Noc) -> None:
    """30 Mbps through 龙归镇上围村's 50 Mbps circuit reads ~0.6 in the recording rule;
    45 Mbps through 龙归镇下坝村's (90 %) fires CircuitSaturated. Both run at once."""
    seconds = 90  # 30 Mbps: the recording rule's rate() window is 1m
    saturate_seconds = 140  # CircuitSaturated's rate() window is 2m, its `for:` 10s here
    results: dict[str, TrafficResult | BaseException] = {}

    def stream(site: str, mbps: float, seconds: float) -> None:
        try:
            results[site] = lab.traffic(site, mbps, seconds)
        except BaseException as exc:
            results[site] = exc

    since = time.time()
    threads = [
        threading.Thread(target=stream, args=("vil-longgui-shangwei", 30, seconds)),
        threading.Thread(target=stream, args=("vil-longgui-xiaba", 45, saturate_seconds)),
    ]
    for t in threads:
        t.start()
    try:
        expr = 'circuit:egovnet_utilisation:ratio{link="town1-vil1"}'
        readings: list[float] = []
        started = time.monotonic()
        deadline = started + seconds - 5
        time.sleep(65)  # the rule's rate() window is 1m: full only after a minute of traffic
        while time.monotonic() < deadline:
            readings += [float(s["value"][1]) for s in noc.query(expr)]
            if readings and 0.55 <= readings[-1] <= 0.65:
                break
            time.sleep(2)
        assert readings and 0.55 <= readings[-1] <= 0.65, f"town1-vil1 utilisation: {readings}"
        print(f"\ntown1-vil1 utilisation at 30 Mbps: {readings[-1]:.3f}")
        alert, took = noc.wait_alert(
            since,
            "CircuitSaturated for town1-vil2",
            lambda a: (
                a.labels.get("alertname") == "CircuitSaturated"
                and a.labels.get("link") == "town1-vil2"
                and a.status == "firing"
            ),
            timeout=max(5.0, started + saturate_seconds - time.monotonic()),
        )
        print(f"CircuitSaturated({alert.labels['severity']}) {took:.0f}s after the stream began")
    finally:
        for t in threads:
            t.join(saturate_seconds + 60)
    for site, got in results.items():
        assert not isinstance(got, BaseException), f"{site}: {got}"
    assert not [
        a
        for a in noc.alerts(since)
        if a.labels.get("alertname") == "CircuitSaturated" and a.labels.get("link") == "town1-vil1"
    ], "a 60 % circuit must not saturate"


def test_bandwidth_test_village_meets_town_falls_short(lab: SessionLab, noc: Noc) -> None:
    args = ["--state-dir", str(lab.state_dir), "--profile", "lab", "--json"]
    village = run_egovnet("bandwidth", "test", "龙归镇上围村", *args, timeout=120)
    assert village.returncode == 0, village.stdout + village.stderr
    [v] = json.loads(village.stdout)
    assert v["link"] == "town1-vil1"
    assert 45 <= v["achieved_mbps"] <= 52, v
    assert v["verdict"] == "meets target"
    town = run_egovnet("bandwidth", "test", "town-jiangwan", *args, timeout=120)
    assert town.returncode == 0, town.stdout + town.stderr
    results = json.loads(town.stdout)
    assert sorted(r["link"] for r in results) == ["core1-town2", "core2-town2"]
    for r in results:
        assert r["target_mbps"] == 100
        assert r["verdict"] == "shortfall"
        assert 48 <= r["shortfall_mbps"] <= 56, r
    print(
        f"\n龙归镇上围村 {v['achieved_mbps']} Mbps; 江湾镇 "
        + ", ".join(f"{r['link']} {r['achieved_mbps']} Mbps" for r in results)
    )
    wide = {**os.environ, "COLUMNS": "200"}  # one table row per line
    shown = run_egovnet("bandwidth", "show", "--state-dir", str(lab.state_dir), env=wide)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "meets target" in shown.stdout
    assert "shortfall" in shown.stdout


def test_every_dashboard_query_returns_lab_data(lab: SessionLab, noc: Noc) -> None:
    deadline = time.monotonic() + 30  # the exporter serves the bandwidth results just written
    while not noc.query('egovnet_bandwidth_test_speed_bytes{link="town1-vil1"}'):
        assert time.monotonic() < deadline, "bandwidth results never reached Prometheus"
        time.sleep(1)
    for site in ("vil-longgui-shangwei", "town-jiangwan"):
        check = run_egovnet(
            "monitor", "dashboards", "--check", *_stack_args(lab.state_dir),
            "--site", site, "--json", timeout=120,
        )  # fmt: skip
        rows = json.loads(check.stdout) if check.stdout.strip().startswith("[") else []
        problems = [(r["dashboard"], r["panel"], r["problem"]) for r in rows if r["problem"]]
        assert check.returncode == 0 and rows, (problems, check.stderr[-2000:])
        empty = [(r["dashboard"], r["panel"]) for r in rows if r["series"] == 0]
        print(f"\n$site={site}: {len(rows)} queries, empty (allowed): {empty}")
