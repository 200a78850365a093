"""Queueing notifications: a row in the outbox, written in the caller's transaction.

Whoever changes something people must hear about (a session moved, a seat confirmed…) calls
:func:`queue_notification` inside the same transaction as the change, so a rolled-back change never
announces anything. Sending is the notifications worker's job; a request never waits for SMTP.
Messages are composed in Italian (the consortium's language), whatever the page language was.
"""

from __future__ import annotations

from datetime import datetime

from training_hub.tables import Outbox, Person
from training_hub.timeutil import utcnow


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
    if dedupe_key and await Outbox.exists().where(Outbox.dedupe_key == dedupe_key):
        return False
    await Outbox.insert(
        Outbox(
            kind=kind,
            recipient=recipient_id,
            to_email=person["email"],
            subject=subject[:300],
            body=body,
            ics=ics,
            dedupe_key=dedupe_key,
            next_attempt_at=send_after or utcnow(),
        )
    )
    return True
