"""Each robot API in one place: its documented URL, rate limit, request and reply.

========  ======================================  ===============  ==========================
kind      request (base URL + path)               rate limit       reply that means success
========  ======================================  ===============  ==========================
WeCom     /cgi-bin/webhook/send?key=KEY           20 a minute      ``{"errcode": 0}``
DingTalk  /robot/send?access_token=T[&timestamp&  20 a minute      ``{"errcode": 0}``
          sign] (HMAC-SHA256, see signing)
Feishu    /open-apis/bot/v2/hook/T, timestamp     100 a minute     ``{"code": 0}``
          and sign in the JSON body
========  ======================================  ===============  ==========================

The WeCom *application* (``wecom_app``) is Alertmanager's own ``wechat_configs`` for alerts;
:func:`wecom_app_send` reaches the same API (gettoken, then message/send) for free text.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from inventory.monitoring import AlertReceiver, RateLimit, ReceiverKind

from .render import Piece, dingtalk_body, feishu_body, wecom_body
from .signing import dingtalk_query

MAX_REPLY = 64 * 1024


@dataclass(frozen=True)
class Api:
    kind: ReceiverKind
    base_url: str
    rate: RateLimit
    #: (base, key, secret, now) -> the URL to POST to
    url: Callable[[str, str, str | None, float], str]
    #: (piece, on_call, secret, now) -> the JSON body
    body: Callable[[Piece, str | None, str | None, float], dict[str, Any]]
    reply_code: str


def _wecom_url(base: str, key: str, secret: str | None, now: float) -> str:
    return f"{base}/cgi-bin/webhook/send?key={quote(key, safe='')}"


def _dingtalk_url(base: str, token: str, secret: str | None, now: float) -> str:
    url = f"{base}/robot/send?access_token={quote(token, safe='')}"
    return f"{url}&{dingtalk_query(secret, int(now * 1000))}" if secret else url


def _feishu_url(base: str, token: str, secret: str | None, now: float) -> str:
    return f"{base}/open-apis/bot/v2/hook/{quote(token, safe='')}"


APIS: dict[ReceiverKind, Api] = {
    ReceiverKind.wecom_robot: Api(
        ReceiverKind.wecom_robot,
        "https://qyapi.weixin.qq.com",
        RateLimit(messages=20, per_seconds=60),
        _wecom_url,
        lambda piece, on_call, secret, now: wecom_body(piece, on_call),
        "errcode",
    ),
    ReceiverKind.dingtalk_robot: Api(
        ReceiverKind.dingtalk_robot,
        "https://oapi.dingtalk.com",
        RateLimit(messages=20, per_seconds=60),
        _dingtalk_url,
        lambda piece, on_call, secret, now: dingtalk_body(piece, on_call),
        "errcode",
    ),
    ReceiverKind.feishu_robot: Api(
        ReceiverKind.feishu_robot,
        "https://open.feishu.cn",
        RateLimit(messages=100, per_seconds=60),
        _feishu_url,
        lambda piece, on_call, secret, now: feishu_body(piece, on_call, secret, int(now)),
        "code",
    ),
}
WECOM_APP_BASE = "https://qyapi.weixin.qq.com"


def base_url(receiver: AlertReceiver) -> str:
    default = (
        WECOM_APP_BASE if receiver.kind is ReceiverKind.wecom_app else APIS[receiver.kind].base_url
    )
    return (receiver.base_url or default).rstrip("/")


def rate_of(receiver: AlertReceiver) -> RateLimit:
    return receiver.rate_limit or APIS[receiver.kind].rate


class DeliveryFailed(Exception):
    """One attempt failed; the text never holds the URL (it carries the robot's key)."""


def post_json(url: str, body: dict[str, Any], timeout: float) -> dict[str, Any]:
    """POST ``body``; the API's JSON reply. Transport and HTTP errors are DeliveryFailed."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST")
    request.add_header("Content-Type", "application/json; charset=utf-8")
    return _exchange(request, timeout)


def _exchange(request: urllib.request.Request, timeout: float) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read(MAX_REPLY)
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise DeliveryFailed(f"cannot connect: {exc.reason}") from None
    except (TimeoutError, OSError) as exc:
        raise DeliveryFailed(f"no answer: {exc.__class__.__name__}") from None
    try:
        reply = json.loads(raw)
    except ValueError:
        raise DeliveryFailed("the reply is not JSON") from None
    if not isinstance(reply, dict):
        raise DeliveryFailed("the reply is not a JSON object")
    return reply


def check_reply(reply: dict[str, Any], code_field: str) -> None:
    """A non-zero ``errcode``/``code`` is a failure even with HTTP 200."""
    code = reply.get(code_field, reply.get("StatusCode", 0))
    if code not in (0, "0"):
        message = reply.get("errmsg") or reply.get("msg") or reply.get("StatusMessage") or ""
        raise DeliveryFailed(f"{code_field} {code}: {str(message)[:200]}")


def send_robot(
    receiver: AlertReceiver,
    piece: Piece,
    key: str,
    secret: str | None,
    timeout: float = 10.0,
) -> None:
    """One attempt at one robot; DeliveryFailed unless the API says it took the message."""
    api = APIS[receiver.kind]
    now = time.time()
    url = api.url(base_url(receiver), key, secret, now)
    reply = post_json(url, api.body(piece, receiver.on_call, secret, now), timeout)
    check_reply(reply, api.reply_code)


def wecom_app_send(
    receiver: AlertReceiver, piece: Piece, corp_secret: str, timeout: float = 10.0
) -> None:
    """A WeCom application message (gettoken, then message/send), as Alertmanager does it."""
    api = f"{base_url(receiver)}/cgi-bin/"
    query = urlencode({"corpid": receiver.corp_id or "", "corpsecret": corp_secret})
    token_reply = _exchange(urllib.request.Request(f"{api}gettoken?{query}"), timeout)
    check_reply(token_reply, "errcode")
    token = str(token_reply.get("access_token", ""))
    to_user = receiver.to_user or ("" if receiver.to_party else "@all")
    if piece.critical and receiver.on_call:
        to_user = "|".join(u for u in (to_user, receiver.on_call) if u and u != "@all") or "@all"
    body = {
        "touser": to_user,
        "toparty": receiver.to_party or "",
        "agentid": receiver.agent_id,
        "msgtype": "markdown",
        "markdown": {"content": f"### {piece.title}\n{piece.text}"},
    }
    reply = post_json(f"{api}message/send?access_token={quote(token, safe='')}", body, timeout)
    check_reply(reply, "errcode")
