"""Series of the metrics contract for a network state a test controls (NOC tests only).

Until the lab runs, the NOC tests need the exporter's answers for states they choose (a cut
circuit, a silent device, a saturated village). The label sets and the inventory series come
from the exporter's own code (``exporters.labels.LabelCatalog``, ``InventoryCollector``), so
only the *readings* are chosen here:

* :class:`NetworkState` holds link and device states and per-circuit utilisation; counters
  grow at the chosen rate from a start time.
* :class:`StandInExporter` serves it over HTTP exactly where Prometheus expects the egovnet
  exporter (``/snmp?target=DEVICE`` and ``/metrics``), on a loopback port.
* :func:`openmetrics_history` renders an hour of the same series with timestamps, for
  ``promtool tsdb create-blocks-from openmetrics``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from prometheus_client.registry import Collector

from bandwidth.store import BandwidthStore
from exporters.bandwidth import BandwidthCollector
from exporters.inventory_series import InventoryCollector
from exporters.labels import InterfaceInfo, LabelCatalog, render_labels
from inventory.catalog import Inventory
from inventory.models import Role


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class NetworkState:
    """What the network does right now, as the tests decide it."""

    inv: Inventory
    started: float = field(default_factory=time.time)
    down_links: set[str] = field(default_factory=set)
    silent_devices: set[str] = field(default_factory=set)
    utilisation: dict[str, float] = field(default_factory=dict)  # link -> share, towards site
    errors_per_second: dict[tuple[str, str], float] = field(default_factory=dict)
    bandwidth: BandwidthStore | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.catalog = LabelCatalog(self.inv)
        # Per link: (since, bytes towards the site counted before `since`, share since then),
        # so a changed utilisation bends the counter instead of making it jump.
        self._flows: dict[str, tuple[float, float, float]] = {}

    @property
    def polled_devices(self) -> list[str]:
        return [d.name for d in self.inv.devices if d.role is not Role.server]

    def cut(self, *links: str) -> None:
        with self.lock:
            self.down_links.update(links)

    def restore(self, *links: str) -> None:
        with self.lock:
            self.down_links.difference_update(links)

    def silence(self, device: str) -> None:
        with self.lock:
            self.silent_devices.add(device)

    def wake(self, device: str) -> None:
        with self.lock:
            self.silent_devices.discard(device)

    def load(self, link: str, share: float, at: float | None = None) -> None:
        """From ``at`` (now) on, carry ``share`` of the committed rate towards the site."""
        now = time.time() if at is None else at
        committed = self.inv.link(link).committed_mbps * 125_000.0
        with self.lock:
            self._flows[link] = (now, self._towards_site(link, committed, now), share)

    def _towards_site(self, link: str, committed: float, at: float) -> float:
        since, base, share = self._flows.get(
            link, (self.started, 0.0, self.utilisation.get(link, 0.05))
        )
        return base + committed * share * max(0.0, at - since)

    # --- samples ---------------------------------------------------------------------
    def device_samples(self, device: str, at: float) -> Iterator[tuple[str, str, float]]:
        """(metric, rendered labels, value) of one device's target at time ``at``."""
        with self.lock:
            silent = device in self.silent_devices
            down = set(self.down_links)
        yield "egovnet_device_up", self.catalog.device(device).text, 0.0 if silent else 1.0
        if silent:
            return
        for info in self.catalog.interfaces_of(device):
            yield from self._interface(info, down, at)

    def _interface(
        self, info: InterfaceInfo, down: set[str], at: float
    ) -> Iterator[tuple[str, str, float]]:
        text = info.labels.text
        link = info.link_id
        up = link is None or link not in down
        elapsed = max(0.0, at - self.started)
        # Counters keep counting across a cut: a counter that jumps back would read as a reset.
        committed = info.committed_bytes or 0.0
        with self.lock:
            towards_site = self._towards_site(link, committed, at) if link else 0.0
        from_site = 0.3 * towards_site
        at_site_end = info.labels.get("end") == "b"
        rx, tx = (towards_site, from_site) if at_site_end else (from_site, towards_site)
        key = (info.labels["device"], info.labels["interface"])
        errors = self.errors_per_second.get(key, 0.0) * elapsed
        yield "egovnet_interface_oper_up", text, 1.0 if up else 0.0
        yield "egovnet_interface_admin_up", text, 1.0
        yield "egovnet_interface_received_bytes_total", text, float(int(rx))
        yield "egovnet_interface_transmitted_bytes_total", text, float(int(tx))
        yield "egovnet_interface_receive_errors_total", text, float(int(errors))
        yield "egovnet_interface_transmit_errors_total", text, 0.0
        yield "egovnet_interface_speed_bytes", text, 1.25e9
        if info.committed_bytes is not None:
            yield "egovnet_circuit_committed_speed_bytes", text, info.committed_bytes
        if info.baseline_bytes is not None:
            yield "egovnet_circuit_baseline_speed_bytes", text, info.baseline_bytes
        if info.target_bytes is not None:
            yield "egovnet_circuit_target_speed_bytes", text, info.target_bytes

    def inventory_samples(self) -> Iterator[tuple[str, str, float]]:
        """The exporter's /metrics series: the plan, and the last bandwidth tests if kept."""
        collectors: list[Collector] = [InventoryCollector(self.inv)]
        if self.bandwidth is not None:
            collectors.append(BandwidthCollector(self.bandwidth))
        for collector in collectors:
            for family in collector.collect():
                for sample in family.samples:
                    yield sample.name, render_labels(dict(sample.labels)), float(sample.value)


def render_text(samples: Iterator[tuple[str, str, float]]) -> str:
    return "".join(f"{name}{labels} {value!r}\n" for name, labels, value in samples)


class StandInExporter:
    """Serves a :class:`NetworkState` where Prometheus expects the egovnet exporter."""

    def __init__(self, state: NetworkState) -> None:
        self.state = state
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path == "/snmp":
                    target = parse_qs(url.query).get("target", [""])[0]
                    if target not in state.polled_devices:
                        self.send_error(400, "unknown target")
                        return
                    body = render_text(state.device_samples(target, time.time()))
                elif url.path == "/metrics":
                    body = render_text(state.inventory_samples())
                else:
                    self.send_error(404)
                    return
                data = body.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def __enter__(self) -> StandInExporter:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def openmetrics_history(state: NetworkState, start: float, end: float, step: float = 15.0) -> str:
    """The series of ``state`` between ``start`` and ``end``, as Prometheus would have scraped
    them (``job``/``instance`` and the file_sd device labels included), in OpenMetrics."""
    series: dict[str, dict[str, list[tuple[float, float]]]] = {}
    stamps = [start + i * step for i in range(int((end - start) // step) + 1)]
    for device in state.polled_devices:
        extra = f'instance="{device}",job="egovnet-snmp"'
        for at in stamps:
            for name, labels, value in state.device_samples(device, at):
                key = "{" + extra + "," + labels[1:] if labels else "{" + extra + "}"
                series.setdefault(name, {}).setdefault(key, []).append((at, value))
    for at in stamps:
        for name, labels, value in state.inventory_samples():
            extra = 'instance="127.0.0.1:9516",job="egovnet-exporter"'
            key = "{" + extra + "," + labels[1:] if labels else "{" + extra + "}"
            series.setdefault(name, {}).setdefault(key, []).append((at, value))
    lines: list[str] = []
    for name, by_labels in series.items():
        for labels, points in by_labels.items():
            lines.extend(f"{name}{labels} {value!r} {at:.3f}" for at, value in points)
    return "\n".join(lines) + "\n# EOF\n"
