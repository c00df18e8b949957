"""Robot messages for Chinese NOC groups (monitor/robots/): signatures as each API
documents them, Chinese text grouped per site within the size limit, rate limits by merging.

tests/integration/test_monitor_chat_receivers.py sends them through the real Alertmanager and the
webhook receiver to stand-ins of each API.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any
from urllib.parse import parse_qs, unquote_plus

import pytest

from base.lang import Lang
from monitor.robots.merge import MergingLimiter
from monitor.robots.render import (
    MARKDOWN_BYTES,
    OnCall,
    Piece,
    combine,
    compose,
    dingtalk_message,
    feishu_message,
    wecom_message,
)
from monitor.robots.signing import dingtalk_query, dingtalk_sign, feishu_sign
from monitor.webhook import WebhookNotification

pytestmark = pytest.mark.unit

SECRET = "SECtest-0123456789abcdef"  # a made-up robot secret

# As the promtool tests render them (exporters/rules/tests/alerts_link_down.yml and
# alerts_redundancy_lost.yml): one cut of 龙归镇's B plane, grouped per site by Alertmanager.
LONGGUI = {
    "receiver": "noc-ticket",
    "status": "firing",
    "groupLabels": {"site": "town-longgui"},
    "commonLabels": {"site": "town-longgui", "site_name": "龙归镇", "tier": "town"},
    "alerts": [
        {
            "status": "firing",
            "labels": {"alertname": "LinkDown", "severity": "warning", "site_name": "龙归镇"},
            "annotations": {
                "summary": "龙归镇: link core2-town1 is down",
                "summary_zh": "龙归镇 链路 core2-town1 中断 2 分钟",
                "description_zh": "服务 龙归镇（town-longgui，镇街）的接入链路 "
                "core2-town1（B 平面）有 2 端运行中断，而端口并未被管理性关闭（不是计划停机）。",
                "runbook_url_zh": "docs/runbooks/zh/link-down.md",
            },
        },
        {
            "status": "firing",
            "labels": {"alertname": "RedundancyLost", "severity": "warning", "site_name": "龙归镇"},
            "annotations": {
                "summary": "龙归镇: redundancy lost, running on one uplink",
                "summary_zh": "龙归镇 两条上联只剩一条：core2-town1 中断 3 分钟",
                "runbook_url_zh": "docs/runbooks/zh/redundancy-lost.md",
            },
        },
    ],
}


def notification(**changes: Any) -> WebhookNotification:
    return WebhookNotification.model_validate({**LONGGUI, **changes})


def test_dingtalk_signature_as_documented() -> None:
    ts = 1764630000123  # milliseconds
    query = parse_qs(dingtalk_query(SECRET, ts))
    assert query["timestamp"] == [str(ts)]
    expected = hmac.new(SECRET.encode(), f"{ts}\n{SECRET}".encode(), hashlib.sha256).digest()
    assert base64.b64decode(query["sign"][0]) == expected
    assert unquote_plus(dingtalk_sign(SECRET, ts)) == base64.b64encode(expected).decode()
    assert dingtalk_sign(SECRET, ts + 1) != dingtalk_sign(SECRET, ts)
    assert dingtalk_sign("other", ts) != dingtalk_sign(SECRET, ts)


def test_feishu_signature_is_in_the_body_and_keyed_by_timestamp_and_secret() -> None:
    ts = 1764630000  # seconds
    body = feishu_message(notification(), SECRET, ts)
    key = f"{ts}\n{SECRET}".encode()
    assert body["timestamp"] == str(ts)
    assert base64.b64decode(body["sign"]) == hmac.new(key, b"", hashlib.sha256).digest()
    assert body["sign"] == feishu_sign(SECRET, ts)
    assert "sign" not in feishu_message(notification(), None, ts)


def test_wecom_markdown_in_chinese_one_message_per_site() -> None:
    body = wecom_message(notification(), OnCall(wecom_userid="zhangsan"))
    assert body["msgtype"] == "markdown"
    text = body["markdown"]["content"]
    assert text.startswith("### 【告警】龙归镇：2 条\n")
    assert "**龙归镇 链路 core2-town1 中断 2 分钟**" in text
    assert "**龙归镇 两条上联只剩一条：core2-town1 中断 3 分钟**" in text
    assert "[处置手册](docs/runbooks/zh/redundancy-lost.md)" in text
    assert "is down" not in text
    assert "<@zhangsan>" not in text, "warnings mention nobody"


def test_critical_alerts_mention_the_on_call_and_resolved_ones_do_not() -> None:
    critical = [dict(a, labels={**a["labels"], "severity": "critical"}) for a in LONGGUI["alerts"]]
    on_call = OnCall(wecom_userid="zhangsan", dingtalk_mobile="13800000000")
    text = wecom_message(notification(alerts=critical), on_call)["markdown"]["content"]
    assert text.endswith("<@zhangsan>")
    ding = dingtalk_message(notification(alerts=critical), on_call)
    assert ding["at"] == {"atMobiles": ["13800000000"], "isAtAll": False}
    assert ding["markdown"]["text"].endswith("@13800000000")
    resolved = [dict(a, status="resolved") for a in critical]
    done = notification(alerts=resolved, status="resolved")
    text = wecom_message(done, on_call)["markdown"]["content"]
    assert text.startswith("### 【已恢复】龙归镇：2 条") and "<@" not in text
    assert feishu_message(done, None, 0)["card"]["header"]["template"] == "green"


def test_a_long_group_is_cut_within_the_limit_and_says_how_many_are_left_out() -> None:
    alerts = [
        {
            "status": "firing",
            "labels": {"alertname": "LinkDown", "severity": "warning"},
            "annotations": {"summary_zh": f"龙归镇 链路 town1-vil{n} 中断 {n} 分钟"},
        }
        for n in range(400)
    ]
    text = wecom_message(notification(alerts=alerts), OnCall())["markdown"]["content"]
    assert len(text.encode()) <= MARKDOWN_BYTES
    shown = text.count("**龙归镇 链路")
    assert 0 < shown < 400
    assert text.endswith(f"……另有 {400 - shown} 条未列出")


def test_english_annotations_are_the_fallback() -> None:
    bare = [{"status": "firing", "labels": {}, "annotations": {"summary": "only English"}}]
    assert (
        "**only English**"
        in wecom_message(notification(alerts=bare), OnCall())["markdown"]["content"]
    )


def piece(n: int, text: str = "") -> Piece:
    return Piece(title=f"m{n}", text=text or f"text {n}")


def test_rate_limit_by_merging_never_by_dropping() -> None:
    limiter = MergingLimiter(per_window=20)
    sent = [limiter.offer(piece(n), now=float(n)) for n in range(25)]
    assert sent[:20] == [[piece(n)] for n in range(20)]
    assert sent[20:] == [None] * 5
    assert limiter.next_slot(30.0) == 60.0  # the first send of the window ages out
    assert limiter.due(59.9) is None
    merged = limiter.due(60.0)
    assert merged == [piece(n) for n in range(20, 25)]
    assert limiter.due(61.0) is None and limiter.next_slot(61.0) is None


def test_a_merge_too_big_for_one_message_leaves_the_rest_for_the_next_slot() -> None:
    limiter = MergingLimiter(per_window=1, window=10.0)
    big = "长" * 500  # 1,500 bytes each: two fit in one message, not three
    assert limiter.offer(piece(0, big), now=0.0) == [piece(0, big)]
    for n in range(1, 6):
        assert limiter.offer(piece(n, big), now=float(n)) is None
    first, second, third = limiter.due(10.0), limiter.due(20.0), limiter.due(30.0)
    assert first == [piece(1, big), piece(2, big)]
    assert second == [piece(3, big), piece(4, big)]
    assert third == [piece(5, big)]
    merged = combine(first)
    assert merged.title == "m1 等 2 组" and "#### m1" in merged.text and "#### m2" in merged.text


def test_english_receivers_read_the_english_annotations() -> None:
    english = compose(notification(), Lang.en)
    assert english.title == "【FIRING】龙归镇: 2 alert(s)"
    assert "**龙归镇: link core2-town1 is down**" in english.text
    assert "中断" not in english.text
