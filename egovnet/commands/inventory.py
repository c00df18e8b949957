"""``egovnet inventory``: validate, show and export the source of truth."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from base.errors import InventoryError, InventoryErrors, NetBoxInputError
from egovnet.commands.common import (
    InventoryOpt,
    JsonOpt,
    ProfileOpt,
    StateDirOpt,
    console,
    err_console,
    print_json,
    settings,
)
from inventory.ansible_export import render_ansible_inventory
from inventory.catalog import Inventory
from inventory.netbox import sync as netbox_sync
from inventory.netbox.client import URL_ENV, NetBoxClient, netbox_token
from inventory.netbox.plan import Action, Plan
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


# --- egovnet inventory netbox push|pull (inventory.netbox) ------------------------------------

netbox_app = typer.Typer(
    help="NetBox both ways: push the inventory into NetBox, pull NetBox into YAML.",
    no_args_is_help=True,
)
app.add_typer(netbox_app, name="netbox")

NetBoxUrlOpt = Annotated[
    str | None,
    typer.Option("--url", envvar=URL_ENV, help="NetBox base URL (or $EGOVNET_NETBOX_URL).",
                 show_default=False),
]  # fmt: skip


def _netbox(url: str | None, state_dir: Path | None) -> NetBoxClient:
    if not url:
        raise NetBoxInputError(f"no NetBox URL: pass --url or set {URL_ENV}")
    return NetBoxClient(url, netbox_token(settings(state_dir=state_dir).secrets()))


def _say(text: str) -> None:
    err_console.print(f"[dim]{text}[/dim]")


@netbox_app.command("push")
def netbox_push(  # noqa: PLR0917 - typer options
    url: NetBoxUrlOpt = None,
    apply: Annotated[bool, typer.Option("--apply", help="Write; without it, a dry run.")] = False,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Write the inventory into NetBox: a dry run listing what would change unless --apply.

    Objects egovnet did not create (no `egovnet` tag) are never written; an object changed
    by hand since egovnet wrote it is a conflict, listed and left alone (exit 1). The token
    comes from $EGOVNET_NETBOX_TOKEN or the secrets file and is never printed.

    Example: EGOVNET_NETBOX_TOKEN=nbt_... egovnet inventory netbox push --url http://127.0.0.1:8000
    """
    inv = _load(None, inventory, profile)
    result = netbox_sync.push(_netbox(url, state_dir), inv, apply=apply, progress=_say)
    plan = result.plan
    if json_out:
        print_json({
            "applied": result.applied, "written": result.written, "counts": plan.counts,
            "warnings": list(plan.warnings),
            "changes": [{"action": c.action.value, "kind": c.kind, "key": c.key,
                         "reason": c.reason,
                         "diffs": [{"field": d.field, "netbox": d.netbox, "inventory": d.inventory}
                                   for d in c.diffs]} for c in plan.changes],
        })  # fmt: skip
    else:
        _render_plan(plan, result.applied, result.written)
    if plan.of(Action.conflict):
        raise typer.Exit(1)


def _render_plan(plan: Plan, applied: bool, written: int) -> None:
    creates: dict[str, int] = {}
    for change in plan.of(Action.create):
        creates[change.kind] = creates.get(change.kind, 0) + 1
    verb = "created" if applied else "would create"
    for kind, count in creates.items():
        console.print(f"[green]{verb}[/green] {count} {kind}")
    for change in plan.changes:
        if change.action in (Action.create, Action.keep):
            continue
        colour = "red" if change.action is Action.conflict else "yellow"
        label = change.action.value if applied or change.action is Action.conflict else (
            f"would {change.action.value}")  # fmt: skip
        console.print(f"[{colour}]{label}[/{colour}] {change.kind} {change.key}: {change.reason}")
        for d in change.diffs:
            console.print(f"    {d.field}: NetBox {d.netbox!r}, inventory {d.inventory!r}")
    kept = plan.of(Action.keep)
    if kept:
        console.print(f"left alone {len(kept)} matching objects egovnet did not create")
    for warning in plan.warnings:
        console.print(f"[yellow]warning[/yellow] {warning}")
    counts = ", ".join(f"{v} {k}" for k, v in plan.counts.items())
    mode = f"applied, {written} written" if applied else "dry run, nothing written (--apply)"
    console.print(f"{mode}: {counts}")


@netbox_app.command("pull")
def netbox_pull(  # noqa: PLR0917 - typer options
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write the YAML into.")],
    url: NetBoxUrlOpt = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Write the inventory's YAML from NetBox (sites, devices, links, systems).

    Profile, policy and the SNMP/credential profiles are not held in NetBox: they come from
    the current inventory (--inventory/--profile). The result validates before anything is
    written.

    Example: egovnet inventory netbox pull --url http://127.0.0.1:8000 --out pulled/
    """
    base = _load(None, inventory, profile)
    result = netbox_sync.pull(_netbox(url, state_dir), base, out, progress=_say)
    counts = summarize(result.inventory).counts
    if json_out:
        print_json({"out": str(out), "counts": counts, "skipped": list(result.skipped)})
        return
    for line in result.skipped:
        console.print(f"[yellow]skipped[/yellow] {line}")
    console.print(
        f"[green]wrote[/green] {out}: " + ", ".join(f"{v} {k}" for k, v in counts.items())
    )
