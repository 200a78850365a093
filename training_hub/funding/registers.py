"""Registers a fund accepts (DESIGN.md "Registers a fund accepts"; ANPAL circ. 4/2020 for online).

* ``register-blank.pdf``: to have stamped (vidimazione) before the course starts. Every page says
  "Pagina x di N" with the same N and carries the plan's code and title; the enrolled list comes before
  the first session; then one daily page per scheduled session with a signature on entry and one on exit
  per participant, and the trainer's and the tutor's signatures.
* The filled register of a plan's action (served at ``/courses/{id}/register.pdf`` through the
  ``course_register_pdf`` hook): the same pages with the times recorded, the same entry/exit signature
  columns; an online session prints, in place of signatures, each participant's connections and
  disconnections and platform identity from the imported report.

Access is the register's: admins and whoever takes the course's attendance.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fpdf.enums import XPos, YPos

from training_hub.attendance.registers import RegisterData, register_data
from training_hub.core.db import fetch_all
from training_hub.core.errors import NotFound
from training_hub.core.exports import PDF_FONT, UnicodePDF, pdf_text
from training_hub.core.i18n import N_, format_date, format_datetime, format_time, language
from training_hub.core.identity import CurrentUser
from training_hub.funding import plans

CONSORTIUM = "Consorzio Sociale Light"
ROW = 8.0  # a row tall enough to sign in
PAGE_BOTTOM = 196.0  # A4 landscape: 210 mm less the footer


@dataclass
class Connection:
    joined_at: datetime
    left_at: datetime
    identity: str


@dataclass
class FundedRegister:
    data: RegisterData
    plan: dict[str, Any]
    blank: bool
    online_sessions: set[int] = field(default_factory=set)
    connections: dict[tuple[int, int], list[Connection]] = field(default_factory=dict)


class _Register(UnicodePDF):
    heading = ""
    footer_left = ""

    def header(self) -> None:
        self.set_font(PDF_FONT, "B", 8.5)
        self.cell(0, 5, pdf_text(self.heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(PDF_FONT, size=9)

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(PDF_FONT, size=7.5)
        width = self.w - self.l_margin - self.r_margin
        self.cell(width * 0.75, 5, pdf_text(self.footer_left))
        self.cell(width * 0.25, 5, f"Pagina {self.page_no()} di {{nb}}", align="R")


def _table(pdf: _Register, columns: list[tuple[str, float]], rows: list[list[str]], *, title: Any) -> None:
    """Rows under a header, starting a new page (title again, then header) when the page is full."""
    def head() -> None:
        pdf.set_font(PDF_FONT, "B", 8)
        pdf.set_fill_color(230, 234, 240)
        for name, width in columns:
            pdf.cell(width, 7, pdf_text(name), border=1, fill=True, align="C")
        pdf.ln(7)
        pdf.set_font(PDF_FONT, size=8.5)

    head()
    for row in rows:
        if pdf.get_y() + ROW > PAGE_BOTTOM - 22:
            pdf.add_page()
            title(True)
            head()
        for (_name, width), value in zip(columns, row, strict=True):
            text = pdf_text(value)
            while text and pdf.get_string_width(text) > width - 2:
                text = text[:-1]
            pdf.cell(width, ROW, text, border=1)
        pdf.ln(ROW)


def _signatures(pdf: _Register) -> None:
    if pdf.get_y() + 20 > PAGE_BOTTOM:
        pdf.add_page()
    pdf.ln(3)
    y = pdf.get_y()
    pdf.set_font(PDF_FONT, "B", 9)
    pdf.text(pdf.l_margin, y + 4, "Firma del formatore")
    pdf.rect(pdf.l_margin + 35, y, 90, 14)
    pdf.text(pdf.l_margin + 140, y + 4, "Firma del tutor")
    pdf.rect(pdf.l_margin + 170, y, 90, 14)
    pdf.set_y(y + 16)
    pdf.set_font(PDF_FONT, size=9)


def render(register: FundedRegister) -> bytes:
    data, plan = register.data, register.plan
    kind = "Registro da vidimare" if register.blank else "Registro didattico e delle presenze"
    with language("it"):
        pdf = _Register(orientation="L", unit="mm", format="A4")
        pdf.set_margins(10, 8, 10)
        pdf.set_auto_page_break(False)
        pdf.set_title(pdf_text(f"{kind} - {data.course_title}"))
        pdf.set_creator("Training Hub")
        pdf.set_creation_date(data.generated_at)
        pdf.heading = f"{CONSORTIUM} · {kind} · Piano {plan['code']} - {plan['title']}"
        pdf.footer_left = f"Piano {plan['code']} · Azione: {data.course_title} · generato il {format_datetime(data.generated_at)}"

        def cover_title(continued: bool) -> None:
            pdf.set_font(PDF_FONT, "B", 12)
            pdf.cell(0, 7, pdf_text(f"{kind} - {data.course_title}" + (" (segue)" if continued else "")),
                     new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font(PDF_FONT, size=9)

        pdf.add_page()
        cover_title(False)
        fund = str(plans.FUNDS.get(plan["fund"], plan["fund"]))
        for text in (
            f"Fondo: {fund} · Avviso/canale: {plan['channel'] or '-'}",
            f"Codice piano: {plan['code']} · Titolo del piano: {plan['title']}",
            f"Codice azione: {plan.get('action_code') or '-'}",
            f"Formatori: {', '.join(data.trainers) or '-'} · Incontri in calendario: {len(data.sessions)}",
        ):
            pdf.cell(0, 5.5, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        pdf.set_font(PDF_FONT, "B", 10)
        pdf.cell(0, 6, "Elenco dei partecipanti iscritti", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        enrolled = [[str(n), total.full_name, total.codice_fiscale, total.cooperative]
                    for n, total in enumerate(data.totals, start=1)]
        _table(pdf, [("N.", 10), ("Cognome e nome", 95), ("Codice fiscale", 50), ("Cooperativa", 122)],
               enrolled or [["", "Nessun iscritto", "", ""]], title=cover_title)
        if register.blank:
            pdf.ln(4)
            pdf.cell(0, 5.5, "Vidimazione (timbro e firma dell'ente):", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.rect(pdf.l_margin, pdf.get_y(), 120, 25)

        for session in data.sessions:
            online = session.id in register.online_sessions

            def day_title(continued: bool, session: Any = session, online: bool = online) -> None:
                pdf.set_font(PDF_FONT, "B", 11)
                when = f"{format_date(session.starts_at)}, {format_time(session.starts_at)} - {format_time(session.ends_at)}"
                pdf.cell(0, 6.5, pdf_text(f"Giornata del {when}" + (" (segue)" if continued else "")),
                         new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.set_font(PDF_FONT, size=9)
                if not continued:
                    place = session.place or "-"
                    pdf.cell(0, 5, pdf_text(f"Sede: {place}" + (" (sincrona, videoconferenza)" if online else "")
                                            + f" · Formatore: {session.trainer_name or '-'}"),
                             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                    pdf.cell(0, 5, pdf_text(f"Argomenti: {' '.join((session.topics or '-').split())[:160]}"),
                             new_x=XPos.LMARGIN, new_y=YPos.NEXT)

            pdf.add_page()
            day_title(False)
            if online:
                columns = [("N.", 10), ("Cognome e nome", 70), ("Codice fiscale", 42), ("Collegamenti (entrata - uscita)", 85),
                           ("Identità sulla piattaforma", 55), ("Minuti", 15)]
                rows = []
                for line in session.lines:
                    found = [] if register.blank else register.connections.get((session.id, line.enrolment_id), [])
                    spans = ", ".join(f"{format_time(c.joined_at)}-{format_time(c.left_at)}" for c in found)
                    identity = ", ".join(dict.fromkeys(c.identity for c in found if c.identity))
                    minutes = "" if register.blank or line.minutes is None else str(line.minutes)
                    rows.append([str(line.number), line.full_name, line.codice_fiscale, spans, identity, minutes])
            else:
                columns = [("N.", 10), ("Cognome e nome", 70), ("Codice fiscale", 42), ("Ora entrata", 20),
                           ("Firma in entrata", 50), ("Ora uscita", 20), ("Firma in uscita", 50), ("Minuti", 15)]
                rows = []
                for line in session.lines:
                    if register.blank:
                        rows.append([str(line.number), line.full_name, line.codice_fiscale, "", "", "", "", ""])
                    else:
                        rows.append([str(line.number), line.full_name, line.codice_fiscale, format_time(line.arrived_at),
                                     "", format_time(line.left_at), "", "" if line.minutes is None else str(line.minutes)])
            _table(pdf, columns, rows or [[""] * len(columns)], title=day_title)
            _signatures(pdf)
        return bytes(pdf.output())


async def _register(user: CurrentUser, course_id: int, *, blank: bool) -> FundedRegister:
    plan = await plans.plan_of_course(course_id)
    if plan is None:
        raise NotFound(N_("Il corso non è un'azione di un piano finanziato."))
    data = await register_data(user, course_id)  # checks who may have the register
    online = {row["id"] for row in await fetch_all(
        "SELECT s.id FROM course_session s LEFT JOIN location l ON l.id = s.location WHERE s.course = {} "
        "AND (s.online_url IS NOT NULL OR l.is_online = {})", course_id, True)}
    connections: dict[tuple[int, int], list[Connection]] = {}
    if not blank and online:
        for row in await fetch_all(
                "SELECT oc.session, oc.enrolment, oc.joined_at, oc.left_at, oc.platform_identity FROM online_connection oc "
                "JOIN course_session s ON s.id = oc.session WHERE s.course = {} ORDER BY oc.joined_at", course_id):
            connections.setdefault((row["session"], row["enrolment"]), []).append(
                Connection(row["joined_at"], row["left_at"], row["platform_identity"]))
    return FundedRegister(data, plan, blank, online, connections)


async def action_register_pdf(user: CurrentUser, course_id: int, *, blank: bool) -> bytes:
    register = await _register(user, course_id, blank=blank)
    return await asyncio.to_thread(render, register)


async def funded_register_for(*, actor: CurrentUser, course_id: int) -> bytes | None:
    """The ``course_register_pdf`` hook: a plan's action gets the fund's register; other courses None."""
    if await plans.plan_of_course(course_id) is None:
        return None
    return await action_register_pdf(actor, course_id, blank=False)
