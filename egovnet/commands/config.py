"""``egovnet config``: render, diff, push, confirm, rollback, backup and drift.

Every verb runs on the selected devices in parallel (Nornir), shows a progress bar, prints
a per-device table (or ``--json``) and exits 0 when all went well, 1 when a device failed,
2 on bad input (nothing changed then).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from inspect import Parameter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from automation import operations
from automation.runner import DeviceOutcome, Status
from automation.workspace import Workspace
from base.durations import parse_duration
from base.errors import AutomationInputError
from egovnet import messages
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

#: A verb's body: the request first, then the verb's own options by name.
VerbFn = Callable[..., None]

#: ``config drift`` exit status when a device differs from intended (1: a device failed)
DRIFT_EXIT_CODE = 3

STYLE = {
    Status.failed: "red",
    Status.would_change: "yellow",
    Status.drift: "yellow",
    Status.pending: "yellow",
    Status.committed: "green",
    Status.confirmed: "green",
    Status.rolled_back: "green",
    Status.reverted: "yellow",
}


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
            status = messages.word("status", outcome.status)
            progress.update(bar, advance=1, description=f"{outcome.device} {status}")

        yield done


@dataclass(frozen=True)
class Run:
    """One verb's request: the devices chosen, where to work, how to report.

    Every verb takes the same selection and output options; :func:`verb` declares them once
    and hands the verb this object instead.
    """

    devices: list[str] | None
    filters: list[str] | None
    inventory: Path | None
    profile: str | None
    state_dir: Path | None
    workers: int
    json_out: bool
    templates: Path | None = None
    show_diff: bool = False

    def execute(
        self,
        verb: str,
        action: Callable[..., object],
        *,
        connects: bool = True,
        production: bool = False,
        rendered_out: Path | None = None,
        **kwargs: object,
    ) -> tuple[Workspace, object]:
        """Run ``action`` on the selected devices with a progress bar; devices of a lab
        inventory only when the lab is up (routeguard), unless the verb ``connects`` to none."""
        s = settings(inventory=self.inventory, profile=self.profile, state_dir=self.state_dir)
        ws, nr = operations.prepare(
            s.load_inventory(),
            operations.Selection(self.devices or [], self.filters or [], self.workers),
            inventory_path=s.inventory_path,
            state_dir=s.state_dir,
            secrets_file=s.secrets_file,
            connects=connects,
            templates=self.templates,
            production=production,
            rendered_out=rendered_out,
        )
        if connects:
            for o in operations.revert_overdue(ws, nr).values():
                err_console.print(f"{o.device}: {o.status} {o.error or o.detail}", markup=False)
        with _progress(verb, len(nr.inventory.hosts), quiet=False) as done:
            result = action(ws, nr, on_done=done, **kwargs)
        return ws, result

    def report(
        self, title: str, outcomes: dict[str, DeviceOutcome], extra: dict[str, object] | None = None
    ) -> None:
        """The per-device table (or JSON) and the diffs; exit 1 when a device failed."""
        failed = [o for o in outcomes.values() if o.failed]
        if self.json_out:
            print_json(
                {
                    "devices": [{**asdict(o), "status": o.status.value} for o in outcomes.values()],
                    "summary": _summary(outcomes),
                    **(extra or {}),
                }
            )
        else:
            table = Table(title=messages.text(title) if title in messages.CATALOGUE else title)
            for col in ("device", "platform", "status", "detail"):
                table.add_column(messages.heading(col))
            for o in outcomes.values():
                style = STYLE.get(o.status, "")
                status = messages.word("status", o.status)
                status = f"[{style}]{status}[/{style}]" if style else status
                detail = messages.translate(o.error or o.detail)
                table.add_row(o.device, o.platform, status, detail, style=None)
            console.print(table)
            if self.show_diff:
                for o in outcomes.values():
                    if o.diff:
                        console.rule(f"[bold]{o.device}[/bold]")
                        console.print(o.diff.rstrip("\n"), markup=False, highlight=False)
            counts = messages.text("list.sep").join(
                f"{messages.word('status', k)} {v}" for k, v in _summary(outcomes).items()
            )
            console.print(counts)
        if failed:
            raise typer.Exit(1)


def _option(name: str, annotation: object, default: object) -> Parameter:
    return Parameter(name, Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


def verb(*, templates: bool = False, diff: bool = False) -> Callable[[VerbFn], VerbFn]:
    """Register ``fn(run, **own_options)`` as ``egovnet config <fn name>``.

    The command's options: the device names and ``--filter``, then the verb's own options,
    then ``--inventory``, ``--profile``, ``--templates`` (with ``templates``), ``--state-dir``,
    ``--workers``, ``--diff/--no-diff`` (with ``diff``) and ``--json``.
    """

    def register(fn: VerbFn) -> VerbFn:
        own = list(inspect.signature(fn, eval_str=True).parameters.values())[1:]
        own_names = {p.name for p in own}
        params = [
            Parameter(
                "devices", Parameter.POSITIONAL_OR_KEYWORD, default=None, annotation=DevicesArg
            ),
            _option("filters", FilterOpt, None),
            *(p.replace(kind=Parameter.KEYWORD_ONLY) for p in own),
            _option("inventory", InventoryOpt, None),
            _option("profile", ProfileOpt, None),
            *([_option("templates", TemplatesOpt, None)] if templates else []),
            _option("state_dir", StateDirOpt, None),
            _option("workers", WorkersOpt, 20),
            *([_option("show_diff", DiffOpt, True)] if diff else []),
            _option("json_out", JsonOpt, False),
        ]

        def command(**options: Any) -> None:
            run = Run(**{k: v for k, v in options.items() if k not in own_names})
            fn(run, **{k: v for k, v in options.items() if k in own_names})

        # typer reads the options from this signature; ``fn`` declares only its own
        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        command.__doc__ = fn.__doc__
        app.command(fn.__name__)(command)
        return fn

    return register


def _summary(outcomes: dict[str, DeviceOutcome]) -> dict[str, int]:
    out: dict[str, int] = {}
    for o in outcomes.values():
        out[o.status.value] = out.get(o.status.value, 0) + 1
    return dict(sorted(out.items()))


def confirm_seconds(text: str) -> int:
    """``90``, ``90s``, ``5m``, ``1h`` to whole seconds (the device's revert timer counts them)."""
    try:
        ms = parse_duration(text, "--confirm-within", bare_unit="s")
    except ValueError:
        ms = 0
    if ms == 0 or ms % 1000:
        raise AutomationInputError(
            f"--confirm-within {text!r}: expected a duration like 90s, 5m or 1h"
        )
    return ms // 1000


@verb(templates=True)
def render(
    run: Run,
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
) -> None:
    """Render intended configs from the source of truth (secrets stay references).

    Example: egovnet config render --profile lab --filter tier=town --out /tmp/configs
    """
    ws, result = run.execute(
        "render", operations.render, connects=False, production=production, rendered_out=out
    )
    assert isinstance(result, dict)
    run.report("config.title.render", result, extra={"out": str(ws.rendered_dir)})


@verb(templates=True, diff=True)
def diff(run: Run) -> None:
    """Dry run: per device, what a push would change (running vs intended). Changes nothing.

    Example: egovnet config diff --profile lab core1 core2
    """
    _, result = run.execute("diff", operations.diff)
    assert isinstance(result, dict)
    run.report("config.title.diff", result)


@verb(templates=True, diff=True)
def push(
    run: Run,
    commit: Annotated[
        bool, typer.Option("--commit", help="Apply for real (without it: a dry run).")
    ] = False,
    confirm_within: Annotated[
        str | None,
        typer.Option(
            "--confirm-within",
            help="Revert unless `config confirm` runs within this time (e.g. 5m): "
            "by the device where it can (FRR, IOS), else by egovnet's own timer.",
        ),
    ] = None,
) -> None:
    """Back up, apply the intended config, verify; a failing device is restored from backup.

    Example: egovnet config push --profile lab --commit --confirm-within 5m
    """
    revert_in = confirm_seconds(confirm_within) if confirm_within is not None else None
    if revert_in is not None and not commit:
        raise AutomationInputError("--confirm-within needs --commit")
    _, result = run.execute("push", operations.push, commit=commit, revert_in=revert_in)
    assert isinstance(result, operations.PushResult)
    extra: dict[str, object] = {"commit": commit, "revert_in_seconds": revert_in}
    if result.backup is not None:
        extra["backup_commit"] = result.backup.run.commit
    title = "config.title.push" if commit else "config.title.push_dry"
    run.report(title, result.outcomes, extra=extra)


@verb()
def confirm(run: Run) -> None:
    """Confirm pending commits (from push --confirm-within) so they stay.

    Example: egovnet config confirm --profile lab
    """
    _, result = run.execute("confirm", operations.confirm)
    assert isinstance(result, dict)
    run.report("config.title.confirm", result)


@verb(diff=True)
def rollback(run: Run) -> None:
    """Put devices back to their last backup (`config backup` or the pre-push backup).

    Example: egovnet config rollback --profile lab town1
    """
    _, result = run.execute("rollback", operations.rollback)
    assert isinstance(result, dict)
    run.report("config.title.rollback", result)


@verb()
def backup(run: Run) -> None:
    """Running configs into the git repo under the state dir; one commit, changes only.

    Example: egovnet config backup --profile lab && git -C .egovnet/automation/backups log
    """
    ws, result = run.execute("backup", operations.backup)
    assert isinstance(result, operations.BackupResult)
    commit = result.run.commit
    run.report(
        "config.title.backup",
        result.outcomes,
        extra={"commit": commit, "repository": str(ws.backups.path)},
    )
    if not run.json_out:
        done = (
            messages.text("config.backup.commit", commit=commit[:12])
            if commit
            else messages.text("config.backup.nothing")
        )
        console.print(messages.text("config.backup.repository", path=ws.backups.path, done=done))


@verb(templates=True, diff=True)
def drift(run: Run) -> None:
    """Devices whose running config differs from intended, with the diff.

    Exit status: 0 every device in sync, 3 drift found, 1 a device could not be read
    (failures win over drift), 2 bad input. A cron job or CI check can act on it.

    Example: egovnet config drift --profile lab --json
    """
    _, result = run.execute("drift", operations.drift)
    assert isinstance(result, dict)
    run.report("config.title.drift", result)
    if any(o.status is Status.drift for o in result.values()):
        raise typer.Exit(DRIFT_EXIT_CODE)
