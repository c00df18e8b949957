"""The ``egovnet`` command: verb groups by role, one exit-code convention.

Exit codes: 0 ok, 1 some work failed, 2 bad input (a one-line error naming file, line, field).
"""

from __future__ import annotations

import sys

import typer

from egovnet.commands import demo as demo_cmd
from egovnet.commands import inventory as inventory_cmd
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
app.command("demo")(demo_cmd.demo)


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
    try:
        code = app(args=argv, standalone_mode=False)
    except EgovnetError as exc:
        sys.exit(report(exc))
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except Exception as exc:  # click usage errors arrive here in non-standalone mode
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(2 if isinstance(exc, click.UsageError) else exc.exit_code)
        raise
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
