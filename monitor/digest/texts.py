"""Every sentence of the digest, in Chinese and in English, with its placeholders."""

from __future__ import annotations

from base.lang import Lang

# key -> (Chinese, English); str.format placeholders, filled with the digest's values
TEXTS: dict[str, tuple[str, str]] = {
    "title": ("### 电子政务外网日报 {day}", "### E-government extranet daily digest {day}"),
    "bandwidth": ("**接入带宽（{year} 年目标）**", "**Access bandwidth ({year} targets)**"),
    "tier": (
        "- {name} {target}M：签约速率 {meeting}/{sites} 达标{measured}",
        "- {name}, {target} Mbps: {meeting}/{sites} sites by committed rate{measured}",
    ),
    "measured": ("；实测 {ok}/{tested} 达标", "; measured {ok}/{tested} meet it"),
    "short": ("未达标：", "short: "),
    "gap": ("{site} {committed}M（差 {short}M）", "{site} {committed} Mbps (-{short})"),
    "coverage": (
        "**覆盖**：{connected}/{sites} 个区、镇、村站点连通政务云（{ratio}，目标 {target}）",
        "**Coverage**: {connected}/{sites} district, town and village sites reach the"
        " government cloud ({ratio}, target {target})",
    ),
    "cut_off": ("未连通：", "cut off: "),
    "cloud": (
        "**上云率**：{ratio}（{migrated}/{counted}{verified}；基线 {baseline}，目标 {target}）"
        "{state}",
        "**Systems on the government cloud (上云率)**: {ratio} ({migrated}/{counted}{verified};"
        " baseline {baseline}, target {target}): {state}",
    ),
    "verified": ("，经核查 {ratio}", ", verified {ratio}"),
    "meets_target": ("已达目标", "meets the target"),
    "meets_baseline": ("已达基线，未达目标", "meets the baseline, below the target"),
    "below_baseline": ("低于基线", "below the baseline"),
    "to_move": ("待上云：", "to move: "),
    "to_move_blocked": ("待上云（{blocked} 个受阻）：", "to move ({blocked} blocked): "),
    "mlps": (
        "**等保**：{checked}/{systems} 个对象已核查，{checks}",
        "**MLPS (等保)**: {checked}/{systems} objects audited, {checks}",
    ),
    "checks": (
        "控制项通过 {passed}/{decided}（{rate}），待人工核查 {manual} 项",
        "controls passing {passed}/{decided} ({rate}), {manual} for manual review",
    ),
    "no_checks": ("尚无核查结果（egovnet audit run）", "no audit results yet (egovnet audit run)"),
    "failing": ("不通过：", "failing: "),
    "failing_item": ("{name} {failed} 项", "{name} {failed}"),
    "overdue": ("测评逾期：", "assessment overdue: "),
    "due_soon": ("{days} 天内到期：", "due within {days} days: "),
    "due_item": ("{name} {due}（{days} 天）", "{name} {due} ({days} d)"),
    "never_assessed": ("未测评：", "never assessed: "),
    "unfiled": ("未备案：", "not filed: "),
    "unreachable": (
        "**告警**：监控平台不可达（{url}），本报未含告警",
        "**Alerts**: the monitoring stack is not reachable ({url}); no alerts in this digest",
    ),
    "no_alerts": ("**告警**：无未恢复告警", "**Alerts**: none open"),
    "alerts": ("**告警**：{count} 条未恢复（{counts}）", "**Alerts**: {count} open ({counts})"),
    "critical": ("严重", "critical"),
    "warning": ("警告", "warning"),
    "info": ("提示", "info"),
    "more": ("另有 {left} 项", "and {left} more"),
    "separator": ("、", ", "),
    "count_separator": ("，", ", "),
    "cut": ("……（已截断）", "... (cut)"),
}


def t(key: str, lang: Lang, **values: object) -> str:
    """The sentence ``key`` in ``lang``, its placeholders filled (values are never parsed)."""
    zh, en = TEXTS[key]
    return (zh if lang is Lang.zh else en).format(**values)
