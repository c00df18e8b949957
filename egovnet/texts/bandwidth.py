"""``egovnet bandwidth``: test, show, history."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "bandwidth.test.title": (
        "带宽测试（{runner}，每条线路 {seconds} 秒）",
        "Bandwidth test ({runner}, {seconds}s per circuit)",
    ),
    "bandwidth.show.title": ("各线路最近一次带宽测试", "Last bandwidth test per circuit"),
    "bandwidth.history.title": ("带宽测试历史（{file}）", "Bandwidth test history ({file})"),
    "bandwidth.kept": ("结果保存在 {last} 和 {history}", "kept in {last} and {history}"),
    "bandwidth.none_yet": (
        "尚未做过带宽测试：egovnet bandwidth test SITE",
        "no bandwidth test has run yet: egovnet bandwidth test SITE",
    ),
    "bandwidth.shortfall": ("差 {mbps} Mbps", "shortfall {mbps} Mbps"),
    "bandwidth.committed_below": (
        "（承诺带宽 {committed} < 目标 {target}）",
        " (committed {committed} < target {target})",
    ),
    "bandwidth.below_committed": ("低于承诺带宽", "below committed rate"),
    "verdict.meets target": ("达标", "meets target"),
    "verdict.shortfall": ("不达标", "shortfall"),
    "verdict.no target": ("无目标", "no target"),
    "verdict.failed": ("测试失败", "failed"),
    "direction.up": ("上行", "up"),
    "direction.down": ("下行", "down"),
}
