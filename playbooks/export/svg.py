"""Small inline SVG bar charts for the HTML report (no JavaScript, prints as drawn)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

ROW = 26
LABEL_WIDTH = 230
BAR_WIDTH = 360
VALUE_WIDTH = 120
MAX_LABEL = 20  # characters: a CJK character is about as wide as the font size


@dataclass(frozen=True)
class Bar:
    label: str
    parts: tuple[float, ...]  # shares 0..1 stacked left to right
    text: str


COLOURS = ("#2e7d32", "#c62828", "#9e9e9e")


FONTS = "Noto Sans CJK SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif"


def bar_chart(
    title: str,
    bars: list[Bar],
    legend: tuple[str, ...] = (),
    marks: dict[str, float] | None = None,
    empty: str = "",
) -> str:
    """Horizontal stacked bars of shares; ``marks`` draws labelled vertical lines (e.g. the
    80 % baseline and the 100 % target). With no bars the chart shows ``empty`` where the bars
    would be, and neither legend nor marks: a legend alone reads as a broken chart."""
    if not bars:
        legend, marks = (), None
    height = 34 + ROW * max(len(bars), 1) + (22 if legend else 0)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONTS}" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    if not bars:
        out.append(f'<text x="0" y="{28 + 14}" fill="#616161">{escape(empty)}</text>')
    for index, bar in enumerate(bars):
        y = 28 + index * ROW
        label = bar.label if len(bar.label) <= MAX_LABEL else bar.label[: MAX_LABEL - 1] + "…"
        out.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>'
        )
        out.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="18" '
            'fill="#eeeeee" stroke="#bdbdbd"/>'
        )
        x = float(LABEL_WIDTH)
        for part, colour in zip(bar.parts, COLOURS, strict=False):
            w = max(0.0, min(1.0, part)) * BAR_WIDTH
            if w > 0:
                out.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="18" fill="{colour}"/>'
                )
            x += w
        out.append(
            f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{y + 14}">{escape(bar.text)}</text>'
        )
    bottom = 28 + ROW * max(len(bars), 1)
    for mark, share in (marks or {}).items():
        x = LABEL_WIDTH + share * BAR_WIDTH
        out.append(
            f'<line x1="{x:.1f}" y1="24" x2="{x:.1f}" y2="{bottom - 4}" stroke="#1565c0" '
            'stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{bottom + 8}" text-anchor="middle" fill="#1565c0" '
            f'font-size="10">{escape(mark)}</text>'
        )
    if legend:
        y = height - 8
        for index, (name, colour) in enumerate(zip(legend, COLOURS, strict=False)):
            x = LABEL_WIDTH + index * 110
            out.append(f'<rect x="{x}" y="{y - 10}" width="10" height="10" fill="{colour}"/>')
            out.append(f'<text x="{x + 14}" y="{y}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out)
