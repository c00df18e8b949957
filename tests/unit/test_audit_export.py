"""Exports for auditors: XLSX, CSV and HTML from the same stored results."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from base.atomic import write_with
from base.errors import AuditInputError
from inventory.catalog import Inventory
from playbooks.controls import Lang
from playbooks.export import ExportFormat, build_dataset, export
from playbooks.store import AuditPaths
from tests.audit_support import store_lab_results

pytestmark = pytest.mark.unit


@pytest.fixture
def state(lab_inventory: Inventory, tmp_path: Path) -> Path:
    """A state directory as `egovnet audit run` leaves it, plus a change log and a
    migration check."""
    state = store_lab_results(lab_inventory, tmp_path)
    paths = AuditPaths(state)
    log = state / "automation" / "changes.jsonl"
    log.parent.mkdir(parents=True)
    log.write_text(
        json.dumps(
            {
                "at": "2026-11-22T21:40:03+08:00",
                "who": "netops",
                "action": "push",
                "device": "core1",
                "platform": "frr",
                "result": "committed",
                "diff": " interface eth1\n-  ip ospf cost 50\n+  ip ospf cost 10\n",
                "run": "r1",
            }
        )
        + "\n"
        + "garbage line\n"
        + json.dumps(
            {
                "when": "2026-11-23T09:00:00+08:00",
                "who": "张工",
                "device": "srv-cloud1",
                "diff": ["- a", "+ b"],
                "result": True,
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    paths.migration.mkdir(parents=True)
    (paths.migration / "SYS-OA.json").write_text(
        json.dumps(
            {
                "system_id": "SYS-OA",
                "status": "cutover",
                "probe": "srv-cloud1",
                "checked_at": "2026-11-22T21:59:44+00:00",
                "cloud_answers": True,
                "onprem_answers": True,
                "hosts_in_cloud": True,
                "flags": ["onprem_still_answering"],
            }
        ),
        encoding="utf-8",
    )
    return state


def sheet_rows(path: Path, sheet: str) -> list[dict[str, str]]:
    book = openpyxl.load_workbook(path, read_only=True)
    values = list(book[sheet].iter_rows(values_only=True))
    head = [str(h) for h in values[0]]
    return [
        dict(zip(head, ("" if v is None else str(v) for v in row), strict=True))
        for row in values[1:]
    ]


def test_xlsx_has_one_row_per_asset_and_control_with_matching_hashes(
    lab_inventory: Inventory, state: Path, tmp_path: Path
) -> None:
    data = build_dataset(lab_inventory, AuditPaths(state))
    out = export(data, ExportFormat.xlsx, tmp_path / "等保.xlsx")
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["汇总", "检查结果", "上云核查", "变更记录"]
    rows = sheet_rows(out, "检查结果")
    assert len(rows) == len(data.rows) > 0
    keys = {(r["系统编号"], r["资产编号"], r["检查项"]) for r in rows}
    assert len(keys) == len(rows), "one row per (system, asset, control)"
    assert {r["资产编号"] for r in rows} == {"core1", "vil1", "srv-cloud1"}
    for row in rows:
        text = row["证据"]
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == row["证据SHA-256"]
        assert "(sha256 " in text  # every evidence item names its own hash
        assert row["结果"] in {"符合", "不符合", "人工核查", "不适用"}
        assert datetime.fromisoformat(row["采集时间"]).tzinfo is not None
    summary = {
        r["系统编号"]: r
        for r in sheet_rows(out, "汇总")
        if r["系统编号"].startswith(("SYS", "EXT"))
    }
    assert summary["SYS-ZWFW"]["安全保护等级"] == "3"
    assert summary["SYS-ZWFW"]["备案编号"] == "44020399001-21001"
    assert summary["SYS-ZWFW"]["下次测评"] == "2026-06-18"
    assert summary["SYS-OA"]["迁移状态"] == "已割接"
    assert summary["EXTRANET"]["符合率"].endswith("%")
    changes = sheet_rows(out, "变更记录")
    assert [c["设备"] for c in changes] == ["core1", "srv-cloud1"]
    assert changes[1]["操作人"] == "张工" and changes[1]["变更内容"] == "- a\n+ b"
    migration = {r["系统编号"]: r for r in sheet_rows(out, "上云核查")}
    assert migration["SYS-OA"]["与实际不符"] == "原地址仍在服务"


def test_english_headers_and_the_same_rows_in_csv(
    lab_inventory: Inventory, state: Path, tmp_path: Path
) -> None:
    data = build_dataset(lab_inventory, AuditPaths(state))
    xlsx = export(data, ExportFormat.xlsx, tmp_path / "audit.xlsx", Lang.en)
    assert openpyxl.load_workbook(xlsx, read_only=True).sheetnames[1] == "Results"
    from_xlsx = sheet_rows(xlsx, "Results")
    out = export(data, ExportFormat.csv, tmp_path / "audit.csv", Lang.en)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        from_csv = list(csv.DictReader(handle))
    assert list(from_csv[0])[:4] == ["System ID", "Asset ID", "Asset type", "Host"]
    assert from_csv == from_xlsx
    zh = export(data, ExportFormat.csv, tmp_path / "audit-zh.csv")
    assert zh.read_text(encoding="utf-8-sig").startswith("系统编号,资产编号,资产类型,主机地址")


def test_html_has_summary_charts_and_prints(
    lab_inventory: Inventory, state: Path, tmp_path: Path
) -> None:
    data = build_dataset(lab_inventory, AuditPaths(state))
    page = export(data, ExportFormat.html, tmp_path / "audit.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 2
    assert "各系统符合率" in page and "各部门上云情况" in page
    assert "@media print" in page and "table-header-group" in page
    assert "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    for row in data.rows[:20]:
        assert row.evidence_sha256 in page
    assert "区政务服务数据管理局" in page


def test_one_system_only(lab_inventory: Inventory, state: Path, tmp_path: Path) -> None:
    data = build_dataset(lab_inventory, AuditPaths(state), system="SYS-OA")
    assert {r.system_id for r in data.rows} == {"SYS-OA"}
    assert [s.system.id for s in data.summaries] == ["SYS-OA"]
    assert {c.device for c in data.changes.entries} == {"srv-cloud1"}
    assert [s.id for s in data.migration.systems] == ["SYS-OA"]
    extranet = build_dataset(lab_inventory, AuditPaths(state), system="EXTRANET")
    assert {r.asset_id for r in extranet.rows} == {"core1", "vil1"}
    with pytest.raises(AuditInputError, match="--system: unknown system 'SYS-NOPE'"):
        build_dataset(lab_inventory, AuditPaths(state), system="SYS-NOPE")


def test_an_export_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"the previous export")

    def broken(tmp: Path) -> None:
        tmp.write_bytes(b"half of a new export")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_with(out, broken)
    assert out.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
