"""``egovnet monitor``: the NOC stack (exporter, Prometheus, Alertmanager) from the inventory."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from base.errors import MonitorConfigError, MonitorError
from base.lang import parse_lang
from egovnet.commands.common import (
    InventoryArg,
    InventoryOpt,
    JsonOpt,
    ProfileOpt,
    StateDirOpt,
    console,
    err_console,
    print_json,
    settings,
)
from egovnet.messages import heading, text, translate, word
from egovnet.settings import Settings
from exporters.config import TrapConfig
from inventory.catalog import Inventory
from monitor.dashboards import check_dashboards, load_dashboards, panel_queries
from monitor.digest import build_digest, render_markdown, send_digest, stack_urls
from monitor.generate import write_files
from monitor.options import MonitorOptions, parse_overrides
from monitor.schedule import DigestJob, digest_schedule_files
from monitor.shards import ShardOptions, check_for, generate_for
from monitor.stack import (
    StackLayout,
    bring_down,
    load_state,
)
from monitor.status import StackStatus, stack_status
from monitor.up import ExporterLaunch, scraper_addresses, stack_up
from monitor.webhook import read_notifications

app = typer.Typer(
    help="The NOC stack: Prometheus, Alertmanager and the exporter, configured from the inventory.",
    no_args_is_help=True,
)

RUNBOOKS = Path(__file__).resolve().parents[2] / "docs" / "runbooks"

ScaleOpt = Annotated[
    float,
    typer.Option(
        "--alert-for-scale",
        help="Multiply every alert's `for:` in the generated copy (tests: 0.1). Shipped rules"
        " are never edited.",
    ),
]
OverrideOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--alert-for",
        help="NAME=DURATION: set one alert's `for:` in the generated copy (repeatable).",
        show_default=False,
    ),
]
ScrapeOpt = Annotated[str, typer.Option("--scrape-interval", help="Prometheus scrape interval.")]
EvalOpt = Annotated[str, typer.Option("--evaluation-interval", help="Rule evaluation interval.")]
GroupWaitOpt = Annotated[str, typer.Option("--group-wait", help="Alertmanager group_wait.")]
GroupIntervalOpt = Annotated[
    str, typer.Option("--group-interval", help="Alertmanager group_interval.")
]
RepeatOpt = Annotated[str, typer.Option("--repeat-interval", help="Alertmanager repeat_interval.")]
ShardsOpt = Annotated[
    int,
    typer.Option(
        "--shards",
        min=0,
        max=64,
        help="N vmagent scrapers sharing the targets (replicated twice), one VictoriaMetrics"
        " store and vmalert in place of Prometheus (docs/scale.md); 0: Prometheus.",
    ),
]
RetentionOpt = Annotated[
    str, typer.Option("--retention", help="How long the sharded stack's store keeps data.")
]
RunbookOpt = Annotated[
    str | None,
    typer.Option(
        "--runbook-base",
        help="URL the runbook_url annotations point into (default: this checkout's docs/runbooks).",
        show_default=False,
    ),
]


def _inventory(
    path: Path | None, inventory: Path | None, profile: str | None, state_dir: Path | None
) -> tuple[Settings, Inventory]:
    s = settings(path, inventory=inventory, profile=profile, state_dir=state_dir)
    return s, s.load_inventory()


def _default_runbooks() -> str | None:
    return RUNBOOKS.as_uri() if RUNBOOKS.is_dir() else None


# --- config -----------------------------------------------------------------------------


@app.command("config")
def config_cmd(  # noqa: PLR0917 - typer options
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write into.")],
    exporter_address: Annotated[
        str, typer.Option("--exporter-address", help="Where Prometheus reaches the exporter.")
    ] = "127.0.0.1:9516",
    prometheus_address: Annotated[
        str, typer.Option("--prometheus-address", help="This Prometheus (self-scrape).")
    ] = "127.0.0.1:9090",
    alertmanager_address: Annotated[
        str, typer.Option("--alertmanager-address", help="Where Prometheus sends alerts.")
    ] = "127.0.0.1:9093",
    webhook_url: Annotated[
        str, typer.Option("--webhook-url", help="Where Alertmanager posts pages and tickets.")
    ] = "http://127.0.0.1:9095/alerts",
    scrape_interval: ScrapeOpt = "15s",
    evaluation_interval: EvalOpt = "15s",
    alert_for_scale: ScaleOpt = 1.0,
    alert_for: OverrideOpt = None,
    group_wait: GroupWaitOpt = "30s",
    group_interval: GroupIntervalOpt = "5m",
    repeat_interval: RepeatOpt = "4h",
    runbook_base: RunbookOpt = None,
    shards: ShardsOpt = 0,
    store_address: Annotated[
        str, typer.Option("--store-address", help="The sharded stack's VictoriaMetrics store.")
    ] = "127.0.0.1:8428",
    vmalert_address: Annotated[
        str, typer.Option("--vmalert-address", help="The sharded stack's vmalert.")
    ] = "127.0.0.1:8880",
    scraper_address: Annotated[
        list[str] | None,
        typer.Option(
            "--scraper-address",
            help="HOST:PORT of each scraper, in order (repeat N times; default: the ports"
            " after the store's).",
            show_default=False,
        ),
    ] = None,
    retention: RetentionOpt = "15d",
    check: Annotated[
        bool, typer.Option("--check/--no-check", help="Run promtool and amtool on the result.")
    ] = True,
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Write prometheus.yml, alertmanager.yml, the rules and file_sd targets for a production NOC.

    Also the daily digest's systemd timer + service (systemd/) and cron entry (cron/), at the
    inventory's monitoring.digest time, reading --state-dir; nothing is installed.

    With a WeCom application among the inventory's monitoring.receivers, alertmanager.yml holds
    its corp secret (Alertmanager 0.25 reads it from there) and is written with mode 0600.

    With --shards N: the sharded stack instead of prometheus.yml (scrapers.yml for N vmagent
    scrapers, the store's and vmalert's command lines in processes.yml, a Grafana data source).

    Example: egovnet monitor config --out /etc/prometheus/egovnet --exporter-address 10.0.0.5:9516

    Example: egovnet monitor config --out /etc/egovnet-noc --shards 3 --store-address 10.0.0.9:8428
    """
    options = MonitorOptions.build(
        exporter_address=exporter_address,
        prometheus_address=prometheus_address,
        alertmanager_address=alertmanager_address,
        webhook_url=webhook_url,
        scrape_interval=scrape_interval,
        evaluation_interval=evaluation_interval,
        alert_for_scale=alert_for_scale,
        alert_for=parse_overrides(alert_for or []),
        group_wait=group_wait,
        group_interval=group_interval,
        repeat_interval=repeat_interval,
        runbook_base=runbook_base,
    )
    shard = (
        ShardOptions.build(
            shards=shards,
            store_address=store_address,
            vmalert_address=vmalert_address,
            scraper_addresses=tuple(scraper_address) if scraper_address else None,
            retention=retention,
        )
        if shards
        else None
    )
    s, inv = _inventory(path, inventory, profile, state_dir)
    job = DigestJob.of(sys.executable, s.inventory_path, s.state_dir, options)
    files = [*generate_for(inv, options, shard), *digest_schedule_files(inv, job)]
    written = write_files(out, files, s.secrets())
    checks = check_for(out, shard) if check else []
    if json_out:
        print_json(
            {
                "out": str(out),
                "files": [{"path": f.path, "kind": f.kind} for f in files],
                "checks": [{"tool": c.tool, "file": c.file, "ok": c.ok} for c in checks],
            }
        )
    else:
        for written_path in written:
            console.print(text("wrote", path=written_path))
        for c in checks:
            mark = (
                f"[green]{text('ok')}[/green]" if c.ok else f"[red]{text('monitor.failed')}[/red]"
            )
            console.print(f"{c.tool} {c.file}: {mark}")
    failed = [c for c in checks if not c.ok]
    if failed:
        raise MonitorError(f"{failed[0].tool} rejects {failed[0].file}: {failed[0].output}")


# --- digest -----------------------------------------------------------------------------


@app.command()
def digest(  # noqa: PLR0917 - typer options
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the message: zh (default) or en.")
    ] = "zh",
    alertmanager_url: Annotated[
        str | None,
        typer.Option(help="Alertmanager to ask for open alerts (default: `monitor up`'s)."),
    ] = None,
    prometheus_url: Annotated[
        str | None,
        typer.Option(help="Prometheus to ask when Alertmanager does not answer."),
    ] = None,
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
    send: Annotated[
        bool,
        typer.Option(
            "--send",
            help="Also post it to the inventory's monitoring.receivers, each in its language "
            "(exit 1 if any delivery fails; failures show in `monitor status`).",
        ),
    ] = False,
) -> None:
    """The daily digest for the bureau's group, as one markdown message: sites meeting their
    tier's target, coverage, 上云率, 等保 status and open alerts.

    An unreachable stack is one line of the digest, not a failure. The timer `monitor config`
    writes runs it with --send.

    Example: egovnet monitor digest --lang en
    Example: egovnet monitor digest --send
    """
    language = parse_lang(lang)
    s, inv = _inventory(path, inventory, profile, state_dir)
    urls = stack_urls(s.state_dir.resolve(), alertmanager_url, prometheus_url)
    made = build_digest(inv, s.state_dir.resolve(), urls)
    message = render_markdown(made, language)
    outcomes = []
    if send:
        if not inv.monitoring.receivers:
            raise MonitorConfigError(
                "--send: the inventory names no monitoring.receivers to send the digest to"
            )
        log_file = StackLayout(s.state_dir.resolve()).deliveries_file
        outcomes = send_digest(
            made, inv.monitoring.receivers, secrets=s.secrets(), log_file=log_file
        )
    if json_out:
        sent = [{"receiver": o.receiver, "ok": o.ok, "error": o.error} for o in outcomes]
        print_json(
            made.model_dump(mode="json")
            | {"lang": language.value, "markdown": message}
            | ({"sent": sent} if send else {})
        )
    else:
        typer.echo(message)
        for o in outcomes:
            said = (
                text("monitor.digest.sent", receiver=o.receiver)
                if o.ok
                else text("monitor.digest.not_sent", receiver=o.receiver, error=o.error)
            )
            typer.echo(said, err=True)
    if any(not o.ok for o in outcomes):
        raise typer.Exit(1)


# --- up / down / status -----------------------------------------------------------------


def _exporter_launch(s: Settings, traps: str | None) -> ExporterLaunch:
    """The exporter `monitor up` starts: this installation's `egovnet exporter` command."""
    if importlib.util.find_spec("egovnet.commands.exporter") is None:
        raise MonitorError(
            "the egovnet exporter is not installed (no `egovnet exporter` command); "
            "start one elsewhere and pass --exporter-address HOST:PORT"
        )
    try:
        trap_config = TrapConfig(listen=traps) if traps else None
    except ValueError:
        raise MonitorConfigError(f"--traps-listen: {traps!r} is not HOST:PORT") from None
    return ExporterLaunch(
        command=(sys.executable, "-m", "egovnet", "exporter"),
        inventory=s.inventory_path.resolve(),
        secrets_file=s.secrets_file.resolve(),
        traps=trap_config,
    )


@app.command()
def up(  # noqa: PLR0917 - typer options
    prometheus_port: Annotated[int, typer.Option(help="Prometheus on 127.0.0.1:PORT.")] = 9090,
    alertmanager_port: Annotated[int, typer.Option(help="Alertmanager on 127.0.0.1:PORT.")] = 9093,
    exporter_port: Annotated[int, typer.Option(help="The exporter on 127.0.0.1:PORT.")] = 9516,
    webhook_port: Annotated[
        int, typer.Option(help="The webhook receiver on 127.0.0.1:PORT.")
    ] = 9095,
    exporter_address: Annotated[
        str | None,
        typer.Option(
            "--exporter-address",
            help="Use an exporter already running at HOST:PORT instead of starting one.",
            show_default=False,
        ),
    ] = None,
    traps_listen: Annotated[
        str | None,
        typer.Option(
            "--traps-listen",
            help="The started exporter receives linkDown/linkUp on udp HOST:PORT (in the lab:"
            " 172.31.255.254:9162, then `lab up --trap-sink` the same address).",
            show_default=False,
        ),
    ] = None,
    scrape_interval: ScrapeOpt = "15s",
    evaluation_interval: EvalOpt = "15s",
    alert_for_scale: ScaleOpt = 1.0,
    alert_for: OverrideOpt = None,
    group_wait: GroupWaitOpt = "30s",
    group_interval: GroupIntervalOpt = "5m",
    repeat_interval: RepeatOpt = "4h",
    runbook_base: RunbookOpt = None,
    shards: ShardsOpt = 0,
    store_port: Annotated[
        int, typer.Option(help="With --shards: the VictoriaMetrics store on 127.0.0.1:PORT.")
    ] = 8428,
    vmalert_port: Annotated[
        int, typer.Option(help="With --shards: vmalert on 127.0.0.1:PORT.")
    ] = 8880,
    retention: RetentionOpt = "15d",
    timeout: Annotated[float, typer.Option(help="Seconds each component may take.")] = 30.0,
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Start (or reload) exporter, Prometheus, Alertmanager and a webhook receiver on loopback.

    Idempotent: running components are kept and reloaded, changed ones restarted. The
    inventory's monitoring.receivers (WeCom, DingTalk, Feishu) are wired in; their secrets
    come from the environment or the secrets file and must all be there. With --shards N:
    N vmagent scrapers (on free ports), a VictoriaMetrics store and vmalert run in place of
    Prometheus; `monitor status` and `monitor down` cover them too.

    Example: egovnet monitor up --profile lab --alert-for-scale 0.1

    Example: EGOVNET_DINGTALK_TOKEN=... egovnet monitor up -i my-district

    Example: egovnet monitor up --shards 2 --store-port 8428
    """
    loopback = "127.0.0.1"
    hook = f"{loopback}:{webhook_port}"
    exporter = exporter_address or f"{loopback}:{exporter_port}"
    options = MonitorOptions.build(
        exporter_address=exporter,
        prometheus_address=f"{loopback}:{prometheus_port}",
        alertmanager_address=f"{loopback}:{alertmanager_port}",
        webhook_url=f"http://{hook}/alerts",
        scrape_interval=scrape_interval,
        evaluation_interval=evaluation_interval,
        alert_for_scale=alert_for_scale,
        alert_for=parse_overrides(alert_for or []),
        group_wait=group_wait,
        group_interval=group_interval,
        repeat_interval=repeat_interval,
        runbook_base=runbook_base or _default_runbooks(),
    )
    s, inv = _inventory(path, inventory, profile, state_dir)
    layout = StackLayout(s.state_dir.resolve())
    shard = (
        ShardOptions.build(
            shards=shards,
            store_address=f"{loopback}:{store_port}",
            vmalert_address=f"{loopback}:{vmalert_port}",
            scraper_addresses=scraper_addresses(layout, shards, loopback),
            retention=retention,
        )
        if shards
        else None
    )
    launch = None if exporter_address is not None else _exporter_launch(s, traps_listen)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,  # stdout is for the result
        transient=True,
        disable=json_out or not err_console.is_terminal,
    ) as progress:
        task = progress.add_task(text("monitor.starting"), total=None)
        done = stack_up(
            inv,
            options,
            layout,
            webhook_address=hook,
            exporter=launch,
            timeout=timeout,
            on_start=lambda name: progress.update(
                task, description=text("monitor.starting_one", name=name)
            ),
            secrets=s.secrets(),
            shards=shard,
        )
    layout, state, outcomes = done.layout, done.state, done.outcomes
    rows = [
        {
            "component": o.name,
            "action": o.action,
            "pid": o.pid,
            "address": state.components[o.name].address if o.name in state.components else None,
        }
        for o in outcomes
    ]
    if json_out:
        print_json(
            {
                "components": rows,
                "prometheus": state.prometheus_url,
                "alertmanager": state.alertmanager_url,
                "exporter": exporter,
                "shards": shards,
                "notifications": str(layout.notifications_file),
                "config": str(layout.config_dir),
            }
        )
        return
    table = Table(title=text("monitor.up.title", profile=inv.profile.name, root=layout.root))
    for col in ("component", "action", "pid", "address"):
        table.add_column(heading(col))
    for row in rows:
        cells = {c: str(row[c] if row[c] is not None else "-") for c in row}
        cells["action"] = word("action", cells["action"])
        table.add_row(*cells.values())
    if exporter_address:
        table.add_row("exporter", word("action", "external"), "-", exporter)
    console.print(table)
    query = "Store (VictoriaMetrics)" if shard else "Prometheus"
    console.print(f"{query} {state.prometheus_url}  Alertmanager {state.alertmanager_url}")


@app.command()
def down(state_dir: StateDirOpt = None, json_out: JsonOpt = False) -> None:
    """Stop the processes `monitor up` started (only those: by recorded PID and start time).

    Example: egovnet monitor down
    """
    layout = StackLayout(settings(state_dir=state_dir).state_dir.resolve())
    outcomes = bring_down(layout)
    if json_out:
        print_json([{"component": o.name, "action": o.action, "pid": o.pid} for o in outcomes])
        return
    if not outcomes:
        console.print(text("monitor.nothing_to_stop", root=layout.root))
    for o in outcomes:
        console.print(f"{o.name} (pid {o.pid}): {word('action', o.action)}")


@app.command()
def status(state_dir: StateDirOpt = None, json_out: JsonOpt = False) -> None:
    """Each component's health, the scrape targets, every pending or firing alert, and what
    each chat receiver (robot) delivered; a message that failed every retry is a problem line.

    Exit code 1 when a component is down or not ready (or nothing runs).

    Example: egovnet monitor status --json
    """
    layout = StackLayout(settings(state_dir=state_dir).state_dir.resolve())
    st = stack_status(layout)
    if json_out:
        print_json(st.model_dump(mode="json") | {"healthy": st.healthy})
    else:
        _render_status(st, layout)
    if not st.healthy:
        raise typer.Exit(1)


def _render_status(st: StackStatus, layout: StackLayout) -> None:
    if not st.components:
        console.print(text("monitor.no_stack", root=layout.root))
        return
    comp = Table(title=text("monitor.components"))
    for col in ("component", "pid", "address", "running", "ready"):
        comp.add_column(heading(col))
    yes, no = f"[green]{text('yes')}[/green]", f"[red]{text('no')}[/red]"
    for c in st.components:
        comp.add_row(c.name, str(c.pid), c.address or "-", yes if c.running else no,
                     yes if c.ready else no)  # fmt: skip
    console.print(comp)
    if st.targets:
        targets = Table(title=text("monitor.targets"))
        for col in ("job", "up", "down", "unknown"):
            targets.add_column(heading(col), justify="left" if col == "job" else "right")
        for t in st.targets:
            down_text = f"[red]{t.down}[/red]" if t.down else "0"
            targets.add_row(t.job, str(t.up), down_text, str(t.unknown))
        console.print(targets)
    firing = sum(1 for a in st.alerts if a.state == "firing")
    alerts = Table(title=text("monitor.alerts", firing=firing))
    for col in ("alert", "severity", "state", "site", "subject", "since", "alertmanager"):
        alerts.add_column(heading(col))
    colour = {"critical": "red", "warning": "yellow", "info": "blue"}
    for a in st.alerts:
        sev = f"[{colour.get(a.severity, 'white')}]{word('severity', a.severity)}[/]"
        since = a.since.strftime("%H:%M:%S") if a.since else "-"
        where = a.site_name or a.site or "-"
        state = word("alertstate", a.state)
        delivery = word("delivery", a.delivery)
        alerts.add_row(a.name, sev, state, where, a.subject or "-", since, delivery)
    console.print(alerts)
    if st.deliveries:
        robots = Table(title=text("monitor.robots"))
        for col in ("receiver", "kind", "delivered", "merged", "failed", "last_failure"):
            robots.add_column(heading(col))
        for d in st.deliveries:
            last = d.failures[-1] if d.failures else None
            robots.add_row(
                d.receiver,
                d.kind,
                str(d.delivered),
                str(d.merged),
                f"[red]{d.failed}[/red]" if d.failed else "0",
                f"{last.at:%Y-%m-%d %H:%M:%S} {last.error}" if last else "-",
            )
        console.print(robots)
    for problem in st.problems:
        console.print(f"[red]{text('monitor.problem')}[/red] {translate(problem)}")


@app.command()
def notifications(
    site: Annotated[str | None, typer.Option(help="Only notifications about this site id.")] = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """What the stack's webhook receiver got from Alertmanager, oldest first.

    Example: egovnet monitor notifications --site town-longgui
    """
    layout = StackLayout(settings(state_dir=state_dir).state_dir.resolve())
    got = read_notifications(layout.notifications_file)
    if site:
        got = [n for n in got if n.notification.group_labels.get("site") == site]
    if json_out:
        print_json([n.model_dump(mode="json", by_alias=True) for n in got])
        return
    table = Table(title=text("monitor.notifications", file=layout.notifications_file))
    for col in ("received", "receiver", "status", "site", "alerts"):
        table.add_column(heading(col))
    for n in got:
        note = n.notification
        site_name = note.common_labels.get("site_name") or note.group_labels.get("site", "-")
        table.add_row(
            n.received_at.strftime("%Y-%m-%d %H:%M:%S"),
            note.receiver,
            word("alertstate", note.status),
            site_name,
            ", ".join(note.alert_names),
        )
    console.print(table)


@app.command()
def dashboards(  # noqa: PLR0917 - typer options
    check: Annotated[
        bool, typer.Option("--check", help="Run every query against --prometheus-url.")
    ] = False,
    prometheus_url: Annotated[
        str | None,
        typer.Option(help="Prometheus to query (default: the one `monitor up` runs)."),
    ] = None,
    site: Annotated[
        str | None,
        typer.Option(help="Value of the $site variable (default: the first site with a circuit)."),
    ] = None,
    at: Annotated[
        float | None,
        typer.Option(
            "--time", help="Evaluate at this Unix time (default: now).", show_default=False
        ),
    ] = None,
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """List every dashboard panel query; with --check, run each against a real Prometheus.

    Exit code 1 when a query fails or comes back empty where data must exist.

    Example: egovnet monitor dashboards --check --site town-jiangwan
    """
    s, inv = _inventory(path, inventory, profile, state_dir)
    values = {"site": site or (inv.circuits[0].site.id if inv.circuits else "")}
    boards = load_dashboards()
    if not check:
        rows = [
            {"dashboard": b.uid, "panel": q.panel, "ref": q.ref_id, "expr": q.expr}
            for b in boards
            for q in panel_queries(b, values)
        ]
        if json_out:
            print_json(rows)
            return
        table = Table(title=text("monitor.dashboards.queries", site=values["site"]))
        for col in ("dashboard", "panel", "ref", "expr"):
            table.add_column(heading(col), overflow="fold")
        for row in rows:
            table.add_row(*row.values())
        console.print(table)
        return
    url = prometheus_url or load_state(StackLayout(s.state_dir.resolve())).prometheus_url
    if not url:
        raise MonitorError("no Prometheus to query: pass --prometheus-url or run `monitor up`")
    results = check_dashboards(url, boards, values, at)
    problems = [r for r in results if r.problem]
    if json_out:
        print_json(
            [
                {
                    "dashboard": r.query.dashboard,
                    "panel": r.query.panel,
                    "ref": r.query.ref_id,
                    "expr": r.query.expr,
                    "series": r.result.series,
                    "problem": r.problem,
                }
                for r in results
            ]
        )
    else:
        table = Table(title=text("monitor.dashboards.checked", count=len(results), url=url))
        for col in ("dashboard", "panel", "ref", "series", "problem"):
            table.add_column(heading(col))
        for r in results:
            problem = (
                f"[red]{translate(r.problem)}[/red]"
                if r.problem
                else f"[green]{text('ok')}[/green]"
            )
            table.add_row(
                r.query.dashboard, r.query.panel, r.query.ref_id, str(r.result.series), problem
            )
        console.print(table)
    if problems:
        raise typer.Exit(1)
