"""One Alertmanager notification as a robot message, in Chinese.

Alertmanager groups alerts per site (``group_by: [site, ...]``), so one notification is one
message: a title naming the site and whether it is firing or resolved, then one line per alert
from its ``summary_zh`` (falling back to ``summary``), its ``description_zh`` and a link to its
Chinese runbook. Critical alerts @-mention the on-call. A message longer than the API allows
(WeCom markdown: 4096 bytes of UTF-8) is cut at a line and says how many alerts it left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..webhook import WebhookAlert, WebhookNotification
from .signing import feishu_sign

# WeCom documents 4096 bytes of UTF-8 for a markdown message; DingTalk and Feishu are held to
# the same cap, which a phone screen of alerts never needs to exceed.
MARKDOWN_BYTES = 4096


class RobotKind(StrEnum):
    wecom = "wecom"
    dingtalk = "dingtalk"
    feishu = "feishu"


@dataclass(frozen=True)
class OnCall:
    """Whom a critical alert mentions: a WeCom user id, a DingTalk mobile number."""

    wecom_userid: str | None = None
    dingtalk_mobile: str | None = None


def _site(notification: WebhookNotification) -> str:
    labels = notification.common_labels or notification.group_labels
    return labels.get("site_name") or labels.get("site") or "egovnet"


def _title(notification: WebhookNotification) -> str:
    state = "已恢复" if notification.status == "resolved" else "告警"
    return f"【{state}】{_site(notification)}：{len(notification.alerts)} 条"


def _line(alert: WebhookAlert) -> list[str]:
    notes = alert.annotations
    mark = "✅" if alert.status == "resolved" else "🔴"
    summary = notes.get("summary_zh") or notes.get("summary") or alert.labels.get("alertname", "")
    lines = [f"{mark} **{summary}**"]
    description = notes.get("description_zh") or notes.get("description")
    if description:
        lines.append(f"> {description}")
    runbook = notes.get("runbook_url_zh") or notes.get("runbook_url")
    if runbook:
        lines.append(f"[处置手册]({runbook})")
    return lines


def _critical_firing(notification: WebhookNotification) -> bool:
    return any(
        a.status == "firing" and a.labels.get("severity") == "critical" for a in notification.alerts
    )


def markdown(notification: WebhookNotification, limit_bytes: int, mention: str = "") -> str:
    """The message text within ``limit_bytes`` of UTF-8, cut between alerts if it must be."""
    head = [f"### {_title(notification)}"]
    tail = [mention] if mention else []
    body: list[str] = []
    for index, alert in enumerate(notification.alerts):
        candidate = body + _line(alert)
        left = len(notification.alerts) - index - 1
        more = [f"……另有 {left} 条未列出"] if left else []
        if len("\n".join(head + candidate + more + tail).encode()) > limit_bytes:
            omitted = len(notification.alerts) - index
            body.append(f"……另有 {omitted} 条未列出")
            break
        body = candidate
    return "\n".join(head + body + tail)


def wecom_message(notification: WebhookNotification, on_call: OnCall) -> dict[str, Any]:
    """A WeCom group robot markdown message (``<@userid>`` mentions inside the text)."""
    mention = ""
    if _critical_firing(notification) and on_call.wecom_userid:
        mention = f"<@{on_call.wecom_userid}>"
    text = markdown(notification, MARKDOWN_BYTES, mention)
    return {"msgtype": "markdown", "markdown": {"content": text}}


def dingtalk_message(notification: WebhookNotification, on_call: OnCall) -> dict[str, Any]:
    """A DingTalk robot markdown message; a mention needs the number in ``at`` and the text."""
    mobiles = []
    mention = ""
    if _critical_firing(notification) and on_call.dingtalk_mobile:
        mobiles = [on_call.dingtalk_mobile]
        mention = f"@{on_call.dingtalk_mobile}"
    return {
        "msgtype": "markdown",
        "markdown": {
            "title": _title(notification),
            "text": markdown(notification, MARKDOWN_BYTES, mention),
        },
        "at": {"atMobiles": mobiles, "isAtAll": False},
    }


def feishu_message(
    notification: WebhookNotification, secret: str | None, timestamp_s: int
) -> dict[str, Any]:
    """A Feishu/Lark interactive card (red when firing, green when resolved), signed."""
    firing = notification.status != "resolved"
    card = {
        "header": {
            "title": {"tag": "plain_text", "content": _title(notification)},
            "template": "red" if firing else "green",
        },
        "elements": [
            {
                "tag": "div",
                "text": {"tag": "lark_md", "content": markdown(notification, MARKDOWN_BYTES)},
            }
        ],
    }
    message: dict[str, Any] = {"msg_type": "interactive", "card": card}
    if secret:
        message["timestamp"] = str(timestamp_s)
        message["sign"] = feishu_sign(secret, timestamp_s)
    return message
