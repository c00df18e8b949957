"""One Alertmanager notification as a robot message, in Chinese (or English).

Alertmanager groups alerts per site (``group_by: [district, site]``), so one notification is
one :class:`Piece`: a title naming the site and whether it is firing or resolved, then one
line per alert from its ``summary_zh`` (falling back to ``summary``), its ``description_zh``
and a link to its Chinese runbook. Pieces held back by a robot's rate limit are merged into
one message (:func:`combine`). Each API then gets its own body: WeCom and DingTalk markdown,
a Feishu interactive card; critical alerts @-mention the on-call. A message longer than the
API allows (WeCom markdown: 4096 bytes of UTF-8) is cut at a line and says how many alerts
it left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from base.lang import Lang

from ..payload import WebhookAlert, WebhookNotification
from .signing import feishu_sign

# WeCom documents 4096 bytes of UTF-8 for a markdown message; DingTalk and Feishu are held to
# the same cap, which a phone screen of alerts never needs to exceed.
MARKDOWN_BYTES = 4096
#: Room kept for the heading and the mention around a piece's text.
FRAME_BYTES = 256
SEPARATOR = "\n\n---\n\n"


@dataclass(frozen=True)
class Piece:
    """What one message says: a title, markdown text, and whether the on-call is wanted."""

    title: str
    text: str
    critical: bool = False
    alerts: int = 0
    resolved: bool = False
    groups: tuple[str, ...] = ()  # the titles of the notifications merged into it


@dataclass(frozen=True)
class OnCall:
    """Whom a critical alert mentions: a WeCom user id, a DingTalk mobile, a Feishu open_id."""

    wecom_userid: str | None = None
    dingtalk_mobile: str | None = None
    feishu_open_id: str | None = None


_WORDS = {
    Lang.zh: {
        "firing": "告警",
        "resolved": "已恢复",
        "count": "{n} 条",
        "runbook": "处置手册",
        "more": "……另有 {n} 条未列出",
        "groups": "{title} 等 {n} 组",
    },
    Lang.en: {
        "firing": "FIRING",
        "resolved": "RESOLVED",
        "count": "{n} alert(s)",
        "runbook": "runbook",
        "more": "… {n} more not shown",
        "groups": "{title} (+{n} more groups)",
    },
}


def _note(notes: dict[str, str], key: str, lang: Lang) -> str | None:
    if lang is Lang.zh:
        return notes.get(f"{key}_zh") or notes.get(key)
    return notes.get(key)


def _site(notification: WebhookNotification) -> str:
    labels = notification.common_labels or notification.group_labels
    return labels.get("site_name") or labels.get("site") or "egovnet"


def title_of(notification: WebhookNotification, lang: Lang = Lang.zh) -> str:
    words = _WORDS[lang]
    state = words["resolved"] if notification.status == "resolved" else words["firing"]
    count = words["count"].format(n=len(notification.alerts))
    colon = "：" if lang is Lang.zh else ": "
    return f"【{state}】{_site(notification)}{colon}{count}"


def _line(alert: WebhookAlert, lang: Lang) -> list[str]:
    notes = alert.annotations
    mark = "✅" if alert.status == "resolved" else "🔴"
    summary = _note(notes, "summary", lang) or alert.labels.get("alertname", "")
    lines = [f"{mark} **{summary}**"]
    description = _note(notes, "description", lang)
    if description:
        lines.append(f"> {description}")
    runbook = _note(notes, "runbook_url", lang)
    if runbook:
        lines.append(f"[{_WORDS[lang]['runbook']}]({runbook})")
    return lines


def _critical_firing(notification: WebhookNotification) -> bool:
    return any(
        a.status == "firing" and a.labels.get("severity") == "critical" for a in notification.alerts
    )


def _fit(lines: list[str], limit_bytes: int) -> str:
    return "\n".join(lines) if len("\n".join(lines).encode()) <= limit_bytes else ""


def body_text(notification: WebhookNotification, limit_bytes: int, lang: Lang = Lang.zh) -> str:
    """One line group per alert within ``limit_bytes`` of UTF-8, cut between alerts."""
    more = _WORDS[lang]["more"]
    body: list[str] = []
    total = len(notification.alerts)
    for index, alert in enumerate(notification.alerts):
        candidate = body + _line(alert, lang)
        left = total - index - 1
        tail = [more.format(n=left)] if left else []
        if not _fit(candidate + tail, limit_bytes):
            body.append(more.format(n=total - index))
            break
        body = candidate
    return "\n".join(body)


def compose(
    notification: WebhookNotification,
    lang: Lang = Lang.zh,
    limit_bytes: int = MARKDOWN_BYTES - FRAME_BYTES,
) -> Piece:
    """The piece one notification makes."""
    return Piece(
        title=title_of(notification, lang),
        text=body_text(notification, limit_bytes, lang),
        critical=_critical_firing(notification),
        alerts=len(notification.alerts),
        resolved=notification.status == "resolved",
        groups=(title_of(notification, lang),),
    )


def combine(pieces: list[Piece], lang: Lang = Lang.zh) -> Piece:
    """Pieces a rate limit held back, as one (each under its own heading)."""
    if len(pieces) == 1:
        return pieces[0]
    title = _WORDS[lang]["groups"].format(title=pieces[0].title, n=len(pieces))
    text = SEPARATOR.join(f"#### {p.title}\n{p.text}" for p in pieces)
    return Piece(
        title=title,
        text=text,
        critical=any(p.critical for p in pieces),
        alerts=sum(p.alerts for p in pieces),
        resolved=all(p.resolved for p in pieces),
        groups=tuple(g for p in pieces for g in (p.groups or (p.title,))),
    )


def _markdown(piece: Piece, mention: str) -> str:
    parts = [f"### {piece.title}", piece.text] if piece.text else [f"### {piece.title}"]
    if mention:
        parts.append(mention)
    return "\n".join(parts)


def wecom_body(piece: Piece, on_call: str | None) -> dict[str, Any]:
    """A WeCom group robot markdown message (``<@userid>`` mentions inside the text)."""
    mention = f"<@{on_call}>" if piece.critical and on_call else ""
    return {"msgtype": "markdown", "markdown": {"content": _markdown(piece, mention)}}


def dingtalk_body(piece: Piece, on_call: str | None) -> dict[str, Any]:
    """A DingTalk robot markdown message; a mention needs the number in ``at`` and the text."""
    mobiles = [on_call] if piece.critical and on_call else []
    mention = f"@{on_call}" if mobiles else ""
    return {
        "msgtype": "markdown",
        "markdown": {"title": piece.title, "text": _markdown(piece, mention)},
        "at": {"atMobiles": mobiles, "isAtAll": False},
    }


def feishu_body(
    piece: Piece, on_call: str | None, secret: str | None, timestamp_s: int
) -> dict[str, Any]:
    """A Feishu/Lark interactive card (red when critical or firing, green when resolved)."""
    text = piece.text
    if piece.critical and on_call:
        text = f"{text}\n<at id={on_call}></at>"
    card = {
        "config": {"wide_screen_mode": True},
        "header": {
            "title": {"tag": "plain_text", "content": piece.title},
            "template": "green" if piece.resolved else "red",
        },
        "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": text}}],
    }
    message: dict[str, Any] = {"msg_type": "interactive", "card": card}
    if secret:
        message["timestamp"] = str(timestamp_s)
        message["sign"] = feishu_sign(secret, timestamp_s)
    return message


# --- one notification, straight to a body (what the unit tests and the digest share) ----


def wecom_message(notification: WebhookNotification, on_call: OnCall) -> dict[str, Any]:
    return wecom_body(compose(notification), on_call.wecom_userid)


def dingtalk_message(notification: WebhookNotification, on_call: OnCall) -> dict[str, Any]:
    return dingtalk_body(compose(notification), on_call.dingtalk_mobile)


def feishu_message(
    notification: WebhookNotification, secret: str | None, timestamp_s: int
) -> dict[str, Any]:
    return feishu_body(compose(notification), None, secret, timestamp_s)
