"""A person's safety record page (``/people/{id}/safety-record``): the roles held with the date appointed
and the level or group, and the attestati obtained elsewhere with their scans. The office and the
coordinator of the person's cooperative record the roles; the office enters, corrects and deletes the
attestati; the person sees the page read-only (``records.py`` decides, the templates only show it).
Beside ``pages.py`` because the status pages of the scadenzario were written there at the same time.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from training_hub.attendance.documents import attachment
from training_hub.core.errors import DomainError, PermissionDenied
from training_hub.core.i18n import gettext
from training_hub.safety import external_trainings as trainings
from training_hub.safety import records
from training_hub.safety.course_types import COURSE_TYPES
from training_hub.safety.roles import LEVEL_LABELS, LEVELS, ROLES, role_label
from training_hub.web.auth import CurrentUser, provide_user, requires_login
from training_hub.web.responses import as_list, flash, form_dict, form_errors, page, redirect

UPLOAD_LIMIT = trainings.MAX_SCAN_BYTES + 64 * 1024


def role_rows(stored: list[dict[str, Any]], typed: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """One line per role the form offers, filled from what is stored or from what was just typed."""
    by_role = {row["role"]: row for row in stored}
    held_typed = set(as_list(typed.get("held"))) if typed is not None else set()
    rows = []
    for role in ROLES:
        if typed is not None:
            held, since, level = role in held_typed, typed.get(f"since_{role}", ""), typed.get(f"level_{role}", "")
        else:
            row = by_role.get(role)
            held = row is not None
            since = row["since"].isoformat() if row else ""
            level = (row["level"] or "") if row else ""
        rows.append({"role": role, "label": role_label(role), "held": held, "since": since, "level": level,
                     "levels": [(value, gettext(LEVEL_LABELS[value])) for value in LEVELS.get(role, ())]})
    return rows


def role_errors(exc: DomainError, sent: list[str]) -> dict[str, str]:
    """The service names fields ``0.since``; the form names them ``since_preposto``."""
    errors: dict[str, str] = {}
    for field, message in form_errors(exc).items():
        index, _, name = field.partition(".")
        if index.isdecimal() and int(index) < len(sent):
            errors["held" if name == "role" else f"{name}_{sent[int(index)]}"] = message
        else:
            errors[field] = message
    return errors


async def _form_with_file(request: Request[Any, Any, Any]) -> tuple[dict[str, Any], trainings.ScanUpload | None]:
    data = await form_dict(request)
    upload = data.pop("scan", None)
    scan = None
    if hasattr(upload, "read"):
        content = await upload.read()
        if content or upload.filename:
            scan = trainings.ScanUpload(content, upload.filename or "")
    return data, scan


def _training_input(data: dict[str, Any]) -> trainings.ExternalTrainingInput:
    return trainings.ExternalTrainingInput(
        course_type=data.get("course_type"), completed_on=data.get("completed_on"), hours=data.get("hours"),
        provider=data.get("provider", ""), certificate_number=data.get("certificate_number", ""),
    )


def _typed_training(training: dict[str, Any]) -> dict[str, Any]:
    hours = training["minutes"] / 60
    return {**training, "completed_on": training["completed_on"].isoformat(),
            "hours": (f"{hours:.2f}".rstrip("0").rstrip(".")).replace(".", ",")}


class SafetyRecordPages(Controller):
    path = "/people/{person_id:int}/safety-record"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    async def _record(self, user: CurrentUser, person_id: int, *, status: int = 200,
                      typed_roles: dict[str, Any] | None = None, role_errors: dict[str, str] | None = None,
                      typed_training: dict[str, Any] | None = None,
                      training_errors: dict[str, str] | None = None) -> Template:
        person = await records.visible_person(user, person_id)
        stored = await records.roles_of(person_id)
        return page(
            "safety/records/record.html", status_code=status, person=person, roles=stored,
            role_rows=role_rows(stored, typed_roles), role_errors=role_errors or {},
            trainings=await trainings.trainings_of(person_id),
            training=typed_training or {}, training_errors=training_errors or {},
            can_record_roles=records.may_record_roles(user, person),
            can_record_trainings=records.may_record_trainings(user, person),
            course_types=[(course.code, gettext(course.title)) for course in COURSE_TYPES],
            today=records.today_in_rome(), max_scan_mb=trainings.MAX_SCAN_BYTES // (1024 * 1024),
        )

    @get("/", name="safety_record")
    async def record(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> Template:
        return await self._record(user, person_id)

    @post("/roles", name="safety_record_roles")
    async def save_roles(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                         person_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        sent = [role for role in ROLES if role in set(as_list(data.get("held")))]
        roles = [records.RoleInput(role, data.get(f"level_{role}"), data.get(f"since_{role}")) for role in sent]
        try:
            await records.replace_safety_roles(user, person_id, roles)
        except DomainError as exc:
            return await self._record(user, person_id, status=exc.status_code, typed_roles=data,
                                      role_errors=role_errors(exc, sent))
        flash(request, gettext("Ruoli per la sicurezza salvati."))
        return redirect(f"/people/{person_id}/safety-record")

    @post("/attestati", name="safety_record_training_create", request_max_body_size=UPLOAD_LIMIT)
    async def create_training(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                              person_id: FromPath[int]) -> Template | Redirect:
        data, scan = await _form_with_file(request)
        try:
            await trainings.record_external_training(user, person_id, _training_input(data), scan)
        except DomainError as exc:
            return await self._record(user, person_id, status=exc.status_code, typed_training=data,
                                      training_errors=form_errors(exc))
        flash(request, gettext("Attestato registrato."))
        return redirect(f"/people/{person_id}/safety-record")

    async def _edit(self, user: CurrentUser, person_id: int, training_id: int, typed: dict[str, Any] | None = None,
                    errors: dict[str, str] | None = None, status: int = 200) -> Template:
        person = await records.visible_person(user, person_id)
        stored = await trainings.get_external_training(user, person_id, training_id)
        if not records.may_record_trainings(user, person):
            raise PermissionDenied(trainings.ONLY_THE_OFFICE)
        return page("safety/records/training_form.html", status_code=status, person=person, stored=stored,
                    training={**_typed_training(stored), **(typed or {})}, errors=errors or {},
                    course_types=[(course.code, gettext(course.title)) for course in COURSE_TYPES],
                    max_scan_mb=trainings.MAX_SCAN_BYTES // (1024 * 1024), today=records.today_in_rome())

    @get("/attestati/{training_id:int}", name="safety_record_training")
    async def edit_training(self, user: NamedDependency[CurrentUser], person_id: FromPath[int],
                            training_id: FromPath[int]) -> Template:
        return await self._edit(user, person_id, training_id)

    @post("/attestati/{training_id:int}", name="safety_record_training_update", request_max_body_size=UPLOAD_LIMIT)
    async def update_training(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                              person_id: FromPath[int], training_id: FromPath[int]) -> Template | Redirect:
        data, scan = await _form_with_file(request)
        try:
            await trainings.update_external_training(user, person_id, training_id, _training_input(data), scan,
                                                     remove_scan=data.get("remove_scan") == "on")
        except DomainError as exc:
            return await self._edit(user, person_id, training_id, data, form_errors(exc), exc.status_code)
        flash(request, gettext("Attestato corretto."))
        return redirect(f"/people/{person_id}/safety-record")

    @post("/attestati/{training_id:int}/delete", name="safety_record_training_delete")
    async def delete_training(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                              person_id: FromPath[int], training_id: FromPath[int]) -> Redirect:
        await trainings.delete_external_training(user, person_id, training_id)
        flash(request, gettext("Attestato eliminato."))
        return redirect(f"/people/{person_id}/safety-record")

    @get("/attestati/{training_id:int}/scan.pdf", name="safety_record_scan", media_type="application/pdf")
    async def scan(self, user: NamedDependency[CurrentUser], person_id: FromPath[int],
                   training_id: FromPath[int]) -> Response[bytes]:
        content, filename = await trainings.read_scan(user, person_id, training_id)
        return Response(content=content, media_type="application/pdf", headers=attachment(filename))


ROUTES = [SafetyRecordPages]
