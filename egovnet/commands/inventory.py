"""``egovnet inventory``: validate, show and export the source of truth."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from base.errors import InventoryError, InventoryErrors
from base.lang import Lang
from egovnet import messages
from egovnet.commands.common import (
    InventoryOpt,
    JsonOpt,
    ProfileOpt,
    console,
    print_json,
    settings,
)
from egovnet.messages import text
from inventory.ansible_export import render_ansible_inventory
from inventory.catalog import Inventory
from inventory.models import MigrationStatus, Tier
from inventory.names import name_of
from inventory.views import InventorySummary, summarize


def error_record(err: InventoryError) -> dict[str, object]:
    loc = err.location
    return {"file": loc.file, "line": loc.line, "field": loc.field, "message": err.message}


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
    try:
        inv = _load(path, inventory, profile)
    except InventoryErrors as exc:
        if json_out:
            print_json({"valid": False, "errors": [error_record(e) for e in exc.errors]})
            raise typer.Exit(exc.exit_code) from exc
        raise
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
    summary = summarize(_load(path, inventory, profile))
    if json_out:
        print_json(summary)
        return
    render_summary(summary, circuits=circuits)


def render_summary(summary: InventorySummary, circuits: bool = True) -> None:
    lang = messages.current()

    def tier(code: str) -> str:
        return name_of(Tier, code, lang) if lang is Lang.zh else code

    counts = "  ".join(
        text("inventory.counts", name=text(f"count.{k}"), count=v)
        for k, v in summary.counts.items()
    )
    console.print(f"[bold]{summary.profile}[/bold] ({summary.root})  {counts}")
    tiers = Table(title=text("inventory.tiers.title"))
    for key in ("tier", "sites", "baseline", "target", "circuits", "meeting", "sites_ok"):
        tiers.add_column(
            text(f"inventory.tiers.{key}"), justify="left" if key == "tier" else "right"
        )
    for t in summary.tiers:
        tiers.add_row(
            tier(t.tier),
            str(t.sites),
            f"{t.baseline_mbps} Mbps" if t.baseline_mbps else "-",
            f"{t.target_mbps} Mbps" if t.target_mbps else "-",
            str(t.circuits),
            f"{t.circuits_meeting_target}/{t.circuits}" if t.circuits else "-",
            str(t.sites_meeting_target) if t.circuits else "-",
        )
    console.print(tiers)
    if circuits:
        table = Table(title=text("inventory.circuits.title"))
        for key in ("link", "site", "tier", "plane", "carrier", "committed", "target", "status"):
            table.add_column(text(f"inventory.circuits.{key}"))
        for c in summary.circuits:
            if c.meets_target is None:
                status = "-"
            elif c.meets_target:
                status = f"[green]{text('inventory.circuits.meets')}[/green]"
            else:
                status = f"[red]{text('inventory.circuits.short', mbps=c.shortfall_mbps)}[/red]"
            table.add_row(
                c.link,
                c.site_name,
                tier(c.tier),
                c.plane,
                c.carrier or "-",
                f"{c.committed_mbps} Mbps",
                f"{c.target_mbps} Mbps" if c.target_mbps else "-",
                status,
            )
        console.print(table)
    by_status = sorted(summary.systems_by_status.items())
    if lang is Lang.zh:
        statuses = "，".join(f"{name_of(MigrationStatus, k, lang)} {v}" for k, v in by_status)
    else:
        statuses = ", ".join(f"{k} {v}" for k, v in by_status)
    console.print(
        text(
            "inventory.migration",
            ratio=f"{summary.migrated_ratio:.0%}",
            target=f"{summary.migration_target_ratio:.0%}",
            statuses=statuses,
        )
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
