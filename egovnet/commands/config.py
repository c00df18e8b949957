"""``egovnet config``: render, diff, push, confirm, rollback, backup and drift.

Every verb runs on the selected devices in parallel (Nornir), shows a progress bar, prints
a per-device table (or ``--json``) and exits 0 when all went well, 1 when a device failed,
2 on bad input (nothing changed then).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from automation import operations
from automation.runner import DeviceOutcome, Status, make_nornir, select
from automation.workspace import Workspace
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
from egovnet.errors import AutomationInputError

app = typer.Typer(
    help="Device configuration from the source of truth: render, diff, push, roll back.",
    no_args_is_help=True,
)

DevicesArg = Annotated[
    list[str] | None, typer.Argument(help="Device names (default: every network device).")
]
FilterOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--filter",
        "-f",
        help="KEY=VALUE, repeatable; KEY: site, tier, role, platform, production_platform.",
    ),
]
TemplatesOpt = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help="Render from this template tree (laid out like "
        "automation/templates) instead of the shipped one: try a change first.",
    ),
]
WorkersOpt = Annotated[int, typer.Option("--workers", help="Devices worked on in parallel.")]
DiffOpt = Annotated[bool, typer.Option("--diff/--no-diff", help="Print each device's diff.")]

STYLE = {
    Status.failed: "red",
    Status.would_change: "yellow",
    Status.drift: "yellow",
    Status.pending: "yellow",
    Status.committed: "green",
    Status.confirmed: "green",
    Status.rolled_back: "green",
}


def _workspace(
    *,
    inventory: Path | None,
    profile: str | None,
    state_dir: Path | None,
    production: bool = False,
    rendered_out: Path | None = None,
    templates: Path | None = None,
) -> tuple[Workspace, Path, Path]:
    s = settings(inventory=inventory, profile=profile, state_dir=state_dir)
    if templates is not None and not templates.is_dir():
        raise AutomationInputError(f"--templates {templates}: no such directory")
    ws = Workspace(
        s.load_inventory(),
        s.state_dir,
        s.secrets(),
        production=production,
        rendered_out=rendered_out,
        templates=templates,
    )
    return ws, s.inventory_path, s.secrets_file


@contextmanager
def _progress(verb: str, total: int, quiet: bool) -> Iterator[Callable[[DeviceOutcome], None]]:
    progress = Progress(
        TextColumn(f"[bold]{verb}[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=quiet,
    )
    with progress:
        bar = progress.add_task("", total=total)

        def done(outcome: DeviceOutcome) -> None:
            progress.update(bar, advance=1, description=f"{outcome.device} {outcome.status}")

        yield done


def _run(
    verb: str,
    *,
    devices: list[str] | None,
    filters: list[str] | None,
    inventory: Path | None,
    profile: str | None,
    state_dir: Path | None,
    workers: int,
    action: Callable[..., object],
    production: bool = False,
    rendered_out: Path | None = None,
    templates: Path | None = None,
    **kwargs: object,
) -> tuple[Workspace, object]:
    ws, inv_path, secrets_file = _workspace(
        inventory=inventory,
        profile=profile,
        state_dir=state_dir,
        production=production,
        rendered_out=rendered_out,
        templates=templates,
    )
    nr = select(make_nornir(inv_path, secrets_file, workers), devices or [], filters or [])
    with _progress(verb, len(nr.inventory.hosts), quiet=False) as done:
        result = action(ws, nr, on_done=done, **kwargs)
    return ws, result


def _report(
    title: str,
    outcomes: dict[str, DeviceOutcome],
    *,
    json_out: bool,
    show_diff: bool,
    extra: dict[str, object] | None = None,
) -> None:
    failed = [o for o in outcomes.values() if o.failed]
    if json_out:
        print_json(
            {
                "devices": [{**asdict(o), "status": o.status.value} for o in outcomes.values()],
                "summary": _summary(outcomes),
                **(extra or {}),
            }
        )
    else:
        table = Table(title=title)
        for col in ("device", "platform", "status", "detail"):
            table.add_column(col)
        for o in outcomes.values():
            style = STYLE.get(o.status, "")
            status = f"[{style}]{o.status}[/{style}]" if style else str(o.status)
            table.add_row(o.device, o.platform, status, o.error or o.detail, style=None)
        console.print(table)
        if show_diff:
            for o in outcomes.values():
                if o.diff:
                    console.rule(f"[bold]{o.device}[/bold]")
                    console.print(o.diff.rstrip("\n"), markup=False, highlight=False)
        counts = ", ".join(f"{k} {v}" for k, v in _summary(outcomes).items())
        console.print(counts)
    if failed:
        raise typer.Exit(1)


def _summary(outcomes: dict[str, DeviceOutcome]) -> dict[str, int]:
    out: dict[str, int] = {}
    for o in outcomes.values():
        out[o.status.value] = out.get(o.status.value, 0) + 1
    return dict(sorted(out.items()))


def parse_duration(text: str) -> int:
    """``90``, ``90s``, ``5m``, ``1h`` to seconds."""
    found = re.fullmatch(r"\s*(\d+)\s*([smh]?)\s*", text)
    if not found or int(found.group(1)) == 0:
        raise AutomationInputError(
            f"--confirm-within {text!r}: expected a duration like 90s, 5m or 1h"
        )
    return int(found.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[found.group(2)]


@app.command()
def render(
    devices: DevicesArg = None,
    *,
    filters: FilterOpt = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Directory for <device>.cfg (default: state dir)."),
    ] = None,
    production: Annotated[
        bool,
        typer.Option(
            "--production",
            help="Render each device for its production platform, "
            "ignoring the profile's platform override.",
        ),
    ] = False,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    templates: TemplatesOpt = None,
    state_dir: StateDirOpt = None,
    workers: WorkersOpt = 20,
    json_out: JsonOpt = False,
) -> None:
    """Render intended configs from the source of truth (secrets stay references).

    Example: egovnet config render --profile lab --filter tier=town --out /tmp/configs
    """
    ws, result = _run(
        "render",
        devices=devices,
        filters=filters,
        inventory=inventory,
        profile=profile,
        state_dir=state_dir,
        workers=workers,
        action=operations.render,
        production=production,
        rendered_out=out,
        templates=templates,
    )
    assert isinstance(result, dict)
    _report(
        "Rendered configurations",
        result,
        json_out=json_out,
        show_diff=False,
        extra={"out": str(ws.rendered_dir)},
    )


@app.command()
def diff(
    devices: DevicesArg = None,
    *,
    filters: FilterOpt = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    templates: TemplatesOpt = None,
    state_dir: StateDirOpt = None,
    workers: WorkersOpt = 20,
    show_diff: DiffOpt = True,
    json_out: JsonOpt = False,
) -> None:
    """Dry run: per device, what a push would change (running vs intended). Changes nothing.

    Example: egovnet config diff --profile lab core1 core2
    """
    _, result = _run(
        "diff",
        devices=devices,
        filters=filters,
        inventory=inventory,
        profile=profile,
        state_dir=state_dir,
        workers=workers,
        action=operations.diff,
        templates=templates,
    )
    assert isinstance(result, dict)
    _report("Running vs intended", result, json_out=json_out, show_diff=show_diff)


@app.command()
def push(
    devices: DevicesArg = None,
    *,
    filters: FilterOpt = None,
    commit: Annotated[
        bool, typer.Option("--commit", help="Apply for real (without it: a dry run).")
    ] = False,
    confirm_within: Annotated[
        str | None,
        typer.Option(
            "--confirm-within",
            help="Revert by itself unless `config confirm` runs "
            "within this time (e.g. 5m); FRR and IOS only.",
        ),
    ] = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    templates: TemplatesOpt = None,
    state_dir: StateDirOpt = None,
    workers: WorkersOpt = 20,
    show_diff: DiffOpt = True,
    json_out: JsonOpt = False,
) -> None:
    """Back up, apply the intended config, verify; a failing device is restored from backup.

    Example: egovnet config push --profile lab --commit --confirm-within 5m
    """
    revert_in = parse_duration(confirm_within) if confirm_within is not None else None
    if revert_in is not None and not commit:
        raise AutomationInputError("--confirm-within needs --commit")
    _, result = _run(
        "push",
        devices=devices,
        filters=filters,
        inventory=inventory,
        profile=profile,
        state_dir=state_dir,
        workers=workers,
        action=operations.push,
        commit=commit,
        revert_in=revert_in,
        templates=templates,
    )
    assert isinstance(result, operations.PushResult)
    extra: dict[str, object] = {"commit": commit, "revert_in_seconds": revert_in}
    if result.backup is not None:
        extra["backup_commit"] = result.backup.run.commit
    title = "Push" if commit else "Push (dry run: nothing changed; add --commit)"
    _report(title, result.outcomes, json_out=json_out, show_diff=show_diff, extra=extra)


@app.command()
def confirm(
    devices: DevicesArg = None,
    *,
    filters: FilterOpt = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    workers: WorkersOpt = 20,
    json_out: JsonOpt = False,
) -> None:
    """Confirm pending commits (from push --confirm-within) so they stay.

    Example: egovnet config confirm --profile lab
    """
    _, result = _run(
        "confirm",
        devices=devices,
        filters=filters,
        inventory=inventory,
        profile=profile,
        state_dir=state_dir,
        workers=workers,
        action=operations.confirm,
    )
    assert isinstance(result, dict)
    _report("Confirm", result, json_out=json_out, show_diff=False)


@app.command()
def rollback(
    devices: DevicesArg = None,
    *,
    filters: FilterOpt = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    workers: WorkersOpt = 20,
    show_diff: DiffOpt = True,
    json_out: JsonOpt = False,
) -> None:
    """Put devices back to their last backup (`config backup` or the pre-push backup).

    Example: egovnet config rollback --profile lab town1
    """
    _, result = _run(
        "rollback",
        devices=devices,
        filters=filters,
        inventory=inventory,
        profile=profile,
        state_dir=state_dir,
        workers=workers,
        action=operations.rollback,
    )
    assert isinstance(result, dict)
    _report("Rollback", result, json_out=json_out, show_diff=show_diff)


@app.command()
def backup(
    devices: DevicesArg = None,
    *,
    filters: FilterOpt = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    workers: WorkersOpt = 20,
    json_out: JsonOpt = False,
) -> None:
    """Running configs into the git repo under the state dir; one commit, changes only.

    Example: egovnet config backup --profile lab && git -C .egovnet/automation/backups log
    """
    ws, result = _run(
        "backup",
        devices=devices,
        filters=filters,
        inventory=inventory,
        profile=profile,
        state_dir=state_dir,
        workers=workers,
        action=operations.backup,
    )
    assert isinstance(result, operations.BackupResult)
    _report(
        "Backup",
        result.outcomes,
        json_out=json_out,
        show_diff=False,
        extra={"commit": result.run.commit, "repository": str(ws.backups.path)},
    )
    if not json_out:
        console.print(
            f"repository {ws.backups.path}: "
            + (
                f"commit {result.run.commit[:12]}"
                if result.run.commit
                else "nothing changed, no commit"
            )
        )


@app.command()
def drift(
    devices: DevicesArg = None,
    *,
    filters: FilterOpt = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    templates: TemplatesOpt = None,
    state_dir: StateDirOpt = None,
    workers: WorkersOpt = 20,
    show_diff: DiffOpt = True,
    json_out: JsonOpt = False,
) -> None:
    """Devices whose running config differs from intended, with the diff.

    Example: egovnet config drift --profile lab --json
    """
    _, result = _run(
        "drift",
        devices=devices,
        filters=filters,
        inventory=inventory,
        profile=profile,
        state_dir=state_dir,
        workers=workers,
        action=operations.drift,
        templates=templates,
    )
    assert isinstance(result, dict)
    _report("Drift (running vs intended)", result, json_out=json_out, show_diff=show_diff)
