"""`egovnet monitor up --shards 2`: two vmagent scrapers, one VictoriaMetrics store, vmalert.

Real processes on loopback: snmpsim answers for six devices, the real egovnet exporter polls
them, two scrapers in cluster mode (replication 2) remote_write into the store, vmalert
evaluates the shipped rules against it and sends to Alertmanager, which posts to the stack's
webhook receiver. What a NOC would notice is checked: every device's series once in the
store (deduplicated), no device's data gap longer than two scrape intervals when one scraper
is stopped by its PID, an alert naming that scraper at the webhook, and `down` ending exactly
what `up` started. Scrape and evaluation every 2 s; the module takes about a minute.
"""

from __future__ import annotations

import itertools
import json
import os
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from base.procs import stop
from collectors.simulate import (
    SimDevice,
    SimInterface,
    Simulator,
    device_snmprec,
    loopback_address,
    write_data,
)
from collectors.simulate import write_inventory as write_sim_inventory
from monitor.dashboards import check_dashboards, load_dashboards
from monitor.health import get_json, prometheus_alerts
from monitor.stack import StackLayout, is_running, load_state
from monitor.webhook import read_notifications
from tests.conftest import run_egovnet
from tests.monitor_support import free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

COMMUNITY = "t15-shards"
INTERVAL = 2.0  # seconds: scrape, evaluation and deduplication interval
DEVICES = [f"sw{n:02d}" for n in range(6)]
PORTS = [f"GigabitEthernet0/0/{i}" for i in range(1, 5)]


@dataclass
class Stack:
    state: Path
    store: str  # http://HOST:PORT
    report: dict[str, Any]

    @property
    def layout(self) -> StackLayout:
        return StackLayout(self.state)

    def query(self, expr: str, at: float | None = None) -> list[dict[str, Any]]:
        params = {"query": expr, **({"time": f"{at:.3f}"} if at else {})}
        url = f"{self.store}/api/v1/query?{urllib.parse.urlencode(params)}"
        body = get_json(url)
        assert body["status"] == "success", body
        result: list[dict[str, Any]] = body["data"]["result"]
        return result


def wait_for(what: str, check: Any, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    work = tmp_path_factory.mktemp("shards")
    devices = [
        SimDevice(name, loopback_address(n, base=170), tuple(PORTS))
        for n, name in enumerate(DEVICES)
    ]
    sim_port = free_port()
    write_data(
        work / "data",
        COMMUNITY,
        device_snmprec("sim", 4242, [SimInterface(i + 1, p) for i, p in enumerate(PORTS)]),
    )
    write_sim_inventory(work / "inv", devices, port=sim_port, timeout_seconds=1.0)
    state = work / "state"
    env = {**os.environ, "EGOVNET_SIM_COMMUNITY": COMMUNITY}
    env["EGOVNET_SECRETS_FILE"] = str(work / "no-secrets.env")
    store_port = free_port()
    with Simulator(work / "data", [(d.address, sim_port) for d in devices], work) as sim:
        sim.start(COMMUNITY)
        up = run_egovnet(
            "monitor", "up", "-i", str(work / "inv"), "--state-dir", str(state), "--shards", "2",
            "--store-port", str(store_port), "--vmalert-port", str(free_port()),
            "--alertmanager-port", str(free_port()), "--exporter-port", str(free_port()),
            "--webhook-port", str(free_port()), "--scrape-interval", "2s",
            "--evaluation-interval", "2s", "--alert-for-scale", "0.1", "--group-wait", "1s",
            # longer than the store needs to show its first scrape of the scrapers (~5 s
            # here), so the absent() half does not fire while the stack starts
            "--alert-for", "ScraperDown=12s",
            "--group-interval", "3s", "--json",
            env=env,
        )  # fmt: skip
        layout = StackLayout(state)
        try:
            assert up.returncode == 0, up.stderr
            yield Stack(state, f"http://127.0.0.1:{store_port}", json.loads(up.stdout))
        finally:
            records = list(load_state(layout).components.values())
            down = run_egovnet("monitor", "down", "--state-dir", str(state), "--json")
            assert down.returncode == 0, down.stderr
            assert records and not any(is_running(r) for r in records)
            assert not list(load_state(layout).components)


def test_up_starts_the_sharded_stack_and_status_covers_it(stack: Stack) -> None:
    components = {c["component"]: c for c in stack.report["components"]}
    assert set(components) == {
        "webhook", "alertmanager", "exporter", "store", "vmalert", "scraper-0", "scraper-1",
    }  # fmt: skip
    assert stack.report["prometheus"] == stack.store  # dashboards and queries go to the store

    def both_scrapers_poll_every_device() -> dict[str, Any] | None:
        done = run_egovnet("monitor", "status", "--state-dir", str(stack.state), "--json")
        status: dict[str, Any] = json.loads(done.stdout)
        targets = {t["job"]: t["up"] for t in status["targets"]}
        wanted = [f"egovnet-snmp (scraper-{i})" for i in (0, 1)]
        return status if all(targets.get(j) == len(DEVICES) for j in wanted) else None

    status = wait_for("both scrapers to poll all six devices", both_scrapers_poll_every_device)
    assert status["healthy"] is True and status["problems"] == []
    targets = {t["job"]: t for t in status["targets"]}
    assert targets["egovnet-scraper"]["up"] == 2  # the store scrapes both scrapers


def test_every_device_is_in_the_store_exactly_once(stack: Stack) -> None:
    def all_devices() -> list[dict[str, Any]] | None:
        rows = stack.query("count by (device) (egovnet_device_up)")
        return rows if len(rows) == len(DEVICES) else None

    rows = wait_for("every device's series in the store", all_devices)
    assert sorted(r["metric"]["device"] for r in rows) == DEVICES
    assert all(r["value"][1] == "1" for r in rows)  # one series per device, not one per scraper
    per_port = stack.query("count by (device) (egovnet_interface_oper_up)")
    assert {r["metric"]["device"]: r["value"][1] for r in per_port} == {
        d: str(len(PORTS)) for d in DEVICES
    }
    # both scrapers deliver every sample; the store keeps one per scrape interval
    time.sleep(8 * INTERVAL)
    window = 6 * INTERVAL
    counts = stack.query(f"count_over_time(egovnet_device_up[{window:g}s])")
    assert len(counts) == len(DEVICES)
    for row in counts:
        assert 3 <= float(row["value"][1]) <= window / INTERVAL + 1, row


def test_every_dashboard_query_runs_on_the_store(stack: Stack) -> None:
    """The dashboards' PromQL is answered by the store's Prometheus API (MetricsQL): no query
    is refused, and the device panels show the simulated devices."""
    checks = check_dashboards(stack.store, load_dashboards(), {"site": "sim"})
    assert checks
    errors = [(c.query.dashboard, c.query.panel, c.result.error) for c in checks if not c.result.ok]
    assert errors == []
    device_panels = [c for c in checks if "egovnet_device_up" in c.query.expr]
    assert device_panels and all(c.result.series > 0 for c in device_panels)


def max_gaps(stack: Stack, since: float) -> dict[str, float]:
    """Per device, the longest time between two stored samples of egovnet_device_up since
    ``since`` (and from the last sample to the newest queryable moment)."""
    now = time.time()
    window = int(now - since) + 1
    rows = stack.query(f"egovnet_device_up[{window}s]")
    newest = now - INTERVAL  # -search.latencyOffset: the last interval is not queryable yet
    gaps: dict[str, float] = {}
    for row in rows:
        stamps = sorted(float(t) for t, _ in row["values"])
        edges = [*stamps, newest]
        gaps[row["metric"]["device"]] = max(b - a for a, b in itertools.pairwise(edges))
    return gaps


def test_a_stopped_scraper_loses_no_data_and_its_alert_reaches_the_webhook(stack: Stack) -> None:
    state = load_state(stack.layout)
    victim = state.components["scraper-1"]
    assert is_running(victim)
    stopped_at = time.time()
    assert stop([victim], grace=5.0) == []
    assert not is_running(victim)

    def scraper_down() -> dict[str, str] | None:
        for alert in prometheus_alerts(stack.store):  # proxied by the store to vmalert
            if alert.name == "ScraperDown" and alert.state == "firing":
                return alert.labels
        return None

    labels = wait_for("ScraperDown to fire", scraper_down)
    assert labels["scraper"] == "scraper-1" and labels["severity"] == "warning"

    def delivered() -> list[dict[str, str]]:
        return [
            a.labels
            for n in read_notifications(stack.layout.notifications_file)
            for a in n.notification.alerts
            if a.labels.get("alertname") == "ScraperDown"
        ]

    got = wait_for("ScraperDown at the webhook receiver", delivered)
    assert {a.get("scraper") for a in got} == {"scraper-1"}, [sorted(a.items()) for a in got]
    assert all(a["district"] == "simulated" for a in got)  # vmalert's external label
    time.sleep(max(0.0, stopped_at + 6 * INTERVAL - time.time()))
    gaps = max_gaps(stack, stopped_at - 4 * INTERVAL)
    assert sorted(gaps) == DEVICES
    # replication: scraper-0 scrapes every device too, so no series waits longer than two
    # scrape intervals (plus scheduling jitter on a loaded machine)
    assert max(gaps.values()) <= 2 * INTERVAL + 0.5, gaps
    done = run_egovnet("monitor", "status", "--state-dir", str(stack.state), "--json")
    status = json.loads(done.stdout)
    assert done.returncode == 1 and status["healthy"] is False
    assert any("scraper-1" in p and "not running" in p for p in status["problems"])
