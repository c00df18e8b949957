"""CSV: the result rows (one per system, asset and control), UTF-8 with a byte-order mark
so spreadsheet programs read the Chinese text."""

from __future__ import annotations

import csv
from pathlib import Path

from base.atomic import write_with

from ..controls import Lang
from .columns import RESULT_COLUMNS, table
from .dataset import AuditDataset


def write_csv(data: AuditDataset, out: Path, lang: Lang) -> None:
    headers, rows = table(RESULT_COLUMNS, data.rows, lang)

    def fill(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(headers)
            writer.writerows(rows)

    write_with(out, fill)
