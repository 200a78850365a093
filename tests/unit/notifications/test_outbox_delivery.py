"""Issue 12 items 16-18: SMTP outages, permanent refusals, a crash after sending, reminders and ids."""

import smtplib
from datetime import date, time, timedelta

import pytest

from tests.factories import make_cooperative, make_course, make_enrolment, make_person, make_session
from training_hub.core.db import fetch_all, is_sqlite
from training_hub.core.tables import Outbox
from training_hub.core.timeutil import rome_wall_clock, utcnow
from training_hub.notifications import sender
from training_hub.notifications.outbox import queue_message
from training_hub.notifications.sessions import queue_due_reminders


async def _queue(person, subject: str = "Iscrizione confermata: corso") -> int:
    await queue_message("enrolment_confirmed", recipient_id=person.id, to_email=person.email, subject=subject,
                        body="Ciao")
    return (await Outbox.select(Outbox.id).order_by(Outbox.id, ascending=False).first())["id"]


class Refusing:
    def __init__(self, exc: Exception) -> None:
        self.exc, self.calls = exc, 0

    async def send(self, message) -> None:
        self.calls += 1
        raise self.exc


@pytest.mark.parametrize("exc", [
    smtplib.SMTPRecipientsRefused({"x@example.test": (550, b"5.1.1 User unknown")}),
    smtplib.SMTPDataError(554, b"5.7.1 Message rejected"),
    smtplib.SMTPSenderRefused(553, b"5.7.1 Sender refused", "formazione@consorziolight.it"),
])
async def test_a_permanent_5xx_refusal_gives_up_at_once(exc):
    outbox_id = await _queue(await make_person())
    run = await sender.process_outbox(transport=Refusing(exc))
    assert run.failed == 1
    row = await Outbox.select().where(Outbox.id == outbox_id).first()
    assert row["status"] == "failed" and row["attempts"] == 1


@pytest.mark.parametrize("exc", [
    ConnectionRefusedError("server giù"), TimeoutError("timed out"), smtplib.SMTPServerDisconnected("lost"),
    smtplib.SMTPResponseException(421, b"4.3.2 Try again later"),
    smtplib.SMTPRecipientsRefused({"x@example.test": (450, b"4.2.0 Mailbox busy")}),
])
async def test_connection_failures_and_4xx_are_retried(exc):
    outbox_id = await _queue(await make_person())
    run = await sender.process_outbox(transport=Refusing(exc))
    assert run.retried == 1
    assert (await Outbox.select(Outbox.status).where(Outbox.id == outbox_id).first())["status"] == "pending"


async def test_an_outage_of_two_and_a_half_days_loses_nothing():
    person = await make_person()
    outbox_id = await _queue(person)
    start = utcnow()
    now, outage_ends = start, start + timedelta(days=2, hours=12)
    down = Refusing(ConnectionRefusedError("server giù"))
    while now < outage_ends:
        await sender.process_outbox(now=now, transport=down)
        now = (await Outbox.select(Outbox.next_attempt_at).where(Outbox.id == outbox_id).first())["next_attempt_at"]
    assert down.calls > 8  # the old rule gave up after 8 tries, about 2 hours
    sent = []

    class Up:
        async def send(self, message) -> None:
            sent.append(message)

    await sender.process_outbox(now=now, transport=Up())
    assert len(sent) == 1
    assert (await Outbox.select(Outbox.status).where(Outbox.id == outbox_id).first())["status"] == "sent"


class CrashAfterAcceptance:
    """The server accepted the message, then the process died before marking the row sent."""

    def __init__(self) -> None:
        self.message_ids: list[str] = []

    async def send(self, message) -> None:
        self.message_ids.append(message["Message-ID"])
        raise KeyboardInterrupt  # not an Exception: nothing in process_outbox records it, as with kill -9


async def test_a_resend_after_a_crash_is_the_same_message():
    outbox_id = await _queue(await make_person())
    crashing = CrashAfterAcceptance()
    with pytest.raises(KeyboardInterrupt):
        await sender.process_outbox(transport=crashing)
    row = await Outbox.select().where(Outbox.id == outbox_id).first()
    assert row["status"] == "pending"
    again = CrashAfterAcceptance()
    with pytest.raises(KeyboardInterrupt):
        await sender.process_outbox(now=row["next_attempt_at"] + timedelta(seconds=1), transport=again)
    assert crashing.message_ids == again.message_ids
    assert crashing.message_ids[0] == f"<outbox-{outbox_id}.{int(row['created_at'].timestamp())}@testserver.local>"
    other = await _queue(await make_person())
    assert sender.message_id({"id": other, "created_at": row["created_at"]}) != crashing.message_ids[0]


async def test_a_notifications_run_with_nothing_new_writes_nothing(count_queries):
    cooperative = await make_cooperative()
    now = rome_wall_clock(date(2026, 12, 1), time(18, 0))
    course = await make_course(title="Primo soccorso")
    await make_session(course, starts_at=rome_wall_clock(date(2026, 12, 2), time(9, 30)))
    for _ in range(3):
        await make_enrolment(await make_person(cooperative=cooperative), course)
    assert await queue_due_reminders(now) == 3
    before = await _next_outbox_id()
    with count_queries() as counter:
        assert await queue_due_reminders(now) == 0
    assert counter.count == 1 and counter.statements[0].lstrip().upper().startswith("SELECT")
    assert await _next_outbox_id() == before  # no id burnt by a skipped insert
    late = await make_person(cooperative=cooperative)
    await make_enrolment(late, course)
    assert await queue_due_reminders(now) == 1  # only the one missing


async def _next_outbox_id() -> int:
    if is_sqlite():
        return int((await fetch_all("SELECT COALESCE(MAX(id), 0) AS seq FROM outbox"))[0]["seq"])  # rowids
    return int((await fetch_all("SELECT last_value FROM outbox_id_seq"))[0]["last_value"])


async def test_outbox_ids_are_64_bit():
    big = 2**33
    if is_sqlite():
        await fetch_all("INSERT INTO outbox (id, created_at, kind, to_email, subject, body, ics, status, attempts, "
                        "next_attempt_at, last_error) VALUES ({}, {}, 'x', 'a@example.test', 's', 'b', '', 'sent', "
                        "0, {}, '')", big - 1, utcnow(), utcnow())
    else:
        await fetch_all("SELECT setval('outbox_id_seq', {})", big - 1)
    outbox_id = await _queue(await make_person())
    assert outbox_id >= big
    sent = []

    class Up:
        async def send(self, message) -> None:
            sent.append(message["X-Training-Hub-Id"])

    await sender.process_outbox(transport=Up())
    assert sent == [str(outbox_id)]
