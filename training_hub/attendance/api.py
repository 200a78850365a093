"""JSON API and files of attendance: roll calls, progress, registers and certificates.

Files (``/courses/{id}/register.pdf|.csv|.xlsx``, ``/enrolments/{id}/certificate.pdf``) accept the
session cookie or a bearer token, like the rest; they are built in a worker thread so a long register
never holds up the event loop.
"""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Controller, MediaType, Request, Response, get, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.response import Template

from training_hub.attendance import documents
from training_hub.attendance.progress import course_progress, course_progress_out
from training_hub.attendance.recording import AttendanceEntry, record_attendance, roll_line_out, session_roll
from training_hub.attendance.registers import register_data
from training_hub.attendance.schemas import AttendanceEntryIn, Progress, RollLine, SessionRoll
from training_hub.core import events
from training_hub.core.errors import CertificateNotEligible
from training_hub.core.schemas import to_struct
from training_hub.safety.attestati import certificate_document
from training_hub.web.auth import CurrentUser, provide_user, requires_login
from training_hub.web.exceptions import domain_problem, wants_problem_json


class SessionAttendanceApi(Controller):
    path = "/api/sessions"
    tags = ["attendance"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @put(
        "/{session_id:int}/attendance",
        summary="Registra le presenze di un incontro",
        description=(
            "Formatori del corso e ufficio formazione, da 15 minuti prima dell'inizio a 7 giorni dopo la fine; "
            "dopo, solo l'ufficio formazione con un motivo (`reason`). `arrived_at`/`left_at`: istanti ISO 8601 "
            "(senza offset = Europe/Rome) o `HH:MM` del giorno dell'incontro; `minutes` vale per ritardi e uscite "
            "anticipate senza orari."
        ),
    )
    async def record(
        self, user: NamedDependency[CurrentUser], session_id: FromPath[int], data: JSONBody[list[AttendanceEntryIn]]
    ) -> list[RollLine]:
        entries = [
            AttendanceEntry(
                enrolment_id=item.enrolment_id,
                status=item.status,
                minutes=item.minutes,
                arrived_at=item.arrived_at,
                left_at=item.left_at,
                reason=item.reason or "",
            )
            for item in data
        ]
        saved = await record_attendance(user, session_id, entries)
        return to_struct([roll_line_out(line) for line in saved], list[RollLine])

    @get("/{session_id:int}/attendance", summary="Le presenze di un incontro")
    async def roll(self, user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> SessionRoll:
        roll = await session_roll(user, session_id)
        session = roll["session"]
        return to_struct({
            "session_id": session["id"],
            "course_id": session["course_id"],
            "starts_at": session["starts_at"],
            "ends_at": session["ends_at"],
            "scheduled_minutes": session["minutes"],
            "recording": roll["state"],
            "items": [roll_line_out(line) for line in roll["lines"]],
        }, SessionRoll)


class CourseAttendanceApi(Controller):
    path = "/api/courses"
    tags = ["attendance"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get(
        "/{course_id:int}/attendance",
        summary="La frequenza di ogni partecipante di un corso",
        description=(
            "Per iscrizione: minuti frequentati e previsti (incontri annullati esclusi), percentuale, "
            "`certificate_eligible`, `at_risk`. Formatori e ufficio formazione vedono tutti; i coordinatori "
            "la propria cooperativa; gli altri sé stessi."
        ),
    )
    async def progress(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> list[Progress]:
        result = await course_progress(user, course_id)
        return to_struct([course_progress_out(row) for row in result["rows"]], list[Progress])


def _file(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(content=content, media_type=media_type, headers=documents.attachment(filename))


class AttendanceFiles(Controller):
    """Register and certificate downloads (cookie or bearer token)."""

    tags = ["attendance"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/courses/{course_id:int}/register.pdf", summary="Registro presenze (PDF)", media_type="application/pdf")
    async def register_pdf(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Response[bytes]:
        for funded in await events.course_register_pdf.send(actor=user, course_id=course_id):
            if funded is not None:  # a funded plan's action: the register in the fund's layout
                return _file(funded, documents.PDF_MEDIA_TYPE, documents.register_filename(course_id, "pdf"))
        data = await register_data(user, course_id)
        content = await asyncio.to_thread(documents.register_pdf, data)
        return _file(content, documents.PDF_MEDIA_TYPE, documents.register_filename(course_id, "pdf"))

    @get("/courses/{course_id:int}/register.csv", summary="Registro presenze (CSV)", media_type="text/csv")
    async def register_csv(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Response[bytes]:
        data = await register_data(user, course_id)
        return _file(documents.register_csv(data), documents.CSV_MEDIA_TYPE, documents.register_filename(course_id, "csv"))

    @get("/courses/{course_id:int}/register.xlsx", summary="Registro presenze (Excel)", media_type=documents.XLSX_MEDIA_TYPE)
    async def register_xlsx(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Response[bytes]:
        data = await register_data(user, course_id)
        content = await asyncio.to_thread(documents.register_xlsx, data)
        return _file(content, documents.XLSX_MEDIA_TYPE, documents.register_filename(course_id, "xlsx"))

    @get("/enrolments/{enrolment_id:int}/certificate.pdf", summary="Attestato di frequenza (PDF)",
         media_type="application/pdf")
    async def certificate(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], enrolment_id: FromPath[int]
    ) -> Response[Any] | Template:
        try:
            content, filename = await certificate_document(user, enrolment_id)
        except CertificateNotEligible as exc:
            # A person in a browser reads why, in a page; programs get problem+json.
            if user.via_token or wants_problem_json(request):
                return domain_problem(request, exc).to_response(request)
            return Template(
                template_name="attendance/certificate_refused.html",
                context={"message": exc.detail, "enrolment_id": enrolment_id},
                status_code=exc.status_code,
                media_type=MediaType.HTML,  # not the PDF this route would have sent
            )
        # A safety course's attestato (Accordo 2025 Parte I p. 6) or the attestato di frequenza, signed
        # PAdES when a certificate is configured (safety/attestati.py).
        return _file(content, documents.PDF_MEDIA_TYPE, filename)


ROUTES = [SessionAttendanceApi, CourseAttendanceApi, AttendanceFiles]
