"""The training a person took during their pathway, read from the first wave's tables.

The record shows, without anyone typing it, the courses the person attended between the pathway's
start and end, with the hours: confirmed enrolments, sessions not cancelled, the minutes recorded by
attendance. The monthly sheet lists one month's sessions of those courses. Read with SQL over
``enrolment``, ``course``, ``course_session`` and ``attendance``: inclusion sits above attendance in the
layers but only its pure rules are imported (``session_minutes``, ``status_label``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from training_hub.attendance.rules import session_minutes
from training_hub.core.db import fetch_all
from training_hub.core.tables import EnrolmentStatus, SessionStatus
from training_hub.core.timeutil import rome_day_bounds, to_rome, utcnow

_SESSIONS_SQL = (
    "SELECT c.id AS course_id, c.title AS course_title, s.id AS session_id, s.starts_at, s.ends_at, "
    "a.status AS attendance_status, a.minutes AS attended_minutes "
    "FROM enrolment e JOIN course c ON c.id = e.course JOIN course_session s ON s.course = c.id "
    "LEFT JOIN attendance a ON a.session = s.id AND a.enrolment = e.id "
    "WHERE e.person = {} AND e.status = {} AND s.status = {} AND s.starts_at >= {} AND s.starts_at < {} "
    "ORDER BY s.starts_at, s.id"
)


@dataclass(frozen=True)
class SessionLine:
    course_id: int
    course_title: str
    session_id: int
    starts_at: datetime
    ends_at: datetime
    scheduled_minutes: int
    attendance_status: str | None
    attended_minutes: int


@dataclass(frozen=True)
class CourseAttended:
    course_id: int
    title: str
    first_day: date
    last_day: date
    sessions: int
    scheduled_minutes: int
    attended_minutes: int


def pathway_window(starts_on: date, ends_on: date | None, *, until: date | None = None) -> tuple[datetime, datetime]:
    """The UTC instants from the start of the first day to the end of the last (or of ``until``)."""
    last = ends_on if ends_on is not None else until or to_rome(utcnow()).date()
    if until is not None:
        last = min(last, until)
    return rome_day_bounds(starts_on)[0], rome_day_bounds(last)[1]


async def sessions_between(person_id: int, start: datetime, end: datetime) -> list[SessionLine]:
    """The person's sessions starting in ``[start, end)`` of the courses they are confirmed in."""
    if end <= start:
        return []
    rows = await fetch_all(_SESSIONS_SQL, person_id, EnrolmentStatus.CONFIRMED.value, SessionStatus.SCHEDULED.value,
                           start, end)
    return [_line(row) for row in rows]


def _line(row: dict[str, Any]) -> SessionLine:
    return SessionLine(
        course_id=row["course_id"],
        course_title=row["course_title"],
        session_id=row["session_id"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        scheduled_minutes=session_minutes(row["starts_at"], row["ends_at"]),
        attendance_status=row["attendance_status"],
        attended_minutes=int(row["attended_minutes"] or 0),
    )


def courses_from_sessions(lines: list[SessionLine], now: datetime) -> list[CourseAttended]:
    """One line per course with a session already started: sessions held, hours planned and attended."""
    by_course: dict[int, list[SessionLine]] = {}
    for line in lines:
        if line.starts_at <= now:
            by_course.setdefault(line.course_id, []).append(line)
    courses = [
        CourseAttended(
            course_id=course_id,
            title=held[0].course_title,
            first_day=to_rome(held[0].starts_at).date(),
            last_day=to_rome(held[-1].starts_at).date(),
            sessions=len(held),
            scheduled_minutes=sum(line.scheduled_minutes for line in held),
            attended_minutes=sum(line.attended_minutes for line in held),
        )
        for course_id, held in by_course.items()
    ]
    return sorted(courses, key=lambda course: (course.first_day, course.title))


async def courses_attended(person_id: int, starts_on: date, ends_on: date | None,
                           now: datetime | None = None) -> list[CourseAttended]:
    now = now or utcnow()
    start, end = pathway_window(starts_on, ends_on, until=to_rome(now).date())
    return courses_from_sessions(await sessions_between(person_id, start, end), now)


def month_bounds(month: date) -> tuple[date, date]:
    """The first day of ``month`` and the first day of the month after."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following


async def month_sessions(person_id: int, starts_on: date, ends_on: date | None, month: date) -> list[SessionLine]:
    """The sessions of one calendar month (Rome) that fall within the pathway, for the monthly sheet."""
    first, following = month_bounds(month)
    first = max(first, starts_on)
    last = following - timedelta(days=1)
    if ends_on is not None:
        last = min(last, ends_on)
    if last < first:
        return []
    return await sessions_between(person_id, rome_day_bounds(first)[0], rome_day_bounds(last)[1])
