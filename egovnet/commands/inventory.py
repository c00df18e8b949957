"""``egovnet inventory``: validate, show and export the source of truth."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from base.errors import InventoryErrors
from egovnet.commands.common import (
    InventoryOpt,
    JsonOpt,
    ProfileOpt,
    console,
    print_json,
    settings,
)
from inventory.ansible_export import render_ansible_inventory
from inventory.catalog import Inventory
from inventory.views import InventorySummary, summarize


@contextmanager
def errors_as_json(json_out: bool) -> Iterator[None]:
    """With ``--json``, a broken inventory prints its errors as JSON on stdout, exit 2."""
    try:
        yield
    except InventoryErrors as exc:
        if not json_out:
            raise
        print_json(exc.to_json())
        raise typer.Exit(exc.exit_code) from exc


app = typer.Typer(
    help="The source of truth: sites, devices, circuits, systems.", no_args_is_help=True
)


def _load(path: Path | None, inventory: Path | None, profile: str | None) -> Inventory:
    return settings(inventory=path or inventory, profile=profile).load_inventory()


@app.command()
def validate(
    path: Annotated[Path | None, typer.Argument(help="Inventory directory or file.")] = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Check schema and cross-references; every error as file:line: field: message, exit 2.

    Example: egovnet inventory validate inventory/district
    """
    with errors_as_json(json_out):
        inv = _load(path, inventory, profile)
    summary = summarize(inv)
    if json_out:
        print_json({"valid": True, "root": str(inv.root), "counts": summary.counts})
        return
    counts = ", ".join(f"{v} {k}" for k, v in summary.counts.items())
    console.print(f"[green]ok[/green] {inv.root}: {counts}")


@app.command()
def show(
    path: Annotated[Path | None, typer.Argument(help="Inventory directory.")] = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    json_out: JsonOpt = False,
    circuits: Annotated[
        bool, typer.Option("--circuits/--no-circuits", help="List every access circuit.")
    ] = True,
) -> None:
    """Sites per tier, circuits against the tier target, migration and counts.

    Example: egovnet inventory show --profile lab --json
    """
    with errors_as_json(json_out):
        inv = _load(path, inventory, profile)
    summary = summarize(inv)
    if json_out:
        print_json(summary)
        return
    render_summary(summary, circuits=circuits)


def render_summary(summary: InventorySummary, circuits: bool = True) -> None:
    counts = "  ".join(f"{k}: [bold]{v}[/bold]" for k, v in summary.counts.items())
    console.print(f"[bold]{summary.profile}[/bold] ({summary.root})  {counts}")
    tiers = Table(title="Sites by tier against the plan (2021 baseline / 2025 target)")
    for col in ("tier", "sites", "baseline", "target", "circuits", "meeting target", "sites ok"):
        tiers.add_column(col, justify="left" if col == "tier" else "right")
    for t in summary.tiers:
        tiers.add_row(
            t.tier,
            str(t.sites),
            f"{t.baseline_mbps} Mbps" if t.baseline_mbps else "-",
            f"{t.target_mbps} Mbps" if t.target_mbps else "-",
            str(t.circuits),
            f"{t.circuits_meeting_target}/{t.circuits}" if t.circuits else "-",
            str(t.sites_meeting_target) if t.circuits else "-",
        )
    console.print(tiers)
    if circuits:
        table = Table(title="Access circuits (committed rate against the tier target)")
        for col in ("link", "site", "tier", "plane", "carrier", "committed", "target", "status"):
            table.add_column(col)
        for c in summary.circuits:
            if c.meets_target is None:
                status = "-"
            elif c.meets_target:
                status = "[green]meets target[/green]"
            else:
                status = f"[red]short {c.shortfall_mbps} Mbps[/red]"
            table.add_row(
                c.link,
                c.site_name,
                c.tier,
                c.plane,
                c.carrier or "-",
                f"{c.committed_mbps} Mbps",
                f"{c.target_mbps} Mbps" if c.target_mbps else "-",
                status,
            )
        console.print(table)
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(summary.systems_by_status.items()))
    console.print(
        f"上云率 (migrated): [bold]{summary.migrated_ratio:.0%}[/bold] "
        f"of target {summary.migration_target_ratio:.0%}  ({statuses})"
    )


def write_atomically(out: Path, text: str) -> None:
    """Write whole or not at all: a temporary file beside the target, then rename."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@app.command("export-ansible")
def export_ansible(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: stdout).")
    ] = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """An Ansible inventory (groups by tier, role, platform, site) for ansible-inventory.

    Example: egovnet inventory export-ansible --out hosts.yml
             ansible-inventory -i hosts.yml --list
    """
    text = render_ansible_inventory(_load(None, inventory, profile))
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_atomically(out, text)
        console.print(f"wrote {out}")


@app.command("export-nornir")
def export_nornir(
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Show the hosts Nornir sees through the EgovnetInventory plugin, as JSON.

    Example: egovnet inventory export-nornir --profile lab
    """
    from nornir import InitNornir

    s = settings(inventory=inventory, profile=profile)
    nr = InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": 1}},
        inventory={"plugin": "EgovnetInventory", "options": {"path": str(s.inventory_path)}},
        logging={"enabled": False},
    )
    print_json(
        {
            name: {
                "hostname": host.hostname,
                "platform": host.platform,
                "groups": [g.name for g in host.groups],
                "data": dict(host.data),
            }
            for name, host in nr.inventory.hosts.items()
        }
    )
