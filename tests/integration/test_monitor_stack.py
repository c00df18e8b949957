"""`egovnet monitor up|status|down` with real Prometheus, Alertmanager and webhook receiver.

The egovnet exporter's place is taken by a stand-in serving the metrics contract for a
network state the test controls (tests/monitor_support.py: label sets and inventory series
come from the exporter's own code); everything after it is the real chain: file_sd targets
relabelled to /snmp?target=, the shipped alert rules (``for:`` scaled in the generated copy),
Alertmanager's routes, grouping and inhibitions, and the webhook receiver.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from inventory.catalog import Inventory
from monitor.health import alertmanager_alerts, prometheus_alerts
from monitor.stack import StackLayout, is_running, load_state, port_in_use
from monitor.webhook import ReceivedNotification, read_notifications
from tests.conftest import LAB_INVENTORY, run_egovnet
from tests.monitor_support import NetworkState, StandInExporter, free_port

pytestmark = pytest.mark.integration

T = TypeVar("T")
SATURATED = "core1-dept2"


@dataclass
class Stack:
    state_dir: Path
    network: NetworkState
    args: list[str]
    prometheus: str
    alertmanager: str

    @property
    def layout(self) -> StackLayout:
        return StackLayout(self.state_dir)

    def notifications(self) -> list[ReceivedNotification]:
        return read_notifications(self.layout.notifications_file)


def wait_for(what: str, check: Callable[[], T | None], timeout: float = 90.0) -> T:
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.5)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, lab_inventory: Inventory) -> Iterator[Stack]:
    state_dir = tmp_path_factory.mktemp("noc-state")
    # 区卫生健康局's only circuit runs at 95 % of its committed rate from the start: a 2-minute
    # rate() window would need two minutes to see a load that started later.
    network = NetworkState(lab_inventory, utilisation={SATURATED: 0.95})
    ports = {name: free_port() for name in ("prometheus", "alertmanager", "webhook")}
    with StandInExporter(network) as exporter:
        args = [
            "monitor", "up", "-i", str(LAB_INVENTORY), "--state-dir", str(state_dir),
            "--exporter-address", exporter.address,
            "--prometheus-port", str(ports["prometheus"]),
            "--alertmanager-port", str(ports["alertmanager"]),
            "--webhook-port", str(ports["webhook"]),
            "--scrape-interval", "2s", "--evaluation-interval", "2s",
            "--alert-for-scale", "0.1", "--alert-for", "CircuitBelowPlanTarget=4s",
            "--alert-for", "CircuitSaturated=6s",
            "--group-wait", "1s", "--group-interval", "3s", "--json",
        ]  # fmt: skip
        result = run_egovnet(*args)
        try:
            assert result.returncode == 0, result.stderr
            yield Stack(
                state_dir,
                network,
                args,
                f"http://127.0.0.1:{ports['prometheus']}",
                f"http://127.0.0.1:{ports['alertmanager']}",
            )
        finally:
            records = list(load_state(StackLayout(state_dir)).components.values())
            run_egovnet("monitor", "down", "--state-dir", str(state_dir))
            leftovers = [r.name for r in records if is_running(r)]
            assert not leftovers, f"monitor down left {leftovers} running"


def firing_in_prometheus(stack: Stack, alert: str) -> list[dict[str, str]]:
    return [
        a.labels
        for a in prometheus_alerts(stack.prometheus)
        if a.name == alert and a.state == "firing"
    ]


def sent(
    stack: Stack, site: str, alert: str, status: str = "firing", receiver: str | None = None
) -> ReceivedNotification | None:
    """The first notification about ``site`` carrying ``alert`` in ``status``."""
    for note in stack.notifications():
        n = note.notification
        if n.group_labels.get("site") != site or receiver not in (None, n.receiver):
            continue
        if any(a.labels.get("alertname") == alert and a.status == status for a in n.alerts):
            return note
    return None


def test_up_starts_every_component_and_scrapes_every_device(stack: Stack) -> None:
    status = run_egovnet("monitor", "status", "--state-dir", str(stack.state_dir), "--json")
    assert status.returncode == 0, status.stdout + status.stderr
    report = json.loads(status.stdout)
    assert report["healthy"] is True
    assert {c["name"] for c in report["components"]} == {"webhook", "alertmanager", "prometheus"}
    devices = len(stack.network.polled_devices)

    def scraped() -> dict[str, int] | None:
        st = json.loads(
            run_egovnet("monitor", "status", "--state-dir", str(stack.state_dir), "--json").stdout
        )
        up = {t["job"]: t["up"] for t in st["targets"]}
        return up if up.get("egovnet-snmp") == devices and up.get("egovnet-exporter") else None

    up = wait_for("every device target up", scraped, timeout=30)
    assert up["prometheus"] == 1 and up["alertmanager"] == 1


def test_up_again_keeps_the_same_processes(stack: Stack) -> None:
    before = {n: r.pid for n, r in load_state(stack.layout).components.items()}
    again = run_egovnet(*stack.args)
    assert again.returncode == 0, again.stderr
    actions = {
        c["component"]: (c["action"], c["pid"]) for c in json.loads(again.stdout)["components"]
    }
    assert actions == {
        "webhook": ("kept", before["webhook"]),
        "alertmanager": ("reloaded", before["alertmanager"]),
        "prometheus": ("reloaded", before["prometheus"]),
    }


def test_info_alerts_fire_in_prometheus_but_never_page(stack: Stack) -> None:
    # 江湾镇's two 50 Mbps circuits (town target 100), 田心村's 30 (village 50) and
    # 区卫生健康局's 100 (department 1000); every other circuit meets its target.
    expected = {"core1-town2", "core2-town2", "town2-vil3", "core1-dept2"}
    wait_for(
        "CircuitBelowPlanTarget firing for every circuit below target",
        lambda: (
            {a["link"] for a in firing_in_prometheus(stack, "CircuitBelowPlanTarget")} == expected
        ),
    )
    time.sleep(4)  # more evaluations: no other circuit joins them
    below = firing_in_prometheus(stack, "CircuitBelowPlanTarget")
    assert {a["link"] for a in below} == expected
    am = wait_for(
        "CircuitBelowPlanTarget in Alertmanager",
        lambda: [a for a in alertmanager_alerts(stack.alertmanager)
                 if a.name == "CircuitBelowPlanTarget"],
    )  # fmt: skip
    assert {tuple(a.receiver_names) for a in am} == {("planning",)}
    time.sleep(4)  # a group_wait and a group_interval: long enough to have been sent
    names = {a.labels["alertname"] for n in stack.notifications() for a in n.notification.alerts}
    assert "CircuitBelowPlanTarget" not in names


def test_one_uplink_cut_raises_redundancy_lost_once_for_the_site(stack: Stack) -> None:
    """龙归镇 loses its B-plane circuit: one notification group, for that site only."""
    seen = len(stack.notifications())
    cut_at = time.monotonic()
    stack.network.cut("core2-town1")
    try:
        note = wait_for(
            "RedundancyLost at the webhook",
            lambda: sent(stack, "town-longgui", "RedundancyLost"),
        )
        fired_after = time.monotonic() - cut_at
        print(f"RedundancyLost reached the webhook {fired_after:.1f}s after the cut")
        assert note.notification.receiver == "noc-ticket"
        assert note.notification.common_labels["site_name"] == "龙归镇"
        grouped = wait_for(
            "LinkDown and RedundancyLost in one notification",
            lambda: next(
                (n for n in stack.notifications()[seen:]
                 if {"LinkDown", "RedundancyLost"} <= set(n.notification.alert_names)),
                None,
            ),
        )  # fmt: skip
        assert grouped.notification.group_labels["site"] == "town-longgui"
        about_links = [
            n for n in stack.notifications()[seen:]
            if {"LinkDown", "RedundancyLost"} & set(n.notification.alert_names)
        ]  # fmt: skip
        assert {n.notification.group_labels["site"] for n in about_links} == {"town-longgui"}
        assert len(about_links) <= 3, [n.notification.alert_names for n in about_links]
    finally:
        stack.network.restore("core2-town1")
    restored_at = time.monotonic()
    wait_for(
        "RedundancyLost resolved at the webhook",
        lambda: sent(stack, "town-longgui", "RedundancyLost", status="resolved"),
    )
    print(f"resolved {time.monotonic() - restored_at:.1f}s after the link returned")


def test_both_uplinks_cut_isolates_the_site_and_inhibits_its_link_alerts(stack: Stack) -> None:
    stack.network.cut("core1-town2", "core2-town2")
    try:
        note = wait_for(
            "SiteIsolated at the webhook", lambda: sent(stack, "town-jiangwan", "SiteIsolated")
        )
        assert note.notification.receiver == "noc-page"

        def link_down_suppressed() -> list[str] | None:
            link_downs = [
                a for a in alertmanager_alerts(stack.alertmanager)
                if a.name == "LinkDown" and a.labels.get("site") == "town-jiangwan"
            ]  # fmt: skip
            if len(link_downs) == 2 and all(a.status.inhibited_by for a in link_downs):
                return [a.labels["link"] for a in link_downs]
            return None

        links = wait_for("the site's LinkDown alerts inhibited", link_down_suppressed)
        assert sorted(links) == ["core1-town2", "core2-town2"]
        assert not firing_in_prometheus(stack, "RedundancyLost")
    finally:
        stack.network.restore("core1-town2", "core2-town2")
    wait_for(
        "SiteIsolated resolved",
        lambda: sent(stack, "town-jiangwan", "SiteIsolated", status="resolved"),
    )


def test_a_silent_device_raises_device_unreachable_for_it_alone(stack: Stack) -> None:
    stack.network.silence("vil1")
    try:
        firing = wait_for(
            "DeviceUnreachable firing",
            lambda: firing_in_prometheus(stack, "DeviceUnreachable"),
        )
        assert [a["device"] for a in firing] == ["vil1"]
        assert firing[0]["site_name"] == "龙归镇上围村"
        wait_for("the page", lambda: sent(stack, "vil-longgui-shangwei", "DeviceUnreachable"))
        assert not firing_in_prometheus(stack, "CoreDeviceDown")
        assert not firing_in_prometheus(stack, "LinkDown")
    finally:
        stack.network.wake("vil1")


def test_a_saturated_circuit_pages_critical_and_hides_the_warning(stack: Stack) -> None:
    def both() -> list[str] | None:
        sev = sorted(
            a["severity"] for a in firing_in_prometheus(stack, "CircuitSaturated")
            if a["link"] == SATURATED and a["direction"] == "in"
        )  # fmt: skip
        return sev if sev == ["critical", "warning"] else None

    wait_for("CircuitSaturated warning and critical", both)
    note = wait_for(
        "the critical page",
        lambda: sent(stack, "dept-wjj", "CircuitSaturated", receiver="noc-page"),
    )
    assert {a.labels["severity"] for a in note.notification.alerts} == {"critical"}
    assert note.notification.common_labels["site_name"] == "区卫生健康局"
    warning = wait_for(
        "the warning inhibited",
        lambda: [a for a in alertmanager_alerts(stack.alertmanager)
                 if a.name == "CircuitSaturated" and a.labels["severity"] == "warning"
                 and a.status.inhibited_by],
    )  # fmt: skip
    assert [a.labels["link"] for a in warning] == [SATURATED]
    others = {a["link"] for a in firing_in_prometheus(stack, "CircuitSaturated")}
    assert others == {SATURATED}


def test_status_shows_the_firing_alerts(stack: Stack) -> None:
    result = run_egovnet("monitor", "status", "--state-dir", str(stack.state_dir), "--json")
    report = json.loads(result.stdout)
    below = [a for a in report["alerts"] if a["name"] == "CircuitBelowPlanTarget"]
    assert below and all(a["state"] == "firing" and a["receivers"] == ["planning"] for a in below)
    assert {a["site_name"] for a in below} >= {"江湾镇", "江湾镇田心村"}
    wide = {**os.environ, "COLUMNS": "220"}
    table = run_egovnet("monitor", "status", "--state-dir", str(stack.state_dir), env=wide)
    assert table.returncode == 0
    assert "CircuitBelowPlanTarget" in table.stdout and "江湾镇田心村" in table.stdout


def test_down_stops_exactly_the_recorded_processes(stack: Stack) -> None:
    records = list(load_state(stack.layout).components.values())
    result = run_egovnet("monitor", "down", "--state-dir", str(stack.state_dir), "--json")
    assert result.returncode == 0, result.stderr
    stopped = {o["component"]: o["action"] for o in json.loads(result.stdout)}
    assert stopped == {"prometheus": "stopped", "alertmanager": "stopped", "webhook": "stopped"}
    assert not any(is_running(r) for r in records)
    assert not any(port_in_use(r.address) for r in records)
    status = run_egovnet("monitor", "status", "--state-dir", str(stack.state_dir))
    assert status.returncode == 1
