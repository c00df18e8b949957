"""The robots' request signatures, as their APIs document them.

DingTalk: ``timestamp`` in milliseconds; ``sign`` = Base64(HMAC-SHA256(key=secret,
msg=f"{timestamp}\\n{secret}")), URL-encoded, both as query parameters of the robot URL.
Feishu/Lark: ``timestamp`` in seconds; ``sign`` = Base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}",
msg="")), both as fields of the JSON body (valid within an hour of the timestamp).
WeCom group robots have no signature: the key in the URL is the secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote_plus


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The ``sign`` query parameter, already URL-encoded."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest).decode())


def dingtalk_query(secret: str, timestamp_ms: int) -> str:
    """``timestamp=...&sign=...`` to append to the robot's URL."""
    return f"timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """The ``sign`` body field (Base64, not URL-encoded)."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
