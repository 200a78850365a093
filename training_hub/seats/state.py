"""How many seats a course has given: confirmed, waitlisted and pending enrolments, counted one way.

Seats are computed, never stored. Every place that counts them — the decisions under the course lock,
the course page, the catalogue's listing (one row per course), its "seats available" filter, the
approvals list — uses the SQL written here, so a seat is the same thing everywhere: an enrolment
``confirmed`` takes one, ``waitlisted`` waits for one, ``pending`` waits for a decision.

Counts read outside the course lock are for display only; a decision counts again under the lock
(:func:`seat_state`, see :mod:`training_hub.seats.locking` for why it is a statement of its own).

The waiting list is first come, first served: ordered by ``(waitlisted_at, id)``, with
``waitlisted_at`` taken under the lock with microseconds, so the order is the order in which the lock
was granted. Position = 1 + the number of people waitlisted before (:func:`waitlist_ahead_sql`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from training_hub.core.db import fetch_all, fetch_one
from training_hub.core.tables import EnrolmentStatus

LIVE_STATUSES_SQL = "('pending', 'confirmed', 'waitlisted')"
LIVE = (EnrolmentStatus.PENDING.value, EnrolmentStatus.CONFIRMED.value, EnrolmentStatus.WAITLISTED.value)


def count_sql(status: str, course: str) -> str:
    """The number of enrolments in ``status`` of the course whose id is the SQL expression ``course``."""
    assert status in LIVE
    return f"(SELECT COUNT(*) FROM enrolment se WHERE se.course = {course} AND se.status = '{status}')"


def seat_columns(course: str) -> str:
    """The three counts of the course whose id is the SQL expression ``course``, as the columns
    ``seats_confirmed``, ``seats_waitlisted`` and ``seats_pending`` (read them with :meth:`SeatState.from_row`)."""
    return (
        f"{count_sql('confirmed', course)} AS seats_confirmed, "
        f"{count_sql('waitlisted', course)} AS seats_waitlisted, "
        f"{count_sql('pending', course)} AS seats_pending"
    )


def waitlist_ahead_sql(enrolment: str) -> str:
    """How many people wait before the enrolment aliased ``enrolment`` (0 when it is not waitlisted
    or NULL: every comparison with its NULL ``waitlisted_at`` is false)."""
    return (
        f"(SELECT COUNT(*) FROM enrolment w WHERE w.course = {enrolment}.course AND w.status = 'waitlisted' "
        f"AND (w.waitlisted_at < {enrolment}.waitlisted_at "
        f"OR (w.waitlisted_at = {enrolment}.waitlisted_at AND w.id < {enrolment}.id)))"
    )


@dataclass(frozen=True)
class SeatState:
    """Seats of one course: confirmed, waiting list length, pending requests; ``existing`` is the live
    enrolment of the person asked about (None when they have none, or nobody was asked about)."""

    confirmed: int = 0
    waitlisted: int = 0
    pending: int = 0
    existing: int | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> SeatState:
        return cls(int(row["seats_confirmed"] or 0), int(row["seats_waitlisted"] or 0),
                   int(row["seats_pending"] or 0), row.get("existing"))

    def left(self, capacity: int) -> int:
        """Free seats for a course of ``capacity`` seats."""
        return max(0, capacity - self.confirmed)


SEAT_STATE_SQL = (
    f"SELECT {seat_columns('c.id')}, "
    f"(SELECT MIN(id) FROM enrolment WHERE course = c.id AND person = {{}} AND status IN {LIVE_STATUSES_SQL}) "
    "AS existing FROM course c WHERE c.id = {}"
)


async def seat_state(course_id: int, person_id: int = 0) -> SeatState:
    """The seats of a course in one statement, and the live enrolment of ``person_id`` in it.

    What it says is decided on only under the course lock; anywhere else it is a display."""
    row = await fetch_one(SEAT_STATE_SQL, person_id, course_id)
    return SeatState.from_row(row) if row is not None else SeatState()


async def waitlist_position(enrolment_id: int) -> int | None:
    """1 + the number of people waitlisted before this enrolment; None when it is not waitlisted."""
    row = await fetch_one(f"SELECT e.status, {waitlist_ahead_sql('e')} AS ahead FROM enrolment e WHERE e.id = {{}}",
                          enrolment_id)
    if row is None or row["status"] != EnrolmentStatus.WAITLISTED:
        return None
    return int(row["ahead"]) + 1


async def enrolment_counts(course_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Live enrolments per course and status for many courses in one statement (the same counts as
    :func:`seat_state`); courses and statuses without any are left out."""
    ids = sorted(set(course_ids))
    if not ids:
        return {}
    rows = await fetch_all(
        f"SELECT c.id AS id, {seat_columns('c.id')} FROM course c WHERE c.id IN ({', '.join(['{}'] * len(ids))})", *ids)
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        state = SeatState.from_row(row)
        found = {status: n for status, n in zip(LIVE, (state.pending, state.confirmed, state.waitlisted), strict=True) if n}
        if found:
            counts[row["id"]] = found
    return counts
