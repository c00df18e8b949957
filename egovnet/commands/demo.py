"""``egovnet demo``: the main job on the embedded lab, step by step.

Until the lab and monitoring land, the demo validates and shows the sample district and the
lab profile.
"""

from __future__ import annotations

from egovnet.commands.common import StateDirOpt, console, settings
from egovnet.commands.inventory import render_summary
from inventory.views import summarize


def demo(state_dir: StateDirOpt = None) -> None:
    """Run the main job on the embedded lab and print where to look.

    Example: make demo   (or: sudo .venv/bin/egovnet demo)
    """
    district = settings(profile="district", state_dir=state_dir).load_inventory()
    console.rule("[bold]1. The sample district (source of truth)")
    console.print(f"[green]valid[/green]: {district.root}")
    render_summary(summarize(district))
    lab = settings(profile="lab", state_dir=state_dir).load_inventory()
    console.rule("[bold]2. The lab profile")
    render_summary(summarize(lab), circuits=False)
