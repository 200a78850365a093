"""The documents of a pathway, as PDFs in the bundled Unicode font (``core.exports.UnicodePDF``).

* **Progetto personalizzato** — for signatures: the person, the promoter tutor, the host tutor and the
  host cooperative. It is signed by the host cooperative too, so it carries no eligibility and no
  referring service.
* **Scheda individuale** — the whole record (eligibility and document reference, reviews, reasons):
  only for who has the full view, marked as special-category data; never given to third parties.
* **Attestazione finale delle competenze** — the competences with their evidence, the courses attended
  with their hours, the outcome: for the person, to show whom they choose. No eligibility.
* **Foglio presenze mensile** — one month's sessions of the courses the person attends during the
  pathway, with a column for their signature and the tutor's. No eligibility.

Documents are always in Italian (the parties and the Region read them), whatever the page's language.
Access goes through :func:`training_hub.inclusion.access.open_pathway` like every other read, so the
same 404 answers anyone else, and every document given to someone other than the person is audited.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.numbers import format_decimal
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from training_hub.attendance.rules import status_label
from training_hub.core.errors import ValidationFailed
from training_hub.core.exports import PDF_FONT, PDF_MEDIA_TYPE, UnicodePDF, pdf_text
from training_hub.core.i18n import N_, format_date, format_time, language
from training_hub.core.identity import CurrentUser
from training_hub.inclusion.access import Access, Action, open_pathway
from training_hub.inclusion.records import build_view
from training_hub.inclusion.training import SessionLine, month_sessions

CONSORTIUM = "Consorzio Sociale Light · Via Tolmezzo, 3 · 20100 Milano"
MEDIA_TYPE = PDF_MEDIA_TYPE
MONTH_NAMES = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre",
               "ottobre", "novembre", "dicembre"]
HEADINGS = FontFace(emphasis="BOLD", fill_color=(230, 234, 240))
BAD_MONTH = N_("Mese non valido: usa il formato 2026-11.")


class Kind:
    PROJECT = "project"
    RECORD = "record"
    COMPETENCES = "competences"
    ATTENDANCE = "attendance"


FILENAMES = {
    Kind.PROJECT: "progetto-personalizzato-{id}.pdf",
    Kind.RECORD: "scheda-individuale-{id}.pdf",
    Kind.COMPETENCES: "attestazione-competenze-{id}.pdf",
    Kind.ATTENDANCE: "foglio-presenze-{id}-{month}.pdf",
}


@dataclass(frozen=True)
class Document:
    filename: str
    content: bytes


def hours(minutes: int) -> str:
    return format_decimal(minutes / 60, format="#,##0.##", locale="it_IT")


def parse_month(value: Any) -> date:
    """``2026-11`` (or ``11/2026``) as the first day of that month."""
    text = str(value or "").strip()
    try:
        if "/" in text:
            month, year = text.split("/")
        else:
            year, month = text.split("-")
        first = date(int(year), int(month), 1)
    except ValueError:
        raise ValidationFailed(BAD_MONTH, field="month") from None
    if not 1900 <= first.year <= 2999:
        raise ValidationFailed(BAD_MONTH, field="month")
    return first


class _Pdf(UnicodePDF):
    font_styles = ("", "B", "I")
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(PDF_FONT, size=7.5)
        self.set_text_color(70, 70, 70)
        width = self.w - self.l_margin - self.r_margin
        self.cell(width * 0.75, 5, pdf_text(self.footer_text))
        self.cell(width * 0.25, 5, f"Pagina {self.page_no()} di {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def _start(title: str, subtitle: str, footer: str, *, restricted: bool = False) -> _Pdf:
    pdf = _Pdf(format="A4")
    pdf.footer_text = footer
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font(PDF_FONT, "B", 8.5)
    pdf.cell(0, 5, pdf_text(CONSORTIUM), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if restricted:
        pdf.set_font(PDF_FONT, "I", 8.5)
        pdf.set_text_color(150, 0, 0)
        pdf.multi_cell(0, 4.5, pdf_text(
            "Documento riservato: contiene dati di categoria particolare (art. 9 GDPR). Solo per l'ufficio "
            "formazione e i tutor del percorso; non va consegnato a terzi."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
    pdf.ln(2)
    pdf.set_font(PDF_FONT, "B", 15)
    pdf.multi_cell(0, 8, pdf_text(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(PDF_FONT, size=10)
    pdf.multi_cell(0, 5.5, pdf_text(subtitle), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    return pdf


def _heading(pdf: _Pdf, text: str) -> None:
    if pdf.get_y() > pdf.h - 40:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(PDF_FONT, "B", 11.5)
    pdf.cell(0, 7, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(PDF_FONT, size=9.5)


def _facts(pdf: _Pdf, facts: list[tuple[str, str]]) -> None:
    for label, value in facts:
        pdf.set_font(PDF_FONT, "B", 9.5)
        pdf.cell(55, 5.5, pdf_text(label))
        pdf.set_font(PDF_FONT, size=9.5)
        pdf.multi_cell(0, 5.5, pdf_text(value or "-"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _table(pdf: _Pdf, headings: list[str], rows: list[list[str]], widths: tuple[float, ...]) -> None:
    pdf.set_font(PDF_FONT, size=8.5)
    with pdf.table(col_widths=widths, line_height=5, headings_style=HEADINGS, first_row_as_headings=True,
                   text_align="LEFT") as table:
        header = table.row()
        for heading in headings:
            header.cell(pdf_text(heading))
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(pdf_text(value))
    pdf.ln(2)


def _signatures(pdf: _Pdf, parties: list[tuple[str, str]]) -> None:
    """One box per party: the role, the name (if known), and room to sign."""
    _heading(pdf, "Firme")
    width = (pdf.w - pdf.l_margin - pdf.r_margin - 6) / 2
    for index in range(0, len(parties), 2):
        if pdf.get_y() > pdf.h - 50:
            pdf.add_page()
        y = pdf.get_y()
        for column, (role, name) in enumerate(parties[index:index + 2]):
            x = pdf.l_margin + column * (width + 6)
            pdf.rect(x, y, width, 28)
            pdf.set_xy(x + 2, y + 1.5)
            pdf.set_font(PDF_FONT, "B", 9)
            pdf.cell(width - 4, 5, pdf_text(role))
            pdf.set_xy(x + 2, y + 6.5)
            pdf.set_font(PDF_FONT, size=9)
            pdf.cell(width - 4, 5, pdf_text(name or ""))
            pdf.set_xy(x + 2, y + 21)
            pdf.set_font(PDF_FONT, "I", 8)
            pdf.cell(width - 4, 5, pdf_text("Data e firma"))
        pdf.set_y(y + 32)


def _common_facts(view: dict[str, Any]) -> list[tuple[str, str]]:
    host = view["host_cooperative_name"] or ""
    if view["host_site"]:
        host = f"{host} – {view['host_site']}"
    return [
        ("Persona", view["person_name"]),
        ("Tipo di percorso", view["pathway_type_label"]),
        ("Cooperativa ospitante", host),
        ("Tutor del promotore", view["promoter_tutor_name"] or ""),
        ("Tutor dell'ospitante", view["host_tutor_name"] or ""),
        ("Periodo", f"dal {format_date(view['starts_on'])}"
                    + (f" al {format_date(view['ends_on'])}" if view["ends_on"] else "")),
        ("Ore settimanali", str(view["weekly_hours"])),
    ]


def _objectives(pdf: _Pdf, view: dict[str, Any]) -> None:
    _heading(pdf, "Obiettivi e indicatori")
    rows = [[str(number), item["description"], item["indicator"] or "-"]
            for number, item in enumerate(view["objectives"], start=1)]
    _table(pdf, ["N.", "Obiettivo", "Indicatore di risultato"], rows, (8, 90, 82))


def _courses(pdf: _Pdf, view: dict[str, Any]) -> None:
    _heading(pdf, "Corsi frequentati durante il percorso")
    if not view["courses"]:
        pdf.cell(0, 5.5, pdf_text("Nessun corso frequentato finora."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    rows = [[course.title, f"{format_date(course.first_day)} – {format_date(course.last_day)}", str(course.sessions),
             hours(course.scheduled_minutes), hours(course.attended_minutes)] for course in view["courses"]]
    _table(pdf, ["Corso", "Periodo", "Incontri", "Ore previste", "Ore frequentate"], rows, (70, 44, 20, 23, 23))


def _competences(pdf: _Pdf, view: dict[str, Any]) -> None:
    _heading(pdf, "Competenze acquisite")
    if not view["competences"]:
        pdf.cell(0, 5.5, pdf_text("Nessuna competenza registrata."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return
    rows = []
    for item in view["competences"]:
        evidence = item["evidence_label"]
        if item["course_title"]:
            evidence += f": {item['course_title']}"
        if item["evidence_note"]:
            evidence += f" – {item['evidence_note']}"
        rows.append([item["description"], evidence, format_date(item["acquired_on"])])
    _table(pdf, ["Competenza", "Evidenza", "Data"], rows, (75, 82, 23))


def project_pdf(view: dict[str, Any]) -> bytes:
    with language("it"):
        pdf = _start("Progetto personalizzato", f"{view['pathway_type_label']} di {view['person_name']}",
                     f"Progetto personalizzato n. {view['id']} – {view['person_name']}")
        facts = _common_facts(view)
        if view["allowance"]:
            facts.append(("Indennità mensile", f"euro {view['allowance']}"))
        _facts(pdf, facts)
        _objectives(pdf, view)
        pdf.set_font(PDF_FONT, size=9)
        pdf.multi_cell(0, 5, pdf_text(
            "Le parti sottoscrivono il presente progetto e si impegnano a verificarne periodicamente "
            "l'andamento rispetto agli obiettivi e agli indicatori indicati."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        _signatures(pdf, [
            ("La persona", view["person_name"]),
            ("Il tutor del soggetto promotore", view["promoter_tutor_name"] or ""),
            ("Il tutor del soggetto ospitante", view["host_tutor_name"] or ""),
            ("Per la cooperativa ospitante", view["host_cooperative_name"] or ""),
        ])
        return bytes(pdf.output())


def record_pdf(view: dict[str, Any]) -> bytes:
    """The whole record (full view only): the one document that carries the eligibility."""
    with language("it"):
        pdf = _start("Scheda individuale del percorso", f"{view['pathway_type_label']} di {view['person_name']}",
                     f"Scheda individuale n. {view['id']} – riservata", restricted=True)
        facts = _common_facts(view) + [
            ("Servizio inviante", view["referring_service"]),
            ("Categoria (L. 381/1991 art. 4)", view["eligibility_category_label"]),
            ("Documento che la certifica", f"{view['eligibility_body']}, prot. n. {view['eligibility_protocol']} "
                                           f"del {format_date(view['eligibility_date'])}"),
        ]
        if view["derogation_reason"]:
            facts.append(("Deroga alla durata", view["derogation_reason"]))
        if view["allowance"]:
            facts.append(("Indennità mensile", f"euro {view['allowance']}"))
        facts.append(("Prossima verifica", format_date(view["next_review_on"]) if view["next_review_on"] else "-"))
        _facts(pdf, facts)
        _objectives(pdf, view)
        _heading(pdf, "Verifiche periodiche")
        objectives = {item["id"]: number for number, item in enumerate(view["objectives"], start=1)}
        if not view["reviews"]:
            pdf.cell(0, 5.5, pdf_text("Nessuna verifica registrata."), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for review in reversed(view["reviews"]):
            _facts(pdf, [("Verifica del", format_date(review["held_on"])), ("Partecipanti", review["participants"]),
                         ("Note", review["notes"]),
                         ("Verifica successiva", format_date(review["next_review_on"]) if review["next_review_on"] else "-")])
            rows = [[str(objectives.get(item["objective"], "")), item["level_label"], item["comment"] or "-"]
                    for item in review["outcomes"]]
            if rows:
                _table(pdf, ["Obiettivo n.", "Esito", "Commento"], rows, (22, 45, 113))
        _courses(pdf, view)
        _competences(pdf, view)
        _heading(pdf, "Esito")
        outcome = view["outcome_label"] or "Percorso in corso"
        if view["outcome_on"]:
            outcome += f" ({format_date(view['outcome_on'])})"
        _facts(pdf, [("Esito", outcome), ("Motivo", view["outcome_reason"])])
        return bytes(pdf.output())


def competences_pdf(view: dict[str, Any]) -> bytes:
    with language("it"):
        pdf = _start("Attestazione finale delle competenze", f"{view['pathway_type_label']} di {view['person_name']}",
                     f"Attestazione delle competenze – percorso n. {view['id']}")
        facts = _common_facts(view)
        if view["outcome_label"]:
            facts.append(("Esito", view["outcome_label"] + (f" ({format_date(view['outcome_on'])})"
                                                            if view["outcome_on"] else "")))
        _facts(pdf, facts)
        _competences(pdf, view)
        _courses(pdf, view)
        _signatures(pdf, [
            ("Il tutor del soggetto promotore", view["promoter_tutor_name"] or ""),
            ("Il tutor del soggetto ospitante", view["host_tutor_name"] or ""),
        ])
        return bytes(pdf.output())


def attendance_sheet_pdf(view: dict[str, Any], month: date, lines: list[SessionLine]) -> bytes:
    with language("it"):
        month_name = f"{MONTH_NAMES[month.month - 1]} {month.year}"
        pdf = _start("Foglio presenze mensile", f"{view['person_name']} – {month_name}",
                     f"Foglio presenze {month_name} – percorso n. {view['id']}")
        _facts(pdf, _common_facts(view)[:3])
        _heading(pdf, "Formazione del mese")
        rows = [[format_date(line.starts_at), f"{format_time(line.starts_at)}–{format_time(line.ends_at)}",
                 line.course_title, hours(line.scheduled_minutes),
                 status_label(line.attendance_status) if line.attendance_status else "",
                 hours(line.attended_minutes) if line.attendance_status else "", ""]
                for line in lines]
        if rows:
            _table(pdf, ["Data", "Orario", "Corso", "Ore", "Presenza", "Ore frequentate", "Firma"], rows,
                   (19, 22, 55, 11, 26, 17, 30))
            total = sum(line.attended_minutes for line in lines)
            planned = sum(line.scheduled_minutes for line in lines)
            pdf.set_font(PDF_FONT, "B", 9.5)
            pdf.cell(0, 6, pdf_text(f"Totale: {hours(total)} ore frequentate su {hours(planned)} previste"),
                     new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.cell(0, 5.5, pdf_text("Nessun incontro di formazione in questo mese."), new_x=XPos.LMARGIN,
                     new_y=YPos.NEXT)
        _signatures(pdf, [("La persona", view["person_name"]),
                          ("Il tutor del soggetto ospitante", view["host_tutor_name"] or "")])
        return bytes(pdf.output())


async def pathway_document(actor: CurrentUser, pathway_id: int, kind: str, month: Any = None) -> Document:
    """Build one document of a pathway for ``actor`` (the individual record: full view only)."""
    chosen_month = parse_month(month) if kind == Kind.ATTENDANCE else None
    need = Access.FULL if kind == Kind.RECORD else Access.OWN
    row, level = await open_pathway(actor, pathway_id, Action.DOCUMENT, need=need)
    view = await build_view(row, level)
    # Drawn in a worker thread: a PDF must not hold up the event loop.
    if kind == Kind.PROJECT:
        content = await asyncio.to_thread(project_pdf, view)
    elif kind == Kind.RECORD:
        content = await asyncio.to_thread(record_pdf, view)
    elif kind == Kind.COMPETENCES:
        content = await asyncio.to_thread(competences_pdf, view)
    else:
        assert chosen_month is not None
        lines = await month_sessions(row["person"], row["starts_on"], row["ends_on"], chosen_month)
        content = await asyncio.to_thread(attendance_sheet_pdf, view, chosen_month, lines)
    filename = FILENAMES[kind].format(id=pathway_id, month=chosen_month.strftime("%Y-%m") if chosen_month else "")
    return Document(filename=filename, content=content)

