"""The social report's training section as a PDF (fpdf2, A4, the bundled Unicode font of
``core.exports``), printing the page's figures and tables with the same formatting (the charts stay on
the page; their tables are here). Names of cooperatives print exactly as typed."""

from __future__ import annotations

from fpdf.fonts import FontFace

from training_hub.core.exports import PDF_FONT, UnicodePDF, pdf_text
from training_hub.core.i18n import format_datetime, gettext
from training_hub.core.timeutil import utcnow
from training_hub.planning.social_report import SocialReport, Table, format_value, period_label, scope_label
from training_hub.planning.social_xlsx import column_heading

HEADINGS_FILL = (233, 240, 246)
NUMERIC = ("minutes", "int", "percent", "rating", "euro")


class SocialPDF(UnicodePDF):
    font_styles = ("", "B", "I")

    def __init__(self, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.document_title = title
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=16)
        self.set_title(pdf_text(title))
        self.set_author("Consorzio Sociale Light")
        self.set_creator("Training Hub")

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(PDF_FONT, "", 8)
        text = gettext("Pagina %(page)s di %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 5, pdf_text(f"{self.document_title} - {text}"), align="C")

    def section(self, text: str) -> None:
        if self.will_page_break(28):
            self.add_page()
        self.set_font(PDF_FONT, "B", 12)
        self.multi_cell(0, 7, pdf_text(text), new_x="LMARGIN", new_y="NEXT")

    def note(self, text: str) -> None:
        self.set_font(PDF_FONT, "I", 8)
        self.multi_cell(0, 4, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def grid(self, headings: list[str], rows: list[list[str]], numeric: list[bool], first: float) -> None:
        rest = (self.epw - first) / max(1, len(headings) - 1)
        self.set_font(PDF_FONT, "", 8)
        with self.table(col_widths=[first] + [rest] * (len(headings) - 1), line_height=4.5, padding=1,
                        text_align=["RIGHT" if is_number else "LEFT" for is_number in numeric],
                        headings_style=FontFace(emphasis="BOLD", fill_color=HEADINGS_FILL),
                        first_row_as_headings=True, repeat_headings=1) as grid:
            grid.row([pdf_text(text) for text in headings])
            for values in rows:
                grid.row([pdf_text(text) for text in values])
        self.ln(4)


def _table(pdf: SocialPDF, table: Table) -> None:
    pdf.section(gettext(table.title))
    if table.note:
        pdf.note(gettext(table.note))
    if not table.rows:
        pdf.set_font(PDF_FONT, "", 9)
        pdf.cell(0, 6, pdf_text(gettext("Nessun dato nel periodo.")), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
        return
    pdf.grid([column_heading(column.label, column.kind) for column in table.columns],
             [[format_value(row.get(column.key), column.kind) for column in table.columns] for row in table.rows],
             [column.kind in NUMERIC for column in table.columns], first=pdf.epw * 0.34)


def social_pdf(report: SocialReport, *, title: str) -> bytes:
    pdf = SocialPDF(title)
    pdf.add_page()
    pdf.set_font(PDF_FONT, "B", 16)
    pdf.multi_cell(0, 8, pdf_text(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(PDF_FONT, "", 10)
    pdf.multi_cell(0, 5, pdf_text(f"{scope_label(report)} · {period_label(report.year, report.quarter)}"),
                   new_x="LMARGIN", new_y="NEXT")
    pdf.note(gettext("Fonte: %(source)s") % {"source": report.source})
    pdf.note(gettext("Generato il %(when)s") % {"when": format_datetime(utcnow())})
    for warning in report.warnings:
        pdf.note(warning)
    pdf.ln(2)
    pdf.section(gettext("In sintesi"))
    pdf.grid([gettext("Indicatore"), gettext("Valore")],
             [[gettext(figure.label), format_value(figure.value, figure.kind)] for figure in report.figures],
             [False, True], first=pdf.epw * 0.7)
    for table in report.tables:
        _table(pdf, table)
    return bytes(pdf.output())
