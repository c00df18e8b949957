"""Benchmark: egovnet's exporter against Prometheus snmp_exporter on the same SNMP agents.

Both exporters poll the same agents for the same OIDs: sysUpTime, sysName and ten IF-MIB
columns of every interface (snmp_exporter also walks ifName each scrape for its ``ifName``
label; egovnet caches it). Cycles alternate between the two exporters, in the same run; one
cycle scrapes every device once, ``--parallel`` scrapes at a time, as a Prometheus server
would. Measured per exporter: its own process CPU (utime + stime from /proc, so the agents'
and this client's CPU are not counted) per 1,000 SNMP values, wall time per cycle, and peak
resident memory (VmHWM).

Agents (``--agent``):
  snmpsim  snmpsim on loopback, one UDP endpoint per device (127.4.100.x), 48
           GigabitEthernet0/0/N interfaces each from one recording (pure Python: slow)
  snmpd    net-snmp's snmpd in a network namespace of the benchmark (root needed), 48 veth
           interfaces, one address per device on 172.30.4.0/25 and several UDP ports,
           so 50,000 interfaces fit (C: the agent is not the bottleneck)

    python bench/snmp_poll.py                        # snmpsim, 200 devices x 48, 3 cycles
    python bench/snmp_poll.py --agent snmpd --devices 1042 --cycles 2   # ~50,000 interfaces
    python bench/snmp_poll.py --quick                # 20 x 48, 2 cycles
    python bench/snmp_poll.py --write-doc            # also put the table in docs/performance.md
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from collectors.simulate import (  # noqa: E402
    NetSnmpAgent,
    SimDevice,
    SimInterface,
    Simulator,
    device_snmprec,
    loopback_address,
    write_data,
    write_inventory,
)

COMMUNITY = "egovbench"
SNMP_PORT = 20161
DOC = REPO / "docs" / "performance.md"
IF_COLUMNS = {  # name in snmp_exporter -> OID; the same ten columns egovnet polls
    "ifAdminStatus": "1.3.6.1.2.1.2.2.1.7",
    "ifOperStatus": "1.3.6.1.2.1.2.2.1.8",
    "ifInDiscards": "1.3.6.1.2.1.2.2.1.13",
    "ifInErrors": "1.3.6.1.2.1.2.2.1.14",
    "ifOutDiscards": "1.3.6.1.2.1.2.2.1.19",
    "ifOutErrors": "1.3.6.1.2.1.2.2.1.20",
    "ifHCInOctets": "1.3.6.1.2.1.31.1.1.1.6",
    "ifHCOutOctets": "1.3.6.1.2.1.31.1.1.1.10",
    "ifHighSpeed": "1.3.6.1.2.1.31.1.1.1.15",
    "ifAlias": "1.3.6.1.2.1.31.1.1.1.18",
}
IF_NAME = "1.3.6.1.2.1.31.1.1.1.1"


@dataclass
class Exporter:
    name: str
    process: subprocess.Popen[bytes]
    host: str
    port: int
    url_of: dict[str, str]  # device -> path of its scrape
    cycles: list[tuple[float, float, int, int]] = field(default_factory=list)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(exporter: Exporter, path: str, timeout: float = 600) -> None:
    """Until the exporter answers (loading a big inventory takes a while); OSError if it died."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn = http.client.HTTPConnection(exporter.host, exporter.port, timeout=2)
            conn.request("GET", path)
            conn.getresponse().read()
            return
        except OSError:
            if exporter.process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def snmp_exporter_config(timeout: float) -> dict[str, object]:
    """snmp_exporter 0.21's (old) format: auth inside the module, numeric OIDs only."""
    lookup = [
        {"labels": ["ifIndex"], "labelname": "ifName", "oid": IF_NAME, "type": "DisplayString"}
    ]
    metrics: list[dict[str, object]] = [
        {"name": "sysUpTime", "oid": "1.3.6.1.2.1.1.3", "type": "gauge"},
        {"name": "sysName", "oid": "1.3.6.1.2.1.1.5", "type": "DisplayString"},
    ]
    for name, oid in IF_COLUMNS.items():
        kind = "counter" if "Octets" in name or "Errors" in name or "Discards" in name else "gauge"
        if name == "ifAlias":
            kind = "DisplayString"
        metrics.append(
            {
                "name": name,
                "oid": oid,
                "type": kind,
                "indexes": [{"labelname": "ifIndex", "type": "gauge"}],
                "lookups": lookup,
            }
        )
    return {
        "egovnet_if": {
            "version": 2,
            "auth": {"community": COMMUNITY},
            "max_repetitions": 25,
            "retries": 1,
            "timeout": f"{timeout:g}s",
            "get": ["1.3.6.1.2.1.1.3.0", "1.3.6.1.2.1.1.5.0"],
            "walk": sorted([*IF_COLUMNS.values(), IF_NAME]),
            "metrics": metrics,
        }
    }


_local = threading.local()


def scrape(host: str, port: int, path: str) -> tuple[int, bytes]:
    """One scrape on this thread's keep-alive connection, as Prometheus reuses its own."""
    conns: dict[int, http.client.HTTPConnection] = _local.__dict__.setdefault("conns", {})
    for attempt in (1, 2):
        conn = conns.get(port)
        if conn is None:
            conn = conns[port] = http.client.HTTPConnection(host, port, timeout=300)
        try:
            conn.request("GET", path, headers={"Accept-Encoding": "identity"})
            response = conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            conn.close()
            del conns[port]
            if attempt == 2:  # an idle keep-alive connection the server closed: retry once
                raise
    raise AssertionError("unreachable")


def run_cycle(
    exporter: Exporter, marker: bytes, pool: ThreadPoolExecutor
) -> tuple[float, float, int, int]:
    cpu0 = exporter.cpu_seconds()
    t0 = time.perf_counter()
    results = list(
        pool.map(lambda p: scrape(exporter.host, exporter.port, p), exporter.url_of.values())
    )
    wall = time.perf_counter() - t0
    cpu = exporter.cpu_seconds() - cpu0
    failed = sum(1 for status, _ in results if status != 200)
    series = sum(body.count(b"\n" + marker) for _, body in results)
    return wall, cpu, failed, series


@dataclass
class Result:
    name: str
    cpu_per_1000: float
    wall: float
    peak_mib: float
    failed: int
    series: int


class SnmpsimAgents:
    """snmpsim on loopback: one endpoint per device, the same recording behind each."""

    label = "snmpsim 1.2 (pure Python) on loopback"
    http_host = "127.0.0.1"

    def __init__(self, work: Path, count: int, interfaces: int) -> None:
        names = [f"GigabitEthernet0/0/{i}" for i in range(1, interfaces + 1)]
        recorded = [
            SimInterface(
                i + 1, n, in_octets=10**12 + 7919 * i, out_octets=10**11 + 104729 * i,
                in_errors=i, out_discards=2 * i, alias=f"至龙归镇上围村 {i}",
            )
            for i, n in enumerate(names)
        ]  # fmt: skip
        write_data(work / "data", COMMUNITY, device_snmprec("bench", 4242, recorded))
        self.devices = [
            SimDevice(f"dev{n:04d}", loopback_address(n), tuple(names), SNMP_PORT)
            for n in range(count)
        ]
        self._sim = Simulator(work / "data", [(d.address, SNMP_PORT) for d in self.devices], work)

    def command(self, argv: list[str]) -> list[str]:
        return argv

    def __enter__(self) -> SnmpsimAgents:
        print(f"starting snmpsim with {len(self.devices)} agents ...", flush=True)
        self._sim.start(COMMUNITY, timeout=120)
        return self

    def __exit__(self, *exc: object) -> None:
        self._sim.stop()


class SnmpdNamespace:
    """net-snmp's snmpd in a network namespace of the benchmark with ``interfaces`` veth
    ports, answering on every loopback address there (one per device, 127.4.100.x). The
    exporters run in the namespace too; the benchmark scrapes them over a veth pair on
    172.30.4.0/30 (the trap test of tests/integration uses 172.30.4.248/30)."""

    label = "net-snmp snmpd 5.9 (C) in a network namespace"
    HOST, INSIDE = "172.30.4.1", "172.30.4.2"
    http_host = INSIDE

    def __init__(self, work: Path, count: int, interfaces: int) -> None:
        if os.geteuid() != 0:
            raise SystemExit("--agent snmpd needs root (network namespaces)")
        self.ns = f"t4-bench-{os.getpid()}"
        self.host_end = f"t4bh{os.getpid() % 100000}"
        self.names = tuple(f"ge{i}" for i in range(1, interfaces + 1))
        self.devices = [
            SimDevice(f"dev{n:04d}", loopback_address(n), self.names, SNMP_PORT)
            for n in range(count)
        ]
        self._agent = NetSnmpAgent(
            work / "snmpd", ["0.0.0.0"], SNMP_PORT, community=COMMUNITY, netns=self.ns
        )

    def command(self, argv: list[str]) -> list[str]:
        return ["ip", "netns", "exec", self.ns, *argv]

    def _ip(self, *args: str, inside: bool = True) -> None:
        cmd = self.command(["ip", *args]) if inside else ["ip", *args]
        subprocess.run(cmd, check=True, capture_output=True)

    def __enter__(self) -> SnmpdNamespace:
        print(f"namespace {self.ns}: {len(self.names)} ports, {len(self.devices)} devices",
              flush=True)  # fmt: skip
        subprocess.run(["ip", "netns", "add", self.ns], check=True)
        try:
            end = self.host_end
            self._ip("link", "add", end, "type", "veth", "peer", "name", "mgmt0", inside=False)
            self._ip("link", "set", "mgmt0", "netns", self.ns, inside=False)
            self._ip("addr", "add", f"{self.HOST}/30", "dev", end, inside=False)
            self._ip("link", "set", end, "up", inside=False)
            self._ip("link", "set", "lo", "up")
            self._ip("addr", "add", f"{self.INSIDE}/30", "dev", "mgmt0")
            self._ip("link", "set", "mgmt0", "up")
            for a, b in zip(self.names[::2], self.names[1::2], strict=False):
                self._ip("link", "add", a, "type", "veth", "peer", "name", b)
            for name in self.names:
                self._ip("link", "set", name, "up")
            self._agent.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._agent.stop()
        subprocess.run(["ip", "netns", "del", self.ns], capture_output=True, check=False)
        subprocess.run(["ip", "link", "del", self.host_end], capture_output=True, check=False)


AGENTS: dict[str, type[SnmpsimAgents] | type[SnmpdNamespace]] = {
    "snmpsim": SnmpsimAgents,
    "snmpd": SnmpdNamespace,
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--agent", choices=sorted(AGENTS), default="snmpsim")
    ap.add_argument("--devices", type=int, default=200)
    ap.add_argument("--interfaces", type=int, default=48)
    ap.add_argument("--cycles", type=int, default=3, help="measured cycles per exporter")
    ap.add_argument("--parallel", type=int, default=50, help="scrapes in flight")
    ap.add_argument("--quick", action="store_true", help="20 devices, 2 cycles")
    ap.add_argument("--write-doc", action="store_true", help=f"update {DOC.relative_to(REPO)}")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up namespaces and agents
    if args.quick:
        args.devices, args.cycles = min(args.devices, 20), min(args.cycles, 2)
    exe = shutil.which("prometheus-snmp-exporter")
    if exe is None:
        print("prometheus-snmp-exporter is not installed (make setup)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="egovnet-bench-"))
    pool = ThreadPoolExecutor(args.parallel)
    try:
        agents = AGENTS[args.agent](work, args.devices, args.interfaces)
        with agents:
            results = measure(agents, work, exe, pool, args)
    finally:
        pool.shutdown()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    values_per_cycle = args.devices * (2 + len(IF_COLUMNS) * args.interfaces)
    table = render_table(results, args, values_per_cycle, agents.label)
    print(table)
    if args.write_doc:
        write_doc(table, args.agent)
        print(f"wrote {DOC.relative_to(REPO)}")
    return 0 if all(r.failed == 0 for r in results) else 1


def measure(
    agents: SnmpsimAgents | SnmpdNamespace,
    work: Path,
    exe: str,
    pool: ThreadPoolExecutor,
    args: argparse.Namespace,
) -> list[Result]:
    devices = agents.devices
    timeout = 20.0  # snmpsim is slow under load; a timeout would measure nothing
    write_inventory(work / "inventory", devices, port=SNMP_PORT, timeout_seconds=timeout)
    (work / "secrets.env").write_text(f"EGOVNET_SIM_COMMUNITY={COMMUNITY}\n")
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
    snmp_cfg = work / "snmp.yml"
    snmp_cfg.write_text(yaml.safe_dump(snmp_exporter_config(timeout), sort_keys=False))
    exporters: list[Exporter] = []
    host = agents.http_host
    try:
        egov_port, snmp_port = free_port(), free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("EGOVNET_")}
        egov = Exporter(
            "egovnet",
            subprocess.Popen(
                agents.command(
                    [sys.executable, "-m", "egovnet", "exporter", "--config.file", str(egov_cfg),
                     "--web.listen-address", f"{host}:{egov_port}", "--log.level", "warning"]
                ),
                cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                stderr=(work / "egovnet.log").open("wb"),
            ),
            host,
            egov_port,
            {d.name: f"/snmp?target={d.name}" for d in devices},
        )  # fmt: skip
        exporters.append(egov)
        snmp = Exporter(
            "snmp_exporter 0.21",
            subprocess.Popen(
                agents.command(
                    [exe, f"--config.file={snmp_cfg}", f"--web.listen-address={host}:{snmp_port}",
                     "--log.level=warn"]
                ),
                stdout=subprocess.DEVNULL, stderr=(work / "snmp_exporter.log").open("wb"),
            ),
            host,
            snmp_port,
            {d.name: f"/snmp?module=egovnet_if&target={d.address}:{d.port}" for d in devices},
        )  # fmt: skip
        exporters.append(snmp)
        for exp in exporters:
            try:
                wait_http(exp, "/metrics")
            except OSError:
                log = (work / ("egovnet.log" if exp is egov else "snmp_exporter.log")).read_text()
                raise SystemExit(f"{exp.name} did not start:\n{log[-3000:]}") from None
        markers = {
            egov.name: b"egovnet_interface_received_bytes_total{",
            snmp.name: b"ifHCInOctets{",
        }
        print("warm-up cycle for each (egovnet walks ifName once here) ...", flush=True)
        for exp in exporters:
            run_cycle(exp, markers[exp.name], pool)
        for cycle in range(args.cycles):
            for exp in exporters if cycle % 2 == 0 else reversed(exporters):
                wall, cpu, failed, series = run_cycle(exp, markers[exp.name], pool)
                exp.cycles.append((wall, cpu, failed, series))
                print(
                    f"cycle {cycle + 1} {exp.name:>20}: {wall:6.1f} s wall, {cpu:6.2f} s CPU,"
                    f" {failed} failed scrapes, {series} ifHCInOctets series",
                    flush=True,
                )
        # Values each exporter really exported: on snmpd, snmp_exporter also walks the
        # namespace's lo and mgmt0, which egovnet (polling only inventory ports) does not.
        return [
            Result(
                exp.name,
                sum(c[1] for c in exp.cycles)
                / sum(c[3] * len(IF_COLUMNS) + 2 * len(devices) for c in exp.cycles)
                * 1000,
                sum(c[0] for c in exp.cycles) / len(exp.cycles),
                exp.peak_rss_mib(),
                sum(c[2] for c in exp.cycles),
                min(c[3] for c in exp.cycles),
            )
            for exp in exporters
        ]
    finally:
        for exp in exporters:
            exp.stop()


def render_table(results: list[Result], args: argparse.Namespace, values: int, agent: str) -> str:
    egov, snmp = results[0], results[1]
    ratio = egov.cpu_per_1000 / snmp.cpu_per_1000 if snmp.cpu_per_1000 else float("nan")
    per_value = egov.cpu_per_1000 / 1000
    projected = 50_000 * (2 / args.interfaces + len(IF_COLUMNS)) * per_value
    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} CPUs, agent: {agent}:"
        f" {args.devices} devices x {args.interfaces} interfaces"
        f" ({values:,} SNMP values per cycle), {args.cycles} measured cycles per exporter,"
        f" alternating, {args.parallel} scrapes in flight.",
        "",
        "| exporter | CPU s per 1,000 values | wall s per cycle | peak RSS MiB"
        " | failed scrapes | ifHCInOctets series per cycle |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.cpu_per_1000:.4f} | {r.wall:.1f} | {r.peak_mib:.0f}"
            f" | {r.failed} | {r.series:,} |"
        )
    interfaces = args.devices * args.interfaces
    lines += [
        "",
        f"CPU ratio egovnet / snmp_exporter: **{ratio:.2f}x** (goal: at most 0.5x).",
        f"egovnet's CPU for a cycle of 50,000 interfaces at this rate: {projected:.1f} s.",
    ]
    if "snmpsim" in agent:
        lines.append(
            "The wall times are bound by snmpsim, a pure-Python agent on the same two cores,"
            " not by either exporter."
        )
    else:
        lines.append(
            f"A full cycle of {interfaces:,} interfaces took egovnet {egov.wall:.1f} s of wall"
            " time (goal for 50,000: within 60 s)."
        )
    return "\n".join(lines)


def write_doc(table: str, agent: str) -> None:
    begin, end = f"<!-- bench:snmp_poll:{agent}:begin -->", f"<!-- bench:snmp_poll:{agent}:end -->"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    block = f"{begin}\n{table}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
