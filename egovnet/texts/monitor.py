"""``egovnet monitor``: config, up, down, status, notifications, dashboards."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "monitor.failed": ("未通过", "FAILED"),
    "monitor.starting": ("启动中", "starting"),
    "monitor.starting_one": ("正在启动 {name}", "starting {name}"),
    "monitor.up.title": (
        "监控栈（{profile}），状态目录 {root}",
        "NOC stack ({profile}), state in {root}",
    ),
    "monitor.nothing_to_stop": (
        "无需停止：{root} 中没有记录监控栈",
        "nothing to stop: no NOC stack recorded in {root}",
    ),
    "monitor.no_stack": (
        "{root} 中没有记录监控栈；用 `egovnet monitor up` 启动",
        "no NOC stack recorded in {root}; start one with `egovnet monitor up`",
    ),
    "monitor.components": ("组件", "Components"),
    "monitor.targets": ("采集目标", "Scrape targets"),
    "monitor.alerts": ("告警（{firing} 条触发中）", "Alerts ({firing} firing)"),
    "monitor.problem": ("问题：", "problem:"),
    "monitor.robots": ("群机器人和企业微信应用", "Chat receivers (robots)"),
    "monitor.digest.sent": ("已发送至 {receiver}", "sent to {receiver}"),
    "monitor.digest.not_sent": ("未发送至 {receiver}：{error}", "NOT sent to {receiver}: {error}"),
    "monitor.notifications": ("已收到的通知（{file}）", "Notifications received ({file})"),
    "monitor.dashboards.queries": (
        "仪表盘查询（$site={site}）",
        "Dashboard queries ($site={site})",
    ),
    "monitor.dashboards.checked": (
        "{count} 条仪表盘查询，对照 {url}",
        "{count} dashboard queries against {url}",
    ),
    # what `monitor up`/`down` did to a component
    "action.started": ("已启动", "started"),
    "action.kept": ("保持运行", "kept"),
    "action.reloaded": ("已重载", "reloaded"),
    "action.restarted": ("已重启", "restarted"),
    "action.stopped": ("已停止", "stopped"),
    "action.not running": ("未运行", "not running"),
    "action.external": ("外部", "external"),
    # what Alertmanager did with an alert (monitor/status.py)
    "delivery.active": ("已送达", "active"),
    "delivery.suppressed": ("已抑制", "suppressed"),
    "delivery.unprocessed": ("未处理", "unprocessed"),
    "delivery.not received": ("未收到", "not received"),
    # alert and notification states
    "alertstate.firing": ("触发中", "firing"),
    "alertstate.pending": ("待触发", "pending"),
    "alertstate.inactive": ("未触发", "inactive"),
    "alertstate.resolved": ("已恢复", "resolved"),
}
