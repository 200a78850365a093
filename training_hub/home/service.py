"""What the home page offers each person: their next sessions and what waits for them.

The home page is the most visited page, so its few queries are hand-written (see db.fetch_all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from training_hub.attendance.rules import RECORDING_OPENS_BEFORE
from training_hub.core.db import fetch_all, fetch_one
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import CourseStatus, EnrolmentStatus, Role, SessionStatus, SurveyStatus
from training_hub.core.timeutil import to_rome, to_utc, utcnow
from training_hub.core.wording import GOOD_MORNING, greeting

UPCOMING_LIMIT = 5

_SESSION_COLUMNS = (
    "SELECT s.id, s.starts_at, s.ends_at, s.online_url, c.id AS course_id, c.title AS course_title, "
    "l.name AS location_name, l.comune AS location_comune "
    "FROM course_session s JOIN course c ON c.id = s.course LEFT JOIN location l ON l.id = s.location "
)
_MY_SESSIONS = (
    _SESSION_COLUMNS
    + "WHERE s.course IN (SELECT e.course FROM enrolment e WHERE e.person = {} AND e.status = {}) "
    "AND s.status = {} AND s.ends_at > {} ORDER BY s.starts_at LIMIT {}"
)
_TEACHING_SESSIONS = (
    _SESSION_COLUMNS
    + "WHERE (s.trainer = {} OR s.course IN (SELECT t.course FROM course_trainer t WHERE t.person = {})) "
    "AND s.status = {} AND s.ends_at > {} ORDER BY s.starts_at LIMIT {}"
)
_COUNTS = (
    "SELECT "
    "(SELECT COUNT(*) FROM enrolment WHERE person = {} AND status = {}) AS open_enrolments, "
    "(SELECT COUNT(*) FROM enrolment WHERE person = {} AND status = {}) AS waitlisted, "
    "(SELECT COUNT(*) FROM course WHERE status = {} AND id IN "
    "(SELECT course FROM course_trainer WHERE person = {})) AS draft_courses, "
    "(SELECT COUNT(*) FROM enrolment WHERE status = {}) AS pending_approvals, "
    "(SELECT COUNT(*) FROM survey_invitation i JOIN survey v ON v.id = i.survey "
    "WHERE i.person = {} AND i.answered = {} AND v.status = {} AND v.closes_at > {}) AS open_surveys, "
    # Safety roles bring mandatory training: the home links "La mia formazione obbligatoria".
    "(SELECT COUNT(*) FROM safety_role WHERE person = {}) AS safety_roles"
)


@dataclass
class HomeSummary:
    upcoming_sessions: list[dict[str, Any]] = field(default_factory=list)
    teaching_sessions: list[dict[str, Any]] = field(default_factory=list)
    pending_approvals: int = 0
    draft_courses: int = 0
    open_enrolments: int = 0  # requests waiting for approval
    waitlisted: int = 0  # places on a waiting list (not a request: nobody has to approve them)
    open_surveys: int = 0
    safety_roles: int = 0  # roles that bring mandatory safety training
    greeting: str = GOOD_MORNING  # the msgid, by the Rome hour


# The roll call is one tap away on the home page from when the register opens until an hour after the
# session ends (the register stays open longer: see attendance.rules).
ROLL_CALL_LINK_AFTER_END = timedelta(hours=1)


async def home_summary(user: CurrentUser, now: datetime | None = None) -> HomeSummary:
    now = now or utcnow()
    summary = HomeSummary()
    summary.upcoming_sessions = await fetch_all(
        _MY_SESSIONS, user.id, EnrolmentStatus.CONFIRMED.value, SessionStatus.SCHEDULED.value, now, UPCOMING_LIMIT
    )
    counts = await fetch_one(
        _COUNTS,
        user.id, EnrolmentStatus.PENDING.value, user.id, EnrolmentStatus.WAITLISTED.value,
        CourseStatus.DRAFT.value, user.id,
        EnrolmentStatus.PENDING.value,
        user.id, False, SurveyStatus.OPEN.value, now,
        user.id,
    ) or {}
    summary.open_enrolments = counts.get("open_enrolments", 0)
    summary.waitlisted = counts.get("waitlisted", 0)
    summary.greeting = greeting(to_rome(now).hour)
    summary.open_surveys = counts.get("open_surveys", 0)
    summary.safety_roles = counts.get("safety_roles", 0)
    if user.has_role(Role.TRAINER):
        summary.draft_courses = counts.get("draft_courses", 0)
        rows = await fetch_all(
            _TEACHING_SESSIONS, user.id, user.id, SessionStatus.SCHEDULED.value, now - timedelta(hours=12),
            UPCOMING_LIMIT,
        )
        summary.teaching_sessions = []
        for row in rows:  # database records are read-only: each becomes a dict with two flags
            starts_at, ends_at = to_utc(row["starts_at"]), to_utc(row["ends_at"])
            summary.teaching_sessions.append({
                **dict(row), "in_progress": starts_at <= now < ends_at,
                "roll_call_now": starts_at - RECORDING_OPENS_BEFORE <= now < ends_at + ROLL_CALL_LINK_AFTER_END,
            })
    if user.is_admin:
        summary.pending_approvals = counts.get("pending_approvals", 0)
    return summary


_ADMIN_COUNTS = (
    "SELECT (SELECT COUNT(*) FROM enrolment WHERE status = {}) AS pending_approvals, "
    "(SELECT COUNT(*) FROM person WHERE active = {}) AS people, "
    "(SELECT COUNT(*) FROM cooperative WHERE active = {}) AS cooperatives, "
    "(SELECT COUNT(*) FROM location WHERE active = {}) AS locations"
)


async def admin_hub_counts() -> dict[str, int]:
    row = await fetch_one(_ADMIN_COUNTS, EnrolmentStatus.PENDING.value, True, True, True)
    return dict(row or {})
