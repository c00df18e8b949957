"""Options and output helpers shared by every verb group."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from base.errors import InventoryErrors
from egovnet.settings import Settings

if TYPE_CHECKING:
    from inventory.catalog import Inventory

console = Console(emoji=False)
err_console = Console(stderr=True, emoji=False, highlight=False)

InventoryOpt = Annotated[
    Path | None,
    typer.Option(
        "--inventory",
        "-i",
        help="Inventory directory (default: $EGOVNET_INVENTORY or the sample district).",
        show_default=False,
    ),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option("--profile", "-p", help="A shipped inventory profile: district, lab or lab-frr."),
]
StateDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--state-dir",
        envvar="EGOVNET_STATE_DIR",
        help="Runtime state (configs, credentials, backups, data). Default: .egovnet",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


#: The one rule for naming the inventory: every verb takes ``-i/--inventory DIR`` (or
#: ``-p/--profile NAME``); a verb with no positional arguments of its own also takes the
#: directory as its positional argument (``egovnet topology whatif inventory/district``).
InventoryArg = Annotated[
    Path | None,
    typer.Argument(
        help="Inventory directory: the same as --inventory.",
        show_default=False,
        metavar="INVENTORY",
    ),
]


def settings(
    path: Path | None = None,
    inventory: Path | None = None,
    profile: str | None = None,
    state_dir: Path | None = None,
) -> Settings:
    """The run's settings; ``path`` is the positional inventory, ``inventory`` the option."""
    if path is not None and inventory is not None and path != inventory:
        raise typer.BadParameter(
            f"the inventory is named twice and differently: {path} and --inventory {inventory}"
        )
    return Settings.resolve(state_dir=state_dir, inventory=path or inventory, profile=profile)


def load(path: Path | None, inventory: Path | None, profile: str | None) -> Inventory:
    return settings(path, inventory=inventory, profile=profile).load_inventory()


def to_jsonable(value: Any) -> Any:
    from pydantic import BaseModel  # here: the exporter's serving process imports no pydantic

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")


@contextmanager
def errors_as_json(json_out: bool) -> Iterator[None]:
    """With ``--json``, a broken inventory prints its errors as JSON on stdout, exit 2: the same
    from every verb that reads one."""
    try:
        yield
    except InventoryErrors as exc:
        if not json_out:
            raise
        print_json(exc.to_json())
        raise typer.Exit(exc.exit_code) from exc
