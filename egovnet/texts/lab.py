"""``egovnet lab``: up, down, status, fault, traffic."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "lab.progress": ("实验环境", "lab"),
    "lab.up": (
        "[green]实验环境已启动[/green]（{profile}）：{nodes} 个节点，用时 {seconds} 秒，"
        "{mib} MiB；状态在 {state}，凭据在 {secrets}",
        "[green]lab up[/green] ({profile}): {nodes} nodes in {seconds}s, {mib} MiB; "
        "state in {state}, credentials in {secrets}",
    ),
    "lab.removed": (
        "已移除 {processes} 个进程、{namespaces} 个命名空间、{links} 条链路、"
        "{symlinks} 个符号链接（{where}）",
        "removed {processes} processes, {namespaces} namespaces, {links} links, "
        "{symlinks} symlinks ({where})",
    ),
    "lab.by_name": ("按名称", "by name"),
    "lab.left": ("遗留：", "left behind:"),
    "lab.clean": (
        "已检查：没有遗留实验环境的命名空间、链路、进程或挂载",
        "checked: no lab namespace, link, process or mount is left",
    ),
    "lab.none_up": (
        "没有运行中的实验环境（状态目录 {state_dir}）",
        "no lab is up (state dir {state_dir})",
    ),
    "lab.status.title": (
        "实验环境 {profile}：{status}，启动用时 {seconds} 秒，{mib} MiB",
        "lab {profile}: {status}, up in {seconds}s, {mib} MiB",
    ),
    "lab.no_answer": ("无应答", "no answer"),
    "lab.link_down": ("链路 {link} 已切断（{mode}）", "link {link} cut ({mode})"),
    "lab.link_up": ("链路 {link} 已恢复", "link {link} restored"),
    "lab.device_down": ("{device} 已断电", "{device} powered off"),
    "lab.device_up": ("{device} 已上电", "{device} powered on"),
    "lab.device_health": (
        "{device} 现在上报：{readings}",
        "{device} now reports: {readings}",
    ),
    "lab.device_health_normal": (
        "{device} 的各项健康读数已恢复默认",
        "{device} reports every health reading at its default",
    ),
    "lab.traffic.title": (
        "iperf3 {client} -> {server}，经 {link}",
        "iperf3 {client} -> {server} over {link}",
    ),
    "labstatus.building": ("构建中", "building"),
    "labstatus.up": ("运行中", "up"),
    "labstatus.failed": ("失败", "failed"),
    "labstatus.down": ("已停止", "down"),
}
