"""The exporter: inventory + poller + trap receiver behind ``/``, ``/metrics`` and ``/snmp``.

``/snmp?target=DEVICE`` polls that device while Prometheus waits (snmp_exporter style; the
target may also be the device's management address). The answer holds the device and
interface series of docs/metrics.md (for huawei_vrp and hp_comware devices also their vendor
health, ``exporters.vendor_health``); the poll is cut at Prometheus' scrape timeout (its
``X-Prometheus-Scrape-Timeout-Seconds`` header) less ``scrape_timeout_offset_seconds``.
``/metrics`` holds the exporter's own health, the inventory series (with 上云率 from
``playbooks.migration.migration_metrics``), the trap series and, when the config names a
state directory, the last bandwidth test per circuit (``exporters.bandwidth``).
"""

from __future__ import annotations

import asyncio
import html
import logging
import resource
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from prometheus_client import generate_latest
from prometheus_client.registry import Collector

from collectors.linkstate import LinkEvent, LinkStateBook, TrapKind
from collectors.poller import Poller
from collectors.readings import DeviceReading, ErrorKind
from collectors.vendor_health import HEALTH_PLATFORMS
from collectors.vendor_health.poll import poll_health
from collectors.vendor_health.readings import HealthReading

from .devices import DeviceCollector
from .exposition import CONTENT_TYPE, render_collectors
from .health import ExporterHealth
from .interfaces import InterfaceCollector
from .server import HttpServer, Request, Response
from .state import ExporterState, ServeSettings
from .traps import TrapCollector
from .vendor_health import VendorHealthCollector

if TYPE_CHECKING:  # the serving process imports neither pydantic nor the inventory models
    from .webconfig import WebSecurity

log = logging.getLogger("egovnet.exporters")

VERSION = "0.1.0"
#: A device whose agent has no vendor health MIB is not walked for it again for this long
#: (a Huawei/H3C platform in the inventory behind a plain agent would double every scrape).
NO_HEALTH_MIB_RECHECK_SECONDS = 600.0


@dataclass
class Listening:
    url: str
    trap_address: tuple[str, int] | None


class Exporter:
    """Everything one exporter process serves; start with :meth:`start` inside a loop."""

    def __init__(self, state: ExporterState, security: WebSecurity | None = None) -> None:
        self.config = config = state.settings
        self.state = state
        self.catalog = state.catalog
        self.targets = state.targets
        self.poller = Poller(
            self.targets,
            max_concurrency=config.max_concurrency,
            varbinds_per_request=config.varbinds_per_request,
        )
        self.book = LinkStateBook()
        self.health = ExporterHealth(VERSION, len(self.targets))
        if config.state_dir is not None:
            from bandwidth.store import BandwidthStore  # pydantic: only with a state directory

            from .bandwidth import BandwidthCollector

            self.health.registry.register(BandwidthCollector(BandwidthStore(config.state_dir)))
        self.health.registry.register(state.inventory_series)
        self.health.registry.register(TrapCollector(self.book, self.catalog))
        self._by_address = state.by_address
        self.server = HttpServer(self.handle, security, self._count_response)
        self.trap_receiver: Any = None  # collectors.traps.TrapReceiver, imported on demand
        self._tasks: set[asyncio.Task[None]] = set()
        #: device -> (time.monotonic() to walk again, the reading that found no MIB)
        self._no_health_mib: dict[str, tuple[float, HealthReading]] = {}

    # --- lifecycle ---------------------------------------------------------------------
    async def start(self, host: str, port: int) -> Listening:
        _raise_file_limit(len(self.targets) + 256)
        bound = await self.server.start(host, port)
        trap_address = None
        if self.config.traps is not None:
            creds = list(self.state.trap_credentials)  # exporters.state: most used first
            from collectors.traps import TrapReceiver  # pysnmp: only when traps are wanted

            self.trap_receiver = TrapReceiver(self.config.traps.address, creds, self._on_trap)
            self.trap_receiver.start()
            trap_address = self.trap_receiver.address
        host_shown = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
        return Listening(f"{self.server.scheme}://{host_shown}:{bound[1]}", trap_address)

    async def close(self) -> None:
        if self.trap_receiver is not None:
            self.trap_receiver.close()
        for task in list(self._tasks):
            task.cancel()
        await self.server.close()
        self.poller.close()

    # --- HTTP --------------------------------------------------------------------------
    async def handle(self, request: Request) -> Response:
        if request.path == "/snmp":
            return await self._snmp(request)
        if request.path == "/metrics":
            body = generate_latest(self.health.registry)
            return Response(200, body, CONTENT_TYPE)
        if request.path == "/":
            return Response(200, self._landing().encode(), "text/html; charset=utf-8")
        return Response(404, b"Not Found\n")

    async def _snmp(self, request: Request) -> Response:
        target = request.query.get("target", "")
        device = target if self.poller.has(target) else self._by_address.get(target)
        if not target:
            return Response(400, b"'target' parameter must be specified once\n")
        if device is None or not self.poller.has(device):
            return Response(400, f"unknown target {target!r}\n".encode())
        timeout = _scrape_timeout(request, self.config)
        reading = await self.poll(device, timeout)
        left = None if timeout is None else max(0.1, timeout - reading.duration_seconds)
        health = await self.poll_health(device, left) if reading.ok else None
        return Response(200, self.render_snmp(reading, health), CONTENT_TYPE)

    async def poll(self, device: str, timeout: float | None = None) -> DeviceReading:
        """Poll through the shared poller, then account for it (health, trap book)."""
        reading = await self.poller.poll(device, timeout)
        self.health.polls.labels("ok" if reading.ok else "failed").inc()
        self.health.poll_seconds.observe(reading.duration_seconds)
        self.health.values.inc(reading.values)
        if self.book.states:  # the book tracks only links that sent a trap: usually none
            for iface in reading.interfaces:
                if iface.oper_up is not None:
                    self.book.record_poll(device, iface.name, iface.oper_up, reading.started_at)
        return reading

    async def poll_health(self, device: str, timeout: float | None) -> HealthReading | None:
        """The vendor health of a Huawei/H3C device (None for other platforms)."""
        platform = self.catalog.platform(device)
        if platform not in HEALTH_PLATFORMS:
            return None
        known = self._no_health_mib.get(device)
        if known is not None and known[0] > time.monotonic():
            return known[1]  # the same answer (health_up 0), without walking again
        reading = await poll_health(self.poller, device, platform, timeout)
        if reading.error is not None and reading.error.kind is ErrorKind.no_such_name:
            until = time.monotonic() + NO_HEALTH_MIB_RECHECK_SECONDS
            self._no_health_mib[device] = (until, reading)
        else:
            self._no_health_mib.pop(device, None)
        return reading

    def render_snmp(self, reading: DeviceReading, health: HealthReading | None = None) -> bytes:
        """The ``/snmp`` answer for one reading: fresh collectors, rendered at once."""
        collectors: list[Collector] = [
            DeviceCollector(reading, self.catalog, self.poller.error_counts(reading.device)),
            InterfaceCollector(reading, self.catalog),
        ]
        if health is not None:
            collectors.append(VendorHealthCollector(health, self.catalog))
        return render_collectors(collectors)

    def _count_response(self, request: Request, response: Response) -> None:
        path = request.path if request.path in {"/", "/metrics", "/snmp"} else "other"
        self.health.requests.labels(path, str(response.status)).inc()

    def _landing(self) -> str:
        rows = "\n".join(
            f"<tr><td><a href='/snmp?target={html.escape(d.device)}'>{html.escape(d.device)}</a>"
            f"</td><td>{html.escape(d.site_name)}</td>"
            f"<td>{html.escape(d.role)}</td><td>{d.address}</td></tr>"
            for d in self.state.landing
        )
        return (
            "<!doctype html><html><head><meta charset='utf-8'>"
            "<title>egovnet exporter</title></head><body>"
            "<h1>egovnet exporter (电子政务外网)</h1>"
            f"<p>inventory: {html.escape(self.state.profile)},"
            f" {len(self.targets)} targets. <a href='/metrics'>/metrics</a>"
            " (exporter health, inventory and trap series)</p>"
            "<form action='/snmp'><label>target <input name='target'></label>"
            " <input type='submit' value='poll'></form>"
            "<table><tr><th>device</th><th>site</th><th>role</th><th>address</th></tr>"
            f"{rows}</table></body></html>"
        )

    # --- traps -------------------------------------------------------------------------
    def _on_trap(self, event: LinkEvent) -> None:
        device = self._by_address.get(event.source)
        self.book.count(device or event.source, event.kind)
        if device is None or event.kind is TrapKind.other or event.oper_up is None:
            log.info("trap %s from %s (not a known device link event)", event.kind, event.source)
            return
        name = event.if_name
        if name is None and event.if_index is not None:
            name = self.poller.interface_name(device, event.if_index)
        if name is not None:
            self._record(device, name, event)
            return
        # ifIndex not known yet: a poll resolves the names (and reads the state anyway).
        task = asyncio.get_running_loop().create_task(self._resolve_then_record(device, event))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _resolve_then_record(self, device: str, event: LinkEvent) -> None:
        await self.poll(device)
        name = (
            self.poller.interface_name(device, event.if_index)
            if event.if_index is not None
            else None
        )
        if name is not None:
            self._record(device, name, event)
        else:
            log.info("trap %s from %s: ifIndex %s is not an inventory interface",
                     event.kind, device, event.if_index)  # fmt: skip

    def _record(self, device: str, interface: str, event: LinkEvent) -> None:
        assert event.oper_up is not None
        self.book.record_trap(device, interface, event.oper_up, event.received_at)
        log.info("trap %s: %s %s", event.kind, device, interface)


def _scrape_timeout(request: Request, config: ServeSettings) -> float | None:
    header = request.header("x-prometheus-scrape-timeout-seconds")
    if not header:
        return None
    try:
        seconds = float(header)
    except ValueError:
        return None
    return max(0.1, seconds - config.scrape_timeout_offset_seconds)


def _raise_file_limit(wanted: int) -> None:
    """One UDP socket per device: lift the soft descriptor limit toward the hard one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        new = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
