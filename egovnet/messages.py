"""The command's own words in Chinese and English: table titles, column headings, messages.

One catalogue, looked up by key (``text("inventory.tiers.title")``), instead of strings spread
over the command files. The language is chosen once per run by the root option
``egovnet --lang zh|en`` (default from the locale: ``LANG=zh_CN.UTF-8`` gives Chinese) and
read here by every command. ``--help`` stays English: it is written once, in the code.
"""

from __future__ import annotations

from base.lang import Lang

# key: (Chinese, English); ``{name}`` fields are filled by ``text(key, name=...)``.
CATALOGUE: dict[str, tuple[str, str]] = {
    "error": ("错误：{message}", "error: {message}"),
    "error.count": ("共 {count} 个错误", "{count} error(s)"),
    # egovnet inventory show
    "inventory.tiers.title": (
        "各层级站点对照规划（2021 年基线 / 2025 年目标）",
        "Sites by tier against the plan (2021 baseline / 2025 target)",
    ),
    "inventory.tiers.tier": ("层级", "tier"),
    "inventory.tiers.sites": ("站点数", "sites"),
    "inventory.tiers.baseline": ("基线", "baseline"),
    "inventory.tiers.target": ("目标", "target"),
    "inventory.tiers.circuits": ("线路数", "circuits"),
    "inventory.tiers.meeting": ("达标线路", "meeting target"),
    "inventory.tiers.sites_ok": ("达标站点", "sites ok"),
    "inventory.circuits.title": (
        "接入线路（承诺带宽对照层级目标）",
        "Access circuits (committed rate against the tier target)",
    ),
    "inventory.circuits.link": ("链路", "link"),
    "inventory.circuits.site": ("站点", "site"),
    "inventory.circuits.tier": ("层级", "tier"),
    "inventory.circuits.plane": ("平面", "plane"),
    "inventory.circuits.carrier": ("运营商", "carrier"),
    "inventory.circuits.committed": ("承诺带宽", "committed"),
    "inventory.circuits.target": ("目标", "target"),
    "inventory.circuits.status": ("状态", "status"),
    "inventory.circuits.meets": ("达标", "meets target"),
    "inventory.circuits.short": ("差 {mbps} Mbps", "short {mbps} Mbps"),
    "inventory.migration": (
        "上云率：[bold]{ratio}[/bold]，目标 {target}（{statuses}）",
        "上云率 (migrated): [bold]{ratio}[/bold] of target {target}  ({statuses})",
    ),
    "inventory.counts": ("{name}：[bold]{count}[/bold]", "{name}: [bold]{count}[/bold]"),
    "count.sites": ("站点", "sites"),
    "count.devices": ("设备", "devices"),
    "count.links": ("链路", "links"),
    "count.circuits": ("接入线路", "circuits"),
    "count.systems": ("信息系统", "systems"),
}

_chosen: list[Lang] = [Lang.en]


def choose(lang: Lang) -> None:
    """Set the language of this run (the root ``--lang`` option does, once)."""
    _chosen[0] = lang


def current() -> Lang:
    return _chosen[0]


def text(key: str, **fields: object) -> str:
    """The catalogue's text for ``key`` in this run's language, fields filled in."""
    zh, en = CATALOGUE[key]
    template = zh if current() is Lang.zh else en
    return template.format(**fields) if fields else template
