"""The inventory's ``monitoring:`` section (alert receivers), as an engineer writes it:
every problem one line with file, line and field, exit 2, and no secret value echoed."""

from __future__ import annotations

from pathlib import Path

import pytest

from base.lang import Lang
from inventory.loader import load_inventory
from inventory.monitoring import ReceiverKind
from tests.unit.inventory_copies import InventoryCopy, run_cli

pytestmark = pytest.mark.unit

GOOD = """\
monitoring:
  receivers:
    - name: noc-wecom
      kind: wecom_robot
      key_env: EGOVNET_WECOM_ROBOT_KEY
      on_call: zhangsan
    - name: noc-dingtalk
      kind: dingtalk_robot
      key_env: EGOVNET_DINGTALK_TOKEN
      secret_env: EGOVNET_DINGTALK_SECRET
      on_call: "13800000000"
      rate_limit: {messages: 20, per_seconds: 60}
    - name: noc-feishu
      kind: feishu_robot
      language: en
      key_env: EGOVNET_FEISHU_HOOK
      secret_env: EGOVNET_FEISHU_SECRET
      base_url: http://127.0.0.1:18080
    - name: noc-app
      kind: wecom_app
      corp_id: ww0000000000000000
      agent_id: "1000002"
      corp_secret_env: EGOVNET_WECOM_CORP_SECRET
      to_party: "2"
"""


def test_receivers_load_into_typed_models(tmp_path: Path) -> None:
    inv = InventoryCopy(tmp_path)
    inv.write("monitoring.yaml", GOOD)
    receivers = load_inventory(inv.root).monitoring.receivers
    assert [r.kind for r in receivers] == [
        ReceiverKind.wecom_robot,
        ReceiverKind.dingtalk_robot,
        ReceiverKind.feishu_robot,
        ReceiverKind.wecom_app,
    ]
    assert receivers[0].language is Lang.zh  # the default
    assert receivers[2].language is Lang.en
    assert receivers[1].secret_names == ["EGOVNET_DINGTALK_TOKEN", "EGOVNET_DINGTALK_SECRET"]
    assert not receivers[3].is_robot


def test_an_inventory_without_the_section_has_no_receivers(tmp_path: Path) -> None:
    assert load_inventory(InventoryCopy(tmp_path).root).monitoring.receivers == []


def test_every_problem_is_located_and_exits_2(tmp_path: Path) -> None:
    inv = InventoryCopy(tmp_path)
    broken = (
        GOOD.replace("kind: wecom_robot", "kind: slack")
        .replace('on_call: "13800000000"', "on_call: zhangsan")  # receivers[1] is valid itself
        .replace("key_env: EGOVNET_FEISHU_HOOK", "key_env: Sup3r-Secret-Hook")
        .replace("base_url: http://127.0.0.1:18080", "base_url: ftp://example")
    )
    inv.write("monitoring.yaml", broken)
    out = run_cli("inventory", "validate", str(inv.root))
    assert out.code == 2, out.stdout + out.stderr
    errors = out.errors(inv.root)
    at = "inv/monitoring.yaml"
    assert errors == [
        f"{at}:4: monitoring.receivers[0].kind: Input should be 'wecom_app', 'wecom_robot',"
        " 'dingtalk_robot' or 'feishu_robot' (got 'slack')",
        f"{at}:11: monitoring.receivers[1].on_call: must be a mobile number, digits only"
        " for kind dingtalk_robot (got 'zhangsan')",
        f"{at}:16: monitoring.receivers[2].key_env: must name an environment variable"
        " (the value looks like a secret and is not shown)",
        f"{at}:18: monitoring.receivers[2].base_url: must be an http(s) URL such as"
        " https://oapi.dingtalk.com (got 'ftp://example')",
    ]
    assert not any("Sup3r-Secret-Hook" in e for e in out.stderr.splitlines())


def test_kind_specific_fields_are_checked(tmp_path: Path) -> None:
    inv = InventoryCopy(tmp_path)
    broken = (
        GOOD.replace("corp_secret_env: EGOVNET_WECOM_CORP_SECRET", "secret_env: EGOVNET_X")
        .replace("    - name: noc-app", "    - name: noc-dingtalk")
        .replace("      key_env: EGOVNET_WECOM_ROBOT_KEY\n", "      secret_env: EGOVNET_Y\n")
    )
    inv.write("monitoring.yaml", broken)
    out = run_cli("inventory", "validate", str(inv.root))
    assert out.code == 2
    errors = out.errors(inv.root)
    at = "inv/monitoring.yaml"
    assert errors == [
        f"{at}:3: monitoring.receivers[0].key_env: required for kind wecom_robot",
        f"{at}:5: monitoring.receivers[0].secret_env: not used by kind wecom_robot",
        f"{at}:19: monitoring.receivers[3].corp_secret_env: required for kind wecom_app",
        f"{at}:19: monitoring.receivers[3].name: duplicate receiver 'noc-dingtalk'"
        " (first at receivers[1])",
        f"{at}:23: monitoring.receivers[3].secret_env: not used by kind wecom_app",
    ]


@pytest.mark.parametrize(
    ("old", "new", "line", "shape"),
    [
        ('on_call: "13800000000"', "on_call: zhangsan", 11, "a mobile number"),
        ("on_call: zhangsan", "on_call: 张三", 6, "a WeCom user id"),
        ("language: en", "language: en\n      on_call: zhangsan", 16, "a Feishu open_id"),
    ],
)
def test_the_on_call_is_written_as_its_kind_mentions_it(
    tmp_path: Path, old: str, new: str, line: int, shape: str
) -> None:
    inv = InventoryCopy(tmp_path)
    inv.write("monitoring.yaml", GOOD.replace(old, new))
    out = run_cli("inventory", "validate", str(inv.root))
    assert out.code == 2
    [error] = out.errors(inv.root)
    assert error.startswith(f"inv/monitoring.yaml:{line}: ") and f"must be {shape}" in error
