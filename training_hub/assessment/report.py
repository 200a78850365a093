"""The final-test report (``final-test-report.pdf``): the trainer's record of the test for the course
dossier (ASR 2025 p. 7: "verbali delle prove finali", kept at least 10 years).

It carries the course (and, for a safety course, its type and legal reference), the dates, the
trainers, the pass mark, each confirmed participant's score and outcome (passed, failed, not taken)
with how and when they took it, and every question with the correct answers marked, and room for the
trainers' signatures. :func:`final_test_report_pdf` is the one function that turns the data into PDF
bytes, so a digital signature (PAdES, pyHanko) can wrap it later without touching the layout.

Like every document of Training Hub it is in Italian whatever the language of the page that asked for
it (the authorities and the funds read it), in the bundled Unicode font (:class:`~training_hub.core.
exports.UnicodePDF`). No special-category data is read or printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.numbers import format_decimal
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from training_hub.assessment.results import FAILED, NOT_TAKEN, PASSED, ParticipantResult, results_overview
from training_hub.assessment.scoring import Question
from training_hub.assessment.store import NO_TEST
from training_hub.assessment.tables import AttemptVia
from training_hub.core.db import fetch_all
from training_hub.core.errors import NotFound
from training_hub.core.exports import PDF_FONT, UnicodePDF, pdf_text
from training_hub.core.i18n import format_date, language
from training_hub.core.identity import CurrentUser
from training_hub.core.timeutil import utcnow

TRAINING_BODY = "Consorzio Sociale Light"
TRAINING_BODY_ADDRESS = "Via Tolmezzo, 3 · 20100 Milano"
TITLE = "Verbale del test finale di apprendimento"
OUTCOME_TEXT = {PASSED: "Superato", FAILED: "Non superato", NOT_TAKEN: "Non sostenuto"}
VIA_TEXT = {AttemptVia.APP.value: "App", AttemptVia.PAPER.value: "Cartaceo"}
CORRECT_MARK = "✓"
BRAND = (11, 90, 138)
LIGHT = (233, 240, 246)


@dataclass(frozen=True)
class ReportRow:
    number: int
    full_name: str
    codice_fiscale: str
    via: str
    taken_on: datetime | None
    score_percent: float | None
    attempts: int
    outcome: str


@dataclass(frozen=True)
class FinalTestReport:
    course_id: int
    course_title: str
    path_title: str
    course_type_title: str | None
    legal_reference: str | None
    first_day: datetime | None
    last_day: datetime | None
    test_day: datetime | None  # the start of the last session, when the test opens
    trainers: list[str]
    pass_percent: int
    attempts_allowed: int
    questions: list[Question]
    rows: list[ReportRow]
    generated_at: datetime

    @property
    def counts(self) -> dict[str, int]:
        out = {PASSED: 0, FAILED: 0, NOT_TAKEN: 0}
        for row in self.rows:
            out[row.outcome] += 1
        return out


def _row(number: int, result: ParticipantResult) -> ReportRow:
    latest = result.latest
    return ReportRow(
        number=number, full_name=result.participant.full_name, codice_fiscale=result.participant.codice_fiscale,
        via=latest.recorded_via if latest else "", taken_on=latest.submitted_at if latest else None,
        score_percent=latest.score_percent if latest else None, attempts=result.standing.used,
        outcome=result.outcome,
    )


async def final_test_report(user: CurrentUser, course_id: int, *, now: datetime | None = None) -> FinalTestReport:
    """The report's data, for who manages the course (404/403 otherwise, 404 when there is no test)."""
    now = now or utcnow()
    overview = await results_overview(user, course_id, now=now)
    if overview.test is None:
        raise NotFound(NO_TEST)
    course, test = overview.course, overview.test
    trainers = await fetch_all(
        "SELECT p.full_name FROM course_trainer ct JOIN person p ON p.id = ct.person WHERE ct.course = {}", course_id)
    course_type = course.course_type
    return FinalTestReport(
        course_id=course.id, course_title=course.title, path_title=course.path_title,
        course_type_title=course_type.title if course_type else None,
        legal_reference=course_type.legal_reference if course_type else None,
        first_day=course.first_session_starts_at, last_day=course.last_session_ends_at,
        test_day=course.last_session_starts_at,
        trainers=sorted((row["full_name"] for row in trainers), key=str.casefold),
        pass_percent=test.pass_percent, attempts_allowed=test.attempts_allowed,
        questions=[stored.question for stored in test.questions],
        rows=[_row(number, result) for number, result in enumerate(overview.rows, start=1)],
        generated_at=now,
    )


def report_filename(course_id: int) -> str:
    return f"test-finale-corso-{course_id}.pdf"


# PDF -----------------------------------------------------------------------------------------------


def _percent(value: float) -> str:
    return format_decimal(value, format="#,##0.#", locale="it_IT") + "%"


class _ReportPDF(UnicodePDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(PDF_FONT, size=7.5)
        self.set_text_color(70, 70, 70)
        width = self.w - self.l_margin - self.r_margin
        self.cell(width * 0.75, 5, pdf_text(self.footer_text))
        self.cell(width * 0.25, 5, f"Pagina {self.page_no()} di {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def _line(pdf: _ReportPDF, label: str, value: str) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(PDF_FONT, "B", 10)
    pdf.cell(42, 6, pdf_text(label))
    pdf.set_font(PDF_FONT, "", 10)
    pdf.multi_cell(width - 42, 6, pdf_text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _heading(pdf: _ReportPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(PDF_FONT, "B", 12)
    pdf.set_text_color(*BRAND)
    pdf.cell(0, 7, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)


def _dates(report: FinalTestReport) -> str:
    if not report.first_day or not report.last_day:
        return "incontri non in calendario"
    first, last = format_date(report.first_day), format_date(report.last_day)
    return f"il {first}" if first == last else f"dal {first} al {last}"


def _results_table(pdf: _ReportPDF, report: FinalTestReport) -> None:
    pdf.set_font(PDF_FONT, "", 8.5)
    with pdf.table(
        col_widths=(7, 46, 32, 18, 20, 18, 12, 25),
        text_align=("RIGHT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT"),
        headings_style=FontFace(emphasis="BOLD", fill_color=LIGHT),
        line_height=5, padding=1, first_row_as_headings=True, repeat_headings=1,
    ) as table:
        table.row(["N.", "Partecipante", "Codice fiscale", "Modalità", "Data", "Punteggio", "Prove", "Esito"])
        for row in report.rows:
            table.row([
                str(row.number), pdf_text(row.full_name), row.codice_fiscale or "—",
                VIA_TEXT.get(row.via, "—"), format_date(row.taken_on) if row.taken_on else "—",
                _percent(row.score_percent) if row.score_percent is not None else "—",
                str(row.attempts), OUTCOME_TEXT[row.outcome],
            ])
    if not report.rows:
        pdf.set_font(PDF_FONT, "", 10)
        pdf.cell(0, 6, "Nessun partecipante confermato.", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _questions(pdf: _ReportPDF, report: FinalTestReport) -> None:
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for number, question in enumerate(report.questions, start=1):
        if pdf.will_page_break(6 * (len(question.choices) + 2)):
            pdf.add_page()
        pdf.set_font(PDF_FONT, "B", 10)
        pdf.multi_cell(width, 5.5, pdf_text(f"{number}. {question.text}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for index, choice in enumerate(question.choices):
            right = index in question.correct
            pdf.set_font(PDF_FONT, "B" if right else "", 10)
            mark = CORRECT_MARK if right else ""
            pdf.cell(8, 5.5, mark, align="C")
            pdf.multi_cell(width - 8, 5.5, pdf_text(f"{chr(ord('a') + index)}) {choice}"),
                           new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)


def _signatures(pdf: _ReportPDF, report: FinalTestReport) -> None:
    names = report.trainers or [""]
    if pdf.will_page_break(20 + 14 * len(names)):
        pdf.add_page()
    _heading(pdf, "Firme")
    pdf.set_font(PDF_FONT, "", 10)
    pdf.cell(0, 6, pdf_text(f"Milano, {format_date(report.generated_at)}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    label = "Il formatore" if len(names) == 1 else "I formatori"
    pdf.cell(0, 6, label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for name in names:
        pdf.ln(6)
        pdf.cell(80, 6, pdf_text(name or "Nome e cognome"))
        x, y = pdf.get_x() + 4, pdf.get_y() + 5
        pdf.line(x, y, x + 80, y)
        pdf.ln(6)


def final_test_report_pdf(report: FinalTestReport) -> bytes:
    """The report as PDF bytes (A4 portrait): the single function a digital signature will wrap."""
    with language("it"):
        pdf = _ReportPDF(orientation="P", unit="mm", format="A4")
        pdf.set_margins(15, 15, 15)
        pdf.set_auto_page_break(True, margin=18)
        pdf.set_title(pdf_text(f"{TITLE} - {report.course_title}"))
        pdf.set_author(TRAINING_BODY)
        pdf.set_creator("Training Hub")
        pdf.set_creation_date(report.generated_at)
        pdf.footer_text = f"{TRAINING_BODY} - {TITLE} - {report.course_title}"
        pdf.add_page()

        pdf.set_font(PDF_FONT, "B", 13)
        pdf.cell(0, 6, pdf_text(TRAINING_BODY.upper()), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(PDF_FONT, "", 9)
        pdf.cell(0, 5, pdf_text(TRAINING_BODY_ADDRESS), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(4)
        pdf.set_font(PDF_FONT, "B", 16)
        pdf.multi_cell(0, 8, pdf_text(TITLE), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

        _line(pdf, "Corso", f"«{report.course_title}»")
        _line(pdf, "Percorso", report.path_title)
        if report.course_type_title:
            _line(pdf, "Tipo di corso", report.course_type_title)
            _line(pdf, "Riferimento", report.legal_reference or "")
        _line(pdf, "Svolgimento", _dates(report))
        _line(pdf, "Data del test", format_date(report.test_day) if report.test_day else "non in calendario")
        _line(pdf, "Formatori" if len(report.trainers) > 1 else "Formatore", ", ".join(report.trainers) or "—")
        _line(pdf, "Domande", str(len(report.questions)))
        _line(pdf, "Soglia", f"almeno il {report.pass_percent}% di risposte esatte")
        counts = report.counts
        _line(pdf, "Esiti", f"superato {counts[PASSED]}, non superato {counts[FAILED]}, "
                            f"non sostenuto {counts[NOT_TAKEN]}")

        _heading(pdf, "Risultati dei partecipanti")
        _results_table(pdf, report)
        pdf.set_font(PDF_FONT, "", 8)
        pdf.multi_cell(0, 4.5, pdf_text(
            "Punteggio: percentuale di domande con risposta esatta (una domanda è esatta solo se sono scelte "
            "tutte e sole le risposte corrette). Per più prove vale l'ultima."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

        _heading(pdf, f"Domande del test (le risposte corrette sono segnate con {CORRECT_MARK})")
        _questions(pdf, report)
        _signatures(pdf, report)
        return bytes(pdf.output())
