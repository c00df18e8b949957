"""Loopback stand-ins for the chat APIs a Chinese NOC hears alerts in (NOC tests only).

One HTTP server per vendor, each checking what its documentation asks of a request and
answering the way the API does (HTTP 200 with a non-zero ``errcode``/``code`` on refusal):

* :class:`WeComStandIn` (qyapi.weixin.qq.com): group robots (``/cgi-bin/webhook/send?key=``,
  msgtype markdown <= 4096 bytes or text <= 2048 bytes) and applications (``/cgi-bin/gettoken``
  with the corp secret, then ``/cgi-bin/message/send?access_token=`` as Alertmanager's
  ``wechat_configs`` sends it).
* :class:`DingTalkStandIn` (oapi.dingtalk.com ``/robot/send``): access token, the HMAC-SHA256
  ``timestamp``/``sign`` query within an hour, msgtype markdown (title, text) or text, ``at``,
  and 20 messages a minute (or the window a test sets), errcode 130101 beyond it.
* :class:`FeishuStandIn` (open.feishu.cn ``/open-apis/bot/v2/hook/TOKEN``): ``timestamp`` and
  ``sign`` in the body, msg_type interactive (card header and elements) or text, 20 KB body.

Each keeps what it accepted (``messages``) and what it refused and why (``rejected``); a test
can make it fail the next N requests (``fail_next``) or all of them (``fail_always``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.monitor_support import free_port

FEISHU_BODY_BYTES = 20 * 1024
WECOM_MARKDOWN_BYTES = 4096
WECOM_TEXT_BYTES = 2048
DINGTALK_PER_MINUTE = 20


@dataclass
class Received:
    at: float
    path: str
    body: dict[str, Any]

    @property
    def text(self) -> str:
        """The message's human text, whatever the API's shape."""
        body = self.body
        kind = body.get("msgtype")  # WeCom and DingTalk; Alertmanager fills unused kinds empty
        if kind in {"markdown", "text"}:
            part = body.get(kind) or {}
            return str(part.get("content") or part.get("text") or "")
        card = body.get("card") or {}
        title = card.get("header", {}).get("title", {}).get("content", "")
        parts = [e.get("text", {}).get("content", "") for e in card.get("elements", [])]
        return "\n".join([title, *parts])


class Refused(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class StandIn:
    """One vendor's API on a loopback port."""

    window: float = 60.0
    per_window: int = 1000
    messages: list[Received] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    requests: int = 0
    fail_next: int = 0
    fail_always: bool = False
    code_field: str = "errcode"

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: deque[float] = deque()
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> StandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # what a vendor checks; subclasses fill these in
    def handle(self, method: str, path: str, query: dict[str, str], body: dict[str, Any]) -> Any:
        raise NotImplementedError

    def ok(self) -> dict[str, Any]:
        return {self.code_field: 0, "errmsg" if self.code_field == "errcode" else "msg": "ok"}

    def refused(self, code: int, message: str) -> dict[str, Any]:
        text = "errmsg" if self.code_field == "errcode" else "msg"
        return {self.code_field: code, text: message}

    def rate_check(self, code: int) -> None:
        now = time.monotonic()
        while self.sent and now - self.sent[0] >= self.window:
            self.sent.popleft()
        if len(self.sent) >= self.per_window:
            raise Refused(code, f"send too fast, exceed {self.per_window} times per window")
        self.sent.append(now)

    def accept(self, path: str, body: dict[str, Any]) -> None:
        self.messages.append(Received(time.time(), path, body))

    def texts(self) -> list[str]:
        with self.lock:
            return [m.text for m in self.messages]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _answer(self, method: str) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                with stand_in.lock:
                    stand_in.requests += 1
                    try:
                        if stand_in.fail_always or stand_in.fail_next > 0:
                            stand_in.fail_next = max(0, stand_in.fail_next - 1)
                            raise Refused(-1, "system busy")
                        body = json.loads(raw) if raw else {}
                        if len(raw) > FEISHU_BODY_BYTES * 4:
                            raise Refused(40058, "body too large")
                        reply = stand_in.handle(method, url.path, query, body)
                    except Refused as exc:
                        if exc.code != -1:
                            stand_in.rejected.append(f"{url.path}: {exc}")
                        reply = stand_in.refused(exc.code, str(exc))
                    except (ValueError, KeyError, TypeError, AttributeError) as exc:
                        stand_in.rejected.append(f"{url.path}: malformed: {exc!r}")
                        reply = stand_in.refused(40035, f"invalid request: {exc}")
                data = json.dumps(reply, ensure_ascii=False).encode()
                self.send_response(200)  # these APIs answer 200 and say in the body
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

        return Handler


def _require(condition: bool, code: int, message: str) -> None:
    if not condition:
        raise Refused(code, message)


def _string(node: Any, *keys: str) -> str:
    for key in keys:
        _require(isinstance(node, dict) and key in node, 40035, f"missing {'.'.join(keys)}")
        node = node[key]
    _require(isinstance(node, str) and node != "", 40035, f"{'.'.join(keys)} must be a string")
    assert isinstance(node, str)
    return node


@dataclass
class WeComStandIn(StandIn):
    """企业微信: group robots and applications."""

    key: str = ""
    corp_id: str = ""
    corp_secret: str = ""
    per_window: int = 20
    token: str = "egovnet-standin-token"

    def handle(self, method: str, path: str, query: dict[str, str], body: dict[str, Any]) -> Any:
        if path == "/cgi-bin/webhook/send":
            _require(method == "POST", 40035, "POST only")
            _require(query.get("key") == self.key, 93000, "invalid webhook url (key)")
            self.rate_check(45009)
            self._robot_schema(body)
            self.accept(path, body)
            return self.ok()
        if path == "/cgi-bin/gettoken":
            _require(query.get("corpid") == self.corp_id, 40013, "invalid corpid")
            _require(query.get("corpsecret") == self.corp_secret, 40001, "invalid credential")
            return {"errcode": 0, "errmsg": "ok", "access_token": self.token, "expires_in": 7200}
        if path == "/cgi-bin/message/send":
            _require(query.get("access_token") == self.token, 40014, "invalid access_token")
            _require(bool(body.get("agentid")), 40056, "invalid agentid")
            _require(bool(body.get("touser") or body.get("toparty")), 40031, "no recipient")
            kind = body.get("msgtype")
            _require(kind in {"text", "markdown"}, 40008, f"invalid message type {kind!r}")
            content = _string(body, str(kind), "content")
            _require(len(content.encode()) <= WECOM_TEXT_BYTES * 2, 45002, "content too long")
            self.accept(path, body)
            return self.ok()
        raise Refused(404, f"no such API {path}")

    def _robot_schema(self, body: dict[str, Any]) -> None:
        kind = body.get("msgtype")
        _require(kind in {"text", "markdown"}, 40008, f"invalid message type {kind!r}")
        content = _string(body, str(kind), "content")
        limit = WECOM_MARKDOWN_BYTES if kind == "markdown" else WECOM_TEXT_BYTES
        _require(len(content.encode()) <= limit, 40058, f"content exceeds {limit} bytes")

    def robot_messages(self) -> list[Received]:
        with self.lock:
            return [m for m in self.messages if m.path == "/cgi-bin/webhook/send"]

    def app_messages(self) -> list[Received]:
        with self.lock:
            return [m for m in self.messages if m.path == "/cgi-bin/message/send"]


@dataclass
class DingTalkStandIn(StandIn):
    """钉钉 custom robot with 加签."""

    token: str = ""
    secret: str = ""
    per_window: int = DINGTALK_PER_MINUTE

    def handle(self, method: str, path: str, query: dict[str, str], body: dict[str, Any]) -> Any:
        _require(path == "/robot/send" and method == "POST", 404, f"no such API {path}")
        _require(query.get("access_token") == self.token, 300001, "token is not exist")
        stamp, sign = query.get("timestamp", ""), query.get("sign", "")
        _require(stamp.isdigit(), 310000, "sign not match: no timestamp")
        _require(abs(time.time() * 1000 - int(stamp)) < 3_600_000, 310000, "timestamp expired")
        digest = hmac.new(self.secret.encode(), f"{stamp}\n{self.secret}".encode(), "sha256")
        # parse_qs already URL-decoded the sign
        _require(sign == base64.b64encode(digest.digest()).decode(), 310000, "sign not match")
        self.rate_check(130101)
        kind = body.get("msgtype")
        _require(kind in {"text", "markdown"}, 40035, f"invalid msgtype {kind!r}")
        if kind == "markdown":
            _string(body, "markdown", "title")
            _string(body, "markdown", "text")
        else:
            _string(body, "text", "content")
        at = body.get("at", {})
        _require(isinstance(at.get("atMobiles", []), list), 40035, "at.atMobiles must be a list")
        self.accept(path, body)
        return self.ok()


@dataclass
class FeishuStandIn(StandIn):
    """飞书 custom bot with signature verification."""

    token: str = ""
    secret: str = ""
    per_window: int = 100
    code_field: str = "code"

    def handle(self, method: str, path: str, query: dict[str, str], body: dict[str, Any]) -> Any:
        _require(path == f"/open-apis/bot/v2/hook/{self.token}", 19001, "param invalid: token")
        stamp, sign = str(body.get("timestamp", "")), str(body.get("sign", ""))
        _require(stamp.isdigit() and abs(time.time() - int(stamp)) < 3600, 19021, "sign expired")
        key = f"{stamp}\n{self.secret}".encode()
        expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
        _require(sign == expected, 19021, "sign match fail or timestamp is not within one hour")
        size = len(json.dumps(body, ensure_ascii=False).encode())
        _require(size <= FEISHU_BODY_BYTES, 9499, f"request body {size} > 20 KB")
        self.rate_check(9499)
        kind = body.get("msg_type")
        _require(kind in {"text", "interactive"}, 19002, f"invalid msg_type {kind!r}")
        if kind == "interactive":
            card = body.get("card")
            _require(isinstance(card, dict), 19002, "card missing")
            _string(card, "header", "title", "content")
            elements = card.get("elements")
            _require(isinstance(elements, list) and bool(elements), 19002, "card.elements")
            for element in elements:
                _require(element.get("tag") == "div", 19002, "element tag")
                _require(element["text"].get("tag") in {"lark_md", "plain_text"}, 19002, "tag")
                _string(element, "text", "content")
        else:
            _string(body, "content", "text")
        self.accept(path, body)
        return self.ok()


# --- the three, as a NOC test configures them ---------------------------------------------

# Made-up credentials of the stand-ins; tests put them in the secrets file or the environment.
SECRETS = {
    "EGOVNET_WECOM_ROBOT_KEY": "wecom-robot-key-0123456789",
    "EGOVNET_WECOM_CORP_SECRET": "corpSecret-0123456789abcdef",
    "EGOVNET_DINGTALK_TOKEN": "dingtalk-token-0123456789",
    "EGOVNET_DINGTALK_SECRET": "SECdingtalk0123456789abcdef",
    "EGOVNET_FEISHU_HOOK": "feishu-hook-0123456789",
    "EGOVNET_FEISHU_SECRET": "feishuSecret0123456789",
}
WECOM_CORP_ID = "ww0000000000000000"
FEISHU_ON_CALL = "ou_7d8a6e6df7621556ce0d21922b676706"


@dataclass
class Channels:
    """One stand-in per vendor, and the inventory section that sends to them."""

    wecom: WeComStandIn
    dingtalk: DingTalkStandIn
    feishu: FeishuStandIn
    dingtalk_window: tuple[int, float] = (DINGTALK_PER_MINUTE, 60.0)

    @classmethod
    def standing_in(cls, dingtalk_window: tuple[int, float] | None = None) -> Channels:
        messages, seconds = dingtalk_window or (DINGTALK_PER_MINUTE, 60.0)
        return cls(
            WeComStandIn(
                key=SECRETS["EGOVNET_WECOM_ROBOT_KEY"],
                corp_id=WECOM_CORP_ID,
                corp_secret=SECRETS["EGOVNET_WECOM_CORP_SECRET"],
                per_window=200,
            ),
            DingTalkStandIn(
                token=SECRETS["EGOVNET_DINGTALK_TOKEN"],
                secret=SECRETS["EGOVNET_DINGTALK_SECRET"],
                per_window=messages,
                window=seconds,
            ),
            FeishuStandIn(
                token=SECRETS["EGOVNET_FEISHU_HOOK"], secret=SECRETS["EGOVNET_FEISHU_SECRET"]
            ),
            (messages, seconds),
        )

    def __enter__(self) -> Channels:
        for s in (self.wecom, self.dingtalk, self.feishu):
            s.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        for s in (self.wecom, self.dingtalk, self.feishu):
            s.__exit__()

    def rejected(self) -> list[str]:
        return self.wecom.rejected + self.dingtalk.rejected + self.feishu.rejected

    def receivers_yaml(self) -> str:
        """``monitoring:`` with a receiver of every kind, each at its stand-in."""
        messages, seconds = self.dingtalk_window
        return f"""\
monitoring:
  receivers:
    - name: noc-wecom
      kind: wecom_robot
      key_env: EGOVNET_WECOM_ROBOT_KEY
      on_call: zhangsan
      retries: 1
      rate_limit: {{messages: 200, per_seconds: 60}}
      base_url: {self.wecom.base_url}
    - name: noc-dingtalk
      kind: dingtalk_robot
      key_env: EGOVNET_DINGTALK_TOKEN
      secret_env: EGOVNET_DINGTALK_SECRET
      on_call: "13800000000"
      retries: 1
      rate_limit: {{messages: {messages}, per_seconds: {seconds}}}
      base_url: {self.dingtalk.base_url}
    - name: noc-feishu
      kind: feishu_robot
      key_env: EGOVNET_FEISHU_HOOK
      secret_env: EGOVNET_FEISHU_SECRET
      on_call: {FEISHU_ON_CALL}
      retries: 3
      base_url: {self.feishu.base_url}
    - name: noc-wecom-app
      kind: wecom_app
      corp_id: {WECOM_CORP_ID}
      agent_id: "1000002"
      corp_secret_env: EGOVNET_WECOM_CORP_SECRET
      to_party: "2"
      on_call: zhangsan
      base_url: {self.wecom.base_url}
"""
