"""Demo notices for the office's outbox page (/admin/notifications): one the mail server refused for good."""

from __future__ import annotations

from datetime import timedelta

from training_hub.core.db import fetch_all
from training_hub.core.timeutil import utcnow


async def load_outbox_demo(person_id: int, email: str) -> None:
    created = utcnow() - timedelta(hours=3)
    await fetch_all(
        "INSERT INTO outbox (created_at, kind, recipient, to_email, subject, body, ics, status, attempts, "
        "next_attempt_at, last_error) VALUES ({}, 'enrolment_confirmed', {}, {}, {}, {}, '', 'failed', 1, {}, {})",
        created, person_id, email, "Iscrizione confermata: Analisi dei fabbisogni formativi",
        "Ciao, la tua iscrizione al corso «Analisi dei fabbisogni formativi» è confermata.\n", created,
        "SMTPRecipientsRefused: {'" + email + "': (550, b'5.1.1 User unknown')}",
    )
