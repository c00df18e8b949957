"""A tiny Alertmanager webhook receiver that keeps every notification it gets.

It stands where a pager or ticket system would: each POST is appended, whole, as one JSON
line (with the time it arrived) to a file that tests and `egovnet monitor notifications`
read back. ``GET /-/ready`` answers 200, ``GET /notifications`` returns the file as a list.

Run: ``python -m monitor.webhook --web.listen-address 127.0.0.1:9095 --out FILE``
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

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .options import split_host_port

MAX_BODY = 8 * 1024 * 1024


class WebhookAlert(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    status: str
    labels: dict[str, str]
    annotations: dict[str, str] = Field(default_factory=dict)
    starts_at: datetime | None = Field(None, alias="startsAt")
    ends_at: datetime | None = Field(None, alias="endsAt")
    fingerprint: str | None = None


class WebhookNotification(BaseModel):
    """Alertmanager's webhook payload (version 4)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    receiver: str
    status: str
    alerts: list[WebhookAlert]
    group_labels: dict[str, str] = Field(default_factory=dict, alias="groupLabels")
    common_labels: dict[str, str] = Field(default_factory=dict, alias="commonLabels")
    group_key: str | None = Field(None, alias="groupKey")
    truncated_alerts: int = Field(0, alias="truncatedAlerts")

    @property
    def alert_names(self) -> list[str]:
        return sorted({a.labels.get("alertname", "") for a in self.alerts})


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
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0 or length > MAX_BODY:
            self._reply(400, b"empty or oversized body\n")
            return
        try:
            payload = json.loads(self.rfile.read(length))
            WebhookNotification.model_validate(payload)
        except (ValueError, ValidationError):
            self._reply(400, b"not an Alertmanager webhook payload\n")
            return
        self.server.append(self.path, payload)
        self._reply(200, b"ok\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], out: Path) -> None:
        super().__init__(address, _Handler)
        self.out = out
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
    args = parser.parse_args(argv)
    host, port = split_host_port(args.listen, "--web.listen-address")
    server = _Server((host, port), args.out)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
