"""Simulated SNMP agents (snmpsim) for the integration tests and the benchmark.

:func:`device_snmprec` writes the recording of one device: SNMPv2-MIB system values and the
IF-MIB rows egovnet polls, with or without the 64-bit counters. :class:`Simulator` runs one
snmpsim process answering that data on any number of UDP endpoints (one per simulated
device) and stops it again. snmpsim is a test tool (``pip install egovnet[dev]``); nothing in
the exporter imports this module.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from gufo.snmp.sync import SnmpSession

from base.errors import CollectorError

from .oids import SYS_NAME, SYS_UPTIME, Column

# snmprec type tags
INTEGER, OCTETS, COUNTER32, GAUGE32, TIMETICKS, COUNTER64 = 2, 4, 65, 66, 67, 70


@dataclass(frozen=True)
class SimInterface:
    index: int
    name: str
    in_octets: int = 0
    out_octets: int = 0
    in_errors: int = 0
    out_errors: int = 0
    in_discards: int = 0
    out_discards: int = 0
    oper_up: bool = True
    admin_up: bool = True
    speed_mbps: int = 1000
    alias: str = ""


def device_snmprec(
    sys_name: str,
    uptime_ticks: int,
    interfaces: Sequence[SimInterface],
    *,
    hc_counters: bool = True,
) -> str:
    """One device's recording, records sorted by OID as snmpsim requires."""
    records: list[tuple[str, int, str]] = [
        (SYS_UPTIME, TIMETICKS, str(uptime_ticks)),
        (SYS_NAME, OCTETS, sys_name),
        ("1.3.6.1.2.1.1.1.0", OCTETS, "egovnet simulated agent"),
    ]
    for i in interfaces:
        x = i.index
        records += [
            (f"1.3.6.1.2.1.2.2.1.1.{x}", INTEGER, str(x)),
            (f"1.3.6.1.2.1.2.2.1.2.{x}", OCTETS, i.name),
            (f"{Column.admin_status.oid}.{x}", INTEGER, "1" if i.admin_up else "2"),
            (f"{Column.oper_status.oid}.{x}", INTEGER, "1" if i.oper_up else "2"),
            (f"{Column.in_octets.oid}.{x}", COUNTER32, str(i.in_octets % 2**32)),
            (f"{Column.in_discards.oid}.{x}", COUNTER32, str(i.in_discards)),
            (f"{Column.in_errors.oid}.{x}", COUNTER32, str(i.in_errors)),
            (f"{Column.out_octets.oid}.{x}", COUNTER32, str(i.out_octets % 2**32)),
            (f"{Column.out_discards.oid}.{x}", COUNTER32, str(i.out_discards)),
            (f"{Column.out_errors.oid}.{x}", COUNTER32, str(i.out_errors)),
            (f"1.3.6.1.2.1.31.1.1.1.1.{x}", OCTETS, i.name),
            (f"{Column.high_speed.oid}.{x}", GAUGE32, str(i.speed_mbps)),
            (f"{Column.alias.oid}.{x}", OCTETS, i.alias),
        ]
        if hc_counters:
            records += [
                (f"{Column.hc_in_octets.oid}.{x}", COUNTER64, str(i.in_octets)),
                (f"{Column.hc_out_octets.oid}.{x}", COUNTER64, str(i.out_octets)),
            ]
    records.sort(key=lambda r: tuple(int(p) for p in r[0].split(".")))
    return "".join(_record(oid, tag, value) for oid, tag, value in records)


def _record(oid: str, tag: int, value: str) -> str:
    if tag == OCTETS and (not value.isascii() or "|" in value or not value.isprintable()):
        return f"{oid}|{tag}x|{value.encode('utf-8').hex()}\n"  # UTF-8 names as hex
    return f"{oid}|{tag}|{value}\n"


def write_data(data_dir: Path, community: str, snmprec: str) -> Path:
    """Put a recording where snmpsim serves it for ``community`` (v2c)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"{community}.snmprec"
    path.write_text(snmprec, encoding="utf-8")
    return path


class _OwnProcess:
    """A daemon we started and own by its PID; a context manager that stops it on exit."""

    process: subprocess.Popen[bytes] | None = None

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 10 s: only the process this object started."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Simulator(_OwnProcess):
    """One snmpsim process serving ``data_dir`` on ``endpoints``; a context manager."""

    def __init__(
        self, data_dir: Path, endpoints: Sequence[tuple[str, int]], work_dir: Path
    ) -> None:
        self.data_dir = data_dir
        self.endpoints = list(endpoints)
        self.work_dir = work_dir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        if self.process is None:
            raise CollectorError("snmpsim is not running")
        return self.process.pid

    def start(self, community: str = "public", timeout: float = 60.0) -> None:
        exe = shutil.which("snmpsim-command-responder") or str(
            Path(sys.executable).parent / "snmpsim-command-responder"
        )
        cache = self.work_dir / "snmpsim-cache"
        cache.mkdir(parents=True, exist_ok=True)
        args_file = self.work_dir / "snmpsim.args"
        args = [
            "--v3-engine-id=auto",
            f"--data-dir={self.data_dir}",
            *(f"--agent-udpv4-endpoint={h}:{p}" for h, p in self.endpoints),
        ]
        args_file.write_text("\n".join(args) + "\n", encoding="utf-8")
        env = dict(os.environ)
        if os.geteuid() == 0:
            env["SNMPSIM_ALLOW_ROOT"] = "true"  # else it insists on dropping to a user
        log = (self.work_dir / "snmpsim.log").open("wb")
        self.process = subprocess.Popen(
            [exe, f"--cache-dir={cache}", f"--args-from-file={args_file}", "--log-level=error"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        log.close()
        self._wait_ready(community, timeout)

    def _wait_ready(self, community: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = [self.endpoints[0], self.endpoints[-1]]
        while pending:
            if self.process is not None and self.process.poll() is not None:
                tail = (self.work_dir / "snmpsim.log").read_text(errors="replace")[-2000:]
                raise CollectorError(f"snmpsim exited ({self.process.returncode}): {tail}")
            host, port = pending[0]
            try:
                with SnmpSession(host, port=port, community=community, timeout=0.5) as s:
                    s.get(SYS_UPTIME)
                pending.pop(0)
            except Exception:  # not up yet: timeouts, refused, half-read data
                if time.monotonic() > deadline:
                    self.stop()
                    raise CollectorError(f"snmpsim did not answer on {host}:{port}") from None
                time.sleep(0.2)


@dataclass(frozen=True)
class SimDevice:
    name: str
    address: str
    interfaces: tuple[str, ...]
    port: int | None = None  # None: the port given to write_inventory


def write_inventory(
    directory: Path,
    devices: Sequence[SimDevice],
    *,
    port: int,
    community_env: str = "EGOVNET_SIM_COMMUNITY",
    site_name: str = "模拟站点",
    timeout_seconds: float = 2.0,
    retries: int = 1,
) -> Path:
    """A valid inventory of simulated devices (one site, v2c) for tests and the benchmark."""
    import yaml  # only the simulator writes YAML

    directory.mkdir(parents=True, exist_ok=True)
    doc = {
        "profile": {"name": "simulated", "description": "snmpsim agents on loopback"},
        "policy": {"tiers": {"district_core": {}}},
        "snmp_profiles": [
            {
                "name": f"sim-v2c-{p}",
                "version": "v2c",
                "community_env": community_env,
                "port": p,
                "timeout_seconds": timeout_seconds,
                "retries": retries,
            }
            for p in sorted({d.port or port for d in devices} | {port})
        ],
        "sites": [{"id": "sim", "name": site_name, "tier": "district_core"}],
        "devices": [
            {
                "name": d.name,
                "site": "sim",
                "role": "core",
                "platform": "huawei_vrp",
                "mgmt_address": d.address,
                "snmp_profile": f"sim-v2c-{d.port or port}",
                "interfaces": [{"name": i} for i in d.interfaces],
            }
            for d in devices
        ],
    }
    path = directory / "inventory.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def loopback_address(n: int, base: int = 100) -> str:
    """The n-th (0-based) simulated device address: 127.4.<base + n // 250>.<1 + n % 250>."""
    return f"127.4.{base + n // 250}.{1 + n % 250}"


@dataclass(frozen=True)
class AgentUser:
    """An SNMPv3 user of a net-snmp agent (authPriv)."""

    name: str
    auth_protocol: str  # SHA, SHA-256, ...
    auth_key: str
    priv_protocol: str  # AES, ...
    priv_key: str


class NetSnmpAgent(_OwnProcess):
    """A real net-snmp ``snmpd`` on given addresses, optionally inside a network namespace.

    Persistent state goes to its own directory (snmpd rewrites an ``snmpd.conf`` there), the
    configuration is written fresh, and the process runs in the foreground under our PID so
    :meth:`stop` ends exactly it.
    """

    def __init__(
        self,
        work_dir: Path,
        addresses: Sequence[str],
        port: int,
        *,
        community: str | None = None,
        users: Sequence[AgentUser] = (),
        sys_name: str = "egovnet-test-agent",
        extra_config: Sequence[str] = (),
        netns: str | None = None,
    ) -> None:
        self.work_dir = work_dir
        self.addresses = list(addresses)
        self.port = port
        self.community = community
        self.users = list(users)
        self.sys_name = sys_name
        self.extra_config = list(extra_config)
        self.netns = netns
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def log_file(self) -> Path:
        return self.work_dir / "snmpd.log"

    def config(self) -> str:
        lines = [f"sysName {self.sys_name}", "sysServices 72"]
        if self.addresses:  # else extra_config says where to listen
            listen = ",".join(f"udp:{a}:{self.port}" for a in self.addresses)
            lines.insert(0, f"agentAddress {listen}")
        if self.community:
            lines.append(f"rocommunity {self.community} default")
        for u in self.users:
            lines.append(
                f"createUser {u.name} {u.auth_protocol} {u.auth_key} {u.priv_protocol} {u.priv_key}"
            )
            lines.append(f"rouser {u.name} authpriv")
        return "\n".join([*lines, *self.extra_config]) + "\n"

    def start(self, timeout: float = 15.0) -> None:
        exe = shutil.which("snmpd") or "/usr/sbin/snmpd"
        self.work_dir.mkdir(parents=True, exist_ok=True)
        conf = self.work_dir / "snmpd.conf"
        conf.write_text(self.config(), encoding="utf-8")
        state = self.work_dir / "persistent"
        state.mkdir(exist_ok=True)
        cmd = [
            exe, "-f", "-C", "-c", str(conf), "-p", str(self.work_dir / "snmpd.pid"),
            "-Lf", str(self.log_file), f"--persistentDir={state}", "-m", "",
        ]  # fmt: skip
        if self.netns:
            cmd = ["ip", "netns", "exec", self.netns, *cmd]
        self.process = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
                self.stop()
                raise CollectorError(f"snmpd did not start on {self.addresses}: {log[-1500:]}")
            time.sleep(0.1)

    def _answers(self) -> bool:
        if self.netns:  # not reachable from here necessarily: trust the log
            return self.log_file.exists() and "NET-SNMP version" in self.log_file.read_text()
        try:
            if self.community:
                with SnmpSession(
                    self.addresses[0], port=self.port, community=self.community, timeout=0.3
                ) as s:
                    s.get(SYS_UPTIME)
                return True
            return self.log_file.exists() and "NET-SNMP version" in self.log_file.read_text()
        except Exception:  # not up yet
            return False
