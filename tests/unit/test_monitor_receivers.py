"""The inventory's chat receivers in the generated configuration: which Alertmanager
receivers carry them, a config Alertmanager 0.25's checker accepts, the WeCom application's
secret only in a 0600 alertmanager.yml, and `monitor up` refusing a missing secret."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest
import yaml

from base.errors import SecretMissingError
from inventory.loader import load_inventory
from inventory.secrets import SecretStore
from monitor.generate import generate, write_files
from monitor.options import MonitorOptions
from monitor.webhook import robots_text
from tests.conftest import LAB_INVENTORY, invoke_egovnet
from tests.robot_standins import SECRETS

pytestmark = pytest.mark.unit

RECEIVERS = """\
monitoring:
  receivers:
    - name: noc-dingtalk
      kind: dingtalk_robot
      key_env: EGOVNET_DINGTALK_TOKEN
      secret_env: EGOVNET_DINGTALK_SECRET
    - name: noc-app
      kind: wecom_app
      corp_id: ww0000000000000000
      agent_id: "1000002"
      corp_secret_env: EGOVNET_WECOM_CORP_SECRET
      to_party: "2"
      on_call: zhangsan
"""


@pytest.fixture
def inv_dir(tmp_path: Path) -> Path:
    root = tmp_path / "inv"
    shutil.copytree(LAB_INVENTORY, root)
    (root / "monitoring.yaml").write_text(RECEIVERS, encoding="utf-8")
    return root


def secrets_file(tmp_path: Path) -> Path:
    path = tmp_path / "secrets.env"
    path.write_text("".join(f"{k}={v}\n" for k, v in SECRETS.items()), encoding="utf-8")
    return path


def test_every_receiver_but_planning_carries_the_chat_channels(
    inv_dir: Path, tmp_path: Path
) -> None:
    inv = load_inventory(inv_dir)
    out = tmp_path / "out"
    files = generate(inv, MonitorOptions(webhook_url="http://127.0.0.1:9095/alerts"))
    write_files(out, files, SecretStore(secrets_file(tmp_path)))
    config = yaml.safe_load((out / "alertmanager.yml").read_text(encoding="utf-8"))
    receivers = {r["name"]: r for r in config["receivers"]}
    assert receivers["planning"] == {"name": "planning"}
    for name in ("core-oncall", "noc-page", "noc-ticket"):
        hooks = [h["url"] for h in receivers[name]["webhook_configs"]]
        assert hooks == [
            "http://127.0.0.1:9095/alerts",
            "http://127.0.0.1:9095/robots/noc-dingtalk",
        ]
        [app] = receivers[name]["wechat_configs"]
        assert app["api_secret"] == SECRETS["EGOVNET_WECOM_CORP_SECRET"]
        assert app["message"] == '{{ template "egovnet.wechat.zh" . }}'
    assert receivers["noc-page"]["wechat_configs"][0]["to_user"] == "zhangsan"
    assert "to_user" not in receivers["noc-ticket"]["wechat_configs"][0]  # warnings: the party
    assert config["templates"] == ["templates/*.tmpl"]
    assert stat.S_IMODE((out / "alertmanager.yml").stat().st_mode) == 0o600
    assert stat.S_IMODE((out / "prometheus.yml").stat().st_mode) == 0o644
    check = subprocess.run(
        ["amtool", "check-config", "alertmanager.yml"],
        cwd=out, capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    assert " - 1 templates" in check.stdout  # one glob, parsed by amtool
    assert sorted(p.name for p in (out / "templates").glob("*.tmpl")) == [
        "wechat_en.tmpl",
        "wechat_zh.tmpl",
    ]
    in_memory = next(f.text for f in files if f.path == "alertmanager.yml")
    assert SECRETS["EGOVNET_WECOM_CORP_SECRET"] not in in_memory
    assert "<<secret:EGOVNET_WECOM_CORP_SECRET>>" in in_memory
    robots = (out / "robots.json").read_text(encoding="utf-8")  # the receiver's --robots
    assert robots == robots_text(list(inv.monitoring.receivers))
    assert "noc-dingtalk" in robots and "noc-app" not in robots
    assert not any(value in robots for value in SECRETS.values())


def test_a_missing_corp_secret_writes_nothing(inv_dir: Path, tmp_path: Path) -> None:
    files = generate(load_inventory(inv_dir), MonitorOptions())
    with pytest.raises(SecretMissingError, match="EGOVNET_WECOM_CORP_SECRET"):
        write_files(tmp_path / "out", files, SecretStore(tmp_path / "none.env"))
    assert not (tmp_path / "out" / "alertmanager.yml").exists()


def test_monitor_up_refuses_a_missing_robot_secret_before_starting_anything(
    inv_dir: Path, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    run = invoke_egovnet(
        "monitor", "up", "-i", str(inv_dir), "--state-dir", str(state),
        "--exporter-address", "127.0.0.1:9", "--json",
        env={"EGOVNET_SECRETS_FILE": None, **dict.fromkeys(SECRETS)},
    )  # fmt: skip
    assert run.returncode == 2, run.stdout + run.stderr
    assert "EGOVNET_DINGTALK_TOKEN" in run.stderr
    assert not (state / "monitor" / "stack.json").exists()
