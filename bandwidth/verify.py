"""`bandwidth test` as one function: choose where iperf3 runs, measure, keep the results.

Where iperf3 runs follows from the options: ``--servers FILE`` (a server per circuit) or
``--server HOST[:PORT]`` (one circuit) in production, else the lab's devices. Either way a lab
inventory's circuits are measured only while the lab's routes are up (``routeguard``), before
iperf3 could reach past this machine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from base.errors import BandwidthError, BandwidthInputError
from base.hostport import parse_host_port
from inventory.catalog import Circuit, Inventory
from routeguard.routes import RouteTarget, device_targets, require_lab_routes

from .assess import DEFAULT_TOLERANCE, BandwidthResult
from .iperf import IperfSpec
from .run import run_tests
from .runners import DeviceRunner, ExecResult, ServerRunner, ThroughputRunner
from .servers import Endpoint, load_servers
from .store import BandwidthStore

_LAB_HINT = ", or test against a real iperf3 server with --server HOST[:PORT]"


class LabExec:
    """Runs commands on the lab's devices (``lab.exec_in``), as a :class:`DeviceExec`."""

    def __init__(self, state_dir: Path) -> None:
        try:
            from lab import exec_in, load_state
        except ImportError:
            raise BandwidthError(
                "the lab does not provide exec_in; test against a real iperf3 server"
                " with --server HOST[:PORT]"
            ) from None
        running = load_state(state_dir)
        if running is None or running.status == "down":
            raise BandwidthInputError(
                f"no lab is up in state dir {state_dir}: run `egovnet lab up`, or test"
                " against a real iperf3 server with --server HOST[:PORT]"
            )
        self._exec_in = exec_in
        self.state_dir = state_dir

    def __call__(self, device: str, argv: Sequence[str], timeout: float) -> ExecResult:
        done: Any = self._exec_in(self.state_dir, device, list(argv), timeout=timeout)
        return ExecResult(int(done.returncode), str(done.stdout or ""), str(done.stderr or ""))


@dataclass(frozen=True)
class RunnerChoice:
    """Where iperf3 runs: ``server`` (HOST[:PORT]) or ``servers_file`` in production, else
    the lab; ``port`` is the iperf3 port where the server names none."""

    server: str | None = None
    servers_file: Path | None = None
    port: int = 5201


def choose_runner(
    inv: Inventory, circuits: Sequence[Circuit], choice: RunnerChoice, state_dir: Path
) -> tuple[ThroughputRunner, str]:
    """The runner for these circuits and the name results carry; refused (exit 2) when a
    lab inventory's traffic could leave this machine."""
    if choice.servers_file is not None:
        endpoints = load_servers(choice.servers_file, inv)
        _guard(inv, state_dir, [_server_target(c, endpoints.get(c.link.id)) for c in circuits])
        return ServerRunner(endpoints), f"servers in {choice.servers_file}"
    if choice.server is None:
        lab_exec = LabExec(state_dir)
        ends = [inv.device(name) for c in circuits for name in (c.link.a.device, c.link.b.device)]
        _guard(inv, state_dir, device_targets(ends), hint=_LAB_HINT)
        return DeviceRunner(lab_exec, state_dir / "bandwidth" / "run"), "lab"
    if len(circuits) != 1:
        raise BandwidthInputError(
            "--server: one server cannot tell circuits apart; name one circuit (--link LINK"
            " or a single-homed SITE) or give a server per circuit with --servers FILE"
        )
    try:
        host, port = parse_host_port(choice.server, default_port=choice.port)
    except ValueError:
        raise BandwidthInputError(f"--server: {choice.server!r} is not HOST or HOST:PORT") from None
    endpoint = Endpoint(server=host, port=port)
    _guard(inv, state_dir, [_server_target(circuits[0], endpoint)])
    return ServerRunner({circuits[0].link.id: endpoint}), f"iperf3 {choice.server}"


def _server_target(circuit: Circuit, endpoint: Endpoint | None) -> RouteTarget | None:
    if endpoint is None:
        return None
    return RouteTarget(f"the iperf3 server of {circuit.link.id}", endpoint.server)


def _guard(
    inv: Inventory, state_dir: Path, targets: Sequence[RouteTarget | None], hint: str = ""
) -> None:
    require_lab_routes(inv, [t for t in targets if t is not None], state_dir, hint=hint)


def check_bitrate(bitrate: str | None) -> None:
    """iperf3's ``--bitrate``: a number with an optional K, M or G (``40M``)."""
    if bitrate is not None and not bitrate.rstrip("KMGkmg").replace(".", "", 1).isdigit():
        raise BandwidthInputError(f"--bitrate: {bitrate!r} is not a rate such as 40M")


@dataclass(frozen=True)
class BandwidthRun:
    """One `bandwidth test`: the results in circuit order, where they ran, where they are."""

    results: list[BandwidthResult]
    runner_name: str
    store: BandwidthStore


def verify_circuits(
    inv: Inventory,
    circuits: Sequence[Circuit],
    choice: RunnerChoice,
    spec: IperfSpec,
    state_dir: Path,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    textfile: Callable[[BandwidthStore], str] | None = None,
    on_result: Callable[[BandwidthResult], None] | None = None,
) -> BandwidthRun:
    """Measure each circuit in turn and keep the results in ``state_dir`` (with ``textfile``,
    the metrics textfile too); ``on_result`` hears each result as it comes."""
    runner, runner_name = choose_runner(inv, circuits, choice, state_dir.resolve())
    results = run_tests(
        circuits, runner, spec, runner_name=runner_name, tolerance=tolerance, on_result=on_result
    )
    store = BandwidthStore(state_dir)
    store.record(results, textfile=textfile)
    return BandwidthRun(results=results, runner_name=runner_name, store=store)
