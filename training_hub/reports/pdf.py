"""The activity report as a PDF (fpdf2, A4), in the project's bundled Unicode font
(:class:`training_hub.core.exports.UnicodePDF`): course titles and names print exactly as they were typed.
"""

from __future__ import annotations

from fpdf.fonts import FontFace

from training_hub.core.exports import PDF_FONT, UnicodePDF, pdf_text
from training_hub.core.i18n import format_date, format_datetime, gettext
from training_hub.core.timeutil import utcnow
from training_hub.reports.activity import summary_items
from training_hub.reports.present import format_cell, header
from training_hub.reports.tables import Report

BRAND = (11, 90, 138)
LIGHT = (233, 240, 246)


class ReportPDF(UnicodePDF):
    font_styles = ("", "B", "I")  # the tables' notes are in italics

    def __init__(self, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report_title = title
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(15, 15, 15)
        self.set_title(pdf_text(title))
        self.set_author("Consorzio Sociale Light")
        self.set_creator("Training Hub")

    def header(self) -> None:
        self.set_font(PDF_FONT, "B", 9)
        self.set_text_color(*BRAND)
        self.cell(0, 5, pdf_text(gettext("Consorzio Sociale Light")), new_x="LMARGIN", new_y="NEXT")
        self.set_font(PDF_FONT, "", 8)
        self.set_text_color(80, 80, 80)
        self.cell(0, 4, pdf_text(gettext("Consorzio Sociale Light · Via Tolmezzo, 3 · 20100 Milano")),
                  new_x="LMARGIN", new_y="NEXT")
        self.ln(3)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(PDF_FONT, "", 8)
        self.set_text_color(80, 80, 80)
        text = gettext("Pagina %(page)s di %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 6, pdf_text(f"{self.report_title} - {text}"), align="C")


def _column_widths(pdf: ReportPDF, headings: list[str], rows: list[list[str]], weights: list[float]) -> list[float]:
    """Widths (mm) where no word is cut: each column at least as wide as its longest word (a bold
    heading's or a cell's), the room left shared by ``weights``. Without this fpdf splits a heading
    mid-word ("Completame/nto") when the columns share the page evenly."""
    padding = 2 * 1 + 1.5  # the cells' padding on both sides, and a little air

    def longest(texts: list[str], style: str) -> float:
        pdf.set_font(PDF_FONT, style, 8)
        return max((pdf.get_string_width(word) for text in texts for word in pdf_text(text).split()), default=0.0)

    minimum = [max(longest([heading], "B"), longest([row[i] for row in rows if i < len(row)], "")) + padding
               for i, heading in enumerate(headings)]
    spare = pdf.epw - sum(minimum)
    if spare <= 0:
        return minimum
    # The first column (the names) on one line when the page allows it, then the rest shared by weight.
    pdf.set_font(PDF_FONT, "", 8)
    whole = max((pdf.get_string_width(pdf_text(row[0])) for row in rows if row), default=0.0) + padding
    first_extra = min(spare, max(0.0, min(whole, pdf.epw * weights[0] / sum(weights)) - minimum[0]))
    minimum[0] += first_extra
    spare -= first_extra
    total = sum(weights)
    return [need + spare * weight / total for need, weight in zip(minimum, weights, strict=True)]


def _table(pdf: ReportPDF, headings: list[str], rows: list[list[str]], numeric: list[bool],
           first_width: float = 2.5) -> None:
    widths = _column_widths(pdf, headings, rows, [first_width] + [1.0] * (len(headings) - 1))
    pdf.set_font(PDF_FONT, "", 8)
    with pdf.table(
        col_widths=widths,
        text_align=["LEFT" if not is_number else "RIGHT" for is_number in numeric],
        headings_style=FontFace(emphasis="BOLD", fill_color=LIGHT),
        line_height=4.5,
        padding=1,
        first_row_as_headings=True,
        repeat_headings=1,
    ) as table:
        table.row([pdf_text(text) for text in headings])
        for values in rows:
            table.row([pdf_text(text) for text in values])
    pdf.ln(4)


def report_pdf(report: Report, *, title: str, subtitle: str) -> bytes:
    pdf = ReportPDF(title)
    pdf.add_page()
    pdf.set_font(PDF_FONT, "B", 16)
    pdf.multi_cell(0, 8, pdf_text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(PDF_FONT, "", 10)
    pdf.multi_cell(0, 5, pdf_text(subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(PDF_FONT, "", 8)
    pdf.set_text_color(80, 80, 80)
    pdf.cell(0, 5, pdf_text(gettext("Generato il %(when)s") % {"when": format_datetime(utcnow())}),
             new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)

    pdf.set_font(PDF_FONT, "B", 12)
    pdf.cell(0, 7, pdf_text(gettext("In sintesi")), new_x="LMARGIN", new_y="NEXT")
    items = summary_items(report)
    _table(pdf, [gettext("Indicatore"), gettext("Valore")],
           [[gettext(column.label), format_cell(value, column.kind)] for column, value in items],
           [False, True], first_width=3)

    for table in report.tables:
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.set_font(PDF_FONT, "B", 12)
        pdf.multi_cell(0, 7, pdf_text(gettext(table.title)), new_x="LMARGIN", new_y="NEXT")
        if table.note:
            pdf.set_font(PDF_FONT, "I", 8)
            pdf.multi_cell(0, 4, pdf_text(gettext(table.note)), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        if not table.rows:
            pdf.set_font(PDF_FONT, "", 9)
            pdf.cell(0, 6, pdf_text(gettext("Nessun dato nel periodo.")), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
            continue
        numeric = [column.kind not in ("text", "path_kind", "area", "province", "month", "survey_status")
                   for column in table.columns]
        _table(pdf, [header(column) for column in table.columns],
               [[format_cell(row.get(column.key), column.kind) for column in table.columns] for row in table.rows],
               numeric)
    return bytes(pdf.output())


def period_text(report: Report) -> str:
    return gettext("Periodo dal %(start)s al %(end)s") % {
        "start": format_date(report.period.first), "end": format_date(report.period.last)}
