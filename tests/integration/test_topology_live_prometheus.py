"""`topology draw --live` against a real Prometheus scraping exporter-shaped series."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, Gauge, start_http_server

from tests.conftest import run_egovnet
from topology.linkstate import LinkStatus, PrometheusLinkStates

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("prometheus") is None, reason="prometheus not installed"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def prometheus() -> Iterator[str]:
    """Prometheus on loopback scraping a registry that holds lab-like oper-status series."""
    registry = CollectorRegistry()
    oper = Gauge(
        "egovnet_interface_oper_up", "", ["device", "interface", "link"], registry=registry
    )
    for device, interface, link, value in (
        ("core1", "eth5", "core1-town1", 1),
        ("town1", "eth1", "core1-town1", 1),
        ("core2", "eth5", "core2-town1", 0),  # the B-plane circuit of 龙归镇 is down
        ("town1", "eth2", "core2-town1", 1),
        ("town2", "eth3", "town2-vil3", 0),
    ):
        oper.labels(device, interface, link).set(value)
    exporter_port = free_port()
    server, thread = start_http_server(exporter_port, addr="127.0.0.1", registry=registry)
    work = Path(tempfile.mkdtemp(prefix="t7-prom-"))
    port = free_port()
    (work / "prometheus.yml").write_text(
        "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
        "scrape_configs:\n"
        "  - job_name: egovnet\n"
        f"    static_configs: [{{targets: ['127.0.0.1:{exporter_port}']}}]\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [
            "prometheus",
            f"--config.file={work / 'prometheus.yml'}",
            f"--storage.tsdb.path={work / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(work / "prometheus.log").open("wb"),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                query = f"{url}/api/v1/query?query=count(egovnet_interface_oper_up)"
                with urllib.request.urlopen(query, timeout=2) as resp:
                    result = json.load(resp)["data"]["result"]
                if result and result[0]["value"][1] == "5":
                    break
            except OSError:
                pass
            time.sleep(0.3)
        else:
            pytest.fail(
                "prometheus never scraped the series: " + (work / "prometheus.log").read_text()
            )
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        server.shutdown()
        thread.join(timeout=5)
        shutil.rmtree(work, ignore_errors=True)


def test_link_states_from_prometheus_and_the_live_diagram(prometheus: str, tmp_path: Path) -> None:
    states = dict(PrometheusLinkStates(prometheus).link_states())
    assert states == {
        "core1-town1": LinkStatus.up,
        "core2-town1": LinkStatus.down,
        "town2-vil3": LinkStatus.down,
    }
    out = tmp_path / "live.svg"
    done = run_egovnet(
        "topology", "draw", "--profile", "lab", "--live", prometheus, "--out", str(out), "--json"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["down_links"] == ["core2-town1", "town2-vil3"]
    svg = out.read_text(encoding="utf-8")
    assert "DOWN 30M" in svg and "(isolated)" in svg  # 江湾镇田心村 lost its only circuit


def test_an_unreachable_prometheus_is_failed_work(tmp_path: Path) -> None:
    done = run_egovnet(
        "topology",
        "draw",
        "--profile",
        "lab",
        "--out",
        str(tmp_path / "x.svg"),
        "--live",
        f"http://127.0.0.1:{free_port()}",
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: Prometheus at http://127.0.0.1:")
