"""The README's ``make demo`` main job (``egovnet demo``) on the session's lab, end to end.

The demo brings the lab up itself; here it is pointed at the session's state directory, so
its ``lab up`` finds the lab running and keeps it. Every step must pass and the monitoring
it starts must answer; the test stops that stack and gives the legacy devices their v2c back
(the demo's push takes it away), so later modules see the lab as before.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request
from collections.abc import Iterator

import pytest

from tests.conftest import run_egovnet
from tests.lab.conftest import SessionLab
from tests.lab.snmp_access import give_v2c, legacy, wait_for

pytestmark = pytest.mark.lab

PROMETHEUS = "http://127.0.0.1:9090"
EXPORTER = "http://127.0.0.1:9516"


@pytest.fixture
def demo_env(lab: SessionLab) -> Iterator[dict[str, str]]:
    env = {**os.environ, **lab.env, "COLUMNS": "120"}
    try:
        yield env
    finally:
        run_egovnet("monitor", "down", "--state-dir", str(lab.state_dir), env=env)
        for device in legacy(lab):
            give_v2c(lab, device)


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as reply:  # loopback only
        return str(reply.read().decode("utf-8"))


def test_the_demo_runs_every_step_on_the_lab(lab: SessionLab, demo_env: dict[str, str]) -> None:
    done = run_egovnet("demo", "--state-dir", str(lab.state_dir), env=demo_env, timeout=600)
    out = done.stdout
    assert done.returncode == 0, out[-4000:] + done.stderr[-2000:]
    first = re.search(r"\b1/(\d+) Validate", out)
    assert first, out[:2000]
    total = int(first.group(1))
    assert out.count("done in") == total >= 10, out[-3000:]
    assert "16/16 links discovered" in out  # LLDP on every platform the lab runs
    # the diff, push and drift steps reached the emulated Huawei and H3C devices too
    for platform in ("huawei_vrp", "hp_comware"):
        assert out.count(platform) >= 4, (platform, out[-3000:])
    assert "The demo is running" in out and "Where to look" in out
    # what it started really runs: Prometheus scrapes the exporter, which polls the lab
    assert "device_up" in get(f"{EXPORTER}/snmp?target=core1")

    def scraped() -> bool:
        query = f"{PROMETHEUS}/api/v1/query?query=up"
        result = json.loads(get(query))["data"]["result"]
        return any(r["value"][1] == "1" for r in result)

    assert wait_for(scraped, 60), "Prometheus has no target up a minute after the demo"
