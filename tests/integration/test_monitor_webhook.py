"""The stack's webhook receiver, as Alertmanager talks to it: a real process on loopback."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.health import http_ok
from monitor.webhook import read_notifications
from tests.monitor_support import free_port

pytestmark = pytest.mark.integration

PAYLOAD = {
    "version": "4",
    "receiver": "noc-ticket",
    "status": "firing",
    "groupKey": '{}:{district="lab", site="town-longgui"}',
    "groupLabels": {"district": "lab", "site": "town-longgui"},
    "commonLabels": {"site": "town-longgui", "site_name": "龙归镇"},
    "alerts": [
        {
            "status": "firing",
            "labels": {"alertname": "RedundancyLost", "site_name": "龙归镇"},
            "annotations": {"summary": "龙归镇: redundancy lost, running on one uplink"},
            "startsAt": "2025-06-01T08:00:00Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "fingerprint": "abc",
        }
    ],
}


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    out = tmp_path / "notifications.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor.webhook",
         f"--web.listen-address=127.0.0.1:{port}", f"--out={out}"],
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 15
        while not http_ok(url + "/-/ready", 0.5):
            assert proc.poll() is None and time.monotonic() < deadline, "receiver did not start"
            time.sleep(0.1)
        yield url, out
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def post(url: str, body: bytes) -> int:
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=5) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def test_keeps_every_notification_whole(receiver: tuple[str, Path]) -> None:
    url, out = receiver
    body = json.dumps(PAYLOAD, ensure_ascii=False).encode()
    assert post(url + "/alerts", body) == 200
    assert post(url + "/alerts", body) == 200
    got = read_notifications(out)
    assert len(got) == 2
    note = got[0].notification
    assert note.receiver == "noc-ticket"
    assert note.group_labels["site"] == "town-longgui"
    assert note.alerts[0].annotations["summary"] == "龙归镇: redundancy lost, running on one uplink"
    with urllib.request.urlopen(url + "/notifications", timeout=5) as resp:
        listed = json.loads(resp.read())
    assert [n["payload"]["receiver"] for n in listed] == ["noc-ticket", "noc-ticket"]


def test_refuses_what_is_not_an_alertmanager_payload(receiver: tuple[str, Path]) -> None:
    url, out = receiver
    assert post(url + "/alerts", b"not json") == 400
    assert post(url + "/alerts", b'{"receiver": "x"}') == 400
    assert read_notifications(out) == []
