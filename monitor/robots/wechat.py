"""WeCom (企业微信) applications through Alertmanager's own ``wechat_configs``, in Chinese.

Alertmanager 0.25 (Debian) sends to a WeCom application itself; egovnet gives it the receiver
block and the Chinese message template (``wechat_zh.tmpl``, the ``egovnet.wechat.zh``
template). The application secret goes into the generated ``alertmanager.yml`` under the state
directory (mode 0600, never under git), never into the inventory.

Not wired yet: ``egovnet monitor config`` does not add this receiver.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

TEMPLATE = Path(__file__).resolve().with_name("wechat_zh.tmpl")
TEMPLATE_NAME = "egovnet.wechat.zh"


def wechat_receiver(
    name: str,
    *,
    corp_id: str,
    agent_id: str,
    api_secret: str,
    to_party: str | None = None,
    to_user: str | None = None,
    api_url: str | None = None,
) -> dict[str, Any]:
    """An Alertmanager receiver sending the Chinese template to a WeCom application."""
    config: dict[str, Any] = {
        "send_resolved": True,
        "corp_id": corp_id,
        "agent_id": agent_id,
        "api_secret": api_secret,
        "message": f'{{{{ template "{TEMPLATE_NAME}" . }}}}',
    }
    if to_party:
        config["to_party"] = to_party
    if to_user:
        config["to_user"] = to_user
    if api_url:
        config["api_url"] = api_url
    return {"name": name, "wechat_configs": [config]}
