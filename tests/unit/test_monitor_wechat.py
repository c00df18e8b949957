"""The WeCom application receiver (monitor/robots/wechat.py): a config Alertmanager
0.25's own checker accepts, and a Chinese template its template engine renders.

tests/integration/test_monitor_chat_receivers.py has the real Alertmanager send it to a stand-in.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from base.lang import Lang
from inventory.monitoring import AlertReceiver
from monitor.robots.wechat import TEMPLATE, TEMPLATE_NAME, TEMPLATES, wechat_config

pytestmark = pytest.mark.unit


def amtool(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("amtool") is None:
        pytest.fail("amtool is not installed (Debian package prometheus-alertmanager)")
    return subprocess.run(
        ["amtool", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )


def test_alertmanager_accepts_the_wechat_receiver_and_its_template(tmp_path: Path) -> None:
    app = AlertReceiver.model_validate(
        {
            "name": "noc-wecom",
            "kind": "wecom_app",
            "corp_id": "ww0000000000000000",
            "agent_id": "1000002",
            "corp_secret_env": "EGOVNET_WECOM_CORP_SECRET",
            "to_party": "2",
            "on_call": "zhangsan",
            "base_url": "http://127.0.0.1:9",
        }
    )
    wechat = wechat_config(app, critical=True)
    assert wechat["api_secret"] == "<<secret:EGOVNET_WECOM_CORP_SECRET>>"
    assert wechat["to_user"] == "zhangsan" and wechat["to_party"] == "2"
    assert "to_user" not in wechat_config(app, critical=False)
    wechat["api_secret"] = "not-a-real-secret"
    receiver = {"name": "noc-wecom", "wechat_configs": [wechat]}
    config = {
        "route": {"receiver": "noc-wecom", "group_by": ["site"]},
        "receivers": [receiver],
        "templates": [str(t) for t in TEMPLATES.values()],
    }
    path = tmp_path / "alertmanager.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = amtool("check-config", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " - 2 templates" in result.stdout, result.stdout
    assert receiver["wechat_configs"][0]["message"] == '{{ template "egovnet.wechat.zh" . }}'


def test_a_broken_template_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.tmpl"
    broken.write_text(TEMPLATE.read_text(encoding="utf-8").replace("{{ end -}}", "", 1))
    config = {"route": {"receiver": "x"}, "receivers": [{"name": "x"}], "templates": [str(broken)]}
    path = tmp_path / "alertmanager.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    assert amtool("check-config", str(path), cwd=tmp_path).returncode != 0


def test_the_template_renders_in_chinese_with_english_fallbacks(tmp_path: Path) -> None:
    """amtool's sample notification has none of our annotations: the frame is still Chinese."""
    result = amtool(
        "template",
        "render",
        f"--template.glob={TEMPLATE}",
        f'--template.text={{{{ template "{TEMPLATE_NAME}" . }}}}',
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith(("【告警】", "【已恢复】")) and first.endswith("：2 条")


def test_the_english_template_renders_in_english(tmp_path: Path) -> None:
    result = amtool(
        "template",
        "render",
        f"--template.glob={TEMPLATES[Lang.en]}",
        '--template.text={{ template "egovnet.wechat.en" . }}',
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith(("[FIRING] ", "[RESOLVED] "))
