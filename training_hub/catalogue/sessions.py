"""Sessions (lessons) of a course: one, or a weekly series, added, moved, cancelled or deleted.

Every change runs under the course's lock and checks the whole schedule at once (``scheduling``: the
same trainer or room twice, rooms too small, holidays and patron saints, hours out of the day), errors
and warnings together: warnings are saved only when confirmed. A session moved or relocated raises its
``sequence`` (so calendars update it) and, in a published course, everyone enrolled is told
(``notifications.course_notices``); a cancelled session stays, marked cancelled, for calendars and
registers. The course's dates follow its scheduled sessions (:func:`recompute_course_dates`). The
online link is shown only to confirmed participants, trainers, managers and admins.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from training_hub.catalogue.access import (
    can_manage_course,
    get_manageable_course,
    get_viewable_course,
    trainer_candidates,
    visible_courses_condition,
)
from training_hub.catalogue.course_rows import SESSION_SQL, placeholders, session_out, session_row
from training_hub.catalogue.locations import LOCATION_COLUMNS
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
from training_hub.core import events
from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, lock_for_update, write_transaction
from training_hub.core.errors import InvalidState, Issue, NotFound, ScheduleConflict, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import (
    clean_text,
    multi_line,
    parse_clock,
    parse_day,
    parse_id,
    parse_instant_field,
    parse_integer,
    single_line,
)
from training_hub.core.tables import (
    Course,
    CourseStatus,
    CourseTrainer,
    DeliveryMode,
    EnrolmentStatus,
    Location,
    Person,
    Session,
    SessionStatus,
)
from training_hub.core.timeutil import rome_day_bounds, to_rome, utcnow
from training_hub.notifications.course_notices import notify_session_cancelled, notify_session_moved
from training_hub.seats.facts import CourseFacts
from training_hub.seats.locking import lock_course

ONLINE_URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


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
    url = single_line(online_url, "online_url", errors) or None
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


async def load_schedule_context(course: Mapping[str, Any], planned: list[PlannedSession],
                                viewer: CurrentUser) -> ScheduleContext:
    """What :func:`check_schedule` needs: the scheduled sessions that could clash with ``planned``
    (same trainers, same rooms, or the same course on the same days) and the rooms and names involved.

    A clashing course ``viewer`` may not read keeps its clash but not its title ("un altro corso"):
    another cooperative's internal course or another trainer's draft is never named."""
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
    readable = await _readable_courses(viewer, {r["course"] for r in rows} - {course["id"]})
    for r in rows:
        teaching = frozenset({r["trainer"]}) if r["trainer"] is not None else frozenset(taught.get(r["course"], set()))
        title = r["course_title"] if r["course"] == course["id"] or r["course"] in readable else None
        context.booked.append(BookedSession(r["id"], r["course"], title, r["starts_at"], r["ends_at"],
                                            r["location"], teaching))
    return context


async def _readable_courses(viewer: CurrentUser, course_ids: set[int]) -> set[int]:
    """Which of ``course_ids`` the viewer may read (the catalogue's visibility rule, one query)."""
    if not course_ids:
        return set()
    condition = visible_courses_condition(viewer)
    if condition is None:
        return course_ids
    rows = await Course.select(Course.id).where(Course.id.is_in(sorted(course_ids)) & condition)
    return {r["id"] for r in rows}


def _raise_for(issues: list[Issue], confirm_warnings: bool) -> None:
    if has_errors(issues):
        raise ScheduleConflict(N_("Ci sono conflitti da risolvere prima di salvare."), issues=issues)
    if issues and not confirm_warnings:
        raise ScheduleConflict(N_("Ci sono avvisi da confermare prima di salvare."), issues=issues)


async def place_sessions(course_id: int, sessions: list[dict[str, Any]], *, confirm_warnings: bool,
                         viewer: CurrentUser, dry_run: bool = False) -> list[int] | list[Issue]:
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
    issues = check_schedule(planned, await load_schedule_context(course, planned, viewer))
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
    topics = multi_line(data.topics, "topics", errors)
    if errors:
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
    return {"starts_at": starts, "ends_at": ends, "location_id": location_id, "online_url": url,
            "topics": topics, "trainer_id": trainer}


async def check_sessions(user: CurrentUser, course_id: int, data: SessionInput | SeriesInput) -> list[Issue]:
    """The conflicts and warnings saving ``data`` would meet, without saving (for "check first")."""
    await get_manageable_course(user, course_id)
    course = await _course_for_scheduling(course_id)
    sessions = await (_validated_series(course, data) if isinstance(data, SeriesInput)
                      else _validated_single(course, data))
    batch = sessions if isinstance(sessions, list) else [sessions]
    result = await place_sessions(course_id, batch, confirm_warnings=False, viewer=user, dry_run=True)
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
        ids = await place_sessions(course_id, [session], confirm_warnings=confirm_warnings, viewer=user)
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
        ids = await place_sessions(course_id, sessions, confirm_warnings=confirm_warnings, viewer=user)
        await record_audit_event("session.series_created", actor_id=user.id, entity="course", entity_id=course_id,
                                 data={"sessions": len(ids)})
    return await _sessions_out(user, access, ids)  # type: ignore[arg-type]


async def _sessions_out(user: CurrentUser, access: CourseFacts, session_ids: list[int]) -> list[dict[str, Any]]:
    """Sessions of the course ``access`` describes, as :func:`get_session` shows them, in two queries
    however many there are (a series of 60)."""
    if not session_ids:
        return []
    rows = await fetch_all(SESSION_SQL + f"WHERE s.id IN ({placeholders(len(session_ids))}) ORDER BY s.starts_at, s.id",
                           *session_ids)
    show = _shows_online_url(user, access)
    return [session_out(row, show_online_url=show) for row in rows]


def _shows_online_url(user: CurrentUser, course: CourseFacts) -> bool:
    viewer = course.viewer_for(user)
    return (user.is_admin or can_manage_course(user, course) or user.id in course.trainer_ids
            or user.id in course.session_trainer_ids
            or (viewer is not None and viewer.enrolment_status == EnrolmentStatus.CONFIRMED))


async def get_session(user: CurrentUser, session_id: int, *, access: CourseFacts | None = None) -> dict[str, Any]:
    row = await session_row(session_id)
    if row is None:
        raise NotFound(N_("Incontro non trovato."))
    access = access if access is not None and access.id == row["course"] else await get_viewable_course(user, row["course"])
    return session_out(row, show_online_url=_shows_online_url(user, access))


async def _session_for_change(user: CurrentUser, session_id: int) -> tuple[dict[str, Any], CourseFacts]:
    row = await session_row(session_id)
    if row is None:
        raise NotFound(N_("Incontro non trovato."))
    access = await get_manageable_course(user, row["course"])
    return row, access


async def _session_under_lock(session_id: int) -> dict[str, Any]:
    """The session as it is now, read again once its course is locked: a change that raced with this
    one has committed, so its status and ``sequence`` are current."""
    row = await session_row(session_id)
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


async def _session_change(course: Mapping[str, Any], row: Mapping[str, Any], new: Mapping[str, Any],
                          viewer: CurrentUser) -> tuple[bool, bool, list[Issue]]:
    """(moved, relocated, issues) for changing session ``row`` into ``new``."""
    moved = new["starts_at"] != row["starts_at"] or new["ends_at"] != row["ends_at"]
    relocated = new["location_id"] != row["location_id"] or new["online_url"] != row["online_url"]
    retrained = new["trainer_id"] != row["trainer"]
    issues: list[Issue] = []
    if moved or relocated or retrained:
        trainers = frozenset({new["trainer_id"]}) if new["trainer_id"] else await _course_trainer_ids(row["course"])
        planned = [PlannedSession(new["starts_at"], new["ends_at"], new["location_id"], trainers, row["id"])]
        issues = check_schedule(planned, await load_schedule_context(course, planned, viewer))
        if not moved and not relocated:
            issues = [i for i in issues if i.severity == "error"]  # only a new trainer: only real clashes
    if moved:  # what hangs on the old times (attendance already recorded) warns through a hook
        for found in await events.session_times_checking.send(session_id=row["id"], starts_at=new["starts_at"],
                                                              ends_at=new["ends_at"]):
            issues += found
    return moved, relocated, issues


async def check_session_change(user: CurrentUser, session_id: int, data: SessionInput) -> list[Issue]:
    """The conflicts and warnings changing a session into ``data`` would meet, without saving."""
    row, _access = await _session_for_change(user, session_id)
    course = await _course_for_scheduling(row["course"])
    new = await _validated_single(course, data)
    return (await _session_change(course, row, new, user))[2]


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
        moved, relocated, issues = await _session_change(course, row, new, user)
        _raise_for(issues, confirm_warnings)
        values: dict[Any, Any] = {
            Session.starts_at: new["starts_at"], Session.ends_at: new["ends_at"], Session.location: new["location_id"],
            Session.online_url: new["online_url"], Session.topics: new["topics"], Session.trainer: new["trainer_id"],
            Session.updated_at: utcnow(),
        }
        if moved or relocated:
            values[Session.sequence] = row["sequence"] + 1
        await Session.update(values).where(Session.id == session_id)
        if moved:  # recorded minutes re-clipped to the new times (attendance/rescheduling.py)
            await events.session_times_changed.send(session_id=session_id, starts_at=new["starts_at"],
                                                    ends_at=new["ends_at"], actor_id=user.id)
        await recompute_course_dates(row["course"])
        if moved or relocated:
            await events.session_rescheduled.send(
                actor_id=user.id, session_id=session_id, course_id=row["course"], changed_at=utcnow(),
                old={"starts_at": row["starts_at"], "ends_at": row["ends_at"], "location_id": row["location_id"],
                     "online_url": row["online_url"]},
                new={key: new[key] for key in ("starts_at", "ends_at", "location_id", "online_url")})
        if (moved or relocated) and course["status"] == CourseStatus.PUBLISHED:
            after = await session_row(session_id)
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
