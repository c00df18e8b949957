"""Titles and labels of the exports in both languages."""

from __future__ import annotations

from ..controls import Lang

TEXTS: dict[str, tuple[str, str]] = {
    "title": ("等级保护合规检查报告", "MLPS 2.0 compliance report"),
    "summary": ("汇总", "Summary"),
    "results": ("检查结果", "Results"),
    "migration": ("上云核查", "Migration"),
    "changes": ("变更记录", "Changes"),
    "generated_at": ("生成时间", "Generated at"),
    "inventory": ("资源清单", "Inventory"),
    "scope": ("范围", "Scope"),
    "all_systems": ("全部系统", "all systems"),
    "pass_rate_chart": ("各系统符合率（自动检查项）", "Pass rate per system (automated checks)"),
    "migration_chart": ("各部门上云情况", "Migration per department"),
    "migrated": ("已上云", "migrated"),
    "not_migrated": ("未上云", "not migrated"),
    "passed": ("符合", "pass"),
    "failed": ("不符合", "fail"),
    "ratio": ("上云率", "Migration rate"),
    "verified_ratio": ("经核查上云率", "Verified migration rate"),
    "baseline": ("基线", "baseline"),
    "target": ("目标", "target"),
    "department": ("部门", "Department"),
    "systems": ("系统数", "Systems"),
    "counted": ("计入", "Counted"),
    "rate": ("比例", "Rate"),
    "no_results": (
        "尚无检查结果：请先运行 egovnet audit run",
        "No results yet: run egovnet audit run first",
    ),
    "no_changes": ("无变更记录", "No change records"),
    "no_auto_results": ("无自动检查结果", "no automated results"),
    "no_systems": ("清单中没有信息系统", "No information systems in the inventory"),
    "evidence_note": (
        "每条证据附 SHA-256；证据列文本的 SHA-256 即“证据SHA-256”列。",
        "Every evidence item carries its SHA-256; the SHA-256 of the evidence "
        "cell's text is the Evidence SHA-256 column.",
    ),
    "skipped_lines": ("变更日志中无法读取的行", "Unreadable change-log lines"),
}


def t(key: str, lang: Lang) -> str:
    zh, en = TEXTS[key]
    return zh if lang is Lang.zh else en
