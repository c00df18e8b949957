"""Read a filled ledger into inventory sections, every cell located for its error message.

Cells become plain data here (:mod:`.cells` reads what people type); the inventory's own
loader then validates the result, and its errors are pointed back at the cells they came
from: ``台账.xlsx:线路!J7: 承诺带宽: ...``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from base.errors import InventoryError, InventoryErrors, SourceLocation

from .cells import CellError, as_text, fold, read_cell
from .columns import INTERFACES, SETTINGS_TITLE, TABLES, Column, Sheet
from .settings import cell_value, unflatten

#: A ledger of a whole city is a few MB; anything far larger is not a ledger (and the
#: unpacked size guards against a small file that unpacks into gigabytes).
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_UNPACKED_BYTES = 512 * 1024 * 1024
MAX_ROWS = 200_000
#: Formatting often reaches far below the data: this many blank rows in a row end a sheet.
BLANK_RUN_ENDS_SHEET = 1000
#: How far down a sheet its header row may sit (a title row above it is common).
HEADER_SEARCH_ROWS = 5


@dataclass(frozen=True)
class CellLocation(SourceLocation):
    """A cell of a ledger: ``FILE:Sheet!C12: header``."""

    sheet: str = ""
    column: str = ""

    def __str__(self) -> str:
        return f"{self.file}:{self.sheet}!{self.column}{self.line}: {self.field}"


@dataclass
class RowOrigin:
    """Where one inventory item was read: its sheet, row and the letter of each column."""

    sheet: str
    row: int
    letters: dict[str, str]  # column path -> letter
    headers: dict[str, str]  # column path -> header as the ledger spells it


@dataclass
class LedgerData:
    """The sections read from a ledger and where every item came from."""

    file: str
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    origins: dict[tuple[str, int], RowOrigin] = field(default_factory=dict)
    #: ``(device index, interface index)`` -> the interface's row
    interface_origins: dict[tuple[int, int], RowOrigin] = field(default_factory=dict)
    #: settings key -> its row
    setting_rows: dict[str, int] = field(default_factory=dict)
    #: cells that could not be read, and the items they belong to
    errors: list[InventoryError] = field(default_factory=list)
    bad_items: set[tuple[str, int]] = field(default_factory=set)

    def cell(self, origin: RowOrigin, path: str | None, fallback: str) -> CellLocation:
        if path is None or path not in origin.letters:
            first = next(iter(origin.letters.items()), ("", "A"))
            path = first[0]
        header = origin.headers.get(path, fallback)
        return CellLocation(
            self.file, origin.row, header, sheet=origin.sheet, column=origin.letters.get(path, "A")
        )

    def setting(self, key: str) -> CellLocation:
        row = self.setting_rows.get(key)
        if row is None:  # the nearest key below or above, else the sheet's header
            row = next((r for k, r in self.setting_rows.items() if k.startswith(key + ".")), None)
        if row is None:
            row = next((r for k, r in self.setting_rows.items() if key.startswith(k)), 1)
        return CellLocation(self.file, row, key, sheet=SETTINGS_TITLE, column="B")


def header_key(text: str) -> str:
    """A header as written, compared loosely: ``承诺带宽（Mbps）*`` -> ``承诺带宽``."""
    key = fold(text).rstrip("*").strip()
    if "(" in key:
        key = key[: key.index("(")].strip()
    return key


def read_ledger(path: Path, display: str | None = None) -> LedgerData:
    """Every sheet of the ledger; cells that cannot be read are left out of their item and
    listed in ``errors`` (a file that is no workbook raises :class:`InventoryErrors`)."""
    shown = display or str(path)
    workbook = _open(path, shown)
    data = LedgerData(shown)
    errors = data.errors
    titles = {fold(ws.title): ws for ws in workbook.worksheets}
    for sheet in TABLES:
        ws = titles.get(sheet.title) or titles.get(sheet.section)
        rows = [] if ws is None else _read_table(ws, sheet, data, errors)
        if sheet is INTERFACES:
            _attach_interfaces(rows, data, errors)
        else:
            data.sections[sheet.section] = [item for item, _, _ in rows]
            for index, (_, origin, bad) in enumerate(rows):
                data.origins[(sheet.section, index)] = origin
                if bad:
                    data.bad_items.add((sheet.section, index))
    settings = titles.get(SETTINGS_TITLE)
    if settings is not None:
        _read_settings(settings, data, errors)
    return data


def _open(path: Path, shown: str) -> Any:
    where = SourceLocation(shown, 1, "(file)")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InventoryErrors([InventoryError(where, f"cannot read: {exc.strerror}")]) from exc
    if size > MAX_FILE_BYTES:
        raise InventoryErrors([InventoryError(where, f"{size} bytes: larger than a ledger can be")])
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise InventoryErrors(
                [InventoryError(where, f"unpacks to {unpacked} bytes: larger than a ledger can be")]
            )
        return load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InventoryErrors(
            [InventoryError(where, f"not an Excel .xlsx workbook ({type(exc).__name__})")]
        ) from exc


def _merged_values(
    ws: Worksheet, columns: Iterable[int], last_row: int
) -> dict[tuple[int, int], object]:
    """A merged range's value belongs to each of its cells (Excel keeps it in the first);
    only the columns read and rows up to ``last_row`` count (a range may span a million)."""
    out: dict[tuple[int, int], object] = {}
    wanted = sorted(set(columns))
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        cols = [c for c in wanted if merged.min_col <= c <= merged.max_col]
        for row in range(merged.min_row, min(merged.max_row, last_row) + 1):
            for col in cols:
                out[(row, col)] = value
    return out


def _header_row(ws: Worksheet, sheet: Sheet) -> tuple[int, dict[int, Column]] | None:
    known = {header_key(c.header): c for c in sheet.columns}
    for row in range(1, min(ws.max_row, HEADER_SEARCH_ROWS) + 1):
        found: dict[int, Column] = {}
        for col in range(1, ws.max_column + 1):
            text = as_text(ws.cell(row, col).value)
            column = known.get(header_key(text)) if text else None
            if column is not None and column not in found.values():
                found[col] = column
        if len(found) >= min(2, len(sheet.columns)):
            return row, found
    return None


Row = tuple[dict[str, Any], RowOrigin, bool]  # the item, where it was, whether a cell failed


def _read_table(
    ws: Worksheet, sheet: Sheet, data: LedgerData, errors: list[InventoryError]
) -> list[Row]:
    title = ws.title
    found = _header_row(ws, sheet)
    if found is None:
        if ws.max_row > 1 or as_text(ws.cell(1, 1).value):
            errors.append(
                InventoryError(
                    CellLocation(data.file, 1, "(header)", sheet=title, column="A"),
                    f"no header row: expected {', '.join(c.header for c in sheet.columns)}",
                )
            )
        return []
    header_row, columns = found
    letters = {c.path: get_column_letter(i) for i, c in columns.items()}
    headers = {
        c.path: as_text(ws.cell(header_row, i).value) or c.header for i, c in columns.items()
    }
    for column in sheet.columns:
        if column.required and column.path not in letters:
            errors.append(
                InventoryError(
                    CellLocation(data.file, header_row, column.header, sheet=title, column="A"),
                    "required column is missing",
                )
            )
    last_row = min(ws.max_row, MAX_ROWS)
    merged = _merged_values(ws, columns, last_row)
    out: list[Row] = []
    blank_run = 0
    for row in range(header_row + 1, last_row + 1):
        if blank_run >= BLANK_RUN_ENDS_SHEET:
            break
        item: dict[str, Any] = {}
        bad = False
        for col, column in columns.items():
            raw = merged.get((row, col), ws.cell(row, col).value)
            if as_text(raw) is None:
                continue
            try:
                value = read_cell(column, raw)
            except CellError as exc:
                where = CellLocation(
                    data.file, row, headers[column.path], sheet=title, column=letters[column.path]
                )
                errors.append(InventoryError(where, str(exc)))
                bad = True
                continue
            _put(item, column.keys, value)
        if all(as_text(ws.cell(row, col).value) is None for col in columns):
            blank_run += 1
            continue  # a blank row, or one holding only a merged value from above
        blank_run = 0
        out.append((item, RowOrigin(title, row, letters, headers), bad))
    return out


def _put(item: dict[str, Any], keys: tuple[str, ...], value: object) -> None:
    node = item
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value


def _attach_interfaces(rows: list[Row], data: LedgerData, errors: list[InventoryError]) -> None:
    index = {str(d.get("name")): i for i, d in enumerate(data.sections.get("devices", []))}
    for item, origin, _ in rows:
        device = str(item.pop("device", ""))
        position = index.get(device)
        if position is None:
            errors.append(
                InventoryError(
                    data.cell(origin, "device", "设备名称"),
                    f"unknown device {device!r} (not on the 设备 sheet)",
                )
            )
            continue
        interfaces = data.sections["devices"][position].setdefault("interfaces", [])
        data.interface_origins[(position, len(interfaces))] = origin
        interfaces.append(item)


def _read_settings(ws: Worksheet, data: LedgerData, errors: list[InventoryError]) -> None:
    rows: dict[str, object] = {}
    for row in range(1, min(ws.max_row, MAX_ROWS) + 1):
        key_text = as_text(ws.cell(row, 1).value)
        if key_text is None or header_key(key_text) == "参数":
            continue
        key = fold(key_text)
        raw = ws.cell(row, 2).value
        if key.split(".")[0] not in ("profile", "policy"):
            errors.append(
                InventoryError(
                    CellLocation(data.file, row, key, sheet=ws.title, column="A"),
                    "unknown setting: keys start with profile. or policy.",
                )
            )
            continue
        data.setting_rows[key] = row
        if as_text(raw) is not None:
            rows[key] = cell_value(key, raw)
    data.settings = unflatten(rows)
