"""``egovnet topology``: redundancy checks, failure what-ifs, LLDP drift and diagrams."""

from __future__ import annotations

import os
import shlex
import tempfile
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from base.errors import DiscoveryError, TopologyError
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
from egovnet.settings import Settings
from inventory.catalog import Inventory
from inventory.models import Device, Platform, Role
from lab.guard import device_targets, require_lab_routes
from topology.checks import check as run_check
from topology.discovery.drift import DEFAULT_IGNORED_INTERFACES, DriftReport, LinkState, compare
from topology.discovery.metrics import drift_metrics, to_exposition
from topology.discovery.models import DeviceNeighbors
from topology.discovery.sources import (
    ByPlatform,
    CommandRunner,
    CommandSource,
    NapalmLldp,
    NapalmSource,
    NeighborSource,
    read_all,
    recorded_runner,
)
from topology.findings import SEVERITY_ORDER, CheckReport, Severity, Violation
from topology.graph import build_network
from topology.linkstate import open_source
from topology.overview import drawings
from topology.render import Format, render
from topology.whatif import RankRow, WhatIfResult, rank_single_failures, resolve, what_if

app = typer.Typer(
    help="The network graph: redundancy rules, failure what-ifs, LLDP drift, diagrams.",
    no_args_is_help=True,
)

SEVERITY_STYLE = {Severity.must: "bold red", Severity.should: "yellow", Severity.info: "dim"}


def _load(path: Path | None, inventory: Path | None, profile: str | None) -> Inventory:
    return settings(inventory=path or inventory, profile=profile).load_inventory()


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
    inv = _load(path, inventory, profile)
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
    table = Table(title=f"Topology check: {report.profile} ({report.inventory})")
    for col in ("severity", "rule", "sites affected", "links / devices", "finding"):
        table.add_column(col, overflow="fold")
    info = [v for v in shown if v.severity is Severity.info]
    if len(info) > INFO_ROWS:
        shown = [v for v in shown if v.severity is not Severity.info]
    for v in shown:
        names = [s.name for s in v.sites]
        sites = ", ".join(names[:4]) + (f" +{len(names) - 4}" if len(names) > 4 else "")
        table.add_row(
            f"[{SEVERITY_STYLE[v.severity]}]{v.severity.value}[/]",
            v.rule,
            sites,
            "\n".join([*v.links, *v.devices]),
            v.message,
        )
    if len(info) > INFO_ROWS:
        for rule in sorted({v.rule for v in info}):
            same = [v for v in info if v.rule == rule]
            table.add_row(
                f"[{SEVERITY_STYLE[Severity.info]}]info[/]",
                rule,
                f"{len(same)} findings",
                "",
                f"{same[0].message}; ... (all of them: --json)",
            )
    if shown or info:
        console.print(table)
    counts = ", ".join(f"{report.count(s)} {s.value}" for s in Severity)
    verdict = "[green]must-rules pass[/green]" if report.passed else "[bold red]must-rules FAIL[/]"
    console.print(f"{verdict}: {counts}")


# --- whatif --------------------------------------------------------------------------------


@app.command()
def whatif(  # noqa: PLR0917 - typer options
    fail: Annotated[
        list[str] | None,
        typer.Option(
            "--fail",
            "-f",
            help="A link id or device name to fail (repeat for several; link:ID / device:NAME"
            " when a name is both).",
        ),
    ] = None,
    all_single: Annotated[
        bool, typer.Option("--all-single", help="Fail every link and device alone; rank them.")
    ] = False,
    top: Annotated[int, typer.Option("--top", help="Rows of the --all-single ranking shown.")] = 25,
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
    inv = _load(None, inventory, profile)
    net = build_network(inv)
    if all_single:
        with _progress() as progress:
            task = progress.add_task("failing each element", total=None)
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
    console.print(f"failing: [bold]{', '.join(result.failed)}[/bold]")
    if result.isolated:
        table = Table(title=f"{len(result.isolated)} site(s) lose the government cloud")
        for col in ("site", "name", "tier", "must be redundant", "why"):
            table.add_column(col)
        for item in result.isolated:
            table.add_row(
                item.site.id,
                item.site.name,
                item.site.tier,
                "yes" if item.site.must_be_redundant else "",
                "its devices failed" if item.impact.value == "down" else "cut off",
            )
        console.print(table)
    else:
        console.print("[green]no site loses its path to the government cloud[/green]")
    if result.lost_redundancy:
        table = Table(
            title=f"{len(result.lost_redundancy)} site(s) keep the cloud but lose redundancy"
        )
        for col in ("site", "name", "tier", "now hangs on"):
            table.add_column(col, overflow="fold")
        for item in result.lost_redundancy:
            table.add_row(
                item.site.id, item.site.name, item.site.tier, ", ".join(item.single_points)
            )
        console.print(table)


def _print_ranking(rows: list[RankRow], top: int) -> None:
    table = Table(
        title=f"Single failures ranked by sites isolated (top {min(top, len(rows))} of {len(rows)})"
    )
    for col in (
        "element",
        "sites isolated",
        "of which must be redundant",
        "sites losing redundancy",
        "sites",
    ):
        table.add_column(col, overflow="fold")
    for row in rows[:top]:
        shown = ", ".join(row.sites[:5]) + (f" +{len(row.sites) - 5}" if len(row.sites) > 5 else "")
        table.add_row(
            row.element, str(row.isolated), str(row.isolated_must), str(row.lost_redundancy), shown
        )
    console.print(table)


# --- discover ------------------------------------------------------------------------------


class Via(StrEnum):
    auto = "auto"
    lldpcli = "lldpcli"
    cli = "cli"
    napalm = "napalm"


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
    s = settings(inventory=inventory, profile=profile, state_dir=state_dir)
    inv = s.load_inventory()
    targets = _targets(inv, device or [])
    aliases: Mapping[str, Mapping[str, str]] | None = None
    if from_dir:
        for directory in from_dir:
            if not directory.is_dir():
                raise TopologyError(f"{directory}: no such directory")
        source: NeighborSource = CommandSource(recorded_runner(*from_dir), name="recorded")
    else:
        require_lab_routes(inv, device_targets(targets), s.state_dir)
        source, aliases = _live_source(inv, s, via)
    with _progress() as progress:
        task = progress.add_task("reading LLDP neighbours", total=len(targets))

        def advance(_: DeviceNeighbors) -> None:
            progress.advance(task)

        readings = read_all(inv, source, targets, workers=workers, progress=advance)
    ignored = (*DEFAULT_IGNORED_INTERFACES, *(ignore_interface or []))
    report = compare(inv, readings, ignore_interfaces=ignored, aliases=aliases)
    if metrics:
        typer.echo(to_exposition(drift_metrics(inv, report)), nl=False)
    elif json_out:
        print_json(
            {"clean": report.clean, "counts": report.counts, **report.model_dump(mode="json")}
        )
    else:
        _print_drift(report)
    raise typer.Exit(0 if report.clean else 1)


def _targets(inv: Inventory, names: list[str]) -> list[Device]:
    network = [d for d in inv.devices if d.role is not Role.server]
    if not names:
        return network
    known = {d.name: d for d in network}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise TopologyError(f"unknown network device(s): {', '.join(unknown)}")
    return [known[n] for n in names]


def _live_source(
    inv: Inventory, s: Settings, via: Via
) -> tuple[NeighborSource, Mapping[str, Mapping[str, str]] | None]:
    """Sources that reach real devices. The lab's FRR devices answer through lldpcli in their
    namespaces (``lab.exec_in``); the lab gives production interface names short Linux
    names, mapped back here through the running lab's plan."""
    has_frr = any(inv.platform(d) is Platform.frr for d in _targets(inv, []))
    lab_needed = (
        via is Via.lldpcli
        or (via is Via.auto and has_frr)
        # the FRR driver reports the lab's Linux port names; the plan maps them back
        or (via is Via.napalm and has_frr and inv.profile.platform_override is Platform.frr)
    )
    aliases = _lab_aliases(s) if lab_needed else None
    lldpcli = CommandSource(_lab_runner(s), name="lldpcli")
    if via is Via.lldpcli:
        return lldpcli, aliases
    if via is Via.napalm:
        return NapalmSource(_napalm_getter(inv, s)), aliases
    cli = CommandSource(_netmiko_runner(inv, s), name="cli")
    if via is Via.cli:
        return cli, None
    return ByPlatform({Platform.frr: lldpcli}, default=cli), aliases


def _lab_aliases(s: Settings) -> Mapping[str, Mapping[str, str]]:
    """Linux interface name -> inventory name per lab device; LabUsageError (exit 2) when no
    lab is up in the state directory."""
    from lab.running import open_lab

    plan = open_lab(s.state_dir).plan
    return {node.name: {p.ifname: p.inventory_name for p in node.ports} for node in plan.nodes}


def _lab_runner(s: Settings) -> CommandRunner:
    """A command on a lab device with ``lab.exec_in`` (lldpcli aimed at the device's lldpd)."""

    def run(device: Device, command: str) -> str:
        from lab import exec_in

        done = exec_in(s.state_dir, device.name, shlex.split(command), timeout=30)
        if done.returncode != 0:
            detail = (done.stderr or done.stdout).strip().splitlines()
            raise DiscoveryError(f"{detail[-1] if detail else f'exit {done.returncode}'}")
        return done.stdout

    return run


def _netmiko_runner(inv: Inventory, s: Settings) -> CommandRunner:
    """SSH with Netmiko (device type from automation's platform map), one session per read."""

    def run(device: Device, command: str) -> str:
        from netmiko import ConnectHandler

        from automation.platforms import PLATFORMS

        username, password = _credentials(inv, s, device)
        params = {
            "device_type": PLATFORMS[inv.platform(device)].netmiko_device_type,
            "host": str(device.mgmt_address),
            "username": username,
            "password": password,
            "timeout": 20,
        }
        with ConnectHandler(**params) as conn:
            return str(conn.send_command(command, read_timeout=60))

    return run


def _napalm_getter(inv: Inventory, s: Settings) -> Callable[[Device], NapalmLldp]:
    """NAPALM ``get_lldp_neighbors`` as a Nornir task (nornir_napalm's ``napalm_get``) on
    the hosts of the inventory's Nornir plugin, with the driver the platform map names and
    the credentials automation uses (environment or secrets file)."""
    from automation.platforms import PLATFORMS
    from automation.runner import make_nornir

    nr = make_nornir(s.inventory_path, s.secrets_file, workers=1)

    def get(device: Device) -> NapalmLldp:
        from nornir.core.inventory import ConnectionOptions
        from nornir_napalm.plugins.tasks import napalm_get

        driver_name = PLATFORMS[inv.platform(device)].napalm_driver
        if driver_name is None:
            raise DiscoveryError(
                f"{device.name}: no NAPALM driver for {inv.platform(device).value}"
            )
        _credentials(inv, s, device)  # a clear error when the password is missing
        one = nr.filter(name=device.name)
        host = one.inventory.hosts[device.name]
        host.connection_options["napalm"] = ConnectionOptions(
            platform=driver_name, extras={"timeout": 20}
        )
        try:
            result = one.run(task=napalm_get, getters=["lldp_neighbors"])[device.name]
        finally:
            host.close_connections()
        if result.failed:
            raise DiscoveryError(f"{device.name}: {_last_line(result.exception)}")
        lldp: NapalmLldp = result.result["lldp_neighbors"]
        return lldp

    return get


def _last_line(exc: BaseException | None) -> str:
    text = str(exc or "failed").strip().splitlines()
    return text[-1] if text else type(exc).__name__


def _credentials(inv: Inventory, s: Settings, device: Device) -> tuple[str, str]:
    if device.credential_profile is None:
        raise DiscoveryError(f"{device.name}: no credential_profile in the inventory")
    cred = inv.credential_profile_by_name[device.credential_profile]
    return cred.username, s.secrets().get(cred.password_env).reveal()


def _print_drift(report: DriftReport) -> None:
    bad = [lk for lk in report.links if lk.state is not LinkState.discovered]
    if bad:
        table = Table(title="Intended links LLDP does not confirm")
        for col in ("link", "state", "a end", "a sees", "b end", "b sees"):
            table.add_column(col, overflow="fold")
        style = {LinkState.missing: "red", LinkState.miswired: "bold red", LinkState.unknown: "dim"}
        for lk in bad:
            table.add_row(
                lk.link,
                f"[{style.get(lk.state, '')}]{lk.state.value}[/]",
                f"{lk.a.device} {lk.a.interface}",
                _seen(lk.a.verdict.value, [str(x) for x in lk.a.seen]),
                f"{lk.b.device} {lk.b.interface}",
                _seen(lk.b.verdict.value, [str(x) for x in lk.b.seen]),
            )
        console.print(table)
    if report.unexpected:
        table = Table(title="Unexpected neighbours (no intended link on that interface)")
        for col in ("device", "interface", "neighbour", "its port", "seen from both ends"):
            table.add_column(col)
        for u in report.unexpected:
            who = u.neighbor.device or f"{u.neighbor.system or '?'} (not in inventory)"
            port = u.neighbor.port or u.neighbor.reported_port or "?"
            table.add_row(u.device, u.interface, who, port, "yes" if u.both_ends else "")
        console.print(table)
    failed = [d for d in report.devices if not d.ok]
    for dev in failed:
        err_console.print(f"[red]could not read {dev.device}[/red]: {dev.error}", highlight=False)
    found = len(report.links_in(LinkState.discovered))
    counts = ", ".join(f"{n} {k}" for k, n in report.counts.items())
    verdict = "[green]matches the inventory[/green]" if report.clean else "[bold red]drift[/]"
    console.print(
        f"{verdict}: {found}/{len(report.links)} links discovered; {counts};"
        f" {len(report.devices) - len(failed)}/{len(report.devices)} devices read"
    )


def _seen(verdict: str, seen: list[str]) -> str:
    if verdict == "not_polled":
        return "[dim]not read[/dim]"
    if not seen:
        return "[red]nothing[/red]"
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
    inv = _load(None, inventory, profile)
    net = build_network(inv)
    report = run_check(inv, net) if violations else None
    states = dict(open_source(live, inv).link_states()) if live else None
    dots = drawings(
        net,
        report,
        states,
        max_row,
        district=district,
        overview=overview,
        per_district=per_district,
    )
    down = sorted(k for k, v in (states or {}).items() if v.value == "down")
    if out is None:
        typer.echo("".join(dots.values()), nl=False)
        return
    files: list[Path] = []
    with _progress() as progress:
        task = progress.add_task("rendering with dot", total=len(dots))
        for stem, dot_text in dots.items():
            target = out / f"{stem}.{fmt.value}" if per_district else out
            _write_atomically(target, render(dot_text, fmt))
            files.append(target)
            progress.advance(task)
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
        extra = f", {len(down)} link(s) down" if states is not None else ""
        shown = str(out) if len(files) == 1 else f"{len(files)} drawings into {out}"
        console.print(f"wrote {shown} ({fmt.value}, {len(net.devices)} devices{extra})")


def _write_atomically(out: Path, data: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # a diagram is for sharing (mkstemp makes it 0600)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
