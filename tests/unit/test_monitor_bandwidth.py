"""Bandwidth verification without a network: the verdicts, the store and its metrics,
circuit selection, the servers file, and bad input at the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry

from bandwidth.assess import Verdict, assess
from bandwidth.iperf import IperfReport, IperfSpec, client_argv, parse_report
from bandwidth.run import select_circuits
from bandwidth.servers import load_servers
from bandwidth.store import BandwidthStore
from base.errors import BandwidthError, BandwidthInputError
from exporters.bandwidth import BandwidthCollector, render_textfile
from inventory.catalog import Circuit, Inventory
from tests.conftest import LAB_INVENTORY, invoke_egovnet

pytestmark = pytest.mark.unit


def report(received_mbps: float, retransmits: int = 0) -> IperfReport:
    """The receiver/sender summaries of an iperf3 --json report, with a chosen rate."""
    bps = received_mbps * 1e6
    return IperfReport.model_validate(
        {
            "start": {"test_start": {"protocol": "TCP", "num_streams": 1, "duration": 5}},
            "end": {
                "sum_sent": {"seconds": 5.0, "bytes": int(bps * 5 / 8), "bits_per_second": bps,
                             "retransmits": retransmits},
                "sum_received": {"seconds": 5.0, "bytes": int(bps * 5 / 8),
                                 "bits_per_second": bps},
            },
        }
    )  # fmt: skip


def circuit(inv: Inventory, link: str) -> Circuit:
    return next(c for c in inv.circuits if c.link.id == link)


@pytest.mark.parametrize(
    ("link", "mbps", "verdict", "shortfall", "delivers"),
    [
        ("town1-vil1", 47.6, Verdict.meets_target, 0.0, True),  # 50 Mbps village, target 50
        ("town1-vil1", 45.0, Verdict.meets_target, 0.0, True),  # the tolerance edge (90 %)
        ("town1-vil1", 44.9, Verdict.shortfall, 5.1, False),
        ("core1-town2", 47.3, Verdict.shortfall, 52.7, True),  # 江湾镇: 50 committed, target 100
        ("town2-vil3", 28.4, Verdict.shortfall, 21.6, True),  # 30 Mbps village circuit
        ("core1-town1", 96.0, Verdict.meets_target, 0.0, True),  # 100 Mbps town circuit
    ],
)
def test_verdict_against_committed_rate_and_tier_target(
    lab_inventory: Inventory,
    link: str,
    mbps: float,
    verdict: Verdict,
    shortfall: float,
    delivers: bool,
) -> None:
    c = circuit(lab_inventory, link)
    result = assess(c, report(mbps), direction="up", runner="test")
    assert result.verdict is verdict
    assert result.shortfall_mbps == shortfall
    assert result.delivers_committed is delivers
    assert result.achieved_mbps == mbps
    assert result.committed_mbps == c.link.committed_mbps
    assert result.target_mbps == c.target_mbps
    assert result.site_name == c.site.name


def test_iperf_error_report_is_a_failed_measurement() -> None:
    text = json.dumps({"start": {"connected": []}, "intervals": [], "end": {},
                       "error": "unable to connect to server: Connection refused"})  # fmt: skip
    with pytest.raises(BandwidthError, match="vil1: unable to connect to server"):
        parse_report(text, "vil1")
    with pytest.raises(BandwidthError, match="not iperf3 JSON output: iperf3: error"):
        parse_report("iperf3: error - bad option\n", "vil1")


def test_client_command_line() -> None:
    spec = IperfSpec(seconds=3, omit=1, port=5301, reverse=True, bitrate="40M")
    argv = client_argv("10.1.4.1", spec, bind="10.1.4.2")
    assert argv[:6] == ["iperf3", "--client", "10.1.4.1", "--port", "5301", "--json"]
    assert {"--reverse", "--bitrate", "40M", "--bind", "10.1.4.2"} <= set(argv)


def test_store_keeps_last_and_history_and_exports_metrics(
    lab_inventory: Inventory, tmp_path: Path
) -> None:
    store = BandwidthStore(tmp_path)
    village = circuit(lab_inventory, "town1-vil1")
    town = circuit(lab_inventory, "core1-town2")
    store.record([assess(village, report(40.0), direction="up", runner="t")])
    store.record(
        [
            assess(village, report(48.0), direction="up", runner="t"),
            assess(town, report(47.0), direction="up", runner="t"),
        ],
        textfile=render_textfile,
    )
    assert len(store.history()) == 3
    last = store.last()
    assert set(last) == {"town1-vil1/up", "core1-town2/up"}
    assert last["town1-vil1/up"].achieved_mbps == 48.0
    registry = CollectorRegistry()
    registry.register(BandwidthCollector(store))
    labels = {"link": "town1-vil1", "site": "vil-longgui-shangwei", "site_name": "龙归镇上围村",
              "tier": "village", "plane": "A", "direction": "up"}  # fmt: skip
    assert registry.get_sample_value("egovnet_bandwidth_test_speed_bytes", labels) == 6_000_000
    assert registry.get_sample_value("egovnet_bandwidth_test_meets_target", labels) == 1
    town_labels = labels | {"link": "core1-town2", "site": "town-jiangwan", "site_name": "江湾镇",
                            "tier": "town"}  # fmt: skip
    assert registry.get_sample_value("egovnet_bandwidth_test_meets_target", town_labels) == 0
    assert registry.get_sample_value("egovnet_bandwidth_test_delivers_committed", town_labels) == 1
    text = store.textfile.read_text(encoding="utf-8")
    assert 'egovnet_bandwidth_test_committed_ratio{direction="up",link="core1-town2"' in text
    assert "龙归镇上围村" in text


def test_select_by_site_id_chinese_name_tier_link_and_all(lab_inventory: Inventory) -> None:
    def links(**kw: object) -> list[str]:
        return [c.link.id for c in select_circuits(lab_inventory, **kw)]  # type: ignore[arg-type]

    assert links(site="town-jiangwan") == ["core1-town2", "core2-town2"]
    assert links(site="江湾镇") == ["core1-town2", "core2-town2"]
    assert links(tier="village") == ["town1-vil1", "town1-vil2", "town2-vil3"]
    assert links(link="core2-dept1") == ["core2-dept1"]
    assert len(links(everything=True)) == len(lab_inventory.circuits)
    with pytest.raises(BandwidthInputError, match="unknown site 'nowhere'"):
        select_circuits(lab_inventory, site="nowhere")
    with pytest.raises(BandwidthInputError, match="has no access circuit"):
        select_circuits(lab_inventory, site="district-core")
    with pytest.raises(BandwidthInputError, match="unknown tier 'county'"):
        select_circuits(lab_inventory, tier="county")
    with pytest.raises(BandwidthInputError, match="exactly one of"):
        select_circuits(lab_inventory, site="江湾镇", everything=True)


def test_servers_file_errors_name_file_line_and_field(
    lab_inventory: Inventory, tmp_path: Path
) -> None:
    good = tmp_path / "servers.yml"
    good.write_text("circuits:\n  core1-town2: {server: 10.1.3.9}\n", encoding="utf-8")
    assert load_servers(good, lab_inventory)["core1-town2"].port == 5201
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "circuits:\n  core1-town2: {server: 10.1.3.9}\n  core2-town2:\n    server: 10.1.3.13\n"
        "    port: fast\n",
        encoding="utf-8",
    )
    with pytest.raises(BandwidthInputError, match=r"bad.yml:5: circuits.core2-town2.port: "):
        load_servers(bad, lab_inventory)
    unknown = tmp_path / "unknown.yml"
    unknown.write_text("circuits:\n  city1-core1: {server: 10.1.1.1}\n", encoding="utf-8")
    with pytest.raises(BandwidthInputError, match=r"unknown.yml:2: circuits.city1-core1: "):
        load_servers(unknown, lab_inventory)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "name exactly one of"),
        (["nowhere"], "SITE: unknown site 'nowhere'"),
        (["江湾镇"], "no lab is up in state dir"),  # the lab runner, without a lab
        (["--tier", "county"], "--tier: unknown tier 'county'"),
        (["江湾镇", "--server", "127.0.0.1:5201"], "--server: one server cannot tell circuits"),
        (
            ["--link", "town1-vil1", "--server", "10.0.0.1:5201:9"],
            "--server: '10.0.0.1:5201:9' is not HOST",
        ),
        (["--link", "town1-vil1", "--bitrate", "fast"], "--bitrate: 'fast' is not a rate"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = invoke_egovnet(
        "bandwidth", "test", *args, "-i", str(LAB_INVENTORY), "--state-dir", str(tmp_path)
    )
    assert result.returncode == 2, result.stdout + result.stderr
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1 and message in errors[0], result.stderr
    assert not (tmp_path / "bandwidth").exists()
