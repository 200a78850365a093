"""Showing report tables: cells for pages and PDF, bar charts as SVG geometry, CSV and XLSX files.

Every output is built from the same :class:`~training_hub.reports.tables.ReportTable` rows, so a page,
its export and its PDF cannot disagree. How each value reads in a file (decimal commas, "< 5") is
decided here; writing the file (CSV with a BOM, formula-injection protection, workbooks) is
:mod:`training_hub.core.exports`, shared with the other features.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel.dates import format_date as babel_format_date
from babel.numbers import get_decimal_symbol, get_group_symbol
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from training_hub.core import i18n
from training_hub.core.exports import csv_bytes, safe_cell, safe_text, sheet_title, workbook_bytes
from training_hub.core.i18n import N_, gettext
from training_hub.core.labels import AREA_LABELS, PATH_KIND_LABELS, PROVINCE_LABELS
from training_hub.core.timeutil import to_rome
from training_hub.reports.activity import OTHER, SUPPRESSED
from training_hub.reports.tables import Column, ReportTable

NOT_GIVEN = N_("Non indicata")
# Worksheet names (at most 31 characters in Excel).
SHEET_NAMES = {
    "monthly": N_("Mesi"),
    "by_kind": N_("Tipi di percorso"),
    "by_province": N_("Province"),
    "by_area": N_("Aree di lavoro"),
    "by_cooperative": N_("Cooperative"),
    "waiting_lists": N_("Liste d'attesa"),
    "survey_courses": N_("Questionari per corso"),
    "survey_trainers": N_("Questionari per formatore"),
    "courses": N_("Corsi"),
    "workers": N_("Persone"),
    "satisfaction": N_("Gradimento"),
}
OTHER_GROUPS = N_("Altri gruppi (meno di 5 persone ciascuno)")
SURVEY_STATUS_LABELS = {"open": N_("Aperto"), "closed": N_("Chiuso")}


def _as_date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return to_rome(value).date()
    if isinstance(value, date):
        return value
    text = str(value)
    try:
        return to_rome(datetime.fromisoformat(text.replace(" ", "T", 1))).date()
    except ValueError:
        return None


def month_label(value: str, *, short: bool = False) -> str:
    year, month = (int(part) for part in value.split("-"))
    return babel_format_date(date(year, month, 1), "LLL yyyy" if short else "LLLL yyyy", locale=i18n.babel_locale())


def label_text(value: Any, kind: str) -> str:
    if value == OTHER:
        return gettext(OTHER_GROUPS)
    if value in (None, ""):
        return gettext(NOT_GIVEN)
    if kind == "path_kind":
        return gettext(PATH_KIND_LABELS.get(value, value))
    if kind == "area":
        return gettext(AREA_LABELS.get(value, value))
    if kind == "province":
        return PROVINCE_LABELS.get(value, value)
    if kind == "month":
        return month_label(value)
    if kind == "survey_status":
        return gettext(SURVEY_STATUS_LABELS.get(value, value))
    return str(value)


LABEL_KINDS = {"path_kind", "area", "province", "month", "survey_status"}


@lru_cache(maxsize=8)
def _symbols(locale_name: str) -> tuple[str, str]:
    locale = i18n.babel_locale()
    return get_group_symbol(locale), get_decimal_symbol(locale)


def _number(value: float, digits: int, *, strip: bool = False) -> str:
    """Like Babel's ``#,##0.0…`` with the current language's symbols, without re-parsing a pattern for
    each of the thousands of cells of a large dashboard (same output as the ``number`` filter)."""
    group, decimal = _symbols(i18n.get_language())
    text = f"{value:,.{digits}f}"
    if strip and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", group)


def format_cell(value: Any, kind: str) -> str:
    """A cell as the page and the PDF show it (Italian separators in Italian)."""
    if value == SUPPRESSED:
        return "< 5"
    if kind in LABEL_KINDS:
        return label_text(value, kind)
    if value is None:
        return "—"
    if kind == "int":
        return _number(int(value), 0)
    if kind == "minutes":
        return i18n.format_hours(int(value))  # "26 h 40 min", as every page (files keep decimal hours)
    if kind == "percent":
        return _number(float(value) * 100, 1) + "%"
    if kind == "rating":
        return _number(float(value), 1)
    if kind == "date":
        return i18n.format_date(_as_date(value))
    return str(value)


def header(column: Column) -> str:
    """A column's heading on a page or in the PDF (the cells carry their unit)."""
    return gettext(column.label)


def file_header(column: Column) -> str:
    """A column's heading in CSV and XLSX files, where cells are bare numbers."""
    text = gettext(column.label)
    if column.kind == "minutes":
        return f"{text} (h)"
    if column.kind == "percent":
        return f"{text} (%)"
    return text


# Charts ------------------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    full_label: str
    display: str
    y: float
    width: float


@dataclass
class Chart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int
    row_height: int


CHART_WIDTH = 640
LABEL_WIDTH = 200
VALUE_SPACE = 90
# The labels' room is measured, not guessed: at 13 px no character of the sans-serif the page uses is
# wider on average than 8 px (capitals and "m" included), so a label of n characters needs n × 8 px plus
# the gap before its bar; the bars keep at least BAR_SPACE, the chart widens instead (the SVG scales).
LABEL_CHAR_PX = 8
LABEL_GAP = 12
BAR_SPACE = 350
ROW_HEIGHT = 28
BAR_HEIGHT = 18
MAX_LABEL_CHARS = 28


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def chart_for(table: ReportTable) -> Chart | None:
    """Horizontal bars for the table's chart columns; None when there is nothing to draw."""
    if table.chart is None:
        return None
    label_key, value_key = table.chart
    label_column = next(c for c in table.columns if c.key == label_key)
    value_column = next(c for c in table.columns if c.key == value_key)
    values = []
    for row in table.rows:
        value = row.get(value_key)
        if value is None or value == SUPPRESSED:
            continue
        values.append((row, float(value)))
    peak = max((value for _row, value in values), default=0.0)
    if not values or peak <= 0:
        return None
    labels = []
    for row, _value in values:
        full = label_text(row.get(label_key), label_column.kind) if label_column.kind in LABEL_KINDS else str(
            row.get(label_key) or "")
        if label_column.kind == "month":
            full = month_label(row[label_key], short=True)
        labels.append(full)
    label_width = max(LABEL_WIDTH, max(len(_short(full)) for full in labels) * LABEL_CHAR_PX + LABEL_GAP)
    chart_width = max(CHART_WIDTH, label_width + BAR_SPACE + VALUE_SPACE)
    bar_space = chart_width - label_width - VALUE_SPACE
    bars = []
    for index, ((row, value), full) in enumerate(zip(values, labels, strict=True)):
        bars.append(Bar(label=_short(full), full_label=full, display=format_cell(row.get(value_key), value_column.kind),
                        y=index * ROW_HEIGHT + 6, width=round(bar_space * value / peak, 1)))
    title = gettext(table.title)
    description = gettext("Grafico a barre: %(value)s per %(label)s. Valore massimo %(peak)s. "
                          "Gli stessi dati sono nella tabella che segue.") % {
        "value": file_header(value_column).lower(), "label": gettext(label_column.label).lower(),
        "peak": format_cell(peak if value_column.kind != "int" else int(peak), value_column.kind),
    }
    return Chart(id=f"chart-{table.key}", title=title, description=description, bars=bars, width=chart_width,
                 height=len(bars) * ROW_HEIGHT + 12, label_width=label_width, bar_height=BAR_HEIGHT,
                 row_height=ROW_HEIGHT)


# Files -------------------------------------------------------------------------------------------


def _decimal(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".") if digits else str(round(value))
    return text.replace(".", ",")


def csv_cell(value: Any, kind: str) -> str:
    if value == SUPPRESSED:
        return "< 5"
    if kind in LABEL_KINDS:
        return safe_text(label_text(value, kind))
    if value is None:
        return ""
    if kind == "int":
        return str(int(value))
    if kind == "minutes":
        return _decimal(int(value) / 60, 2)
    if kind == "percent":
        return _decimal(float(value) * 100, 1)
    if kind == "rating":
        return _decimal(float(value), 2)
    if kind == "date":
        day = _as_date(value)
        return day.strftime("%d/%m/%Y") if day else ""
    return safe_text(str(value))


def table_csv(table: ReportTable) -> bytes:
    """Semicolon-separated, UTF-8 with a BOM, decimal commas: what Excel expects in Italy."""
    return csv_bytes([file_header(column) for column in table.columns],
                     ([csv_cell(row.get(column.key), column.kind) for column in table.columns] for row in table.rows))


def _xlsx_value(value: Any, kind: str) -> tuple[Any, str | None]:
    if value == SUPPRESSED:
        return "< 5", None
    if kind in LABEL_KINDS:
        return safe_text(label_text(value, kind)), None
    if value is None:
        return None, None
    if kind == "int":
        return int(value), "#,##0"
    if kind == "minutes":
        return round(int(value) / 60, 2), "#,##0.00"
    if kind == "percent":
        return float(value), "0.0%"
    if kind == "rating":
        return round(float(value), 2), "0.00"
    if kind == "date":
        return _as_date(value), "DD/MM/YYYY"
    if isinstance(value, Decimal):
        return float(value), None
    return safe_text(str(value)), None


def tables_xlsx(tables: list[ReportTable], *, heading: str, subtitle: str) -> bytes:
    """One sheet per table, numbers as numbers (hours, percentages, dates formatted)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(sheet_title(gettext(SHEET_NAMES.get(table.key, table.title)), used))
        sheet.append([heading])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([subtitle])
        sheet.append([gettext(table.title)])
        sheet.append([])
        sheet.append([safe_cell(file_header(column)) for column in table.columns])
        for cell in sheet[5]:
            cell.font = Font(bold=True)
        for row in table.rows:
            values = [_xlsx_value(row.get(column.key), column.kind) for column in table.columns]
            sheet.append([value for value, _format in values])
            for index, (_value, number_format) in enumerate(values, start=1):
                if number_format:
                    sheet.cell(row=sheet.max_row, column=index).number_format = number_format
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = 40 if index == 1 else max(12, len(file_header(column)) + 2)
        sheet.freeze_panes = "A6"
    return workbook_bytes(workbook)
