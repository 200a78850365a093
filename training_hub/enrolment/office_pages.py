"""The office's and the coordinators' enrolment pages: enrolling several people in one step (choose,
see what each would get, confirm), messages to a course's participants, and deactivating a person
after seeing what it cancels.

Controllers only: they parse the form, call one service (``bulk.py``, ``messages.py``,
``deactivation.py``, the directory) and render; refusals come back next to their field. Listed in
``pages.py``'s ``ROUTES`` and in the import-linter contracts of ``pyproject.toml`` as a controller.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from training_hub.core.db import form_id
from training_hub.core.errors import DomainError, ValidationFailed
from training_hub.core.i18n import N_, gettext, ngettext
from training_hub.core.tables import Area, Role
from training_hub.directory import service as directory
from training_hub.enrolment.bulk import BULK_MAX, bulk_candidates, bulk_preview, enrol_many
from training_hub.enrolment.deactivation import deactivation_preview
from training_hub.enrolment.eligibility import STATUS_LABELS, visible_course
from training_hub.enrolment.lists import open_courses
from training_hub.enrolment.messages import (
    AUDIENCE_LABELS,
    VARIABLES,
    audience_sizes,
    course_messages,
    send_course_message,
)
from training_hub.enrolment.panel import barrier_sessions
from training_hub.notifications.compose import course_sessions, scheduled
from training_hub.web.auth import CurrentUser, provide_user, requires_login, requires_role
from training_hub.web.responses import as_list, flash, form_dict, form_errors, page, redirect

BULK_URL = "/enrol-people"


def _checked(data: dict[str, Any], name: str) -> bool:
    return data.get(name) in ("on", "1", "true", "yes")


class BulkEnrolPages(Controller):
    """Step 1: the course and the people (filters, then ticks); step 2: what each would get; step 3: done."""

    path = BULK_URL
    guards = [requires_role(Role.ADMIN, Role.COORDINATOR)]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    async def _choose(
        self,
        user: CurrentUser,
        filters: dict[str, Any],
        *,
        ticked: list[str] | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> Template:
        errors = dict(errors or {})
        course_id = form_id(filters.get("course_id"))
        candidates = None
        if course_id is not None:
            try:
                candidates = await bulk_candidates(
                    user, course_id, cooperative_id=form_id(filters.get("cooperative_id")),
                    area=filters.get("area") or None, role=filters.get("role") or None, q=filters.get("q") or None,
                )
            except ValidationFailed as exc:
                errors.update(form_errors(exc))
                status = exc.status_code
        return page(
            "enrolment/bulk_choose.html",
            status_code=status,
            courses=await open_courses(user),
            course_id=course_id,
            candidates=candidates,
            filters=filters,
            ticked={str(value) for value in ticked or []},
            errors=errors,
            cooperatives=await directory.list_cooperatives(active_only=True) if user.is_admin else [],
            areas=[area.value for area in Area],
            roles=[role.value for role in Role],
            status_labels=STATUS_LABELS,
            bulk_max=BULK_MAX,
        )

    @get("/", name="bulk_enrol")
    async def choose(
        self,
        user: NamedDependency[CurrentUser],
        course_id: FromQuery[str | None] = None,
        cooperative_id: FromQuery[str | None] = None,
        area: FromQuery[str | None] = None,
        role: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
    ) -> Template:
        filters = {"course_id": course_id, "cooperative_id": cooperative_id, "area": area, "role": role, "q": q}
        return await self._choose(user, filters)

    async def _decide(self, request: Request[Any, Any, Any], user: CurrentUser, *, write: bool) -> Template:
        data = await form_dict(request)
        course_id = form_id(data.get("course_id"))
        ticked = as_list(data.get("person_id"))
        filters = {name: data.get(name) for name in ("course_id", "cooperative_id", "area", "role", "q")}
        try:
            if course_id is None:
                raise ValidationFailed(N_("Scegli il corso."), field="course_id")
            action = enrol_many if write else bulk_preview
            result = await action(user, course_id, ticked, confirm_warnings=_checked(data, "confirm_warnings"))
        except DomainError as exc:
            errors = form_errors(exc)
            errors.setdefault("__all__", exc.detail)
            return await self._choose(user, filters, ticked=ticked, errors=errors, status=exc.status_code)
        sessions = scheduled(await course_sessions(result.course.id))
        return page(
            "enrolment/bulk_preview.html",
            result=result,
            filters=filters,
            barrier_sessions=barrier_sessions(sessions),
            confirm_warnings=_checked(data, "confirm_warnings"),
            status_labels=STATUS_LABELS,
        )

    @post("/preview", name="bulk_enrol_preview")
    async def preview(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template:
        return await self._decide(request, user, write=False)

    @post("/", name="bulk_enrol_submit")
    async def submit(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template:
        return await self._decide(request, user, write=True)


class CourseMessagePages(Controller):
    """Write to a course's participants, and the messages already sent."""

    path = "/courses/{course_id:int}/messages"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    async def _page(self, user: CurrentUser, course_id: int, form: dict[str, Any] | None = None,
                    errors: dict[str, str] | None = None, status: int = 200) -> Template:
        sizes = await audience_sizes(user, course_id)
        return page(
            "enrolment/course_messages.html",
            status_code=status,
            course=await visible_course(user, course_id),
            sizes=sizes,
            history=await course_messages(user, course_id),
            form=form or {"to": "confirmed"},
            errors=errors or {},
            audience_labels=AUDIENCE_LABELS,
            variable_list=", ".join("{%s}" % name for name in VARIABLES),
        )

    @get("/", name="course_messages")
    async def show(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        return await self._page(user, course_id)

    @post("/", name="course_messages_send")
    async def send(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]
    ) -> Template | Redirect:
        data = await form_dict(request)
        try:
            result = await send_course_message(user, course_id, data.get("subject"), data.get("body"), data.get("to"))
        except ValidationFailed as exc:
            return await self._page(user, course_id, data, form_errors(exc), exc.status_code)
        flash(request, ngettext("Messaggio in coda per l'invio a %(num)d persona.",
                                "Messaggio in coda per l'invio a %(num)d persone.", result["queued"])
              % {"num": result["queued"]})
        return redirect(f"/courses/{course_id}/messages")


class DeactivationPages(Controller):
    """Deactivating a person: what it cancels first, then what it cancelled."""

    path = "/admin/people/{person_id:int}/deactivate"
    guards = [requires_role(Role.ADMIN, Role.COORDINATOR)]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/", name="person_deactivate_confirm")
    async def confirm(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> Template:
        preview = await deactivation_preview(user, person_id)
        return page("enrolment/deactivate_confirm.html", preview=preview, done=None, status_labels=STATUS_LABELS)

    @post("/", name="person_deactivate")
    async def deactivate(
        self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], person_id: FromPath[int]
    ) -> Template | Redirect:
        person = await directory.get_person(user, person_id)
        if not person["active"]:
            flash(request, gettext(N_("La persona era già disattivata.")))
            return redirect(f"/admin/people/{person_id}")
        data = directory.PersonInput(
            full_name=person["full_name"], email=person["email"], roles=list(person["roles"]),
            cooperative_id=person["cooperative_id"], codice_fiscale=person.get("codice_fiscale"),
            area=person.get("area"), active=False,
        )
        try:
            result = await directory.update_person(user, person_id, data)
        except DomainError as exc:
            preview = await deactivation_preview(user, person_id)
            return page("enrolment/deactivate_confirm.html", status_code=exc.status_code, preview=preview,
                        done=None, error=exc.detail, status_labels=STATUS_LABELS)
        released = result.get("released", [])
        preview = await deactivation_preview(user, person_id)
        return page("enrolment/deactivate_confirm.html", preview=preview, done=released,
                    status_labels=STATUS_LABELS)


ROUTES = [BulkEnrolPages, CourseMessagePages, DeactivationPages]
