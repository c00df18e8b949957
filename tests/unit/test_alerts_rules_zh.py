"""The alerts in Chinese: every rule's Chinese texts, their runbooks, and what promtool checks.

The Chinese annotations (``summary_zh``, ``description_zh``, ``runbook_url_zh``) sit beside the
English ones; a receiver picks one language. promtool renders them in the rule tests
(exporters/rules/tests/), so the expected Chinese strings there are checked against Prometheus'
own template engine; this file checks that those expectations cover every alert and that the
translations of label values (tier, link kind, device role) know every value the inventory has.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from inventory.models import LinkKind, Role, Tier
from inventory.names import LINK_KIND_NAMES, ROLE_NAMES, TIER_NAMES
from tests.conftest import REPO
from tests.doc_sections import first_difference

pytestmark = pytest.mark.unit

RULES = REPO / "exporters" / "rules"
RUNBOOKS = REPO / "docs" / "runbooks"
ZH_RUNBOOKS = RUNBOOKS / "zh"
TEST_FILES = sorted((RULES / "tests").glob("alerts_*.yml"))
ZH_KEYS = ("summary_zh", "description_zh", "runbook_url_zh")
HAN = re.compile(r"[\u4e00-\u9fff]")
# A space beside full-width punctuation is a folding mistake in the YAML, not Chinese typography.
BAD_SPACE = re.compile(r"[ ][，。；：、（）]|[，。；：、（）][ ]")


def alert_rules() -> list[dict[str, Any]]:
    data = yaml.safe_load((RULES / "alerts.yml").read_text(encoding="utf-8"))
    return [r for g in data["groups"] for r in g["rules"] if "alert" in r]


def expected_alerts() -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """(test file, labels, annotations) of every alert the promtool tests expect to fire."""
    found = []
    for path in TEST_FILES:
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["tests"]:
            for check in case["alert_rule_test"]:
                for alert in check["exp_alerts"]:
                    labels = {"alertname": check["alertname"], **alert["exp_labels"]}
                    found.append((path.name, labels, alert["exp_annotations"]))
    return found


def rule_id(rule: dict[str, Any]) -> str:
    return f"{rule['alert']}-{rule['labels'].get('scope', rule['labels']['severity'])}"


@pytest.mark.parametrize("rule", alert_rules(), ids=rule_id)
def test_alert_carries_chinese_texts_and_runbook(rule: dict[str, Any]) -> None:
    notes = rule["annotations"]
    assert set(ZH_KEYS) <= set(notes), rule["alert"]
    for key in ("summary_zh", "description_zh"):
        assert HAN.search(notes[key]), (rule["alert"], key)
    if rule["alert"] != "ExporterDown":  # the exporter belongs to no site
        for key in ("summary_zh", "description_zh"):
            assert "$labels.site_name" in notes[key], (rule["alert"], key)
        assert "$labels.tier" in notes["description_zh"], rule["alert"]
    english = notes["runbook_url"].removeprefix("docs/runbooks/")
    assert notes["runbook_url_zh"] == f"docs/runbooks/zh/{english}"
    runbook = REPO / notes["runbook_url_zh"]
    assert runbook.is_file(), runbook
    assert runbook.read_text(encoding="utf-8").startswith(f"# {rule['alert']} ")


@pytest.mark.parametrize(
    ("label", "values"), [("tier", set(Tier)), ("kind", set(LinkKind)), ("role", set(Role))]
)
def test_label_translations_know_every_inventory_value(label: str, values: set[str]) -> None:
    """A tier/kind/role the inventory allows is never left in English in a Chinese text."""
    compared = re.compile(rf'eq \$labels\.{label}\s+"([^"]+)"')
    checked = 0
    for rule in alert_rules():
        wanted = values
        if label == "kind" and rule["labels"].get("scope") == "core-pair":
            wanted = {LinkKind.uplink, LinkKind.core_interconnect}  # all the rule selects
        for key in ("summary_zh", "description_zh"):
            # Each translation is one if/else-if chain, closed by its own {{ end }}.
            for chain in re.split(r"\{\{\s*end\s*\}\}", rule["annotations"][key]):
                named = set(compared.findall(chain))
                if named:
                    assert named == wanted, (rule_id(rule), key, wanted ^ named)
                    checked += 1
    assert checked, f"no Chinese text translates $labels.{label}"


@pytest.mark.parametrize(
    ("label", "names"), [("tier", TIER_NAMES), ("kind", LINK_KIND_NAMES), ("role", ROLE_NAMES)]
)
def test_alerts_call_things_what_the_command_calls_them(
    label: str, names: dict[Any, tuple[str, str]]
) -> None:
    """The Chinese names in the rules are inventory/names.py's (the CLI and exports use it)."""
    pair = re.compile(rf'eq \$labels\.{label}\s+"([^"]+)"\s*\}}\}}([^{{]+)\{{\{{')
    found = {
        code: name
        for rule in alert_rules()
        for key in ("summary_zh", "description_zh")
        for code, name in pair.findall(rule["annotations"][key])
    }
    assert found
    for code, name in found.items():
        assert names[code][0] == name, (label, code, name)


def test_every_firing_case_checks_the_chinese_texts() -> None:
    """promtool compares all annotations; here: every firing case names the site in Chinese."""
    cases = expected_alerts()
    assert {labels["alertname"] for _, labels, _ in cases} == {r["alert"] for r in alert_rules()}
    for name, labels, notes in cases:
        assert set(ZH_KEYS) <= set(notes), (name, labels)
        text = notes["summary_zh"] + notes["description_zh"]
        assert "{{" not in text and "<no value>" not in text, (name, text)
        assert HAN.search(text), (name, text)
        assert not BAD_SPACE.search(text), (name, text)
        if "site_name" in labels:
            assert notes["summary_zh"].startswith(labels["site_name"] + " "), (name, notes)
            assert labels["site"] in notes["description_zh"], (name, notes)


def test_the_issue_example_renders_as_written() -> None:
    """The example of issue 17, word for word, from the promtool test of a cut B plane."""
    summaries = {notes["summary_zh"] for _, _, notes in expected_alerts()}
    assert "龙归镇 两条上联只剩一条：core2-town1 中断 3 分钟" in summaries


def test_chinese_runbooks_match_the_english_ones() -> None:
    english = sorted(p.name for p in RUNBOOKS.glob("*.md"))
    chinese = sorted(p.name for p in ZH_RUNBOOKS.glob("*.md"))
    assert chinese == english
    for name in english:
        difference = first_difference(RUNBOOKS / name, ZH_RUNBOOKS / name)
        assert difference is None, difference
        assert f"(zh/{name})" in (RUNBOOKS / name).read_text(encoding="utf-8"), name
        assert f"(../{name})" in (ZH_RUNBOOKS / name).read_text(encoding="utf-8"), name


def test_structure_check_notices_a_missing_section(tmp_path: Path) -> None:
    original = RUNBOOKS / "link-down.md"
    text = (ZH_RUNBOOKS / "link-down.md").read_text(encoding="utf-8")
    broken = tmp_path / "link-down.md"
    broken.write_text(text.replace("## 处置\n", "处置：\n"), encoding="utf-8")
    difference = first_difference(original, broken)
    assert difference is not None
    assert "3 level-2 heading(s)" in difference and "has 4: 'Impact', 'Check', 'Fix'" in difference
