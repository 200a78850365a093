"""Catalogue pages: the catalogue, course and path pages for everyone; the trainer's pages to create,
schedule, publish and cancel courses; locations for the training office.

Every page works without JavaScript; with HTMX the catalogue's results follow the filters as they
change (the same URL answers with just the results for an HTMX request).
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from litestar import Controller, MediaType, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from markupsafe import Markup

from training_hub.attendance.service import can_manage_attendance
from training_hub.catalogue import service
from training_hub.catalogue.service import CourseInput, LocationInput, PathInput, SeriesInput, SessionInput
from training_hub.core.cache import MISSING, ReadCache, data_generation
from training_hub.core.errors import DomainError, Issue, NotFound, PermissionDenied, ScheduleConflict
from training_hub.core.i18n import N_, get_language, gettext
from training_hub.core.parsing import parse_id
from training_hub.core.settings import get_settings
from training_hub.core.tables import Area, CourseStatus, DeliveryMode, PathKind, Province, Role
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.directory.service import list_cooperatives
from training_hub.enrolment.service import course_panel_context
from training_hub.web.auth import CurrentUser, provide_user, requires_admin, requires_login, requires_staff
from training_hub.web.responses import as_list, flash, form_dict, form_errors, is_htmx, page, redirect
from training_hub.web.shell import page_with_body

DELIVERY_LABELS = {
    DeliveryMode.IN_PRESENCE.value: N_("In presenza"),
    DeliveryMode.ONLINE.value: N_("Online"),
    DeliveryMode.BLENDED.value: N_("Mista (presenza e online)"),
    DeliveryMode.E_LEARNING.value: N_("E-learning (a distanza, in differita)"),
}
STATUS_LABELS = {
    CourseStatus.DRAFT.value: N_("Bozza"),
    CourseStatus.PUBLISHED.value: N_("Pubblicato"),
    CourseStatus.COMPLETED.value: N_("Concluso"),
    CourseStatus.CANCELLED.value: N_("Annullato"),
}
SESSION_STATUS_LABELS = {"scheduled": N_("In programma"), "cancelled": N_("Annullato")}
TRAINER_PAGE_SIZE = 25
KINDS = [k.value for k in PathKind]
PROVINCES = [p.value for p in Province]
AREAS = [a.value for a in Area]
DELIVERY_MODES = [m.value for m in DeliveryMode]


class FragmentCache:
    """Rendered HTML fragments, memoised on exactly what they show.

    The key is the template, the language and a complete, hashable description of the context: the
    raw database values the course rows were built from (``CourseRows.fingerprint``, seats included),
    the total, the filters as typed and the messages. A hit is therefore the very HTML rendering would
    produce: nothing goes stale, only rendering is saved. Fragments never read the request or the user
    (no CSRF token, no names). Many people look at the same catalogue page between two changes, and
    rendering twenty course cards costs more than the query that fetches them.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()

    @staticmethod
    def key(template_name: str, context: dict[str, Any]) -> tuple[Any, ...]:
        filters: service.CatalogueFilters = context["filters"]
        return (
            template_name, get_language(), context["courses"].fingerprint, context["total"], context["pages"],
            tuple(sorted(filters.raw.items())), filters.page, filters.page_size,
            tuple(sorted(context["errors"].items())),
        )

    def render(self, request: Request[Any, Any, Any], template_name: str, context: dict[str, Any]) -> Markup:
        key = self.key(template_name, context)
        html = self._items.get(key)
        if html is None:
            environment = request.app.template_engine.engine  # type: ignore[union-attr]
            html = Markup(environment.get_template(template_name).render(**context))
            self._items[key] = html
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(key)
        return html


FRAGMENTS = FragmentCache()
_catalogue_pages: ReadCache[Markup] | None = None


def catalogue_pages() -> ReadCache[Markup]:
    """The catalogue's rendered results, by query string, language and view (see ``catalogue``)."""
    global _catalogue_pages
    if _catalogue_pages is None:
        _catalogue_pages = ReadCache(ttl=get_settings().catalogue_cache_seconds, size=512)
    return _catalogue_pages

# Page field names for the service's session fields.
SESSION_FIELD_MAP = {"starts_at": "start_time", "ends_at": "end_time"}


def labels() -> dict[str, Any]:
    return {"delivery_labels": DELIVERY_LABELS, "status_labels": STATUS_LABELS,
            "session_status_labels": SESSION_STATUS_LABELS}


def _local_input(value: datetime | None) -> str:
    """A datetime as the value of an ``<input type="datetime-local">`` (Rome time)."""
    return to_rome(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def _checked(data: dict[str, Any], name: str) -> bool:
    return data.get(name) in ("on", "true", "1", True)


def _page_errors(exc: DomainError, mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Field messages for the form (issues of a conflict too), renamed to the page's fields."""
    errors = form_errors(exc) if not isinstance(exc, ScheduleConflict) else {}
    for issue in exc.issues:
        if issue.severity == "error" and issue.field:
            errors.setdefault(issue.field, issue.text)
    mapping = mapping or {}
    return {mapping.get(name, name): text for name, text in errors.items()}


def _split_issues(issues: list[Issue]) -> dict[str, list[str]]:
    return {"errors": [i.text for i in issues if i.severity == "error"],
            "warnings": [i.text for i in issues if i.severity == "warning"]}


# Everyone: catalogue, course, paths ---------------------------------------------------------------


class CataloguePages(Controller):
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    @get("/courses", name="catalogue")
    async def catalogue(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Response[str]:
        htmx = is_htmx(request)
        headers = {"Vary": "HX-Request"}
        # The same query string, seen by someone with the same view of the catalogue, in the same
        # language: the same content (read again after any write, see cache.py).
        key = (request.scope["query_string"], htmx, get_language(), service.catalogue_view_key(user))
        cache = catalogue_pages()
        html = cache.get(key)
        if html is MISSING:
            generation = data_generation()
            html = await self._render_results(request, user, htmx)
            cache.put(key, html, generation=generation)
        if htmx:
            return Response(html, media_type=MediaType.HTML, headers=headers)
        return page_with_body(request, "catalogue/catalogue.html", html, headers=headers)

    @staticmethod
    async def _render_results(request: Request[Any, Any, Any], user: CurrentUser, htmx: bool) -> Markup:
        filters, errors = service.parse_catalogue_filters(
            {name: request.query_params.get(name) for name in service.FILTER_NAMES})
        items, total = await service.search_catalogue(user, filters)
        context = dict(
            courses=items, total=total, filters=filters, errors={k: gettext(v) for k, v in errors.items()},
            pages=max(1, -(-total // filters.page_size)), kinds=KINDS, provinces=PROVINCES, areas=AREAS,
            delivery_modes=DELIVERY_MODES, **labels(),
        )
        template = "catalogue/_results.html" if htmx else "catalogue/_catalogue_body.html"
        return FRAGMENTS.render(request, template, context)

    @get("/courses/{course_id:int}", name="course")
    async def course(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        course = await service.get_course_detail(user, course_id)
        return page(
            "catalogue/course.html", course=course, sessions=course["sessions"], user=user,
            is_trainer=course["is_trainer"], can_manage=course["can_manage"],
            enrolment_panel=await course_panel_context(user, course_id),
            calendar_url=f"/calendar/courses/{course_id}.ics", **labels(),
        )

    @get("/paths", name="paths")
    async def paths_page(self, user: NamedDependency[CurrentUser]) -> Template:
        paths = await service.list_paths(user)
        return page("catalogue/paths.html", paths=paths, kinds=[k.value for k in PathKind],
                    can_create=user.has_role(Role.ADMIN, Role.TRAINER, Role.COORDINATOR))

    @get("/paths/{path_id:int}", name="path")
    async def path_page(self, user: NamedDependency[CurrentUser], path_id: FromPath[int]) -> Template:
        path = await service.get_path_detail(user, path_id)
        return page("catalogue/path.html", path=path, courses=path["courses"],
                    calendar_url=f"/calendar/paths/{path_id}.ics", **labels())


# Trainers, coordinators, admins: courses and sessions ----------------------------------------------


def _course_input(data: dict[str, Any]) -> CourseInput:
    return CourseInput(
        path_id=data.get("path_id") or None,
        title=str(data.get("title", "")),
        capacity=str(data.get("capacity", "")),
        description=str(data.get("description", "")),
        delivery_mode=str(data.get("delivery_mode") or ""),
        location_id=data.get("location_id") or None,
        requires_approval=_checked(data, "requires_approval"),
        enrolment_opens_at=str(data.get("enrolment_opens_at") or ""),
        enrolment_closes_at=str(data.get("enrolment_closes_at") or ""),
        cancellation_deadline=str(data.get("cancellation_deadline") or ""),
        attendance_threshold=str(data.get("attendance_threshold") or ""),
        funder_plan_code=str(data.get("funder_plan_code") or ""),
        trainer_ids=as_list(data.get("trainer_ids")),  # type: ignore[arg-type]
        eligible_cooperative_ids=as_list(data.get("eligible_cooperative_ids")),  # type: ignore[arg-type]
        eligible_areas=as_list(data.get("eligible_areas")),
        position=str(data.get("position") or ""),
    )


def _course_form_values(course: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": course["id"], "status": course["status"], "path_id": course["path"]["id"], "title": course["title"],
        "description": course["description"], "capacity": course["capacity"],
        "delivery_mode": course["delivery_mode"],
        "location_id": course["location"]["id"] if course["location"] else "",
        "requires_approval": course["requires_approval"],
        "enrolment_opens_at": _local_input(course["enrolment_opens_at"]),
        "enrolment_closes_at": _local_input(course["enrolment_closes_at"]),
        "cancellation_deadline": _local_input(course["cancellation_deadline"]),
        "attendance_threshold": course["attendance_threshold"], "funder_plan_code": course["funder_plan_code"] or "",
        "trainer_ids": [str(t["id"]) for t in course["trainers"]],
        "eligible_cooperative_ids": [str(c["id"]) for c in course["eligible_cooperatives"]],
        "eligible_areas": course["eligible_areas"], "position": course["position"],
    }


def _session_input(data: dict[str, Any]) -> SessionInput:
    day = str(data.get("day") or "").strip()
    start, end = str(data.get("start_time") or "").strip(), str(data.get("end_time") or "").strip()
    return SessionInput(
        starts_at=f"{day}T{start}" if day and start else "",
        ends_at=f"{day}T{end}" if day and end else "",
        location_id=data.get("location_id") or None,
        online_url=str(data.get("online_url") or ""),
        topics=str(data.get("topics") or ""),
        trainer_id=data.get("trainer_id") or None,
    )


def _session_form_values(session: dict[str, Any]) -> dict[str, Any]:
    start, end = to_rome(session["starts_at"]), to_rome(session["ends_at"])
    return {
        "id": session["id"], "day": start.strftime("%Y-%m-%d"), "start_time": start.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"), "location_id": session["location"]["id"] if session["location"] else "",
        "online_url": session["online_url"] or "", "topics": session["topics"],
        "trainer_id": session["trainer"]["id"] if session["trainer"] else "",
    }


def _series_input(data: dict[str, Any]) -> SeriesInput:
    return SeriesInput(
        first_day=str(data.get("first_day") or ""), weekdays=as_list(data.get("weekdays")),  # type: ignore[arg-type]
        start_time=str(data.get("start_time") or ""), end_time=str(data.get("end_time") or ""),
        count=str(data.get("count") or ""), until=str(data.get("until") or ""),
        location_id=data.get("location_id") or None, online_url=str(data.get("online_url") or ""),
        topics=str(data.get("topics") or ""), trainer_id=data.get("trainer_id") or None,
    )


class TrainerPages(Controller):
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
        number = int(text) if text.isdecimal() and 0 < int(text) <= service.MAX_PAGE else 1
        status = status if status in STATUS_LABELS else None
        items, total = await service.list_managed_courses(user, status=status, q=q, page=number,
                                                          page_size=TRAINER_PAGE_SIZE)
        return page("catalogue/trainer_courses.html", courses=items, total=total, page_number=number,
                    pages=max(1, -(-total // TRAINER_PAGE_SIZE)), filters={"status": status or "", "q": q or ""},
                    **labels())

    # Course form -----------------------------------------------------------------------------------

    async def _course_form(self, user: CurrentUser, form: dict[str, Any], errors: dict[str, str], *,
                           status: int = 200) -> Template:
        paths = await service.paths_for_new_course(user)
        if form.get("id"):
            # The course's own path may not be one the user could add courses to: offer it anyway.
            current = parse_id(form.get("path_id"))
            if current and current > 0 and all(p["id"] != current for p in paths):
                with contextlib.suppress(NotFound):  # a made-up id: the field's error says so
                    paths.append(await service.get_path(user, current))
        owner = next((p["owner_cooperative_id"] for p in paths if str(p["id"]) == str(form.get("path_id"))), None)
        return page(
            "catalogue/course_form.html", status_code=status, form=form, errors=errors, paths=paths,
            locations=await service.list_locations(active_only=True),
            trainers=await service.trainer_candidates(owner if owner is not None else user.cooperative_id
                                                       if user.has_role(Role.COORDINATOR) else None),
            cooperatives=await list_cooperatives(active_only=True), areas=[a.value for a in Area],
            delivery_modes=[m.value for m in DeliveryMode], **labels(),
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
            course = await service.create_course(user, _course_input(data))
        except DomainError as exc:
            return await self._course_form(user, _form_from_post(data), form_errors(exc), status=exc.status_code)
        flash(request, gettext("Corso creato in bozza: ora aggiungi gli incontri."))
        return redirect(f"/trainer/courses/{course['id']}")

    @get("/courses/{course_id:int}", name="course_manage")
    async def manage_course(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        course = await service.get_manageable_course_detail(user, course_id)
        # The attendance pages and the registers are the course's trainers' and the office's (a
        # coordinator managing an internal course sees the participants, not the registers).
        return page("catalogue/course_manage.html", course=course, sessions=course["sessions"],
                    now=utcnow(), can_take_attendance=await can_manage_attendance(user, course_id), **labels())

    @get("/courses/{course_id:int}/edit", name="course_edit")
    async def edit_course(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        course = await service.get_manageable_course_detail(user, course_id)
        return await self._course_form(user, _course_form_values(course), {})

    @post("/courses/{course_id:int}/edit", name="course_update")
    async def update_course(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                            course_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await service.update_course(user, course_id, _course_input(data))
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            form = {**_form_from_post(data), "id": course_id}
            return await self._course_form(user, form, form_errors(exc), status=exc.status_code)
        flash(request, gettext("Modifiche salvate."))
        return redirect(f"/trainer/courses/{course_id}")

    # Course actions ------------------------------------------------------------------------------

    async def _action(self, request: Request[Any, Any, Any], course_id: int, call: Any,
                      done: str | Callable[[Any], str], target: str | None = None) -> Redirect:
        """Run a course action; ``done`` is the message, or makes it from the action's result."""
        try:
            result = await call
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            messages = list(exc.field_errors.values()) or [exc.detail]
            flash(request, " ".join([exc.detail] + [m for m in messages if m != exc.detail]), "error")
            return redirect(f"/trainer/courses/{course_id}")
        flash(request, done(result) if callable(done) else done)
        return redirect(target or f"/trainer/courses/{course_id}")

    @post("/courses/{course_id:int}/publish", name="course_publish")
    async def publish(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Redirect:
        return await self._action(request, course_id, service.publish_course(user, course_id), _published_message)

    @post("/courses/{course_id:int}/complete", name="course_complete")
    async def complete(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Redirect:
        return await self._action(request, course_id, service.complete_course(user, course_id),
                                  gettext("Corso segnato come concluso."))

    @get("/courses/{course_id:int}/delete", name="course_delete_form")
    async def delete_course_form(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template | Redirect:
        course = await service.get_manageable_course_detail(user, course_id)
        if course["status"] != CourseStatus.DRAFT:
            return redirect(f"/trainer/courses/{course_id}")  # the page offers to cancel it instead
        return page("catalogue/confirm_delete.html", course=course, session=None,
                    action=f"/trainer/courses/{course_id}/delete")

    @post("/courses/{course_id:int}/delete", name="course_delete")
    async def delete_course(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Redirect:
        return await self._action(request, course_id, service.delete_draft_course(user, course_id),
                                  gettext("Bozza eliminata."), target="/trainer/courses")

    @get("/courses/{course_id:int}/cancel", name="course_cancel_form")
    async def cancel_course_form(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        course = await service.get_manageable_course_detail(user, course_id)
        return page("catalogue/confirm_cancel.html", course=course, session=None, errors={}, reason="",
                    action=f"/trainer/courses/{course_id}/cancel", **labels())

    @post("/courses/{course_id:int}/cancel", name="course_cancel")
    async def cancel_course(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Redirect:
        data = await form_dict(request)
        return await self._action(request, course_id, service.cancel_course(user, course_id, str(data.get("reason", ""))),
                                  gettext("Corso annullato: chi era iscritto riceverà un avviso."))

    @get("/courses/{course_id:int}/copy", name="course_copy_form")
    async def copy_form(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        course = await service.get_manageable_course_detail(user, course_id)
        return page("catalogue/copy_form.html", course=course, form={}, errors={}, issues=None, **labels())

    @post("/courses/{course_id:int}/copy", name="course_copy")
    async def copy(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            copy = await service.copy_course(user, course_id, first_day=str(data.get("first_day") or "") or None,
                                             confirm_warnings=_checked(data, "confirm_warnings"))
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            course = await service.get_course_detail(user, course_id)
            return page("catalogue/copy_form.html", status_code=exc.status_code, course=course, form=data,
                        errors=_page_errors(exc), issues=_split_issues(exc.issues) if exc.issues else None,
                        **labels())
        flash(request, gettext("Nuova edizione creata in bozza: controlla date e iscrizioni prima di pubblicarla."))
        return redirect(f"/trainer/courses/{copy['id']}")

    # Sessions ---------------------------------------------------------------------------------------

    async def _session_page(self, user: CurrentUser, course: dict[str, Any], form: dict[str, Any],
                            errors: dict[str, str], *, template: str, issues: dict[str, list[str]] | None = None,
                            checked: bool = False, checking: bool = False, status: int = 200) -> Template:
        return page(
            template, status_code=status, course=course, form=form, errors=errors, issues=issues, checked=checked,
            checking=checking,
            locations=await service.list_locations(active_only=True),
            trainers=await service.trainer_candidates(course["path"]["owner_cooperative_id"]),
            weekdays=service.weekday_names(), **labels(),
        )

    async def _save_sessions(self, request: Request[Any, Any, Any], user: CurrentUser, course_id: int,
                             template: str, build: Any, create: Any, check: Any, done: str,
                             session_id: int | None = None) -> Template | Redirect:
        data = await form_dict(request)
        form = _form_from_post(data)
        if session_id is not None:
            form["id"] = session_id
        course = await service.get_manageable_course_detail(user, course_id)
        payload = build(data)
        try:
            if data.get("action") == "check":
                issues = await check(payload)
                return await self._session_page(user, course, form, {}, template=template,
                                                issues=_split_issues(issues), checked=True)
            await create(payload, _checked(data, "confirm_warnings"))
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            errors = _page_errors(exc, SESSION_FIELD_MAP)
            if "day" in data and not str(data.get("day") or "").strip() and "start_time" in errors:
                errors["day"] = gettext("Indica il giorno dell'incontro.")
                errors.pop("start_time", None)
                errors.pop("end_time", None)
            return await self._session_page(
                user, course, form, errors, template=template,
                issues=_split_issues(exc.issues) if exc.issues else None, checking=data.get("action") == "check",
                status=exc.status_code)
        flash(request, done)
        return redirect(f"/trainer/courses/{course_id}")

    @get("/courses/{course_id:int}/sessions/new", name="session_new")
    async def new_session(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        course = await service.get_manageable_course_detail(user, course_id)
        last = next((s for s in reversed(course["sessions"]) if s["status"] == "scheduled"), None)
        form: dict[str, Any] = {"location_id": course["location"]["id"] if course["location"] else ""}
        if last:
            form.update({k: v for k, v in _session_form_values(last).items()
                         if k in ("start_time", "end_time", "location_id", "online_url")})
        return await self._session_page(user, course, form, {}, template="catalogue/session_form.html")

    @post("/courses/{course_id:int}/sessions/new", name="session_create")
    async def create_session(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template | Redirect:
        return await self._save_sessions(
            request, user, course_id, "catalogue/session_form.html", _session_input,
            lambda payload, confirm: service.create_session(user, course_id, payload, confirm_warnings=confirm),
            lambda payload: service.check_sessions(user, course_id, payload), gettext("Incontro aggiunto."))

    @get("/courses/{course_id:int}/sessions/series", name="series_new")
    async def new_series(self, user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template:
        course = await service.get_manageable_course_detail(user, course_id)
        form = {"location_id": course["location"]["id"] if course["location"] else "", "weekdays": []}
        return await self._session_page(user, course, form, {}, template="catalogue/series_form.html")

    @post("/courses/{course_id:int}/sessions/series", name="series_create")
    async def create_series(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], course_id: FromPath[int]) -> Template | Redirect:
        return await self._save_sessions(
            request, user, course_id, "catalogue/series_form.html", _series_input,
            lambda payload, confirm: service.create_series(user, course_id, payload, confirm_warnings=confirm),
            lambda payload: service.check_sessions(user, course_id, payload), gettext("Serie di incontri aggiunta."))

    @get("/sessions/{session_id:int}/edit", name="session_edit")
    async def edit_session(self, user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Template:
        session = await service.get_session_for_edit(user, session_id)
        course = await service.get_course_detail(user, session["course_id"])
        return await self._session_page(user, course, _session_form_values(session), {},
                                        template="catalogue/session_form.html")

    @post("/sessions/{session_id:int}/edit", name="session_update")
    async def update_session(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Template | Redirect:
        session = await service.get_session_for_edit(user, session_id)
        course_id = session["course_id"]

        async def check(payload: SessionInput) -> list[Issue]:
            return await service.check_session_change(user, session_id, payload)

        return await self._save_sessions(
            request, user, course_id, "catalogue/session_form.html", _session_input,
            lambda payload, confirm: service.update_session(user, session_id, payload, confirm_warnings=confirm),
            check, gettext("Incontro aggiornato."), session_id=session_id)

    @get("/sessions/{session_id:int}/cancel", name="session_cancel_form")
    async def cancel_session_form(self, user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Template:
        session = await service.get_session_for_edit(user, session_id)
        course = await service.get_course_detail(user, session["course_id"])
        return page("catalogue/confirm_cancel.html", course=course, session=session, errors={}, reason="",
                    action=f"/trainer/sessions/{session_id}/cancel", **labels())

    @post("/sessions/{session_id:int}/cancel", name="session_cancel")
    async def cancel_session(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Redirect:
        session = await service.get_session_for_edit(user, session_id)
        data = await form_dict(request)
        return await self._action(request, session["course_id"],
                                  service.cancel_session(user, session_id, str(data.get("reason", ""))),
                                  gettext("Incontro annullato."))

    @get("/sessions/{session_id:int}/delete", name="session_delete_form")
    async def delete_session_form(self, user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Template | Redirect:
        session = await service.get_session_for_edit(user, session_id)
        course = await service.get_course_detail(user, session["course_id"])
        if course["status"] != CourseStatus.DRAFT:
            return redirect(f"/trainer/courses/{course['id']}")
        return page("catalogue/confirm_delete.html", course=course, session=session,
                    action=f"/trainer/sessions/{session_id}/delete")

    @post("/sessions/{session_id:int}/delete", name="session_delete")
    async def delete_session(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], session_id: FromPath[int]) -> Redirect:
        session = await service.get_session_for_edit(user, session_id)
        return await self._action(request, session["course_id"], service.delete_draft_session(user, session_id),
                                  gettext("Incontro eliminato."))

    # Paths ------------------------------------------------------------------------------------------

    async def _path_form(self, user: CurrentUser, form: dict[str, Any], errors: dict[str, str], status: int = 200) -> Template:
        return page("catalogue/path_form.html", status_code=status, form=form, errors=errors,
                    kinds=[k.value for k in PathKind],
                    cooperatives=await list_cooperatives(active_only=True) if user.is_admin else [])

    @get("/paths/new", name="path_new")
    async def new_path(self, user: NamedDependency[CurrentUser]) -> Template:
        kind = PathKind.INTERNAL_TRAINING.value if user.has_role(Role.COORDINATOR) and not user.is_admin else ""
        return await self._path_form(user, {"kind": kind}, {})

    @post("/paths/new", name="path_create")
    async def create_path(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            path = await service.create_path(user, _path_input(user, data))
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            return await self._path_form(user, _form_from_post(data), form_errors(exc), exc.status_code)
        flash(request, gettext("Percorso creato."))
        return redirect(f"/paths/{path['id']}")

    @get("/paths/{path_id:int}/edit", name="path_edit")
    async def edit_path(self, user: NamedDependency[CurrentUser], path_id: FromPath[int]) -> Template:
        path = await service.get_path(user, path_id)
        if not service.can_manage_path(user, path):
            raise PermissionDenied(N_("Non puoi modificare questo percorso."))
        return await self._path_form(user, path, {})

    @post("/paths/{path_id:int}/edit", name="path_update")
    async def update_path(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], path_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        current = await service.get_path(user, path_id)
        try:
            await service.update_path(user, path_id, _path_input(user, data, current))
        except DomainError as exc:
            if exc.status_code in (403, 404):
                raise
            return await self._path_form(user, {**_form_from_post(data), "id": path_id}, form_errors(exc), exc.status_code)
        flash(request, gettext("Modifiche salvate."))
        return redirect(f"/paths/{path_id}")


def _form_from_post(data: dict[str, Any]) -> dict[str, Any]:
    """Submitted values to refill a form; multi-value fields stay lists."""
    form = dict(data)
    for name in ("trainer_ids", "eligible_cooperative_ids", "eligible_areas", "weekdays"):
        form[name] = as_list(data.get(name))
    for name in ("requires_approval", "sequential", "step_free_access", "is_online", "active", "confirm_warnings"):
        form[name] = _checked(data, name)
    form.pop("_csrf_token", None)
    return form


def _path_input(user: CurrentUser, data: dict[str, Any], current: dict[str, Any] | None = None) -> PathInput:
    owner: int | None
    if user.is_admin:
        owner = parse_id(data.get("owner_cooperative_id"))
    else:
        owner = current["owner_cooperative_id"] if current else None
    return PathInput(kind=str(data.get("kind") or ""), title=str(data.get("title") or ""),
                     description=str(data.get("description") or ""), objectives=str(data.get("objectives") or ""),
                     sequential=_checked(data, "sequential"), owner_cooperative_id=owner)


def _published_message(course: dict[str, Any]) -> str:
    # The catalogue lists courses that have not ended yet: one entered after it was held is published
    # for its participants' records, but nobody will find it there.
    if course.get("ends_at") is not None and course["ends_at"] <= utcnow():
        return gettext("Corso pubblicato. I suoi incontri sono già tutti passati: non compare nel catalogo.")
    return gettext("Corso pubblicato: ora è nel catalogo.")


# Training office: locations ---------------------------------------------------------------------------


def _location_input(data: dict[str, Any]) -> LocationInput:
    return LocationInput(
        name=str(data.get("name") or ""), address=str(data.get("address") or ""), comune=str(data.get("comune") or ""),
        province=str(data.get("province") or "") or None, capacity=str(data.get("capacity") or "") or None,
        step_free_access=_checked(data, "step_free_access"), is_online=_checked(data, "is_online"),
        notes=str(data.get("notes") or ""), active=_checked(data, "active"),
        patron_day=str(data.get("patron_day") or ""), patron_saint=str(data.get("patron_saint") or ""),
    )


def _location_form(location: dict[str, Any]) -> dict[str, Any]:
    """A stored location as its form shows it: the patron's day as gg/mm."""
    month_day = location.get("patron_day") or ""
    shown = "/".join(reversed(month_day.split("-"))) if month_day else ""
    return {**location, "patron_day": shown}


class LocationPages(Controller):
    path = "/admin/locations"
    guards = [requires_admin]  # noqa: RUF012
    include_in_schema = False
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}  # noqa: RUF012

    def _form(self, form: dict[str, Any], errors: dict[str, str], status: int = 200) -> Template:
        return page("catalogue/location_form.html", status_code=status, form=form, errors=errors,
                    provinces=[p.value for p in Province])

    @get("/", name="locations")
    async def list_locations(self) -> Template:
        return page("catalogue/locations.html", locations=await service.list_locations())

    @get("/new", name="location_new")
    async def new_location(self) -> Template:
        return self._form({"active": True}, {})

    @post("/new", name="location_create")
    async def create_location(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await service.create_location(user, _location_input(data))
        except DomainError as exc:
            return self._form(_form_from_post(data), form_errors(exc), exc.status_code)
        flash(request, gettext("Sede aggiunta."))
        return redirect("/admin/locations")

    @get("/{location_id:int}", name="location_edit")
    async def edit_location(self, location_id: FromPath[int]) -> Template:
        return self._form(_location_form(await service.get_location(location_id)), {})

    @post("/{location_id:int}", name="location_update")
    async def update_location(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser], location_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await service.update_location(user, location_id, _location_input(data))
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            return self._form({**_form_from_post(data), "id": location_id}, form_errors(exc), exc.status_code)
        flash(request, gettext("Modifiche salvate."))
        return redirect("/admin/locations")


ROUTES = [CataloguePages, TrainerPages, LocationPages]
