"""Write the ledger: an empty template to fill, or an inventory exported back to Excel.

Headers are the Chinese column names of :mod:`.columns`, choice columns carry Excel data
validation lists (the Chinese labels, e.g. tiers 镇街/村居), and the ``参数`` sheet holds the
profile and the policy. Importing an exported ledger gives the same inventory.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel

from inventory.catalog import Inventory
from inventory.models import Policy, Profile

from .columns import INTERFACES, SETTINGS_HEADERS, SETTINGS_TITLE, TABLES, Column, Kind, Sheet
from .settings import TEMPLATE_POLICY, flatten

#: Rows a template's validation lists cover (Excel extends them as rows are inserted).
VALIDATION_ROWS = 2000
HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")


def write_template(out: Path, *, profile_name: str = "district") -> None:
    """An empty ledger: every sheet with its headers, lists and the plan's tier figures."""
    _save(_workbook({}, Profile(name=profile_name), TEMPLATE_POLICY), out)


def write_export(inv: Inventory, out: Path) -> None:
    """The inventory as a filled ledger."""
    rows: dict[str, list[dict[str, Any]]] = {
        "sites": [s.model_dump(mode="python") for s in inv.sites],
        "devices": [d.model_dump(mode="python") for d in inv.devices],
        "interfaces": [
            {"device": d.name, **i.model_dump(mode="python")}
            for d in inv.devices
            for i in d.interfaces
        ],
        "links": [lk.model_dump(mode="python") for lk in inv.links],
        "systems": [s.model_dump(mode="python") for s in inv.systems],
        "snmp_profiles": [p.model_dump(mode="python") for p in inv.snmp_profiles],
        "credential_profiles": [p.model_dump(mode="python") for p in inv.credential_profiles],
    }
    _save(_workbook(rows, inv.profile, inv.policy), out)


def _workbook(rows: dict[str, list[dict[str, Any]]], profile: Profile, policy: Policy) -> Workbook:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for sheet in TABLES:
        _table(book.create_sheet(sheet.title), sheet, rows.get(sheet.section, []))
    _settings(book.create_sheet(SETTINGS_TITLE), [profile, policy])
    return book


def _table(ws: Worksheet, sheet: Sheet, items: Iterable[dict[str, Any]]) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(1, index, column.header)
        cell.font = HEADER_FONT
        if column.required:
            cell.fill = REQUIRED_FILL
        if column.note:
            cell.comment = Comment(column.note, "egovnet")
        ws.column_dimensions[get_column_letter(index)].width = max(10, len(column.header) * 2 + 4)
        if column.kind in (Kind.choice, Kind.boolean):
            _validation(ws, index, column)
    ws.freeze_panes = "A2"
    for row, item in enumerate(items, start=2):
        for index, column in enumerate(sheet.columns, start=1):
            value = _cell(column, _get(item, column.keys))
            if value is not None:
                ws.cell(row, index, value)
    if sheet is INTERFACES:
        ws.column_dimensions["C"].width = 30


def _validation(ws: Worksheet, index: int, column: Column) -> None:
    labels = [label for _, label in column.choices] if column.choices else ["是", "否"]
    rule = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)
    rule.error = f"{column.header}: {', '.join(labels)}"
    rule.errorTitle = column.header
    letter = get_column_letter(index)
    rule.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
    ws.add_data_validation(rule)


def _get(item: dict[str, Any], keys: tuple[str, ...]) -> Any:
    value: Any = item
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _cell(column: Column, value: Any) -> object:
    if value is None or value == []:
        return None
    if column.kind is Kind.choice:
        return column.label(str(getattr(value, "value", value)))
    if column.kind is Kind.boolean:
        return "是" if value else "否"
    if column.kind is Kind.items:
        return ", ".join(str(v) for v in value)
    if isinstance(value, int | float | date) and not isinstance(value, bool):
        return value
    return str(value)


def _settings(ws: Worksheet, models: list[BaseModel]) -> None:
    for index, header in enumerate(SETTINGS_HEADERS, start=1):
        ws.cell(1, index, header).font = HEADER_FONT
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 60
    row = 2
    for model in models:
        section = "profile" if isinstance(model, Profile) else "policy"
        for key, value in flatten(section, model):
            ws.cell(row, 1, key)
            ws.cell(row, 2, value)
            row += 1


def _save(book: Workbook, out: Path) -> None:
    """Whole or not at all: a temporary file beside the target, then rename."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(fd)
    try:
        book.save(tmp)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
