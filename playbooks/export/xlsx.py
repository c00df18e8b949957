"""XLSX: a summary sheet (one row per system), the results (one row per system, asset and
control, with evidence and its SHA-256), the migration check, and the change records."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from base.atomic import write_with

from ..controls import Lang
from .columns import (
    CHANGE_COLUMNS,
    MIGRATION_COLUMNS,
    RESULT_COLUMNS,
    SUMMARY_COLUMNS,
    Column,
    percent,
    table,
)
from .dataset import AuditDataset, local_generated_at
from .texts import t

T = TypeVar("T")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
RESULT_FILLS = {"pass": "E2F0D9", "fail": "F8CBAD", "manual": "FFF2CC"}


def _sheet(
    book: Any,
    title: str,
    columns: list[Column[T]],
    items: list[T],
    lang: Lang,
    *,
    first: bool = False,
) -> Any:
    sheet = book.active if first else book.create_sheet()
    sheet.title = title
    headers, rows = table(columns, items, lang)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in rows:
        sheet.append(row)
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text from devices and logs is never a formula
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    wrap = Alignment(wrap_text=True, vertical="top")
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = wrap
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions
    return sheet


def write_xlsx(data: AuditDataset, out: Path, lang: Lang) -> None:
    book = Workbook()
    summary = _sheet(book, t("summary", lang), SUMMARY_COLUMNS, data.summaries, lang, first=True)
    start = summary.max_row + 2
    facts = [
        (t("generated_at", lang), local_generated_at(data)),
        (t("inventory", lang), data.inventory_name),
        (t("scope", lang), data.scope or t("all_systems", lang)),
        (t("ratio", lang), percent(data.migration.ratio)),
        (t("verified_ratio", lang), percent(data.migration.verified_ratio)),
        (t("baseline", lang), percent(data.migration.baseline_ratio)),
        (t("target", lang), percent(data.migration.target_ratio)),
    ]
    for offset, (label, text) in enumerate(facts):
        summary.cell(row=start + offset, column=1, value=label).font = Font(bold=True)
        summary.cell(row=start + offset, column=2, value=text)
    results = _sheet(book, t("results", lang), RESULT_COLUMNS, data.rows, lang)
    result_col = [c.key for c in RESULT_COLUMNS].index("result") + 1
    for row, item in enumerate(data.rows, start=2):
        fill = RESULT_FILLS.get(item.result.value)
        if fill:
            results.cell(row=row, column=result_col).fill = PatternFill("solid", fgColor=fill)
    _sheet(book, t("migration", lang), MIGRATION_COLUMNS, data.migration.systems, lang)
    _sheet(book, t("changes", lang), CHANGE_COLUMNS, data.changes.entries, lang)
    write_with(out, book.save)
