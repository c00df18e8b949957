"""`egovnet bandwidth test` on genuine iperf3 runs.

* against a real iperf3 server on 127.0.0.1, the client capped with --bitrate (production
  runner, no root needed);
* through a real 50 Mbps circuit: two network namespaces of this test's own (``t5-``) joined
  by a veth pair shaped with tc, the server on the upstream end and the client on the site
  end (the lab runner, as the lab will run it; needs root).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bandwidth.assess import Verdict, assess
from bandwidth.iperf import IperfSpec
from bandwidth.runners import DeviceRunner, NetnsExec
from inventory.loader import load_inventory
from tests.conftest import FRR_LAB_INVENTORY, LAB_INVENTORY, run_egovnet
from tests.monitor_support import free_port

pytestmark = pytest.mark.integration


@pytest.fixture
def iperf_server() -> Iterator[int]:
    """A real iperf3 server on loopback for one test at a time (restarted per test)."""
    if shutil.which("iperf3") is None:
        pytest.fail("iperf3 is not installed (Debian package iperf3; run `make setup`)")
    port = free_port()
    proc = subprocess.Popen(
        ["iperf3", "--server", "--bind", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.3)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def bandwidth_test(state: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_egovnet(
        "bandwidth", "test", *args, "-i", str(LAB_INVENTORY), "--state-dir", str(state),
        "--seconds", "3", "--json",
    )  # fmt: skip


def test_capped_at_40_mbps_a_50_mbps_village_circuit_falls_short(
    iperf_server: int, tmp_path: Path
) -> None:
    result = bandwidth_test(
        tmp_path, "--link", "town1-vil1", "--server", f"127.0.0.1:{iperf_server}",
        "--bitrate", "40M",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert 37.0 <= row["achieved_mbps"] <= 41.0, row
    assert row["site_name"] == "龙归镇上围村"
    assert row["committed_mbps"] == 50 and row["target_mbps"] == 50
    assert row["verdict"] == "shortfall"
    assert row["delivers_committed"] is False
    assert row["shortfall_mbps"] == pytest.approx(50 - row["achieved_mbps"], abs=0.11)


def test_at_48_mbps_it_meets_the_village_target_and_is_kept(
    iperf_server: int, tmp_path: Path
) -> None:
    result = bandwidth_test(
        tmp_path, "龙归镇上围村", "--server", f"127.0.0.1:{iperf_server}", "--bitrate", "48M"
    )
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert 46.0 <= row["achieved_mbps"] <= 49.0, row
    assert row["verdict"] == "meets target" and row["delivers_committed"] is True
    shown = run_egovnet("bandwidth", "show", "--state-dir", str(tmp_path), "--json")
    assert json.loads(shown.stdout)[0]["achieved_mbps"] == row["achieved_mbps"]
    prom = (tmp_path / "bandwidth" / "bandwidth.prom").read_text(encoding="utf-8")
    assert 'egovnet_bandwidth_test_meets_target{direction="up",link="town1-vil1"' in prom


def test_a_town_circuit_committed_below_target_reports_the_shortfall(
    iperf_server: int, tmp_path: Path
) -> None:
    result = bandwidth_test(
        tmp_path, "--link", "core1-town2", "--server", f"127.0.0.1:{iperf_server}",
        "--bitrate", "48M",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert row["site_name"] == "江湾镇" and row["target_mbps"] == 100
    assert row["delivers_committed"] is True  # the carrier delivers its 50 Mbps ...
    assert row["verdict"] == "shortfall"  # ... but the plan wants 100 for a town
    assert 51.0 <= row["shortfall_mbps"] <= 54.0


def test_no_server_is_a_failed_measurement_and_exit_1(tmp_path: Path) -> None:
    closed = free_port()
    result = bandwidth_test(tmp_path, "--link", "town1-vil1", "--server", f"127.0.0.1:{closed}")
    assert result.returncode == 1
    (row,) = json.loads(result.stdout)
    assert row["verdict"] == "failed" and "Connection refused" in row["error"]
    history = (tmp_path / "bandwidth" / "history.jsonl").read_text(encoding="utf-8")
    assert '"verdict":"failed"' in history


# --- through a shaped circuit between two namespaces ------------------------------------

NS_CORE, NS_SITE = "t5-bwcore", "t5-bwsite"


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True, timeout=30)


@pytest.fixture
def shaped_circuit(tmp_path: Path) -> Iterator[Path]:
    """core --50 Mbps-- village in two namespaces; an inventory describing exactly that."""
    if os.geteuid() != 0 or shutil.which("ip") is None or shutil.which("tc") is None:
        pytest.skip("needs root, ip and tc to build network namespaces")
    for ns in (NS_CORE, NS_SITE):
        subprocess.run(["ip", "netns", "del", ns], capture_output=True, check=False)
    try:
        _ip("netns", "add", NS_CORE)
        _ip("netns", "add", NS_SITE)
        _ip("link", "add", "t5bwa", "netns", NS_CORE, "type", "veth",
            "peer", "name", "t5bwb", "netns", NS_SITE)  # fmt: skip
        for ns, dev, addr in ((NS_CORE, "t5bwa", "172.30.5.1/30"),
                              (NS_SITE, "t5bwb", "172.30.5.2/30")):  # fmt: skip
            _ip("-n", ns, "addr", "add", addr, "dev", dev)
            _ip("-n", ns, "link", "set", dev, "up")
            _ip("-n", ns, "link", "set", "lo", "up")
            # the carrier's committed rate, both directions (as the lab shapes circuits)
            subprocess.run(
                ["ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", dev, "root", "tbf",
                 "rate", "50mbit", "burst", "64kb", "latency", "50ms"],
                check=True, capture_output=True, timeout=30,
            )  # fmt: skip
        inv = tmp_path / "inv"  # its own two devices: no device is kept on a vendor platform
        shutil.copytree(FRR_LAB_INVENTORY, inv)
        (inv / "devices.yaml").write_text(
            "devices:\n"
            "  - {name: bwcore, site: district-core, role: core, platform: frr,"
            " mgmt_address: 172.30.5.101, snmp_profile: noc-v3, interfaces: [{name: t5bwa}]}\n"
            "  - {name: bwsite, site: vil-longgui-shangwei, role: cpe, platform: frr,"
            " mgmt_address: 172.30.5.102, snmp_profile: noc-v3, interfaces: [{name: t5bwb}]}\n",
            encoding="utf-8",
        )
        (inv / "links.yaml").write_text(
            "links:\n"
            "  - {id: bwcore-bwsite, kind: access, plane: A, committed_mbps: 50,"
            " a: {device: bwcore, interface: t5bwa, address: 172.30.5.1/30},"
            " b: {device: bwsite, interface: t5bwb, address: 172.30.5.2/30}}\n",
            encoding="utf-8",
        )
        for name in ("systems.yaml",):
            (inv / name).write_text("systems: []\n", encoding="utf-8")
        (inv / "sites.yaml").write_text(
            "sites:\n"
            "  - {id: district-core, name: 武江区电子政务外网核心机房, tier: district_core}\n"
            "  - {id: vil-longgui-shangwei, name: 龙归镇上围村, tier: village,"
            " parent: district-core}\n",
            encoding="utf-8",
        )
        yield inv
    finally:
        for ns in (NS_CORE, NS_SITE):
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, check=False)


def test_a_shaped_50_mbps_village_circuit_meets_its_target(
    shaped_circuit: Path, tmp_path: Path
) -> None:
    inv = load_inventory(shaped_circuit)
    (circuit,) = inv.circuits
    names = {"bwcore": NS_CORE, "bwsite": NS_SITE}
    runner = DeviceRunner(NetnsExec(names.__getitem__), tmp_path / "run")
    spec = IperfSpec(seconds=4, omit=1, port=free_port())
    report = runner.measure(circuit, spec)
    result = assess(circuit, report, direction="up", runner="netns")
    print(f"shaped 50 Mbps circuit: {result.achieved_mbps} Mbps, {result.retransmits} retransmits")
    assert 45.0 <= result.achieved_mbps <= 52.0  # type: ignore[operator]
    assert result.verdict is Verdict.meets_target
    assert not list((tmp_path / "run").glob("*.pid")), "the one-off server must be gone"
    down = runner.measure(circuit, IperfSpec(seconds=3, omit=1, port=spec.port, reverse=True))
    assert 45.0 <= down.received_mbps <= 52.0
