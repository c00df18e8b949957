"""``egovnet bandwidth``: iperf3 through access circuits, against the committed rate and plan."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bandwidth.assess import DEFAULT_TOLERANCE, BandwidthResult, Verdict
from bandwidth.iperf import IperfSpec
from bandwidth.run import select_circuits
from bandwidth.store import BandwidthStore
from bandwidth.verify import RunnerChoice, check_bitrate, verify_circuits
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
from egovnet.messages import heading, text, tier_name, translate, word
from exporters.bandwidth import render_textfile

app = typer.Typer(
    help="Bandwidth verification: iperf3 through each circuit against the committed rate and"
    " the tier's plan target.",
    no_args_is_help=True,
)


def _mbps(value: float | int | None) -> str:
    return "-" if value is None else f"{value:g}"


def _verdict_text(r: BandwidthResult) -> str:
    if r.verdict is Verdict.failed:
        return f"[red]{word('verdict', r.verdict)}[/red]: {translate(str(r.error))}"
    if r.verdict is Verdict.meets_target:
        shown = f"[green]{word('verdict', r.verdict)}[/green]"
    elif r.verdict is Verdict.shortfall:
        shown = f"[red]{text('bandwidth.shortfall', mbps=f'{r.shortfall_mbps:g}')}[/red]"
        if r.target_mbps and r.committed_mbps < r.target_mbps:
            shown += text(
                "bandwidth.committed_below", committed=r.committed_mbps, target=r.target_mbps
            )
    else:
        shown = word("verdict", r.verdict)
    if r.delivers_committed is False:
        shown += f" [yellow]{text('bandwidth.below_committed')}[/yellow]"
    return shown


def render_results(results: Sequence[BandwidthResult], title: str) -> None:
    table = Table(title=title)
    for col in ("site", "tier", "circuit", "dir", "committed", "target", "achieved", "verdict"):
        table.add_column(
            heading(col), justify="right" if col in {"committed", "target", "achieved"} else "left"
        )
    for r in results:
        table.add_row(
            r.site_name,
            tier_name(r.tier),
            f"{r.link} ({r.plane})",
            word("direction", r.direction),
            f"{r.committed_mbps} Mbps",
            f"{_mbps(r.target_mbps)} Mbps" if r.target_mbps else "-",
            f"{r.achieved_mbps:.1f} Mbps" if r.achieved_mbps is not None else "-",
            _verdict_text(r),
        )
    console.print(table)


@app.command("test")
def measure(  # noqa: PLR0917 - typer options
    site: Annotated[
        str | None, typer.Argument(help="Site id or Chinese name (or use --tier / --all).")
    ] = None,
    link: Annotated[str | None, typer.Option(help="One circuit, by link id.")] = None,
    tier: Annotated[str | None, typer.Option(help="Every circuit serving this tier.")] = None,
    all_sites: Annotated[bool, typer.Option("--all", help="Every access circuit.")] = False,
    server: Annotated[
        str | None,
        typer.Option(
            help="Production: the iperf3 server HOST[:PORT] of the one circuit tested"
            " (default: the lab, with the server on the circuit's upstream device).",
            show_default=False,
        ),
    ] = None,
    servers_file: Annotated[
        Path | None,
        typer.Option(
            "--servers",
            help="Production: YAML naming an iperf3 server per circuit (see docs/noc.md).",
            show_default=False,
        ),
    ] = None,
    seconds: Annotated[int, typer.Option(min=1, max=600, help="Test length.")] = 5,
    omit: Annotated[int, typer.Option(min=0, max=30, help="Seconds of slow start to skip.")] = 1,
    port: Annotated[int, typer.Option(min=1, max=65535, help="iperf3 port.")] = 5201,
    reverse: Annotated[
        bool, typer.Option("--reverse", help="Measure towards the site (server sends).")
    ] = False,
    bitrate: Annotated[
        str | None, typer.Option(help="Cap the test, e.g. 40M (iperf3 --bitrate).")
    ] = None,
    tolerance: Annotated[
        float,
        typer.Option(min=0.5, max=1.0, help="Share of a rate that counts as delivering it."),
    ] = DEFAULT_TOLERANCE,
    fail_on_shortfall: Annotated[
        bool, typer.Option("--fail-on-shortfall", help="Exit 1 when a circuit falls short.")
    ] = False,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Run iperf3 through each chosen circuit; compare with its committed rate and tier target.

    Results are kept (last per circuit as metrics, every run in a history file).
    Exit code 1 when a measurement failed (or, with --fail-on-shortfall, fell short).

    Example: egovnet bandwidth test 龙归镇上围村 --profile lab
    """
    check_bitrate(bitrate)
    s = settings(inventory=inventory, profile=profile, state_dir=state_dir)
    inv = s.load_inventory()
    circuits = select_circuits(inv, site=site, tier=tier, everything=all_sites, link=link)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,  # stdout is for the result
        transient=True,
        disable=json_out or not err_console.is_terminal,
    ) as progress:
        task = progress.add_task("iperf3", total=len(circuits))

        def done(result: BandwidthResult) -> None:
            progress.update(task, advance=1, description=f"iperf3 {result.link}")

        run = verify_circuits(
            inv,
            circuits,
            RunnerChoice(server=server, servers_file=servers_file, port=port),
            IperfSpec(seconds=seconds, omit=omit, port=port, reverse=reverse, bitrate=bitrate),
            s.state_dir,
            tolerance=tolerance,
            textfile=render_textfile,
            on_result=done,
        )
    results, runner_name, store = run.results, run.runner_name, run.store
    if json_out:
        print_json([r.model_dump(mode="json") for r in results])
    else:
        render_results(results, text("bandwidth.test.title", runner=runner_name, seconds=seconds))
        console.print(text("bandwidth.kept", last=store.last_file, history=store.history_file))
    if any(r.verdict is Verdict.failed for r in results):
        raise typer.Exit(1)
    if fail_on_shortfall and any(r.verdict is Verdict.shortfall for r in results):
        raise typer.Exit(1)


@app.command()
def show(state_dir: StateDirOpt = None, json_out: JsonOpt = False) -> None:
    """The last result of every tested circuit (what the metrics export).

    Example: egovnet bandwidth show --json
    """
    store = BandwidthStore(settings(state_dir=state_dir).state_dir)
    results = sorted(store.last().values(), key=lambda r: (r.site, r.link, r.direction))
    if json_out:
        print_json([r.model_dump(mode="json") for r in results])
        return
    if not results:
        console.print(text("bandwidth.none_yet"))
        return
    render_results(results, text("bandwidth.show.title"))


@app.command()
def history(
    site: Annotated[str | None, typer.Option(help="Only this site id.")] = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Every bandwidth test ever run, oldest first.

    Example: egovnet bandwidth history --site town-jiangwan
    """
    store = BandwidthStore(settings(state_dir=state_dir).state_dir)
    results = [r for r in store.history() if site is None or r.site == site]
    if json_out:
        print_json([r.model_dump(mode="json") for r in results])
        return
    render_results(results, text("bandwidth.history.title", file=store.history_file))
