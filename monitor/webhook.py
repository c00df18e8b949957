"""A tiny Alertmanager webhook receiver that keeps every notification it gets, and the
adapter to the chat robots (WeCom, DingTalk, Feishu) Alertmanager has no integration for.

It stands where a pager or ticket system would: each POST to ``/alerts`` is appended, whole,
as one JSON line (with the time it arrived) to a file that tests and `egovnet monitor
notifications` read back. ``GET /-/ready`` answers 200, ``GET /notifications`` returns the
file as a list.

With ``--robots FILE`` (the inventory's robot receivers, written by `monitor up`; secrets
only by name), ``POST /robots/NAME`` hands the notification to that robot's outbox
(monitor/robots/deliver.py): rendered, signed, rate-limited by merging, retried, and every
outcome recorded in ``--deliveries FILE`` for `monitor status`. The reply comes at once, so
Alertmanager's own retry never sends a message twice.

Run: ``python -m monitor.webhook --web.listen-address 127.0.0.1:9095 --out FILE
[--robots robots.json --deliveries deliveries.json --secrets-file secrets.env]``
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from inventory.monitoring import AlertReceiver
from inventory.secrets import SecretStore

from .options import split_host_port
from .payload import WebhookAlert, WebhookNotification
from .robots.deliver import DeliveryLog, RobotWorker

__all__ = ["ReceivedNotification", "WebhookAlert", "WebhookNotification", "read_notifications"]

MAX_BODY = 8 * 1024 * 1024
ROBOTS_PATH = "/robots/"
_RECEIVERS = TypeAdapter(list[AlertReceiver])


def robots_text(receivers: list[AlertReceiver]) -> str:
    """The ``--robots`` file's text: the robot receivers, their secrets by name only."""
    return _RECEIVERS.dump_json([r for r in receivers if r.is_robot], indent=2).decode()


def read_robots(path: Path) -> list[AlertReceiver]:
    return _RECEIVERS.validate_json(path.read_bytes())


class ReceivedNotification(BaseModel):
    received_at: datetime
    path: str
    notification: WebhookNotification


def read_notifications(path: Path) -> list[ReceivedNotification]:
    """Every notification in the receiver's file, oldest first; lines it cannot read skipped."""
    out: list[ReceivedNotification] = []
    if not path.is_file():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            out.append(
                ReceivedNotification(
                    received_at=raw["received_at"],
                    path=raw.get("path", "/"),
                    notification=WebhookNotification.model_validate(raw["payload"]),
                )
            )
        except (ValueError, KeyError, TypeError, ValidationError):
            continue
    return out


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return  # Alertmanager retries on errors; a log line per POST adds nothing

    def _reply(self, code: int, body: bytes, content_type: str = "text/plain") -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path in {"/-/ready", "/-/healthy"}:
            self._reply(200, b"ok\n")
        elif self.path == "/notifications":
            payload = [json.loads(line) for line in self.server.lines()]
            body = json.dumps(payload, ensure_ascii=False).encode()
            self._reply(200, body, "application/json")
        else:
            self._reply(404, b"not found\n")

    def do_POST(self) -> None:
        worker: RobotWorker | None = None
        if self.path.startswith(ROBOTS_PATH):
            worker = self.server.robots.get(self.path.removeprefix(ROBOTS_PATH))
            if worker is None:
                self._reply(404, b"no such robot receiver\n")
                return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length <= 0 or length > MAX_BODY:
            self._reply(400, b"empty or oversized body\n")
            return
        try:
            payload = json.loads(self.rfile.read(length))
            notification = WebhookNotification.model_validate(payload)
        except (ValueError, ValidationError):
            self._reply(400, b"not an Alertmanager webhook payload\n")
            return
        if worker is not None:
            worker.offer(notification)
        else:
            self.server.append(self.path, payload)
        self._reply(200, b"ok\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], out: Path, robots: dict[str, RobotWorker] | None = None
    ) -> None:
        super().__init__(address, _Handler)
        self.out = out
        self.robots = robots or {}
        self.lock = threading.Lock()
        out.parent.mkdir(parents=True, exist_ok=True)

    def append(self, path: str, payload: Any) -> None:
        record = {"received_at": datetime.now(UTC).isoformat(), "path": path, "payload": payload}
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self.lock, self.out.open("a", encoding="utf-8") as fh:
            fh.write(line)

    def lines(self) -> list[str]:
        with self.lock:
            if not self.out.is_file():
                return []
            return [ln for ln in self.out.read_text(encoding="utf-8").splitlines() if ln.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Alertmanager webhook receiver (egovnet NOC).")
    parser.add_argument("--web.listen-address", dest="listen", default="127.0.0.1:9095")
    parser.add_argument("--out", type=Path, required=True, help="JSON-lines file to append to")
    parser.add_argument("--robots", type=Path, help="robot receivers (JSON, from `monitor up`)")
    parser.add_argument("--robots-digest", help="robots.json's digest (restarts on a change)")
    parser.add_argument("--deliveries", type=Path, help="state file of delivery outcomes")
    parser.add_argument("--secrets-file", type=Path, help="KEY=VALUE file (after the env)")
    args = parser.parse_args(argv)
    host, port = split_host_port(args.listen, "--web.listen-address")
    workers: dict[str, RobotWorker] = {}
    if args.robots is not None:
        log = DeliveryLog(args.deliveries)
        secrets = SecretStore(args.secrets_file)
        workers = {r.name: RobotWorker(r, secrets, log) for r in read_robots(args.robots)}
    server = _Server((host, port), args.out, workers)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        for worker in workers.values():
            worker.stop()


if __name__ == "__main__":
    main()
