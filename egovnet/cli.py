"""The ``egovnet`` command: verb groups by role, one exit-code convention.

Exit codes: 0 ok, 1 some work failed, 2 bad input (a one-line error naming file, line, field).
"""

from __future__ import annotations

import sys

import typer

from egovnet.commands import audit as audit_cmd
from egovnet.commands import bandwidth as bandwidth_cmd
from egovnet.commands import config as config_cmd
from egovnet.commands import demo as demo_cmd
from egovnet.commands import exporter as exporter_cmd
from egovnet.commands import inventory as inventory_cmd
from egovnet.commands import lab as lab_cmd
from egovnet.commands import monitor as monitor_cmd
from egovnet.commands import poll as poll_cmd
from egovnet.commands import topology as topology_cmd
from egovnet.commands.common import err_console
from egovnet.errors import EgovnetError, InventoryErrors

app = typer.Typer(
    name="egovnet",
    help=(
        "Automation and monitoring for a district e-government extranet (电子政务外网).\n\n"
        "Example: egovnet inventory validate inventory/district"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
app.add_typer(inventory_cmd.app, name="inventory")
app.add_typer(lab_cmd.app, name="lab")
app.add_typer(monitor_cmd.app, name="monitor")
app.add_typer(bandwidth_cmd.app, name="bandwidth")
app.add_typer(config_cmd.app, name="config")
app.add_typer(topology_cmd.app, name="topology")
app.add_typer(audit_cmd.app, name="audit")
app.command("demo")(demo_cmd.demo)
app.command("poll")(poll_cmd.poll)
app.command("exporter")(exporter_cmd.exporter)


def report(exc: EgovnetError) -> int:
    """Print an error as one line per problem; return its exit code."""
    if isinstance(exc, InventoryErrors):
        for err in exc.errors:
            err_console.print(f"error: {err}", markup=False, highlight=False, soft_wrap=True)
        err_console.print(f"{len(exc.errors)} error(s)", markup=False, highlight=False)
    else:
        err_console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
    return exc.exit_code


def main(argv: list[str] | None = None) -> None:
    """Run the command; usage errors exit 2 (click's standalone mode), egovnet errors by kind."""
    try:
        app(args=argv, prog_name="egovnet")
    except EgovnetError as exc:
        sys.exit(report(exc))


if __name__ == "__main__":
    main()
