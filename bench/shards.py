"""Benchmark: the sharded stack polling a city's interfaces, egovnet vs snmp_exporter.

The city of issue 15 (``inventory.sample_city``: 2,476 network devices) with 48 ports per
device is ~119,000 interfaces. This polls ``--fraction`` of it every ``--interval`` seconds
through the sharded stack `egovnet monitor up --shards N` runs: N vmagent scrapers in
cluster mode (replication 2, so every device is polled twice per interval) remote-writing
into one VictoriaMetrics store that deduplicates. The config comes from the project's own
generator (monitor/shards.py). Two phases in the same run, on the same snmpd agents (net-snmp
in a network namespace, as bench/snmp_poll.py runs them; root needed) and the same store:

  1. the scrapers scrape the egovnet exporter (``/snmp?target=DEVICE``)
  2. the same scrapers scrape Prometheus snmp_exporter 0.21 (the same OIDs, bench/snmp_poll.py)

Measured per phase, over ``--cycles`` intervals after a warm-up interval: each process's own
CPU (utime + stime from /proc) per 1,000 SNMP values the exporter delivered (a scrape that
timed out delivered none), the scrape wall
time per device (vmagent's lastScrapeDuration: median and max over the targets), whether each
interval's scrapes finished inside it, peak resident memory (VmHWM) of the exporter, each
scraper and the store; and from the store's own metrics, bytes on disk per stored sample.

    python bench/shards.py                       # a quarter of the city, 60 s, 2 cycles
    python bench/shards.py --fraction 1          # the whole city (needs more than 2 cores)
    python bench/shards.py --quick               # 50 devices, 15 s, 1 cycle
    python bench/shards.py --write-doc           # also put the table in docs/performance.md
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from snmp_poll import (  # noqa: E402
    COMMUNITY,
    IF_COLUMNS,
    SNMP_PORT,
    SnmpdNamespace,
    free_port,
    snmp_exporter_config,
)

from base.atomic import write_text  # noqa: E402
from collectors.simulate import write_inventory  # noqa: E402
from inventory.loader import load_inventory  # noqa: E402
from inventory.sample_city import write_city  # noqa: E402
from monitor.generate import write_files  # noqa: E402
from monitor.options import SNMP_JOB, MonitorOptions  # noqa: E402
from monitor.shards import (  # noqa: E402
    SCRAPERS_FILE,
    ShardOptions,
    ShardPaths,
    shard_specs,
    sharded_generate,
)

DOC = REPO / "docs" / "performance.md"
PORTS_PER_DEVICE = 48


class Agents(SnmpdNamespace):
    """bench/snmp_poll.py's snmpd namespace on a subnet of its own (both may run at once)."""

    HOST, INSIDE = "172.30.5.1", "172.30.5.2"
    http_host = INSIDE

    def __init__(self, work: Path, count: int, interfaces: int) -> None:
        super().__init__(work, count, interfaces)
        self.ns = f"t15-shards-{os.getpid()}"
        self.host_end = f"t15h{os.getpid() % 100000}"
        self._agent.netns = self.ns


@dataclass
class Proc:
    name: str
    process: subprocess.Popen[bytes]

    def stat(self) -> tuple[float, float]:
        """(CPU seconds, peak RSS MiB) of this process."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return cpu, int(line.split()[1]) / 1024
        return cpu, float("nan")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start(agents: Agents, name: str, argv: list[str], work: Path, cwd: Path | None = None) -> Proc:
    log = (work / f"{name}.log").open("wb")
    env = {k: v for k, v in os.environ.items() if not k.startswith("EGOVNET_")}
    process = subprocess.Popen(
        agents.command(argv), cwd=cwd or REPO, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    return Proc(name, process)


def get_json(url: str, timeout: float = 30) -> Any:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def wait_http(proc: Proc, url: str, work: Path, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
            return
        except OSError:
            if proc.process.poll() is not None or time.monotonic() > deadline:
                tail = (work / f"{proc.name}.log").read_text(errors="replace")[-2000:]
                raise SystemExit(f"{proc.name} did not start: {tail}") from None
            time.sleep(0.3)


def scalar(store: str, expr: str) -> float:
    url = f"{store}/api/v1/query?{urllib.parse.urlencode({'query': expr})}"
    rows = get_json(url)["data"]["result"]
    return float(rows[0]["value"][1]) if rows else float("nan")


@dataclass
class Phase:
    exporter: str
    cpu: dict[str, float]  # process -> CPU seconds over the measured cycles
    peak: dict[str, float]  # process -> peak RSS MiB
    values: int  # SNMP values the exporter answered over the measured cycles
    samples: int  # samples the scrapers scraped (all replicas)
    failed: int
    median_wall: float
    max_wall: float

    def per_1000(self, process: str) -> float:
        return self.cpu[process] / self.values * 1000 if self.values else float("nan")


def targets(scraper: str) -> list[dict[str, Any]]:
    body = get_json(f"http://{scraper}/api/v1/targets?state=active")
    return [t for t in body["data"]["activeTargets"] if t["labels"].get("job") == SNMP_JOB]


def run_phase(
    agents: Agents,
    work: Path,
    name: str,
    exporter: Proc,
    config_dir: Path,
    specs: list[Any],
    args: argparse.Namespace,
) -> Phase:
    scrapers = [s for s in specs if s.name.startswith("scraper-")]
    procs = [exporter]
    try:
        for spec in scrapers:
            procs.append(start(agents, f"{name}-{spec.name}", list(spec.argv), work, config_dir))
        for spec, proc in zip(scrapers, procs[1:], strict=True):
            wait_http(proc, f"http://{spec.address}/health", work)
        print(f"{name}: warm-up interval ({args.interval} s) ...", flush=True)
        time.sleep(args.interval + 5)
        before = {p.name: p.stat()[0] for p in procs}
        scraped0 = sum(_samples(s.address) for s in scrapers)
        print(f"{name}: measuring {args.cycles} x {args.interval} s ...", flush=True)
        time.sleep(args.cycles * args.interval)
        after = {p.name: p.stat() for p in procs}
        scraped1 = sum(_samples(s.address) for s in scrapers)
        rows = [t for s in scrapers for t in targets(s.address)]
        walls = sorted(float(t["lastScrapeDuration"]) for t in rows)
        failed = sum(1 for t in rows if t["health"] != "up")
    finally:
        for proc in reversed(procs):
            proc.stop()
    # SNMP values delivered: the samples scraped, at the values-to-samples ratio of one
    # complete device scrape (a timed-out scrape delivers nothing, though it cost CPU)
    interfaces = args.ports_walked[name]
    per_device = sorted(int(t["lastSamplesScraped"]) for t in rows if t["health"] == "up")
    samples = int(scraped1 - scraped0)
    full = per_device[len(per_device) // 2] if per_device else 0
    values = samples * (2 + len(IF_COLUMNS) * interfaces) // full if full else 0
    return Phase(
        exporter=name,
        cpu={n: after[n][0] - before[n] for n in before},
        peak={n: after[n][1] for n in after},
        values=values,
        samples=samples,
        failed=failed,
        median_wall=walls[len(walls) // 2] if walls else float("nan"),
        max_wall=walls[-1] if walls else float("nan"),
    )


def _samples(address: str) -> float:
    """Samples scraped so far by one scraper, from its own /metrics."""
    with urllib.request.urlopen(f"http://{address}/metrics", timeout=30) as response:
        text = response.read().decode()
    for line in text.splitlines():
        key, _, value = line.partition(" ")
        if key == "vm_promscrape_scraped_samples_sum":
            return float(value)
    return 0.0


def snmp_exporter_scrapers(
    config_dir: Path, devices: list[Any], address: str, interval: int
) -> None:
    """The same scrapers' config for snmp_exporter: its documented /snmp?module=&target=."""
    groups = [{"targets": [f"{d.address}:{d.port}"], "labels": {"device": d.name}} for d in devices]
    write_text(config_dir / "targets" / "snmp.json", json.dumps(groups))
    timeout = min(interval, 10)
    doc = {
        "global": {"scrape_interval": f"{interval}s", "scrape_timeout": f"{timeout}s"},
        "scrape_configs": [
            {
                "job_name": SNMP_JOB,
                "metrics_path": "/snmp",
                "params": {"module": ["egovnet_if"]},
                "file_sd_configs": [{"files": ["targets/snmp.json"]}],
                "relabel_configs": [
                    {"source_labels": ["__address__"], "target_label": "__param_target"},
                    {"source_labels": ["__param_target"], "target_label": "instance"},
                    {"target_label": "__address__", "replacement": address},
                ],
            }
        ],
    }
    write_text(config_dir / SCRAPERS_FILE, yaml.safe_dump(doc, sort_keys=False))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--fraction", type=float, default=0.25, help="share of the city's devices")
    ap.add_argument("--shards", type=int, default=2)
    ap.add_argument("--interval", type=int, default=60, help="scrape interval, seconds")
    ap.add_argument("--cycles", type=int, default=2, help="measured intervals per phase")
    ap.add_argument("--quick", action="store_true", help="50 devices, 15 s, 1 cycle")
    ap.add_argument("--write-doc", action="store_true", help=f"update {DOC.relative_to(REPO)}")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    exe = shutil.which("prometheus-snmp-exporter")
    if exe is None or shutil.which("vmagent") is None:
        print("prometheus-snmp-exporter and victoria-metrics must be installed", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="egovnet-bench-shards-"))
    try:
        city = write_city(work / "city")
        count = 50 if args.quick else max(1, round(city.network_devices * args.fraction))
        if args.quick:
            args.interval, args.cycles = 15, 1
        print(
            f"the city: {city.network_devices} network devices x {PORTS_PER_DEVICE} ports ="
            f" {city.network_devices * PORTS_PER_DEVICE:,} interfaces; polling {count} devices",
            flush=True,
        )
        # snmp_exporter walks every interface of the agent: the 48 ports, lo and mgmt0 (egovnet
        # polls the inventory's 48); values are counted as each exporter really polled them
        args.ports_walked = {"egovnet": PORTS_PER_DEVICE, "snmp_exporter": PORTS_PER_DEVICE + 2}
        with Agents(work, count, PORTS_PER_DEVICE) as agents:
            phases, store_stats = measure(agents, work, exe, args)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    table = render(phases, store_stats, args, count, city.network_devices)
    print(table)
    if args.write_doc:
        write_doc(table)
        print(f"wrote {DOC.relative_to(REPO)}")
    return 0 if all(p.failed == 0 for p in phases) else 1


def measure(
    agents: Agents, work: Path, exe: str, args: argparse.Namespace
) -> tuple[list[Phase], dict[str, float]]:
    devices = agents.devices
    host = agents.http_host
    write_inventory(work / "inventory", devices, port=SNMP_PORT, timeout_seconds=10.0)
    (work / "secrets.env").write_text(f"EGOVNET_SIM_COMMUNITY={COMMUNITY}\n")
    inv = load_inventory(work / "inventory")
    egov_address, snmp_address = f"{host}:{free_port()}", f"{host}:{free_port()}"
    options = MonitorOptions(
        exporter_address=egov_address,
        scrape_interval=f"{args.interval}s",
        evaluation_interval=f"{args.interval}s",
    )
    shard = ShardOptions(
        shards=args.shards,
        store_address=f"{host}:{free_port()}",
        scraper_addresses=tuple(f"{host}:{free_port()}" for _ in range(args.shards)),
    )
    phases: list[Phase] = []
    config = {name: work / f"config-{name}" for name in ("egovnet", "snmp_exporter")}
    for directory in config.values():
        write_files(directory, sharded_generate(inv, options, shard))
    snmp_exporter_scrapers(config["snmp_exporter"], devices, snmp_address, args.interval)
    paths = ShardPaths(config["egovnet"], work / "data")
    specs = shard_specs(options, shard, paths, inv.profile.name)
    store_spec = specs[0]
    store = start(agents, "store", list(store_spec.argv), work, config["egovnet"])
    try:
        wait_http(store, f"http://{shard.store_address}/health", work)
        egov_cfg = work / "egovnet-exporter.yml"
        egov_cfg.write_text(
            yaml.safe_dump(
                {
                    "inventory": str(work / "inventory"),
                    "secrets_file": str(work / "secrets.env"),
                    "max_concurrency": 256,
                    "varbinds_per_request": 60,
                }
            )
        )
        egov = start(
            agents,
            "egovnet",
            [sys.executable, "-m", "egovnet", "exporter", "--config.file", str(egov_cfg),
             "--web.listen-address", egov_address, "--log.level", "warning"],
            work,
        )  # fmt: skip
        wait_http(egov, f"http://{egov_address}/metrics", work)
        phases.append(run_phase(agents, work, "egovnet", egov, config["egovnet"], specs, args))
        snmp_cfg = work / "snmp.yml"
        snmp_cfg.write_text(yaml.safe_dump(snmp_exporter_config(10.0), sort_keys=False))
        snmp = start(
            agents,
            "snmp_exporter",
            [exe, f"--config.file={snmp_cfg}", f"--web.listen-address={snmp_address}",
             "--log.level=warn"],
            work,
        )  # fmt: skip
        wait_http(snmp, f"http://{snmp_address}/metrics", work)
        snmp_specs = shard_specs(
            options, shard, ShardPaths(config["snmp_exporter"], work / "data-snmp"), "bench"
        )
        phases.append(
            run_phase(
                agents, work, "snmp_exporter", snmp, config["snmp_exporter"], snmp_specs, args
            )
        )
        stats = store_figures(shard.store_url)
        stats["store_peak_mib"] = store.stat()[1]
    finally:
        store.stop()
    return phases, stats


def store_figures(store: str) -> dict[str, float]:
    """The store's own figures: rows and bytes of its storage parts, before and after a forced
    merge (which drops the replicas deduplication found and compresses as a day-old store)."""
    time.sleep(5)  # the last remote writes land
    with urllib.request.urlopen(f"{store}/internal/force_flush", timeout=60) as response:
        response.read()
    stats = _store_sizes(store, "")
    stats["series"] = scalar(store, "sum(vm_new_timeseries_created_total)")
    stats["received"] = scalar(store, "sum(vm_rows_added_to_storage_total)")
    month = time.strftime("%Y_%m", time.gmtime())  # the store's partition of this month
    merge = f"{store}/internal/force_merge?partition_prefix={month}"
    with urllib.request.urlopen(merge, timeout=600) as response:
        response.read()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(5)
        merged = _store_sizes(store, "merged_")
        if scalar(store, "sum(vm_active_merges)") == 0:
            break
    stats.update(merged)
    return stats


def _store_sizes(store: str, prefix: str) -> dict[str, float]:
    storage = '{type=~"storage/.*"}'
    return {
        f"{prefix}rows": scalar(store, f"sum(vm_rows{storage})"),
        f"{prefix}bytes": scalar(store, f"sum(vm_data_size_bytes{storage})"),
        f"{prefix}index_bytes": scalar(store, 'sum(vm_data_size_bytes{type=~"indexdb.*"})'),
        f"{prefix}deduplicated": scalar(store, "sum(vm_deduplicated_samples_total)"),
    }


def render(
    phases: list[Phase], stats: dict[str, float], args: argparse.Namespace, count: int, city: int
) -> str:
    interfaces = count * PORTS_PER_DEVICE
    per_cycle = count * (2 + len(IF_COLUMNS) * PORTS_PER_DEVICE)
    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} CPUs (shared), agent: net-snmp"
        f" snmpd in a namespace; {count} devices x {PORTS_PER_DEVICE} ports = {interfaces:,}"
        f" interfaces ({count / city:.1%} of the city's {city:,} devices), {per_cycle:,} SNMP"
        f" values per device pass; {args.shards} vmagent scrapers, replication"
        f" {min(2, args.shards)}, every {args.interval} s, {args.cycles} measured intervals per"
        " exporter after one warm-up; one VictoriaMetrics store.",
        "",
        "| exporter | exporter CPU s per 1,000 values | scrapers' CPU s per 1,000 values"
        " | scrape wall s (median / max) | failed targets | exporter peak MiB"
        " | scraper peak MiB (each) | samples scraped |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in phases:
        scrapers = [n for n in p.cpu if "scraper" in n]
        scraper_cpu = sum(p.cpu[n] for n in scrapers) / p.values * 1000 if p.values else 0.0
        peaks = " / ".join(f"{p.peak[n]:.0f}" for n in scrapers)
        lines.append(
            f"| {p.exporter} | {p.per_1000(p.exporter):.4f} | {scraper_cpu:.4f}"
            f" | {p.median_wall:.2f} / {p.max_wall:.2f} | {p.failed} | {p.peak[p.exporter]:.0f}"
            f" | {peaks} | {p.samples:,} |"
        )
    egov, snmp = phases
    ratio = egov.per_1000("egovnet") / snmp.per_1000("snmp_exporter")
    cpu_share = egov.cpu["egovnet"] / (args.cycles * args.interval)
    whole = cpu_share / (count / city)
    before = stats["bytes"] / stats["rows"] if stats["rows"] else float("nan")
    after = stats["merged_bytes"] / stats["merged_rows"] if stats["merged_rows"] else float("nan")
    lines += [
        "",
        f"CPU ratio egovnet / snmp_exporter (per value, same agents, same scrapers):"
        f" **{ratio:.2f}x**. The store received {stats['received']:,.0f} samples (both"
        f" replicas) into {stats['series']:,.0f} series; its storage parts held"
        f" {stats['rows']:,.0f} rows in {stats['bytes'] / 2**20:.1f} MiB ({before:.2f} bytes per"
        f" row) and after a forced merge of the partition (where deduplication drops replicas),"
        f" {stats['merged_rows']:,.0f} rows in {stats['merged_bytes'] / 2**20:.1f} MiB:"
        f" **{after:.2f} bytes per stored row** (vm_data_size_bytes / vm_rows of the storage parts;"
        f" the index adds {stats['merged_index_bytes'] / 2**20:.1f} MiB). Minutes of data"
        " compress worse than days (few samples per series and block), so this is an upper"
        f" bound. Store peak RSS {stats['store_peak_mib']:.0f} MiB.",
        f"The egovnet exporter used {cpu_share:.2f} of a core at this size; scaled linearly,"
        f" the whole city (replication 2) would need {whole:.1f} cores for the exporter alone.",
    ]
    return "\n".join(lines)


def write_doc(table: str) -> None:
    begin, end = "<!-- bench:shards:begin -->", "<!-- bench:shards:end -->"
    text = DOC.read_text(encoding="utf-8")
    block = f"{begin}\n{table}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n## Sharded stack (VictoriaMetrics)\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
