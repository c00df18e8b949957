"""HTML: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) with the
summary, charts of the pass rate per system and of migration per department, the results
with their evidence, the migration check and the change records. Readable printed: A4
landscape, repeated table headers, rows kept whole."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TypeVar

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
from .dataset import AuditDataset
from .svg import Bar, bar_chart
from .texts import t

T = TypeVar("T")

CSS = """
body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif;
       font-size: 12px; margin: 16px; color: #212121; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 24px; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid #bdbdbd; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background: #ddebf7; }
td.pass { background: #e2f0d9; } td.fail { background: #f8cbad; } td.manual { background: #fff2cc; }
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


def _table(columns: list[Column[T]], items: list[T], lang: Lang, css: str = "") -> str:
    headers, rows = table(columns, items, lang)
    keys = [c.key for c in columns]
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = []
        for key, text in zip(keys, row, strict=True):
            klass = ""
            if key == "result":
                klass = {
                    "符合": "pass",
                    "pass": "pass",
                    "不符合": "fail",
                    "fail": "fail",
                    "人工核查": "manual",
                    "manual": "manual",
                }.get(text, "")
            content = f"<pre>{escape(text)}</pre>" if key in PRE_COLUMNS else escape(text)
            cells.append(f'<td class="{klass}">{content}</td>' if klass else f"<td>{content}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="{css}"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(body)
        + "</tbody></table>"
    )


def _charts(data: AuditDataset, lang: Lang) -> str:
    pass_bars = []
    for s in data.summaries:
        if s.pass_rate is None:
            continue
        rate = s.pass_rate
        pass_bars.append(
            Bar(
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
        + bar_chart(t("pass_rate_chart", lang), pass_bars, (t("passed", lang), t("failed", lang)))
        + bar_chart(
            t("migration_chart", lang),
            dept_bars,
            (t("migrated", lang), t("not_migrated", lang)),
            marks,
        )
        + "</div>"
    )


def render_html(data: AuditDataset, lang: Lang) -> str:
    facts = [
        (t("generated_at", lang), data.generated_at.isoformat()),
        (t("inventory", lang), data.inventory_root),
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
        _table(RESULT_COLUMNS, data.rows, lang)
        if data.rows
        else f"<p>{escape(t('no_results', lang))}</p>"
    )
    changes = (
        _table(CHANGE_COLUMNS, data.changes.entries, lang)
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
{_table(SUMMARY_COLUMNS, data.summaries, lang)}
{_charts(data, lang)}
<h2>{escape(t("results", lang))}</h2>
<p>{escape(t("evidence_note", lang))}</p>
{results}
<h2>{escape(t("migration", lang))}</h2>
{_table(MIGRATION_COLUMNS, data.migration.systems, lang)}
<h2>{escape(t("changes", lang))}</h2>
{changes}
</body>
</html>
"""


def write_html(data: AuditDataset, out: Path, lang: Lang) -> None:
    write_text(out, render_html(data, lang))
