"""`egovnet --lang zh|en`: the command's tables, messages and errors in Chinese or English.

The default follows the locale (LC_ALL, LC_MESSAGES, then LANG); `--help` stays English.
"""

from __future__ import annotations

import json
import re

import pytest

from base.errors import LanguageError
from base.lang import Lang, lang_from_env, parse_lang
from egovnet.messages import CATALOGUE
from tests.conftest import invoke_egovnet

pytestmark = pytest.mark.unit

WIDE = {"COLUMNS": "200", "PATH": ""}


def show(*args: str, env: dict[str, str] | None = None) -> str:
    result = invoke_egovnet(*args, "inventory", "show", "-p", "lab", env={**WIDE, **(env or {})})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_inventory_show_in_chinese() -> None:
    out = show("--lang", "zh")
    assert "各层级站点对照规划（2021 年基线 / 2025 年目标）" in out
    for heading in ("层级", "站点数", "基线", "目标", "线路数", "达标线路", "达标站点"):
        assert f" {heading} " in out, heading
    assert "接入线路（承诺带宽对照层级目标）" in out
    for heading in ("链路", "站点", "平面", "运营商", "承诺带宽", "状态"):
        assert f" {heading} " in out, heading
    # Values people read are Chinese too: tiers, verdicts, migration statuses.
    row = r"│ 江湾镇\s+│ 镇街\s+│ A\s+│ 中国电信 │ 50 Mbps\s+│ 100 Mbps\s+│ 差 50 Mbps"
    assert re.search(row, out)
    assert "│ 区直单位 │" in out and "│ 村居     │" in out
    assert "上云率：50%，目标 100%（已割接 1，未启动 1，已规划 1，保留 1，已验证 1）" in out
    assert "Sites by tier" not in out and "meets target" not in out


def test_inventory_show_in_english_is_as_before() -> None:
    out = show("--lang", "en")
    assert "Sites by tier against the plan (2021 baseline / 2025 target)" in out
    assert "short 50 Mbps" in out and "│ town " in out
    assert "上云率 (migrated): 50% of target 100%" in out


@pytest.mark.parametrize(
    ("env", "chinese"),
    [
        ({"LANG": "zh_CN.UTF-8"}, True),
        ({"LANG": "en_US.UTF-8"}, False),
        ({}, False),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C.UTF-8"}, False),  # LC_ALL overrides LANG
        ({"LANG": "C", "LC_MESSAGES": "zh_TW.UTF-8"}, True),
    ],
)
def test_the_default_follows_the_locale(env: dict[str, str], chinese: bool) -> None:
    assert lang_from_env(env) is (Lang.zh if chinese else Lang.en)
    out = show(env=env)
    assert ("各层级站点对照规划" in out) is chinese
    assert ("Sites by tier" in out) is not chinese


def test_the_option_beats_the_locale() -> None:
    assert "Sites by tier" in show("--lang", "en", env={"LANG": "zh_CN.UTF-8"})
    assert "各层级站点对照规划" in show("--lang", "ZH", env={"LANG": "en_US.UTF-8"})


def test_an_unknown_language_is_bad_input() -> None:
    result = invoke_egovnet("--lang", "fr", "inventory", "show", env=WIDE)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: --lang: unknown language 'fr' (zh or en)"
    with pytest.raises(LanguageError):
        parse_lang("klingon")


def test_errors_in_chinese() -> None:
    result = invoke_egovnet("--lang", "zh", "inventory", "validate", "/nonexistent", env=WIDE)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("错误：/nonexistent:1: ") and lines[-1] == "共 1 个错误"


def test_help_stays_english_and_json_keeps_its_keys() -> None:
    result = invoke_egovnet("--lang", "zh", "inventory", "show", "--help", env=WIDE)
    assert result.returncode == 0 and "Sites per tier" in result.stdout
    zh = invoke_egovnet("--lang", "zh", "inventory", "show", "-p", "lab", "--json", env=WIDE)
    en = invoke_egovnet("--lang", "en", "inventory", "show", "-p", "lab", "--json", env=WIDE)
    assert json.loads(zh.stdout) == json.loads(en.stdout)


def test_every_message_has_the_same_fields_in_both_languages() -> None:
    field = re.compile(r"\{(\w+)\}")
    for key, (zh, en) in CATALOGUE.items():
        assert set(field.findall(zh)) == set(field.findall(en)), key
        assert re.search(r"[\u4e00-\u9fff\uff00-\uffef]", zh), key  # Chinese or full-width
