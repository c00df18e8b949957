"""Columns of every export table with Chinese (default) and English headers, and the values
shown in each language. XLSX, CSV and HTML all take their rows from here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from inventory.names import MIGRATION_STATUS_NAMES

from ..changelog import ChangeEntry
from ..controls import Lang
from ..migration import Blocker, BlockerKind, SystemLine
from ..results import CheckResult
from .dataset import SystemSummary

T = TypeVar("T")

VALUE_NAMES: dict[str, tuple[str, str]] = {
    # results
    "pass": ("符合", "pass"),
    "fail": ("不符合", "fail"),
    "manual": ("人工核查", "manual"),
    "not_applicable": ("不适用", "not applicable"),
    # methods
    "auto": ("自动", "automatic"),
    # risk
    "high": ("高", "high"),
    "medium": ("中", "medium"),
    "low": ("低", "low"),
    # asset types
    "linux_server": ("Linux服务器", "Linux server"),
    "network_device": ("网络设备", "network device"),
    # migration statuses: named where every tool names them
    **{status.value: names for status, names in MIGRATION_STATUS_NAMES.items()},
    # migration flags
    "cloud_not_answering": ("云上地址无响应", "cloud URL does not answer"),
    "onprem_still_answering": ("原地址仍在服务", "on-prem URL still answers"),
    "hosts_not_in_cloud": ("主机不在政务云", "hosts not in the cloud zone"),
    "already_in_cloud": ("已在云上运行", "already answers in the cloud"),
    "hosts_in_cloud": ("主机已在政务云", "hosts already in the cloud zone"),
    "not_answering": ("均无响应", "nothing answers"),
}


def value(text: str | None, lang: Lang) -> str:
    if text is None:
        return ""
    names = VALUE_NAMES.get(text)
    if names is None:
        return text
    return names[0] if lang is Lang.zh else names[1]


def percent(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.1%}"


@dataclass(frozen=True)
class Column(Generic[T]):
    key: str
    zh: str
    en: str
    get: Callable[[T, Lang], str]
    width: int = 14  # spreadsheet width in characters
    # A time column: the moment (or its ISO text) a report for people shows in local time.
    moment: Callable[[T], datetime | str] | None = None

    def header(self, lang: Lang) -> str:
        return self.zh if lang is Lang.zh else self.en


R = CheckResult
RESULT_COLUMNS: list[Column[CheckResult]] = [
    Column("system_id", "系统编号", "System ID", lambda r, _: r.system_id, 12),
    Column("asset_id", "资产编号", "Asset ID", lambda r, _: r.asset_id, 14),
    Column("asset_type", "资产类型", "Asset type", lambda r, lg: value(r.asset_type, lg), 12),
    Column("host", "主机地址", "Host", lambda r, _: r.host, 15),
    Column("clause", "标准条款", "Clause", lambda r, _: r.clause, 22),
    Column("control_point", "控制点", "Control point", lambda r, lg: r.control_point.get(lg), 12),
    Column("test_unit_id", "测评单元", "Test unit", lambda r, _: r.test_unit_id, 12),
    Column("requirement", "测评要求", "Requirement", lambda r, lg: r.requirement.get(lg), 40),
    Column("check_id", "检查项", "Check ID", lambda r, _: r.check_id, 20),
    Column("method", "检查方式", "Method", lambda r, lg: value(r.method, lg), 8),
    Column("result", "结果", "Result", lambda r, lg: value(r.result, lg), 9),
    Column("finding", "检查发现", "Finding", lambda r, _: r.finding, 40),
    Column("evidence", "证据", "Evidence", lambda r, _: r.evidence_text, 60),
    Column(
        "evidence_sha256", "证据SHA-256", "Evidence SHA-256", lambda r, _: r.evidence_sha256, 20
    ),
    Column(
        "collected_at",
        "采集时间",
        "Collected at",
        lambda r, _: r.collected_at.isoformat(),
        25,
        moment=lambda r: r.collected_at,
    ),
    Column("risk_level", "风险等级", "Risk level", lambda r, lg: value(r.risk_level, lg), 8),
    Column("remediation", "整改建议", "Remediation", lambda r, lg: r.remediation.get(lg), 40),
    Column("owner", "责任单位", "Owner", lambda r, _: r.owner, 16),
]


def overdue_text(days: int, lang: Lang) -> str:
    return f"逾期 {days} 天" if lang is Lang.zh else f"overdue by {days} days"


def assessment_state(summary: SystemSummary, lang: Lang) -> str:
    """逾期 N 天 past the due date; 未测评 with no assessment on record; else empty."""
    if summary.overdue_days is not None:
        return overdue_text(summary.overdue_days, lang)
    if summary.system.last_assessment is None:
        return "未测评" if lang is Lang.zh else "never assessed"
    return ""


def blocker_text(blocker: Blocker, lang: Lang) -> str:
    """A blocker said in the report's language, from its facts."""
    kind, b = blocker.kind, blocker
    if kind is BlockerKind.assessment_overdue and b.overdue_days is not None:
        due, last = _date(b.due), _date(b.last_assessment)
        if lang is Lang.zh:
            return f"等保测评{overdue_text(b.overdue_days, lang)}（应于 {due} 前完成，上次 {last}）"
        return f"MLPS assessment {overdue_text(b.overdue_days, lang)} (due {due}, last {last})"
    if lang is Lang.en:
        return b.detail
    if kind is BlockerKind.dependency_not_migrated and b.dependency is not None:
        if b.dependency_status is None:
            return f"依赖的 {b.dependency} 不在资源清单中"
        status = value(b.dependency_status, lang)
        return f"依赖的 {b.dependency}（{b.dependency_name}）尚未上云：{status}"
    if kind is BlockerKind.filing_missing:
        return f"等保{b.level}级：尚无备案编号"
    if kind is BlockerKind.assessment_missing:
        return "尚无等保测评记录"
    return b.detail


def _date(d: object) -> str:
    return d.isoformat() if d is not None and hasattr(d, "isoformat") else ""


SUMMARY_COLUMNS: list[Column[SystemSummary]] = [
    Column("system_id", "系统编号", "System ID", lambda s, _: s.system.id, 12),
    Column("name", "系统名称", "System", lambda s, _: s.system.name, 22),
    Column("department", "主管部门", "Department", lambda s, _: s.department_name, 20),
    Column("level", "安全保护等级", "MLPS level", lambda s, _: str(s.system.level), 10),
    Column(
        "filing_number", "备案编号", "Filing number", lambda s, _: s.system.filing_number or "", 18
    ),
    Column(
        "last_assessment",
        "上次测评",
        "Last assessment",
        lambda s, _: _date(s.system.last_assessment),
        12,
    ),
    Column("next_due", "下次测评", "Next assessment", lambda s, _: _date(s.system.next_due), 12),
    Column("assessment", "测评状态", "Assessment", assessment_state, 12),
    Column(
        "migration_status",
        "迁移状态",
        "Migration status",
        lambda s, lg: value(s.system.migration_status, lg) or "-",
        10,
    ),
    Column("assets", "资产数", "Assets", lambda s, _: str(s.assets), 7),
    Column("checks", "检查项数", "Checks", lambda s, _: str(s.checks), 8),
    Column("passed", "符合", "Pass", lambda s, _: str(s.passed), 6),
    Column("failed", "不符合", "Fail", lambda s, _: str(s.failed), 6),
    Column("manual", "人工核查", "Manual", lambda s, _: str(s.manual), 8),
    Column("pass_rate", "符合率", "Pass rate", lambda s, _: percent(s.pass_rate), 8),
]

CHANGE_COLUMNS: list[Column[ChangeEntry]] = [
    Column("when", "时间", "When", lambda c, _: c.when, 25, moment=lambda c: c.when),
    Column("who", "操作人", "Who", lambda c, _: c.who, 10),
    Column("device", "设备", "Device", lambda c, _: c.device, 14),
    Column("action", "操作", "Action", lambda c, _: c.action, 10),
    Column("result", "结果", "Result", lambda c, _: c.result, 12),
    Column("diff", "变更内容", "Diff", lambda c, _: c.diff, 60),
    Column("source", "来源", "Source", lambda c, _: c.source, 30),
]

MIGRATION_COLUMNS: list[Column[SystemLine]] = [
    Column("id", "系统编号", "System ID", lambda s, _: s.id, 12),
    Column("name", "系统名称", "System", lambda s, _: s.name, 22),
    Column("department", "主管部门", "Department", lambda s, _: s.department_name, 20),
    Column("wave", "批次", "Wave", lambda s, _: "" if s.wave is None else str(s.wave), 6),
    Column("status", "迁移状态", "Status", lambda s, lg: value(s.status, lg), 10),
    Column(
        "checked",
        "已核查",
        "Checked",
        lambda s, lg: (
            ("是" if s.checked else "否") if lg is Lang.zh else ("yes" if s.checked else "no")
        ),
        8,
    ),
    Column(
        "flags",
        "与实际不符",
        "Disagreements",
        lambda s, lg: "; ".join(value(f, lg) for f in s.flags),
        30,
    ),
    Column(
        "blockers",
        "阻碍",
        "Blockers",
        lambda s, lg: "; ".join(blocker_text(b, lg) for b in s.blockers),
        40,
    ),
]


def table(
    columns: list[Column[T]], items: list[T], lang: Lang
) -> tuple[list[str], list[list[str]]]:
    """Headers and cell texts of one table in one language."""
    return [c.header(lang) for c in columns], [[c.get(i, lang) for c in columns] for i in items]
