"""Audit exports for auditors: XLSX, CSV and HTML rendered from one :class:`AuditDataset`.

Each writer produces its file whole or not at all (a temporary file beside the target, then
a rename). Headers are Chinese by default, English with ``Lang.en``.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from ..controls import Lang
from .csvfile import write_csv
from .dataset import AuditDataset, build_dataset, write_target_ok
from .html import render_html, write_html
from .xlsx import write_xlsx


class ExportFormat(StrEnum):
    xlsx = "xlsx"
    csv = "csv"
    html = "html"


WRITERS: dict[ExportFormat, Callable[[AuditDataset, Path, Lang], None]] = {
    ExportFormat.xlsx: write_xlsx,
    ExportFormat.csv: write_csv,
    ExportFormat.html: write_html,
}


def export(data: AuditDataset, fmt: ExportFormat, out: Path, lang: Lang = Lang.zh) -> Path:
    write_target_ok(out)
    WRITERS[fmt](data, out, lang)
    return out


__all__ = [
    "AuditDataset",
    "ExportFormat",
    "build_dataset",
    "export",
    "render_html",
]
