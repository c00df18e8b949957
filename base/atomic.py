"""Write a file whole or not at all: a temporary file beside the target, then a rename.

A reader (Prometheus reloading its config, a dashboard reading a textfile, the next ``lab``
command reading the state) sees the old file or the new one, never half of either.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

#: Shared files (configs, exports, diagrams) are readable by all; pass 0o600 for private ones.
SHARED = 0o644


def write_with(out: Path, writer: Callable[[Path], None], *, mode: int = SHARED) -> None:
    """Let ``writer`` fill a temporary path next to ``out``; rename it over ``out`` only when
    the writer returned. On any error the temporary file is removed and ``out`` is untouched."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(name)
    try:
        writer(tmp)
        tmp.chmod(mode)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(out: Path, text: str, encoding: str = "utf-8", *, mode: int = SHARED) -> None:
    def fill(tmp: Path) -> None:
        tmp.write_text(text, encoding=encoding)

    write_with(out, fill, mode=mode)


def write_bytes(out: Path, data: bytes, *, mode: int = SHARED) -> None:
    def fill(tmp: Path) -> None:
        tmp.write_bytes(data)

    write_with(out, fill, mode=mode)
