"""Notices about sessions: the reminder the day before, and a session moved or cancelled.

:func:`queue_due_reminders` is run by the background worker and by ``training-hub send-notifications``:
it queues "domani hai lezione" for every confirmed participant of the sessions starting tomorrow
(Europe/Rome), once: it reads only the reminders not queued yet (so a run with nothing new writes
nothing and takes no id from the outbox's sequence), and the ``dedupe_key`` per session and person
settles two workers racing on the same new reminder.

:func:`session_invitation` is for the catalogue's notice of a moved or cancelled session: confirmed
participants get a new invitation (METHOD:REQUEST, same UID, higher SEQUENCE) or a cancellation
(METHOD:CANCEL) attached.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from training_hub.core.db import fetch_all, fetch_one
from training_hub.core.timeutil import rome_day_bounds, to_rome, utcnow
from training_hub.notifications.compose import SESSION_COLUMNS, compose, invitation
from training_hub.notifications.outbox import queue_message

SESSION_SQL = (
    f"SELECT {SESSION_COLUMNS}, c.title AS course_title "
    "FROM course_session s JOIN course c ON c.id = s.course LEFT JOIN location l ON l.id = s.location "
    "WHERE s.id = {}"
)
TOMORROW_SQL = (
    f"SELECT {SESSION_COLUMNS}, c.title AS course_title, "
    "p.id AS person_id, p.full_name, p.email "
    "FROM course_session s JOIN course c ON c.id = s.course "
    "JOIN enrolment e ON e.course = s.course AND e.status = 'confirmed' "
    "JOIN person p ON p.id = e.person AND p.active = {} "
    "LEFT JOIN location l ON l.id = s.location "
    "WHERE s.status = 'scheduled' AND c.status = 'published' AND s.starts_at >= {} AND s.starts_at < {} "
    # Only the reminders not queued yet: every run re-inserting them all, skipped by ON CONFLICT, would
    # burn a PostgreSQL sequence value per row and run (240 ids a minute with 30 reminders and 4 workers).
    "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = 'reminder:' || s.id || ':' || p.id) "
    "ORDER BY s.starts_at, s.id, p.id"
)


def reminder_key(session_id: int, person_id: int) -> str:
    return f"reminder:{session_id}:{person_id}"


async def queue_due_reminders(now: datetime | None = None) -> int:
    """Queue tomorrow's reminders (Europe/Rome days); returns how many were newly queued."""
    now = now or utcnow()
    tomorrow = to_rome(now).date() + timedelta(days=1)
    start, end = rome_day_bounds(tomorrow)
    queued = 0
    for row in await fetch_all(TOMORROW_SQL, True, start, end):
        subject, body = compose(
            "session_reminder", full_name=row["full_name"], course_title=row["course_title"], sessions=[row]
        )
        if await queue_message(
            "session_reminder",
            recipient_id=row["person_id"],
            to_email=row["email"],
            subject=subject,
            body=body,
            dedupe_key=reminder_key(row["id"], row["person_id"]),
        ):
            queued += 1
    return queued


async def load_invitation_session(session_id: int) -> dict[str, Any] | None:
    """The session as :func:`session_invitation` needs it (read once for all its participants, after
    raising ``sequence``, inside the transaction that changed the session)."""
    return await fetch_one(SESSION_SQL, session_id)


def session_invitation(session: Mapping[str, Any] | None, *, person: Mapping[str, Any], cancelled: bool = False) -> str:
    """An updated invitation for a confirmed participant of a moved or cancelled session.

    METHOD:REQUEST with the session's UID and raised SEQUENCE makes calendar clients replace the event
    they hold; METHOD:CANCEL removes it. The catalogue attaches it to its notice. ``session`` comes
    from :func:`load_invitation_session`; ``person`` has ``email`` and ``full_name``.
    """
    if session is None:
        return ""
    return invitation(
        session["course_title"],
        [session],
        method="CANCEL" if cancelled else "REQUEST",
        to_email=person["email"],
        full_name=person["full_name"],
    )
