"""``egovnet inventory``: validate, show, import/export, discover, netbox."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "inventory.count": ("{name} {count} 个", "{count} {name}"),
    "inventory.counts": ("{name}：[bold]{count}[/bold]", "{name}: [bold]{count}[/bold]"),
    # show
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
    # discover
    "inventory.discover.drafted": (
        "{devices} 台设备，{links} 条链路；请逐一核对标有 `# review` 的行",
        "{devices} devices, {links} links; check every `# review` line",
    ),
    "inventory.discover.not_crawled": (
        "未能探查：{address}：{why}",
        "not crawled: {address}: {why}",
    ),
    "inventory.discover.not_drafted": ("未写入草稿：{why}", "not drafted: {why}"),
    "inventory.discover.found": ("发现 {name}，地址 {address}", "found {name} at {address}"),
    # netbox push
    "netbox.created": ("已创建", "created"),
    "netbox.would_create": ("将创建", "would create"),
    "netbox.would": ("将{action}", "would {action}"),
    "netbox.create": ("创建", "create"),
    "netbox.update": ("更新", "update"),
    "netbox.conflict": ("冲突", "conflict"),
    "netbox.keep": ("保留", "keep"),
    "netbox.unchanged": ("无变化", "unchanged"),
    "netbox.diff": (
        "    {field}：NetBox {netbox}，清单 {inventory}",
        "    {field}: NetBox {netbox}, inventory {inventory}",
    ),
    "netbox.left_alone": (
        "未改动 {count} 个非 egovnet 创建但与清单一致的对象",
        "left alone {count} matching objects egovnet did not create",
    ),
    "netbox.warning": ("警告", "warning"),
    "netbox.applied": ("已执行，写入 {written} 项", "applied, {written} written"),
    "netbox.dry_run": ("演练，未写入（加 --apply 执行）", "dry run, nothing written (--apply)"),
}
