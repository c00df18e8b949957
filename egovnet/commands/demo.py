"""``egovnet demo``: the main job on the embedded lab, step by step.

Every step is the real ``egovnet`` command a user would type, run in turn and shown with its
output: validate and show the sample district, check its topology, bring the lab up, dry-run
and push the intended configuration, start monitoring, measure a village circuit. The lab and
the monitoring stack are left running so there is something to look at; the closing panel
says where, and how to stop them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from egovnet import messages
from egovnet.commands.common import StateDirOpt, console, settings
from egovnet.messages import text


@dataclass(frozen=True)
class Step:
    title: str
    argv: tuple[str, ...]
    needs_lab: bool = False


def demo_steps(state_dir: Path) -> list[Step]:
    state = ("--state-dir", str(state_dir))
    lab = ("--profile", "lab", *state)
    return [
        Step(
            "Validate the sample district (source of truth)",
            ("inventory", "validate", "-p", "district"),
        ),
        Step(
            "The sample district against the 2025 plan",
            ("inventory", "show", "-p", "district", "--no-circuits"),
        ),
        Step(
            "Redundancy policy check of the sample district",
            ("topology", "check", "-p", "district", "--min-severity", "should"),
        ),
        Step(
            "Bring up the lab (FRR, snmpd, sshd, lldpd in namespaces; dept1 answers as Huawei"
            " VRP, vil2 as H3C Comware)",
            ("lab", "up", *lab),
            True,
        ),
        Step("Lab status", ("lab", "status", *state), True),
        Step("Dry run: what a push would change", ("config", "diff", *lab, "--no-diff"), True),
        Step(
            "Push the intended configuration",
            ("config", "push", "--commit", *lab, "--no-diff"),
            True,
        ),
        Step("Drift check: every device as intended", ("config", "drift", *lab, "--no-diff"), True),
        Step(
            "LLDP discovery vs the intended links (lldpcli on FRR, SSH and TextFSM on VRP and"
            " Comware)",
            ("topology", "discover", *lab, "--via", "auto"),
            True,
        ),
        Step(
            "Start monitoring (exporter, Prometheus, Alertmanager)", ("monitor", "up", *lab), True
        ),
        Step(
            "Bandwidth test of a 50 Mbps village circuit",
            ("bandwidth", "test", "vil-longgui-shangwei", *lab, "--seconds", "5"),
            True,
        ),
    ]


def where_to_look(state_dir: Path) -> str:
    return "\n".join(
        [
            "[bold]Where to look[/bold]",
            "  Prometheus     http://127.0.0.1:9090  (alerts: /alerts, e.g. query "
            "circuit:egovnet_utilisation:ratio)",
            "  Alertmanager   http://127.0.0.1:9093",
            "  Exporter       http://127.0.0.1:9516/snmp?target=core1",
            f"  State          {state_dir} (configs, backups, credentials, monitoring data)",
            "[bold]Try[/bold]",
            f"  egovnet lab fault link-down core2-town1 --state-dir {state_dir}   "
            "(RedundancyLost for 龙归镇)",
            f"  egovnet monitor status --state-dir {state_dir}",
            "  egovnet topology whatif --profile lab --fail core1",
            "[bold]Stop[/bold]",
            f"  egovnet monitor down --state-dir {state_dir}",
            f"  egovnet lab down --state-dir {state_dir}",
        ]
    )


def demo(
    state_dir: StateDirOpt = None,
    no_lab: Annotated[
        bool, typer.Option("--no-lab", help="Only the inventory steps (no root needed).")
    ] = False,
) -> None:
    """Run the main job on the embedded lab and print where to look.

    Example: make demo   (or, as root: .venv/bin/egovnet demo --state-dir .egovnet)
    """
    state = settings(state_dir=state_dir).ensure_state_dir().resolve()
    steps = [s for s in demo_steps(state) if not (no_lab and s.needs_lab)]
    if not no_lab and os.geteuid() != 0:
        console.print(text("error", message=text("demo.root")), markup=False)
        raise typer.Exit(2)
    for number, step in enumerate(steps, 1):
        console.rule(f"[bold]{number}/{len(steps)} {step.title}")
        console.print(f"$ egovnet {' '.join(step.argv)}", markup=False, style="dim")
        started = time.monotonic()
        # each step speaks the demo's language
        lang = ["--lang", messages.current().value]
        code = subprocess.run(
            [sys.executable, "-m", "egovnet", *lang, *step.argv], check=False
        ).returncode
        took = time.monotonic() - started
        if code != 0:
            console.print(
                text("demo.failed", n=number, code=code, seconds=f"{took:.1f}", title=step.title)
            )
            raise typer.Exit(1)
        console.print(text("demo.done", seconds=f"{took:.1f}"))
    if no_lab:
        console.rule(f"[bold]{text('demo.all_done')}")
        console.print(text("demo.no_lab"))
        return
    console.rule(f"[bold]{text('demo.running')}")
    console.print(where_to_look(state))
