"""``egovnet audit``: run, migration, export, controls (the exports' own words are in
playbooks/export/texts.py and columns.py, the document's language chosen by their --lang)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "audit.run.title": ("等保检查（{mode}）", "等保 checks ({mode})"),
    "auditmode.audit": ("核查", "audit"),
    "auditmode.remediate": ("整改", "remediate"),
    "audit.migration_checked": ("已核查上云：{checked}", "migration checked: {checked}"),
    "audit.plan.meets_target": ("达到目标", "meets the target"),
    "audit.plan.meets_baseline": ("达到基线，未达目标", "meets the baseline, below the target"),
    "audit.plan.below_baseline": ("低于基线", "below the baseline"),
    "audit.verified": (
        "；已核实 {ratio}（{migrated}/{counted}）",
        "; verified {ratio} ({migrated}/{counted})",
    ),
    "audit.not_verified": (
        "；未核实（运行 egovnet audit run --migration）",
        "; not verified (run egovnet audit run --migration)",
    ),
    "audit.migration.line": (
        "上云率 [bold]{ratio}[/bold]（{migrated}/{counted} 个系统，不含保留系统）——"
        "基线 {baseline}，目标 {target}：{state}{verified}",
        "上云率 [bold]{ratio}[/bold] ({migrated}/{counted} systems, retained excluded) - "
        "baseline {baseline}, target {target}: {state}{verified}",
    ),
    "audit.by_department": ("按部门", "By department"),
    "audit.by_wave": ("按批次", "By wave"),
    "audit.systems": ("信息系统", "Systems"),
    "audit.disagrees": ("不一致", "disagrees"),
    "audit.blocked": ("受阻", "blocked"),
    "audit.no_results": (
        "尚未保存任何结果；请先运行 egovnet audit run",
        "no results stored yet; run egovnet audit run first",
    ),
    "audit.exported": (
        "已写入 {out}（{fmt}，{lang}）：{rows} 行，{systems} 个系统，{changes} 条变更记录",
        "wrote {out} ({fmt}, {lang}): {rows} rows, {systems} systems, {changes} change records",
    ),
    "audit.controls.title": ("等保第 {level} 级控制项", "等保 controls at level {level}"),
}
