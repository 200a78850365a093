"""Notifications of the enrolment feature: invitations, texts, the outbox sender, reminders, the worker."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import email
import logging
from datetime import UTC, date, time, timedelta

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_person,
    make_session,
)
from training_hub.catalogue.sessions import SessionInput, cancel_session, update_session
from training_hub.core import i18n
from training_hub.core.settings import get_settings
from training_hub.core.tables import Outbox
from training_hub.core.timeutil import rome_wall_clock, to_rome, utcnow
from training_hub.notifications import sender, worker
from training_hub.notifications.compose import compose
from training_hub.notifications.ics import IcsEvent, build_invitation
from training_hub.notifications.outbox import (
    OutgoingMessage,
    queue_message,
    queue_messages,
    queue_notification,
)
from training_hub.notifications.sessions import queue_due_reminders
from training_hub.web.auth import user_for_person_id

ORGANIZER = "Training Hub <formazione@consorziolight.it>"


# The invitation -----------------------------------------------------------------------------------


def test_invitation_is_an_itip_request_in_rome_time_with_its_timezone():
    winter = rome_wall_clock(date(2026, 11, 25), time(9, 30))
    summer = rome_wall_clock(date(2027, 6, 3), time(14, 0))
    events = [
        IcsEvent(
            uid="a@training-hub",
            starts_at=winter,
            ends_at=winter + timedelta(hours=3),
            summary="Bilancio sociale",
            location="Sede del Consorzio, Via Tolmezzo, 3, Milano",
            sequence=2,
        ),
        IcsEvent(
            uid="b@training-hub",
            starts_at=summer,
            ends_at=summer + timedelta(hours=2),
            summary="Bilancio sociale",
        ),
    ]
    text = build_invitation(
        events,
        method="request",
        organizer=ORGANIZER,
        attendee_email="luca@example.test",
        attendee_name="Luca Rossi",
    )
    calendar = Calendar.from_ical(text)
    assert calendar["METHOD"] == "REQUEST" and calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Rome"
    first, second = calendar.walk("VEVENT")
    assert (str(first["UID"]), int(first["SEQUENCE"]), str(first["STATUS"])) == (
        "a@training-hub",
        2,
        "CONFIRMED",
    )
    assert "DTSTART;TZID=Europe/Rome:20261125T093000" in text
    assert "DTSTART;TZID=Europe/Rome:20270603T140000" in text  # summer time: still the wall-clock hour
    assert first.decoded("DTSTART") == winter and second.decoded("DTEND") == summer + timedelta(hours=2)
    assert str(first["ORGANIZER"]) == "mailto:formazione@consorziolight.it"
    assert str(first["ATTENDEE"]) == "mailto:luca@example.test"
    assert "DTSTAMP" in first
    cancel = Calendar.from_ical(build_invitation(events[:1], method="CANCEL", organizer=ORGANIZER))
    assert cancel["METHOD"] == "CANCEL" and str(cancel.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert build_invitation([], method="REQUEST", organizer=ORGANIZER) == ""


def test_messages_are_italian_with_the_offices_date_and_time_formats_whatever_the_page_language():
    start = rome_wall_clock(date(2026, 11, 25), time(9, 30))
    session = {
        "starts_at": start,
        "ends_at": start + timedelta(hours=3, minutes=30),
        "location_name": "Aula Ticino",
        "location_address": "Corso Garibaldi, 41",
        "location_comune": "Pavia",
        "is_online": False,
    }
    with i18n.language("en"):
        subject, body = compose(
            "session_reminder", full_name="Luca Rossi", course_title="Primo soccorso", sessions=[session]
        )
    assert subject == "Domani hai lezione: Primo soccorso"
    assert body.startswith("Ciao Luca,\n")
    assert "- 25/11/2026, 09:30–13:00, Aula Ticino, Corso Garibaldi, 41, Pavia" in body
    _, waiting = compose("enrolment_waitlisted", full_name="Anna", course_title="X", position=7)
    assert "in posizione 7" in waiting


# Queueing -----------------------------------------------------------------------------------------


async def test_dedupe_key_queues_a_message_once():
    person = await make_person()
    assert await queue_message(
        "x", recipient_id=person.id, to_email=person.email, subject="S", body="B", dedupe_key="k1"
    )
    assert not await queue_message(
        "x", recipient_id=person.id, to_email=person.email, subject="S", body="B", dedupe_key="k1"
    )
    assert await queue_notification("x", recipient_id=person.id, subject="S", body="B", dedupe_key="k2")
    assert not await queue_notification("x", recipient_id=person.id, subject="S", body="B", dedupe_key="k2")
    inactive = await make_person(active=False)
    assert not await queue_notification("x", recipient_id=inactive.id, subject="S", body="B")
    assert await Outbox.count() == 2


async def test_many_messages_are_queued_in_batches_each_key_once():
    people = [await make_person() for _ in range(3)]
    assert await queue_message("x", recipient_id=people[0].id, to_email=people[0].email, subject="S", body="B",
                               dedupe_key="moved:0")
    messages = [OutgoingMessage("x", recipient_id=people[n % 3].id, to_email=people[n % 3].email,
                                subject=f"Avviso {n}", body="B", ics="ICS" if n % 2 else "", dedupe_key=f"moved:{n}")
                for n in range(250)]
    # 250 messages (three statements), one of which was queued before: 249 new rows, none twice.
    assert await queue_messages(messages) == 249
    assert await queue_messages(messages[:10]) == 0
    assert await Outbox.count() == 250
    rows = await Outbox.select(Outbox.subject, Outbox.ics, Outbox.status).where(Outbox.dedupe_key == "moved:7").first()
    assert rows == {"subject": "Avviso 7", "ics": "ICS", "status": "pending"}
    assert await queue_messages([]) == 0


# Sending ------------------------------------------------------------------------------------------


async def queue(person, n: int = 1, ics: str = "") -> list[int]:
    for index in range(n):
        await queue_message(
            "enrolment_confirmed",
            recipient_id=person.id,
            to_email=person.email,
            subject=f"Iscrizione confermata: corso {index}",
            body="Ciao Luca, dati personali",
            ics=ics,
        )
    return [row["id"] for row in await Outbox.select(Outbox.id).order_by(Outbox.id)]


async def test_without_smtp_the_log_says_what_would_be_sent_but_not_the_body(caplog):
    person = await make_person()
    [outbox_id] = await queue(person)
    with caplog.at_level(logging.INFO, logger="training_hub.notifications"):
        run = await sender.process_outbox()
    assert (run.sent, run.retried, run.failed) == (1, 0, 0)
    assert "sarebbe stata inviata" in caplog.text and "enrolment_confirmed" in caplog.text
    assert f"persona {person.id}" in caplog.text
    # Not the subject either: it names the course, and a person id beside the title of an inclusion
    # course would say who is on an inclusion pathway.
    assert "corso 0" not in caplog.text
    assert "dati personali" not in caplog.text and person.email not in caplog.text
    row = await Outbox.select().where(Outbox.id == outbox_id).first()
    assert row["status"] == "sent" and row["sent_at"] is not None and row["attempts"] == 1
    assert (await sender.process_outbox()).processed == 0  # nothing twice


class FakeSmtpServer:
    """Just enough SMTP (EHLO, AUTH PLAIN, MAIL, RCPT, DATA) to receive what smtplib sends."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.logins: list[tuple[str, str]] = []
        self.server: asyncio.base_events.Server | None = None
        self.port = 0

    async def __aenter__(self) -> FakeSmtpServer:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def reply(line: str) -> None:
            writer.write((line + "\r\n").encode())

        reply("220 fake ESMTP")
        sender_address, recipients = "", []
        while line := (await reader.readline()).decode().rstrip("\r\n"):
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                reply("250-fake")
                reply("250 AUTH PLAIN")
            elif verb == "AUTH":
                _, user, password = base64.b64decode(line.split()[2]).decode().split("\0")
                self.logins.append((user, password))
                reply("235 ok")
            elif verb == "MAIL":
                sender_address = line.split(":", 1)[1].strip("<> ")
                reply("250 ok")
            elif verb == "RCPT":
                recipients.append(line.split(":", 1)[1].strip("<> "))
                reply("250 ok")
            elif verb == "DATA":
                reply("354 go on")
                data = await reader.readuntil(b"\r\n.\r\n")
                self.messages.append((sender_address, recipients, data[:-5]))
                recipients = []
                reply("250 queued")
            elif verb == "QUIT":
                reply("221 bye")
                await writer.drain()
                break
            else:
                reply("250 ok")
            await writer.drain()
        writer.close()


async def test_smtp_sends_the_message_with_the_invitation_attached(monkeypatch):
    person = await make_person(email="luca@example.test")
    ics = build_invitation(
        [
            IcsEvent(
                uid="u@th",
                starts_at=utcnow() + timedelta(days=3),
                ends_at=utcnow() + timedelta(days=3, hours=2),
                summary="Corso",
            )
        ],
        method="REQUEST",
        organizer=ORGANIZER,
    )
    await queue(person, ics=ics)
    async with FakeSmtpServer() as smtp:
        settings = dataclasses.replace(
            get_settings(), smtp_url=f"smtp://uff%40light:segreto@127.0.0.1:{smtp.port}"
        )
        monkeypatch.setattr(sender, "get_settings", lambda: settings)
        run = await sender.process_outbox()
    assert run.sent == 1
    assert smtp.logins == [("uff@light", "segreto")]
    [(envelope_from, recipients, data)] = smtp.messages
    assert envelope_from == "formazione@consorziolight.it" and recipients == ["luca@example.test"]
    message = email.message_from_bytes(data)
    assert message["Subject"] == "Iscrizione confermata: corso 0"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "dati personali" in parts["text/plain"].get_payload(decode=True).decode()
    calendar_part = parts["text/calendar"]
    assert calendar_part.get_param("method") == "REQUEST"
    assert b"BEGIN:VCALENDAR" in calendar_part.get_payload(decode=True)


def test_smtp_url_forms():
    config = sender.SmtpConfig.from_url("smtps://mario:p%40ss@mail.example.it")
    assert (config.host, config.port, config.username, config.password, config.implicit_tls) == (
        "mail.example.it",
        465,
        "mario",
        "p@ss",
        True,
    )
    assert sender.SmtpConfig.from_url("smtp://relay:2525").port == 2525
    with pytest.raises(ValueError):
        sender.SmtpConfig.from_url("http://mail.example.it")


class FailingTransport:
    def __init__(self) -> None:
        self.calls = 0

    async def send(self, message) -> None:
        self.calls += 1
        raise ConnectionRefusedError("server giù")


async def test_a_failed_send_is_retried_with_backoff_for_the_retry_days_then_given_up():
    person = await make_person()
    [outbox_id] = await queue(person)
    created = (await Outbox.select(Outbox.created_at).first())["created_at"]
    deadline = created + timedelta(days=get_settings().notifications_retry_days)
    transport = FailingTransport()
    now = utcnow()
    waits = []
    while True:
        run = await sender.process_outbox(now=now, transport=transport)
        row = await Outbox.select().where(Outbox.id == outbox_id).first()
        assert "ConnectionRefusedError" in row["last_error"]
        if row["status"] == "failed":
            assert run.failed == 1
            break
        assert (run.retried, row["status"]) == (1, "pending")
        # Not due again before the backoff has passed.
        assert (
            await sender.process_outbox(now=row["next_attempt_at"] - timedelta(seconds=1), transport=transport)
        ).processed == 0
        waits.append(int((row["next_attempt_at"] - now).total_seconds() // 60))
        now = row["next_attempt_at"]
    assert waits[:8] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert now > deadline - timedelta(hours=1)  # kept trying for the whole window, hourly at the end
    assert transport.calls == row["attempts"] > 70
    assert (await sender.process_outbox(now=now + timedelta(days=1), transport=transport)).processed == 0


class SlowTransport:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, message) -> None:
        await asyncio.sleep(0.01)
        self.sent.append(message["X-Training-Hub-Id"])


async def test_two_workers_never_send_the_same_message_twice():
    person = await make_person()
    ids = await queue(person, n=12)
    transport = SlowTransport()
    runs = await asyncio.gather(*(sender.process_outbox(transport=transport) for _ in range(3)))
    assert sum(run.sent for run in runs) == 12
    assert sorted(transport.sent, key=int) == [str(i) for i in ids]
    assert await Outbox.count().where(Outbox.status == "sent") == 12


async def test_five_senders_share_a_hundred_messages_in_disjoint_batches():
    """Batch claims (FOR UPDATE SKIP LOCKED on PostgreSQL): every message once, none twice."""
    person = await make_person()
    ids = await queue(person, n=100)
    transport = SlowTransport()
    runs = await asyncio.gather(*(sender.process_outbox(limit=30, transport=transport) for _ in range(5)))
    while sum(run.sent for run in runs) < 100:  # a sender that found its batch taken runs again, as the loop does
        runs.append(await sender.process_outbox(limit=30, transport=transport))
    assert sorted(transport.sent, key=int) == [str(i) for i in ids]
    assert await Outbox.count().where(Outbox.status == "sent") == 100


async def test_a_failing_send_does_not_block_the_others():
    person = await make_person()
    await queue(person, n=3)

    class FlakyTransport:
        async def send(self, message) -> None:
            if message["Subject"].endswith("corso 1"):
                raise TimeoutError

    run = await sender.process_outbox(transport=FlakyTransport())
    assert (run.sent, run.retried) == (2, 1)


# Reminders and session notices --------------------------------------------------------------------


async def test_reminders_go_to_confirmed_participants_of_tomorrows_sessions_once():
    cooperative = await make_cooperative()
    # 23:30 of 27 March 2027 in Rome (22:30 UTC). "Tomorrow" is the Rome day of 28 March, the 23-hour
    # day of the switch to summer time: from 00:00 CET (23:00 UTC on the 27th) to 00:00 CEST on the
    # 29th (22:00 UTC on the 28th). A UTC calendar day would get both ends wrong.
    now = rome_wall_clock(date(2027, 3, 27), time(23, 30)).astimezone(UTC)
    location = await make_location(name="Aula Ticino", comune="Pavia")
    course = await make_course(title="Primo soccorso", enrolment_closes_at=None, cancellation_deadline=None)
    just_after_midnight = await make_session(
        course, starts_at=rome_wall_clock(date(2027, 3, 28), time(0, 30)), minutes=60
    )
    morning = await make_session(
        course, starts_at=rome_wall_clock(date(2027, 3, 28), time(9, 30)), location=location.id
    )
    await make_session(course, starts_at=rome_wall_clock(date(2027, 3, 29), time(0, 30)))  # the day after
    await make_session(course, starts_at=rome_wall_clock(date(2027, 3, 28), time(15, 0)), status="cancelled")
    confirmed = await make_person(cooperative=cooperative, full_name="Luca Rossi")
    waiting = await make_person(cooperative=cooperative)
    await make_enrolment(confirmed, course)
    await make_enrolment(waiting, course, status="waitlisted")
    assert await queue_due_reminders(now) == 2
    assert await queue_due_reminders(now) == 0  # never twice, however often it runs
    rows = await Outbox.select().order_by(Outbox.id)
    assert [(row["recipient"], row["kind"], row["dedupe_key"]) for row in rows] == [
        (confirmed.id, "session_reminder", f"reminder:{just_after_midnight.id}:{confirmed.id}"),
        (confirmed.id, "session_reminder", f"reminder:{morning.id}:{confirmed.id}"),
    ]
    assert rows[1]["subject"] == "Domani hai lezione: Primo soccorso"
    assert "28/03/2027, 09:30–12:30, Aula Ticino" in rows[1]["body"]


async def test_a_moved_or_cancelled_session_is_announced_with_a_new_invitation(trainer):
    cooperative = await make_cooperative()
    course = await make_course(title="Bilancio sociale", trainers=[trainer])
    session = await make_session(course, starts_at=utcnow() + timedelta(days=30))
    await make_session(course, starts_at=utcnow() + timedelta(days=37))
    participant = await make_person(cooperative=cooperative)
    waiting = await make_person(cooperative=cooperative)
    await make_enrolment(participant, course)
    await make_enrolment(waiting, course, status="waitlisted")
    await make_enrolment(await make_person(cooperative=cooperative), course, status="cancelled")
    user = await user_for_person_id(trainer.id)
    moved_to = (session.starts_at + timedelta(days=1)).replace(microsecond=0)
    await update_session(user, session.id, SessionInput(
        starts_at=moved_to, ends_at=moved_to + timedelta(hours=3), location_id=(await make_location()).id,
        topics="Nuovi argomenti"), confirm_warnings=True)
    await cancel_session(user, session.id, reason="Formatore malato")
    rows = await Outbox.select().order_by(Outbox.id)
    moved = [row for row in rows if row["kind"] == "session_moved"]
    cancelled = [row for row in rows if row["kind"] == "session_cancelled"]
    assert {row["recipient"] for row in moved} == {participant.id, waiting.id}
    by_person = {row["recipient"]: row for row in moved}
    assert by_person[participant.id]["subject"] == "Incontro spostato: Bilancio sociale"
    event = Calendar.from_ical(by_person[participant.id]["ics"]).walk("VEVENT")[0]
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (session.uid, 1)
    assert event.decoded("DTSTART") == moved_to
    assert by_person[waiting.id]["ics"] == ""  # no seat, no invitation
    cancelled_for_participant = next(row for row in cancelled if row["recipient"] == participant.id)
    assert cancelled_for_participant["subject"] == "Incontro annullato: Bilancio sociale"
    assert Calendar.from_ical(cancelled_for_participant["ics"])["METHOD"] == "CANCEL"


# The worker ---------------------------------------------------------------------------------------


async def test_the_worker_does_not_start_in_test_mode(monkeypatch):
    started = []
    monkeypatch.setattr(worker, "run_forever", lambda interval: started.append(interval))
    async with worker.notifications_lifespan(None):
        pass
    assert started == []


async def test_the_worker_runs_in_the_background_and_stops_at_shutdown(monkeypatch):
    settings = dataclasses.replace(get_settings(), mode="production", notifications_interval_seconds=1)
    monkeypatch.setattr(worker, "get_settings", lambda: settings)
    ticks = asyncio.Event()

    async def fake_run_once(limit: int = 50):
        ticks.set()
        raise RuntimeError("database away")  # the loop logs it and carries on

    monkeypatch.setattr(worker, "run_once", fake_run_once)
    async with worker.notifications_lifespan(None):
        await asyncio.wait_for(ticks.wait(), timeout=2)
        running = [task for task in asyncio.all_tasks() if task.get_name() == "training-hub-notifications"]
        assert len(running) == 1
    assert running[0].done()


async def test_run_once_queues_reminders_and_sends():
    cooperative = await make_cooperative()
    course = await make_course(enrolment_closes_at=None, cancellation_deadline=None)
    tomorrow = to_rome(utcnow()).date() + timedelta(days=1)
    await make_session(course, starts_at=rome_wall_clock(tomorrow, time(10, 0)))
    await make_enrolment(await make_person(cooperative=cooperative), course)
    reminders, run = await worker.run_once()
    assert (reminders, run.sent) == (1, 1)
    assert await Outbox.count().where(Outbox.status == "sent") == 1


def test_cli_send_notifications(monkeypatch):
    from training_hub import cli

    async def fake_run_once(limit: int = 50):
        assert limit == 7
        return 2, sender.OutboxRun(sent=3, retried=1, failed=0)

    monkeypatch.setattr(worker, "run_once", fake_run_once)
    monkeypatch.setattr(cli, "_with_engine", lambda factory: factory())
    result = CliRunner().invoke(cli.main, ["send-notifications", "--limit", "7"])
    assert result.exit_code == 0, result.output
    assert "Promemoria accodati: 2. Notifiche inviate: 3, da ritentare: 1" in result.output


def test_backoff_is_capped():
    assert [sender.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 7, 8, 20)] == [1, 2, 4, 60, 60, 60]


def test_the_online_link_goes_only_to_people_holding_a_seat():
    start = rome_wall_clock(date(2026, 11, 25), time(9, 30))
    online = {
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "location_name": None,
        "is_online": True,
        "online_url": "https://meet.example.test/segreto",
    }
    for kind in ("enrolment_confirmed", "enrolment_promoted", "enrolment_approved", "session_reminder"):
        _, body = compose(kind, full_name="Anna", course_title="X", sessions=[online])
        assert "https://meet.example.test/segreto" in body, kind
    for kind in ("enrolment_waitlisted", "enrolment_pending"):
        _, body = compose(kind, full_name="Anna", course_title="X", sessions=[online], position=2)
        assert "segreto" not in body and "25/11/2026, 09:30–11:30, online" in body, kind
        assert "Gli incontri:" in body, kind  # the list has its heading


def test_the_invitations_timezone_is_the_feeds_one_with_yearly_rules():
    from training_hub.core.icalendar import VTIMEZONE_ROME

    start = rome_wall_clock(date(2026, 11, 25), time(9, 30))
    text = build_invitation(
        [IcsEvent(uid="a@training-hub", starts_at=start, ends_at=start + timedelta(hours=1), summary="X")],
        method="REQUEST",
        organizer=ORGANIZER,
    )
    [zone] = Calendar.from_ical(text).walk("VTIMEZONE")
    assert zone.to_ical() == VTIMEZONE_ROME and "RDATE" not in text
    # Summer time starts at 02:00 local time (RFC 5545: DTSTART is in the offset before the change).
    assert "DTSTART:19700329T020000" in text
