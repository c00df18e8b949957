"""`egovnet monitor config --shards N`: the sharded stack's files, checked by the engines' tools.

vmagent and vmalert check what they would load (``-dryRun``), so a rule file VictoriaMetrics
1.79 cannot evaluate, or a scrape option vmagent does not know, fails here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from monitor.stack import in_start_order
from tests.conftest import LAB_INVENTORY, REPO, Invocation, invoke_egovnet

pytestmark = pytest.mark.unit

RULES = REPO / "exporters" / "rules"


def generate(out: Path, *extra: str) -> Invocation:
    return invoke_egovnet("monitor", "config", "--out", str(out), "-i", str(LAB_INVENTORY), *extra)


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shards")
    result = generate(
        out, "--shards", "3", "--store-address", "10.20.0.9:8428",
        "--exporter-address", "10.20.0.5:9516", "--scrape-interval", "60s", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    checks = json.loads(result.stdout)["checks"]
    assert [(c["tool"], c["ok"]) for c in checks] == [
        ("vmagent", True), ("vmagent", True), ("vmalert", True), ("amtool", True),
    ]  # fmt: skip
    return out


def processes(out: Path) -> dict[str, list[str]]:
    return {p["name"]: p["argv"] for p in load(out / "processes.yml")["processes"]}


def test_three_scrapers_share_the_targets_with_replication_two(sharded: Path) -> None:
    procs = processes(sharded)
    assert sorted(procs) == ["scraper-0", "scraper-1", "scraper-2", "store", "vmalert"]
    for i in range(3):
        argv = procs[f"scraper-{i}"]
        assert argv[0] == "/usr/bin/vmagent"
        assert "-promscrape.cluster.membersCount=3" in argv
        assert f"-promscrape.cluster.memberNum={i}" in argv
        assert "-promscrape.cluster.replicationFactor=2" in argv
        assert "-remoteWrite.url=http://10.20.0.9:8428/api/v1/write" in argv
        assert f"-httpListenAddr=127.0.0.1:{8430 + i}" in argv
    assert not (sharded / "prometheus.yml").exists()


def test_the_store_deduplicates_at_the_scrape_interval(sharded: Path) -> None:
    store = processes(sharded)["store"]
    assert "-dedup.minScrapeInterval=60s" in store
    assert "-httpListenAddr=10.20.0.9:8428" in store
    assert "-retentionPeriod=15d" in store


def test_vmalert_evaluates_every_shipped_rule_file_against_the_store(sharded: Path) -> None:
    argv = processes(sharded)["vmalert"]
    assert "-datasource.url=http://10.20.0.9:8428" in argv
    assert "-notifier.url=http://127.0.0.1:9093" in argv
    assert "-rule=rules/*.yml" in argv
    assert sorted(p.name for p in (sharded / "rules").glob("*.yml")) == [
        "alerts.yml", "recording.yml", "scrapers.yml",
    ]  # fmt: skip


def test_scrapers_keep_the_snmp_exporter_pattern_and_the_store_scrapes_them(
    sharded: Path,
) -> None:
    scrape = load(sharded / "scrapers.yml")
    assert scrape["global"]["scrape_interval"] == "60s"
    jobs = {j["job_name"]: j for j in scrape["scrape_configs"]}
    assert jobs["egovnet-snmp"]["metrics_path"] == "/snmp"
    assert jobs["egovnet-snmp"]["relabel_configs"][-1]["replacement"] == "10.20.0.5:9516"
    targets = load(sharded / "targets" / "devices.json")
    assert "core1" in {t for g in targets for t in g["targets"]}
    own = {j["job_name"]: j for j in load(sharded / "store-scrape.yml")["scrape_configs"]}
    scrapers = own["egovnet-scraper"]["static_configs"]
    assert [(s["targets"], s["labels"]["scraper"]) for s in scrapers] == [
        (["127.0.0.1:8430"], "scraper-0"),
        (["127.0.0.1:8431"], "scraper-1"),
        (["127.0.0.1:8432"], "scraper-2"),
    ]


def test_dashboards_get_a_data_source_on_the_store(sharded: Path) -> None:
    source = load(sharded / "grafana" / "datasource.yml")["datasources"][0]
    assert (source["type"], source["url"]) == ("prometheus", "http://10.20.0.9:8428")


def test_one_scraper_runs_without_cluster_flags(tmp_path: Path) -> None:
    assert generate(tmp_path, "--shards", "1", "--no-check").returncode == 0
    argv = processes(tmp_path)["scraper-0"]
    assert not [a for a in argv if a.startswith("-promscrape.cluster.")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shards", "2", "--scraper-address", "127.0.0.1:1"], "--scraper-address: 1 given"),
        (["--shards", "2", "--store-address", "nowhere:"], "--store-address:"),
        (["--shards", "2", "--retention", "forever"], "--retention:"),
        (["--shards", "65"], "--shards"),
    ],
)
def test_bad_shard_options_are_one_line_and_exit_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = generate(tmp_path / "out", *args)
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_a_rule_vmalert_cannot_parse_fails_the_check(tmp_path: Path) -> None:
    """The vmalert check can fail: a broken expression in a rule file is reported."""
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(RULES / "scrapers.yml", rules / "scrapers.yml")
    text = (rules / "scrapers.yml").read_text(encoding="utf-8")
    (rules / "scrapers.yml").write_text(text.replace("== 0\n", "== (\n", 1), encoding="utf-8")
    done = subprocess.run(
        ["vmalert", "-dryRun", "-loggerLevel=ERROR", f"-rule={rules / 'scrapers.yml'}"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode != 0 and "ScraperDown" in done.stderr


def test_scraper_rules_pass_promtool_and_vmalert() -> None:
    tests = RULES / "tests" / "scrapers_scraper_down.yml"
    done = subprocess.run(
        ["promtool", "test", "rules", tests.name], cwd=tests.parent,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    rule_flags = [f"-rule={RULES / n}" for n in ("alerts.yml", "recording.yml", "scrapers.yml")]
    done = subprocess.run(
        ["vmalert", "-dryRun", "-loggerLevel=ERROR", *rule_flags],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_the_stack_starts_the_store_before_its_scrapers_and_vmalert_last() -> None:
    """`up` starts in this order and `down` stops in the reverse: the store is there before
    anything writes to it, vmalert's first evaluation finds the scrapers' data."""
    names = ["scraper-10", "vmalert", "scraper-2", "store", "exporter", "webhook", "alertmanager"]
    assert in_start_order(names) == [
        "webhook", "alertmanager", "exporter", "store", "scraper-2", "scraper-10", "vmalert",
    ]  # fmt: skip
