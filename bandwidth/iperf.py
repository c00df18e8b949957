"""iperf3 command lines and its ``--json`` report, parsed into typed records.

The throughput that counts is the *receiver's* (``end.sum_received``): what the far end
really got through the circuit, after TCP retransmissions.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from base.errors import BandwidthError

IPERF3 = "iperf3"


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TestStart(_Loose):
    protocol: str
    num_streams: int
    duration: float
    omit: float = 0
    reverse: int = 0


class ConnectingTo(_Loose):
    host: str
    port: int


class Start(_Loose):
    version: str | None = None
    connecting_to: ConnectingTo | None = None
    test_start: TestStart | None = None


class Sum(_Loose):
    seconds: float
    bytes: int
    bits_per_second: float
    retransmits: int | None = None


class End(_Loose):
    sum_sent: Sum | None = None
    sum_received: Sum | None = None


class IperfReport(_Loose):
    """The parts of ``iperf3 --json`` that bandwidth verification reads."""

    start: Start = Field(default_factory=Start)
    end: End = Field(default_factory=End)
    error: str | None = None

    @property
    def received_mbps(self) -> float:
        if self.end.sum_received is None:
            raise BandwidthError("iperf3 report has no receiver summary")
        return self.end.sum_received.bits_per_second / 1e6

    @property
    def retransmits(self) -> int:
        sent = self.end.sum_sent
        return (sent.retransmits or 0) if sent is not None else 0

    @property
    def seconds(self) -> float:
        got = self.end.sum_received
        return got.seconds if got is not None else 0.0


def parse_report(text: str, where: str = "iperf3") -> IperfReport:
    """Parse ``iperf3 --json`` output; a failed test (``"error"``) raises BandwidthError.

    iperf3 3.12 exits 0 even when it could not connect, so the JSON decides, not the status.
    """
    try:
        raw = json.loads(text)
    except ValueError as exc:
        first = text.strip().splitlines()[0] if text.strip() else "no output"
        raise BandwidthError(f"{where}: not iperf3 JSON output: {first}") from exc
    try:
        report = IperfReport.model_validate(raw)
    except ValidationError as exc:
        raise BandwidthError(f"{where}: unexpected iperf3 JSON: {exc.errors()[0]['msg']}") from exc
    if report.error:
        raise BandwidthError(f"{where}: {report.error}")
    if report.end.sum_received is None:
        raise BandwidthError(f"{where}: iperf3 report has no receiver summary")
    return report


@dataclass(frozen=True)
class IperfSpec:
    """How to run one measurement."""

    seconds: int = 5
    omit: int = 1  # skip TCP slow start
    port: int = 5201
    reverse: bool = False  # True: the server sends, i.e. towards the site
    bitrate: str | None = None  # cap, e.g. "40M" (iperf3 --bitrate)
    parallel: int = 1

    @property
    def timeout(self) -> float:
        return self.seconds + self.omit + 20.0


def client_argv(server: str, spec: IperfSpec, bind: str | None = None) -> list[str]:
    argv = [IPERF3, "--client", server, "--port", str(spec.port), "--json"]
    argv += ["--time", str(spec.seconds), "--omit", str(spec.omit)]
    argv += ["--parallel", str(spec.parallel), "--connect-timeout", "3000"]
    if spec.reverse:
        argv.append("--reverse")
    if spec.bitrate:
        argv += ["--bitrate", spec.bitrate]
    if bind:
        argv += ["--bind", bind]
    return argv


def server_argv(bind: str, port: int, pidfile: str | None = None) -> list[str]:
    """A one-off daemonised server: it exits after one test (or 60 s without one)."""
    argv = [IPERF3, "--server", "--one-off", "--daemon", "--bind", bind, "--port", str(port)]
    argv += ["--idle-timeout", "60"]
    if pidfile:
        argv += ["--pidfile", pidfile]
    return argv
