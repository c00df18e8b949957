"""``egovnet topology``: check, whatif, discover (LLDP drift), draw."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # check
    "topology.check.title": (
        "拓扑检查：{profile}（{inventory}）",
        "Topology check: {profile} ({inventory})",
    ),
    "topology.check.findings": ("{count} 项发现", "{count} findings"),
    "topology.check.more": (
        "{message}；……（全部：--json）",
        "{message}; ... (all of them: --json)",
    ),
    "topology.check.pass": ("必须规则全部通过", "must-rules pass"),
    "topology.check.fail": ("必须规则未通过", "must-rules FAIL"),
    "severity.must": ("必须", "must"),
    "severity.should": ("应当", "should"),
    "severity.info": ("提示", "info"),
    "severity.critical": ("严重", "critical"),
    "severity.warning": ("警告", "warning"),
    # whatif
    "topology.whatif.progress": ("逐一模拟单点故障", "failing each element"),
    "topology.whatif.failing": (
        "模拟故障：[bold]{failed}[/bold]",
        "failing: [bold]{failed}[/bold]",
    ),
    "topology.whatif.isolated": (
        "{count} 个站点失去到政务云的通路",
        "{count} site(s) lose the government cloud",
    ),
    "topology.whatif.none_isolated": (
        "没有站点失去到政务云的通路",
        "no site loses its path to the government cloud",
    ),
    "topology.whatif.lost": (
        "{count} 个站点仍通政务云但失去冗余",
        "{count} site(s) keep the cloud but lose redundancy",
    ),
    "impact.down": ("本站设备全部故障", "its devices failed"),
    "impact.cut_off": ("通路被切断", "cut off"),
    "topology.ranking.title": (
        "单点故障按断开站点数排序（共 {count} 项，显示前 {top} 项）",
        "Single failures ranked by sites isolated (top {top} of {count})",
    ),
    # discover
    "topology.discover.progress": ("读取 LLDP 邻居", "reading LLDP neighbours"),
    "topology.drift.title": ("LLDP 未能确认的规划链路", "Intended links LLDP does not confirm"),
    "topology.unexpected.title": (
        "意外邻居（该接口上没有规划链路）",
        "Unexpected neighbours (no intended link on that interface)",
    ),
    "topology.unexpected.stranger": ("{system}（不在清单中）", "{system} (not in inventory)"),
    "topology.drift.unread": ("无法读取 {device}", "could not read {device}"),
    "topology.drift.clean": ("与清单一致", "matches the inventory"),
    "topology.drift.drift": ("存在偏差", "drift"),
    "topology.drift.summary": (
        "{verdict}：已发现 {found}/{links} 条链路；{counts}；已读取 {read}/{devices} 台设备",
        "{verdict}: {found}/{links} links discovered; {counts}; {read}/{devices} devices read",
    ),
    "topology.drift.not_read": ("未读取", "not read"),
    "topology.drift.nothing": ("无", "nothing"),
    "linkstate.discovered": ("已发现", "discovered"),
    "linkstate.missing": ("缺失", "missing"),
    "linkstate.miswired": ("接错", "miswired"),
    "linkstate.unknown": ("未知", "unknown"),
    "linkstate.unexpected": ("意外邻居", "unexpected"),
    # draw
    "topology.draw.progress": ("用 dot 渲染", "rendering with dot"),
    "topology.draw.down": ("，{count} 条链路中断", ", {count} link(s) down"),
    "topology.draw.many": ("{count} 张图，写入 {out}", "{count} drawings into {out}"),
    "topology.draw.wrote": (
        "已写入 {shown}（{fmt}，{devices} 台设备{extra}）",
        "wrote {shown} ({fmt}, {devices} devices{extra})",
    ),
}
