"""The course lock: every decision about a course's seats, and every change to a course or its sessions,
runs under it.

Locking — read this before changing anything that decides on seats
------------------------------------------------------------------
Every decision about seats (enrolling, cancelling a confirmed seat, approving, changing the capacity,
promoting from the waiting list) runs in ONE transaction that starts by locking the course row:

    async with write_transaction():                  # core.db.write_transaction()
        course = await lock_course(course_id)       # SELECT … FOR UPDATE (PostgreSQL)
        state = await seat_state(course_id, …)      # counted in a NEW statement, after the lock
        … decide, write the enrolment, queue the message for the person …

* **PostgreSQL.** ``FOR UPDATE`` on the course row serialises the seat decisions of that course, and
  only of that course. The seats are counted by a separate statement *after* the locking one
  (:func:`training_hub.seats.state.seat_state`): under READ COMMITTED every statement takes a fresh
  snapshot, so the count sees every seat committed by whoever held the lock before. (A sub-select
  inside the locking statement would use the snapshot taken before the wait and count stale seats —
  don't merge the two.)
* **SQLite.** ``write_transaction()`` is ``BEGIN IMMEDIATE``: the database write lock is taken at
  BEGIN, so nothing another writer commits can change what this transaction reads; ``lock_for_update``
  adds nothing there. Writers from other processes wait on the 30 s busy timeout; writers from this
  process queue in arrival order on an ``asyncio.Lock`` inside ``write_transaction()`` (see core/db.py).
* The partial unique index ``enrolment_one_live`` (one live enrolment per person and course) is the
  last line of defence: even code that forgets the lock cannot write a second live enrolment.
* Notifications are queued in the outbox in the same transaction — a rolled-back decision announces
  nothing — and sent later by the notifications worker, never during a request.
* Checks that only read and cannot be changed by a concurrent seat decision (visibility, who may enrol
  whom, eligibility, overlapping sessions) run *before* the transaction to keep the lock short; those
  that can change (course status and window, an existing live enrolment) are checked again under it.
* Reasons (of a cancellation, an approval, a rejection) are free text that could carry health
  details: they are kept on the enrolment row and sent to the person, never copied into the audit
  trail, which records who decided what and when.
* The enrolment hot path keeps to four statements under the lock: the lock itself
  (``core.db.lock_for_update``, the house convention), then the count, the insert and the outbox row
  written by hand (``core.db.fetch_all``), because the query builder costs more than the queries and
  the lock is held meanwhile.

The catalogue takes the same lock for every change to a course or its sessions (editing, publishing,
cancelling, scheduling), so what it decides on cannot change under it either, and a capacity change
and an enrolment of the same course never interleave.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from training_hub.core.db import in_transaction, lock_for_update
from training_hub.core.errors import NotFound
from training_hub.core.i18n import N_
from training_hub.core.tables import Course

# What the seat decisions and the catalogue's changes read of the locked row.
LOCK_COLUMNS = (
    Course.id,
    Course.title,
    Course.status,
    Course.capacity,
    Course.requires_approval,
    Course.enrolment_opens_at,
    Course.enrolment_closes_at,
    Course.cancellation_deadline,
    Course.starts_at,
    Course.ends_at,
)


async def lock_course(course_id: int) -> dict[str, Any]:
    """Read the course row and lock it until the transaction ends (FOR UPDATE; IMMEDIATE on SQLite).

    Locking it again in the same transaction is free. NotFound when the course does not exist."""
    rows = await lock_for_update(Course.select(*LOCK_COLUMNS).where(Course.id == course_id))
    if not rows:
        raise NotFound(N_("Corso non trovato."))
    return rows[0]


def require_transaction(what: str) -> None:
    """Refuse to run ``what`` outside the caller's ``write_transaction()`` (a programming error)."""
    if not in_transaction():
        raise RuntimeError(f"{what} va chiamata dentro write_transaction(), dopo aver bloccato il corso.")


def precise_now() -> datetime:
    """Now with microseconds: the waiting-list order needs more than ``utcnow()``'s seconds."""
    return datetime.now(UTC)
