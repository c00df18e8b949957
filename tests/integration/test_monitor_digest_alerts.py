"""`egovnet monitor digest` asking a real Alertmanager and a real Prometheus for open alerts.

Alertmanager gets two alerts through its own API and one of them silenced: the digest lists
only the active one. With Alertmanager gone, a Prometheus evaluating an always-firing rule
answers instead. Both run from Debian's packages on loopback ports, started and stopped here.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor.health import http_ok, prometheus_alerts
from monitor.stack import ALERTMANAGER_BIN, PROMETHEUS_BIN
from tests.conftest import LAB_INVENTORY, run_egovnet
from tests.monitor_support import free_port

pytestmark = pytest.mark.integration

ALERTMANAGER_YML = "route: {receiver: nobody}\nreceivers: [{name: nobody}]\n"
PROMETHEUS_YML = "global: {evaluation_interval: 1s}\nrule_files: [rules.yml]\n"
RULES_YML = """groups:
  - name: digest
    rules:
      - alert: CircuitBelowPlanTarget
        expr: vector(1)
        labels: {severity: warning, site: town-jiangwan, site_name: 江湾镇}
        annotations:
          summary: "江湾镇: circuit core1-town2 below the 2025 target"
          summary_zh: "江湾镇 线路 core1-town2 低于 2025 年目标"
"""


def start(argv: list[str], ready: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while not http_ok(ready):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"{argv[0]} did not get ready: {log.read_text(errors='replace')[-800:]}")
        time.sleep(0.2)
    return proc


def serve(argv: list[str], work: Path) -> Iterator[str]:
    """Run one daemon on a free loopback port until the module is done; yield its URL."""
    address = f"127.0.0.1:{free_port()}"
    proc = start(
        [*argv, f"--web.listen-address={address}"], f"http://{address}/-/ready", work / "log"
    )
    try:
        yield f"http://{address}"
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def post(url: str, body: Any) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as resp:
        assert 200 <= resp.status < 300


@pytest.fixture(scope="module")
def alertmanager(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("am")
    (work / "alertmanager.yml").write_text(ALERTMANAGER_YML, encoding="utf-8")
    argv = [ALERTMANAGER_BIN, f"--config.file={work / 'alertmanager.yml'}",
            f"--storage.path={work / 'data'}", "--cluster.listen-address="]  # fmt: skip
    yield from serve(argv, work)


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("prom")
    (work / "prometheus.yml").write_text(PROMETHEUS_YML, encoding="utf-8")
    (work / "rules.yml").write_text(RULES_YML, encoding="utf-8")
    argv = [PROMETHEUS_BIN, f"--config.file={work / 'prometheus.yml'}",
            f"--storage.tsdb.path={work / 'data'}"]  # fmt: skip
    yield from serve(argv, work)


def digest(tmp_path: Path, alertmanager: str, prometheus: str) -> dict[str, Any]:
    done = run_egovnet(
        "monitor", "digest", "-i", str(LAB_INVENTORY), "--state-dir", str(tmp_path),
        "--alertmanager-url", alertmanager, "--prometheus-url", prometheus, "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_open_alerts_come_from_alertmanager_without_the_silenced(
    alertmanager: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    ends = (now + timedelta(hours=1)).isoformat()
    alerts = [
        {
            "labels": {"alertname": "RedundancyLost", "severity": "critical",
                       "site": "town-longgui", "site_name": "龙归镇"},
            "annotations": {"summary": "龙归镇: redundancy lost",
                            "summary_zh": "龙归镇 两条上联只剩一条：core2-town1 中断 3 分钟"},
            "startsAt": now.isoformat(), "endsAt": ends,
        },
        {
            "labels": {"alertname": "LinkDown", "severity": "warning",
                       "site": "vil-longgui-shangwei", "site_name": "上围村"},
            "annotations": {"summary": "上围村: link town1-vil1 is down"},
            "startsAt": now.isoformat(), "endsAt": ends,
        },
    ]  # fmt: skip
    post(f"{alertmanager}/api/v2/alerts", alerts)
    post(
        f"{alertmanager}/api/v2/silences",
        {
            "matchers": [{"name": "alertname", "value": "LinkDown", "isRegex": False}],
            "startsAt": now.isoformat(),
            "endsAt": ends,
            "createdBy": "test",
            "comment": "planned works at 上围村",
        },
    )
    deadline = time.monotonic() + 20
    while True:
        doc = digest(tmp_path, alertmanager, f"http://127.0.0.1:{free_port()}")
        names = [a["name"] for a in doc["alerts"]["alerts"]]
        if names == ["RedundancyLost"] or time.monotonic() > deadline:
            break
        time.sleep(0.5)  # Alertmanager marks a new silence within a moment
    assert doc["alerts"]["source"] == "alertmanager"
    assert names == ["RedundancyLost"]
    text = doc["markdown"]
    assert "**告警**：1 条未恢复（严重 1）" in text
    assert "- [严重] 龙归镇 两条上联只剩一条：core2-town1 中断 3 分钟" in text
    assert "上围村" not in text


def test_prometheus_answers_when_alertmanager_does_not(prometheus: str, tmp_path: Path) -> None:
    deadline = time.monotonic() + 20
    while not any(a.state == "firing" for a in prometheus_alerts(prometheus)):
        assert time.monotonic() < deadline, "the always-firing rule never fired"
        time.sleep(0.5)
    doc = digest(tmp_path, f"http://127.0.0.1:{free_port()}", prometheus)
    assert doc["alerts"]["reachable"] is True
    assert doc["alerts"]["source"] == "prometheus"
    assert "Connection refused" in doc["alerts"]["error"]
    assert "- [警告] 江湾镇 线路 core1-town2 低于 2025 年目标" in doc["markdown"]
