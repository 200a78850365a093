"""The trainer's pages for sessions: add one or a weekly series, move, cancel or delete one.

Each form can be checked first ("Verifica"): the scheduling's conflicts and warnings are shown without
saving; warnings are saved only once confirmed. The rules are ``catalogue.sessions``' and
``catalogue.scheduling``'s.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template

from training_hub.catalogue.access import trainer_candidates
from training_hub.catalogue.courses import get_course_detail, get_manageable_course_detail
from training_hub.catalogue.forms import (
    SESSION_FIELD_MAP,
    checked,
    form_from_post,
    labels,
    page_errors,
    run_course_action,
    series_input,
    session_form_values,
    session_input,
    split_issues,
    weekday_names,
)
from training_hub.catalogue.locations import list_locations
from training_hub.catalogue.series_preview import preview_series
from training_hub.catalogue.sessions import (
    SessionInput,
    cancel_session,
    check_session_change,
    check_sessions,
    create_series,
    create_session,
    delete_draft_session,
    get_session_for_edit,
    update_session,
)
from training_hub.core.errors import DomainError, Issue
from training_hub.core.i18n import gettext
from training_hub.core.tables import CourseStatus
from training_hub.web.auth import CurrentUser, provide_user, requires_staff
from training_hub.web.responses import flash, form_dict, page, redirect


class TrainerSessionPages(Controller):
    path = "/trainer"
    guards = [requires_staff]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    # Sessions ---------------------------------------------------------------------------------------

    async def _session_page(self, user: CurrentUser, course: dict[str, Any], form: dict[str, Any],
                            errors: dict[str, str], *, template: str, issues: dict[str, list[str]] | None = None,
                            checked: bool = False, checking: bool = False, status: int = 200,
                            preview: dict[str, Any] | None = None) -> Template:
        return page(
            template, status_code=status, course=course, form=form, errors=errors, issues=issues, checked=checked,
            checking=checking, preview=preview,
            locations=await list_locations(active_only=True),
            trainers=await trainer_candidates(course["path"]["owner_cooperative_id"]),
            weekdays=weekday_names(), **labels(),
        )

    async def _save_sessions(self, request: Request[Any, Any, Any], user: CurrentUser, course_id: int,
                             template: str, build: Any, create: Any, check: Any, done: str,
                             session_id: int | None = None, preview: Any = None) -> Template | Redirect:
        data = await form_dict(request)
        form = form_from_post(data)
        if session_id is not None:
            form["id"] = session_id
        course = await get_manageable_course_detail(user, course_id)
        payload = build(data)
        try:
            if data.get("action") == "check":
                # A series lists the dates it will create, each with its findings (series_preview.py).
                planned = await preview(payload) if preview is not None else None
                issues = planned["issues"] if planned is not None else await check(payload)
                return await self._session_page(user, course, form, {}, template=template,
                                                issues=split_issues(issues), checked=True, preview=planned)
            await create(payload, checked(data, "confirm_warnings"))
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            errors = page_errors(exc, SESSION_FIELD_MAP)
            if "day" in data and not str(data.get("day") or "").strip() and "start_time" in errors:
                errors["day"] = gettext("Indica il giorno dell'incontro.")
                errors.pop("start_time", None)
                errors.pop("end_time", None)
            return await self._session_page(
                user, course, form, errors, template=template,
                issues=split_issues(exc.issues) if exc.issues else None, checking=data.get("action") == "check",
                status=exc.status_code)
        flash(request, done)
        return redirect(f"/trainer/courses/{course_id}")

    @get("/courses/{course_id:int}/sessions/new", name="session_new")
    async def new_session(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        course = await get_manageable_course_detail(user, course_id)
        last = next((s for s in reversed(course["sessions"]) if s["status"] == "scheduled"), None)
        form: dict[str, Any] = {"location_id": course["location"]["id"] if course["location"] else ""}
        if last:
            form.update({k: v for k, v in session_form_values(last).items()
                         if k in ("start_time", "end_time", "location_id", "online_url")})
        return await self._session_page(user, course, form, {}, template="catalogue/session_form.html")

    @post("/courses/{course_id:int}/sessions/new", name="session_create")
    async def create_session(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template | Redirect:
        return await self._save_sessions(
            request, user, course_id, "catalogue/session_form.html", session_input,
            lambda payload, confirm: create_session(user, course_id, payload, confirm_warnings=confirm),
            lambda payload: check_sessions(user, course_id, payload), gettext("Incontro aggiunto."))

    @get("/courses/{course_id:int}/sessions/series", name="series_new")
    async def new_series(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        course = await get_manageable_course_detail(user, course_id)
        form = {"location_id": course["location"]["id"] if course["location"] else "", "weekdays": []}
        return await self._session_page(user, course, form, {}, template="catalogue/series_form.html")

    @post("/courses/{course_id:int}/sessions/series", name="series_create")
    async def create_series(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template | Redirect:
        return await self._save_sessions(
            request, user, course_id, "catalogue/series_form.html", series_input,
            lambda payload, confirm: create_series(user, course_id, payload, confirm_warnings=confirm),
            lambda payload: check_sessions(user, course_id, payload), gettext("Serie di incontri aggiunta."),
            preview=lambda payload: preview_series(user, course_id, payload))

    @get("/sessions/{session_id:int}/edit", name="session_edit")
    async def edit_session(self, user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Template:
        session = await get_session_for_edit(user, session_id)
        course = await get_course_detail(user, session["course_id"])
        return await self._session_page(user, course, session_form_values(session), {},
                                        template="catalogue/session_form.html")

    @post("/sessions/{session_id:int}/edit", name="session_update")
    async def update_session(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Template | Redirect:
        session = await get_session_for_edit(user, session_id)
        course_id = session["course_id"]

        async def check(payload: SessionInput) -> list[Issue]:
            return await check_session_change(user, session_id, payload)

        return await self._save_sessions(
            request, user, course_id, "catalogue/session_form.html", session_input,
            lambda payload, confirm: update_session(user, session_id, payload, confirm_warnings=confirm),
            check, gettext("Incontro aggiornato."), session_id=session_id)

    @get("/sessions/{session_id:int}/cancel", name="session_cancel_form")
    async def cancel_session_form(self, user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Template:
        session = await get_session_for_edit(user, session_id)
        course = await get_course_detail(user, session["course_id"])
        return page("catalogue/confirm_cancel.html", course=course, session=session, errors={}, reason="",
                    action=f"/trainer/sessions/{session_id}/cancel", **labels())

    @post("/sessions/{session_id:int}/cancel", name="session_cancel")
    async def cancel_session(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Redirect:
        session = await get_session_for_edit(user, session_id)
        data = await form_dict(request)
        return await run_course_action(request, session["course_id"],
                                       cancel_session(user, session_id, str(data.get("reason", ""))),
                                       gettext("Incontro annullato."))

    @get("/sessions/{session_id:int}/delete", name="session_delete_form")
    async def delete_session_form(self, user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Template | Redirect:
        session = await get_session_for_edit(user, session_id)
        course = await get_course_detail(user, session["course_id"])
        if course["status"] != CourseStatus.DRAFT:
            return redirect(f"/trainer/courses/{course['id']}")
        return page("catalogue/confirm_delete.html", course=course, session=session,
                    action=f"/trainer/sessions/{session_id}/delete")

    @post("/sessions/{session_id:int}/delete", name="session_delete")
    async def delete_session(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Redirect:
        session = await get_session_for_edit(user, session_id)
        return await run_course_action(request, session["course_id"], delete_draft_session(user, session_id),
                                       gettext("Incontro eliminato."))


ROUTES = [TrainerSessionPages]
