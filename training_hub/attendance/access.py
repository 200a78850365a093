"""What every part of attendance shares: loading a course or a session, and who takes attendance.

The rule of who takes attendance lives here once, because four things must agree on it: recording a
roll call, showing the check-in code, the register downloads (``GET /courses/{id}/register.pdf``,
``.csv``, ``.xlsx``) and the links the course pages show (``can_take_attendance`` is passed to
``templates/attendance/_course_panel.html`` and to the course's management page). The rule itself,
over plain values, is :func:`training_hub.attendance.rules.may_take_attendance`.

The queries are hand-written and portable (SQLite and PostgreSQL): the register and the progress
tables read a course's whole attendance at once, and the query builder would cost more than the
queries. Special-category data (accessibility needs) is never read by this feature.
"""

from __future__ import annotations

from typing import Any

from training_hub.attendance.rules import may_take_attendance, session_minutes
from training_hub.catalogue.access import get_viewable_course
from training_hub.catalogue.access import is_course_trainer as catalogue_is_course_trainer
from training_hub.core.db import fetch_one, is_possible_id
from training_hub.core.errors import NotFound, PermissionDenied
from training_hub.core.i18n import N_, gettext
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import EnrolmentStatus, Role, SessionStatus
from training_hub.seats.facts import CourseFacts

CONFIRMED = EnrolmentStatus.CONFIRMED.value
SCHEDULED = SessionStatus.SCHEDULED.value

COURSE_SQL = (
    "SELECT c.id, c.title, c.status, c.attendance_threshold, c.funder_plan_code, c.delivery_mode, "
    "c.safety_course_type, p.id AS path_id, p.title AS path_title, p.kind AS path_kind "
    "FROM course c JOIN training_path p ON p.id = c.path WHERE c.id = {}"
)
SESSIONS_SQL = (
    "SELECT s.id, s.starts_at, s.ends_at, s.status, s.topics, s.online_url, s.trainer AS trainer_id, "
    "t.full_name AS trainer_name, l.name AS location_name, l.address AS location_address, "
    "l.comune AS location_comune, l.is_online AS location_online "
    "FROM course_session s LEFT JOIN person t ON t.id = s.trainer LEFT JOIN location l ON l.id = s.location "
    "WHERE s.course = {} ORDER BY s.starts_at, s.id"
)
SESSION_SQL = (
    "SELECT s.id, s.course AS course_id, s.starts_at, s.ends_at, s.status, s.topics, s.online_url, "
    "s.trainer AS trainer_id, t.full_name AS trainer_name, c.title AS course_title, "
    "c.status AS course_status, l.name AS location_name, l.comune AS location_comune "
    "FROM course_session s JOIN course c ON c.id = s.course LEFT JOIN person t ON t.id = s.trainer "
    "LEFT JOIN location l ON l.id = s.location WHERE s.id = {}"
)
ENROLMENT_COLUMNS = (
    "e.id AS enrolment_id, e.status AS enrolment_status, e.certificate_code, p.id AS person_id, "
    "p.full_name, p.codice_fiscale, p.cooperative AS cooperative_id, co.name AS cooperative_name "
)
# Whose internal course it is (None: the consortium's), asked only of a coordinator who teaches it.
_PATH_OWNER_SQL = (
    "SELECT p.owner_cooperative AS path_owner FROM course c JOIN training_path p ON p.id = c.path WHERE c.id = {}"
)


async def load_session(session_id: int) -> dict[str, Any]:
    row = await fetch_one(SESSION_SQL, session_id) if is_possible_id(session_id) else None
    if row is None:
        raise NotFound(N_("Incontro non trovato."))
    return row


async def load_course(course_id: int) -> dict[str, Any]:
    row = await fetch_one(COURSE_SQL, course_id) if is_possible_id(course_id) else None
    if row is None:
        raise NotFound(N_("Corso non trovato."))
    return row


async def can_take_attendance(user: CurrentUser, course_id: int) -> bool:
    """May ``user`` record the course's attendance, show its check-in code and download its registers?

    Admins, and whoever teaches the course and may teach it (see :func:`may_take_attendance`): a
    trainer, or the coordinator who teaches her own cooperative's internal course. The same answer
    for the routes and for the links the pages show. No query for people who can never teach.
    """
    if user.is_admin:
        return True
    if not user.has_role(Role.TRAINER, Role.COORDINATOR) or not is_possible_id(course_id):
        return False
    teaches = await catalogue_is_course_trainer(user.id, course_id)
    owner = None
    if teaches and not user.has_role(Role.TRAINER):
        row = await fetch_one(_PATH_OWNER_SQL, course_id)
        owner = row["path_owner"] if row else None
    return may_take_attendance(user.roles, user.cooperative_id, teaches=teaches, path_owner_cooperative_id=owner)


def may_take_attendance_of(user: CurrentUser, course: CourseFacts) -> bool:
    """:func:`can_take_attendance` over the course's facts a page has already read (no query)."""
    teaches = user.id in course.trainer_ids or user.id in course.scheduled_session_trainer_ids
    return may_take_attendance(
        user.roles, user.cooperative_id, teaches=teaches, path_owner_cooperative_id=course.owner_cooperative_id
    )


async def require_attendance_taker(user: CurrentUser, course_id: int, message: str) -> None:
    """Those who take the course's attendance (:func:`can_take_attendance`); anyone else is refused
    (403), or told the course does not exist (404) when they may not even see it (another
    cooperative's internal course), as the catalogue does."""
    if not await can_take_attendance(user, course_id):
        await get_viewable_course(user, course_id)
        raise PermissionDenied(message)


def session_out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "course_id": row.get("course_id"),
        "course_title": row.get("course_title"),
        "starts_at": row["starts_at"],
        "ends_at": row["ends_at"],
        "status": row["status"],
        "topics": row.get("topics") or "",
        "trainer_name": row.get("trainer_name"),
        "location_name": row.get("location_name"),
        "location_comune": row.get("location_comune"),
        "online_url": row.get("online_url"),
        "minutes": session_minutes(row["starts_at"], row["ends_at"]),
    }


def by_name(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Sorted here, not in SQL: the order must not depend on the database's collation.
    return sorted(rows, key=lambda row: ((row.get("full_name") or "").casefold(), row.get("enrolment_id") or 0))


def place_of(session: dict[str, Any]) -> str:
    """Where a session is held, as registers and certificates print it."""
    if session.get("location_name"):
        comune = session.get("location_comune") or ""
        return f"{session['location_name']}, {comune}" if comune else session["location_name"]
    if session.get("online_url") or session.get("location_online"):
        return gettext("Online")
    return ""
