"""HTML: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) with the
summary, charts of the pass rate per system and of migration per department, the results
with their evidence, the migration check and the change records. Readable printed: A4
landscape, repeated table headers, rows kept whole."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from base.atomic import write_text

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
from .localtime import minute, minute_of_text
from .svg import Bar, bar_chart
from .texts import t

T = TypeVar("T")

CSS = """
body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif;
       font-size: 12px; margin: 16px; color: #212121; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 24px; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid #bdbdbd; padding: 3px 5px; vertical-align: top; text-align: left;
         min-width: 3.5em; }
th { background: #ddebf7; }
td.pass { background: #e2f0d9; } td.fail { background: #f8cbad; } td.manual { background: #fff2cc; }
td.hash { font-family: monospace; font-size: 10px; word-break: break-all; min-width: 8em; }
td.time { white-space: nowrap; }
pre { white-space: pre-wrap; word-break: break-all; margin: 0; font-size: 10px; }
.facts td:first-child { font-weight: bold; width: 12em; }
.charts svg { margin: 8px 16px 8px 0; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 9px; }
  thead { display: table-header-group; }
  tr, svg { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-before: page; page-break-before: always; }
  h2.first { break-before: auto; page-break-before: auto; }
  pre { font-size: 8px; }
}
"""

PRE_COLUMNS = {"evidence", "diff", "remediation", "requirement", "finding"}
RESULT_CLASSES = {
    "符合": "pass",
    "pass": "pass",
    "不符合": "fail",
    "fail": "fail",
    "人工核查": "manual",
    "manual": "manual",
}
# The CSS class of a cell by column key and text: pass/fail colours, overdue in red.
CELL_CLASSES: dict[str, Callable[[str], str]] = {
    "result": lambda text: RESULT_CLASSES.get(text, ""),
    "assessment": lambda text: "fail" if text.startswith(("逾期", "overdue")) else "",
    "evidence_sha256": lambda _: "hash",
}


def _time_text(column: Column[T], item: T, tz: ZoneInfo) -> str:
    assert column.moment is not None
    moment = column.moment(item)
    return minute(moment, tz) if not isinstance(moment, str) else minute_of_text(moment, tz)


def _table(columns: list[Column[T]], items: list[T], lang: Lang, tz: ZoneInfo) -> str:
    """A table as people read it: time columns in ``tz`` to the minute, the zone in the header."""
    headers, rows = table(columns, items, lang)
    head = "".join(
        f"<th>{escape(h)}{escape(f'（{tz.key}）' if lang is Lang.zh else f' ({tz.key})')}</th>"
        if c.moment is not None
        else f"<th>{escape(h)}</th>"
        for c, h in zip(columns, headers, strict=True)
    )
    body = []
    for item, row in zip(items, rows, strict=True):
        cells = []
        for column, cell in zip(columns, row, strict=True):
            key = column.key
            klass = CELL_CLASSES[key](cell) if key in CELL_CLASSES else ""
            text = cell
            if column.moment is not None:
                text, klass = _time_text(column, item, tz), "time"
            content = f"<pre>{escape(text)}</pre>" if key in PRE_COLUMNS else escape(text)
            cells.append(f'<td class="{klass}">{content}</td>' if klass else f"<td>{content}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return "<table><thead><tr>" + head + "</tr></thead><tbody>" + "".join(body) + "</tbody></table>"


def _charts(data: AuditDataset, lang: Lang) -> str:
    # Every system gets a row once any has automated results: an empty bar says which
    # systems were not checked. With no results at all the chart says so instead of bars.
    pass_bars = []
    if any(s.pass_rate is not None for s in data.summaries):
        for s in data.summaries:
            rate = s.pass_rate
            pass_bars.append(
                Bar(f"{s.system.id} {s.system.name}", (), t("no_auto_results", lang))
                if rate is None
                else Bar(
                    f"{s.system.id} {s.system.name}",
                    (rate, 1 - rate),
                    f"{percent(rate)} ({s.passed}/{s.passed + s.failed})",
                )
            )
    dept_bars = [
        Bar(
            g.name,
            (
                g.migrated / g.counted if g.counted else 0.0,
                1 - (g.migrated / g.counted) if g.counted else 0.0,
            ),
            f"{g.migrated}/{g.counted}",
        )
        for g in data.migration.by_department
    ]
    plan = data.migration
    marks = {
        f"{t('baseline', lang)} {percent(plan.baseline_ratio)}": plan.baseline_ratio,
        f"{t('target', lang)} {percent(plan.target_ratio)}": plan.target_ratio,
    }
    return (
        '<div class="charts">'
        + bar_chart(
            t("pass_rate_chart", lang),
            pass_bars,
            (t("passed", lang), t("failed", lang)),
            empty=t("no_results", lang),
        )
        + bar_chart(
            t("migration_chart", lang),
            dept_bars,
            (t("migrated", lang), t("not_migrated", lang)),
            marks,
            empty=t("no_systems", lang),
        )
        + "</div>"
    )


def render_html(data: AuditDataset, lang: Lang) -> str:
    facts = [
        (t("generated_at", lang), local_generated_at(data)),
        (t("inventory", lang), data.inventory_name),
        (t("scope", lang), data.scope or t("all_systems", lang)),
        (
            t("ratio", lang),
            f"{percent(data.migration.ratio)} ({t('baseline', lang)} "
            f"{percent(data.migration.baseline_ratio)}, {t('target', lang)} "
            f"{percent(data.migration.target_ratio)})",
        ),
        (t("verified_ratio", lang), percent(data.migration.verified_ratio)),
    ]
    fact_rows = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in facts)
    results = (
        _table(RESULT_COLUMNS, data.rows, lang, data.zone)
        if data.rows
        else f"<p>{escape(t('no_results', lang))}</p>"
    )
    changes = (
        _table(CHANGE_COLUMNS, data.changes.entries, lang, data.zone)
        if data.changes.entries
        else f"<p>{escape(t('no_changes', lang))}</p>"
    )
    if data.changes.skipped:
        changes += (
            f"<p>{escape(t('skipped_lines', lang))}: {escape(', '.join(data.changes.skipped))}</p>"
        )
    html_lang = "zh-CN" if lang is Lang.zh else "en"
    return f"""<!DOCTYPE html>
<html lang="{html_lang}">
<head>
<meta charset="utf-8">
<title>{escape(t("title", lang))}</title>
<style>{CSS}</style>
</head>
<body>
<h1>{escape(t("title", lang))}</h1>
<table class="facts">{fact_rows}</table>
<h2 class="first">{escape(t("summary", lang))}</h2>
{_table(SUMMARY_COLUMNS, data.summaries, lang, data.zone)}
{_charts(data, lang)}
<h2>{escape(t("results", lang))}</h2>
<p>{escape(t("evidence_note", lang))}</p>
{results}
<h2>{escape(t("migration", lang))}</h2>
{_table(MIGRATION_COLUMNS, data.migration.systems, lang, data.zone)}
<h2>{escape(t("changes", lang))}</h2>
{changes}
</body>
</html>
"""


def write_html(data: AuditDataset, out: Path, lang: Lang) -> None:
    write_text(out, render_html(data, lang))
