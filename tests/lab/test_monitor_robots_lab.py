"""Issue 17's "done when" in the lab: a cut circuit arrives in the stand-in WeCom, DingTalk and
Feishu endpoints in Chinese, signed, grouped per site, and resolved after the repair.

`egovnet monitor up` runs the whole chain on the real lab (exporter polling the FRR devices,
Prometheus with the shipped rules, Alertmanager, the webhook receiver as the robots' adapter)
from a copy of the lab inventory whose ``monitoring.receivers`` point at loopback stand-ins
(tests/robot_standins.py: they check each vendor's signature, schema and size). The robots'
secrets come from the environment of `monitor up`, never from a file under git.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest

from tests.conftest import LAB_INVENTORY, run_egovnet
from tests.lab.conftest import SessionLab
from tests.monitor_support import free_port
from tests.robot_standins import SECRETS, Channels

pytestmark = pytest.mark.lab

T = TypeVar("T")
ALERT_WAIT = 150.0
SITE_NAME, LINK = "龙归镇", "core1-town1"  # town-longgui


def wait_for(what: str, check: Callable[[], T | None], channels: Channels) -> T:
    deadline = time.monotonic() + ALERT_WAIT
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > deadline:
            seen = {type(s).__name__: [t[:30] for t in s.texts()] for s in
                    (channels.wecom, channels.dingtalk, channels.feishu)}  # fmt: skip
            raise AssertionError(f"no {what} within {ALERT_WAIT:.0f}s; got {seen}")
        time.sleep(1)


@pytest.fixture(scope="module")
def channels(lab: SessionLab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Channels]:
    inv_dir = tmp_path_factory.mktemp("robots-lab") / "inv"
    shutil.copytree(LAB_INVENTORY, inv_dir)
    with Channels.standing_in() as channels:
        (inv_dir / "monitoring.yaml").write_text(channels.receivers_yaml(), encoding="utf-8")
        prom, am, exp, hook = (free_port() for _ in range(4))
        env = {**os.environ, **lab.env, **SECRETS}
        env.pop("EGOVNET_SECRETS_FILE", None)
        up = run_egovnet(
            "monitor", "up", "-i", str(inv_dir), "--state-dir", str(lab.state_dir),
            "--prometheus-port", str(prom), "--alertmanager-port", str(am),
            "--exporter-port", str(exp), "--webhook-port", str(hook),
            "--scrape-interval", "5s", "--evaluation-interval", "5s",
            "--alert-for-scale", "0.1",
            "--group-wait", "1s", "--group-interval", "5s", "--repeat-interval", "1h",
            "--json", env=env, timeout=120,
        )  # fmt: skip
        try:
            assert up.returncode == 0, up.stdout + up.stderr
            yield channels
        finally:
            down = run_egovnet("monitor", "down", "--state-dir", str(lab.state_dir), timeout=60)
            assert down.returncode == 0, down.stdout + down.stderr


def _bodies(channels: Channels, title: str) -> dict[str, str]:
    """The text each robot got under ``title`` (empty when one has not got it yet)."""
    got = {
        "wecom": [m.text for m in channels.wecom.robot_messages() if title in m.text],
        "wecom_app": [m.text for m in channels.wecom.app_messages() if title in m.text],
        "dingtalk": [t for t in channels.dingtalk.texts() if title in t],
        "feishu": [t for t in channels.feishu.texts() if title in t],
    }
    return {k: v[-1] for k, v in got.items() if v}


def test_a_cut_circuit_reaches_every_channel_in_chinese_and_resolves(
    lab: SessionLab, channels: Channels
) -> None:
    firing = f"【告警】{SITE_NAME}："
    summary = f"{SITE_NAME} 两条上联只剩一条"
    cut = time.monotonic()
    try:
        lab.link_down(LINK)
        got = wait_for(
            f"RedundancyLost for {SITE_NAME} on every channel",
            lambda: (b := _bodies(channels, firing)) and len(b) == 4
            and all(summary in t for t in b.values()) and b,
            channels,
        )  # fmt: skip
        print(f"\n{SITE_NAME} on all four channels {time.monotonic() - cut:.0f}s after the cut")
        for kind, text in got.items():
            assert "中断" in text, (kind, text)
            assert "redundancy lost" not in text, (kind, text)
            others = [n for n in ("江湾镇", "城区", "上围村") if n in text]
            assert not others, f"{kind}: one message per site, got {others} in it"
        assert "[处置手册](" in got["wecom"] and "[处置手册](" in got["dingtalk"]
    finally:
        repaired = time.monotonic()
        lab.link_up(LINK)
    done = f"【已恢复】{SITE_NAME}："
    wait_for(
        f"the resolved {SITE_NAME} group on every robot",
        lambda: (b := _bodies(channels, done)) and {"wecom", "dingtalk", "feishu"} <= set(b),
        channels,
    )
    print(f"resolved on the robots {time.monotonic() - repaired:.0f}s after the repair")
    green = [m.body for m in channels.feishu.messages if done in m.text]
    assert green[-1]["card"]["header"]["template"] == "green"
    assert channels.rejected() == [], "every request signed, well-formed and within the rate"
