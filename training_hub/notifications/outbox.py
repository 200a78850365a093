"""Queueing notifications: a row in the outbox, written in the caller's transaction.

Whoever changes something people must hear about (a session moved, a seat confirmed…) calls
:func:`queue_notification` inside the same transaction as the change, so a rolled-back change never
announces anything. Sending is the notifications worker's job (``sender.py``); a request never waits
for SMTP. Messages are composed in Italian (the consortium's language), whatever the page language was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from training_hub.core.db import fetch_all
from training_hub.core.tables import Person
from training_hub.core.timeutil import utcnow

# One statement, usable inside a seat transaction without the query builder's cost. ON CONFLICT DO
# NOTHING makes ``dedupe_key`` race-free: two workers queueing the same reminder write it once.
_INSERT_HEAD = (
    "INSERT INTO outbox (created_at, kind, recipient, to_email, subject, body, ics, dedupe_key, status, "
    "attempts, next_attempt_at, sent_at, last_error) VALUES "
)
_ROW = "({}, {}, {}, {}, {}, {}, {}, {}, 'pending', 0, {}, NULL, '')"
_INSERT_TAIL = " ON CONFLICT DO NOTHING RETURNING id"
# Rows per statement when queueing many: 900 parameters, well under SQLite's and PostgreSQL's limits.
_BATCH = 100


@dataclass(frozen=True)
class OutgoingMessage:
    kind: str
    recipient_id: int
    to_email: str
    subject: str
    body: str
    ics: str = ""
    dedupe_key: str | None = None
    send_after: datetime | None = None


async def queue_message(
    kind: str,
    *,
    recipient_id: int,
    to_email: str,
    subject: str,
    body: str,
    ics: str = "",
    dedupe_key: str | None = None,
    send_after: datetime | None = None,
) -> bool:
    """Queue one message to a known address; False when ``dedupe_key`` was already queued."""
    return bool(await queue_messages([OutgoingMessage(kind, recipient_id, to_email, subject, body, ics, dedupe_key,
                                                      send_after)]))


async def queue_messages(messages: Sequence[OutgoingMessage]) -> int:
    """Queue many messages (everyone enrolled in a course, say) in one statement per hundred, inside
    the caller's transaction; returns how many were new (a ``dedupe_key`` already queued is skipped)."""
    now = utcnow()
    queued = 0
    for first in range(0, len(messages), _BATCH):
        batch = messages[first:first + _BATCH]
        args: list[object] = []
        for m in batch:
            args += [now, m.kind, m.recipient_id, m.to_email, m.subject[:300], m.body, m.ics, m.dedupe_key,
                     m.send_after or now]
        rows = await fetch_all(_INSERT_HEAD + ", ".join([_ROW] * len(batch)) + _INSERT_TAIL, *args)
        queued += len(rows)
    return queued


async def queue_notification(
    kind: str,
    *,
    recipient_id: int,
    subject: str,
    body: str,
    ics: str = "",
    dedupe_key: str | None = None,
    send_after: datetime | None = None,
) -> bool:
    """Queue one message for a person; False when ``dedupe_key`` was already queued or they have no e-mail."""
    person = await Person.select(Person.email, Person.active).where(Person.id == recipient_id).first()
    if person is None or not person["active"] or not person["email"]:
        return False
    return await queue_message(
        kind,
        recipient_id=recipient_id,
        to_email=person["email"],
        subject=subject,
        body=body,
        ics=ics,
        dedupe_key=dedupe_key,
        send_after=send_after,
    )
