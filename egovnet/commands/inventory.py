"""``egovnet inventory``: validate, show and export the source of truth."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from base.atomic import write_text
from base.errors import NetBoxInputError
from base.lang import Lang
from egovnet import messages
from egovnet.commands.common import (
    InventoryArg,
    InventoryOpt,
    JsonOpt,
    ProfileOpt,
    StateDirOpt,
    console,
    err_console,
    errors_as_json,
    load,
    print_json,
    settings,
)
from egovnet.messages import text, translate, word
from inventory.ansible_export import render_ansible_inventory
from inventory.models import MigrationStatus, Tier
from inventory.names import name_of
from inventory.netbox import sync as netbox_sync
from inventory.netbox.client import URL_ENV, NetBoxClient, netbox_token
from inventory.netbox.plan import Action, Plan
from inventory.views import InventorySummary, summarize

if TYPE_CHECKING:
    from topology.discovery.crawl import FoundDevice


app = typer.Typer(
    help="The source of truth: sites, devices, circuits, systems.", no_args_is_help=True
)


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
        inv = load(path, inventory, profile)
    summary = summarize(inv)
    if json_out:
        print_json({"valid": True, "root": str(inv.root), "counts": summary.counts})
        return
    console.print(f"[green]{text('ok')}[/green] {inv.root}: {_counts(summary.counts)}")


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
        inv = load(path, inventory, profile)
    summary = summarize(inv)
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


@app.command("export-ansible")
def export_ansible(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: stdout).")
    ] = None,
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """An Ansible inventory (groups by tier, role, platform, site) for ansible-inventory.

    Example: egovnet inventory export-ansible --out hosts.yml
             ansible-inventory -i hosts.yml --list
    """
    rendered = render_ansible_inventory(load(path, inventory, profile))
    if out is None:
        typer.echo(rendered, nl=False)
    else:
        write_text(out, rendered)
        console.print(text("wrote", path=out))


@app.command("export-nornir")
def export_nornir(
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Show the hosts Nornir sees through the EgovnetInventory plugin, as JSON.

    Example: egovnet inventory export-nornir --profile lab
    """
    from inventory.nornir_plugin import nornir_hosts  # nornir only for this command

    print_json(nornir_hosts(settings(path, inventory=inventory, profile=profile).inventory_path))


XlsxOutOpt = Annotated[Path, typer.Option("--xlsx", help="The ledger file to write (.xlsx).")]


@app.command()
def template(xlsx: XlsxOutOpt) -> None:
    """Write an empty Excel ledger (设备台账) to fill: one sheet per kind, Chinese headers.

    Example: egovnet inventory template --xlsx 武江区台账.xlsx
    """
    from inventory.ledger.writer import write_template

    write_template(xlsx)
    console.print(text("wrote", path=xlsx))


import_app = typer.Typer(help="Turn records kept elsewhere into the YAML inventory.")
export_app = typer.Typer(help="Write the inventory out in another form.")
app.add_typer(import_app, name="import", no_args_is_help=True)
app.add_typer(export_app, name="export", no_args_is_help=True)


@import_app.command("xlsx")
def import_xlsx(
    ledger: Annotated[Path, typer.Argument(help="A filled ledger (.xlsx).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="New (or empty) inventory directory.")],
    json_out: JsonOpt = False,
) -> None:
    """Import an Excel ledger: every bad cell as FILE:Sheet!C12: header: message, exit 2,
    nothing written unless the whole ledger is valid.

    Example: egovnet inventory import xlsx 武江区台账.xlsx --out inventory/wujiang
    """
    from inventory.ledger.importer import import_ledger

    with errors_as_json(json_out):
        inv = import_ledger(ledger, out)
    summary = summarize(inv)
    if json_out:
        print_json({"valid": True, "root": str(out), "counts": summary.counts})
        return
    console.print(
        f"[green]{text('ok')}[/green] {text('wrote', path=out)}: {_counts(summary.counts)}"
    )


@export_app.command("xlsx")
def export_xlsx(
    out: Annotated[Path, typer.Option("--out", "-o", help="The ledger file to write (.xlsx).")],
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Write the inventory as an Excel ledger (import it back with `import xlsx`).

    Example: egovnet inventory export xlsx --profile lab --out 实验室台账.xlsx
    """
    from inventory.ledger.writer import write_export

    write_export(load(path, inventory, profile), out)
    console.print(text("wrote", path=out))


@app.command()
def discover(  # noqa: PLR0917 - typer maps parameters to options
    seed: Annotated[
        list[str], typer.Option("--seed", help="A device's management address (repeatable).")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="New (or empty) draft directory.")],
    snmp_profile: Annotated[
        str | None,
        typer.Option("--snmp-profile", help="SNMP profile of the inventory to ask with."),
    ] = None,
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Crawl the running network from seed devices (SNMP: sysName, interfaces, LLDP-MIB
    neighbours) and write a draft inventory; guesses are marked `# review`. The inventory
    given supplies the SNMP profile and secrets; a lab inventory's route guard applies to
    every address before anything is sent.

    Example: egovnet inventory discover --profile lab --seed 172.31.250.1 --out draft/
    """
    from routeguard.routes import RouteTarget, require_lab_routes
    from topology.discovery.onboard import choose_snmp_profile
    from topology.discovery.onboard import discover as discover_network
    from topology.discovery.snmpwalk import walker_for

    s = settings(path, inventory=inventory, profile=profile, state_dir=state_dir)
    inv = s.load_inventory()
    chosen = choose_snmp_profile(inv, snmp_profile)

    def allow(address: str) -> None:
        require_lab_routes(inv, [RouteTarget(address, address)], s.state_dir)

    for address in seed:  # the guard first: with no lab up the secrets are missing too
        allow(address)
    walker = walker_for(chosen, s.secrets())
    try:
        found = discover_network(
            seed, walker, allow, out, chosen, on_device=None if json_out else _shown
        )
    finally:
        walker.close()
    result = {
        "out": str(out),
        "devices": len(found.inventory.devices),
        "links": len(found.inventory.links),
        "unreachable": found.crawl.failed,
        "refused": found.crawl.refused,
        "skipped": list(found.skipped),
    }
    if json_out:
        print_json(result)
        return
    drafted = text("inventory.discover.drafted", devices=result["devices"], links=result["links"])
    console.print(f"[green]{text('ok')}[/green] {text('wrote', path=out)}: {drafted}")
    for address, why in {**found.crawl.failed, **found.crawl.refused}.items():
        console.print(text("inventory.discover.not_crawled", address=address, why=translate(why)),
                      markup=False)  # fmt: skip
    for why in found.skipped:
        console.print(text("inventory.discover.not_drafted", why=translate(why)), markup=False)


def _shown(device: FoundDevice) -> None:
    console.print(text("inventory.discover.found", name=device.sys_name, address=device.address))


def _counts(counts: dict[str, int]) -> str:
    """``12 sites, 30 devices`` / ``站点 12，设备 30``."""
    return text("list.sep").join(
        text("inventory.count", name=text(f"count.{k}"), count=v) for k, v in counts.items()
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


def _say(line: str) -> None:
    err_console.print(f"[dim]{translate(line)}[/dim]")


@netbox_app.command("push")
def netbox_push(  # noqa: PLR0917 - typer options
    url: NetBoxUrlOpt = None,
    apply: Annotated[bool, typer.Option("--apply", help="Write; without it, a dry run.")] = False,
    path: InventoryArg = None,
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
    inv = load(path, inventory, profile)
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
    verb = text("netbox.created" if applied else "netbox.would_create")
    for kind, count in creates.items():
        console.print(f"[green]{verb}[/green] {count} {kind}")
    for change in plan.changes:
        if change.action in (Action.create, Action.keep):
            continue
        colour = "red" if change.action is Action.conflict else "yellow"
        act = word("netbox", change.action)
        label = act if applied or change.action is Action.conflict else (
            text("netbox.would", action=act))  # fmt: skip
        reason = translate(change.reason)
        console.print(f"[{colour}]{label}[/{colour}] {change.kind} {change.key}: {reason}")
        for d in change.diffs:
            console.print(text("netbox.diff", field=d.field, netbox=repr(d.netbox),
                               inventory=repr(d.inventory)))  # fmt: skip
    kept = plan.of(Action.keep)
    if kept:
        console.print(text("netbox.left_alone", count=len(kept)))
    for warning in plan.warnings:
        console.print(f"[yellow]{text('netbox.warning')}[/yellow] {translate(warning)}")
    counts = text("list.sep").join(f"{v} {word('netbox', k)}" for k, v in plan.counts.items())
    mode = text("netbox.applied", written=written) if applied else text("netbox.dry_run")
    console.print(text("verdict", verdict=mode, counts=counts))


@netbox_app.command("pull")
def netbox_pull(  # noqa: PLR0917 - typer options
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write the YAML into.")],
    url: NetBoxUrlOpt = None,
    path: InventoryArg = None,
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
    base = load(path, inventory, profile)
    result = netbox_sync.pull(_netbox(url, state_dir), base, out, progress=_say)
    counts = summarize(result.inventory).counts
    if json_out:
        print_json({"out": str(out), "counts": counts, "skipped": list(result.skipped)})
        return
    for line in result.skipped:
        console.print(f"[yellow]{text('skipped')}[/yellow] {translate(line)}")
    console.print(f"[green]{text('wrote', path=out)}[/green]: {_counts(counts)}")
