"""The exporter as a process for the integration tests: start, scrape, read, stop."""

from __future__ import annotations

import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import REPO


def free_udp_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@dataclass
class Running:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    trap_port: int

    def get(
        self,
        path: str,
        headers: dict[str, str] | None = None,
        context: ssl.SSLContext | None = None,
    ) -> tuple[int, str]:
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30, context=context) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode("utf-8")


def start_exporter(work: Path, *extra: str, trap_host: str = "127.4.0.1") -> Running:
    log = work / f"exporter-{len(list(work.glob('exporter-*.log')))}.log"
    trap_port = free_udp_port(trap_host)
    process = subprocess.Popen(
        [sys.executable, "-m", "egovnet", "exporter", "--config.file", str(work / "exporter.yml"),
         "--web.listen-address", "127.4.0.1:0", "--traps.listen-address",
         f"{trap_host}:{trap_port}", *extra],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=log.open("wb"),
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        found = re.search(r"serving (https?://\S+?)[,\s]", log.read_text(errors="replace"))
        if found:
            return Running(found.group(1), process, log, trap_port)
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"exporter did not start: {log.read_text()}")
        time.sleep(0.1)


def stop(running: Running) -> None:
    if running.process.poll() is None:
        running.process.terminate()
        try:
            running.process.wait(10)
        except subprocess.TimeoutExpired:
            running.process.kill()


def samples(text: str, name: str) -> list[tuple[dict[str, str], float]]:
    return [
        (s.labels, s.value)
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == name
    ]


def value(text: str, name: str, **labels: str) -> float:
    found = [v for lab, v in samples(text, name) if labels.items() <= lab.items()]
    assert len(found) == 1, (name, labels, found)
    return found[0]
