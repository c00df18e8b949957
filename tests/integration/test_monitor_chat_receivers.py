"""Alerts to the chat channels of a Chinese NOC: the real Alertmanager and the real webhook
receiver (started by `egovnet monitor up` from an inventory with ``monitoring.receivers``),
sending to loopback stand-ins of the WeCom, DingTalk and Feishu APIs (tests/robot_standins.py),
which check each request as the vendor documents it: key or token, signature, schema, size
and rate. Alerts are posted to Alertmanager's own API, shaped as the shipped rules make them;
Alertmanager groups them per site (group_wait 1s, group_interval 2s here).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from inventory.catalog import Inventory
from inventory.loader import load_inventory
from inventory.secrets import SecretStore
from monitor.robots.deliver import read_deliveries, send_text
from monitor.stack import StackLayout, is_running, load_state
from tests.conftest import LAB_INVENTORY, run_egovnet
from tests.monitor_support import NetworkState, StandInExporter, free_port
from tests.robot_standins import SECRETS, Channels

pytestmark = pytest.mark.integration

T = TypeVar("T")
IN_ENVIRONMENT = ("EGOVNET_FEISHU_HOOK", "EGOVNET_FEISHU_SECRET")  # the rest: secrets.env
DING_WINDOW = (5, 4)  # messages per seconds: DingTalk's 20 a minute, shrunk for the test


@dataclass
class Noc:
    state_dir: Path
    alertmanager: str
    channels: Channels
    inventory: Inventory
    up_output: str
    inv_dir: Path
    env: dict[str, str]

    @property
    def layout(self) -> StackLayout:
        return StackLayout(self.state_dir)

    def explain(self) -> str:
        """What each channel got and refused, and the tail of the receivers' logs."""
        ch = self.channels
        lines = [f"{type(s).__name__}: got {[t[:40] for t in s.texts()]}, refused {s.rejected}"
                 for s in (ch.wecom, ch.dingtalk, ch.feishu)]  # fmt: skip
        lines.append(f"deliveries: {read_deliveries(self.layout.deliveries_file)}")
        for name in ("webhook", "alertmanager"):
            log = self.layout.log_dir / f"{name}.log"
            tail = log.read_text(errors="replace").splitlines()[-6:] if log.exists() else []
            lines.append(f"{name}.log: " + " | ".join(tail))
        return "\n".join(lines)

    def post_alerts(self, alerts: list[dict[str, Any]]) -> None:
        request = urllib.request.Request(
            f"{self.alertmanager}/api/v2/alerts",
            data=json.dumps(alerts, ensure_ascii=False).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200


def wait_for(
    what: str, check: Callable[[], T | None], timeout: float = 20.0, noc: Noc | None = None
) -> T:
    deadline = time.monotonic() + timeout
    while True:
        got = check()
        if got:
            return got
        if time.monotonic() > deadline:
            seen = f"\n{noc.explain()}" if noc else ""
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}{seen}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def noc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Noc]:
    root = tmp_path_factory.mktemp("robots")
    state_dir = root / "state"
    state_dir.mkdir()
    (state_dir / "secrets.env").write_text(
        "".join(f"{k}={v}\n" for k, v in SECRETS.items() if k not in IN_ENVIRONMENT)
    )
    env = {**os.environ, **{k: SECRETS[k] for k in IN_ENVIRONMENT}}
    env.pop("EGOVNET_SECRETS_FILE", None)
    inv_dir = root / "inv"
    shutil.copytree(LAB_INVENTORY, inv_dir)
    channels = Channels.standing_in(dingtalk_window=DING_WINDOW)
    (inv_dir / "monitoring.yaml").write_text(channels.receivers_yaml(), encoding="utf-8")
    inventory = load_inventory(inv_dir)
    ports = {name: free_port() for name in ("prometheus", "alertmanager", "webhook")}
    with channels, StandInExporter(NetworkState(inventory)) as exporter:
        up = run_egovnet(
            "monitor", "up", "-i", str(inv_dir), "--state-dir", str(state_dir),
            "--exporter-address", exporter.address,
            "--prometheus-port", str(ports["prometheus"]),
            "--alertmanager-port", str(ports["alertmanager"]),
            "--webhook-port", str(ports["webhook"]),
            "--group-wait", "1s", "--group-interval", "2s", "--json",
            env=env,
        )  # fmt: skip
        try:
            assert up.returncode == 0, up.stdout + up.stderr
            yield Noc(
                state_dir,
                f"http://127.0.0.1:{ports['alertmanager']}",
                channels,
                inventory,
                up.stdout + up.stderr,
                inv_dir,
                env,
            )
        finally:
            records = list(load_state(StackLayout(state_dir)).components.values())
            run_egovnet("monitor", "down", "--state-dir", str(state_dir), env=env)
            assert not [r.name for r in records if is_running(r)]


def alert(site: str, site_name: str, name: str, severity: str, **notes: str) -> dict[str, Any]:
    """An alert as the shipped rules make it (labels and annotations, Chinese beside English)."""
    return {
        "labels": {
            "alertname": name,
            "severity": severity,
            "district": "lab",
            "site": site,
            "site_name": site_name,
            "tier": "town",
        },
        "annotations": notes,
        "startsAt": datetime.now(UTC).isoformat(),
    }


def resolved(alerts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ended = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    return [{**a, "endsAt": ended} for a in alerts]


def longgui(site: str = "town-longgui", name: str = "龙归镇") -> list[dict[str, Any]]:
    return [
        alert(
            site, name, "LinkDown", "warning",
            summary=f"{name}: link core2-town1 is down",
            summary_zh=f"{name} 链路 core2-town1 中断 2 分钟",
            description_zh=f"服务 {name} 的接入链路 core2-town1（B 平面）运行中断。",
            runbook_url_zh="docs/runbooks/zh/link-down.md",
        ),
        alert(
            site, name, "RedundancyLost", "warning",
            summary=f"{name}: redundancy lost, running on one uplink",
            summary_zh=f"{name} 两条上联只剩一条：core2-town1 中断 3 分钟",
            runbook_url_zh="docs/runbooks/zh/redundancy-lost.md",
        ),
    ]  # fmt: skip


def about(texts: list[str], needle: str) -> list[str]:
    return [t for t in texts if needle in t]


def test_secrets_stay_out_of_files_output_and_logs_but_alertmanager_gets_its_own(
    noc: Noc,
) -> None:
    config = noc.layout.config_dir
    am_yaml = config / "alertmanager.yml"
    assert stat.S_IMODE(am_yaml.stat().st_mode) == 0o600, "it holds the WeCom corp secret"
    assert SECRETS["EGOVNET_WECOM_CORP_SECRET"] in am_yaml.read_text()
    robots = (config / "robots.json").read_text()
    assert "EGOVNET_DINGTALK_SECRET" in robots
    logs = [p.read_text(errors="replace") for p in noc.layout.log_dir.glob("*.log")]
    for value in SECRETS.values():
        assert value not in robots
        assert value not in noc.up_output
        assert not any(value in log for log in logs)
        for path in config.rglob("*"):
            if path.is_file() and path != am_yaml:
                assert value not in path.read_text(errors="replace"), path


def test_a_site_group_arrives_signed_in_chinese_on_every_channel_then_resolves(
    noc: Noc,
) -> None:
    ch = noc.channels
    alerts = longgui()
    noc.post_alerts(alerts)
    title = "【告警】龙归镇：2 条"

    def everywhere(title: str) -> bool:
        return all(
            about(texts, title)
            for texts in (
                [m.text for m in ch.wecom.robot_messages()],
                [m.text for m in ch.wecom.app_messages()],
                ch.dingtalk.texts(),
                ch.feishu.texts(),
            )
        )

    wait_for(f"{title} on every channel", lambda: everywhere(title), noc=noc)
    [wecom] = about([m.text for m in ch.wecom.robot_messages()], title)
    assert "**龙归镇 链路 core2-town1 中断 2 分钟**" in wecom
    assert "**龙归镇 两条上联只剩一条：core2-town1 中断 3 分钟**" in wecom
    assert "[处置手册](docs/runbooks/zh/redundancy-lost.md)" in wecom
    assert "is down" not in wecom, "a Chinese receiver reads the Chinese annotations"
    assert "<@zhangsan>" not in wecom, "warnings mention nobody"
    [app] = about([m.text for m in ch.wecom.app_messages()], title)
    assert "龙归镇 两条上联只剩一条" in app  # Alertmanager's own wechat, egovnet's template
    [card] = [m.body for m in ch.feishu.messages if title in m.text]
    assert card["msg_type"] == "interactive" and card["card"]["header"]["template"] == "red"
    [ding] = [m.body for m in ch.dingtalk.messages if title in m.text]
    assert ding["at"]["atMobiles"] == []
    noc.post_alerts(resolved(alerts))
    wait_for(
        "the resolved group on every channel",
        lambda: everywhere("【已恢复】龙归镇：2 条"),
        noc=noc,
    )
    [green] = [m.body for m in ch.feishu.messages if "【已恢复】龙归镇" in m.text]
    assert green["card"]["header"]["template"] == "green"
    assert ch.rejected() == [], "every request was signed and well-formed"


def test_a_critical_alert_mentions_the_on_call(noc: Noc) -> None:
    ch = noc.channels
    isolated = alert(
        "town-jiangwan", "江湾镇", "SiteIsolated", "critical",
        summary_zh="江湾镇 与政务外网失联（两条上联均中断）",
    )  # fmt: skip
    noc.post_alerts([isolated])
    title = "【告警】江湾镇：1 条"
    wait_for("SiteIsolated on the robots", lambda: all(
        about(texts, title)
        for texts in ([m.text for m in ch.wecom.robot_messages()], ch.dingtalk.texts(),
                      ch.feishu.texts())
    ), noc=noc)  # fmt: skip
    [wecom] = about([m.text for m in ch.wecom.robot_messages()], title)
    assert wecom.endswith("<@zhangsan>")
    [ding] = [m.body for m in ch.dingtalk.messages if title in m.text]
    assert ding["at"]["atMobiles"] == ["13800000000"]
    assert ding["markdown"]["text"].endswith("@13800000000")
    [card] = [m.text for m in ch.feishu.messages if title in m.text]
    assert "<at id=ou_7d8a6e6df7621556ce0d21922b676706></at>" in card
    app = wait_for("the WeCom application message", lambda: next(
        (m.body for m in ch.wecom.app_messages() if title in m.text), None
    ))  # fmt: skip
    assert "zhangsan" in app["touser"].split("|") and app["toparty"] == "2"
    noc.post_alerts(resolved([isolated]))


def test_a_storm_is_merged_to_the_rate_limit_never_dropped(noc: Noc) -> None:
    """Twelve towns at once: DingTalk (5 a window here) gets at most 5 per window, and
    every town is in a message."""
    ch = noc.channels
    towns = [f"storm-{n:02d}" for n in range(12)]
    storm = [
        alert(t, f"风暴镇{n:02d}", "LinkDown", "warning", summary_zh=f"风暴镇{n:02d} 链路中断")
        for n, t in enumerate(towns)
    ]
    noc.post_alerts(storm)

    def covered() -> bool:
        return all(about(ch.dingtalk.texts(), f"风暴镇{n:02d} 链路中断") for n in range(12))

    wait_for("every town in a DingTalk message", covered, timeout=30, noc=noc)
    stormy = [m for m in ch.dingtalk.messages if "风暴镇" in m.text]
    messages, window = DING_WINDOW
    stamps = sorted(m.at for m in ch.dingtalk.messages)
    for i, start in enumerate(stamps):
        assert len([s for s in stamps[i:] if s - start < window - 0.2]) <= messages
    assert len(stormy) < len(towns), "held messages were merged"
    assert any("等" in m.body["markdown"]["title"] for m in stormy)
    for n in range(12):  # each town once: merged, never repeated or dropped
        assert len(about(ch.dingtalk.texts(), f"风暴镇{n:02d} 链路中断")) == 1
    assert ch.rejected() == []
    noc.post_alerts(resolved(storm))


def test_a_failed_send_is_retried_and_a_lost_one_shows_in_status(noc: Noc) -> None:
    ch = noc.channels
    ch.feishu.fail_next = 2  # "system busy" twice, then accepted (retries: 3)
    ch.wecom.fail_always = True  # the robot never takes it (retries: 1)
    before = ch.feishu.requests
    alerts = longgui("town-shuangqiao", "双桥镇")
    noc.post_alerts(alerts)
    try:
        title = "【告警】双桥镇：2 条"
        wait_for("Feishu after two failures", lambda: about(ch.feishu.texts(), title), noc=noc)
        assert ch.feishu.requests - before >= 3

        def failed() -> dict[str, Any] | None:
            run = run_egovnet("monitor", "status", "--state-dir", str(noc.state_dir), "--json")
            report = json.loads(run.stdout)
            rows = {d["receiver"]: d for d in report["deliveries"]}
            wecom = rows.get("noc-wecom")
            lost = wecom and any(title in f["groups"] for f in wecom["failures"])
            return report if lost else None

        report = wait_for("the lost WeCom message in monitor status", failed, noc=noc)
        rows = {d["receiver"]: d for d in report["deliveries"]}
        [lost] = [f for f in rows["noc-wecom"]["failures"] if title in f["groups"]]
        assert lost["attempts"] == 2 and lost["error"] == "errcode -1: system busy"
        assert rows["noc-feishu"]["delivered"] >= 1
        assert any("noc-wecom" in p and "failed" in p for p in report["problems"])
        text = json.dumps(report, ensure_ascii=False)
        assert not any(v in text for v in SECRETS.values())
    finally:
        ch.wecom.fail_always = False
        noc.post_alerts(resolved(alerts))


def test_send_text_reaches_every_receiver_and_records_what_fails(noc: Noc, tmp_path: Path) -> None:
    ch = noc.channels
    env = {k: SECRETS[k] for k in IN_ENVIRONMENT}
    store = SecretStore(noc.state_dir / "secrets.env")
    receivers = noc.inventory.monitoring.receivers
    title, body = "武江区 政务外网日报", "- 达标站点 40/47\n- 上云率 83%\n- 未恢复告警 2 条"
    log = tmp_path / "deliveries.json"
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        ch.dingtalk.fail_always = True
        outcomes = send_text(receivers, title, body, secrets=store, log_file=log, timeout=5)
    finally:
        ch.dingtalk.fail_always = False
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert [o.receiver for o in outcomes] == [r.name for r in receivers]
    by_name = {o.receiver: o for o in outcomes}
    assert by_name["noc-dingtalk"].error == "errcode -1: system busy"
    assert all(by_name[n].ok for n in ("noc-wecom", "noc-feishu", "noc-wecom-app"))
    for texts in (
        [m.text for m in ch.wecom.robot_messages()],
        [m.text for m in ch.wecom.app_messages()],
        ch.feishu.texts(),
    ):
        [digest] = about(texts, "武江区 政务外网日报")
        assert "上云率 83%" in digest
    assert read_deliveries(log).receivers["noc-dingtalk"].failed == 1
    assert ch.rejected() == []


def test_the_daily_digest_is_sent_to_every_channel_in_its_language(noc: Noc) -> None:
    """`monitor digest --send`, as the timer `monitor config` writes runs it."""
    ch = noc.channels
    done = run_egovnet(
        "monitor", "digest", "--send", "--json", "-i", str(noc.inv_dir),
        "--state-dir", str(noc.state_dir), "--alertmanager-url", noc.alertmanager,
        env=noc.env,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    sent = json.loads(done.stdout)["sent"]
    assert [s["receiver"] for s in sent] == [r.name for r in noc.inventory.monitoring.receivers]
    assert all(s["ok"] for s in sent), sent
    languages = {r.name: r.language.value for r in noc.inventory.monitoring.receivers}
    heading = {"zh": "电子政务外网日报", "en": "E-government extranet daily digest"}
    for name, texts in (
        ("noc-wecom", [m.text for m in ch.wecom.robot_messages()]),
        ("noc-wecom-app", [m.text for m in ch.wecom.app_messages()]),
        ("noc-feishu", ch.feishu.texts()),
        ("noc-dingtalk", ch.dingtalk.texts()),
    ):
        digests = about(texts, heading[languages[name]])
        assert digests, f"{name} got no digest: {noc.explain()}"
        if languages[name] == "zh":
            assert "上云率" in digests[-1]
    assert ch.rejected() == []


def test_no_secret_reached_a_log_or_the_state_directory(noc: Noc) -> None:
    """After every test above (failures and retries included)."""
    am_yaml = noc.layout.config_dir / "alertmanager.yml"
    for path in noc.state_dir.rglob("*"):
        if not path.is_file() or path in {am_yaml, noc.state_dir / "secrets.env"}:
            continue
        text = path.read_text(errors="replace")
        for name, value in SECRETS.items():
            assert value not in text, f"{name} in {path}"


def test_what_the_rate_limit_still_holds_at_shutdown_is_recorded_not_lost(
    tmp_path: Path,
) -> None:
    """One DingTalk message a minute: the second waits; stopping the receiver records it."""
    from inventory.monitoring import AlertReceiver
    from monitor.payload import WebhookNotification
    from monitor.robots.deliver import DeliveryLog, RobotWorker
    from tests.robot_standins import DingTalkStandIn

    with DingTalkStandIn(
        token=SECRETS["EGOVNET_DINGTALK_TOKEN"],
        secret=SECRETS["EGOVNET_DINGTALK_SECRET"],
        per_window=1,
    ) as ding:
        robot = AlertReceiver.model_validate(
            {
                "name": "noc-dingtalk",
                "kind": "dingtalk_robot",
                "key_env": "EGOVNET_DINGTALK_TOKEN",
                "secret_env": "EGOVNET_DINGTALK_SECRET",
                "rate_limit": {"messages": 1, "per_seconds": 60},
                "base_url": ding.base_url,
            }
        )
        secrets = tmp_path / "secrets.env"
        secrets.write_text("".join(f"{k}={v}\n" for k, v in SECRETS.items()))
        log_file = tmp_path / "deliveries.json"
        worker = RobotWorker(robot, SecretStore(secrets), DeliveryLog(log_file))

        def offer(site: str, name: str) -> None:
            alert = {**longgui(site, name)[0], "status": "firing"}
            worker.offer(
                WebhookNotification.model_validate(
                    {"receiver": "noc-ticket", "status": "firing",
                     "commonLabels": {"site": site, "site_name": name}, "alerts": [alert]}
                )
            )  # fmt: skip

        offer("town-longgui", "龙归镇")
        wait_for("the first message", lambda: ding.messages)
        offer("town-jiangwan", "江湾镇")  # the minute's one message is spent: it waits
        time.sleep(0.5)
        worker.stop()
    assert [m.text.splitlines()[0] for m in ding.messages] == ["### 【告警】龙归镇：1 条"]
    state = read_deliveries(log_file).receivers["noc-dingtalk"]
    assert state.delivered == 1 and state.failed == 1
    [held] = state.failures
    assert held.groups == ["【告警】江湾镇：1 条"] and held.attempts == 0
    assert "stopped" in held.error
