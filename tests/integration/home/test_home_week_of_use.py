"""Issue 13.13, 13.6 and 13.16 on the home page: a trainer's home says what they teach without
contradicting itself, the session in progress has a one-tap roll call, the greeting follows the hour,
and a waiting-list place is not called a request."""

from datetime import date, time, timedelta

import time_machine

from tests.factories import make_course, make_enrolment, make_person, make_session
from tests.support import login, rome
from training_hub.core.tables import EnrolmentStatus
from training_hub.core.timeutil import rome_wall_clock, utcnow


async def test_a_trainers_home_does_not_say_there_is_nothing_then_list_five_sessions(client):
    trainer = await make_person(roles="trainer", email="t@example.test")
    course = await make_course(title="Progettare la formazione interna", trainers=[trainer])
    for day in range(1, 6):
        await make_session(course, starts_at=utcnow() + timedelta(days=day))

    await login(client, "t@example.test")
    page = (await client.get("/")).text

    assert "Non hai incontri in programma" not in page
    assert "I tuoi prossimi incontri come formatore" in page
    teaching = page[page.index('<section aria-labelledby="teaching">'):]
    teaching = teaching[:teaching.index("</section>")]
    assert teaching.count("Progettare la formazione interna</a>") == 5
    # What they teach comes first: it is their job here.
    assert page.index("I tuoi prossimi incontri come formatore") < page.index("Da fare")


async def test_a_trainer_enrolled_nowhere_is_not_told_to_look_for_a_course_as_if_idle(client):
    trainer = await make_person(roles="trainer", email="t@example.test")
    await make_session(await make_course(trainers=[trainer]), starts_at=utcnow() + timedelta(days=2))
    await login(client, "t@example.test")
    page = (await client.get("/")).text
    assert "I tuoi prossimi incontri come partecipante" not in page  # no empty section at all


async def test_the_session_in_progress_has_a_one_tap_roll_call(client):
    trainer = await make_person(roles="trainer", email="t@example.test")
    course = await make_course(title="Bilancio sociale", trainers=[trainer])
    running = await make_session(course, starts_at=utcnow() - timedelta(minutes=20), minutes=120)
    later = await make_session(course, starts_at=utcnow() + timedelta(days=3))

    await login(client, "t@example.test")
    page = (await client.get("/")).text

    assert f'<a class="button" href="/sessions/{running.id}/attendance">Registro presenze</a>' in page
    assert f"/sessions/{later.id}/attendance" not in page
    assert "In corso" in page


async def test_the_roll_call_link_shows_from_when_the_register_opens(client):
    trainer = await make_person(roles="trainer", email="t@example.test")
    soon = await make_session(await make_course(trainers=[trainer]), starts_at=utcnow() + timedelta(minutes=10))
    await login(client, "t@example.test")
    page = (await client.get("/")).text
    assert f'href="/sessions/{soon.id}/attendance">Registro presenze</a>' in page


async def test_a_participant_sees_no_roll_call_link(client):
    trainer = await make_person(roles="trainer")
    worker = await make_person(email="w@example.test")
    course = await make_course(trainers=[trainer])
    session = await make_session(course, starts_at=utcnow() - timedelta(minutes=20), minutes=120)
    await make_enrolment(worker, course)
    await login(client, "w@example.test")
    page = (await client.get("/")).text
    assert f"/sessions/{session.id}/attendance" not in page


async def test_the_greeting_follows_the_hour(client):
    await make_person(email="w@example.test", full_name="Giulia Riva")
    await login(client, "w@example.test")
    day = date(2026, 11, 25)
    for hour, greeting in ((8, "Buongiorno, Giulia"), (15, "Buon pomeriggio, Giulia"), (20, "Buonasera, Giulia")):
        with time_machine.travel(rome_wall_clock(day, time(hour, 0)), tick=True):
            page = (await client.get("/")).text
        assert f"<h1>{greeting}</h1>" in page, hour


async def test_a_waiting_list_place_is_not_called_a_request(client):
    worker = await make_person(email="w@example.test")
    full = await make_course(title="Corso pieno")
    await make_session(full, starts_at=rome(date(2026, 12, 10), 9))
    await make_enrolment(worker, full, status=EnrolmentStatus.WAITLISTED.value)

    await login(client, "w@example.test")
    page = (await client.get("/")).text
    assert "richiesta di iscrizione in attesa" not in page
    assert "Sei in lista d'attesa per 1 corso." in page

    pending = await make_course(title="Con approvazione", requires_approval=True)
    await make_enrolment(worker, pending, status=EnrolmentStatus.PENDING.value)
    page = (await client.get("/")).text
    assert "Hai 1 richiesta di iscrizione in attesa di approvazione." in page
    assert "Sei in lista d'attesa per 1 corso." in page
