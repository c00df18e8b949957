"""WeCom (企业微信) applications through Alertmanager's own ``wechat_configs``, in Chinese.

Alertmanager 0.25 (Debian) sends to a WeCom application itself; egovnet gives it the receiver
block and the message template (``wechat_zh.tmpl``, the ``egovnet.wechat.zh`` template, or
``wechat_en.tmpl`` for a receiver in English). Alertmanager 0.25 has no ``api_secret_file``:
the application secret is written into the generated ``alertmanager.yml`` as a reference
(``<<secret:NAME>>``) that only writing the file resolves, and a file holding it is written
with mode 0600. It is never in the inventory. Critical alerts also go to the on-call user.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from automation.secretref import reference
from base.lang import Lang
from inventory.monitoring import AlertReceiver

from .apis import base_url

TEMPLATES = {
    Lang.zh: Path(__file__).resolve().with_name("wechat_zh.tmpl"),
    Lang.en: Path(__file__).resolve().with_name("wechat_en.tmpl"),
}
TEMPLATE = TEMPLATES[Lang.zh]
TEMPLATE_NAME = "egovnet.wechat.zh"


def template_name(lang: Lang) -> str:
    return f"egovnet.wechat.{lang.value}"


def wechat_config(receiver: AlertReceiver, *, critical: bool) -> dict[str, Any]:
    """One ``wechat_configs`` entry; ``critical`` routes add the on-call to ``to_user``."""
    to_user = receiver.to_user or ("" if receiver.to_party else "@all")
    if critical and receiver.on_call and to_user != "@all":
        to_user = "|".join(u for u in (to_user, receiver.on_call) if u)
    config: dict[str, Any] = {
        "send_resolved": True,
        "api_url": f"{base_url(receiver)}/cgi-bin/",
        "corp_id": receiver.corp_id,
        "agent_id": receiver.agent_id,
        "api_secret": reference(receiver.corp_secret_env or ""),
        "message": f'{{{{ template "{template_name(receiver.language)}" . }}}}',
    }
    if to_user:
        config["to_user"] = to_user
    if receiver.to_party:
        config["to_party"] = receiver.to_party
    return config
