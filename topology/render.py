"""Rendering DOT text with Graphviz's ``dot`` (the Debian ``graphviz`` package)."""

from __future__ import annotations

import shutil
import subprocess
from enum import StrEnum

from base.errors import DiagramError


class Format(StrEnum):
    svg = "svg"
    png = "png"
    dot = "dot"


def render(dot_text: str, fmt: Format, timeout: float = 120.0) -> bytes:
    """The diagram in ``fmt``; ``dot`` returns the DOT text itself."""
    if fmt is Format.dot:
        return dot_text.encode("utf-8")
    binary = shutil.which("dot")
    if binary is None:
        raise DiagramError("graphviz is not installed: the 'dot' command was not found")
    args = [binary, f"-T{fmt.value}"]
    if fmt is Format.png:
        args.insert(1, "-Gdpi=96")
    try:
        done = subprocess.run(
            args, input=dot_text.encode("utf-8"), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise DiagramError(f"dot -T{fmt.value} took longer than {timeout:.0f}s") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiagramError(f"dot -T{fmt.value} failed: {detail[-1] if detail else done.returncode}")
    return done.stdout
