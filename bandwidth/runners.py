"""Where iperf3 runs. Every runner measures one circuit and returns iperf3's report.

* :class:`ServerRunner` (production): this machine (a probe at the site) runs the iperf3
  client against the server configured for each circuit (see ``servers``).
* :class:`DeviceRunner` (the lab): the server runs on the circuit's upstream (``a``) device,
  bound to its address on the circuit, and the client on the site's (``b``) device, bound to
  its own circuit address, so the test crosses exactly that circuit. It needs only a way to
  run a command on a device (:class:`DeviceExec`); the lab provides one (``lab.exec_in``),
  and :class:`NetnsExec` runs commands in network namespaces named after the devices.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from base.errors import BandwidthError
from inventory.catalog import Circuit

from .iperf import IPERF3, IperfReport, IperfSpec, client_argv, parse_report, server_argv
from .servers import Endpoint


class ThroughputRunner(Protocol):
    """Measures one circuit; raises BandwidthError when no measurement could be made."""

    def measure(self, circuit: Circuit, spec: IperfSpec) -> IperfReport: ...


@dataclass(frozen=True)
class ExecResult:
    returncode: int
    stdout: str
    stderr: str


class DeviceExec(Protocol):
    """Runs ``argv`` on a (lab) device and waits for it."""

    def __call__(self, device: str, argv: Sequence[str], timeout: float) -> ExecResult: ...


def _run(argv: Sequence[str], timeout: float) -> ExecResult:
    try:
        done = subprocess.run(
            list(argv), capture_output=True, text=True, timeout=timeout, check=False
        )
    except FileNotFoundError as exc:
        raise BandwidthError(f"{argv[0]} is not installed (Debian package iperf3)") from exc
    except subprocess.TimeoutExpired as exc:
        raise BandwidthError(f"{' '.join(argv[:3])} ... took longer than {timeout:.0f}s") from exc
    return ExecResult(done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class ServerRunner:
    """Production: iperf3 from here to the server configured for each circuit."""

    endpoints: Mapping[str, Endpoint]  # link id -> its server

    def measure(self, circuit: Circuit, spec: IperfSpec) -> IperfReport:
        endpoint = self.endpoints.get(circuit.link.id)
        if endpoint is None:
            raise BandwidthError(f"{circuit.link.id}: no iperf3 server configured for it")
        spec = replace(spec, port=endpoint.port)
        result = _run(client_argv(endpoint.server, spec, endpoint.bind), spec.timeout)
        where = f"{circuit.link.id}: iperf3 to {endpoint.server}:{endpoint.port}"
        return parse_report(result.stdout or result.stderr, where)


@dataclass(frozen=True)
class NetnsExec:
    """Runs commands in the network namespace of a device (``ip netns exec``)."""

    namespace_of: Callable[[str], str] = str

    def __call__(self, device: str, argv: Sequence[str], timeout: float) -> ExecResult:
        return _run(["ip", "netns", "exec", self.namespace_of(device), *argv], timeout)


@dataclass(frozen=True)
class DeviceRunner:
    """The lab: server on the circuit's upstream device, client on the site's device."""

    run_on: DeviceExec
    work_dir: Path
    connect_attempts: int = 10

    def measure(self, circuit: Circuit, spec: IperfSpec) -> IperfReport:
        link = circuit.link
        if link.a.address is None:
            raise BandwidthError(f"{link.id}: the upstream end has no address in the inventory")
        server = str(link.a.address.ip)
        where = f"{link.id}: iperf3 {link.b.device} -> {link.a.device} {server}:{spec.port}"
        self.work_dir.mkdir(parents=True, exist_ok=True)
        pidfile = self.work_dir / f"iperf3-server-{link.id}.pid"
        pidfile.unlink(missing_ok=True)
        started = self.run_on(link.a.device, server_argv(server, spec.port, str(pidfile)), 15)
        if started.returncode != 0:
            raise BandwidthError(f"{where}: server did not start: {started.stderr.strip()}")
        try:
            bind = str(link.b.address.ip) if link.b.address is not None else None
            return self._client(link.b.device, server, bind, spec, where)
        finally:
            _stop_server(pidfile)

    def _client(
        self, device: str, server: str, bind: str | None, spec: IperfSpec, where: str
    ) -> IperfReport:
        last: BandwidthError | None = None
        for _ in range(self.connect_attempts):  # the daemonised server may still be binding
            result = self.run_on(device, client_argv(server, spec, bind), spec.timeout)
            try:
                return parse_report(result.stdout or result.stderr, where)
            except BandwidthError as exc:
                if "Connection refused" not in str(exc):
                    raise
                last = exc
                time.sleep(0.3)
        assert last is not None
        raise last


def _stop_server(pidfile: Path) -> None:
    """End the one-off server if the test did not (only the PID iperf3 wrote for us)."""
    try:
        pid = int(pidfile.read_text().strip() or 0)
    except (OSError, ValueError):
        return
    finally:
        pidfile.unlink(missing_ok=True)
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return
    if pid > 0 and cmdline and Path(cmdline[0].decode(errors="replace")).name == IPERF3:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
