"""The files of this feature, built from plain data: register (PDF, CSV, XLSX) and training record
(CSV); the certificate (PDF) is in ``certificate_pdf.py`` and shares the helpers here.

Documents are always in Italian, whatever the language of the page that asked for them: the funds
for cooperative training, the cooperatives and the Italian authorities read them. The CSV and the
XLSX of the register come from the same :func:`register_rows`, so they cannot drift apart.

How rows become CSV and XLSX files, and the PDF's font, are decided once for the whole project in
:mod:`training_hub.core.exports` (semicolon CSV with a BOM, formula-injection protection, the bundled
Unicode font: every participant's name prints exactly as it was typed, "Łukasz Nowak" and
"Nguyễn Thị Hà" included). No special-category data is ever printed.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from babel.numbers import format_decimal
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from training_hub.attendance.registers import RegisterData
from training_hub.attendance.rules import status_label
from training_hub.core.exports import (
    CSV_MEDIA_TYPE,
    PDF_FONT,
    PDF_MEDIA_TYPE,
    XLSX_MEDIA_TYPE,
    UnicodePDF,
    csv_bytes,
    pdf_text,
    simple_xlsx,
)
from training_hub.core.i18n import format_date, format_datetime, format_time, language
from training_hub.core.labels import PATH_KIND_LABELS, label
from training_hub.core.timeutil import to_rome

# Who issues registers and certificates, as printed on them.
CONSORTIUM_NAME = "Consorzio Sociale Light"
CONSORTIUM_ADDRESS = "Via Tolmezzo, 3 · 20100 Milano"
CONSORTIUM_CITY = "Milano"

REGISTER_COLUMNS = [
    "Corso",
    "Codice piano formativo",
    "Data",
    "Inizio",
    "Fine",
    "Durata (minuti)",
    "Argomenti",
    "Formatore",
    "Sede",
    "N.",
    "Partecipante",
    "Codice fiscale",
    "Cooperativa",
    "Stato",
    "Entrata",
    "Uscita",
    "Minuti",
]
TRAINING_RECORD_COLUMNS = [
    "Corso",
    "Percorso",
    "Tipo di percorso",
    "Dal",
    "Al",
    "Stato",
    "Minuti previsti",
    "Minuti frequentati",
    "Ore frequentate",
    "Frequenza (%)",
    "Soglia (%)",
    "Soglia raggiunta",
]


def hours_number(minutes: int) -> str:
    """90 → "1,5" (Italian decimal comma, at most two decimals)."""
    return format_decimal(minutes / 60, format="#,##0.##", locale="it_IT")


def hours_phrase(minutes: int) -> str:
    number = hours_number(minutes)
    return f"{number} ora" if minutes == 60 else f"{number} ore"


def percent_text(value: float) -> str:
    return format_decimal(value, format="#,##0.#", locale="it_IT")


# Register: rows for CSV and XLSX -----------------------------------------------------------------


def _local_day(value: datetime | None) -> date | None:
    return to_rome(value).date() if value else None


def _local_clock(value: datetime | None) -> time | None:
    return to_rome(value).time().replace(second=0, microsecond=0, tzinfo=None) if value else None


def register_rows(data: RegisterData, *, typed: bool = False) -> list[list[Any]]:
    """One row per participant and session, in the order of the PDF (numbers stay numbers).

    ``typed``: days and times as ``date`` and ``time`` (Rome wall clock) for a spreadsheet, which stores
    them as real dates and times, formatted 02/12/2026 and 09:30; otherwise as that text (the CSV)."""
    day, clock = (_local_day, _local_clock) if typed else (format_date, format_time)
    rows: list[list[Any]] = []
    with language("it"):
        for session in data.sessions:
            common = [
                data.course_title,
                data.funder_plan_code,
                day(session.starts_at),
                clock(session.starts_at),
                clock(session.ends_at),
                session.minutes,
                session.topics,
                session.trainer_name,
                session.place,
            ]
            for line in session.lines:
                rows.append(common + [
                    line.number,
                    line.full_name,
                    line.codice_fiscale,
                    line.cooperative,
                    status_label(line.status),
                    clock(line.arrived_at),
                    clock(line.left_at),
                    line.minutes,
                ])
    return rows


REGISTER_XLSX_WIDTHS = [30, 16, 11, 7, 7, 9, 30, 20, 24, 5, 26, 18, 26, 18, 8, 8, 8]


def register_csv(data: RegisterData) -> bytes:
    return csv_bytes(REGISTER_COLUMNS, register_rows(data))


def register_xlsx(data: RegisterData) -> bytes:
    return simple_xlsx(REGISTER_COLUMNS, register_rows(data, typed=True), title="Registro presenze",
                       widths=REGISTER_XLSX_WIDTHS)


# Register: PDF -----------------------------------------------------------------------------------

# (header, width in mm, alignment); A4 landscape leaves 277 mm between 10 mm margins.
REGISTER_TABLE = [
    ("N.", 8, "R"),
    ("Partecipante", 50, "L"),
    ("Codice fiscale", 34, "L"),
    ("Cooperativa", 48, "L"),
    ("Stato", 30, "L"),
    ("Entrata", 15, "C"),
    ("Uscita", 15, "C"),
    ("Minuti", 15, "R"),
    ("Firma del partecipante", 62, "L"),
]
ROW_HEIGHT = 7.5
SUMMARY_TABLE = [
    ("N.", 8, "R"),
    ("Partecipante", 58, "L"),
    ("Codice fiscale", 36, "L"),
    ("Cooperativa", 60, "L"),
    ("Ore frequentate", 28, "R"),
    ("Ore previste", 25, "R"),
    ("Frequenza", 22, "R"),
    ("Soglia raggiunta", 40, "L"),
]


class RegisterDocument(UnicodePDF):
    footer_left = ""

    def footer(self) -> None:
        self.set_font(PDF_FONT, size=7.5)
        self.set_text_color(70, 70, 70)
        width = self.w - self.l_margin - self.r_margin
        baseline = self.h - 11 + 2.5 + 0.3 * self.font_size
        _draw_texts(self, [(self.l_margin + self.c_margin, baseline, _fit(self, self.footer_left, width * 0.75))])
        # A cell: fpdf2 fills in the page count ({nb}) only in text it lays out itself.
        self.set_xy(self.l_margin + width * 0.75, self.h - 11)
        self.cell(width * 0.25, 5, f"Pagina {self.page_no()} di {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Shorten ``text`` with an ellipsis until it fits in a cell ``width`` mm wide.

    Memoised per document and font: the same names and cooperatives come back on every session page.
    """
    cache: dict[tuple[str, float, str, float], str] = pdf.__dict__.setdefault("_fit_cache", {})
    key = (text, width, pdf.font_style, pdf.font_size_pt)
    if key in cache:
        return cache[key]
    fitted = pdf_text(text)
    room = width - 2 * pdf.c_margin
    if pdf.get_string_width(fitted) > room:
        while fitted and pdf.get_string_width(fitted + "...") > room:
            fitted = fitted[:-1]
        fitted = fitted.rstrip() + "..."
    cache[key] = fitted
    return fitted


# Legal forms written short, so a cooperative's own name fits its column: "Società Cooperativa Sociale
# Spazio Aperto Onlus" reads "Soc. Coop. Soc. Spazio Aperto Onlus", not "…Spazio Ape...".
LEGAL_FORMS = (
    ("Società Cooperativa Sociale", "Soc. Coop. Soc."), ("Societa Cooperativa Sociale", "Soc. Coop. Soc."),
    ("Cooperativa Sociale", "Coop. Soc."), ("Società Cooperativa", "Soc. Coop."), ("Cooperativa", "Coop."),
    ("Consorzio", "Cons."),
)
SMALLEST_FONT_RATIO = 0.75


def _fit_whole(pdf: FPDF, text: str, width: float) -> tuple[str, float]:
    """The text of a cell and the font size to write it in: whole if it fits; else with its legal form
    abbreviated; else in a font down to three quarters of the size; only then cut with an ellipsis."""
    size = pdf.font_size_pt
    room = width - 2 * pdf.c_margin
    if _text_width(pdf, pdf_text(text)) <= room:
        return _fit(pdf, text, width), size
    shorter = text
    for long_form, short_form in LEGAL_FORMS:
        shorter = shorter.replace(long_form, short_form)
    if _text_width(pdf, pdf_text(shorter)) <= room:
        return _fit(pdf, shorter, width), size
    needed = _text_width(pdf, pdf_text(shorter))
    smaller = max(size * SMALLEST_FONT_RATIO, size * room / needed)
    pdf.set_font_size(smaller)
    try:
        return _fit(pdf, shorter, width), smaller
    finally:
        pdf.set_font_size(size)


def _text_width(pdf: FPDF, text: str) -> float:
    cache: dict[tuple[str, str, float], float] = pdf.__dict__.setdefault("_width_cache", {})
    key = (text, pdf.font_style, pdf.font_size_pt)
    if key not in cache:
        cache[key] = pdf.get_string_width(text)
    return cache[key]


def _fit_cell(pdf: FPDF, text: str, width: float) -> tuple[str, float]:
    """:func:`_fit_whole`, memoised per document and font: names and cooperatives repeat on every page."""
    cache: dict[tuple[str, float, str, float], tuple[str, float]] = pdf.__dict__.setdefault("_cell_cache", {})
    key = (text, width, pdf.font_style, pdf.font_size_pt)
    if key not in cache:
        cache[key] = _fit_whole(pdf, text, width)
    return cache[key]


def _draw_texts(pdf: FPDF, items: list[tuple[float, float, str]]) -> None:
    """Draw each (x, y, text) at its baseline in the current font, as ``text()`` would, in one content
    stream write. ``text()`` costs about 50 µs a call (checks, encoding, colour state) and a register
    draws thousands: the encoded strings are memoised per document and font (the same glyphs map to the
    same codes for the whole document) and the operators written together."""
    if not items:
        return
    font = pdf.current_font
    assert font is not None
    if not pdf.current_font_is_set_on_page:
        pdf._out(pdf._set_font_for_page(font, pdf.font_size_pt))  # noqa: SLF001 (what text() does)
    encoded: dict[tuple[int, str], str] = pdf.__dict__.setdefault("_encoded_cache", {})
    k, height = pdf.k, pdf.h
    parts = []
    for x, y, text in items:
        key = (font.i, text)
        if key not in encoded:
            encoded[key] = font.encode_text(pdf.normalize_text(text))
        parts.append(f"BT {x * k:.2f} {(height - y) * k:.2f} Td {encoded[key]} ET")
    if pdf.fill_color != pdf.text_color:
        parts = ["q", pdf.text_color.serialize().lower(), *parts, "Q"]
    pdf._out(" ".join(parts))  # noqa: SLF001


class _Grid:
    """Table rows drawn as positioned text and lines: an order of magnitude cheaper than ``cell()`` per
    value, which matters for a register of hundreds of rows. A row's texts are written in one go (see
    :func:`_draw_texts`); vertical lines are drawn once per block of rows (a page's worth)."""

    def __init__(self, pdf: FPDF, columns: list[tuple[str, float, str]], row_height: float) -> None:
        self.pdf, self.columns, self.row_height = pdf, columns, row_height
        self.top: float | None = None

    def row(self, values: list[str]) -> None:
        pdf = self.pdf
        y = pdf.get_y()
        if self.top is None:
            self.top = y
        x = pdf.l_margin
        baseline = y + self.row_height / 2 + 0.3 * pdf.font_size
        pending: list[tuple[float, float, str]] = []
        for (_title, width, align), value in zip(self.columns, values, strict=True):
            if value:
                size = pdf.font_size_pt
                text, shrunk = _fit_cell(pdf, value, width)
                if shrunk != size:
                    _draw_texts(pdf, pending)
                    pending = []
                    pdf.set_font_size(shrunk)
                if align == "R":
                    pending.append((x + width - pdf.c_margin - _text_width(pdf, text), baseline, text))
                elif align == "C":
                    pending.append((x + (width - _text_width(pdf, text)) / 2, baseline, text))
                else:
                    pending.append((x + pdf.c_margin, baseline, text))
                if shrunk != size:
                    _draw_texts(pdf, pending)
                    pending = []
                    pdf.set_font_size(size)
            x += width
        _draw_texts(pdf, pending)
        pdf.line(pdf.l_margin, y + self.row_height, x, y + self.row_height)
        pdf.set_y(y + self.row_height)

    def close(self) -> None:
        """Draw the block's vertical lines (call before a page break and at the end)."""
        if self.top is None:
            return
        pdf, bottom = self.pdf, self.pdf.get_y()
        x = pdf.l_margin
        pdf.line(x, self.top, x, bottom)
        for _title, width, _align in self.columns:
            x += width
            pdf.line(x, self.top, x, bottom)
        self.top = None


def _write(pdf: FPDF, x: float, y: float, height: float, text: str) -> float:
    """Draw ``text`` vertically centred in a line of ``height`` at (x, y); return the x after it."""
    _draw_texts(pdf, [(x, y + height / 2 + 0.3 * pdf.font_size, text)])
    return x + _text_width(pdf, text)


def _wrap(pdf: FPDF, text: str, room: float) -> list[str]:
    """``text`` broken into lines at most ``room`` wide, between words, as ``multi_cell`` would break it
    (which measures every character again on each call: a tenth of a register's time)."""
    space = _text_width(pdf, " ")
    lines: list[str] = []
    line, line_width = "", 0.0
    for word in text.split(" "):
        word_width = _text_width(pdf, word)
        if word_width > room:  # a word longer than the line: multi_cell cuts it
            return pdf.multi_cell(room, 5, text, dry_run=True, output="LINES", padding=0)
        if line and line_width + space + word_width > room:
            lines.append(line)
            line, line_width = word, word_width
        else:
            line, line_width = (f"{line} {word}", line_width + space + word_width) if line else (word, word_width)
    if line:
        lines.append(line)
    return lines


def _table_header(pdf: FPDF, columns: list[tuple[str, float, str]]) -> None:
    pdf.set_font(PDF_FONT, "B", 8)
    pdf.set_fill_color(230, 234, 240)
    x, y = pdf.l_margin, pdf.get_y()
    for title, width, _align in columns:
        pdf.rect(x, y, width, 7, style="DF")
        text = _fit(pdf, title, width)
        _write(pdf, x + (width - _text_width(pdf, text)) / 2, y, 7, text)
        x += width
    pdf.set_y(y + 7)
    pdf.set_font(PDF_FONT, size=8.5)


def _consortium_line(pdf: FPDF, right: str) -> None:
    y = pdf.get_y()
    pdf.set_font(PDF_FONT, "B", 8.5)
    _write(pdf, pdf.l_margin, y, 5, pdf_text(f"{CONSORTIUM_NAME} · {CONSORTIUM_ADDRESS}"))
    pdf.set_font(PDF_FONT, size=8.5)
    right = pdf_text(right)
    _write(pdf, pdf.w - pdf.r_margin - _text_width(pdf, right), y, 5, right)
    pdf.set_y(y + 5)


def _label_value(pdf: FPDF, x: float, label_text: str, value: str, width: float) -> None:
    """"Label: value" on the current line from ``x``, the value shortened to fit ``width`` in all."""
    y = pdf.get_y()
    pdf.set_font(PDF_FONT, "B", 9)
    after = _write(pdf, x, y, 5.5, label_text) + 1.5
    pdf.set_font(PDF_FONT, size=9)
    _write(pdf, after, y, 5.5, _fit(pdf, value, max(10, x + width - after) + 2 * pdf.c_margin))


def _session_header(pdf: RegisterDocument, data: RegisterData, session: Any, *, continued: bool) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    left, middle = pdf.l_margin, pdf.l_margin + width * 0.55
    _consortium_line(pdf, "Registro presenze")
    pdf.set_font(PDF_FONT, "B", 12.5)
    title = f"Registro presenze - {data.course_title}"
    if continued:
        title += f" - {format_date(session.starts_at)} (segue)"
    _write(pdf, left, pdf.get_y(), 7.5, _fit(pdf, title, width))
    pdf.set_y(pdf.get_y() + 7.5)
    if continued:
        pdf.ln(1)
        return
    _label_value(pdf, left, "Percorso:", data.path_title, width * 0.55 - 4)
    _label_value(pdf, middle, "Codice piano formativo:", data.funder_plan_code or "-", width * 0.45)
    pdf.ln(5.5)
    when = (f"{format_date(session.starts_at)}, {format_time(session.starts_at)} - {format_time(session.ends_at)}"
            f" ({hours_phrase(session.minutes)})")
    _label_value(pdf, left, "Data e orario:", when, width * 0.55 - 4)
    _label_value(pdf, middle, "Sede:", session.place or "-", width * 0.45)
    pdf.ln(5.5)
    # Topics: up to three lines, the last one shortened when there is more.
    pdf.set_font(PDF_FONT, "B", 9)
    indent = _write(pdf, left, pdf.get_y(), 5, "Argomenti:") + 1.5
    pdf.set_font(PDF_FONT, size=9)
    topics = pdf_text(" ".join((session.topics or "-").split()))
    room = pdf.w - pdf.r_margin - indent
    lines = _wrap(pdf, topics, room - 2 * pdf.c_margin)
    if len(lines) > 3:
        lines = lines[:2] + [_fit(pdf, " ".join(lines[2:]), room + 2 * pdf.c_margin)]
    for line in lines:
        _write(pdf, indent, pdf.get_y(), 5, line)
        pdf.set_y(pdf.get_y() + 5)
    pdf.ln(1)
    _label_value(pdf, left, "Formatore:", session.trainer_name or "-", width * 0.45 - 4)
    pdf.set_font(PDF_FONT, "B", 9)
    y = pdf.get_y()
    box = _write(pdf, pdf.l_margin + width * 0.45, y, 5.5, "Firma del formatore:") + 3
    pdf.rect(box, y, 80, 11)
    pdf.set_y(y + 11 + 2.5)


def _needs_break(pdf: FPDF, height: float) -> bool:
    return pdf.get_y() + height > pdf.h - 16


def register_pdf(data: RegisterData) -> bytes:
    with language("it"):
        pdf = RegisterDocument(orientation="L", unit="mm", format="A4")
        pdf.set_margins(10, 10, 10)
        pdf.set_auto_page_break(False)
        pdf.set_title(pdf_text(f"Registro presenze - {data.course_title}"))
        pdf.set_author(CONSORTIUM_NAME)
        pdf.set_creator("Training Hub")
        pdf.set_creation_date(data.generated_at)
        pdf.footer_left = (f"{CONSORTIUM_NAME} - Registro presenze - {data.course_title} - "
                           f"generato il {format_datetime(data.generated_at)}")
        if not data.sessions:
            pdf.add_page()
            _consortium_line(pdf, "Registro presenze")
            pdf.set_font(PDF_FONT, "B", 12.5)
            pdf.cell(0, 8, _fit(pdf, f"Registro presenze - {data.course_title}", 277),
                     new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font(PDF_FONT, size=10)
            pdf.cell(0, 8, "Nessun incontro in calendario.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for session in data.sessions:
            pdf.add_page()
            _session_header(pdf, data, session, continued=False)
            _table_header(pdf, REGISTER_TABLE)
            if not session.lines:
                pdf.cell(277, ROW_HEIGHT, "Nessun partecipante confermato.", border=1,
                         new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            grid = _Grid(pdf, REGISTER_TABLE, ROW_HEIGHT)
            for line in session.lines:
                if _needs_break(pdf, ROW_HEIGHT):
                    grid.close()
                    pdf.add_page()
                    _session_header(pdf, data, session, continued=True)
                    _table_header(pdf, REGISTER_TABLE)
                grid.row([
                    str(line.number),
                    line.full_name,
                    line.codice_fiscale,
                    line.cooperative,
                    status_label(line.status),
                    format_time(line.arrived_at),
                    format_time(line.left_at),
                    "" if line.minutes is None else str(line.minutes),
                    "",
                ])
            grid.close()
        if data.totals:
            _register_summary(pdf, data)
        return bytes(pdf.output())


def _register_summary(pdf: RegisterDocument, data: RegisterData) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def head(continued: bool) -> None:
        _consortium_line(pdf, "Registro presenze")
        pdf.set_font(PDF_FONT, "B", 12.5)
        title = f"Riepilogo della frequenza - {data.course_title}" + (" (segue)" if continued else "")
        pdf.cell(width, 7.5, _fit(pdf, title, width), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if not continued:
            pdf.set_font(PDF_FONT, size=9)
            trainers = ", ".join(data.trainers) or "-"
            pdf.cell(width, 5.5, _fit(pdf, (
                f"Percorso: {data.path_title} - Codice piano formativo: {data.funder_plan_code or '-'} - "
                f"Soglia di frequenza: {data.threshold}% - Formatori: {trainers}"), width),
                new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)
        _table_header(pdf, SUMMARY_TABLE)

    pdf.add_page()
    head(False)
    grid = _Grid(pdf, SUMMARY_TABLE, ROW_HEIGHT)
    for number, total in enumerate(data.totals, start=1):
        if _needs_break(pdf, ROW_HEIGHT):
            grid.close()
            pdf.add_page()
            head(True)
        progress = total.progress
        reached = progress.reached
        grid.row([
            str(number),
            total.full_name,
            total.codice_fiscale,
            total.cooperative,
            hours_number(progress.attended_minutes),
            hours_number(progress.scheduled_minutes),
            f"{percent_text(progress.percent)}%",
            ("Sì" if reached else "No") + ("" if progress.finished else " (corso in corso)"),
        ])
    grid.close()


# Training record ---------------------------------------------------------------------------------


def training_record_rows(record: dict[str, Any]) -> list[list[Any]]:
    rows = []
    with language("it"):
        for item in record["items"]:
            progress = item["progress"]
            reached = progress.reached
            rows.append([
                item["title"],
                item["path_title"],
                label(PATH_KIND_LABELS, item["path_kind"]),
                format_date(item["first_day"]),
                format_date(item["last_day"]),
                "concluso" if item["completed"] else "in corso",
                progress.scheduled_minutes,
                progress.attended_minutes,
                hours_number(progress.attended_minutes),
                percent_text(progress.percent),
                progress.threshold,
                "sì" if reached else "no",
            ])
    return rows


def training_record_csv(record: dict[str, Any]) -> bytes:
    return csv_bytes(TRAINING_RECORD_COLUMNS, training_record_rows(record))


def attachment(filename: str) -> dict[str, str]:
    return {
        "Content-Disposition": f'attachment; filename="{filename}"',
        # Personal data: never kept by a shared cache or proxy.
        "Cache-Control": "private, no-store",
    }


def register_filename(course_id: int, extension: str) -> str:
    return f"registro-presenze-corso-{course_id}.{extension}"


__all__ = [
    "CSV_MEDIA_TYPE",
    "PDF_MEDIA_TYPE",
    "XLSX_MEDIA_TYPE",
    "attachment",
    "register_csv",
    "register_pdf",
    "register_rows",
    "register_xlsx",
    "training_record_csv",
]
