"""Attendance pages: the trainer's roll call and check-in screen, the participant's check-in, the
course's attendance overview, training records, and the public certificate check.

All of them work without JavaScript and on a phone; the check-in screen refreshes itself once a
minute with ``<meta http-equiv="refresh">`` (allowed by the CSP, unlike an inline script).
"""

from __future__ import annotations

import re
from typing import Any

import segno
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from markupsafe import Markup

from training_hub.attendance import (
    certificates,
    check_in,
    corrections,
    documents,
    progress,
    recording,
    records,
)
from training_hub.attendance.recording import AttendanceEntry
from training_hub.attendance.rules import STATUS_LABELS, STATUSES
from training_hub.core.db import form_id
from training_hub.core.errors import DomainError
from training_hub.core.i18n import format_time, gettext
from training_hub.core.tables import Role
from training_hub.directory.service import list_cooperatives
from training_hub.web.auth import CurrentUser, provide_user, requires_login, requires_role
from training_hub.web.responses import flash, form_dict, form_errors, page, redirect

# Form field of each entry attribute on the roll call (one card per participant).
_FIELD_NAMES = {"status": "status", "arrived_at": "arrived", "left_at": "left", "minutes": "minutes",
                "enrolment_id": "status"}
_ENTRY_ERROR = re.compile(r"^(\d+)\.(\w+)$")


def _status_options() -> list[tuple[str, str]]:
    return [(status, gettext(STATUS_LABELS[status])) for status in STATUSES]


def _roll_entries(data: dict[str, Any]) -> tuple[list[AttendanceEntry], list[int]]:
    """The entries of the submitted roll call, and the enrolment id of each (by position)."""
    raw_ids = data.get("enrolment") or []
    ids = [number for value in (raw_ids if isinstance(raw_ids, list) else [raw_ids])
           if (number := form_id(value)) is not None]
    entries: list[AttendanceEntry] = []
    for enrolment_id in ids:
        status = str(data.get(f"status-{enrolment_id}") or "").strip()
        if not status:
            continue  # nothing chosen: not recorded yet, left as it is
        entries.append(AttendanceEntry(
            enrolment_id=enrolment_id,
            status=status,
            minutes=str(data.get(f"minutes-{enrolment_id}") or ""),
            arrived_at=str(data.get(f"arrived-{enrolment_id}") or ""),
            left_at=str(data.get(f"left-{enrolment_id}") or ""),
        ))
    return entries, [entry.enrolment_id for entry in entries]


def _roll_errors(exc: DomainError, order: list[int]) -> dict[str, str]:
    """Service errors ("3.arrived_at") moved next to the participant's field ("arrived-12")."""
    errors: dict[str, str] = {}
    for key, message in exc.field_errors.items():
        match = _ENTRY_ERROR.match(key)
        if match and int(match.group(1)) < len(order):
            enrolment_id = order[int(match.group(1))]
            errors[f"{_FIELD_NAMES.get(match.group(2), 'status')}-{enrolment_id}"] = message
        elif key == "entries":
            errors["__all__"] = message
        else:
            errors[key] = message
    if not errors:
        errors["__all__"] = exc.detail
    return errors


class SessionAttendancePages(Controller):
    """The trainer's pages for one session: roll call and the check-in screen."""

    path = "/sessions"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    async def _roll_page(
        self, user: CurrentUser, session_id: int, *, errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None, status_code: int = 200,
    ) -> Template:
        roll = await recording.session_roll(user, session_id)
        return page(
            "attendance/roll_call.html",
            status_code=status_code,
            roll=roll,
            session=roll["session"],
            statuses=_status_options(),
            errors=errors or {},
            values=values or {},
            format_time=format_time,
        )

    @get("/{session_id:int}/attendance", name="attendance_roll")
    async def roll_call(self, user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Template:
        return await self._roll_page(user, session_id)

    @post("/{session_id:int}/attendance", name="attendance_roll_save")
    async def save_roll_call(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], session_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_dict(request)
        entries, order = _roll_entries(data)
        try:
            saved = await recording.record_attendance(user, session_id, entries, reason=str(data.get("reason") or ""))
        except DomainError as exc:
            return await self._roll_page(
                user, session_id, errors=_roll_errors(exc, order), values=data, status_code=exc.status_code
            )
        flash(request, gettext("Presenze salvate: %(num)d.") % {"num": len(saved)})
        return redirect(f"/sessions/{session_id}/attendance")

    @post("/{session_id:int}/attendance/all-present", name="attendance_all_present")
    async def all_present(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], session_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_dict(request)
        try:
            saved = await recording.mark_all_present(user, session_id, reason=str(data.get("reason") or ""))
        except DomainError as exc:
            return await self._roll_page(user, session_id, errors=form_errors(exc), status_code=exc.status_code)
        if saved:
            flash(request, gettext("Segnati come presenti: %(num)d.") % {"num": len(saved)})
        else:
            flash(request, gettext("Tutti i partecipanti erano già registrati: nessuna modifica."), "warning")
        return redirect(f"/sessions/{session_id}/attendance")

    @get("/{session_id:int}/check-in", name="attendance_check_in_display")
    async def check_in_screen(self, user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Template:
        display = await check_in.check_in_display(user, session_id)
        qr_svg = ""
        if display["open"]:
            # segno's inline SVG carries no style attribute and no script: fine for the CSP.
            qr_svg = Markup(segno.make(display["url"], error="m").svg_inline(
                scale=1, border=2, svgclass="qr-code", lineclass="qr-code-line", omitsize=True,
            ))
        return page("attendance/check_in_display.html", display=display, session=display["session"], qr_svg=qr_svg)


class CheckInPages(Controller):
    """The participant's side of self check-in: from the QR code, or typing the six digits."""

    path = "/check-in"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    async def _code_page(
        self, user: CurrentUser, *, errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
        status_code: int = 200,
    ) -> Template:
        candidates = await check_in.check_in_candidates(user)
        return page("attendance/check_in_code.html", status_code=status_code, candidates=candidates,
                    errors=errors or {}, values=values or {})

    @get("/", name="check_in_code")
    async def code_form(self, user: NamedDependency[CurrentUser]) -> Template:
        return await self._code_page(user)

    @post("/", name="check_in_code_submit")
    async def code_submit(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template | Redirect:
        data = await form_dict(request)
        session_id = form_id(data.get("session_id"))
        if session_id is None:
            return await self._code_page(
                user, errors={"session_id": gettext("Scegli l'incontro.")}, values=data, status_code=422
            )
        try:
            result = await check_in.check_in(user, session_id, str(data.get("code") or ""),
                                            str(data.get("action") or ""))
        except DomainError as exc:
            errors = form_errors(exc)
            if "code" not in errors and "action" not in errors:
                errors = {"code": exc.detail}
            return await self._code_page(user, errors=errors, values=data, status_code=exc.status_code)
        _flash_result(request, result)
        return redirect("/check-in")

    @get("/{session_id:int}", name="check_in_confirm")
    async def confirm(
        self, user: NamedDependency[CurrentUser], session_id: FromPath[int], code: FromQuery[str] = ""
    ) -> Template:
        try:
            preview = await check_in.check_in_preview(user, session_id, code)
        except DomainError as exc:
            return page("attendance/check_in.html", status_code=exc.status_code, refusal=exc.detail,
                        preview=None, code=code, session_id=session_id)
        return page("attendance/check_in.html", refusal=None, preview=preview, code=code, session_id=session_id)

    @post("/{session_id:int}", name="check_in_submit")
    async def submit(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], session_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_dict(request)
        code = str(data.get("code") or "")
        try:
            result = await check_in.check_in(user, session_id, code, str(data.get("action") or ""))
        except DomainError as exc:
            return page("attendance/check_in.html", status_code=exc.status_code, refusal=exc.detail,
                        preview=None, code=code, session_id=session_id)
        _flash_result(request, result)
        return redirect("/check-in")


def _flash_result(request: Request[Any, Any, Any], result: dict[str, Any]) -> None:
    at = format_time(result["at"]) if result["at"] else ""
    if result["action"] == "in":
        text = gettext("Entrata già registrata alle %(time)s.") if result["already"] \
            else gettext("Entrata registrata alle %(time)s.")
    else:
        text = gettext("Uscita già registrata alle %(time)s.") if result["already"] \
            else gettext("Uscita registrata alle %(time)s.")
    flash(request, text % {"time": at}, "warning" if result["already"] else "success")


class CourseAttendancePages(Controller):
    path = "/courses"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/{course_id:int}/attendance", name="attendance_course")
    async def overview(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        result = await progress.course_progress(user, course_id)
        return page("attendance/course_overview.html", result=result, course=result["course"])


class CooperativeAttendancePages(Controller):
    path = "/cooperative/attendance"
    guards = [requires_role(Role.COORDINATOR, Role.ADMIN)]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", name="attendance_cooperative")
    async def overview(self, user: NamedDependency[CurrentUser], cooperative_id: FromQuery[int | None] = None) -> Template:
        result = await records.cooperative_progress(user, cooperative_id=cooperative_id)
        cooperatives = await list_cooperatives() if user.is_admin else []
        return page("attendance/cooperative_overview.html", result=result, cooperatives=cooperatives)


class TrainingRecordPages(Controller):
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/my/training", name="training_record_mine")
    async def mine(self, user: NamedDependency[CurrentUser]) -> Template:
        record = await records.training_record(user, user.id)
        return page("attendance/training_record.html", record=record, own=True, csv_url="/my/training.csv")

    @get("/my/training.csv", name="training_record_mine_csv")
    async def mine_csv(self, user: NamedDependency[CurrentUser]) -> Response[bytes]:
        record = await records.training_record(user, user.id)
        return Response(content=documents.training_record_csv(record), media_type=documents.CSV_MEDIA_TYPE,
                        headers=documents.attachment(f"percorso-formativo-{user.id}.csv"))

    @get("/people/{person_id:int}/training", name="training_record_person")
    async def person(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> Template:
        record = await records.training_record(user, person_id)
        return page("attendance/training_record.html", record=record, own=person_id == user.id,
                    csv_url=f"/people/{person_id}/training.csv")

    @get("/people/{person_id:int}/training.csv", name="training_record_person_csv")
    async def person_csv(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> Response[bytes]:
        record = await records.training_record(user, person_id)
        return Response(content=documents.training_record_csv(record), media_type=documents.CSV_MEDIA_TYPE,
                        headers=documents.attachment(f"percorso-formativo-{person_id}.csv"))


class VerifyPages(Controller):
    """The public check of a certificate (no login): initials, course, hours, dates."""

    include_in_schema = False

    @get("/verify/{code:str}", name="certificate_verify")
    async def verify(self, code: FromPath[str]) -> Template:
        try:
            certificate = await certificates.verify_certificate(code)
        except DomainError:
            return page("attendance/verify.html", status_code=404, certificate=None, code=code[:40])
        return page("attendance/verify.html", certificate=certificate, code=certificate["code"])


class CorrectionHistoryPages(Controller):
    """The corrections of a session's closed register, for those who take its attendance."""

    path = "/sessions/{session_id:int}/attendance/history"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", name="attendance_history")
    async def history(self, user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Template:
        return page("attendance/history.html", **await corrections.session_corrections(user, session_id))


ROUTES = [
    CorrectionHistoryPages,
    SessionAttendancePages, CheckInPages, CourseAttendancePages, CooperativeAttendancePages, TrainingRecordPages,
    VerifyPages,
]
