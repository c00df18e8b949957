"""``egovnet audit``: 等保 checks of servers and devices, 上云率 against the plan, exports."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
)
from rich.table import Table

from base.errors import AuditError, AuditInputError
from egovnet import messages
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
from playbooks.audit_run import AuditRequest, RunSummary, Step, run_audit
from playbooks.controls import CONTROLS, Lang
from playbooks.export import ExportFormat, build_dataset, export
from playbooks.export.columns import blocker_text, value
from playbooks.migration import Blocker, MigrationReport, migration_report
from playbooks.store import AuditPaths

app = typer.Typer(
    help="等保 (MLPS 2.0) audit of servers and devices, cloud migration (上云率), exports.",
    no_args_is_help=True,
)

# Options are checked here, not by click, so that bad values are one line and exit 2.
NetworkLevelOpt = Annotated[
    int,
    typer.Option(
        "--network-level",
        help="等保 level (2 or 3) the extranet's devices are checked at (seed 002: level 2).",
    ),
]
LangOpt = Annotated[
    str, typer.Option("--lang", help="Language of headers and values: zh (default) or en.")
]


def _choice(option: str, value: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise AuditInputError(f"{option}: {value!r} is not one of {', '.join(allowed)}")
    return value


def _level(option: str, value: int) -> int:
    if value not in (2, 3):
        raise AuditInputError(f"{option}: {value} is not a level egovnet checks (2 or 3)")
    return value


@app.command()
def run(  # noqa: PLR0917 - typer options
    servers: Annotated[
        bool, typer.Option("--servers/--no-servers", help="Run the hardening role on servers.")
    ] = True,
    devices: Annotated[
        bool, typer.Option("--devices/--no-devices", help="Check network device configs.")
    ] = True,
    migration: Annotated[
        bool,
        typer.Option("--migration/--no-migration", help="Run the cloud migration playbook."),
    ] = False,
    remediate: Annotated[
        bool,
        typer.Option(
            "--remediate",
            help="Fix what fails on the servers, then check again (default: audit only).",
        ),
    ] = False,
    configs: Annotated[
        Path | None,
        typer.Option(
            "--configs",
            help="Device configs: <dir>/<device>.cfg or <dir>/<device>/running-config "
            "(default: <state>/automation/backups).",
        ),
    ] = None,
    ansible_inventory: Annotated[
        Path | None,
        typer.Option(
            "--ansible-inventory",
            help="Use this Ansible inventory instead of one exported from the egovnet inventory.",
        ),
    ] = None,
    limit: Annotated[
        str | None, typer.Option("--limit", help="Ansible host pattern (default: servers).")
    ] = None,
    ssh_user: Annotated[
        str | None, typer.Option("--ssh-user", help="Administrator account on the servers.")
    ] = None,
    ssh_key: Annotated[
        Path | None, typer.Option("--ssh-key", help="Private key for --ssh-user.")
    ] = None,
    network_level: NetworkLevelOpt = 2,
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Check servers (hardening role) and device configs; store the results.

    Results go to <state>/audit/results/<asset>.json; the role's raw records and evidence
    files to <state>/audit/raw and <state>/audit/evidence. Exit 1 when a host could not be
    checked.

    Example: egovnet audit run --profile lab --ssh-user egadmin --ssh-key ~/.ssh/id_ed25519
    """
    network_level = _level("--network-level", network_level)
    s = settings(path, inventory=inventory, profile=profile, state_dir=state_dir)
    inv = s.load_inventory()
    request = AuditRequest(
        state_dir=s.state_dir,
        servers=servers,
        devices=devices,
        migration=migration,
        remediate=remediate,
        configs=configs,
        ansible_inventory=ansible_inventory,
        limit=limit,
        ssh_user=ssh_user,
        ssh_key=ssh_key,
        network_level=network_level,
    )
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
        disable=json_out,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def show(step: Step) -> None:
            if step.key not in tasks:
                tasks[step.key] = progress.add_task(translate(step.description), total=step.total)
            progress.update(
                tasks[step.key],
                description=translate(step.description),
                completed=step.completed,
                total=step.total,
            )

        summary = run_audit(inv, request, on_step=show)
    if json_out:
        print_json(summary)
    else:
        _print_run(summary)
    if summary.failures:
        raise typer.Exit(1)


def _print_run(summary: RunSummary) -> None:
    table = Table(title=text("audit.run.title", mode=word("auditmode", summary.mode)))
    for col in ("asset", "type", "systems", "pass", "fail", "manual", "na"):
        table.add_column(
            heading(col), justify="right" if col in ("pass", "fail", "manual", "na") else "left"
        )
    if summary.mode == "remediate":
        table.add_column(heading("changed"), justify="right")
    for a in summary.assets:
        cells = [
            a.asset,
            _value(a.kind),
            ", ".join(a.systems),
            str(a.passed),
            f"[red]{a.failed}[/red]" if a.failed else "0",
            str(a.manual),
            str(a.not_applicable),
        ]
        if summary.mode == "remediate":
            cells.append(str(a.changed) if a.changed is not None else "-")
        table.add_row(*cells)
    console.print(table)
    for line in summary.skipped:
        console.print(f"[yellow]{text('skipped')}[/yellow] {translate(line)}")
    for line in summary.failures:
        console.print(f"[red]{text('failed')}[/red] {translate(line)}")
    if summary.migration is not None:
        checked = text("list.sep").join(summary.migration["checked"]) or text("none")
        console.print(text("audit.migration_checked", checked=checked))


@app.command("migration")
def migration_cmd(  # noqa: PLR0917 - typer options
    results: Annotated[
        Path | None,
        typer.Option(
            "--results", help="Migration result files (default: <state>/audit/migration)."
        ),
    ] = None,
    system: Annotated[
        list[str] | None, typer.Option("--system", help="Only these systems (repeatable).")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Date for overdue assessments, YYYY-MM-DD (default today)."),
    ] = None,
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """上云率 against the plan, by department and wave, with blockers and disagreements.

    The plan: 80% baseline, 100% target (policy.plan). Blockers: dependencies not migrated,
    等保 filing or assessment missing or overdue. Disagreements: records the migration
    playbook (egovnet audit run --migration) found contradicted by reality.

    Example: egovnet audit migration --profile lab
    """
    s = settings(path, inventory=inventory, profile=profile, state_dir=state_dir)
    inv = s.load_inventory()
    day: date | None = None
    if as_of is not None:
        try:
            day = date.fromisoformat(as_of)
        except ValueError:
            raise AuditInputError(f"--as-of: {as_of!r} is not a date (YYYY-MM-DD)") from None
    unknown = [x for x in system or [] if x not in inv.system_by_id]
    if unknown:
        raise AuditInputError(f"--system: unknown system(s) {', '.join(unknown)}")
    folder = results or AuditPaths(s.state_dir).migration
    report = migration_report(inv, folder, as_of=day, systems=system)
    if json_out:
        print_json(report)
        return
    _print_migration(report)


def _print_migration(report: MigrationReport) -> None:
    colour = {"meets_target": "green", "meets_baseline": "yellow", "below_baseline": "red"}
    plan = report.plan_state
    state = f"[{colour[plan]}]{text(f'audit.plan.{plan}')}[/{colour[plan]}]"
    verified = (
        text(
            "audit.verified",
            ratio=f"{report.verified_ratio:.0%}",
            migrated=report.verified_migrated,
            counted=report.counted,
        )
        if report.verified_ratio is not None
        else text("audit.not_verified")
    )
    console.print(
        text(
            "audit.migration.line",
            ratio=f"{report.ratio:.0%}",
            migrated=report.migrated,
            counted=report.counted,
            baseline=f"{report.baseline_ratio:.0%}",
            target=f"{report.target_ratio:.0%}",
            state=state,
            verified=verified,
        )
    )
    for title, groups in (
        ("audit.by_department", report.by_department),
        ("audit.by_wave", report.by_wave),
    ):
        table = Table(title=text(title))
        for col in ("group", "systems", "counted", "migrated", "migration_ratio"):
            table.add_column(heading(col), justify="left" if col == "group" else "right")
        for g in groups:
            name = translate(g.name)
            table.add_row(name, str(g.systems), str(g.counted), str(g.migrated), f"{g.ratio:.0%}")
        console.print(table)
    table = Table(title=text("audit.systems"))
    for col in ("system", "name", "department", "wave", "status", "checked"):
        table.add_column(heading(col))
    for line in report.systems:
        table.add_row(
            line.id,
            line.name,
            line.department_name,
            "-" if line.wave is None else str(line.wave),
            _value(line.status),
            text("yes") if line.checked else text("no"),
        )
    console.print(table)
    # Long texts as lines, not table cells: they stay whole on a narrow terminal.
    for line in report.systems:
        for flag in line.flags:
            console.print(
                f"[red]{text('audit.disagrees')}[/red] {line.id} "
                f"({_value(line.status)}): {_value(flag)}",
                soft_wrap=True,
            )
    for blocker in report.blockers:
        console.print(
            f"[yellow]{text('audit.blocked')}[/yellow] {blocker.system_id}: {_blocker(blocker)}",
            soft_wrap=True,
        )


@app.command("export")
def export_cmd(  # noqa: PLR0917 - typer options
    fmt: Annotated[str, typer.Option("--format", "-f", help="xlsx, csv or html.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write (whole or not at all).")],
    system: Annotated[
        str | None, typer.Option("--system", help="Only this system (EXTRANET = the network).")
    ] = None,
    lang: LangOpt = "zh",
    network_level: NetworkLevelOpt = 2,
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Export the stored results for auditors (xlsx, csv or html).

    One row per (system, asset, control) with evidence and its SHA-256; a summary per
    system; the migration check; config change records. Chinese headers unless --lang en.

    Example: egovnet audit export --format xlsx --out 等保检查.xlsx --system SYS-OA
    """
    form = ExportFormat(_choice("--format", fmt, [f.value for f in ExportFormat]))
    language = Lang(_choice("--lang", lang, [x.value for x in Lang]))
    s = settings(path, inventory=inventory, profile=profile, state_dir=state_dir)
    inv = s.load_inventory()
    paths = AuditPaths(s.state_dir)
    data = build_dataset(
        inv, paths, system=system, network_level=_level("--network-level", network_level)
    )
    try:
        export(data, form, out, language)
    except OSError as exc:
        raise AuditError(f"--out: cannot write {out}: {exc.strerror or exc}") from None
    info = {
        "out": str(out),
        "format": form.value,
        "lang": language.value,
        "rows": len(data.rows),
        "systems": len(data.summaries),
        "changes": len(data.changes.entries),
        "skipped_change_lines": len(data.changes.skipped),
    }
    if json_out:
        print_json(info)
        return
    if not data.rows:
        err_console.print(text("warning", message=text("audit.no_results")))
    console.print(
        text(
            "audit.exported",
            out=out,
            fmt=form.value,
            lang=language.value,
            rows=len(data.rows),
            systems=len(data.summaries),
            changes=len(data.changes.entries),
        )
    )


@app.command("controls")
def controls_cmd(
    level: Annotated[int, typer.Option("--level", help="等保 level: 2 or 3.")] = 3,
    lang: LangOpt = "zh",
    json_out: JsonOpt = False,
) -> None:
    """The controls egovnet checks at a level, with their clause and test unit.

    Example: egovnet audit controls --level 2 --lang en
    """
    level = _level("--level", level)
    language = Lang(_choice("--lang", lang, [x.value for x in Lang]))
    chosen = [c for c in CONTROLS if c.applies_at(level)]
    if json_out:
        print_json(
            [
                {
                    "check_id": c.check_id,
                    "asset_type": c.asset_type.value,
                    "control_point": c.point.name.get(language),
                    "clause": c.clause(level),
                    "test_unit_id": c.test_unit_id(level),
                    "method": c.method.value,
                    "risk_level": c.risk.value,
                    "requirement": c.requirement.get(language),
                    "remediation": c.remediation.get(language),
                }
                for c in chosen
            ]
        )
        return
    table = Table(title=text("audit.controls.title", level=level))
    columns = ("check", "asset", "control_point", "test_unit", "clause", "method", "risk")
    for col in (*columns, "requirement"):
        table.add_column(heading(col))
    for c in chosen:
        table.add_row(
            c.check_id,
            _value(c.asset_type),
            c.point.name.get(language),
            c.test_unit_id(level),
            c.clause(level),
            _value(c.method),
            _value(c.risk),
            c.requirement.get(language),
        )
    console.print(table)


def _value(code: str) -> str:
    """A result, method, risk, asset type, status or flag code as the tables show it: its
    Chinese name (the exports' own, playbooks/export/columns.py) under --lang zh, else the code."""
    return value(code, Lang.zh) if messages.current() is Lang.zh else str(code)


def _blocker(blocker: Blocker) -> str:
    if messages.current() is Lang.zh:
        return blocker_text(blocker, Lang.zh)
    return f"{blocker.kind.value} - {blocker.detail}"
