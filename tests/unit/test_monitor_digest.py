"""The daily digest (monitor/digest/): its numbers against counts made here from the inventory
and the stores, in Chinese and English, within WeCom's 4096 bytes, with the stack down."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bandwidth.assess import assess
from bandwidth.store import BandwidthStore
from base.lang import Lang
from inventory.catalog import Inventory
from inventory.models import MIGRATED_STATUSES, LinkKind, MigrationStatus, Tier
from monitor.digest import Digest, StackUrls, build_digest, render_markdown
from monitor.digest.model import OpenAlert
from playbooks.results import ResultStatus
from playbooks.store import AuditPaths, load_results
from tests.audit_support import store_lab_results
from tests.conftest import LAB_INVENTORY, invoke_egovnet
from tests.monitor_support import free_port
from tests.unit.test_monitor_bandwidth import circuit, report

pytestmark = pytest.mark.unit

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 8, 30, tzinfo=SHANGHAI)
WECOM_BYTES = 4096  # WeCom's documented markdown limit, UTF-8


def closed_stack() -> StackUrls:
    """Loopback ports nobody listens on: the stack is down."""
    return StackUrls(
        alertmanager=f"http://127.0.0.1:{free_port()}",
        prometheus=f"http://127.0.0.1:{free_port()}",
    )


# --- counts made here, from the models, not through the digest's code -----------------------


def sites_meeting_by_committed_rate(inv: Inventory, tier: Tier) -> tuple[int, int]:
    target = inv.policy.tiers[tier].target_mbps
    assert target is not None
    sites = [s for s in inv.sites if s.tier is tier]
    meeting = 0
    for site in sites:
        rates = [
            link.committed_mbps
            for link in inv.links
            if link.kind is LinkKind.access and inv.device(link.b.device).site == site.id
        ]
        meeting += bool(rates) and all(rate >= target for rate in rates)
    return meeting, len(sites)


def cloud_counts(inv: Inventory) -> tuple[int, int]:
    counted = [s for s in inv.systems if s.migration.status is not MigrationStatus.retained]
    return sum(1 for s in counted if s.migration.status in MIGRATED_STATUSES), len(counted)


def overdue_systems(inv: Inventory, today: date) -> dict[str, int]:
    return {
        s.name: (today - s.mlps.next_due).days
        for s in inv.systems
        if s.mlps.next_due is not None and s.mlps.next_due < today
    }


# --- the sample district, nothing measured or audited yet -----------------------------------


@pytest.fixture(scope="module")
def district_digest(
    district_inventory: Inventory, tmp_path_factory: pytest.TempPathFactory
) -> Digest:
    state = tmp_path_factory.mktemp("empty-state")
    return build_digest(district_inventory, state, closed_stack(), now=NOW)


def test_district_figures_match_counts_from_the_inventory(
    district_inventory: Inventory, district_digest: Digest
) -> None:
    text = render_markdown(district_digest, Lang.zh)
    inv = district_inventory
    for tier, name, target in (
        (Tier.department, "区直单位", 1000),
        (Tier.town, "镇街", 100),
        (Tier.village, "村居", 50),
    ):
        meeting, sites = sites_meeting_by_committed_rate(inv, tier)
        assert f"- {name} {target}M：签约速率 {meeting}/{sites} 达标" in text
    migrated, counted = cloud_counts(inv)
    assert f"**上云率**：{migrated / counted:.1%}（{migrated}/{counted}；" in text
    assert "低于基线" in text  # 50 % against the plan's 80 % baseline
    overdue = overdue_systems(inv, NOW.date())
    worst = max(overdue, key=lambda name: overdue[name])
    assert f"{worst} 逾期 {overdue[worst]} 天" in text
    assert district_digest.mlps.overdue[0].days == overdue[worst]
    assert len(district_digest.mlps.overdue) == len(overdue)
    endpoints = [s for s in inv.sites if s.tier in (Tier.department, Tier.town, Tier.village)]
    assert f"**覆盖**：{len(endpoints)}/{len(endpoints)} 个区、镇、村站点连通政务云" in text


def test_the_sites_short_of_target_are_named_with_their_shortfall(
    district_inventory: Inventory, district_digest: Digest
) -> None:
    town = next(t for t in district_digest.tiers if t.tier == "town")
    short = {
        s.name
        for s in district_inventory.sites_in_tier(Tier.town)
        if any(
            link.committed_mbps < 100
            for link in district_inventory.uplinks_of_site(s.id)
            if link.kind is LinkKind.access
        )
    }
    assert {g.site_name for g in town.gaps} == short
    text = render_markdown(district_digest, Lang.zh)
    for gap in town.gaps:
        assert f"{gap.site_name} {gap.committed_mbps}M（差 {100 - gap.committed_mbps}M）" in text


def test_english_says_the_same_figures(
    district_inventory: Inventory, district_digest: Digest
) -> None:
    text = render_markdown(district_digest, Lang.en)
    meeting, sites = sites_meeting_by_committed_rate(district_inventory, Tier.village)
    assert f"- village / community, 50 Mbps: {meeting}/{sites} sites by committed rate" in text
    migrated, counted = cloud_counts(district_inventory)
    assert f"{migrated / counted:.1%} ({migrated}/{counted};" in text
    assert "below the baseline" in text
    # the sentences are English; only names (data) stay Chinese
    for word in ("达标", "上云率：", "逾期", "告警", "另有"):
        assert word not in text
    assert text.startswith("### E-government extranet daily digest 2026-12-02")


def test_an_unreachable_stack_is_one_line_not_a_failure(district_digest: Digest) -> None:
    assert not district_digest.alerts.reachable
    assert district_digest.alerts.error and "Connection refused" in district_digest.alerts.error
    zh = render_markdown(district_digest, Lang.zh)
    en = render_markdown(district_digest, Lang.en)
    assert (
        zh.splitlines()[-1]
        == f"**告警**：监控平台不可达（{district_digest.alerts.url}），本报未含告警"
    )
    assert "the monitoring stack is not reachable" in en.splitlines()[-1]
    assert "**上云率**" in zh  # the rest of the digest is all there


# --- lab data: the stores as `bandwidth test` and `audit run` leave them --------------------


@pytest.fixture
def lab_state(lab_inventory: Inventory, tmp_path: Path) -> Path:
    state = store_lab_results(lab_inventory, tmp_path)
    results = [
        assess(circuit(lab_inventory, "town1-vil1"), report(47.6), direction="up", runner="t"),
        assess(circuit(lab_inventory, "core1-town2"), report(47.3), direction="up", runner="t"),
        assess(circuit(lab_inventory, "core1-town1"), report(96.0), direction="up", runner="t"),
    ]
    BandwidthStore(state).record(results)
    return state


def test_lab_digest_counts_the_stores(lab_inventory: Inventory, lab_state: Path) -> None:
    made = build_digest(lab_inventory, lab_state, closed_stack(), now=NOW)
    text = render_markdown(made, Lang.zh)
    # 龙归镇 measured 96 of 100 (meets, 90 % tolerance); 江湾镇 47.3 of 100 (short)
    assert "- 镇街 100M：签约速率 1/2 达标；实测 1/2 达标" in text
    assert "- 村居 50M：签约速率 2/3 达标；实测 1/1 达标" in text
    rows = load_results(AuditPaths(lab_state))
    passed = sum(1 for r in rows if r.result is ResultStatus.passed)
    failed = sum(1 for r in rows if r.result is ResultStatus.failed)
    manual = sum(1 for r in rows if r.result is ResultStatus.manual)
    audited = len({r.system_id for r in rows})
    assert failed and passed  # vil1 is noncompliant, core1 compliant
    assert (
        f"**等保**：{audited}/{len(lab_inventory.systems) + 1} 个对象已核查，控制项通过 "
        f"{passed}/{passed + failed}（{passed / (passed + failed):.1%}），待人工核查 {manual} 项"
    ) in text
    failing = {r.system_id for r in rows if r.result is ResultStatus.failed}
    assert {f.system for f in made.mlps.failing} == failing
    names = {s.id: s.name for s in lab_inventory.systems} | {"EXTRANET": "电子政务外网"}
    for system in failing:  # vil1 fails for the extranet; srv-cloud1 for the systems it hosts
        count = sum(1 for r in rows if r.system_id == system and r.result is ResultStatus.failed)
        assert f"{names[system]} {count} 项" in text


def test_json_output_carries_the_model_and_the_message(lab_state: Path) -> None:
    am, prom = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    got = invoke_egovnet(
        "monitor", "digest", "-i", str(LAB_INVENTORY), "--state-dir", str(lab_state),
        "--alertmanager-url", am, "--prometheus-url", prom, "--lang", "en", "--json",
    )  # fmt: skip
    assert got.returncode == 0, got.stderr
    doc = json.loads(got.stdout)
    assert doc["lang"] == "en"
    assert doc["alerts"]["reachable"] is False
    assert doc["alerts"]["url"] == am
    assert [t["tier"] for t in doc["tiers"]] == ["department", "town", "village"]
    assert {t["tier"]: (t["tested"], t["tested_meeting"]) for t in doc["tiers"]}["town"] == (2, 1)
    assert doc["markdown"].startswith("### E-government extranet daily digest")
    assert Digest.model_validate(doc).cloud.ratio == 0.5


def test_plain_output_is_the_chinese_message_by_default(lab_state: Path) -> None:
    got = invoke_egovnet(
        "monitor", "digest", "-i", str(LAB_INVENTORY), "--state-dir", str(lab_state),
        "--alertmanager-url", f"http://127.0.0.1:{free_port()}",
        "--prometheus-url", f"http://127.0.0.1:{free_port()}",
    )  # fmt: skip
    assert got.returncode == 0, got.stderr
    assert got.stdout.startswith("### 电子政务外网日报 ")
    assert "监控平台不可达" in got.stdout


def test_a_bad_language_is_bad_input() -> None:
    got = invoke_egovnet("monitor", "digest", "-i", str(LAB_INVENTORY), "--lang", "fr")
    assert got.returncode == 2
    assert "--lang: unknown language 'fr'" in got.stderr


# --- the size limit ---------------------------------------------------------------------------


def many_alerts(count: int) -> list[OpenAlert]:
    return [
        OpenAlert(
            name="LinkDown",
            severity="critical" if n % 3 == 0 else "warning",
            site=f"vil-{n:03d}",
            site_name=f"龙归镇第{n}村",
            summary=f"village {n}: link town1-vil{n} is down",
            summary_zh=f"龙归镇第{n}村 链路 town1-vil{n} 中断 {n} 分钟",
            since=NOW,
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("lang", [Lang.zh, Lang.en])
def test_a_storm_of_alerts_fits_wecom_and_says_how_many_it_left_out(
    district_digest: Digest, lang: Lang
) -> None:
    storm = district_digest.model_copy(
        update={
            "alerts": district_digest.alerts.model_copy(
                update={"reachable": True, "error": None, "alerts": many_alerts(300)}
            )
        }
    )
    text = render_markdown(storm, lang)
    assert len(text.encode("utf-8")) <= WECOM_BYTES
    shown = [ln for ln in text.splitlines() if ln.startswith("- [")]
    more = re.search(r"^- (?:另有 (\d+) 项|and (\d+) more)$", text, re.MULTILINE)
    assert more is not None, text
    assert len(shown) + int(more.group(1) or more.group(2)) == 300
    assert shown  # some alerts are still named
    # every headline survives the cut
    for key in ("上云率", "等保", "覆盖") if lang is Lang.zh else ("Coverage", "MLPS", "Alerts"):
        assert f"**{key}" in text
    zh, en = (
        "**告警**：300 条未恢复（严重 100，警告 200）",
        "**Alerts**: 300 open (critical 100, warning 200)",
    )
    assert (zh if lang is Lang.zh else en) in text


def test_lists_shorten_to_fit_a_smaller_limit_and_count_what_they_drop(
    district_digest: Digest,
) -> None:
    text = render_markdown(district_digest, Lang.zh, limit_bytes=1800)
    assert len(text.encode("utf-8")) <= 1800
    line = next(ln for ln in text.splitlines() if ln.startswith("  未测评："))
    names = line.removeprefix("  未测评：").split("、")
    left = int(re.fullmatch(r"另有 (\d+) 项", names[-1]).group(1))  # type: ignore[union-attr]
    assert len(names) - 1 + left == len(district_digest.mlps.never_assessed)


def test_a_page_long_district_name_is_cut_within_the_limit(district_digest: Digest) -> None:
    huge = district_digest.model_copy(update={"district": "武江区" * 3000})
    text = render_markdown(huge, Lang.zh)
    assert len(text.encode("utf-8")) <= WECOM_BYTES
    text.encode("utf-8").decode("utf-8")  # whole characters only
    assert text.startswith("### 电子政务外网日报 2026-12-02")
