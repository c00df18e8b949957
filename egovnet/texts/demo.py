"""``egovnet demo``: the steps' framing (each step runs ``egovnet --lang LANG ...`` itself)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "demo.root": (
        "实验环境需要 root 权限；请以 root 运行，或加 --no-lab",
        "the lab needs root; run as root, or pass --no-lab",
    ),
    "demo.failed": (
        "[red]第 {n} 步失败[/red]（{seconds} 秒后退出码 {code}）：{title}",
        "[red]step {n} failed[/red] (exit {code} after {seconds} s): {title}",
    ),
    "demo.done": ("[green]完成[/green]，用时 {seconds} 秒", "[green]done[/green] in {seconds} s"),
    "demo.all_done": ("完成", "Done"),
    "demo.no_lab": (
        "清单相关步骤已完成；以 root 运行且不加 --no-lab 即可启动实验环境。",
        "Inventory steps done; run as root without --no-lab for the lab.",
    ),
    "demo.running": ("演示正在运行", "The demo is running"),
}
