"""Bar charts of the social report as SVG text, drawn on the server: no JavaScript, no library.

Accessible by construction: the ``<svg>`` is ``role="img"`` named by its ``<title>`` and described by
its ``<desc>`` (what is measured, the largest value, and that the table below holds the same data:
the table is the alternative, always printed right after the chart). Every bar carries its value as
text, so nothing is told by length or colour alone. Pure: the same input gives the same SVG.
"""

from __future__ import annotations

from html import escape
from typing import Any

from training_hub.core.i18n import gettext
from training_hub.planning.social_report import SUPPRESSED, Table, format_value

WIDTH = 640
ROW = 28
BAR = 18
VALUE_SPACE = 110
CHAR_PX = 8  # at 13 px no character of the page's sans-serif is wider on average
MIN_LABEL = 160
MAX_LABEL_CHARS = 30


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(table: Table) -> str:
    """The SVG of ``table``'s chart columns; "" when there is nothing to draw (no chart, or all zero)."""
    if table.chart is None:
        return ""
    label_key, value_key = table.chart
    label_kind = next(c.kind for c in table.columns if c.key == label_key)
    value_column = next(c for c in table.columns if c.key == value_key)
    points: list[tuple[str, float, str]] = []
    for row in table.rows:
        value = row.get(value_key)
        if value is None or value == SUPPRESSED:
            continue
        points.append((format_value(row.get(label_key), label_kind), float(value),
                       format_value(value, value_column.kind)))
    peak = max((value for _label, value, _text in points), default=0.0)
    if peak <= 0:
        return ""
    label_width = max(MIN_LABEL, max(len(_short(text)) for text, _v, _t in points) * CHAR_PX + 12)
    width = max(WIDTH, label_width + 300 + VALUE_SPACE)
    space = width - label_width - VALUE_SPACE
    height = len(points) * ROW + 12
    chart_id = f"chart-{escape(table.key)}"
    title = gettext(table.title)
    desc = gettext("Grafico a barre: %(value)s per %(label)s. Valore massimo %(peak)s. "
                   "Gli stessi dati sono nella tabella che segue.") % {
        "value": gettext(value_column.label).lower(),
        "label": gettext(next(c.label for c in table.columns if c.key == label_key)).lower(),
        "peak": max((text for _l, value, text in points if value == peak), default=""),
    }
    parts = [
        f'<svg class="chart-svg" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height - 4}" stroke="#4f5b69" stroke-width="1"/>',
    ]
    for index, (text, value, shown) in enumerate(points):
        y = index * ROW + 6
        bar = round(space * value / peak, 1)
        parts.append(
            f'<g><text x="{label_width - 8}" y="{y + 14}" text-anchor="end" font-size="13" fill="#1c2430">'
            f"{escape(_short(text))}</text>"
            f'<rect x="{label_width}" y="{y}" width="{bar}" height="{BAR}" fill="#0b5a8a">'
            f"<title>{escape(text)}: {escape(shown)}</title></rect>"
            f'<text x="{label_width + bar + 6}" y="{y + 14}" font-size="13" fill="#1c2430">{escape(shown)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def charts(tables: list[Table]) -> dict[str, Any]:
    """The SVG of each table that has one, by table key."""
    return {table.key: svg for table in tables if (svg := bar_chart(table))}
