"""The trainer's pages for courses: "I miei corsi", the course form, the management page and the course's
actions (publish, complete, cancel, delete a draft, copy into a new edition).

Controllers parse the form, call one service and render; refusals come back next to the field (the
form) or as a message on the management page (the actions). Trainers, coordinators and the office.
"""

from __future__ import annotations

import contextlib
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from training_hub.attendance.access import can_take_attendance
from training_hub.catalogue.access import trainer_candidates
from training_hub.catalogue.courses import (
    cancel_course,
    complete_course,
    copy_course,
    create_course,
    delete_draft_course,
    get_course_detail,
    get_manageable_course_detail,
    publish_course,
    update_course,
)
from training_hub.catalogue.forms import (
    STATUS_LABELS,
    TRAINER_PAGE_SIZE,
    checked,
    course_form_values,
    course_input,
    form_from_post,
    labels,
    page_errors,
    published_message,
    run_course_action,
    split_issues,
)
from training_hub.catalogue.listing import MAX_PAGE, list_managed_courses
from training_hub.catalogue.locations import list_locations
from training_hub.catalogue.path_order import course_publishing_warnings
from training_hub.catalogue.paths import get_path, paths_for_new_course
from training_hub.catalogue.safety_courses import safety_type_options
from training_hub.core.errors import DomainError, NotFound
from training_hub.core.i18n import gettext
from training_hub.core.parsing import parse_id
from training_hub.core.tables import Area, CourseStatus, DeliveryMode, Role
from training_hub.core.timeutil import utcnow
from training_hub.core.wording import next_edition_title
from training_hub.directory.service import list_cooperatives
from training_hub.web.auth import CurrentUser, provide_user, requires_staff
from training_hub.web.responses import flash, form_dict, form_errors, page, redirect


class TrainerCoursePages(Controller):
    path = "/trainer"
    guards = [requires_staff]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    # Lists ----------------------------------------------------------------------------------------

    @get("/courses", name="trainer_courses")
    async def my_courses(
        self, user: NamedDependency[CurrentUser], status: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None, page_number: FromQuery[str | None] = None,
    ) -> Template:
        # isdecimal, not isdigit: int() refuses "²", which isdigit accepts.
        text = (page_number or "").strip()
        number = int(text) if text.isdecimal() and 0 < int(text) <= MAX_PAGE else 1
        status = status if status in STATUS_LABELS else None
        items, total = await list_managed_courses(user, status=status, q=q, page=number,
                                                  page_size=TRAINER_PAGE_SIZE)
        return page("catalogue/trainer_courses.html", courses=items, total=total, page_number=number,
                    pages=max(1, -(-total // TRAINER_PAGE_SIZE)), filters={"status": status or "", "q": q or ""},
                    **labels())

    # Course form -----------------------------------------------------------------------------------

    async def _course_form(self, user: CurrentUser, form: dict[str, Any], errors: dict[str, str], *,
                           status: int = 200) -> Template:
        paths = await paths_for_new_course(user)
        if form.get("id"):
            # The course's own path may not be one the user could add courses to: offer it anyway.
            current = parse_id(form.get("path_id"))
            if current and current > 0 and all(p["id"] != current for p in paths):
                with contextlib.suppress(NotFound):  # a made-up id: the field's error says so
                    paths.append(await get_path(user, current))
        owner = next((p["owner_cooperative_id"] for p in paths if str(p["id"]) == str(form.get("path_id"))), None)
        return page(
            "catalogue/course_form.html", status_code=status, form=form, errors=errors, paths=paths,
            locations=await list_locations(active_only=True),
            trainers=await trainer_candidates(owner if owner is not None else user.cooperative_id
                                                       if user.has_role(Role.COORDINATOR) else None),
            cooperatives=await list_cooperatives(active_only=True), areas=[a.value for a in Area],
            delivery_modes=[m.value for m in DeliveryMode], safety_types=safety_type_options(), **labels(),
        )

    @get("/courses/new", name="course_new")
    async def new_course(self, user: NamedDependency[CurrentUser], path_id: FromQuery[str | None] = None) -> Template:
        form = {"path_id": path_id or "", "capacity": 20, "attendance_threshold": 70,
                "delivery_mode": DeliveryMode.IN_PRESENCE.value, "trainer_ids": [str(user.id)]}
        return await self._course_form(user, form, {})

    @post("/courses/new", name="course_create")
    async def create_course(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            course = await create_course(user, course_input(data))
        except DomainError as exc:
            return await self._course_form(user, form_from_post(data), form_errors(exc), status=exc.status_code)
        flash(request, gettext("Corso creato in bozza: ora aggiungi gli incontri."))
        return redirect(f"/trainer/courses/{course['id']}")

    @get("/courses/{course_id:int}", name="course_manage")
    async def manage_course(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        course = await get_manageable_course_detail(user, course_id)
        # The attendance pages and the registers are the course's trainers' and the office's (a
        # coordinator managing an internal course sees the participants, not the registers).
        return page("catalogue/course_manage.html", course=course, sessions=course["sessions"],
                    now=utcnow(), can_take_attendance=await can_take_attendance(user, course_id),
                    publish_warnings=await course_publishing_warnings(course_id) if course["status"] == "draft" else [],
                    **labels())

    @get("/courses/{course_id:int}/edit", name="course_edit")
    async def edit_course(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        course = await get_manageable_course_detail(user, course_id)
        return await self._course_form(user, course_form_values(course), {})

    @post("/courses/{course_id:int}/edit", name="course_update")
    async def update_course(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                            course_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await update_course(user, course_id, course_input(data))
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            form = {**form_from_post(data), "id": course_id}
            return await self._course_form(user, form, form_errors(exc), status=exc.status_code)
        flash(request, gettext("Modifiche salvate."))
        return redirect(f"/trainer/courses/{course_id}")

    # Course actions ------------------------------------------------------------------------------

    @post("/courses/{course_id:int}/publish", name="course_publish")
    async def publish(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Redirect:
        data = await form_dict(request)
        call = publish_course(user, course_id, confirm_warnings=checked(data, "confirm_warnings"))
        return await run_course_action(request, course_id, call, published_message)

    @post("/courses/{course_id:int}/complete", name="course_complete")
    async def complete(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Redirect:
        return await run_course_action(request, course_id, complete_course(user, course_id),
                                       gettext("Corso segnato come concluso."))

    @get("/courses/{course_id:int}/delete", name="course_delete_form")
    async def delete_course_form(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template | Redirect:
        course = await get_manageable_course_detail(user, course_id)
        if course["status"] != CourseStatus.DRAFT:
            return redirect(f"/trainer/courses/{course_id}")  # the page offers to cancel it instead
        return page("catalogue/confirm_delete.html", course=course, session=None,
                    action=f"/trainer/courses/{course_id}/delete")

    @post("/courses/{course_id:int}/delete", name="course_delete")
    async def delete_course(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Redirect:
        return await run_course_action(request, course_id, delete_draft_course(user, course_id),
                                       gettext("Bozza eliminata."), target="/trainer/courses")

    @get("/courses/{course_id:int}/cancel", name="course_cancel_form")
    async def cancel_course_form(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        course = await get_manageable_course_detail(user, course_id)
        return page("catalogue/confirm_cancel.html", course=course, session=None, errors={}, reason="",
                    action=f"/trainer/courses/{course_id}/cancel", **labels())

    @post("/courses/{course_id:int}/cancel", name="course_cancel")
    async def cancel_course(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Redirect:
        data = await form_dict(request)
        return await run_course_action(request, course_id, cancel_course(user, course_id, str(data.get("reason", ""))),
                                       gettext("Corso annullato: chi era iscritto riceverà un avviso."))

    @get("/courses/{course_id:int}/copy", name="course_copy_form")
    async def copy_form(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        course = await get_manageable_course_detail(user, course_id)
        # Suggested, to change at will: a numbered title, and no funder code (it belongs to one edition).
        form = {"title": next_edition_title(course["title"]), "funder_plan_code": ""}
        return page("catalogue/copy_form.html", course=course, form=form, errors={}, issues=None, **labels())

    @post("/courses/{course_id:int}/copy", name="course_copy")
    async def copy(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            copy = await copy_course(user, course_id, first_day=str(data.get("first_day") or "") or None,
                                     confirm_warnings=checked(data, "confirm_warnings"),
                                     # absent (an older form): kept as they are
                                     title=None if data.get("title") is None else str(data["title"]),
                                     funder_plan_code=None if data.get("funder_plan_code") is None
                                     else str(data["funder_plan_code"]))
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            course = await get_course_detail(user, course_id)
            return page("catalogue/copy_form.html", status_code=exc.status_code, course=course, form=data,
                        errors=page_errors(exc), issues=split_issues(exc.issues) if exc.issues else None,
                        **labels())
        flash(request, gettext("Nuova edizione creata in bozza: controlla date e iscrizioni prima di pubblicarla."))
        return redirect(f"/trainer/courses/{copy['id']}")


ROUTES = [TrainerCoursePages]
