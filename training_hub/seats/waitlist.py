"""The waiting list moves here, and only here: a freed seat goes to the first person waiting, at once.

"At once" means in the transaction that freed the seat (a cancellation, a capacity raised), under the
course lock that transaction holds — never later, by some sweep that could find the seat taken by a
newcomer first. Never, either, after the enrolment window has closed or the course has started: then
the seat stays free (the office may still approve a request, or enrol someone by hand).

Contract for callers: :func:`promote_waitlist` must be called inside the caller's
``write_transaction()``, after the caller has locked the course (:func:`seats.locking.lock_course`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all
from training_hub.core.tables import CourseStatus
from training_hub.core.timeutil import utcnow
from training_hub.notifications.compose import course_sessions
from training_hub.notifications.enrolment_notices import queue_enrolment_notice
from training_hub.seats.facts import cancellation_deadline_of
from training_hub.seats.locking import lock_course, require_transaction
from training_hub.seats.state import seat_state

WAITLIST_SQL = (
    "SELECT e.id, e.person, p.full_name, p.email, p.active FROM enrolment e JOIN person p ON p.id = e.person "
    "WHERE e.course = {} AND e.status = 'waitlisted' ORDER BY e.waitlisted_at, e.id LIMIT {}"
)


def promotion_allowed(course: Mapping[str, Any], now: datetime) -> bool:
    """A freed seat goes to the waiting list only while the course is open for enrolment."""
    if course["status"] != CourseStatus.PUBLISHED:
        return False
    closes, starts = course["enrolment_closes_at"], course["starts_at"]
    return not ((closes is not None and now >= closes) or (starts is not None and now >= starts))


async def promote_waitlist(course_id: int, *, actor_id: int | None, now: datetime | None = None) -> list[int]:
    """Give every free seat of the course to the first people on its waiting list; their ids.

    MUST run inside the caller's ``write_transaction()`` after the caller locked the course (it locks
    the row again, which is free inside the same transaction, and raises RuntimeError outside one).
    Does nothing once the enrolment window has closed, the course has started or is not published.
    Each promoted person gets a notification with the course's sessions as an invitation.
    """
    require_transaction("promote_waitlist()")
    now = now or utcnow()
    course = await lock_course(course_id)
    if not promotion_allowed(course, now):
        return []
    state = await seat_state(course_id)
    free = int(course["capacity"] or 0) - state.confirmed
    if free <= 0 or state.waitlisted == 0:
        return []
    first_in_line = await fetch_all(WAITLIST_SQL, course_id, free)
    ids = [row["id"] for row in first_in_line]
    placeholders = ", ".join("{}" for _ in ids)
    await fetch_all(
        f"UPDATE enrolment SET status = 'confirmed', confirmed_at = {{}}, updated_at = {{}} "
        f"WHERE status = 'waitlisted' AND id IN ({placeholders})",
        now, now, *ids,
    )
    sessions = await course_sessions(course_id)
    for row in first_in_line:
        person = {"id": row["person"], "full_name": row["full_name"], "email": row["email"], "active": row["active"]}
        await queue_enrolment_notice("enrolment_promoted", person, course["title"], sessions=sessions,
                                     deadline=cancellation_deadline_of(course), ics_method="REQUEST")
    await record_audit_event("enrolment.promoted", actor_id=actor_id, entity="course", entity_id=course_id,
                             data={"enrolment_ids": ids})
    return ids
