"""What the catalogue's pages share: labels, and the mapping between their forms and the services' inputs.

Only translation between HTML forms and the services lives here (field names, checkboxes, Rome times
in ``datetime-local`` inputs, errors renamed to the page's fields); every rule is the services'. The path
form's owner, for one, is what ``paths.owner_from_form`` says the person may set.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from litestar import Request
from litestar.response import Redirect

from training_hub.catalogue.courses import CourseInput
from training_hub.catalogue.locations import LocationInput
from training_hub.catalogue.paths import PathInput, owner_from_form
from training_hub.catalogue.sessions import SeriesInput, SessionInput
from training_hub.core import i18n
from training_hub.core.errors import DomainError, Issue, ScheduleConflict
from training_hub.core.i18n import N_, gettext
from training_hub.core.tables import Area, CourseStatus, DeliveryMode, PathKind, Province
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.web.auth import CurrentUser
from training_hub.web.responses import as_list, flash, form_errors, redirect

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


def weekday_names() -> list[tuple[int, str]]:
    return [(0, i18n.gettext("lunedì")), (1, i18n.gettext("martedì")), (2, i18n.gettext("mercoledì")),
            (3, i18n.gettext("giovedì")), (4, i18n.gettext("venerdì")), (5, i18n.gettext("sabato")),
            (6, i18n.gettext("domenica"))]


# Page field names for the service's session fields.
SESSION_FIELD_MAP = {"starts_at": "start_time", "ends_at": "end_time"}


def labels() -> dict[str, Any]:
    return {"delivery_labels": DELIVERY_LABELS, "status_labels": STATUS_LABELS,
            "session_status_labels": SESSION_STATUS_LABELS}


def local_input(value: datetime | None) -> str:
    """A datetime as the value of an ``<input type="datetime-local">`` (Rome time)."""
    return to_rome(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def text_field(data: dict[str, Any], name: str) -> Any:
    """A typed text as sent: a field sent twice stays a list, which the service refuses next to the field
    (``str()`` of it would store ``['x', 'y']``)."""
    value = data.get(name)
    return value if isinstance(value, list) else str(value or "")


def checked(data: dict[str, Any], name: str) -> bool:
    return data.get(name) in ("on", "true", "1", True)


def page_errors(exc: DomainError, mapping: dict[str, str] | None = None) -> dict[str, str]:
    """Field messages for the form (issues of a conflict too), renamed to the page's fields."""
    errors = form_errors(exc) if not isinstance(exc, ScheduleConflict) else {}
    for issue in exc.issues:
        if issue.severity == "error" and issue.field:
            errors.setdefault(issue.field, issue.text)
    mapping = mapping or {}
    return {mapping.get(name, name): text for name, text in errors.items()}


def split_issues(issues: list[Issue]) -> dict[str, list[str]]:
    return {"errors": [i.text for i in issues if i.severity == "error"],
            "warnings": [i.text for i in issues if i.severity == "warning"]}


def course_input(data: dict[str, Any]) -> CourseInput:
    return CourseInput(
        path_id=data.get("path_id") or None,
        title=text_field(data, "title"),
        capacity=str(data.get("capacity", "")),
        description=text_field(data, "description"),
        delivery_mode=str(data.get("delivery_mode") or ""),
        location_id=data.get("location_id") or None,
        requires_approval=checked(data, "requires_approval"),
        enrolment_opens_at=str(data.get("enrolment_opens_at") or ""),
        enrolment_closes_at=str(data.get("enrolment_closes_at") or ""),
        cancellation_deadline=str(data.get("cancellation_deadline") or ""),
        attendance_threshold=str(data.get("attendance_threshold") or ""),
        funder_plan_code=text_field(data, "funder_plan_code"),
        trainer_ids=as_list(data.get("trainer_ids")),  # type: ignore[arg-type]
        eligible_cooperative_ids=as_list(data.get("eligible_cooperative_ids")),  # type: ignore[arg-type]
        eligible_areas=as_list(data.get("eligible_areas")),
        position=str(data.get("position") or ""),
        safety_course_type=str(data.get("safety_course_type") or ""),
    )


def course_form_values(course: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": course["id"], "status": course["status"], "path_id": course["path"]["id"], "title": course["title"],
        "description": course["description"], "capacity": course["capacity"],
        "delivery_mode": course["delivery_mode"],
        "location_id": course["location"]["id"] if course["location"] else "",
        "requires_approval": course["requires_approval"],
        "enrolment_opens_at": local_input(course["enrolment_opens_at"]),
        "enrolment_closes_at": local_input(course["enrolment_closes_at"]),
        "cancellation_deadline": local_input(course["cancellation_deadline"]),
        "attendance_threshold": course["attendance_threshold"], "funder_plan_code": course["funder_plan_code"] or "",
        "trainer_ids": [str(t["id"]) for t in course["trainers"]],
        "eligible_cooperative_ids": [str(c["id"]) for c in course["eligible_cooperatives"]],
        "eligible_areas": course["eligible_areas"], "position": course["position"],
        "safety_course_type": course.get("safety_course_type") or "",
    }


def session_input(data: dict[str, Any]) -> SessionInput:
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


def session_form_values(session: dict[str, Any]) -> dict[str, Any]:
    start, end = to_rome(session["starts_at"]), to_rome(session["ends_at"])
    return {
        "id": session["id"], "day": start.strftime("%Y-%m-%d"), "start_time": start.strftime("%H:%M"),
        "end_time": end.strftime("%H:%M"), "location_id": session["location"]["id"] if session["location"] else "",
        "online_url": session["online_url"] or "", "topics": session["topics"],
        "trainer_id": session["trainer"]["id"] if session["trainer"] else "",
    }


def series_input(data: dict[str, Any]) -> SeriesInput:
    return SeriesInput(
        first_day=str(data.get("first_day") or ""), weekdays=as_list(data.get("weekdays")),  # type: ignore[arg-type]
        start_time=str(data.get("start_time") or ""), end_time=str(data.get("end_time") or ""),
        count=str(data.get("count") or ""), until=str(data.get("until") or ""),
        location_id=data.get("location_id") or None, online_url=str(data.get("online_url") or ""),
        topics=str(data.get("topics") or ""), trainer_id=data.get("trainer_id") or None,
    )


def form_from_post(data: dict[str, Any]) -> dict[str, Any]:
    """Submitted values to refill a form; multi-value fields stay lists."""
    form = dict(data)
    for name in ("trainer_ids", "eligible_cooperative_ids", "eligible_areas", "weekdays"):
        form[name] = as_list(data.get(name))
    for name in ("requires_approval", "sequential", "step_free_access", "is_online", "active", "confirm_warnings"):
        form[name] = checked(data, name)
    form.pop("_csrf_token", None)
    return form


def path_input(user: CurrentUser, data: dict[str, Any], current: dict[str, Any] | None = None) -> PathInput:
    """The submitted path form; the owner is what the paths service says this user may set."""
    return PathInput(kind=str(data.get("kind") or ""), title=text_field(data, "title"),
                     description=text_field(data, "description"), objectives=text_field(data, "objectives"),
                     sequential=checked(data, "sequential"),
                     owner_cooperative_id=owner_from_form(user, data.get("owner_cooperative_id"), current))


def published_message(course: dict[str, Any]) -> str:
    # The catalogue lists courses that have not ended yet: one entered after it was held is published
    # for its participants' records, but nobody will find it there.
    if course.get("ends_at") is not None and course["ends_at"] <= utcnow():
        return gettext("Corso pubblicato. I suoi incontri sono già tutti passati: non compare nel catalogo.")
    return gettext("Corso pubblicato: ora è nel catalogo.")


def location_input(data: dict[str, Any]) -> LocationInput:
    return LocationInput(
        name=text_field(data, "name"), address=text_field(data, "address"), comune=text_field(data, "comune"),
        province=str(data.get("province") or "") or None, capacity=str(data.get("capacity") or "") or None,
        step_free_access=checked(data, "step_free_access"), is_online=checked(data, "is_online"),
        notes=text_field(data, "notes"), active=checked(data, "active"),
        patron_day=str(data.get("patron_day") or ""), patron_saint=text_field(data, "patron_saint"),
    )


def location_form(location: dict[str, Any]) -> dict[str, Any]:
    """A stored location as its form shows it: the patron's day as gg/mm."""
    month_day = location.get("patron_day") or ""
    shown = "/".join(reversed(month_day.split("-"))) if month_day else ""
    return {**location, "patron_day": shown}


async def run_course_action(request: Request[Any, Any, Any], course_id: int, call: Any,
                            done: str | Callable[[Any], str], target: str | None = None) -> Redirect:
    """Run a course action from the course's management page; ``done`` is the message, or makes it from
    the action's result. A refusal comes back as a message on that page (403 and 404 stay errors)."""
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
