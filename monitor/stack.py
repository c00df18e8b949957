"""Starting, reloading and stopping the real NOC processes, and remembering their PIDs.

Each component runs detached (its own session, output to a log file under the state
directory) and is recorded in ``<state>/monitor/stack.json`` with its PID *and* its kernel
start time, so `down` ends only the processes this stack started, never a stranger that
later received the same PID. `up` is idempotent: a running component with the same command
line is kept (Prometheus and Alertmanager get SIGHUP to reload their regenerated config);
a changed one is restarted; a missing one is started.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field

from base.atomic import write_text
from base.errors import MonitorError
from base.procs import ProcessRecord, alive, reap, spawn_detached, stop

from .health import http_ok
from .options import split_host_port

PROMETHEUS_BIN = "/usr/bin/prometheus"
ALERTMANAGER_BIN = "/usr/bin/prometheus-alertmanager"
#: Components by kind, in start order; a numbered kind (``scraper-0``) sorts as its kind.
START_ORDER = (
    "webhook",
    "alertmanager",
    "exporter",
    "store",
    "scraper",
    "vmalert",  # after the scrapers: its first evaluation finds their data
    "prometheus",
)


def start_rank(name: str) -> tuple[int, int]:
    """Where a component starts: its kind's place in START_ORDER, then its number."""
    kind, _, number = name.partition("-")
    return START_ORDER.index(kind), int(number) if number.isdigit() else 0


def in_start_order(names: Iterable[str]) -> list[str]:
    return sorted(names, key=start_rank)


@dataclass(frozen=True)
class StackLayout:
    """Where the stack keeps config, data, logs and PIDs under the state directory."""

    state_dir: Path

    @property
    def root(self) -> Path:
        return self.state_dir / "monitor"

    @property
    def config_dir(self) -> Path:
        return self.root / "config"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_dir(self) -> Path:
        return self.root / "logs"

    @property
    def state_file(self) -> Path:
        return self.root / "stack.json"

    @property
    def notifications_file(self) -> Path:
        return self.root / "webhook" / "notifications.jsonl"

    @property
    def deliveries_file(self) -> Path:
        """What the robot receivers delivered and what failed (monitor/robots/deliver.py)."""
        return self.root / "webhook" / "deliveries.json"

    @property
    def robots_file(self) -> Path:
        return self.config_dir / "robots.json"  # monitor.generate.ROBOTS_FILE


@dataclass(frozen=True)
class ComponentSpec:
    name: str
    argv: tuple[str, ...]
    address: str  # HOST:PORT it listens on
    ready_path: str
    reloads_on_sighup: bool = False


class ComponentRecord(ProcessRecord):
    """A running component of the stack, as ``stack.json`` remembers it."""

    name: str
    address: str
    ready_path: str
    log: str
    started_at: datetime

    @property
    def ready_url(self) -> str:
        return f"http://{self.address}{self.ready_path}"


class StackState(BaseModel):
    components: dict[str, ComponentRecord] = Field(default_factory=dict)
    prometheus_url: str | None = None
    alertmanager_url: str | None = None


@dataclass(frozen=True)
class Outcome:
    name: str
    action: str  # started, kept, reloaded, restarted, stopped, not running
    pid: int | None


# --- specs ------------------------------------------------------------------------------


def prometheus_spec(layout: StackLayout, address: str) -> ComponentSpec:
    return ComponentSpec(
        name="prometheus",
        argv=(
            PROMETHEUS_BIN,
            f"--config.file={layout.config_dir / 'prometheus.yml'}",
            f"--storage.tsdb.path={layout.data_dir / 'prometheus'}",
            f"--web.listen-address={address}",
            f"--web.external-url=http://{address}/",
            "--web.enable-lifecycle",
            "--storage.tsdb.retention.time=15d",
        ),
        address=address,
        ready_path="/-/ready",
        reloads_on_sighup=True,
    )


def alertmanager_spec(layout: StackLayout, address: str) -> ComponentSpec:
    return ComponentSpec(
        name="alertmanager",
        argv=(
            ALERTMANAGER_BIN,
            f"--config.file={layout.config_dir / 'alertmanager.yml'}",
            f"--storage.path={layout.data_dir / 'alertmanager'}",
            f"--web.listen-address={address}",
            f"--web.external-url=http://{address}/",
            "--cluster.listen-address=",  # no gossip port: a single instance on loopback
        ),
        address=address,
        ready_path="/-/ready",
        reloads_on_sighup=True,
    )


def webhook_spec(
    layout: StackLayout,
    address: str,
    python: str,
    secrets_file: Path | None = None,
    robots_digest: str = "",
) -> ComponentSpec:
    """The receiver; with ``secrets_file``, also the adapter to the robots of robots.json
    (``robots_digest`` names its content, so a changed robots.json restarts the receiver)."""
    robots: tuple[str, ...] = ()
    if secrets_file is not None:
        robots = (
            f"--robots={layout.robots_file}",
            f"--robots-digest={robots_digest}",
            f"--deliveries={layout.deliveries_file}",
            f"--secrets-file={secrets_file}",
        )
    return ComponentSpec(
        name="webhook",
        argv=(
            python,
            "-m",
            "monitor.webhook",
            f"--web.listen-address={address}",
            f"--out={layout.notifications_file}",
            *robots,
        ),
        address=address,
        ready_path="/-/ready",
    )


def exporter_spec(argv: Sequence[str], address: str) -> ComponentSpec:
    return ComponentSpec(name="exporter", argv=tuple(argv), address=address, ready_path="/metrics")


# --- process identity -------------------------------------------------------------------

#: The recorded process still exists, is not a zombie, and is the one we started.
is_running = alive


def port_in_use(address: str) -> bool:
    host, port = split_host_port(address)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


# --- state file -------------------------------------------------------------------------


def load_state(layout: StackLayout) -> StackState:
    if not layout.state_file.is_file():
        return StackState()
    try:
        return StackState.model_validate_json(layout.state_file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise MonitorError(f"{layout.state_file}: unreadable stack state: {exc}") from exc


def save_state(layout: StackLayout, state: StackState) -> None:
    write_text(layout.state_file, state.model_dump_json(indent=2))


# --- start / stop -----------------------------------------------------------------------


def _log_tail(path: Path, lines: int = 8) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])


def _start(layout: StackLayout, spec: ComponentSpec, env: dict[str, str]) -> ComponentRecord:
    log_path = layout.log_dir / f"{spec.name}.log"
    layout.root.mkdir(parents=True, exist_ok=True)
    try:
        pid, ticks = spawn_detached(spec.argv, log_path, env, cwd=layout.root)
    except OSError as exc:
        raise MonitorError(f"cannot start {spec.name} ({spec.argv[0]}): {exc.strerror}") from exc
    return ComponentRecord(
        name=spec.name,
        pid=pid,
        start_ticks=ticks or 0,  # 0: it exited at once, and wait_ready says so with its log
        argv=list(spec.argv),
        address=spec.address,
        ready_path=spec.ready_path,
        log=str(log_path),
        started_at=datetime.now(UTC),
    )


def wait_ready(record: ComponentRecord, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_running(record):
            reap(record.pid)
            raise MonitorError(
                f"{record.name} exited during start-up; its log ({record.log}) ends: "
                f"{_log_tail(Path(record.log))}"
            )
        if http_ok(record.ready_url, timeout=1.0):
            return
        time.sleep(0.2)
    raise MonitorError(
        f"{record.name} did not become ready at {record.ready_url} within {timeout:.0f}s; "
        f"its log ({record.log}) ends: {_log_tail(Path(record.log))}"
    )


def stop_process(record: ComponentRecord, grace: float = 15.0) -> bool:
    """SIGTERM, then SIGKILL after ``grace`` seconds; only if it is still our process."""
    if not is_running(record):
        reap(record.pid)
        return False
    stop([record], grace=grace)
    return True


def bring_up(
    layout: StackLayout,
    specs: Sequence[ComponentSpec],
    *,
    urls: tuple[str, str],
    timeout: float = 30.0,
    env: dict[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Outcome]:
    """Make every component run as specified; on failure stop what this call started."""
    for d in (layout.data_dir / "prometheus", layout.data_dir / "alertmanager"):
        d.mkdir(parents=True, exist_ok=True)
    state = load_state(layout)
    state.prometheus_url, state.alertmanager_url = urls
    environment = dict(os.environ if env is None else env)
    ordered = sorted(specs, key=lambda s: start_rank(s.name))
    outcomes: list[Outcome] = []
    wanted = {s.name for s in specs}
    for name in [n for n in state.components if n not in wanted]:
        record = state.components.pop(name)
        stopped = stop_process(record)
        outcomes.append(Outcome(name, "stopped" if stopped else "not running", record.pid))
    started: list[ComponentRecord] = []
    try:
        for spec in ordered:
            if progress:
                progress(spec.name)
            current = state.components.get(spec.name)
            if current is not None and is_running(current):
                if current.argv == list(spec.argv):
                    action = "kept"
                    if spec.reloads_on_sighup:
                        os.kill(current.pid, signal.SIGHUP)
                        action = "reloaded"
                    wait_ready(current, timeout)
                    outcomes.append(Outcome(spec.name, action, current.pid))
                    continue
                stop_process(current)
                restarted = True
            else:
                restarted = False
            if port_in_use(spec.address):
                raise MonitorError(
                    f"{spec.address} is already in use by another program; "
                    f"choose another port for {spec.name}"
                )
            record = _start(layout, spec, environment)
            started.append(record)
            state.components[spec.name] = record
            save_state(layout, state)
            wait_ready(record, timeout)
            outcomes.append(Outcome(spec.name, "restarted" if restarted else "started", record.pid))
    except BaseException:
        for record in reversed(started):
            stop_process(record)
            state.components.pop(record.name, None)
        save_state(layout, state)
        raise
    save_state(layout, state)
    return outcomes


def bring_down(layout: StackLayout) -> list[Outcome]:
    """Stop every recorded component (newest first) and forget it."""
    state = load_state(layout)
    outcomes: list[Outcome] = []
    for name in reversed(in_start_order(state.components)):
        record = state.components.pop(name)
        stopped = stop_process(record)
        outcomes.append(Outcome(name, "stopped" if stopped else "not running", record.pid))
        save_state(layout, state)
    if layout.state_file.exists():
        save_state(layout, state)
    return outcomes
