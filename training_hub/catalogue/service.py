"""Catalogue and scheduling: training paths, courses (editions), sessions, locations.

The rules other features rely on live here and are imported from here:

* who sees a course — :func:`visible_courses_condition` (a Piccolo ``where`` for course queries),
  :func:`can_view_course`, :func:`get_viewable_course`;
* who changes it — :func:`can_manage_course`, :func:`is_course_trainer`;
* what a course looks like — :func:`get_course_detail` (sessions, seats, trainers, online link only for
  those who may see it);
* scheduling — :func:`create_session`, :func:`create_series`, :func:`update_session` (alias
  :func:`move_session`), :func:`cancel_session`, :func:`check_sessions`, :func:`recompute_course_dates`.

Visibility. Admins see everything. Everyone else sees a course when it is not a draft and its audience
includes them: a cooperative's own path (``TrainingPath.owner_cooperative``) only for that cooperative's
members, and a course restricted to some cooperatives (``CourseEligibleCooperative``) only for their
members. Drafts are seen only by those who manage the course: its trainers, its author, the coordinators
of the cooperative owning the path, and admins. A session's own trainer may see the course too. Areas of
work restrict who the course is meant for (shown, and used by the catalogue's area filter), not who may
read it: coordinators and tutors enrol people of every area.

Seats are computed, never stored: ``seats_taken`` counts confirmed enrolments and ``waitlist_length``
waitlisted ones, with one GROUP BY query for a whole page of courses.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from piccolo.columns.combination import WhereRaw

from training_hub.catalogue.holidays import parse_patron_day
from training_hub.catalogue.scheduling import (
    MAX_SERIES_SESSIONS,
    BookedSession,
    LocationInfo,
    PlannedSession,
    ScheduleContext,
    SeriesRule,
    check_schedule,
    expand_series,
    has_errors,
)
from training_hub.core import i18n
from training_hub.core.audit import record_audit_event
from training_hub.core.cache import MISSING, ReadCache, data_generation
from training_hub.core.db import (
    fetch_all,
    fetch_one,
    is_sqlite,
    lock_for_update,
    write_transaction,
)
from training_hub.core.errors import (
    InvalidState,
    Issue,
    NotFound,
    PermissionDenied,
    ScheduleConflict,
    ValidationFailed,
)
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser, parse_roles
from training_hub.core.parsing import (
    DAY_FORMAT_MESSAGE,
    clean_text,
    parse_clock,
    parse_day,
    parse_id,
    parse_id_list,
    parse_instant_field,
    parse_integer,
)
from training_hub.core.settings import get_settings
from training_hub.core.tables import (
    LIVE_ENROLMENT_STATUSES,
    Area,
    Cooperative,
    Course,
    CourseEligibleArea,
    CourseEligibleCooperative,
    CourseStatus,
    CourseTrainer,
    DeliveryMode,
    Enrolment,
    EnrolmentStatus,
    Location,
    PathKind,
    Person,
    Province,
    Role,
    Session,
    SessionStatus,
    TrainingPath,
)
from training_hub.core.timeutil import (
    minutes_between,
    rome_day_bounds,
    rome_wall_clock,
    to_rome,
    utcnow,
)
from training_hub.notifications.course_notices import (
    notify_course_cancelled,
    notify_session_cancelled,
    notify_session_moved,
)
from training_hub.seats.capacity import change_capacity as change_seats
from training_hub.seats.capacity import parse_capacity
from training_hub.seats.facts import CourseFacts, load_course_facts, read_course
from training_hub.seats.locking import lock_course
from training_hub.seats.state import SeatState, count_sql, seat_columns

# Statuses a course can have and still be read by its audience (drafts: only by who manages it).
PUBLIC_STATUSES = (CourseStatus.PUBLISHED.value, CourseStatus.COMPLETED.value, CourseStatus.CANCELLED.value)
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 100000
ONLINE_URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)

# ------------------------------------------------------------------------------------------------
# Access rules
# ------------------------------------------------------------------------------------------------


def can_manage_course(user: CurrentUser, course: CourseFacts) -> bool:
    """Edit, schedule, publish, cancel: admins, the course's trainers and author (with the trainer role),
    and the coordinators of the cooperative that owns the course's path."""
    if user.is_admin:
        return True
    if user.has_role(Role.TRAINER) and (user.id in course.trainer_ids or user.id == course.created_by):
        return True
    return bool(
        user.has_role(Role.COORDINATOR)
        and user.cooperative_id is not None
        and course.owner_cooperative_id == user.cooperative_id
    )


def in_audience(user: CurrentUser, course: CourseFacts) -> bool:
    """The course is meant for the user's cooperative (its path and its eligibility)."""
    owner = course.owner_cooperative_id
    if owner is not None and owner != user.cooperative_id:
        return False
    return not course.eligible_cooperative_ids or user.cooperative_id in course.eligible_cooperative_ids


def can_view_course(user: CurrentUser, course: CourseFacts, *, enrolled: bool | None = None) -> bool:
    """May the user read the course page? ``enrolled``: they hold an enrolment in it, or (a tutor) someone
    they follow does; by default what the facts say when they were read for ``user``."""
    if can_manage_course(user, course):
        return True
    if user.id in course.trainer_ids or user.id in course.session_trainer_ids:
        return True
    if course.status == CourseStatus.DRAFT:
        return False
    if enrolled is None:
        viewer = course.viewer_for(user)
        enrolled = viewer is not None and (viewer.enrolment_status is not None or viewer.follows_enrolled)
    return enrolled or in_audience(user, course)


def teaches(user: CurrentUser, course: CourseFacts) -> bool:
    """A trainer of the course — one of its trainers, or teaching one of its scheduled sessions — who
    still holds the trainer role (:func:`is_course_trainer` asks the database the same)."""
    return user.has_role(Role.TRAINER) and (
        user.id in course.trainer_ids or user.id in course.scheduled_session_trainer_ids)


# The same rules as SQL, for Piccolo queries (``WhereRaw``) and the hand-written hot paths alike. The
# fragments name the course table "course" (Piccolo's name for it): use ``FROM "course"`` unaliased.
_PUBLIC_STATUSES_SQL = ", ".join(f"'{status}'" for status in PUBLIC_STATUSES)


def _managed_sql(user: CurrentUser) -> tuple[list[str], list[Any]]:
    parts: list[str] = []
    args: list[Any] = []
    if user.has_role(Role.TRAINER):
        parts += ['"course"."id" IN (SELECT course FROM course_trainer WHERE person = {})', '"course"."created_by" = {}']
        args += [user.id, user.id]
    if user.has_role(Role.COORDINATOR) and user.cooperative_id is not None:
        parts.append('"course"."path" IN (SELECT id FROM training_path WHERE owner_cooperative = {})')
        args.append(user.cooperative_id)
    return parts, args


def visible_courses_sql(user: CurrentUser, *, path_alias: str | None = None) -> tuple[str, list[Any]] | None:
    """The visibility rule as an SQL condition on table ``"course"`` with ``{}`` placeholders, and its
    arguments; None for admins (everything). With ``path_alias`` the query already joins the course's
    training path under that name, and the rule reads the owner from it (a plain join: planners cannot
    get it wrong, even before statistics exist)."""
    if user.is_admin:
        return None
    coop = user.cooperative_id
    if path_alias:
        owner = f"{path_alias}.owner_cooperative"
        own_path = f"({owner} IS NULL)" if coop is None else f"({owner} IS NULL OR {owner} = {{}})"
    else:
        own_path = ('"course"."path" IN (SELECT id FROM training_path WHERE owner_cooperative IS NULL'
                    + (")" if coop is None else " OR owner_cooperative = {})"))
    if coop is None:
        audience = f'{own_path} AND "course"."id" NOT IN (SELECT course FROM course_eligible_cooperative)'
        args: list[Any] = []
    else:
        audience = (f'{own_path} AND ("course"."id" NOT IN (SELECT course FROM course_eligible_cooperative) '
                    'OR "course"."id" IN (SELECT course FROM course_eligible_cooperative WHERE cooperative = {}))')
        args = [coop, coop]
    parts = [f'("course"."status" IN ({_PUBLIC_STATUSES_SQL}) AND {audience})']
    if user.has_role(Role.TRAINER):
        parts.append('"course"."id" IN (SELECT course FROM course_session WHERE trainer = {})')
        args.append(user.id)
    managed, managed_args = _managed_sql(user)
    return "(" + " OR ".join(parts + managed) + ")", args + managed_args


def catalogue_view_key(user: CurrentUser) -> tuple[Any, ...]:
    """What decides which published courses ``user`` sees: people with equal keys see the same
    catalogue (the workers of one cooperative, for instance). It is the visibility rule itself, so it
    names a person only where their own courses count."""
    rule = visible_courses_sql(user, path_alias="p")
    return ("all",) if rule is None else (rule[0], *rule[1])


def visible_courses_condition(user: CurrentUser) -> Any | None:
    """A ``where`` condition on ``Course`` selecting what ``user`` may read; None means everything.

    Use it as ``Course.select(...).where(condition)``; the same rule as :func:`visible_courses_sql`.
    """
    rule = visible_courses_sql(user)
    return WhereRaw(rule[0], *rule[1]) if rule is not None else None


def managed_courses_condition(user: CurrentUser) -> Any | None:
    """A ``where`` condition selecting the courses ``user`` manages; None means every course (admins)."""
    if user.is_admin:
        return None
    parts, args = _managed_sql(user)
    return WhereRaw("(" + " OR ".join(parts) + ")", *args) if parts else Course.id == -1


async def is_course_trainer(user_id: int, course_id: int) -> bool:
    """Does the person teach the course (as one of its trainers or in one of its scheduled sessions)?"""
    row = await fetch_one(
        "SELECT 1 AS yes WHERE EXISTS (SELECT 1 FROM course_trainer WHERE course = {} AND person = {}) "
        "OR EXISTS (SELECT 1 FROM course_session WHERE course = {} AND trainer = {} AND status = {})",
        course_id, user_id, course_id, user_id, SessionStatus.SCHEDULED.value,
    )
    return row is not None


async def get_viewable_course(user: CurrentUser, course_id: int) -> CourseFacts:
    """The course's facts (as ``user`` relates to it) if they may read it; NotFound otherwise (never
    reveals that it exists)."""
    course = await load_course_facts(course_id, viewer=user)
    if can_view_course(user, course):
        return course
    raise NotFound(N_("Corso non trovato."))


MANAGE_REFUSED = N_("Solo i formatori del corso, il coordinatore e l'ufficio formazione possono modificarlo.")


async def get_manageable_course(user: CurrentUser, course_id: int) -> CourseFacts:
    """The course's access facts if ``user`` manages it: 404 if they cannot even see it, else 403."""
    access = await get_viewable_course(user, course_id)
    if not can_manage_course(user, access):
        raise PermissionDenied(MANAGE_REFUSED)
    return access


async def get_manageable_course_detail(user: CurrentUser, course_id: int) -> dict[str, Any]:
    """:func:`get_course_detail` for who manages the course, with the same 404/403 answers as
    :func:`get_manageable_course` (without loading the access facts a second time)."""
    detail = await get_course_detail(user, course_id)
    if not detail["can_manage"]:
        raise PermissionDenied(MANAGE_REFUSED)
    return detail


# ------------------------------------------------------------------------------------------------
# Input parsing shared by every entry point
# ------------------------------------------------------------------------------------------------

# ------------------------------------------------------------------------------------------------
# Locations
# ------------------------------------------------------------------------------------------------


@dataclass
class LocationInput:
    name: str
    address: str = ""
    comune: str = ""
    province: str | None = None
    capacity: int | str | None = None
    step_free_access: bool = False
    is_online: bool = False
    notes: str = ""
    active: bool = True
    patron_day: str = ""
    patron_saint: str = ""


LOCATION_COLUMNS = (
    Location.id, Location.name, Location.address, Location.comune, Location.province, Location.capacity,
    Location.step_free_access, Location.is_online, Location.notes, Location.active, Location.patron_day,
    Location.patron_saint,
)


def location_out(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "address": row.get("address", ""),
        "comune": row.get("comune", ""),
        "province": row.get("province"),
        "capacity": row.get("capacity"),
        "step_free_access": bool(row.get("step_free_access")),
        "is_online": bool(row.get("is_online")),
        "notes": row.get("notes", ""),
        "active": bool(row.get("active", True)),
        "patron_day": row.get("patron_day", ""),
        "patron_saint": row.get("patron_saint", ""),
    }


async def list_locations(*, active_only: bool = False) -> list[dict[str, Any]]:
    query = Location.select(*LOCATION_COLUMNS).order_by(Location.name)
    if active_only:
        query = query.where(Location.active.eq(True))
    return [location_out(row) for row in await query]


async def get_location(location_id: int) -> dict[str, Any]:
    row = await Location.select(*LOCATION_COLUMNS).where(Location.id == location_id).first()
    if row is None:
        raise NotFound(N_("Sede non trovata."))
    return location_out(row)


def _validate_location(data: LocationInput) -> dict[Any, Any]:
    errors: dict[str, str] = {}
    name = clean_text(data.name)
    if not name:
        errors["name"] = N_("Indica il nome della sede.")
    province = clean_text(data.province).upper() or None
    comune = clean_text(data.comune)
    if not data.is_online:
        if not comune:
            errors["comune"] = N_("Indica il comune della sede.")
        if province is not None and province not in {p.value for p in Province}:
            errors["province"] = N_("Scegli una provincia della Lombardia servita dal consorzio.")
    capacity = None
    if data.capacity not in (None, ""):
        capacity = parse_integer(data.capacity, "capacity", errors, minimum=1, maximum=10000,
                            message=N_("La capienza è un numero intero di posti, almeno 1."))
    patron_day = parse_patron_day(data.patron_day)
    if patron_day is None:
        errors["patron_day"] = N_("Scrivi il giorno del patrono come gg/mm, per esempio 07/12.")
    patron_name = clean_text(data.patron_saint)
    if len(patron_name) > 100:
        errors["patron_saint"] = N_("Il nome del patrono può avere al massimo 100 caratteri.")
    elif patron_name and patron_day == "":
        errors["patron_day"] = N_("Indica anche il giorno della festa del patrono.")
    elif patron_day and not patron_name:
        errors["patron_saint"] = N_("Indica anche il nome del santo patrono.")
    if errors:
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
    return {
        Location.patron_day: patron_day if not data.is_online else "",
        Location.patron_saint: patron_name if not data.is_online else "",
        Location.name: name[:200],
        Location.address: clean_text(data.address)[:300],
        Location.comune: comune[:100],
        Location.province: province if not data.is_online else None,
        Location.capacity: capacity,
        Location.step_free_access: bool(data.step_free_access),
        Location.is_online: bool(data.is_online),
        Location.notes: clean_text(data.notes),
        Location.active: bool(data.active),
    }


def _ensure_admin(user: CurrentUser) -> None:
    if not user.is_admin:
        raise PermissionDenied(N_("Solo l'ufficio formazione può gestire le sedi."))


async def create_location(user: CurrentUser, data: LocationInput) -> dict[str, Any]:
    _ensure_admin(user)
    values = _validate_location(data)
    row = Location(**{column._meta.name: value for column, value in values.items()})
    await row.save()
    await record_audit_event("location.created", actor_id=user.id, entity="location", entity_id=row.id)
    return await get_location(row.id)


async def update_location(user: CurrentUser, location_id: int, data: LocationInput) -> dict[str, Any]:
    _ensure_admin(user)
    await get_location(location_id)
    values = _validate_location(data)
    values[Location.updated_at] = utcnow()
    await Location.update(values).where(Location.id == location_id)
    await record_audit_event("location.updated", actor_id=user.id, entity="location", entity_id=location_id)
    return await get_location(location_id)


# ------------------------------------------------------------------------------------------------
# Training paths
# ------------------------------------------------------------------------------------------------


@dataclass
class PathInput:
    kind: str
    title: str
    description: str = ""
    objectives: str = ""
    sequential: bool = False
    owner_cooperative_id: int | None = None


PATH_COLUMNS = (
    TrainingPath.id, TrainingPath.kind, TrainingPath.title, TrainingPath.description, TrainingPath.objectives,
    TrainingPath.owner_cooperative, TrainingPath.sequential, TrainingPath.created_by,
    TrainingPath.owner_cooperative.name.as_alias("owner_name"),
)


def path_out(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "title": row["title"],
        "description": row.get("description", ""),
        "objectives": row.get("objectives", ""),
        "owner_cooperative_id": row.get("owner_cooperative"),
        "owner_cooperative_name": row.get("owner_name"),
        "sequential": bool(row.get("sequential")),
        "created_by": row.get("created_by"),
    }


def can_manage_path(user: CurrentUser, path: Mapping[str, Any]) -> bool:
    if user.is_admin:
        return True
    owner = path.get("owner_cooperative_id")
    if owner is not None:
        return user.has_role(Role.COORDINATOR) and user.cooperative_id == owner
    return user.has_role(Role.TRAINER) and path.get("created_by") == user.id


def can_add_course_to_path(user: CurrentUser, path: Mapping[str, Any]) -> bool:
    """Trainers publish in the consortium's paths; a cooperative's own paths belong to its coordinators."""
    if user.is_admin:
        return True
    owner = path.get("owner_cooperative_id")
    if owner is None:
        return user.has_role(Role.TRAINER)
    return user.cooperative_id == owner and user.has_role(Role.COORDINATOR, Role.TRAINER)


def _path_visible(user: CurrentUser, path: Mapping[str, Any]) -> bool:
    owner = path.get("owner_cooperative_id")
    return user.is_admin or owner is None or owner == user.cooperative_id


async def _path_row(path_id: int) -> dict[str, Any]:
    row = await TrainingPath.select(*PATH_COLUMNS).where(TrainingPath.id == path_id).first()
    if row is None:
        raise NotFound(N_("Percorso non trovato."))
    return path_out(row)


async def get_path(user: CurrentUser, path_id: int) -> dict[str, Any]:
    path = await _path_row(path_id)
    if not _path_visible(user, path) and not await _teaches_in_path(user.id, path_id):
        raise NotFound(N_("Percorso non trovato."))
    return path


def _taught_by(user_id: int) -> Any:
    """Courses the person teaches: as one of their trainers or in one of their sessions (as
    :func:`can_view_course` counts it, so whoever may read a course may read its path)."""
    return Course.id.is_in(CourseTrainer.select(CourseTrainer.course).where(CourseTrainer.person == user_id)) | (
        Course.id.is_in(Session.select(Session.course).where(Session.trainer == user_id)))


async def _teaches_in_path(user_id: int, path_id: int) -> bool:
    return await Course.exists().where((Course.path == path_id) & _taught_by(user_id))


async def list_paths(user: CurrentUser, *, kind: str | None = None) -> list[dict[str, Any]]:
    """Paths the user may see, each with the ids of its visible courses in order."""
    query = TrainingPath.select(*PATH_COLUMNS).order_by(TrainingPath.kind).order_by(TrainingPath.title)
    if kind:
        if kind not in {k.value for k in PathKind}:
            raise ValidationFailed(N_("Tipo di percorso sconosciuto."), field="kind")
        query = query.where(TrainingPath.kind == kind)
    if not user.is_admin:
        owner_ok = TrainingPath.owner_cooperative.is_null()
        if user.cooperative_id is not None:
            owner_ok = owner_ok | (TrainingPath.owner_cooperative == user.cooperative_id)
        if user.has_role(Role.TRAINER):
            owner_ok = owner_ok | TrainingPath.id.is_in(Course.select(Course.path).where(_taught_by(user.id)))
        query = query.where(owner_ok)
    paths = [path_out(row) for row in await query]
    if not paths:
        return []
    course_query = Course.select(Course.id, Course.path).where(Course.path.is_in([p["id"] for p in paths]))
    condition = visible_courses_condition(user)
    if condition is not None:
        course_query = course_query.where(condition)
    by_path: dict[int, list[int]] = defaultdict(list)
    for row in await course_query.order_by(Course.position).order_by(Course.starts_at).order_by(Course.id):
        by_path[row["path"]].append(row["id"])
    for path in paths:
        path["course_ids"] = by_path.get(path["id"], [])
    return paths


async def _validate_path(user: CurrentUser, data: PathInput, existing: dict[str, Any] | None) -> dict[Any, Any]:
    errors: dict[str, str] = {}
    title = clean_text(data.title)
    if not title:
        errors["title"] = N_("Indica il titolo del percorso.")
    if data.kind not in {k.value for k in PathKind}:
        errors["kind"] = N_("Scegli il tipo di percorso.")
    owner = parse_id(data.owner_cooperative_id)
    if not user.is_admin:
        if user.has_role(Role.COORDINATOR) and user.cooperative_id is not None:
            if owner not in (None, user.cooperative_id):
                raise PermissionDenied(N_("Puoi gestire solo i percorsi della tua cooperativa."))
            if owner is None and not user.has_role(Role.TRAINER):
                owner = user.cooperative_id
        elif owner is not None:
            raise PermissionDenied(N_("I percorsi di una cooperativa sono gestiti dai suoi coordinatori."))
        if existing is not None and owner != existing["owner_cooperative_id"]:
            raise PermissionDenied(N_("Solo l'ufficio formazione può cambiare a chi appartiene un percorso."))
    if owner is not None and not await Cooperative.exists().where(Cooperative.id == owner):
        errors["owner_cooperative_id"] = N_("La cooperativa indicata non esiste.")
    if errors:
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
    return {
        TrainingPath.kind: data.kind,
        TrainingPath.title: title[:200],
        TrainingPath.description: clean_text(data.description),
        TrainingPath.objectives: clean_text(data.objectives),
        TrainingPath.sequential: bool(data.sequential),
        TrainingPath.owner_cooperative: owner,
    }


async def create_path(user: CurrentUser, data: PathInput) -> dict[str, Any]:
    if not user.has_role(Role.ADMIN, Role.TRAINER, Role.COORDINATOR):
        raise PermissionDenied(N_("Solo formatori, coordinatori e ufficio formazione creano percorsi."))
    values = await _validate_path(user, data, None)
    values[TrainingPath.created_by] = user.id
    row = TrainingPath(**{column._meta.name: value for column, value in values.items()})
    await row.save()
    await record_audit_event("path.created", actor_id=user.id, entity="training_path", entity_id=row.id)
    return await _path_row(row.id)


async def update_path(user: CurrentUser, path_id: int, data: PathInput) -> dict[str, Any]:
    existing = await get_path(user, path_id)
    if not can_manage_path(user, existing):
        raise PermissionDenied(N_("Non puoi modificare questo percorso."))
    values = await _validate_path(user, data, existing)
    values[TrainingPath.updated_at] = utcnow()
    await TrainingPath.update(values).where(TrainingPath.id == path_id)
    await record_audit_event("path.updated", actor_id=user.id, entity="training_path", entity_id=path_id)
    return await _path_row(path_id)


async def paths_for_new_course(user: CurrentUser) -> list[dict[str, Any]]:
    """The paths the user may add a course to (for the course form)."""
    return [p for p in await list_paths(user) if can_add_course_to_path(user, p)]


async def get_path_detail(user: CurrentUser, path_id: int) -> dict[str, Any]:
    """A path with its visible courses in order (each as a catalogue row)."""
    path = await get_path(user, path_id)
    where, args = ['"course"."path" = {}'], [path_id]
    rule = visible_courses_sql(user, path_alias="p")
    if rule is not None:
        where.append(rule[0])
        args += rule[1]
    path["courses"], _total = await _course_listing(
        where, args, order='"course"."position", ("course"."starts_at" IS NULL), "course"."starts_at", "course"."id"')
    path["can_manage"] = can_manage_path(user, path)
    path["can_add_course"] = can_add_course_to_path(user, path)
    return path


# ------------------------------------------------------------------------------------------------
# Courses: reading
# ------------------------------------------------------------------------------------------------

# Reading is the hot path (the catalogue, the course page): hand-written, portable SQL through
# db.fetch_all, a fixed number of round trips whatever the page shows (see docs/DEVELOPING.md).

_COURSE_FROM = ('FROM "course" JOIN training_path p ON p.id = "course"."path" '
                'LEFT JOIN location l ON l.id = "course"."location"')
_COURSE_COLUMNS = (
    '"course"."id" AS id, "course"."title" AS title, "course"."description" AS description, '
    '"course"."status" AS status, "course"."capacity" AS capacity, "course"."delivery_mode" AS delivery_mode, '
    '"course"."starts_at" AS starts_at, "course"."ends_at" AS ends_at, '
    '"course"."requires_approval" AS requires_approval, "course"."path" AS path, "course"."position" AS position, '
    '"course"."enrolment_opens_at" AS enrolment_opens_at, "course"."enrolment_closes_at" AS enrolment_closes_at, '
    "p.title AS path_title, p.kind AS path_kind, p.owner_cooperative AS path_owner, "
    "l.id AS location_id, l.name AS location_name, l.comune AS location_comune, l.province AS location_province, "
    "l.step_free_access AS location_step_free, l.is_online AS location_online, "
    + seat_columns('"course"."id"')
)
_SESSION_COUNT = """(SELECT COUNT(*) FROM course_session s WHERE s.course = "course"."id" AND s.status = 'scheduled')"""
_AREA_ORDER = {area.value: index for index, area in enumerate(Area)}


def _placeholders(count: int) -> str:
    return ", ".join(["{}"] * count)


def _counts_of(row: Mapping[str, Any]) -> dict[str, int]:
    seats = SeatState.from_row(row)
    return {EnrolmentStatus.CONFIRMED.value: seats.confirmed, EnrolmentStatus.WAITLISTED.value: seats.waitlisted,
            EnrolmentStatus.PENDING.value: seats.pending}


def _count_from(where: list[str]) -> str:
    """The FROM clause counting needs: the joins only when a condition reads the path or the location,
    so the count can run on the ``course_catalogue`` covering index alone."""
    text = " ".join(where)
    joins = ' JOIN training_path p ON p.id = "course"."path"' if re.search(r"\bp\.", text) else ""
    joins += ' LEFT JOIN location l ON l.id = "course"."location"' if re.search(r"\bl\.", text) else ""
    return 'FROM "course"' + joins


_UNIT, _RECORD = "\x1f", "\x1e"  # separators of the aggregated trainers and areas (never typed by people)


def _links_columns() -> str:
    """Trainers and eligible areas of each row, aggregated in the row itself (no second round trip)."""
    aggregate = "group_concat" if is_sqlite() else "string_agg"
    return (
        f"(SELECT {aggregate}(CAST(pe.id AS TEXT) || '{_UNIT}' || pe.full_name, '{_RECORD}') "
        'FROM course_trainer ct JOIN person pe ON pe.id = ct.person WHERE ct.course = "course"."id") AS trainer_list, '
        f"(SELECT {aggregate}(a.area, '{_RECORD}') FROM course_eligible_area a "
        'WHERE a.course = "course"."id") AS area_list'
    )


def _listing_item(row: Mapping[str, Any]) -> dict[str, Any]:
    trainers = []
    for entry in (row["trainer_list"] or "").split(_RECORD):
        if entry:
            ident, _, name = entry.partition(_UNIT)
            trainers.append({"id": int(ident), "full_name": name})
    trainers.sort(key=lambda t: t["full_name"])
    item = _course_base(row, _counts_of(row), trainers)
    item["eligible_areas"] = sorted((a for a in (row["area_list"] or "").split(_RECORD) if a),
                                    key=lambda a: _AREA_ORDER.get(a, 99))
    item["session_count"] = row["session_count"]
    return item


async def _course_listing(
    where: list[str], args: list[Any], *, order: str, limit: int | None = None, offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Course rows (seats, trainers, areas, number of sessions included) and how many match, in one
    query for any page. ``where``: SQL conditions on ``"course"``, ``p`` (path) and ``l`` (location);
    the visibility fragments never use those two aliases."""
    condition = " AND ".join(where) if where else "1 = 1"
    count_from = _count_from(where)
    columns = f"{_COURSE_COLUMNS}, {_SESSION_COUNT} AS session_count, {_links_columns()}"
    if limit is None:
        rows = await fetch_all(f"SELECT {columns} {_COURSE_FROM} WHERE {condition} ORDER BY {order}", *args)
        total = len(rows)
    else:
        # The page's ids first (the ORDER BY and LIMIT work on the bare rows, along the index), then
        # their details; the total comes in the same round trip (an uncorrelated subquery, run once).
        sql = (
            f"SELECT {columns}, (SELECT COUNT(*) {count_from} WHERE {condition}) AS total "
            f'FROM (SELECT "course"."id" AS page_id {_COURSE_FROM} WHERE {condition} ORDER BY {order} '
            "LIMIT {} OFFSET {}) page "
            f'JOIN "course" ON "course"."id" = page.page_id JOIN training_path p ON p.id = "course"."path" '
            f'LEFT JOIN location l ON l.id = "course"."location" ORDER BY {order}'
        )
        rows = await fetch_all(sql, *args, *args, limit, offset)
        if rows:
            total = rows[0]["total"]
        else:
            total = 0 if offset == 0 else (await fetch_one(f"SELECT COUNT(*) AS n {count_from} WHERE {condition}",
                                                           *args) or {"n": 0})["n"]
    return CourseRows((_listing_item(row) for row in rows), fingerprint=tuple(tuple(row.values()) for row in rows)), total


class CourseRows(list):  # type: ignore[type-arg]
    """A page of course rows, with ``fingerprint``: the raw database values they were built from, a
    hashable stand-in for the rows when memoising what is rendered from them."""

    def __init__(self, items: Iterable[dict[str, Any]] = (), *, fingerprint: tuple[Any, ...] = ()) -> None:
        super().__init__(items)
        self.fingerprint = fingerprint


def _location_from(row: Mapping[str, Any]) -> dict[str, Any] | None:
    if row.get("location_id") is None:
        return None
    return {
        "id": row["location_id"],
        "name": row.get("location_name"),
        "comune": row.get("location_comune") or "",
        "province": row.get("location_province"),
        "step_free_access": bool(row.get("location_step_free")),
        "is_online": bool(row.get("location_online")),
        "address": row.get("location_address", ""),
        "capacity": row.get("location_capacity"),
    }


def _course_base(row: Mapping[str, Any], counts: Mapping[str, int], trainers: list[dict[str, Any]]) -> dict[str, Any]:
    taken = counts.get(EnrolmentStatus.CONFIRMED.value, 0)
    return {
        "id": row["id"],
        "title": row["title"],
        "description": row["description"],
        "status": row["status"],
        "path": {"id": row["path"], "title": row["path_title"], "kind": row["path_kind"],
                 "owner_cooperative_id": row.get("path_owner")},
        "position": row.get("position", 0),
        "delivery_mode": row["delivery_mode"],
        "location": _location_from(row),
        "starts_at": row["starts_at"],
        "ends_at": row["ends_at"],
        "capacity": row["capacity"],
        "seats_taken": taken,
        "seats_left": max(0, row["capacity"] - taken),
        "waitlist_length": counts.get(EnrolmentStatus.WAITLISTED.value, 0),
        "pending_count": counts.get(EnrolmentStatus.PENDING.value, 0),
        "requires_approval": bool(row["requires_approval"]),
        "enrolment_opens_at": row.get("enrolment_opens_at"),
        "enrolment_closes_at": row.get("enrolment_closes_at"),
        "trainers": trainers,
    }


def session_out(row: Mapping[str, Any], *, show_online_url: bool) -> dict[str, Any]:
    """A session as pages and the API show it; the online link only when ``show_online_url``."""
    return {
        "id": row["id"],
        "course_id": row["course"],
        "starts_at": row["starts_at"],
        "ends_at": row["ends_at"],
        "minutes": minutes_between(row["starts_at"], row["ends_at"]),
        "location": _location_from(row),
        "is_online": bool(row.get("online_url")) or bool(row.get("location_online")),
        "online_url": row.get("online_url") if show_online_url else None,
        "topics": row.get("topics", ""),
        "trainer": {"id": row["trainer"], "full_name": row["trainer_name"]} if row.get("trainer") else None,
        "status": row["status"],
        "sequence": row["sequence"],
        "uid": row["uid"],
        "cancelled_at": row.get("cancelled_at"),
        "updated_at": row.get("updated_at"),
    }


_SESSION_SQL = (
    "SELECT s.id AS id, s.course AS course, s.starts_at AS starts_at, s.ends_at AS ends_at, "
    "s.online_url AS online_url, s.topics AS topics, s.status AS status, s.sequence AS sequence, s.uid AS uid, "
    "s.cancelled_at AS cancelled_at, s.updated_at AS updated_at, s.created_at AS created_at, s.trainer AS trainer, "
    "t.full_name AS trainer_name, l.id AS location_id, l.name AS location_name, l.comune AS location_comune, "
    "l.province AS location_province, l.address AS location_address, l.step_free_access AS location_step_free, "
    "l.is_online AS location_online, l.capacity AS location_capacity "
    "FROM course_session s LEFT JOIN person t ON t.id = s.trainer LEFT JOIN location l ON l.id = s.location "
)


async def _session_row(session_id: int) -> dict[str, Any] | None:
    return await fetch_one(_SESSION_SQL + "WHERE s.id = {}", session_id)


async def list_sessions_rows(course_id: int) -> list[dict[str, Any]]:
    """Every session of a course (cancelled ones too) in order, as rows for :func:`session_out`."""
    return await fetch_all(_SESSION_SQL + "WHERE s.course = {} ORDER BY s.starts_at, s.id", course_id)


# What the course page shows besides the facts every rule reads (seats.facts.read_course).
_DETAIL_COLUMNS = (
    '"course"."description" AS description, "course"."delivery_mode" AS delivery_mode, '
    '"course"."attendance_threshold" AS attendance_threshold, "course"."funder_plan_code" AS funder_plan_code, '
    '"course"."copied_from" AS copied_from, "course"."cancelled_reason" AS cancelled_reason, '
    '"course"."updated_at" AS updated_at, p.description AS path_description, '
    "l.id AS location_id, l.name AS location_name, l.comune AS location_comune, l.province AS location_province, "
    "l.step_free_access AS location_step_free, l.is_online AS location_online, l.address AS location_address, "
    "l.capacity AS location_capacity"
)
_DETAIL_JOINS = 'LEFT JOIN location l ON l.id = "course"."location"'


def _named_links(links: Iterable[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """The course's trainers, eligible areas and cooperatives from the facts' links, in display order."""
    out: dict[str, list[Any]] = {"trainer": [], "area": [], "cooperative": []}
    for link in links:
        if link["kind"] == "trainer":
            out["trainer"].append({"id": link["ref"], "full_name": link["label"]})
        elif link["kind"] == "cooperative":
            out["cooperative"].append({"id": link["ref"], "name": link["label"]})
        elif link["kind"] == "area":
            out["area"].append(link["label"])
    out["trainer"].sort(key=lambda t: t["full_name"])
    out["area"].sort(key=lambda a: _AREA_ORDER.get(a, 99))
    out["cooperative"].sort(key=lambda c: c["name"])
    return out


async def course_view(user: CurrentUser, course_id: int) -> tuple[CourseFacts, dict[str, Any]]:
    """The course's facts (as ``user`` relates to it, for the other features' rules) and everything the
    course page and ``GET /api/courses/{id}`` show, in three statements; NotFound when ``user`` may not
    read it.

    Keys besides the course's own fields: ``sessions`` (every session, cancelled ones included, in
    order), ``seats_taken``, ``seats_left``, ``waitlist_length``, ``trainers``, ``eligible_areas``,
    ``eligible_cooperatives``, ``can_manage``, ``is_trainer``, ``enrolment_status`` (the user's own,
    or None), ``can_see_online_link``.
    """
    loaded = await read_course(course_id, viewer=user, columns=_DETAIL_COLUMNS, joins=_DETAIL_JOINS)
    if loaded is None or not can_view_course(user, loaded.facts):
        raise NotFound(N_("Corso non trovato."))
    facts, row = loaded.facts, loaded.row
    links = _named_links(loaded.links)
    session_rows = await list_sessions_rows(course_id)
    enrolment_status = facts.viewer.enrolment_status if facts.viewer else None
    manage = can_manage_course(user, facts)
    teaching = user.id in facts.trainer_ids or user.id in facts.session_trainer_ids
    show_link = user.is_admin or manage or teaching or enrolment_status == EnrolmentStatus.CONFIRMED
    course = _course_base(row, _counts_of(row), links["trainer"])
    course.update(
        path={**course["path"], "description": row["path_description"] or ""},
        cancellation_deadline=row["cancellation_deadline"],
        attendance_threshold=row["attendance_threshold"],
        funder_plan_code=row["funder_plan_code"],
        copied_from=row["copied_from"],
        cancelled_reason=row["cancelled_reason"] or "",
        created_by=row["created_by"],
        updated_at=row["updated_at"],
        eligible_areas=links["area"],
        eligible_cooperatives=links["cooperative"],
        sessions=[session_out(s, show_online_url=show_link) for s in session_rows],
        can_manage=manage,
        is_trainer=teaching,
        enrolment_status=enrolment_status,
        can_see_online_link=show_link,
    )
    scheduled = [s for s in course["sessions"] if s["status"] == SessionStatus.SCHEDULED]
    course["session_count"] = len(scheduled)
    course["scheduled_minutes"] = sum(s["minutes"] for s in scheduled)
    return facts, course


async def get_course_detail(user: CurrentUser, course_id: int) -> dict[str, Any]:
    """What :func:`course_view` shows, without the facts."""
    return (await course_view(user, course_id))[1]


# ------------------------------------------------------------------------------------------------
# The catalogue: filters shared by the page and the API
# ------------------------------------------------------------------------------------------------


@dataclass
class CatalogueFilters:
    kind: str | None = None
    province: str | None = None
    area: str | None = None
    delivery_mode: str | None = None
    q: str | None = None
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    seats_available: bool = False
    include_past: bool = False
    sort: str = "start"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    # The values as typed, to refill the form and build shareable links.
    raw: dict[str, str] = field(default_factory=dict)

    def query_string(self, **overrides: Any) -> str:
        """The filters as a query string (``page`` and others replaced by ``overrides``)."""
        from urllib.parse import urlencode

        values = {k: v for k, v in self.raw.items() if v not in ("", None)}
        for key, value in overrides.items():
            if value in (None, "", False):
                values.pop(key, None)
            else:
                values[key] = str(value)
        return urlencode(values)


FILTER_NAMES = ("kind", "province", "area", "delivery_mode", "q", "starts_after", "starts_before",
                "seats_available", "include_past", "sort", "page", "page_size")
TRUE_VALUES = {"1", "true", "on", "yes", "si", "sì"}


def _bound(value: str, field_name: str, errors: dict[str, str], *, end_of_day: bool) -> datetime | None:
    """A date (a whole Rome day: from its start, or through its end) or an ISO instant."""
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4}", text):
        day = parse_day(text, field_name, errors)
        if day is None:
            return None
        start, end = rome_day_bounds(day)
        return end if end_of_day else start
    instant = parse_instant_field(text, field_name, errors)
    if field_name in errors:
        errors[field_name] = DAY_FORMAT_MESSAGE
    return instant


def parse_catalogue_filters(params: Mapping[str, Any]) -> tuple[CatalogueFilters, dict[str, str]]:
    """Read the catalogue's query string; invalid values are dropped and reported per field.

    ``starts_after`` / ``starts_before``: a date (``2026-11-25`` or ``25/11/2026``, both ends included)
    or an ISO instant (``starts_before`` then excluded). ``seats_available``, ``include_past``: a flag
    (``1``, ``true``, ``on``). ``sort``: ``start`` (earliest first, the default) or ``-start``.
    """
    raw = {name: str(params.get(name) or "").strip() for name in FILTER_NAMES}
    errors: dict[str, str] = {}
    filters = CatalogueFilters(raw={k: v for k, v in raw.items() if v})
    if raw["kind"]:
        if raw["kind"] in {k.value for k in PathKind}:
            filters.kind = raw["kind"]
        else:
            errors["kind"] = N_("Tipo di percorso sconosciuto.")
    if raw["province"]:
        if raw["province"].upper() in {p.value for p in Province}:
            filters.province = raw["province"].upper()
        else:
            errors["province"] = N_("Provincia sconosciuta.")
    if raw["area"]:
        if raw["area"] in {a.value for a in Area}:
            filters.area = raw["area"]
        else:
            errors["area"] = N_("Area di lavoro sconosciuta.")
    if raw["delivery_mode"]:
        if raw["delivery_mode"] in {m.value for m in DeliveryMode}:
            filters.delivery_mode = raw["delivery_mode"]
        else:
            errors["delivery_mode"] = N_("Modalità di svolgimento sconosciuta.")
    filters.q = raw["q"][:100] or None
    filters.starts_after = _bound(raw["starts_after"], "starts_after", errors, end_of_day=False)
    filters.starts_before = _bound(raw["starts_before"], "starts_before", errors, end_of_day=True)
    if filters.starts_after and filters.starts_before and filters.starts_before <= filters.starts_after:
        errors["starts_before"] = N_("La fine dell'intervallo deve venire dopo l'inizio.")
        filters.starts_before = None
    filters.seats_available = raw["seats_available"].lower() in TRUE_VALUES
    filters.include_past = raw["include_past"].lower() in TRUE_VALUES
    if raw["sort"] in ("start", "-start"):
        filters.sort = raw["sort"]
    elif raw["sort"]:
        errors["sort"] = N_("Ordinamento sconosciuto: usa start o -start.")
    if raw["page"]:
        filters.page = parse_integer(raw["page"], "page", errors, minimum=1, maximum=MAX_PAGE,
                                message=N_("Il numero di pagina è un intero da 1 in su.")) or 1
    if raw["page_size"]:
        filters.page_size = parse_integer(raw["page_size"], "page_size", errors, minimum=1, maximum=MAX_PAGE_SIZE,
                                     message=N_("Il numero di corsi per pagina va da 1 a 100.")) or DEFAULT_PAGE_SIZE
    for name in errors:
        filters.raw.pop(name, None)
    return filters, errors


def _catalogue_where(user: CurrentUser, filters: CatalogueFilters, now: datetime) -> tuple[list[str], list[Any]]:
    if filters.include_past:
        # Courses already held are published or, once their trainer closed them, completed.
        where: list[str] = ['"course"."status" IN ({}, {})']
        args: list[Any] = [CourseStatus.PUBLISHED.value, CourseStatus.COMPLETED.value]
    else:
        where, args = ['"course"."status" = {}'], [CourseStatus.PUBLISHED.value]
    rule = visible_courses_sql(user, path_alias="p")
    if rule is not None:
        where.append(rule[0])
        args += rule[1]
    if filters.kind:
        where.append("p.kind = {}")
        args.append(filters.kind)
    if filters.province:
        where.append("l.province = {}")
        args.append(filters.province)
    if filters.delivery_mode:
        where.append('"course"."delivery_mode" = {}')
        args.append(filters.delivery_mode)
    if filters.area:
        where.append('("course"."id" NOT IN (SELECT course FROM course_eligible_area) '
                     'OR "course"."id" IN (SELECT course FROM course_eligible_area WHERE area = {}))')
        args.append(filters.area)
    if filters.q:
        for word in re.sub(r"[%_\\]", " ", filters.q).split()[:8]:
            # LOWER on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's is not.
            where.append('(LOWER("course"."title") LIKE {} OR LOWER("course"."description") LIKE {})')
            needle = f"%{word.lower()}%"
            args += [needle, needle]
    if filters.starts_after:
        where.append('"course"."starts_at" >= {}')
        args.append(filters.starts_after)
    if filters.starts_before:
        where.append('"course"."starts_at" < {}')
        args.append(filters.starts_before)
    if not filters.include_past:
        where.append('"course"."ends_at" >= {}')
        args.append(now)
    if filters.seats_available:
        confirmed = count_sql(EnrolmentStatus.CONFIRMED.value, '"course"."id"')
        where.append(f'"course"."capacity" > {confirmed}')
    return where, args


async def search_catalogue(
    user: CurrentUser, filters: CatalogueFilters, *, now: datetime | None = None
) -> tuple[list[dict[str, Any]], int]:
    """One page of published courses the user may see, and how many match in all (one query).

    Pages are reused for a few seconds (``catalogue_cache``): everyone of a cooperative looking at the
    same filters shares one. With an explicit ``now`` the database is always asked.
    """
    moment = now or utcnow()
    where, args = _catalogue_where(user, filters, moment)
    direction = "DESC" if filters.sort == "-start" else "ASC"
    order = f'"course"."starts_at" {direction}, "course"."id" {direction}'
    limit, offset = filters.page_size, (filters.page - 1) * filters.page_size
    cache = catalogue_cache()
    # The statement and its arguments are exactly what the answer depends on (the visibility rule
    # included: it names the cooperative, and the person only where their own courses count), save
    # the current instant, which moves on by less than the entry lives.
    key = (" AND ".join(where), tuple(arg for arg in args if arg is not moment), order, limit, offset)
    if now is None and (hit := cache.get(key)) is not MISSING:
        return hit
    generation = data_generation()
    result = await _course_listing(where, args, order=order, limit=limit, offset=offset)
    if now is None:
        cache.put(key, result, generation=generation)
    return result


_catalogue_cache: ReadCache[tuple[list[dict[str, Any]], int]] | None = None


def catalogue_cache() -> ReadCache[tuple[list[dict[str, Any]], int]]:
    """Catalogue pages recently computed by this worker (see cache.py for when they go stale)."""
    global _catalogue_cache
    if _catalogue_cache is None:
        _catalogue_cache = ReadCache(ttl=get_settings().catalogue_cache_seconds, size=256)
    return _catalogue_cache


async def list_managed_courses(
    user: CurrentUser, *, status: str | None = None, q: str | None = None, page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> tuple[list[dict[str, Any]], int]:
    """The courses a trainer, coordinator or admin manages ("I miei corsi"): undated drafts first,
    then the latest dates first."""
    if not user.has_role(Role.ADMIN, Role.TRAINER, Role.COORDINATOR):
        raise PermissionDenied(N_("Questa pagina è per formatori, coordinatori e ufficio formazione."))
    where: list[str] = []
    args: list[Any] = []
    if not user.is_admin:
        parts, part_args = _managed_sql(user)
        where.append("(" + " OR ".join(parts) + ")" if parts else "1 = 0")
        args += part_args
    if status:
        if status not in {s.value for s in CourseStatus}:
            raise ValidationFailed(N_("Stato del corso sconosciuto."), field="status")
        where.append('"course"."status" = {}')
        args.append(status)
    if q and q.strip():
        needle = "%" + re.sub(r"[%_\\]", " ", q.strip()).lower() + "%"
        where.append('(LOWER("course"."title") LIKE {} OR LOWER(p.title) LIKE {})')
        args += [needle, needle]
    if page > MAX_PAGE:  # an OFFSET the database could not even take
        raise ValidationFailed(N_("Il numero di pagina è un intero da 1 in su."), field="page")
    page, page_size = max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)
    return await _course_listing(
        where, args, order='("course"."starts_at" IS NULL) DESC, "course"."starts_at" DESC, "course"."id" DESC',
        limit=page_size, offset=(page - 1) * page_size,
    )


# ------------------------------------------------------------------------------------------------
# Courses: writing
# ------------------------------------------------------------------------------------------------


@dataclass
class CourseInput:
    path_id: int | None
    title: str
    capacity: int | str | None
    description: str = ""
    delivery_mode: str = DeliveryMode.IN_PRESENCE.value
    location_id: int | None = None
    requires_approval: bool = False
    enrolment_opens_at: str | datetime | None = None
    enrolment_closes_at: str | datetime | None = None
    cancellation_deadline: str | datetime | None = None
    attendance_threshold: int | str | None = 70
    funder_plan_code: str | None = None
    trainer_ids: list[int] | None = None  # None: keep them (edit) or the author (create)
    eligible_cooperative_ids: list[int] = field(default_factory=list)
    eligible_areas: list[str] = field(default_factory=list)
    position: int | str | None = None


def course_input_from(detail: Mapping[str, Any]) -> CourseInput:
    """The input that would leave a course as it is (a base for partial updates)."""
    return CourseInput(
        path_id=detail["path"]["id"],
        title=detail["title"],
        capacity=detail["capacity"],
        description=detail["description"],
        delivery_mode=detail["delivery_mode"],
        location_id=detail["location"]["id"] if detail.get("location") else None,
        requires_approval=detail["requires_approval"],
        enrolment_opens_at=detail.get("enrolment_opens_at"),
        enrolment_closes_at=detail.get("enrolment_closes_at"),
        cancellation_deadline=detail.get("cancellation_deadline"),
        attendance_threshold=detail["attendance_threshold"],
        funder_plan_code=detail.get("funder_plan_code"),
        trainer_ids=[t["id"] for t in detail["trainers"]],
        eligible_cooperative_ids=[c["id"] for c in detail.get("eligible_cooperatives", [])],
        eligible_areas=list(detail.get("eligible_areas", [])),
        position=detail.get("position"),
    )


async def trainer_candidates(path_owner_cooperative_id: int | None = None) -> list[dict[str, Any]]:
    """People who may teach a course: trainers, and for a cooperative's path its coordinators too."""
    condition = Person.roles.like("%trainer%")
    if path_owner_cooperative_id is not None:
        condition = condition | (
            Person.roles.like("%coordinator%") & (Person.cooperative == path_owner_cooperative_id)
        )
    rows = await Person.select(Person.id, Person.full_name, Person.roles, Person.cooperative).where(
        Person.active.eq(True) & condition
    ).order_by(Person.full_name)
    return [{"id": r["id"], "full_name": r["full_name"]} for r in rows
            if _may_teach(parse_roles(r["roles"]), r["cooperative"], path_owner_cooperative_id)]


def _may_teach(roles: frozenset[str], cooperative_id: int | None, path_owner: int | None) -> bool:
    if Role.TRAINER in roles:
        return True
    return Role.COORDINATOR in roles and path_owner is not None and cooperative_id == path_owner


async def _validate_course(
    user: CurrentUser, data: CourseInput, *, existing: Mapping[str, Any] | None
) -> tuple[dict[Any, Any], list[int] | None, list[int], list[str]]:
    errors: dict[str, str] = {}
    title = clean_text(data.title)
    if not title:
        errors["title"] = N_("Indica il titolo del corso.")
    elif len(title) > 200:
        errors["title"] = N_("Il titolo può avere al massimo 200 caratteri.")
    capacity = parse_capacity(data.capacity, errors)
    threshold = parse_integer(70 if data.attendance_threshold in (None, "") else data.attendance_threshold,
                         "attendance_threshold", errors, minimum=1, maximum=100,
                         message=N_("La soglia di frequenza è una percentuale da 1 a 100."))
    if data.delivery_mode not in {m.value for m in DeliveryMode}:
        errors["delivery_mode"] = N_("Scegli la modalità di svolgimento.")
    opens = parse_instant_field(data.enrolment_opens_at, "enrolment_opens_at", errors)
    closes = parse_instant_field(data.enrolment_closes_at, "enrolment_closes_at", errors)
    deadline = parse_instant_field(data.cancellation_deadline, "cancellation_deadline", errors)
    if opens and closes and closes <= opens:
        errors["enrolment_closes_at"] = N_("La chiusura delle iscrizioni deve venire dopo l'apertura.")
    course_end = existing.get("ends_at") if existing else None
    if course_end is not None:
        # A course with sessions: its windows cannot outlast it (``end`` is given with the errors).
        if opens and opens >= course_end:
            errors["enrolment_opens_at"] = N_("Le iscrizioni non possono aprirsi dopo la fine del corso (%(end)s).")
        if closes and closes > course_end and "enrolment_closes_at" not in errors:
            errors["enrolment_closes_at"] = N_("Le iscrizioni non possono chiudersi dopo la fine del corso (%(end)s).")
        if deadline and deadline > course_end:
            errors["cancellation_deadline"] = N_("La disdetta non può durare oltre la fine del corso (%(end)s).")
    position = None
    if data.position not in (None, ""):
        position = parse_integer(data.position, "position", errors, minimum=0, maximum=999,
                            message=N_("La posizione nel percorso è un numero da 0 a 999."))
    funder = clean_text(data.funder_plan_code) or None
    if funder and len(funder) > 60:
        errors["funder_plan_code"] = N_("Il codice del piano finanziato può avere al massimo 60 caratteri.")

    path: dict[str, Any] | None = None
    path_id = parse_id(data.path_id)
    if path_id is None:
        errors["path_id"] = N_("Scegli il percorso a cui appartiene il corso.")
    else:
        row = await TrainingPath.select(*PATH_COLUMNS).where(TrainingPath.id == path_id).first()
        # A course stays in its own path even when its manager cannot see the path otherwise (a
        # consortium trainer teaching a cooperative's internal course).
        staying = existing is not None and existing["path"]["id"] == path_id
        if row is None or not (staying or _path_visible(user, path_out(row))):
            errors["path_id"] = N_("Il percorso indicato non esiste.")
        else:
            path = path_out(row)
    location_id = parse_id(data.location_id)
    location_row = None
    if location_id is not None:
        location_row = await Location.select(*LOCATION_COLUMNS).where(Location.id == location_id).first()
        if location_row is None or not location_row["active"]:
            errors["location_id"] = N_("La sede indicata non esiste o non è più attiva.")
            location_row = None
        elif capacity and location_row["capacity"] is not None and location_row["capacity"] < capacity:
            errors["capacity"] = N_("La sede «%(location)s» ha solo %(room)s posti.")
    areas = sorted({a for a in data.eligible_areas if a})
    if any(a not in {x.value for x in Area} for a in areas):
        errors["eligible_areas"] = N_("Una delle aree indicate non esiste.")
    coop_ids = parse_id_list(data.eligible_cooperative_ids)
    if coop_ids:
        found = await Cooperative.select(Cooperative.id).where(Cooperative.id.is_in(coop_ids))
        if len(found) != len(coop_ids):
            errors["eligible_cooperative_ids"] = N_("Una delle cooperative indicate non esiste.")
    trainer_ids = None
    if data.trainer_ids is not None:
        trainer_ids = parse_id_list(data.trainer_ids)
        if trainer_ids:
            allowed = {t["id"] for t in await trainer_candidates(path["owner_cooperative_id"] if path else None)}
            if any(t not in allowed for t in trainer_ids):
                errors["trainer_ids"] = N_("Una delle persone indicate come formatore non può insegnare in questo corso.")
    if errors:
        params: dict[str, Any] = {}
        if "capacity" in errors and location_row is not None:
            params = {"location": location_row["name"], "room": location_row["capacity"]}
        if course_end is not None:
            params["end"] = i18n.format_datetime(course_end)
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors, **params)
    assert path is not None
    if not can_add_course_to_path(user, path) and (existing is None or existing["path"]["id"] != path["id"]):
        raise PermissionDenied(N_("Non puoi creare corsi in questo percorso."))
    if (existing is not None and not user.is_admin
            and path["owner_cooperative_id"] != existing["path"]["owner_cooperative_id"]):
        # Who sees and manages the course would change with the path's owner (a cooperative's internal
        # course made public, or taken from its coordinators): the training office decides that.
        raise PermissionDenied(N_("Solo l'ufficio formazione sposta un corso tra i percorsi del consorzio e "
                                  "quelli interni di una cooperativa."))
    values = {
        Course.path: path["id"],
        Course.title: title,
        Course.description: clean_text(data.description),
        Course.capacity: capacity,
        Course.delivery_mode: data.delivery_mode,
        Course.location: location_id,
        Course.requires_approval: bool(data.requires_approval),
        Course.enrolment_opens_at: opens,
        Course.enrolment_closes_at: closes,
        Course.cancellation_deadline: deadline,
        Course.attendance_threshold: threshold,
        Course.funder_plan_code: funder,
    }
    if position is not None:
        values[Course.position] = position
    return values, trainer_ids, coop_ids, areas


async def _replace_links(course_id: int, trainer_ids: list[int] | None, coop_ids: list[int], areas: list[str]) -> None:
    if trainer_ids is not None:
        await CourseTrainer.delete().where(CourseTrainer.course == course_id)
        if trainer_ids:
            await CourseTrainer.insert(*[CourseTrainer(course=course_id, person=t) for t in trainer_ids])
    await CourseEligibleCooperative.delete().where(CourseEligibleCooperative.course == course_id)
    if coop_ids:
        await CourseEligibleCooperative.insert(
            *[CourseEligibleCooperative(course=course_id, cooperative=c) for c in coop_ids])
    await CourseEligibleArea.delete().where(CourseEligibleArea.course == course_id)
    if areas:
        await CourseEligibleArea.insert(*[CourseEligibleArea(course=course_id, area=a) for a in areas])


async def create_course(user: CurrentUser, data: CourseInput) -> dict[str, Any]:
    """A new draft. With no ``trainer_ids`` the author teaches it when they are a trainer."""
    if not user.has_role(Role.ADMIN, Role.TRAINER, Role.COORDINATOR):
        raise PermissionDenied(N_("Solo formatori, coordinatori e ufficio formazione creano corsi."))
    values, trainer_ids, coop_ids, areas = await _validate_course(user, data, existing=None)
    if not trainer_ids and user.has_role(Role.TRAINER):
        trainer_ids = [user.id]
    async with write_transaction():
        if Course.position not in values:
            last = await Course.select(Course.position).where(Course.path == values[Course.path]).order_by(
                Course.position, ascending=False).first()
            values[Course.position] = (last["position"] + 1) if last else 1
        values[Course.status] = CourseStatus.DRAFT.value
        values[Course.created_by] = user.id
        course = Course(**{column._meta.name: value for column, value in values.items()})
        await course.save()
        await _replace_links(course.id, trainer_ids or [], coop_ids, areas)
        await record_audit_event("course.created", actor_id=user.id, entity="course", entity_id=course.id)
    return await get_course_detail(user, course.id)


async def update_course(user: CurrentUser, course_id: int, data: CourseInput) -> dict[str, Any]:
    """Change a course's details (any status but cancelled and completed)."""
    existing = await get_manageable_course_detail(user, course_id)
    if existing["status"] in (CourseStatus.CANCELLED, CourseStatus.COMPLETED):
        raise InvalidState(N_("Un corso annullato o concluso non si modifica più."))
    values, trainer_ids, coop_ids, areas = await _validate_course(user, data, existing=existing)
    if existing["status"] == CourseStatus.PUBLISHED and trainer_ids is not None and not trainer_ids:
        raise ValidationFailed(N_("Un corso pubblicato ha almeno un formatore."), field="trainer_ids")
    async with write_transaction():
        locked = await lock_course(course_id)
        if locked["status"] in (CourseStatus.CANCELLED, CourseStatus.COMPLETED):  # changed meanwhile
            raise InvalidState(N_("Un corso annullato o concluso non si modifica più."))
        capacity = values.pop(Course.capacity)
        values[Course.updated_at] = utcnow()
        await Course.update(values).where(Course.id == course_id)
        await _replace_links(course_id, trainer_ids, coop_ids, areas)
        # The seats' rules, on the course as it now is (its new location included): never fewer than
        # the confirmed seats nor more than a room holds; raised, the waiting list moves at once.
        await change_seats(locked, capacity, actor_id=user.id)
        await record_audit_event("course.updated", actor_id=user.id, entity="course", entity_id=course_id)
    return await get_course_detail(user, course_id)


async def publish_course(user: CurrentUser, course_id: int) -> dict[str, Any]:
    """Draft → published: it needs a trainer and at least one scheduled session."""
    await get_manageable_course(user, course_id)
    async with write_transaction():
        await lock_course(course_id)
        access = await load_course_facts(course_id)
        if access.status != CourseStatus.DRAFT:
            raise InvalidState(N_("Si pubblica solo un corso in bozza."))
        errors: dict[str, str] = {}
        if not access.trainer_ids:
            errors["trainer_ids"] = N_("Indica almeno un formatore prima di pubblicare.")
        if not await Session.exists().where((Session.course == course_id) & (Session.status == SessionStatus.SCHEDULED)):
            errors["sessions"] = N_("Aggiungi almeno un incontro prima di pubblicare.")
        if errors:
            raise ValidationFailed(N_("Il corso non è ancora pronto per essere pubblicato."), errors=errors)
        await Course.update({Course.status: CourseStatus.PUBLISHED.value, Course.updated_at: utcnow()}).where(
            Course.id == course_id)
        await record_audit_event("course.published", actor_id=user.id, entity="course", entity_id=course_id)
    return await get_course_detail(user, course_id)


async def cancel_course(user: CurrentUser, course_id: int, reason: str = "") -> dict[str, Any]:
    """Published → cancelled, in one transaction under the course's lock.

    Its future sessions are cancelled (calendars show them cancelled; the course keeps its dates), and
    so is every live enrolment — confirmed, waiting or still to be approved — so nobody is left with a
    seat, a waiting-list place (no promotion can happen: the course is no longer published) or a request
    in a course that will not run. Everyone who had one is told once; confirmed participants also get
    the cancellation of the sessions for their calendar (METHOD:CANCEL). Personal feeds keep showing
    the cancelled sessions for 30 days (the enrolment stays, cancelled, with its ``confirmed_at``)."""
    await get_manageable_course(user, course_id)
    reason = clean_text(reason)
    async with write_transaction():
        row = await lock_course(course_id)
        if row["status"] == CourseStatus.DRAFT:
            raise InvalidState(N_("Una bozza non si annulla: eliminala."))
        if row["status"] != CourseStatus.PUBLISHED:
            raise InvalidState(N_("Il corso è già annullato o concluso."))
        now = utcnow()
        cancelled = await Session.update({
            Session.status: SessionStatus.CANCELLED.value, Session.cancelled_at: now, Session.updated_at: now,
            Session.sequence: Session.sequence + 1,
        }).where(
            (Session.course == course_id) & (Session.status == SessionStatus.SCHEDULED) & (Session.ends_at > now)
        ).returning(Session.id)
        await Course.update({Course.status: CourseStatus.CANCELLED.value, Course.cancelled_reason: reason,
                             Course.updated_at: now}).where(Course.id == course_id)
        cancelled_ids = {r["id"] for r in cancelled}
        told = await notify_course_cancelled(course_id, row["title"], reason, cancelled_ids)
        ended = await Enrolment.update({
            Enrolment.status: EnrolmentStatus.CANCELLED.value, Enrolment.cancelled_at: now,
            Enrolment.cancelled_by: user.id, Enrolment.cancel_reason: reason, Enrolment.updated_at: now,
        }).where(
            (Enrolment.course == course_id) & Enrolment.status.is_in([s.value for s in LIVE_ENROLMENT_STATUSES])
        ).returning(Enrolment.id)
        await record_audit_event("course.cancelled", actor_id=user.id, entity="course", entity_id=course_id,
                                 reason=reason, data={"sessions": len(cancelled_ids), "enrolments": len(ended),
                                                      "notified": told})
    return await get_course_detail(user, course_id)


async def complete_course(user: CurrentUser, course_id: int) -> dict[str, Any]:
    """Published → completed, once its last session has ended."""
    await get_manageable_course(user, course_id)
    async with write_transaction():
        row = await lock_course(course_id)
        if row["status"] != CourseStatus.PUBLISHED:
            raise InvalidState(N_("Si conclude solo un corso pubblicato."))
        if row["ends_at"] is None or row["ends_at"] > utcnow():
            raise InvalidState(N_("Il corso si può chiudere solo dopo il suo ultimo incontro."))
        await Course.update({Course.status: CourseStatus.COMPLETED.value, Course.updated_at: utcnow()}).where(
            Course.id == course_id)
        await record_audit_event("course.completed", actor_id=user.id, entity="course", entity_id=course_id)
    return await get_course_detail(user, course_id)


async def delete_draft_course(user: CurrentUser, course_id: int) -> None:
    """A draft nobody has seen can be removed altogether (with its sessions)."""
    await get_manageable_course(user, course_id)
    async with write_transaction():
        row = await lock_course(course_id)
        if row["status"] != CourseStatus.DRAFT:
            raise InvalidState(N_("Si elimina solo un corso in bozza; un corso pubblicato si annulla."))
        if await Enrolment.exists().where(Enrolment.course == course_id):
            raise InvalidState(N_("Il corso ha delle iscrizioni: non si può eliminare."))
        await Course.update({Course.copied_from: None}).where(Course.copied_from == course_id)
        await Course.delete().where(Course.id == course_id)
        await record_audit_event("course.deleted", actor_id=user.id, entity="course", entity_id=course_id)


async def copy_course(
    user: CurrentUser, course_id: int, *, first_day: date | str | None = None, confirm_warnings: bool = False
) -> dict[str, Any]:
    """A new edition: a draft with everything but the dates.

    Without ``first_day`` the copy has no sessions and no enrolment dates. With it, the scheduled
    sessions are copied too, moved so the first falls on ``first_day``, same weekdays distance and
    same Rome wall-clock times, places and topics; the scheduling checks apply as for a series.
    """
    source = await get_manageable_course_detail(user, course_id)  # managers see the online links too
    errors: dict[str, str] = {}
    day = parse_day(first_day, "first_day", errors) if first_day not in (None, "") else None
    if errors:
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
    sessions = [s for s in source["sessions"] if s["status"] == SessionStatus.SCHEDULED]
    planned: list[dict[str, Any]] = []
    if day is not None and sessions:
        shift = day - to_rome(sessions[0]["starts_at"]).date()
        for s in sessions:
            start_local, end_local = to_rome(s["starts_at"]), to_rome(s["ends_at"])
            starts = rome_wall_clock(start_local.date() + shift, start_local.time())
            ends = rome_wall_clock(end_local.date() + shift, end_local.time())
            planned.append({"starts_at": starts, "ends_at": ends,
                            "location_id": s["location"]["id"] if s["location"] else None,
                            "online_url": s["online_url"], "topics": s["topics"],
                            "trainer_id": s["trainer"]["id"] if s["trainer"] else None})
    async with write_transaction():
        values = {
            Course.path: source["path"]["id"], Course.title: source["title"], Course.description: source["description"],
            Course.capacity: source["capacity"], Course.delivery_mode: source["delivery_mode"],
            Course.location: source["location"]["id"] if source["location"] else None,
            Course.requires_approval: source["requires_approval"],
            Course.attendance_threshold: source["attendance_threshold"],
            Course.funder_plan_code: source["funder_plan_code"], Course.status: CourseStatus.DRAFT.value,
            Course.copied_from: course_id, Course.created_by: user.id, Course.position: source["position"],
        }
        copy = Course(**{column._meta.name: value for column, value in values.items()})
        await copy.save()
        await _replace_links(copy.id, [t["id"] for t in source["trainers"]],
                             [c["id"] for c in source["eligible_cooperatives"]], source["eligible_areas"])
        if planned:
            await _place_sessions(copy.id, planned, confirm_warnings=confirm_warnings)
        await record_audit_event("course.copied", actor_id=user.id, entity="course", entity_id=copy.id,
                                 data={"from": course_id})
    return await get_course_detail(user, copy.id)


# ------------------------------------------------------------------------------------------------
# Sessions
# ------------------------------------------------------------------------------------------------


@dataclass
class SessionInput:
    starts_at: str | datetime | None
    ends_at: str | datetime | None
    location_id: int | None = None
    online_url: str | None = None
    topics: str = ""
    trainer_id: int | None = None


@dataclass
class SeriesInput:
    """Weekly sessions: on ``weekdays`` (0 = Monday … 6 = Sunday) from ``first_day``, from
    ``start_time`` to ``end_time`` (Rome), ``count`` times or until ``until`` (one of the two)."""

    first_day: str | date | None
    weekdays: list[int | str]
    start_time: str | time | None
    end_time: str | time | None
    count: int | str | None = None
    until: str | date | None = None
    location_id: int | None = None
    online_url: str | None = None
    topics: list[str] | str = ""
    trainer_id: int | None = None


async def _course_for_scheduling(course_id: int) -> dict[str, Any]:
    row = await Course.select(Course.id, Course.title, Course.status, Course.capacity, Course.delivery_mode,
                              Course.location).where(Course.id == course_id).first()
    if row is None:
        raise NotFound(N_("Corso non trovato."))
    if row["status"] in (CourseStatus.CANCELLED, CourseStatus.COMPLETED):
        raise InvalidState(N_("Un corso annullato o concluso non si ripianifica."))
    return row


async def _validate_place(course: Mapping[str, Any], location_id: Any, online_url: Any, trainer_id: Any,
                          errors: dict[str, str]) -> tuple[int | None, str | None, int | None, dict[str, Any] | None]:
    """The session's place and trainer, checked against the course's delivery mode."""
    location_id = parse_id(location_id)
    url = clean_text(online_url) or None
    location = None
    if location_id is not None:
        location = await Location.select(*LOCATION_COLUMNS).where(Location.id == location_id).first()
        if location is None or not location["active"]:
            errors["location_id"] = N_("La sede indicata non esiste o non è più attiva.")
            location = None
    if url is not None and (len(url) > 500 or not ONLINE_URL_PATTERN.match(url)):
        errors["online_url"] = N_("Il collegamento online deve essere un indirizzo web completo (https://…).")
    mode = course["delivery_mode"]
    physical = location is not None and not location["is_online"]
    if "location_id" not in errors and "online_url" not in errors:
        if mode == DeliveryMode.IN_PRESENCE and not physical:
            errors["location_id"] = N_("Un corso in presenza si svolge in una sede: sceglila.")
        elif mode == DeliveryMode.ONLINE and url is None:
            errors["online_url"] = N_("Un incontro online ha bisogno del collegamento.")
        elif mode == DeliveryMode.BLENDED and not physical and url is None:
            errors["location_id"] = N_("Indica una sede o un collegamento online.")
    trainer = parse_id(trainer_id)
    if trainer is not None:
        owner = await Course.select(Course.path.owner_cooperative.as_alias("owner")).where(
            Course.id == course["id"]).first()
        allowed = {t["id"] for t in await trainer_candidates(owner["owner"] if owner else None)}
        if trainer not in allowed:
            errors["trainer_id"] = N_("La persona indicata non può tenere questo incontro.")
    return location_id, url, trainer, location


async def _course_trainer_ids(course_id: int) -> frozenset[int]:
    rows = await CourseTrainer.select(CourseTrainer.person).where(CourseTrainer.course == course_id)
    return frozenset(r["person"] for r in rows)


async def load_schedule_context(course: Mapping[str, Any], planned: list[PlannedSession]) -> ScheduleContext:
    """What :func:`check_schedule` needs: the scheduled sessions that could clash with ``planned``
    (same trainers, same rooms, or the same course on the same days) and the rooms and names involved."""
    context = ScheduleContext(course_id=course["id"], course_capacity=course["capacity"], now=utcnow())
    valid = [p for p in planned if p.ends_at > p.starts_at]
    trainers = set().union(*(p.trainer_ids for p in planned)) if planned else set()
    location_ids = {p.location_id for p in planned if p.location_id}
    if location_ids:
        rows = await Location.select(*LOCATION_COLUMNS).where(Location.id.is_in(sorted(location_ids)))
        context.locations = {r["id"]: LocationInfo(r["id"], r["name"], r["comune"], r["capacity"], r["is_online"],
                                                   r["patron_day"], r["patron_saint"])
                             for r in rows}
    if trainers:
        rows = await Person.select(Person.id, Person.full_name).where(Person.id.is_in(sorted(trainers)))
        context.trainer_names = {r["id"]: r["full_name"] for r in rows}
    if not valid:
        return context
    window_start = rome_day_bounds(to_rome(min(p.starts_at for p in valid)).date())[0]
    window_end = rome_day_bounds(to_rome(max(p.ends_at for p in valid)).date())[1]
    involved = Session.course == course["id"]
    if trainers:
        trainer_list = sorted(trainers)
        involved = involved | Session.trainer.is_in(trainer_list) | (
            Session.trainer.is_null() & Session.course.is_in(
                CourseTrainer.select(CourseTrainer.course).where(CourseTrainer.person.is_in(trainer_list))))
    if location_ids:
        involved = involved | Session.location.is_in(sorted(location_ids))
    rows = await Session.select(
        Session.id, Session.course, Session.starts_at, Session.ends_at, Session.location, Session.trainer,
        Session.course.title.as_alias("course_title"),
    ).where(
        (Session.status == SessionStatus.SCHEDULED) & (Session.course.status != CourseStatus.CANCELLED)
        & (Session.starts_at < window_end) & (Session.ends_at > window_start) & involved
    )
    course_ids = sorted({r["course"] for r in rows if r["trainer"] is None})
    taught: dict[int, set[int]] = defaultdict(set)
    if course_ids:
        for r in await CourseTrainer.select(CourseTrainer.course, CourseTrainer.person).where(
                CourseTrainer.course.is_in(course_ids)):
            taught[r["course"]].add(r["person"])
    for r in rows:
        teaching = frozenset({r["trainer"]}) if r["trainer"] is not None else frozenset(taught.get(r["course"], set()))
        context.booked.append(BookedSession(r["id"], r["course"], r["course_title"], r["starts_at"], r["ends_at"],
                                            r["location"], teaching))
    return context


def _raise_for(issues: list[Issue], confirm_warnings: bool) -> None:
    if has_errors(issues):
        raise ScheduleConflict(N_("Ci sono conflitti da risolvere prima di salvare."), issues=issues)
    if issues and not confirm_warnings:
        raise ScheduleConflict(N_("Ci sono avvisi da confermare prima di salvare."), issues=issues)


async def _place_sessions(course_id: int, sessions: list[dict[str, Any]], *, confirm_warnings: bool,
                          dry_run: bool = False) -> list[int] | list[Issue]:
    """Check and insert validated sessions of one course (inside the caller's transaction)."""
    course = await _course_for_scheduling(course_id)
    course_trainers = await _course_trainer_ids(course_id)
    planned = [
        PlannedSession(s["starts_at"], s["ends_at"], s["location_id"],
                       frozenset({s["trainer_id"]}) if s.get("trainer_id") else course_trainers)
        for s in sessions
    ]
    if not dry_run:
        await _lock_resources(planned)
    issues = check_schedule(planned, await load_schedule_context(course, planned))
    if dry_run:
        return issues
    _raise_for(issues, confirm_warnings)
    now = utcnow()
    rows = [
        Session(course=course_id, starts_at=s["starts_at"], ends_at=s["ends_at"], location=s["location_id"],
                online_url=s.get("online_url"), trainer=s.get("trainer_id"), topics=s.get("topics", ""),
                status=SessionStatus.SCHEDULED.value, sequence=0, uid=new_session_uid(), created_at=now,
                updated_at=now)
        for s in sessions
    ]
    result = await Session.insert(*rows).returning(Session.id)
    physical = [s["location_id"] for s in sessions if s["location_id"]]
    if course["location"] is None and physical:
        await Course.update({Course.location: physical[0]}).where(Course.id == course_id)
    await recompute_course_dates(course_id)
    return [r["id"] for r in result]


async def _lock_resources(planned: list[PlannedSession]) -> None:
    """Serialise bookings of the same rooms and trainers (PostgreSQL; SQLite's write lock does it)."""
    locations = sorted({p.location_id for p in planned if p.location_id})
    trainers = sorted(set().union(*(p.trainer_ids for p in planned)) if planned else set())
    if locations:
        await lock_for_update(Location.select(Location.id).where(Location.id.is_in(locations)))
    if trainers:
        await lock_for_update(Person.select(Person.id).where(Person.id.is_in(trainers)))


def new_session_uid() -> str:
    """A session's iCalendar UID: fixed at creation, never changed."""
    return f"{uuid.uuid4()}@training-hub"


async def _validated_single(course: Mapping[str, Any], data: SessionInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    starts = parse_instant_field(data.starts_at, "starts_at", errors)
    ends = parse_instant_field(data.ends_at, "ends_at", errors)
    if starts is None and "starts_at" not in errors:
        errors["starts_at"] = N_("Indica quando inizia l'incontro.")
    if ends is None and "ends_at" not in errors:
        errors["ends_at"] = N_("Indica quando finisce l'incontro.")
    location_id, url, trainer, _location = await _validate_place(course, data.location_id, data.online_url,
                                                                 data.trainer_id, errors)
    if errors:
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
    return {"starts_at": starts, "ends_at": ends, "location_id": location_id, "online_url": url,
            "topics": clean_text(data.topics), "trainer_id": trainer}


async def check_sessions(user: CurrentUser, course_id: int, data: SessionInput | SeriesInput) -> list[Issue]:
    """The conflicts and warnings saving ``data`` would meet, without saving (for "check first")."""
    await get_manageable_course(user, course_id)
    course = await _course_for_scheduling(course_id)
    sessions = await (_validated_series(course, data) if isinstance(data, SeriesInput)
                      else _validated_single(course, data))
    batch = sessions if isinstance(sessions, list) else [sessions]
    result = await _place_sessions(course_id, batch, confirm_warnings=False, dry_run=True)
    return result  # type: ignore[return-value]


async def create_session(
    user: CurrentUser, course_id: int, data: SessionInput, *, confirm_warnings: bool = False
) -> dict[str, Any]:
    """Add one session. Raises ValidationFailed (bad input) or ScheduleConflict (every issue at once;
    warnings only when not ``confirm_warnings``)."""
    access = await get_manageable_course(user, course_id)
    async with write_transaction():
        await lock_course(course_id)
        course = await _course_for_scheduling(course_id)
        session = await _validated_single(course, data)
        ids = await _place_sessions(course_id, [session], confirm_warnings=confirm_warnings)
        await record_audit_event("session.created", actor_id=user.id, entity="session", entity_id=ids[0],
                                 data={"course_id": course_id})
    return await get_session(user, ids[0], access=access)  # type: ignore[arg-type]


async def _validated_series(course: Mapping[str, Any], data: SeriesInput) -> list[dict[str, Any]]:
    errors: dict[str, str] = {}
    first_day = parse_day(data.first_day, "first_day", errors)
    if first_day is None and "first_day" not in errors:
        errors["first_day"] = N_("Indica il giorno del primo incontro.")
    weekdays: set[int] = set()
    for value in data.weekdays or []:
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if not 0 <= number <= 6:
            errors["weekdays"] = N_("Giorno della settimana non valido.")
        weekdays.add(number)
    if not weekdays and "weekdays" not in errors:
        errors["weekdays"] = N_("Scegli almeno un giorno della settimana.")
    start_time = parse_clock(data.start_time, "start_time", errors)
    end_time = parse_clock(data.end_time, "end_time", errors)
    count = None
    if data.count not in (None, ""):
        count = parse_integer(data.count, "count", errors, minimum=1, maximum=MAX_SERIES_SESSIONS,
                         message=N_("Il numero di incontri va da 1 a 60."))
    until = parse_day(data.until, "until", errors) if data.until not in (None, "") else None
    if count is None and until is None and "count" not in errors and "until" not in errors:
        errors["count"] = N_("Indica quanti incontri oppure fino a quale giorno.")
    if count is not None and until is not None:
        errors["until"] = N_("Indica il numero di incontri oppure la data di fine, non entrambi.")
    if first_day and until and until < first_day:
        errors["until"] = N_("La data di fine viene prima del primo incontro.")
    if first_day and until and (until - first_day).days > 365:
        errors["until"] = N_("Una serie dura al massimo un anno.")
    elif first_day and until and weekdays and "weekdays" not in errors and sum(
            (first_day + timedelta(days=n)).weekday() in weekdays
            for n in range((until - first_day).days + 1)) > MAX_SERIES_SESSIONS:
        # expand_series stops at the cap: without this the series would silently end early.
        errors["until"] = N_("Una serie ha al massimo 60 incontri: scegli una data di fine più vicina.")
    location_id, url, trainer, _location = await _validate_place(course, data.location_id, data.online_url,
                                                                 data.trainer_id, errors)
    if errors:
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
    assert first_day and start_time and end_time
    instants = expand_series(SeriesRule(first_day, frozenset(weekdays), start_time, end_time, count, until))
    if not instants:
        raise ValidationFailed(N_("Nessun giorno della serie cade tra le date indicate."), field="weekdays")
    topics = data.topics if isinstance(data.topics, list) else [line for line in str(data.topics or "").splitlines()]
    topics = [clean_text(t) for t in topics]
    return [
        {"starts_at": starts, "ends_at": ends, "location_id": location_id, "online_url": url,
         "topics": topics[index] if index < len(topics) else "", "trainer_id": trainer}
        for index, (starts, ends) in enumerate(instants)
    ]


async def create_series(
    user: CurrentUser, course_id: int, data: SeriesInput, *, confirm_warnings: bool = False
) -> list[dict[str, Any]]:
    """Add a weekly series at once (all or nothing); topics per session in order (a list, or one per line)."""
    access = await get_manageable_course(user, course_id)
    async with write_transaction():
        await lock_course(course_id)
        course = await _course_for_scheduling(course_id)
        sessions = await _validated_series(course, data)
        ids = await _place_sessions(course_id, sessions, confirm_warnings=confirm_warnings)
        await record_audit_event("session.series_created", actor_id=user.id, entity="course", entity_id=course_id,
                                 data={"sessions": len(ids)})
    return await _sessions_out(user, access, ids)  # type: ignore[arg-type]


async def _sessions_out(user: CurrentUser, access: CourseFacts, session_ids: list[int]) -> list[dict[str, Any]]:
    """Sessions of the course ``access`` describes, as :func:`get_session` shows them, in two queries
    however many there are (a series of 60)."""
    if not session_ids:
        return []
    rows = await fetch_all(_SESSION_SQL + f"WHERE s.id IN ({_placeholders(len(session_ids))}) ORDER BY s.starts_at, s.id",
                           *session_ids)
    show = _shows_online_url(user, access)
    return [session_out(row, show_online_url=show) for row in rows]


def _shows_online_url(user: CurrentUser, course: CourseFacts) -> bool:
    viewer = course.viewer_for(user)
    return (user.is_admin or can_manage_course(user, course) or user.id in course.trainer_ids
            or user.id in course.session_trainer_ids
            or (viewer is not None and viewer.enrolment_status == EnrolmentStatus.CONFIRMED))


async def get_session(user: CurrentUser, session_id: int, *, access: CourseFacts | None = None) -> dict[str, Any]:
    row = await _session_row(session_id)
    if row is None:
        raise NotFound(N_("Incontro non trovato."))
    access = access if access is not None and access.id == row["course"] else await get_viewable_course(user, row["course"])
    return session_out(row, show_online_url=_shows_online_url(user, access))


async def _session_for_change(user: CurrentUser, session_id: int) -> tuple[dict[str, Any], CourseFacts]:
    row = await _session_row(session_id)
    if row is None:
        raise NotFound(N_("Incontro non trovato."))
    access = await get_manageable_course(user, row["course"])
    return row, access


async def _session_under_lock(session_id: int) -> dict[str, Any]:
    """The session as it is now, read again once its course is locked: a change that raced with this
    one has committed, so its status and ``sequence`` are current."""
    row = await _session_row(session_id)
    if row is None:
        raise NotFound(N_("Incontro non trovato."))
    return row


def session_input_from(row: Mapping[str, Any]) -> SessionInput:
    """The input that leaves a session as it is (a base for partial updates)."""
    return SessionInput(
        starts_at=row["starts_at"], ends_at=row["ends_at"],
        location_id=row["location"]["id"] if row.get("location") else None,
        online_url=row.get("online_url"), topics=row.get("topics", ""),
        trainer_id=row["trainer"]["id"] if row.get("trainer") else None,
    )


async def get_session_for_edit(user: CurrentUser, session_id: int) -> dict[str, Any]:
    """A session with its online link, for who manages the course."""
    row, _access = await _session_for_change(user, session_id)
    return session_out(row, show_online_url=True)


async def _session_change(course: Mapping[str, Any], row: Mapping[str, Any], new: Mapping[str, Any]
                          ) -> tuple[bool, bool, list[Issue]]:
    """(moved, relocated, issues) for changing session ``row`` into ``new``."""
    moved = new["starts_at"] != row["starts_at"] or new["ends_at"] != row["ends_at"]
    relocated = new["location_id"] != row["location_id"] or new["online_url"] != row["online_url"]
    retrained = new["trainer_id"] != row["trainer"]
    issues: list[Issue] = []
    if moved or relocated or retrained:
        trainers = frozenset({new["trainer_id"]}) if new["trainer_id"] else await _course_trainer_ids(row["course"])
        planned = [PlannedSession(new["starts_at"], new["ends_at"], new["location_id"], trainers, row["id"])]
        issues = check_schedule(planned, await load_schedule_context(course, planned))
        if not moved and not relocated:
            issues = [i for i in issues if i.severity == "error"]  # only a new trainer: only real clashes
    return moved, relocated, issues


async def check_session_change(user: CurrentUser, session_id: int, data: SessionInput) -> list[Issue]:
    """The conflicts and warnings changing a session into ``data`` would meet, without saving."""
    row, _access = await _session_for_change(user, session_id)
    course = await _course_for_scheduling(row["course"])
    new = await _validated_single(course, data)
    return (await _session_change(course, row, new))[2]


async def update_session(
    user: CurrentUser, session_id: int, data: SessionInput, *, confirm_warnings: bool = False
) -> dict[str, Any]:
    """Change a session. A new time or place raises its ``sequence`` and, when the course is
    published, tells everyone enrolled; the checks run again on the new time, place and trainer."""
    row, access = await _session_for_change(user, session_id)
    async with write_transaction():
        await lock_course(row["course"])
        row = await _session_under_lock(session_id)
        if row["status"] == SessionStatus.CANCELLED:
            raise InvalidState(N_("L'incontro è annullato: non si modifica più."))
        course = await _course_for_scheduling(row["course"])
        new = await _validated_single(course, data)
        trainers = [new["trainer_id"]] if new["trainer_id"] else sorted(await _course_trainer_ids(row["course"]))
        await _lock_resources([PlannedSession(new["starts_at"], new["ends_at"], new["location_id"], frozenset(trainers))])
        moved, relocated, issues = await _session_change(course, row, new)
        _raise_for(issues, confirm_warnings)
        values: dict[Any, Any] = {
            Session.starts_at: new["starts_at"], Session.ends_at: new["ends_at"], Session.location: new["location_id"],
            Session.online_url: new["online_url"], Session.topics: new["topics"], Session.trainer: new["trainer_id"],
            Session.updated_at: utcnow(),
        }
        if moved or relocated:
            values[Session.sequence] = row["sequence"] + 1
        await Session.update(values).where(Session.id == session_id)
        await recompute_course_dates(row["course"])
        if (moved or relocated) and course["status"] == CourseStatus.PUBLISHED:
            after = await _session_row(session_id)
            await notify_session_moved(course, row, after)  # type: ignore[arg-type]
        await record_audit_event("session.updated", actor_id=user.id, entity="session", entity_id=session_id,
                                 data={"moved": moved, "relocated": relocated})
    return await get_session(user, session_id, access=access)


move_session = update_session


async def cancel_session(user: CurrentUser, session_id: int, reason: str = "") -> dict[str, Any]:
    """Mark a session cancelled (it stays, for calendars and registers), raise its sequence and, when
    the course is published, tell everyone enrolled. The last scheduled session of a published course
    is not cancelled alone: cancel the course."""
    row, access = await _session_for_change(user, session_id)
    reason = clean_text(reason)
    async with write_transaction():
        await lock_course(row["course"])
        row = await _session_under_lock(session_id)
        if row["status"] == SessionStatus.CANCELLED:
            raise InvalidState(N_("L'incontro è già annullato."))
        course = await _course_for_scheduling(row["course"])
        others = await Session.count().where((Session.course == row["course"]) & (Session.id != session_id)
                                             & (Session.status == SessionStatus.SCHEDULED))
        if course["status"] == CourseStatus.PUBLISHED and others == 0:
            raise InvalidState(N_("È l'unico incontro in programma: per annullarlo annulla il corso."))
        now = utcnow()
        await Session.update({
            Session.status: SessionStatus.CANCELLED.value, Session.cancelled_at: now, Session.updated_at: now,
            Session.sequence: row["sequence"] + 1,
        }).where(Session.id == session_id)
        await recompute_course_dates(row["course"])
        if course["status"] == CourseStatus.PUBLISHED:
            await notify_session_cancelled(course, row, reason)
        await record_audit_event("session.cancelled", actor_id=user.id, entity="session", entity_id=session_id,
                                 reason=reason)
    return await get_session(user, session_id, access=access)


async def delete_draft_session(user: CurrentUser, session_id: int) -> None:
    """Remove a session of a draft course altogether (nobody has seen it yet)."""
    row, _access = await _session_for_change(user, session_id)
    async with write_transaction():
        course = await lock_course(row["course"])
        if course["status"] != CourseStatus.DRAFT:
            raise InvalidState(N_("Si eliminano solo gli incontri di un corso in bozza; altrimenti si annullano."))
        await Session.delete().where(Session.id == session_id)
        await recompute_course_dates(row["course"])
        await record_audit_event("session.deleted", actor_id=user.id, entity="course", entity_id=row["course"])


async def recompute_course_dates(course_id: int) -> None:
    """Keep ``Course.starts_at`` / ``ends_at`` = first start and last end of its scheduled sessions
    (and ``updated_at``: call it inside the transaction of every change to a course's sessions)."""
    rows = await Session.select(Session.starts_at, Session.ends_at).where(
        (Session.course == course_id) & (Session.status == SessionStatus.SCHEDULED))
    starts = min((r["starts_at"] for r in rows), default=None)
    ends = max((r["ends_at"] for r in rows), default=None)
    await Course.update({Course.starts_at: starts, Course.ends_at: ends, Course.updated_at: utcnow()}).where(
        Course.id == course_id)


def weekday_names() -> list[tuple[int, str]]:
    return [(0, i18n.gettext("lunedì")), (1, i18n.gettext("martedì")), (2, i18n.gettext("mercoledì")),
            (3, i18n.gettext("giovedì")), (4, i18n.gettext("venerdì")), (5, i18n.gettext("sabato")),
            (6, i18n.gettext("domenica"))]


