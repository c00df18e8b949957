"""Every dashboard query against a real Prometheus holding an hour of the lab's series.

The hour is backfilled with ``promtool tsdb create-blocks-from openmetrics`` from series of
the lab inventory (labels and inventory series from the exporter's own code; readings chosen
in tests/monitor_support.py: every circuit loaded, 龙归镇's B-plane circuit down, two bandwidth
tests kept). Grafana is not installed here: the dashboards' queries are what Grafana would
send, variables replaced. The lab-data version of this test runs against the lab.
"""

from __future__ import annotations

import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bandwidth.assess import assess
from bandwidth.iperf import IperfReport
from bandwidth.store import BandwidthStore
from inventory.catalog import Inventory
from monitor.dashboards import Panel, PanelTarget, check_dashboards, load_dashboards
from monitor.generate import generate, write_files
from monitor.health import get_json
from monitor.options import MonitorOptions
from monitor.stack import StackLayout, bring_down, bring_up, prometheus_spec
from tests.conftest import LAB_INVENTORY, run_egovnet
from tests.monitor_support import NetworkState, free_port, openmetrics_history

pytestmark = pytest.mark.integration

SITES = ["town-longgui", "town-jiangwan", "vil-jiangwan-tianxin", "dept-wjj"]


@dataclass(frozen=True)
class Backfilled:
    url: str
    at: float  # a moment inside the backfilled hour


def _bandwidth(inv: Inventory, state: Path) -> BandwidthStore:
    store = BandwidthStore(state)
    results = []
    for link, mbps in (("core1-town1", 95.0), ("core1-town2", 47.5)):
        circuit = next(c for c in inv.circuits if c.link.id == link)
        bps = mbps * 1e6
        summary = {"seconds": 5.0, "bytes": int(bps * 5 / 8), "bits_per_second": bps}
        report = IperfReport.model_validate({"end": {"sum_sent": summary, "sum_received": summary}})
        results.append(assess(circuit, report, direction="up", runner="backfill"))
    store.record(results)
    return store


@pytest.fixture(scope="module")
def prometheus(
    tmp_path_factory: pytest.TempPathFactory, lab_inventory: Inventory
) -> Iterator[Backfilled]:
    state = tmp_path_factory.mktemp("dash-state")
    layout = StackLayout(state)
    end = time.time() - 60
    start = end - 3600
    network = NetworkState(
        lab_inventory,
        started=start,
        utilisation={c.link.id: 0.2 + 0.07 * i for i, c in enumerate(lab_inventory.circuits)},
        errors_per_second={("core1", "eth5"): 0.5},
        bandwidth=_bandwidth(lab_inventory, state),
    )
    network.cut("core2-town1")
    om = state / "history.om"
    om.write_text(openmetrics_history(network, start, end), encoding="utf-8")
    data = layout.data_dir / "prometheus"
    data.mkdir(parents=True)
    done = subprocess.run(
        ["promtool", "tsdb", "create-blocks-from", "openmetrics", str(om), str(data)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    om.unlink()
    address = f"127.0.0.1:{free_port()}"
    options = MonitorOptions.build(
        prometheus_address=address,
        exporter_address=f"127.0.0.1:{free_port()}",  # nothing listens: no live samples
        alertmanager_address=f"127.0.0.1:{free_port()}",
    )
    write_files(layout.config_dir, generate(lab_inventory, options))
    bring_up(layout, [prometheus_spec(layout, address)], urls=(f"http://{address}", ""))
    try:
        yield Backfilled(f"http://{address}", end - 90)
    finally:
        bring_down(layout)


@pytest.mark.parametrize("site", SITES)
def test_every_dashboard_query_returns_data(prometheus: Backfilled, site: str) -> None:
    checks = check_dashboards(prometheus.url, load_dashboards(), {"site": site}, prometheus.at)
    assert len(checks) > 30
    problems = [f"{c.query.dashboard} / {c.query.panel}: {c.problem}" for c in checks if c.problem]
    assert not problems, "\n".join(problems)
    assert all(c.result.ok for c in checks)


def test_the_command_checks_the_dashboards_too(prometheus: Backfilled) -> None:
    result = run_egovnet(
        "monitor", "dashboards", "--check", "--prometheus-url", prometheus.url,
        "--site", "town-jiangwan", "--time", f"{prometheus.at:.0f}", "-i", str(LAB_INVENTORY),
        "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr


def test_a_broken_query_is_caught(prometheus: Backfilled) -> None:
    """The check can fail: a misspelt metric comes back empty, bad PromQL as an error."""
    board = load_dashboards()[0]
    broken = board.model_copy(
        update={
            "panels": [
                Panel(type="stat", title="typo", targets=[PanelTarget(expr="egovnet_device_upp")]),
                Panel(type="stat", title="syntax",
                      targets=[PanelTarget(expr="sum(egovnet_device_up")]),
                Panel(type="stat", title="join", targets=[PanelTarget(
                    expr="egovnet_interface_oper_up / on (link) egovnet_circuit_info")]),
            ]
        }
    )  # fmt: skip
    checks = check_dashboards(prometheus.url, [broken], {"site": "x"}, prometheus.at)
    problems = {c.query.panel: c.problem for c in checks}
    assert problems["typo"] == "empty result where data must exist"
    assert (problems["syntax"] or "").startswith("error:")
    assert "multiple matches for labels" in (problems["join"] or "")  # a join error needs data


def test_backfilled_readings_show_in_the_panels(prometheus: Backfilled) -> None:
    """The numbers the NOC sees are the ones the network had."""

    def value(expr: str) -> list[tuple[dict[str, str], float]]:
        url = f"{prometheus.url}/api/v1/query?time={prometheus.at}&query="
        body = get_json(url + urllib.parse.quote(expr))
        return [(r["metric"], float(r["value"][1])) for r in body["data"]["result"]]

    down = value('min by (link) (egovnet_interface_oper_up{link!=""}) == 0')
    assert [m["link"] for m, _ in down] == ["core2-town1"]
    bw = value('egovnet_bandwidth_test_speed_bytes{site="town-jiangwan"} * 8 / 1e6')
    assert [round(v, 1) for _, v in bw] == [47.5]
    share = {
        m["tier"]: v
        for m, v in value(
            'avg by (tier) (min by (site, tier) (egovnet_circuit_committed_speed_bytes{end="b",'
            ' kind="access"} >= bool egovnet_circuit_target_speed_bytes{end="b", kind="access"}))'
        )
    }
    assert share == {"town": 0.5, "village": pytest.approx(2 / 3), "department": 0.5}
