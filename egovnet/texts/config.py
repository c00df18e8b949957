"""``egovnet config``: render, diff, push, confirm, rollback, backup, drift."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "config.title.render": ("已生成的配置", "Rendered configurations"),
    "config.title.diff": ("运行配置对照预期配置", "Running vs intended"),
    "config.title.push": ("下发", "Push"),
    "config.title.push_dry": (
        "下发（演练：未做任何改动；加 --commit 执行）",
        "Push (dry run: nothing changed; add --commit)",
    ),
    "config.title.confirm": ("确认", "Confirm"),
    "config.title.rollback": ("回滚", "Rollback"),
    "config.title.backup": ("备份", "Backup"),
    "config.title.drift": ("配置漂移（运行配置对照预期配置）", "Drift (running vs intended)"),
    "config.backup.commit": ("提交 {commit}", "commit {commit}"),
    "config.backup.nothing": ("没有变化，未提交", "nothing changed, no commit"),
    "config.backup.repository": ("仓库 {path}：{done}", "repository {path}: {done}"),
    "status.rendered": ("已生成", "rendered"),
    "status.unchanged": ("无变化", "unchanged"),
    "status.would-change": ("将变更", "would-change"),
    "status.committed": ("已提交", "committed"),
    "status.pending-confirm": ("待确认", "pending-confirm"),
    "status.confirmed": ("已确认", "confirmed"),
    "status.nothing-pending": ("无待确认", "nothing-pending"),
    "status.rolled-back": ("已回滚", "rolled-back"),
    "status.reverted": ("已自动还原", "reverted"),
    "status.backed-up": ("已备份", "backed-up"),
    "status.in-sync": ("一致", "in-sync"),
    "status.drift": ("漂移", "drift"),
    "status.failed": ("失败", "failed"),
}
