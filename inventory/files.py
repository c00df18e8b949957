"""Which entries of an inventory directory are read (the rule in docs/engineer.md).

* Names ending in ``.yaml`` or ``.yml``, in any case (``DEVICES.YAML`` too), in the directory
  itself (no subdirectories), in name order.
* Names starting with ``.`` or ``#`` are skipped: hidden files and editors' lock and backup
  files (Emacs's ``.#devices.yaml`` is a dangling link; vim's swap files are hidden too).
* Anything else that ends in ``.yaml`` must be a regular file, or a link to one: a dangling
  link, a directory or a device named ``x.yaml`` is an error, so nothing that looks like
  inventory is skipped silently.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from base.errors import InventoryError, InventoryErrors, SourceLocation

YAML_SUFFIXES = (".yaml", ".yml")
SKIPPED_PREFIXES = (".", "#")


def inventory_files(
    root: Path, display: Callable[[Path], str]
) -> tuple[list[Path], list[InventoryError]]:
    """The files to read under ``root`` and the entries that break the rule.

    A missing ``root`` raises :class:`InventoryErrors`: there is nothing to check at all.
    """
    if root.is_file():
        return [root], []
    where = SourceLocation(display(root), 1, "(path)")
    if not root.is_dir():
        raise InventoryErrors([InventoryError(where, "no such inventory directory")])
    files: list[Path] = []
    errors: list[InventoryError] = []
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        raise InventoryErrors([InventoryError(where, f"cannot list: {exc.strerror}")]) from None
    for entry in entries:
        name = entry.name
        if name.startswith(SKIPPED_PREFIXES) or not name.lower().endswith(YAML_SUFFIXES):
            continue
        path = root / name
        problem = _why_not_read(entry)
        if problem is None:
            files.append(path)
        else:
            errors.append(InventoryError(SourceLocation(display(path), 1, "(file)"), problem))
    return files, errors


def _why_not_read(entry: os.DirEntry[str]) -> str | None:
    try:
        if entry.is_file():  # follows links
            return None
        if entry.is_symlink() and not os.path.exists(entry.path):
            return (
                f"a broken symbolic link (to {os.readlink(entry.path)!r}): "
                "restore its target or remove it"
            )
        if entry.is_dir():
            return "a directory named like a YAML file: rename it or move it out"
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    return "not a regular file"
