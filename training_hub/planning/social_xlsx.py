"""The social report's training section as an XLSX laid out like the page: a heading (title, whose
figures, period, source), the "in sintesi" figures with their unit and what they count, then each table
with its title, headings (with units) and rows. Numbers stay numbers (hours as decimal hours)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from training_hub.core.exports import safe_cell, sheet_title, workbook_bytes
from training_hub.core.i18n import gettext
from training_hub.planning.social_report import SocialReport, period_label, scope_label, sheet_value, unit_of

TITLE = "Bilancio sociale: formazione"


def column_heading(label: str, kind: str) -> str:
    """A table column's heading with its unit: "Ore di formazione (ore)"."""
    unit = unit_of(kind)
    return f"{gettext(label)} ({unit})" if unit and kind != "int" else gettext(label)


def social_xlsx(report: SocialReport, *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(gettext("Formazione"))
    bold = Font(bold=True)

    def heading(text: str, size: int = 11) -> None:
        sheet.append([safe_cell(text)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=size)

    heading(title, 14)
    sheet.append([safe_cell(scope_label(report))])
    sheet.append([safe_cell(period_label(report.year, report.quarter))])
    sheet.append([safe_cell(gettext("Fonte: %(source)s") % {"source": report.source})])
    for warning in report.warnings:
        sheet.append([safe_cell(warning)])
    sheet.append([])
    heading(gettext("In sintesi"), 12)
    sheet.append([gettext("Indicatore"), gettext("Valore"), gettext("Unità"), gettext("Che cosa conta")])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for figure in report.figures:
        value, number_format = sheet_value(figure.value, figure.kind)
        sheet.append([safe_cell(gettext(figure.label)), safe_cell(value), unit_of(figure.kind),
                      safe_cell(gettext(figure.note)) if figure.note else None])
        if number_format:
            sheet.cell(row=sheet.max_row, column=2).number_format = number_format
    for table in report.tables:
        sheet.append([])
        heading(gettext(table.title), 12)
        if table.note:
            sheet.append([safe_cell(gettext(table.note))])
        sheet.append([safe_cell(column_heading(column.label, column.kind)) for column in table.columns])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in table.rows:
            values = [sheet_value(row.get(column.key), column.kind) for column in table.columns]
            sheet.append([safe_cell(value) for value, _format in values])
            for index, (_value, number_format) in enumerate(values, start=1):
                if number_format:
                    sheet.cell(row=sheet.max_row, column=index).number_format = number_format
    for index, width in enumerate((46, 16, 14, 16, 16, 16), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return workbook_bytes(workbook)
