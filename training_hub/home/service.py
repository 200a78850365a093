"""What the home page offers each person: their next sessions and what waits for them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from training_hub.tables import (
    Course,
    CourseStatus,
    CourseTrainer,
    Enrolment,
    EnrolmentStatus,
    Role,
    Session,
    SessionStatus,
)
from training_hub.timeutil import utcnow
from training_hub.web.auth import CurrentUser

UPCOMING_LIMIT = 5


@dataclass
class HomeSummary:
    upcoming_sessions: list[dict[str, Any]] = field(default_factory=list)
    teaching_sessions: list[dict[str, Any]] = field(default_factory=list)
    pending_approvals: int = 0
    draft_courses: int = 0
    open_enrolments: int = 0


def _session_columns() -> tuple[Any, ...]:
    return (
        Session.id,
        Session.starts_at,
        Session.ends_at,
        Session.course.id,
        Session.course.title,
        Session.location.name,
        Session.location.comune,
        Session.online_url,
    )


async def home_summary(user: CurrentUser, now: datetime | None = None) -> HomeSummary:
    now = now or utcnow()
    summary = HomeSummary()
    my_courses = Enrolment.select(Enrolment.course).where(
        (Enrolment.person == user.id) & (Enrolment.status == EnrolmentStatus.CONFIRMED)
    )
    summary.upcoming_sessions = await (
        Session.select(*_session_columns())
        .where(
            Session.course.is_in(my_courses)
            & (Session.status == SessionStatus.SCHEDULED)
            & (Session.ends_at > now)
        )
        .order_by(Session.starts_at)
        .limit(UPCOMING_LIMIT)
    )
    summary.open_enrolments = await Enrolment.count().where(
        (Enrolment.person == user.id)
        & Enrolment.status.is_in([EnrolmentStatus.PENDING, EnrolmentStatus.WAITLISTED])
    )
    if user.has_role(Role.TRAINER):
        taught = CourseTrainer.select(CourseTrainer.course).where(CourseTrainer.person == user.id)
        summary.teaching_sessions = await (
            Session.select(*_session_columns())
            .where(
                (Session.course.is_in(taught) | (Session.trainer == user.id))
                & (Session.status == SessionStatus.SCHEDULED)
                & (Session.ends_at > now - timedelta(hours=12))
            )
            .order_by(Session.starts_at)
            .limit(UPCOMING_LIMIT)
        )
        summary.draft_courses = await Course.count().where(
            Course.id.is_in(taught) & (Course.status == CourseStatus.DRAFT)
        )
    if user.is_admin:
        summary.pending_approvals = await Enrolment.count().where(Enrolment.status == EnrolmentStatus.PENDING)
    return summary
