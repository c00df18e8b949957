"""The digest as one markdown message for a robot, in Chinese (default) or English.

The message must fit the robots' limit (WeCom markdown: 4096 bytes of UTF-8). The headline
figures always stay; the lists under them (sites short of the target, systems still to move,
failing controls, overdue assessments, open alerts) are shortened together until it fits,
each saying how many it left out ("另有 N 项").
"""

from __future__ import annotations

from dataclasses import dataclass

from base.lang import Lang
from inventory.models import Tier
from inventory.names import name_of
from playbooks.export.columns import overdue_text, percent
from playbooks.export.localtime import minute, zone, zone_label

from ..robots.render import MARKDOWN_BYTES
from .model import Digest, OpenAlert
from .texts import t

#: Most items any one list shows when there is room; lists are shortened from here.
MOST_ITEMS = 8
SEVERITIES = ("critical", "warning", "info")


@dataclass(frozen=True)
class _List:
    """A list under a headline, its items already said as text: on one line after its
    label, or one item per line (alerts read better that way on a phone)."""

    label: str
    items: list[str]
    one_per_line: bool = False

    def lines(self, cap: int, lang: Lang) -> list[str]:
        if not self.items:
            return []
        shown = self.items[:cap]
        left = len(self.items) - len(shown)
        more = [t("more", lang, left=left)] if left else []
        if self.one_per_line:
            return [f"- {item}" for item in [*shown, *more]]
        return [f"  {self.label}" + t("separator", lang).join([*shown, *more])]


_Block = str | _List


def _bandwidth(d: Digest, lang: Lang) -> list[_Block]:
    out: list[_Block] = [t("bandwidth", lang, year=d.target_year)]
    for tier in d.tiers:
        measured = ""
        if tier.tested:
            measured = t("measured", lang, ok=tier.tested_meeting, tested=tier.tested)
        out.append(
            t(
                "tier",
                lang,
                name=name_of(Tier, tier.tier, lang),
                target=tier.target_mbps,
                meeting=tier.meeting,
                sites=tier.sites,
                measured=measured,
            )
        )
        gaps = [
            t("gap", lang, site=g.site_name, committed=g.committed_mbps, short=g.shortfall_mbps)
            for g in tier.gaps
        ]
        out.append(_List(t("short", lang), gaps))
    return out


def _coverage(d: Digest, lang: Lang) -> list[_Block]:
    c = d.coverage
    head = t(
        "coverage",
        lang,
        connected=c.connected,
        sites=c.sites,
        ratio=percent(c.ratio),
        target=percent(c.target_ratio),
    )
    return [head, _List(t("cut_off", lang), c.unconnected)]


def _cloud(d: Digest, lang: Lang) -> list[_Block]:
    m = d.cloud
    verified = (
        "" if m.verified_ratio is None else t("verified", lang, ratio=percent(m.verified_ratio))
    )
    head = t(
        "cloud",
        lang,
        ratio=percent(m.ratio),
        migrated=m.migrated,
        counted=m.counted,
        verified=verified,
        baseline=percent(m.baseline_ratio),
        target=percent(m.target_ratio),
        state=t(m.plan_state, lang),
    )
    label = t("to_move_blocked", lang, blocked=m.blocked) if m.blocked else t("to_move", lang)
    return [head, _List(label, m.pending)]


def _mlps(d: Digest, lang: Lang) -> list[_Block]:
    s = d.mlps
    checks = t("no_checks", lang)
    if s.checked:
        checks = t(
            "checks",
            lang,
            passed=s.passed,
            decided=s.passed + s.failed,
            rate=percent(s.pass_rate),
            manual=s.manual,
        )
    return [
        t("mlps", lang, checked=s.checked, systems=s.systems, checks=checks),
        _List(
            t("failing", lang),
            [t("failing_item", lang, name=f.name, failed=f.failed) for f in s.failing],
        ),
        _List(t("overdue", lang), [f"{a.name} {overdue_text(a.days, lang)}" for a in s.overdue]),
        _List(
            t("due_soon", lang, days=s.due_soon_days),
            [
                t("due_item", lang, name=a.name, due=a.due.isoformat(), days=a.days)
                for a in s.due_soon
            ],
        ),
        _List(t("never_assessed", lang), s.never_assessed),
        _List(t("unfiled", lang), s.unfiled),
    ]


def _alert_line(a: OpenAlert, lang: Lang) -> str:
    texts = (a.summary_zh, a.summary) if lang is Lang.zh else (a.summary, a.summary_zh)
    text = texts[0] or texts[1] or f"{a.site_name or a.site} {a.name}".strip()
    return f"[{t(a.severity, lang)}] {text}" if a.severity in SEVERITIES else text


def _alerts(d: Digest, lang: Lang) -> list[_Block]:
    a = d.alerts
    if not a.reachable:
        return [t("unreachable", lang, url=a.url or "-")]
    if not a.alerts:
        return [t("no_alerts", lang)]
    counts = t("count_separator", lang).join(
        f"{t(sev, lang)} {a.count(sev)}" for sev in SEVERITIES if a.count(sev)
    )
    return [
        t("alerts", lang, count=len(a.alerts), counts=counts),
        _List("", [_alert_line(x, lang) for x in a.alerts], one_per_line=True),
    ]


def _blocks(d: Digest, lang: Lang) -> list[_Block]:
    tz = zone(d.zone)
    return [
        t("title", lang, day=d.generated_at.astimezone(tz).date().isoformat()),
        d.district,
        f"> {minute(d.generated_at, tz)} {zone_label(tz, d.generated_at)}",
        "",
        *_bandwidth(d, lang),
        "",
        *_coverage(d, lang),
        "",
        *_cloud(d, lang),
        "",
        *_mlps(d, lang),
        "",
        *_alerts(d, lang),
    ]


def _text(blocks: list[_Block], cap: int, lang: Lang) -> str:
    lines: list[str] = []
    for block in blocks:
        lines.extend([block] if isinstance(block, str) else block.lines(cap, lang))
    return "\n".join(lines)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def render_markdown(digest: Digest, lang: Lang = Lang.zh, limit_bytes: int = MARKDOWN_BYTES) -> str:
    """The message within ``limit_bytes`` of UTF-8: lists shortened until it fits, and, if
    even the headlines do not (a district name as long as a page), cut at a line."""
    blocks = _blocks(digest, lang)
    text = ""
    for cap in (MOST_ITEMS, 5, 3, 2, 1, 0):
        text = _text(blocks, cap, lang)
        if _size(text) <= limit_bytes:
            return text
    mark = t("cut", lang)
    kept: list[str] = []
    for line in text.splitlines():
        if _size("\n".join([*kept, line, mark])) > limit_bytes:
            break
        kept.append(line)
    out = "\n".join([*kept, mark])
    # a first line longer than the whole limit: cut its bytes, never inside a character
    return out.encode("utf-8")[:limit_bytes].decode("utf-8", errors="ignore")
