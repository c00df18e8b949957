"""The inventory's ``monitoring:`` section: who hears the alerts, on which channel.

::

    monitoring:
      receivers:
        - name: noc-dingtalk          # a slug, unique
          kind: dingtalk_robot        # wecom_app | wecom_robot | dingtalk_robot | feishu_robot
          language: zh                # zh (default) | en
          on_call: "13800000000"      # @-mentioned on critical alerts (per kind, see below)
          key_env: EGOVNET_DINGTALK_TOKEN      # the robot's access token / key / hook id
          secret_env: EGOVNET_DINGTALK_SECRET  # its signing secret ("加签"), optional
          base_url: https://oapi.dingtalk.com  # optional: the vendor's documented URL
      digest: {time: "08:30", timezone: Asia/Shanghai}  # the daily digest (the defaults)

Secrets are named by environment variable (``*_env``), never held: values come from the
environment or the secrets file at send time. Which fields each kind needs, and what its
on-call looks like, is checked by :func:`receiver_problems` (the loader locates every
problem to its file, line and field).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, StrictFloat, StrictInt, ValidationError, field_validator

from base.lang import Lang

from .models import DigestSchedule, EnvName, Slug, Strict

Text = Annotated[str, Field(min_length=1, max_length=64)]


class ReceiverKind(StrEnum):
    wecom_app = "wecom_app"  # 企业微信应用: Alertmanager's own wechat_configs
    wecom_robot = "wecom_robot"  # 企业微信群机器人
    dingtalk_robot = "dingtalk_robot"  # 钉钉群机器人
    feishu_robot = "feishu_robot"  # 飞书/Lark 群机器人


ROBOT_KINDS = frozenset({ReceiverKind.wecom_robot, ReceiverKind.dingtalk_robot,
                         ReceiverKind.feishu_robot})  # fmt: skip


class RateLimit(Strict):
    """At most ``messages`` in any ``per_seconds`` (default: the vendor's documented limit)."""

    messages: StrictInt = Field(ge=1, le=1000)
    per_seconds: StrictInt | StrictFloat = Field(gt=0, le=3600, allow_inf_nan=False)


class AlertReceiver(Strict):
    """One chat channel the NOC hears alerts in."""

    name: Slug
    kind: ReceiverKind
    language: Lang = Lang.zh
    on_call: Text | None = Field(
        None,
        description="WeCom user id, DingTalk mobile number or Feishu open_id (ou_...)",
    )
    base_url: str | None = Field(None, max_length=200, description="default: the vendor's")
    # robots
    key_env: EnvName | None = Field(None, description="WeCom key / DingTalk token / Feishu hook")
    secret_env: EnvName | None = Field(None, description="DingTalk/Feishu signing secret")
    rate_limit: RateLimit | None = None
    retries: StrictInt = Field(4, ge=0, le=10)
    # WeCom applications
    corp_id: Text | None = None
    agent_id: Text | None = None
    corp_secret_env: EnvName | None = None
    to_party: Text | None = None
    to_user: Text | None = None

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme not in {"http", "https"} or not parts.hostname:
                raise ValueError("must be an http(s) URL such as https://oapi.dingtalk.com")
            if parts.query or parts.fragment or parts.username or parts.password:
                raise ValueError("must hold no query, fragment or credentials")
        return value

    @property
    def is_robot(self) -> bool:
        return self.kind in ROBOT_KINDS

    @property
    def secret_names(self) -> list[str]:
        """The environment variables this receiver reads its secrets from."""
        names = (self.key_env, self.secret_env, self.corp_secret_env)
        return [n for n in names if n]


class Monitoring(Strict):
    receivers: list[AlertReceiver] = Field(default_factory=list, max_length=50)
    #: when the daily digest goes to the receivers (``monitor config`` writes its timer)
    digest: DigestSchedule = DigestSchedule()


# What each kind needs, refuses, and how its on-call is written.
_NEEDS = {
    ReceiverKind.wecom_app: ("corp_id", "agent_id", "corp_secret_env"),
    ReceiverKind.wecom_robot: ("key_env",),
    ReceiverKind.dingtalk_robot: ("key_env",),
    ReceiverKind.feishu_robot: ("key_env",),
}
_APP_ONLY = ("corp_id", "agent_id", "corp_secret_env", "to_party", "to_user")
_ROBOT_ONLY = ("key_env", "secret_env", "rate_limit")
_REFUSES = {
    ReceiverKind.wecom_app: _ROBOT_ONLY,
    ReceiverKind.wecom_robot: (*_APP_ONLY, "secret_env"),  # its key is its only secret
    ReceiverKind.dingtalk_robot: _APP_ONLY,
    ReceiverKind.feishu_robot: _APP_ONLY,
}
_ON_CALL = {
    ReceiverKind.wecom_app: (r"^[A-Za-z0-9_.@-]+$", "a WeCom user id such as zhangsan"),
    ReceiverKind.wecom_robot: (r"^[A-Za-z0-9_.@-]+$", "a WeCom user id such as zhangsan"),
    ReceiverKind.dingtalk_robot: (r"^\+?[0-9][0-9-]{4,19}$", "a mobile number, digits only"),
    ReceiverKind.feishu_robot: (r"^(all|o[un]_[A-Za-z0-9]+)$", "a Feishu open_id (ou_...)"),
}


def valid_receivers(raw: Any) -> list[tuple[int, AlertReceiver]]:
    """The receivers of a ``monitoring`` section that failed as a whole which are valid on
    their own, with their index, so their own problems are reported in the same run."""
    receivers = raw.get("receivers") if isinstance(raw, dict) else None
    out: list[tuple[int, AlertReceiver]] = []
    for index, item in enumerate(receivers if isinstance(receivers, list) else []):
        try:
            out.append((index, AlertReceiver.model_validate(item)))
        except ValidationError:
            continue
    return out


def receiver_problems(
    receivers: Iterable[tuple[int, AlertReceiver]],
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path under ``monitoring``, message) for every problem beyond each field's own type."""
    seen: dict[str, int] = {}
    for index, r in receivers:
        at: tuple[str | int, ...] = ("receivers", index)
        if r.name in seen:
            yield (
                (*at, "name"),
                f"duplicate receiver {r.name!r} (first at receivers[{seen[r.name]}])",
            )
        seen.setdefault(r.name, index)
        for name in _NEEDS[r.kind]:
            if getattr(r, name) is None:
                yield (*at, name), f"required for kind {r.kind.value}"
        for name in _REFUSES[r.kind]:
            if getattr(r, name) is not None:
                yield (*at, name), f"not used by kind {r.kind.value}"
        pattern, shape = _ON_CALL[r.kind]
        if r.on_call is not None and not re.match(pattern, r.on_call):
            yield (*at, "on_call"), f"must be {shape} for kind {r.kind.value} (got {r.on_call!r})"
