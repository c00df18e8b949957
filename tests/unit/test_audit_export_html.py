"""The HTML export as an auditor reads it: local times, no machine paths, overdue 测评 flagged,
charts that draw bars or say why not. (Chromium renders it in tests/integration.)"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from base.errors import AuditInputError
from inventory.catalog import Inventory
from playbooks.controls import Lang
from playbooks.export import ExportFormat, build_dataset, export, render_html
from playbooks.export.localtime import minute, minute_of_text, zone, zone_label
from playbooks.export.svg import bar_chart
from playbooks.store import AuditPaths
from tests.audit_support import store_lab_results

pytestmark = pytest.mark.unit

NOW = datetime.fromisoformat("2026-12-01T22:25:00.828460+00:00")  # 06:25 on 2 Dec in Shanghai
ISO_WITH_FRACTION = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+")


def cells(page: str, klass: str) -> list[str]:
    return re.findall(rf'<td class="{klass}">([^<]*)</td>', page)


def test_times_are_local_to_the_minute_with_the_zone_named() -> None:
    shanghai = zone()
    assert minute(NOW, shanghai) == "2026-12-02 06:25"
    assert zone_label(shanghai, NOW) == "Asia/Shanghai (UTC+08:00)"
    assert minute_of_text("2026-11-22T21:40:03+00:00", shanghai) == "2026-11-23 05:40"
    assert minute_of_text("yesterday evening", shanghai) == "yesterday evening"
    assert minute(NOW, zone("Asia/Urumqi")) == "2026-12-02 04:25"
    with pytest.raises(AuditInputError, match="unknown zone 'Mars/Olympus'"):
        zone("Mars/Olympus")


def test_html_shows_local_times_and_no_machine_path(
    lab_inventory: Inventory, tmp_path: Path
) -> None:
    state = store_lab_results(lab_inventory, tmp_path)
    log = state / "automation" / "changes.jsonl"
    log.parent.mkdir(parents=True)
    change = {"at": "2026-11-22T21:40:03.123456+00:00", "who": "netops", "device": "core1"}
    log.write_text(json.dumps(change) + "\n", encoding="utf-8")
    data = build_dataset(lab_inventory, AuditPaths(state), now=NOW)
    page = render_html(data, Lang.zh)
    assert "<td>生成时间</td><td>2026-12-02 06:25 Asia/Shanghai (UTC+08:00)</td>" in page
    assert "<th>采集时间（Asia/Shanghai）</th>" in page and "<th>时间（Asia/Shanghai）</th>" in page
    times = cells(page, "time")
    assert len(times) == len(data.rows) + 1
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", t) for t in times), times[:3]
    assert "2026-11-23 05:40" in times
    assert not ISO_WITH_FRACTION.search(page)
    assert str(lab_inventory.root) not in page and str(Path.cwd()) not in page
    assert "<td>资源清单</td><td>lab: " in page
    english = render_html(data, Lang.en)
    assert "<th>Collected at (Asia/Shanghai)</th>" in english


def test_an_overdue_assessment_reads_overdue_with_the_days(
    lab_inventory: Inventory, district_inventory: Inventory, tmp_path: Path
) -> None:
    """SYS-ZWFW was due 2026-06-18: on 2 Dec 2026 (Shanghai) that is 167 days ago."""
    data = build_dataset(lab_inventory, AuditPaths(tmp_path / "state"), now=NOW)
    page = render_html(data, Lang.zh)
    assert "逾期 167 天" in cells(page, "fail")
    assert "overdue by 167 days" in cells(render_html(data, Lang.en), "fail")
    # The district's migration blockers say it in Chinese, with the due date and the days.
    district = build_dataset(district_inventory, AuditPaths(tmp_path / "state"), now=NOW)
    page = render_html(district, Lang.zh)
    assert "等保测评逾期 84 天（应于 2026-09-09 前完成，上次 2025-09-09）" in page
    assert "测评 due" not in page
    assert "依赖的 SYS-RS（人社业务经办系统）尚未上云：迁移中" in page
    assert "等保3级：尚无备案编号" in page
    english = render_html(district, Lang.en)
    assert "MLPS assessment overdue by 84 days (due 2026-09-09, last 2025-09-09)" in english


def test_a_day_in_shanghai_decides_overdue(lab_inventory: Inventory, tmp_path: Path) -> None:
    """16:30 UTC on 18 June is already 19 June in Shanghai: one day overdue, not zero."""
    late = datetime.fromisoformat("2026-06-18T16:30:00+00:00")
    data = build_dataset(lab_inventory, AuditPaths(tmp_path / "s"), now=late)
    zwfw = next(s for s in data.summaries if s.system.id == "SYS-ZWFW")
    assert zwfw.overdue_days == 1
    utc = build_dataset(lab_inventory, AuditPaths(tmp_path / "s"), now=late, timezone="UTC")
    assert next(s for s in utc.summaries if s.system.id == "SYS-ZWFW").overdue_days is None


def test_pass_rate_chart_without_results_says_so(lab_inventory: Inventory, tmp_path: Path) -> None:
    data = build_dataset(lab_inventory, AuditPaths(tmp_path / "empty"), now=NOW)
    page = render_html(data, Lang.zh)
    chart = page.split("<svg")[1]
    assert "尚无检查结果：请先运行 egovnet audit run" in chart
    assert "<rect" not in chart, "a chart without bars draws no legend"


def test_pass_rate_chart_has_a_row_per_system(lab_inventory: Inventory, tmp_path: Path) -> None:
    data = build_dataset(lab_inventory, AuditPaths(store_lab_results(lab_inventory, tmp_path)))
    chart = render_html(data, Lang.zh).split("<svg")[1]
    for summary in data.summaries:
        assert f"{summary.system.id} " in chart
    unchecked = [s for s in data.summaries if s.pass_rate is None]
    assert unchecked and chart.count("无自动检查结果") == len(unchecked)
    assert chart.count('fill="#2e7d32"') == len(data.summaries) - len(unchecked) + 1  # + legend


def test_bar_chart_without_bars_draws_its_message_only() -> None:
    svg = bar_chart("t", [], ("pass", "fail"), {"target 100%": 1.0}, empty="nothing yet")
    assert "nothing yet" in svg and "<rect" not in svg and "<line" not in svg


def test_xlsx_names_the_inventory_not_its_path(lab_inventory: Inventory, tmp_path: Path) -> None:
    data = build_dataset(lab_inventory, AuditPaths(tmp_path / "state"), now=NOW)
    out = export(data, ExportFormat.xlsx, tmp_path / "audit.xlsx")
    sheet = openpyxl.load_workbook(out, read_only=True).worksheets[0]
    texts = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert not any(str(lab_inventory.root) in text for text in texts)
    assert "2026-12-02 06:25 Asia/Shanghai (UTC+08:00)" in texts
    assert "逾期 167 天" in texts
