"""``egovnet audit``: 等保 checks of servers and devices, 上云率 against the plan, exports."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from base.errors import AuditError, AuditInputError
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
from inventory.models import Role
from lab.guard import device_targets, require_lab_routes
from playbooks.ansible_run import PLAYBOOK_DIR, PlaybookRun, run_playbook
from playbooks.atomic import write_text
from playbooks.controls import CONTROLS, AssetType, Lang
from playbooks.devices import check_configs
from playbooks.export import ExportFormat, build_dataset, export
from playbooks.linux import load_raw, rows_for_host
from playbooks.migration import MigrationReport, migration_report
from playbooks.results import CheckResult
from playbooks.store import AuditPaths, save_asset_results

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


class AssetLine(BaseModel):
    asset: str
    kind: str
    systems: list[str]
    passed: int
    failed: int
    manual: int
    not_applicable: int
    changed: int | None = None


class RunSummary(BaseModel):
    mode: str
    assets: list[AssetLine]
    failures: list[str]
    skipped: list[str]
    migration: dict[str, list[str]] | None = None
    logs: list[str]


def _line(asset: str, kind: str, rows: list[CheckResult], changed: int | None = None) -> AssetLine:
    counts = Counter(r.result.value for r in rows)
    return AssetLine(
        asset=asset,
        kind=kind,
        systems=sorted({r.system_id for r in rows}),
        passed=counts["pass"],
        failed=counts["fail"],
        manual=counts["manual"],
        not_applicable=counts["not_applicable"],
        changed=changed,
    )


def _ansible_inventory(inv: Inventory, paths: AuditPaths, given: Path | None) -> Path:
    if given is not None:
        if not given.is_file():
            raise AuditInputError(f"--ansible-inventory: {given}: no such file")
        return given
    out = paths.ansible / "hosts.yml"
    write_text(out, render_ansible_inventory(inv))
    return out


def _playbook(
    name: str,
    *,
    inventory: Path,
    extra: dict[str, object],
    log: Path,
    limit: str | None,
    progress: Progress,
) -> PlaybookRun:
    task = progress.add_task(f"{name}: starting", total=None)

    def seen(task_name: str) -> None:
        progress.update(task, description=f"{name}: {task_name[:70]}")

    try:
        return run_playbook(PLAYBOOK_DIR / name, inventory, extra, log, limit=limit, on_task=seen)
    finally:
        progress.update(task, description=f"{name}: done", completed=1, total=1)


def _servers(
    inv: Inventory,
    paths: AuditPaths,
    inventory: Path,
    *,
    mode: str,
    limit: str | None,
    extra: dict[str, object],
    network_level: int,
    progress: Progress,
    summary: RunSummary,
) -> None:
    started = time.time()
    run = _playbook(
        "mlps_hardening.yml",
        inventory=inventory,
        extra={
            **extra,
            "mlps_hardening_mode": mode,
            "mlps_hardening_results_dir": str(paths.raw.resolve()),
        },
        log=paths.root / "logs" / f"mlps_hardening-{mode}.log",
        limit=limit or "servers",
        progress=progress,
    )
    summary.logs.append(str(run.log))
    for host, stats in sorted(run.stats.items()):
        if stats.unreachable or stats.failed:
            summary.failures.append(
                f"{host}: {'unreachable' if stats.unreachable else 'failed'} (see {run.log})"
            )
    if not run.ok and not summary.failures:
        summary.failures.append(f"ansible-playbook exited {run.returncode} (see {run.log})")
    for raw_file in sorted(paths.raw.glob("*.json")):
        if raw_file.stat().st_mtime < started:
            continue
        raw = load_raw(raw_file)
        rows = rows_for_host(inv, raw, str(raw_file), network_level)
        save_asset_results(paths, raw.host, rows)
        host_stats = run.stats.get(raw.host)
        changed = host_stats.changed if host_stats is not None and mode == "remediate" else None
        summary.assets.append(_line(raw.host, AssetType.linux_server.value, rows, changed))


def _devices(
    inv: Inventory,
    paths: AuditPaths,
    configs: Path,
    *,
    network_level: int,
    progress: Progress,
    summary: RunSummary,
) -> None:
    if not configs.is_dir():
        raise AuditInputError(f"--configs: {configs}: no such directory")
    network = [d.name for d in inv.devices if d.role is not Role.server]
    task = progress.add_task("device configurations", total=len(network))
    audit = check_configs(inv, configs, network_level=network_level)
    for name, rows in sorted(audit.results.items()):
        save_asset_results(paths, name, rows)
        summary.assets.append(_line(name, AssetType.network_device.value, rows))
        progress.advance(task)
    progress.update(task, completed=len(network))
    summary.skipped.extend(f"{name}: no configuration in {configs}" for name in audit.missing)


def _migration(
    paths: AuditPaths,
    inventory: Path,
    extra: dict[str, object],
    progress: Progress,
    summary: RunSummary,
) -> None:
    started = time.time()
    run = _playbook(
        "cloud_migration.yml",
        inventory=inventory,
        extra={**extra, "migration_results_dir": str(paths.migration.resolve())},
        log=paths.root / "logs" / "cloud_migration.log",
        limit=None,
        progress=progress,
    )
    summary.logs.append(str(run.log))
    if not run.ok:
        summary.failures.append(f"cloud_migration.yml exited {run.returncode} (see {run.log})")
    written = [f.stem for f in paths.migration.glob("*.json") if f.stat().st_mtime >= started]
    summary.migration = {"checked": sorted(written)}


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
    s = settings(inventory=inventory, profile=profile, state_dir=state_dir)
    inv = s.load_inventory()
    if (servers or migration) and ansible_inventory is None:
        # Ansible goes to the servers of the exported inventory (and probes from them);
        # a given --ansible-inventory names its own hosts
        lab_servers = [d for d in inv.devices if d.role is Role.server]
        require_lab_routes(inv, device_targets(lab_servers), s.state_dir)
    paths = AuditPaths(s.ensure_state_dir())
    mode = "remediate" if remediate else "audit"
    summary = RunSummary(mode=mode, assets=[], failures=[], skipped=[], logs=[])
    extra: dict[str, object] = {}
    if ssh_user:
        extra["ansible_user"] = ssh_user
    if ssh_key is not None:
        if not ssh_key.is_file():
            raise AuditInputError(f"--ssh-key: {ssh_key}: no such file")
        extra["ansible_ssh_private_key_file"] = str(ssh_key.resolve())
    config_dir = configs or s.state_dir / "automation" / "backups"
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err_console,
        transient=True,
        disable=json_out,
    ) as progress:
        ansible_inv: Path | None = None
        if servers or migration:
            ansible_inv = _ansible_inventory(inv, paths, ansible_inventory)
        if servers and ansible_inv is not None:
            _servers(
                inv,
                paths,
                ansible_inv,
                mode=mode,
                limit=limit,
                extra=extra,
                network_level=network_level,
                progress=progress,
                summary=summary,
            )
        if devices:
            if configs is None and not config_dir.is_dir():
                summary.skipped.append(f"devices: no configs in {config_dir} (use --configs)")
            else:
                _devices(
                    inv,
                    paths,
                    config_dir,
                    network_level=network_level,
                    progress=progress,
                    summary=summary,
                )
        if migration and ansible_inv is not None:
            _migration(paths, ansible_inv, extra, progress, summary)
    if json_out:
        print_json(summary)
    else:
        _print_run(summary)
    if summary.failures:
        raise typer.Exit(1)


def _print_run(summary: RunSummary) -> None:
    table = Table(title=f"等保 checks ({summary.mode})")
    for col in ("asset", "type", "systems", "pass", "fail", "manual", "n/a"):
        table.add_column(
            col, justify="right" if col in ("pass", "fail", "manual", "n/a") else "left"
        )
    if summary.mode == "remediate":
        table.add_column("changed", justify="right")
    for a in summary.assets:
        cells = [
            a.asset,
            a.kind,
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
        console.print(f"[yellow]skipped[/yellow] {line}")
    for line in summary.failures:
        console.print(f"[red]failed[/red] {line}")
    if summary.migration is not None:
        console.print(f"migration checked: {', '.join(summary.migration['checked']) or 'none'}")


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
    s = settings(inventory=inventory, profile=profile, state_dir=state_dir)
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
    state = {
        "meets_target": "[green]meets the target[/green]",
        "meets_baseline": "[yellow]meets the baseline, below the target[/yellow]",
        "below_baseline": "[red]below the baseline[/red]",
    }[report.plan_state]
    verified = (
        f"; verified {report.verified_ratio:.0%} ({report.verified_migrated}/{report.counted})"
        if report.verified_ratio is not None
        else "; not verified (run egovnet audit run --migration)"
    )
    console.print(
        f"上云率 [bold]{report.ratio:.0%}[/bold] ({report.migrated}/{report.counted} systems, "
        f"retained excluded) - baseline {report.baseline_ratio:.0%}, target "
        f"{report.target_ratio:.0%}: {state}{verified}"
    )
    for title, groups in (("By department", report.by_department), ("By wave", report.by_wave)):
        table = Table(title=title)
        for col in ("group", "systems", "counted", "migrated", "上云率"):
            table.add_column(col, justify="left" if col == "group" else "right")
        for g in groups:
            table.add_row(g.name, str(g.systems), str(g.counted), str(g.migrated), f"{g.ratio:.0%}")
        console.print(table)
    table = Table(title="Systems")
    for col in ("system", "name", "department", "wave", "status", "checked"):
        table.add_column(col)
    for line in report.systems:
        table.add_row(
            line.id,
            line.name,
            line.department_name,
            "-" if line.wave is None else str(line.wave),
            line.status.value,
            "yes" if line.checked else "no",
        )
    console.print(table)
    # Long texts as lines, not table cells: they stay whole on a narrow terminal.
    for line in report.systems:
        for flag in line.flags:
            console.print(
                f"[red]disagrees[/red] {line.id} ({line.status.value}): {flag.value}",
                soft_wrap=True,
            )
    for blocker in report.blockers:
        console.print(
            f"[yellow]blocked[/yellow] {blocker.system_id}: {blocker.kind.value} - "
            f"{blocker.detail}",
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
    s = settings(inventory=inventory, profile=profile, state_dir=state_dir)
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
        err_console.print("warning: no results stored yet; run egovnet audit run first")
    console.print(
        f"wrote {out} ({form.value}, {language.value}): {len(data.rows)} rows, "
        f"{len(data.summaries)} systems, {len(data.changes.entries)} change records"
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
    table = Table(title=f"等保 controls at level {level}")
    for col in (
        "check",
        "asset",
        "control point",
        "test unit",
        "clause",
        "method",
        "risk",
        "requirement",
    ):
        table.add_column(col)
    for c in chosen:
        table.add_row(
            c.check_id,
            c.asset_type.value,
            c.point.name.get(language),
            c.test_unit_id(level),
            c.clause(level),
            c.method.value,
            c.risk.value,
            c.requirement.get(language),
        )
    console.print(table)
