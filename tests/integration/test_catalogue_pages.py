"""Catalogue pages through HTTP: the catalogue, course and path pages, the trainer's pages, locations."""

import re
from datetime import date, datetime, time

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_path,
    make_person,
    make_session,
)
from tests.support import login, post_form
from training_hub.tables import Course, CourseEligibleArea, Location, Outbox, Session, TrainingPath
from training_hub.timeutil import rome_wall_clock


def rome(day: date, hour: int, minute: int = 0) -> datetime:
    return rome_wall_clock(day, time(hour, minute))


async def published_course(trainer, title="Comunicare i valori", day=date(2026, 12, 2), **values):
    location = values.pop("location", None) or await make_location(
        name="Centro civico Longuelo", address="Via Lochis, 10", comune="Bergamo", province="BG", capacity=30,
        step_free_access=True)
    path = values.pop("path", None) or await make_path("marketing", title="Marketing dell'impresa sociale")
    course = await make_course(path, trainers=[trainer], title=title, location=location.id, **values)
    await make_session(course, rome(day, 9, 30), minutes=210, location=location.id, topics="Identità e valori")
    return course


async def test_catalogue_page_lists_published_courses_in_italian(client):
    coop = await make_cooperative()
    trainer = await make_person("trainer", full_name="Paolo Greco")
    worker = await make_person("worker", cooperative=coop, email="w@example.test")
    await published_course(trainer)
    await published_course(trainer, title="Bozza nascosta", status="draft")
    await login(client, "w@example.test")
    response = await client.get("/courses")
    assert response.status_code == 200
    text = response.text
    assert "Comunicare i valori" in text and "Bozza nascosta" not in text
    assert "02/12/2026, 09:30–13:00" in text
    assert "Centro civico Longuelo, Bergamo (BG)" in text
    assert "Paolo Greco" in text
    assert "20 posti liberi" in text
    assert "1 corso trovato" in text
    assert 'aria-current="page"' in text and ">Catalogo<" in text
    assert worker.id


async def test_course_page_shows_sessions_place_and_calendar_links(client):
    coop = await make_cooperative()
    trainer = await make_person("trainer", full_name="Paolo Greco")
    await make_person("worker", cooperative=coop, email="w@example.test")
    course = await published_course(trainer)
    await login(client, "w@example.test")
    response = await client.get(f"/courses/{course.id}")
    assert response.status_code == 200
    text = response.text
    assert "mercoledì 2 dicembre 2026" in text and "09:30–13:00" in text
    assert "Via Lochis, 10" in text and "Accessibile senza barriere architettoniche" in text
    assert f'href="/calendar/courses/{course.id}.ics"' in text
    session = await Session.select(Session.id).where(Session.course == course.id).first()
    assert f'href="/calendar/sessions/{session["id"]}.ics"' in text
    assert "Come iscriversi" in text and "coordinatore della tua cooperativa" in text
    assert "Gestisci il corso" not in text
