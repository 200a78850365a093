"""A course's number of seats: what it may be, and the one way it changes.

The rules, whoever changes the seats (the catalogue's course form and ``PATCH /api/courses/{id}``, the
participant list's capacity form and ``POST /api/courses/{id}/capacity``):

* a whole number from 1 to :data:`MAX_CAPACITY`;
* never fewer than the seats already confirmed — nobody loses a seat because a number was typed
  (cancel some enrolments first);
* never more than the seats of a room the course meets in: its own location and those of its
  scheduled sessions;
* raising it gives the new seats to the waiting list at once, in the same transaction, under the same
  lock (:func:`seats.waitlist.promote_waitlist`);
* the change is audited once, as ``course.capacity_changed`` with the old and the new number.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, fetch_one
from training_hub.core.errors import ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.parsing import parse_integer
from training_hub.core.timeutil import utcnow
from training_hub.seats.locking import require_transaction
from training_hub.seats.state import seat_state
from training_hub.seats.waitlist import promote_waitlist

MAX_CAPACITY = 1000
CAPACITY_RANGE = N_("I posti sono un numero intero da 1 a 1000.")
BELOW_CONFIRMED = N_("Ci sono già %(taken)s iscritti confermati: i posti non possono essere meno.")
ROOM_TOO_SMALL = N_("La sede «%(location)s» ha solo %(room)s posti.")

# The smallest room the course meets in that is smaller than the capacity asked for.
SMALLEST_ROOM_SQL = (
    "SELECT l.name, l.capacity FROM location l WHERE l.capacity IS NOT NULL AND l.capacity < {} "
    "AND (l.id IN (SELECT location FROM course WHERE id = {}) "
    "OR l.id IN (SELECT location FROM course_session WHERE course = {} AND status = 'scheduled')) "
    "ORDER BY l.capacity, l.id LIMIT 1"
)


def parse_capacity(value: Any, errors: dict[str, str], field: str = "capacity") -> int | None:
    """A number of seats as typed (1 to 1000); the message goes into ``errors`` otherwise."""
    return parse_integer(value, field, errors, minimum=1, maximum=MAX_CAPACITY, message=CAPACITY_RANGE)


async def change_capacity(
    locked: Mapping[str, Any], capacity: int, *, actor_id: int | None, now: datetime | None = None
) -> list[int]:
    """Set the seats of the course ``locked`` (its row as :func:`seats.locking.lock_course` returned it,
    inside the caller's transaction) to ``capacity``; the ids of the enrolments promoted.

    ValidationFailed (field ``capacity``) when it is fewer than the confirmed seats or more than a
    room the course meets in holds — checked after the caller's other changes to the course (a new
    location included), so the rooms are the ones it will meet in.
    """
    require_transaction("change_capacity()")
    course_id = locked["id"]
    state = await seat_state(course_id)
    if capacity < state.confirmed:
        raise ValidationFailed(BELOW_CONFIRMED, field="capacity", taken=state.confirmed)
    room = await fetch_one(SMALLEST_ROOM_SQL, capacity, course_id, course_id)
    if room is not None:
        raise ValidationFailed(ROOM_TOO_SMALL, field="capacity", location=room["name"], room=room["capacity"])
    now = now or utcnow()
    if capacity != locked["capacity"]:
        await fetch_all("UPDATE course SET capacity = {}, updated_at = {} WHERE id = {}", capacity, now, course_id)
        await record_audit_event("course.capacity_changed", actor_id=actor_id, entity="course", entity_id=course_id,
                                 data={"from": locked["capacity"], "to": capacity})
    return await promote_waitlist(course_id, actor_id=actor_id, now=now)
