"""A batch claim takes at most ``limit`` rows, oldest first, on both engines."""

from tests.factories import make_person
from training_hub.core.tables import Outbox
from training_hub.core.timeutil import utcnow
from training_hub.notifications import sender
from training_hub.notifications.outbox import queue_message


async def test_a_claim_takes_no_more_than_its_limit():
    person = await make_person()
    for subject in ("A", "B", "C"):
        await queue_message("prova", recipient_id=person.id, to_email=person.email, subject=subject, body="x")
    claimed = await sender.claim_due(utcnow(), 2)
    assert [row["subject"] for row in claimed] == ["A", "B"]
    assert await Outbox.count().where(Outbox.attempts == 1) == 2
