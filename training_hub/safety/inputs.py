"""Reading what the refresh tracker's rules need, for one person, a cooperative, a page of people or
everyone, in three statements whatever the number of people.

1. **People and roles** (:data:`_PEOPLE_SQL`): every active person of the scope holding a safety role,
   one row per role, with the cooperative's risk class and its headcount — the latest year entered up to
   the current one (the RLS hours depend on it, art. 37 c. 11 D.Lgs. 81/2008; in January the previous
   year's figure still stands until the office enters the new one).
2. **Attestati obtained elsewhere** (:data:`_EXTERNAL_SQL`): course type, end date, minutes — never
   the scanned PDF (``scan`` stays out of every list).
3. **Courses held here** (:data:`_ENROLMENTS_SQL`): the live enrolments of the scope's people in safety
   courses, one row per enrolment and scheduled session with the minutes attended and the outcome of the
   latest final-test attempt. A confirmed enrolment in a course that is over counts as a training when
   the attestato is due: attendance at least the course's threshold (``attendance.progress``, the rule
   every certificate uses) AND the final test passed (every safety course has one, art. 37 c. 2), dated
   at the course's end (the last scheduled session, in Rome) with the course's scheduled hours
   (``safety/attestato.py`` prints the same). An enrolment in a course not over yet is an *upcoming*
   enrolment: the pages say the person is already booked instead of offering another edition.

The queries are hand-written and portable (SQLite and PostgreSQL), as the attendance feature's are.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from training_hub.attendance.progress import progress_from_totals
from training_hub.attendance.rules import session_minutes
from training_hub.core.db import as_bool, fetch_all
from training_hub.core.tables import CourseStatus, EnrolmentStatus, SessionStatus
from training_hub.core.timeutil import to_rome, to_utc
from training_hub.safety.course_types import find_course_type
from training_hub.safety.roles import RoleHeld
from training_hub.safety.trainings import CompletedTraining

LIVE_ENROLMENTS = (EnrolmentStatus.CONFIRMED.value, EnrolmentStatus.PENDING.value, EnrolmentStatus.WAITLISTED.value)


@dataclass(frozen=True)
class Scope:
    """Whose inputs to read: a condition on the person (alias ``p``) and its arguments."""

    where: str
    args: tuple[Any, ...] = ()


def person_scope(person_id: int) -> Scope:
    return Scope("p.id = {}", (person_id,))


def cooperative_scope(cooperative_id: int) -> Scope:
    return Scope("p.cooperative = {}", (cooperative_id,))


def people_scope(person_ids: list[int]) -> Scope:
    if not person_ids:
        return Scope("1 = 0")
    return Scope(f"p.id IN ({', '.join('{}' for _ in person_ids)})", tuple(person_ids))


EVERYONE = Scope("1 = 1")


@dataclass(frozen=True)
class UpcomingEnrolment:
    """A live enrolment in a safety course not over yet."""

    course_id: int
    course_title: str
    course_type: str
    status: str
    starts_at: datetime | None


@dataclass
class PersonInputs:
    person_id: int
    full_name: str
    email: str
    area: str | None
    cooperative_id: int | None
    cooperative_name: str
    risk_class: str | None
    headcount: int | None
    roles: list[RoleHeld] = field(default_factory=list)
    trainings: list[CompletedTraining] = field(default_factory=list)
    upcoming: list[UpcomingEnrolment] = field(default_factory=list)


_PEOPLE_SQL = (
    "SELECT p.id AS person_id, p.full_name, p.email, p.area, p.cooperative AS cooperative_id, "
    "c.name AS cooperative_name, c.risk_class, h.total AS headcount, r.role, r.level, r.since "
    "FROM safety_role r JOIN person p ON p.id = r.person "
    "LEFT JOIN cooperative c ON c.id = p.cooperative "
    "LEFT JOIN cooperative_headcount h ON h.cooperative = p.cooperative AND h.year = ("
    "SELECT MAX(h2.year) FROM cooperative_headcount h2 WHERE h2.cooperative = p.cooperative AND h2.year <= {}) "
    "WHERE p.active = {} AND "
)
_EXTERNAL_SQL = (
    "SELECT x.person AS person_id, x.course_type, x.completed_on, x.minutes "
    "FROM external_training x JOIN person p ON p.id = x.person WHERE p.active = {} AND "
)
_ENROLMENTS_SQL = (
    "SELECT e.id AS enrolment_id, e.person AS person_id, e.status AS enrolment_status, c.id AS course_id, "
    "c.title AS course_title, c.safety_course_type, c.attendance_threshold, c.status AS course_status, "
    "c.starts_at AS course_starts_at, s.id AS session_id, s.starts_at, s.ends_at, a.minutes, a.id AS attendance_id, "
    "(SELECT t.passed FROM final_test_attempt t WHERE t.enrolment = e.id "
    "ORDER BY t.submitted_at DESC, t.id DESC LIMIT 1) AS test_passed "
    "FROM enrolment e JOIN person p ON p.id = e.person JOIN course c ON c.id = e.course "
    "LEFT JOIN course_session s ON s.course = c.id AND s.status = {} "
    "LEFT JOIN attendance a ON a.session = s.id AND a.enrolment = e.id "
    f"WHERE e.status IN ({', '.join('{}' for _ in LIVE_ENROLMENTS)}) AND c.safety_course_type IS NOT NULL "
    "AND c.safety_course_type <> '' AND c.status <> {} AND p.active = {} AND "
)


def day_of(value: Any) -> date | None:
    """A DATE read by hand-written SQL (a date, or its ISO text on SQLite expressions)."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def instant(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return to_utc(value)


async def load_inputs(scope: Scope, *, today: date, now: datetime) -> list[PersonInputs]:
    """The inputs of every person of ``scope`` holding a safety role (three statements), in the order
    of the database's ids; people without a role bring no requirement and are left out."""
    rows = await fetch_all(_PEOPLE_SQL + scope.where, today.year, True, *scope.args)
    if not rows:
        return []
    people: dict[int, PersonInputs] = {}
    for row in rows:
        person = people.get(row["person_id"])
        if person is None:
            person = people[row["person_id"]] = PersonInputs(
                person_id=row["person_id"], full_name=row["full_name"], email=row["email"] or "",
                area=row["area"], cooperative_id=row["cooperative_id"],
                cooperative_name=row["cooperative_name"] or "", risk_class=row["risk_class"] or None,
                headcount=int(row["headcount"]) if row["headcount"] is not None else None,
            )
        since = day_of(row["since"])
        person.roles.append(RoleHeld(row["role"], since or today, row["level"] or None))
    for row in await fetch_all(_EXTERNAL_SQL + scope.where, True, *scope.args):
        person = people.get(row["person_id"])
        completed_on = day_of(row["completed_on"])
        if person is not None and completed_on is not None:
            person.trainings.append(CompletedTraining(row["course_type"], completed_on, int(row["minutes"] or 0) / 60))
    enrolment_rows = await fetch_all(
        _ENROLMENTS_SQL + scope.where, SessionStatus.SCHEDULED.value, *LIVE_ENROLMENTS,
        CourseStatus.CANCELLED.value, True, *scope.args,
    )
    _add_courses_held_here(people, enrolment_rows, now)
    return [people[person_id] for person_id in sorted(people)]


def _add_courses_held_here(people: dict[int, PersonInputs], rows: list[dict[str, Any]], now: datetime) -> None:
    """Attestati of courses held here, and upcoming enrolments (see the module docstring)."""
    by_enrolment: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_enrolment[row["enrolment_id"]].append(row)
    for enrolment_id, sessions_rows in by_enrolment.items():
        first = sessions_rows[0]
        person = people.get(first["person_id"])
        course = find_course_type(first["safety_course_type"])
        if person is None or course is None:
            continue
        sessions = [
            {"id": r["session_id"], "status": SessionStatus.SCHEDULED.value, "starts_at": instant(r["starts_at"]),
             "ends_at": instant(r["ends_at"])}
            for r in sessions_rows if r["session_id"] is not None
        ]
        attended = {enrolment_id: sum(int(r["minutes"] or 0) for r in sessions_rows if r["attendance_id"] is not None)}
        recorded = {(r["session_id"], enrolment_id) for r in sessions_rows if r["attendance_id"] is not None}
        completed = first["course_status"] == CourseStatus.COMPLETED.value
        progress = progress_from_totals([enrolment_id], sessions, attended, recorded,
                                        int(first["attendance_threshold"] or 0), now, completed)[enrolment_id]
        if not progress.finished:
            person.upcoming.append(UpcomingEnrolment(
                first["course_id"], first["course_title"], course.code, first["enrolment_status"],
                instant(first["course_starts_at"]),
            ))
            continue
        if first["enrolment_status"] != EnrolmentStatus.CONFIRMED.value or not progress.eligible:
            continue
        if not as_bool(first["test_passed"]):
            continue  # a safety course's attestato needs the final test passed
        last_end = max((s["ends_at"] for s in sessions), default=None)
        if last_end is None:
            continue
        minutes = sum(session_minutes(s["starts_at"], s["ends_at"]) for s in sessions)
        person.trainings.append(CompletedTraining(course.code, to_rome(last_end).date(), minutes / 60))


CHUNK_PEOPLE = 2000


async def iter_inputs(scope: Scope, *, today: date, now: datetime,
                      chunk: int = CHUNK_PEOPLE) -> AsyncIterator[list[PersonInputs]]:
    """The inputs of a large scope (everyone, for the office and the periodic jobs) a few thousand
    people at a time, by ranges of ids: memory stays bounded and the event loop gets a turn between
    chunks, so other requests are served while thousands of people are computed."""
    rows = await fetch_all(
        "SELECT DISTINCT r.person FROM safety_role r JOIN person p ON p.id = r.person "
        f"WHERE p.active = {{}} AND {scope.where} ORDER BY r.person", True, *scope.args,
    )
    ids = [row["person"] for row in rows]
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        ranged = Scope(f"p.id >= {{}} AND p.id <= {{}} AND ({scope.where})", (part[0], part[-1], *scope.args))
        yield await load_inputs(ranged, today=today, now=now)
        await asyncio.sleep(0)
