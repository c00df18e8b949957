"""``egovnet topology``: redundancy checks, failure what-ifs, LLDP drift and diagrams."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from base.atomic import write_bytes
from base.errors import TopologyError
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
from egovnet.messages import heading, text, tier_name, translate, word
from topology.checks import check as run_check
from topology.discovery.drift import DEFAULT_IGNORED_INTERFACES, DriftReport, LinkState
from topology.discovery.live import LiveAccess, Via
from topology.discovery.live import discover as discover_drift
from topology.discovery.metrics import drift_metrics, to_exposition
from topology.drawing import draw as draw_network
from topology.findings import SEVERITY_ORDER, CheckReport, Severity, Violation
from topology.graph import build_network
from topology.render import Format
from topology.whatif import RankRow, WhatIfResult, rank_single_failures, resolve, what_if

app = typer.Typer(
    help="The network graph: redundancy rules, failure what-ifs, LLDP drift, diagrams.",
    no_args_is_help=True,
)

SEVERITY_STYLE = {Severity.must: "bold red", Severity.should: "yellow", Severity.info: "dim"}


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )


# --- check ---------------------------------------------------------------------------------


@app.command()
def check(
    path: Annotated[Path | None, typer.Argument(help="Inventory directory.")] = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    json_out: JsonOpt = False,
    min_severity: Annotated[
        Severity, typer.Option("--min-severity", help="Hide findings below this severity.")
    ] = Severity.info,
) -> None:
    """Check the redundancy rules; exit 1 when a must-rule fails.

    Dual cores with a redundant interconnect, redundant city uplinks, every town and
    important site dual-homed (one link to each core, planes A and B), and no single point
    of failure between a must-be-redundant site and the government cloud.

    Example: egovnet topology check --profile district --min-severity should
    """
    with errors_as_json(json_out):
        inv = load(path, inventory, profile)
    report = run_check(inv)
    shown = [
        v for v in report.violations if SEVERITY_ORDER[v.severity] <= SEVERITY_ORDER[min_severity]
    ]
    if json_out:
        print_json(
            {
                "inventory": report.inventory,
                "profile": report.profile,
                "passed": report.passed,
                "counts": {s.value: report.count(s) for s in Severity},
                "violations": shown,
            }
        )
    else:
        _print_check(report, shown)
    raise typer.Exit(0 if report.passed else 1)


#: Info findings listed one per row up to this many; past it (a city) one row per rule.
INFO_ROWS = 100


def _print_check(report: CheckReport, shown: list[Violation]) -> None:
    table = Table(
        title=text("topology.check.title", profile=report.profile, inventory=report.inventory)
    )
    for col in ("severity", "rule", "sites_affected", "links_devices", "finding"):
        table.add_column(heading(col), overflow="fold")
    info = [v for v in shown if v.severity is Severity.info]
    if len(info) > INFO_ROWS:
        shown = [v for v in shown if v.severity is not Severity.info]
    for v in shown:
        names = [s.name for s in v.sites]
        sites = ", ".join(names[:4]) + (f" +{len(names) - 4}" if len(names) > 4 else "")
        table.add_row(
            f"[{SEVERITY_STYLE[v.severity]}]{word('severity', v.severity)}[/]",
            v.rule,
            sites,
            "\n".join([*v.links, *v.devices]),
            translate(v.message),
        )
    if len(info) > INFO_ROWS:
        for rule in sorted({v.rule for v in info}):
            same = [v for v in info if v.rule == rule]
            table.add_row(
                f"[{SEVERITY_STYLE[Severity.info]}]{word('severity', Severity.info)}[/]",
                rule,
                text("topology.check.findings", count=len(same)),
                "",
                text("topology.check.more", message=translate(same[0].message)),
            )
    if shown or info:
        console.print(table)
    counts = text("list.sep").join(f"{report.count(s)} {word('severity', s)}" for s in Severity)
    verdict = (
        f"[green]{text('topology.check.pass')}[/green]"
        if report.passed
        else f"[bold red]{text('topology.check.fail')}[/]"
    )
    console.print(text("verdict", verdict=verdict, counts=counts))


# --- whatif --------------------------------------------------------------------------------


@app.command()
def whatif(  # noqa: PLR0917 - typer options
    fail: Annotated[
        list[str] | None,
        typer.Option(
            "--fail",
            help="A link id or device name to fail (repeat for several; link:ID / device:NAME"
            " when a name is both).",
        ),
    ] = None,
    all_single: Annotated[
        bool, typer.Option("--all-single", help="Fail every link and device alone; rank them.")
    ] = False,
    top: Annotated[int, typer.Option("--top", help="Rows of the --all-single ranking shown.")] = 25,
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Which sites lose the government cloud, or only their redundancy, when things fail.

    --fail takes link ids and device names; --all-single fails each one alone and ranks
    them by the sites they would isolate.

    Example: egovnet topology whatif --fail wj-core1 --fail wj-core2-xilian
    """
    if not fail and not all_single:
        raise TopologyError("say what fails: --fail LINK|DEVICE (repeatable) or --all-single")
    if fail and all_single:
        raise TopologyError("--fail and --all-single do not go together")
    inv = load(path, inventory, profile)
    net = build_network(inv)
    if all_single:
        with _progress() as progress:
            task = progress.add_task(text("topology.whatif.progress"), total=None)
            rows = rank_single_failures(
                net, lambda done, total: progress.update(task, completed=done, total=total)
            )
        if json_out:
            print_json(rows)
        else:
            _print_ranking(rows, top)
        return
    result = what_if(net, resolve(net, fail or []))
    if json_out:
        print_json(result)
    else:
        _print_whatif(result)


def _print_whatif(result: WhatIfResult) -> None:
    failed = text("list.sep").join(translate(element) for element in result.failed)
    console.print(text("topology.whatif.failing", failed=failed))
    if result.isolated:
        table = Table(title=text("topology.whatif.isolated", count=len(result.isolated)))
        for col in ("site", "name", "tier", "must_be_redundant", "why"):
            table.add_column(heading(col))
        for item in result.isolated:
            table.add_row(
                item.site.id,
                item.site.name,
                tier_name(item.site.tier),
                text("yes") if item.site.must_be_redundant else "",
                word("impact", item.impact),
            )
        console.print(table)
    else:
        console.print(f"[green]{text('topology.whatif.none_isolated')}[/green]")
    if result.lost_redundancy:
        table = Table(title=text("topology.whatif.lost", count=len(result.lost_redundancy)))
        for col in ("site", "name", "tier", "now_hangs_on"):
            table.add_column(heading(col), overflow="fold")
        for item in result.lost_redundancy:
            table.add_row(
                item.site.id,
                item.site.name,
                tier_name(item.site.tier),
                text("list.sep").join(translate(point) for point in item.single_points),
            )
        console.print(table)


def _print_ranking(rows: list[RankRow], top: int) -> None:
    table = Table(title=text("topology.ranking.title", top=min(top, len(rows)), count=len(rows)))
    for col in ("element", "sites_isolated", "isolated_must", "lost_redundancy", "sites"):
        table.add_column(heading(col), overflow="fold")
    for row in rows[:top]:
        shown = ", ".join(row.sites[:5]) + (f" +{len(row.sites) - 5}" if len(row.sites) > 5 else "")
        table.add_row(
            row.element, str(row.isolated), str(row.isolated_must), str(row.lost_redundancy), shown
        )
    console.print(table)


# --- discover ------------------------------------------------------------------------------


@app.command()
def discover(  # noqa: PLR0917 - typer options
    from_dir: Annotated[
        list[Path] | None,
        typer.Option(
            "--from-dir",
            help="Read recorded outputs instead of devices: DIR/<device>/<command>.txt"
            " (e.g. DIR/wj-core1/display_lldp_neighbor.txt); repeat to lay a directory of"
            " changed outputs over a full recording.",
        ),
    ] = None,
    via: Annotated[
        Via,
        typer.Option(
            "--via",
            help="How to reach devices: lldpcli inside the lab's namespaces (FRR devices), cli"
            " (SSH + TextFSM), napalm (get_lldp_neighbors); auto = lldpcli for FRR, cli else.",
        ),
    ] = Via.auto,
    device: Annotated[
        list[str] | None, typer.Option("--device", "-d", help="Only these devices (repeatable).")
    ] = None,
    ignore_interface: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore-interface",
            help="Also ignore neighbours on interfaces matching this glob (management ports are"
            f" ignored already: {', '.join(DEFAULT_IGNORED_INTERFACES)}).",
        ),
    ] = None,
    workers: Annotated[int, typer.Option("--workers", help="Devices read at once.")] = 8,
    metrics: Annotated[
        bool, typer.Option("--metrics", help="Print the drift as Prometheus text exposition.")
    ] = False,
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Compare LLDP neighbours with the intended links; exit 1 on drift.

    Reports intended links that are missing or miswired, and unexpected neighbours. Exit 0
    when everything matches, 1 on any drift or device that could not be read.

    Example: egovnet topology discover -i tests/fixtures/topology/lldp-slice/inventory
    --from-dir tests/fixtures/topology/lldp-slice/lldp
    """
    s = settings(path, inventory=inventory, profile=profile, state_dir=state_dir)
    inv = s.load_inventory()
    access = LiveAccess(s.state_dir, s.inventory_path, s.secrets_file)
    with _progress() as progress:
        task = progress.add_task(text("topology.discover.progress"), total=None)
        report = discover_drift(
            inv,
            access=access,
            devices=device or [],
            from_dirs=from_dir or [],
            via=via,
            ignore_interfaces=(*DEFAULT_IGNORED_INTERFACES, *(ignore_interface or [])),
            workers=workers,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    if metrics:
        typer.echo(to_exposition(drift_metrics(inv, report)), nl=False)
    elif json_out:
        print_json(
            {"clean": report.clean, "counts": report.counts, **report.model_dump(mode="json")}
        )
    else:
        _print_drift(report)
    raise typer.Exit(0 if report.clean else 1)


def _print_drift(report: DriftReport) -> None:
    bad = [lk for lk in report.links if lk.state is not LinkState.discovered]
    if bad:
        table = Table(title=text("topology.drift.title"))
        for col in ("link", "state", "a_end", "a_sees", "b_end", "b_sees"):
            table.add_column(heading(col), overflow="fold")
        style = {LinkState.missing: "red", LinkState.miswired: "bold red", LinkState.unknown: "dim"}
        for lk in bad:
            table.add_row(
                lk.link,
                f"[{style.get(lk.state, '')}]{word('linkstate', lk.state)}[/]",
                f"{lk.a.device} {lk.a.interface}",
                _seen(lk.a.verdict.value, [str(x) for x in lk.a.seen]),
                f"{lk.b.device} {lk.b.interface}",
                _seen(lk.b.verdict.value, [str(x) for x in lk.b.seen]),
            )
        console.print(table)
    if report.unexpected:
        table = Table(title=text("topology.unexpected.title"))
        for col in ("device", "interface", "neighbour", "its_port", "seen_both"):
            table.add_column(heading(col))
        for u in report.unexpected:
            who = u.neighbor.device or text(
                "topology.unexpected.stranger", system=u.neighbor.system or "?"
            )
            port = u.neighbor.port or u.neighbor.reported_port or "?"
            table.add_row(u.device, u.interface, who, port, text("yes") if u.both_ends else "")
        console.print(table)
    failed = [d for d in report.devices if not d.ok]
    for dev in failed:
        err_console.print(
            f"[red]{text('topology.drift.unread', device=dev.device)}[/red]: "
            f"{translate(str(dev.error))}",
            highlight=False,
        )
    found = len(report.links_in(LinkState.discovered))
    counts = text("list.sep").join(f"{n} {word('linkstate', k)}" for k, n in report.counts.items())
    verdict = (
        f"[green]{text('topology.drift.clean')}[/green]"
        if report.clean
        else f"[bold red]{text('topology.drift.drift')}[/]"
    )
    console.print(
        text(
            "topology.drift.summary",
            verdict=verdict,
            found=found,
            links=len(report.links),
            counts=counts,
            read=len(report.devices) - len(failed),
            devices=len(report.devices),
        )
    )


def _seen(verdict: str, seen: list[str]) -> str:
    if verdict == "not_polled":
        return f"[dim]{text('topology.drift.not_read')}[/dim]"
    if not seen:
        return f"[red]{text('topology.drift.nothing')}[/red]"
    mark = "" if verdict == "confirmed" else "[bold red]✗[/] "
    return mark + "; ".join(seen)


# --- draw ----------------------------------------------------------------------------------


@app.command()
def draw(  # noqa: PLR0917 - typer options
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="File to write (a directory with --per-district)."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="svg, png or dot.")] = Format.svg,
    live: Annotated[
        str | None,
        typer.Option(
            "--live",
            help="Highlight down links from: a Prometheus URL (http://host:9090), a .json file"
            ' {"link": "up|down"}, or a saved text exposition with egovnet_interface_oper_up.',
        ),
    ] = None,
    violations: Annotated[
        bool, typer.Option("--violations/--no-violations", help="Highlight check violations.")
    ] = True,
    max_row: Annotated[int, typer.Option("--max-row", help="Departments per row.")] = 11,
    district: Annotated[
        str | None,
        typer.Option("--district", help="Draw one district: its code (qj), core site or name."),
    ] = None,
    overview: Annotated[
        bool,
        typer.Option("--overview", help="Draw the districts and their core pairs, with counts."),
    ] = False,
    per_district: Annotated[
        bool,
        typer.Option(
            "--per-district", help="Write overview.FMT and district-CODE.FMT into --out DIR."
        ),
    ] = False,
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Draw the network with Graphviz (svg, png or dot).

    Tiers as ranks (cloud and cores on top, villages at the bottom), planes A/B in two
    colours, committed rate, carrier and circuit id on the links, dual-homed sites with a
    double border, violations and (--live) down links highlighted. A city (several
    districts) is drawn as an --overview plus one drawing per district.

    Example: egovnet topology draw --profile district --format svg --out docs/img/district.svg

    Example: egovnet topology draw -i /tmp/city --per-district --out /tmp/city-drawings
    """
    if out is None and (fmt is not Format.dot or per_district):
        raise TopologyError(f"--out {'DIR' if per_district else 'FILE'} is needed here")
    if district is not None and (overview or per_district):
        raise TopologyError("--district draws one district: leave out --overview/--per-district")
    inv = load(path, inventory, profile)
    with _progress() as progress:
        task = progress.add_task(text("topology.draw.progress"), total=None)
        drawing = draw_network(
            inv,
            fmt,
            live=live,
            violations=violations,
            max_row=max_row,
            district=district,
            overview=overview,
            per_district=per_district,
            on_rendered=lambda done, total: progress.update(task, completed=done, total=total),
        )
    states, net = drawing.states, drawing.network
    down = sorted(k for k, v in (states or {}).items() if v.value == "down")
    if out is None:
        typer.echo("".join(image.data.decode("utf-8") for image in drawing.images), nl=False)
        return
    files: list[Path] = []
    for image in drawing.images:
        target = out / f"{image.stem}.{fmt.value}" if per_district else out
        write_bytes(target, image.data)
        files.append(target)
    if json_out:
        print_json(
            {
                "out": str(out),
                "format": fmt.value,
                "files": [str(f) for f in files],
                "bytes": sum(f.stat().st_size for f in files),
                "down_links": down,
            }
        )
    else:
        extra = text("topology.draw.down", count=len(down)) if states is not None else ""
        shown = (
            str(out) if len(files) == 1 else text("topology.draw.many", count=len(files), out=out)
        )
        console.print(
            text(
                "topology.draw.wrote",
                shown=shown,
                fmt=fmt.value,
                devices=len(net.devices),
                extra=extra,
            )
        )
