"""Write a new inventory directory whole or not at all.

Its files are written into a staging directory beside the target, loaded with the project's
own loader (the checks of ``inventory validate``) and moved into place only when they load.
The ledger import and the network discovery both write inventories this way.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from base.errors import InventoryError, InventoryErrors, SourceLocation

from .catalog import Inventory
from .loader import load_inventory


def require_new_directory(out: Path) -> None:
    """An inventory is never written over another: ``out`` must be new or empty."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InventoryErrors(
            [
                InventoryError(
                    SourceLocation(str(out), 1, "--out"),
                    "exists and is not an empty directory; nothing was written",
                )
            ]
        )


@contextmanager
def staging_area(out: Path) -> Iterator[Path]:
    """A scratch directory beside ``out`` (same file system: the move is a rename), removed
    afterwards. Directories made in it get plain names: the loader names a profile after
    its directory."""
    out.parent.mkdir(parents=True, exist_ok=True)
    holder = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        yield holder
    finally:
        shutil.rmtree(holder, ignore_errors=True)


def publish(staged: Path, out: Path) -> None:
    if out.exists():
        out.rmdir()  # empty, as require_new_directory checked
    os.replace(staged, out)


def write_inventory(out: Path, write: Callable[[Path], None]) -> Inventory:
    """``write`` fills a staged directory; it is loaded (InventoryErrors) and then moved."""
    require_new_directory(out)
    with staging_area(out) as holder:
        staged = holder / "staging"
        staged.mkdir()
        write(staged)
        load_inventory(staged)
        publish(staged, out)
    return load_inventory(out)
