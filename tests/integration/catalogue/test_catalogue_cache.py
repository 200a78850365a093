"""The catalogue's short-lived caches (training_hub/cache.py, web/shell.py) through HTTP.

A cached catalogue must be exactly what the database says for everything this process wrote, must
never cross from one cooperative's view to another's, must carry each person's own name and CSRF
token, and must show another worker's change once its time to live is over.
"""

from __future__ import annotations

import re
from datetime import date
from html import unescape as html_unescape

import asyncpg
import pytest

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_path,
    make_person,
    make_session,
)
from tests.integration.catalogue.test_catalogue_pages import published_course
from tests.support import CSRF_COOKIE, bearer, login, post_form, rome
from training_hub.catalogue.listing import catalogue_cache
from training_hub.catalogue.pages import catalogue_pages
from training_hub.core import cache
from training_hub.core.db import get_engine, is_sqlite
from training_hub.core.tables import Course, KeyValue, Person


def names_in(html: str) -> list[str]:
    return [html_unescape(name) for name in re.findall(r'<h3><a href="/courses/\d+">([^<]+)</a></h3>', html)]


def csrf_fields(html: str) -> set[str]:
    return set(re.findall(r'name="_csrf_token" value="([^"]*)"', html))


async def test_the_catalogue_follows_every_change_made_here_at_once(client):
    coop = await make_cooperative()
    trainer = await make_person("trainer", full_name="Paolo Greco")
    await make_person("worker", cooperative=coop, email="w@example.test")
    course = await published_course(trainer, title="Comunicare i valori")
    await login(client, "w@example.test")
    first = (await client.get("/courses")).text
    assert "20 posti liberi" in first and "Paolo Greco" in first
    assert (await client.get("/courses")).text == first  # a reload: the very same content

    # An enrolment elsewhere (a plain insert), a trainer renamed, a course cancelled: each shows at once.
    someone = await make_person("worker", cooperative=coop)
    await make_enrolment(someone, course)
    assert "19 posti liberi" in (await client.get("/courses")).text
    await Person.update({Person.full_name: "Paolo Greco Rossi"}).where(Person.id == trainer.id)
    assert "Paolo Greco Rossi" in (await client.get("/courses")).text
    second = await published_course(trainer, title="Raccontare l'impatto", day=date(2026, 12, 3))
    assert names_in((await client.get("/courses")).text) == ["Comunicare i valori", "Raccontare l'impatto"]
    await Course.update({Course.status: "cancelled"}).where(Course.id == second.id)
    assert names_in((await client.get("/courses")).text) == ["Comunicare i valori"]


async def test_cooperatives_never_share_a_cached_catalogue(client, other_client, trainer):
    ours, theirs = await make_cooperative(name="Coop Aurora"), await make_cooperative(name="Coop Brezza")
    await make_person("worker", cooperative=ours, email="ours@example.test", full_name="Anna Neri")
    await make_person("worker", cooperative=theirs, email="theirs@example.test", full_name="Bruno Verdi")
    internal = await make_path("internal_training", title="Formazione interna Aurora", owner_cooperative=ours.id)
    course = await make_course(internal, trainers=[trainer], title="Procedure interne Aurora")
    await make_session(course, rome(date(2026, 12, 2), 9), minutes=120)
    open_course = await published_course(trainer, title="Aperto a tutti")
    await login(client, "ours@example.test")
    await login(other_client, "theirs@example.test")
    for _ in range(2):  # the second round is served from the caches
        ours_page = (await client.get("/courses")).text
        theirs_page = (await other_client.get("/courses")).text
        assert names_in(ours_page) == ["Procedure interne Aurora", "Aperto a tutti"]
        assert names_in(theirs_page) == ["Aperto a tutti"]
        assert "Anna Neri" in ours_page and "Bruno Verdi" not in ours_page
        assert "Bruno Verdi" in theirs_page and "Anna Neri" not in theirs_page
    # The API shares the service's cache: the same rule holds there.
    ours_person = await Person.objects().get(Person.email == "ours@example.test")
    theirs_person = await Person.objects().get(Person.email == "theirs@example.test")
    for _ in range(2):
        ours_api = (await client.get("/api/courses", headers=await bearer(ours_person))).json()
        theirs_api = (await client.get("/api/courses", headers=await bearer(theirs_person))).json()
        assert [c["id"] for c in ours_api["items"]] == [course.id, open_course.id]
        assert [c["id"] for c in theirs_api["items"]] == [open_course.id] and theirs_api["total"] == 1


async def test_each_person_gets_their_own_csrf_token_and_a_working_logout(client, other_client):
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="a@example.test", full_name="Anna Neri")
    await make_person("worker", cooperative=coop, email="b@example.test", full_name="Bea Neri")
    await published_course(await make_person("trainer"))
    await login(client, "a@example.test")
    await login(other_client, "b@example.test")
    for _ in range(2):
        mine, theirs = (await client.get("/courses")).text, (await other_client.get("/courses")).text
        assert csrf_fields(mine) == {client.cookies[CSRF_COOKIE]}
        assert csrf_fields(theirs) == {other_client.cookies[CSRF_COOKIE]}
        assert f'"x-csrftoken": "{client.cookies[CSRF_COOKIE]}"' in mine
        assert "<header" in mine and "&lt;header" not in mine  # the layout is HTML, not escaped text
    assert (await post_form(client, "/logout")).status_code == 303
    logged_out = await client.get("/courses")  # the public catalogue now, not Anna's
    assert logged_out.status_code == 200 and "Accedi per iscriverti" in logged_out.text
    assert "Anna Neri" not in logged_out.text
    assert "Bea Neri" in (await other_client.get("/courses")).text


async def test_the_layout_follows_the_language_and_shows_a_message_once(client):
    await make_person("trainer", email="t@example.test", full_name="Marco Bianchi")
    path = await make_path("other")
    await login(client, "t@example.test")
    assert "Catalogo dei corsi" in (await client.get("/courses")).text
    created = await post_form(client, "/trainer/courses/new", {
        "path_id": str(path.id), "title": "Primo soccorso", "capacity": "12", "delivery_mode": "in_presence"})
    assert created.status_code == 303
    # The message is due on the next page, whichever it is: here the catalogue.
    shown = (await client.get("/courses")).text
    assert "Corso creato in bozza" in shown
    assert "Corso creato in bozza" not in (await client.get("/courses")).text
    assert (await post_form(client, "/language", {"language": "en", "next": "/courses"})).status_code == 303
    english = (await client.get("/courses")).text
    assert '<html lang="en">' in english and "Course catalogue" in english


async def _write_as_another_worker(title: str, course_id: int) -> None:
    """Rename a course the way another server process would: not through this process's engine."""
    engine = get_engine()
    if is_sqlite(engine):
        import sqlite3

        with sqlite3.connect(engine.path) as connection:
            connection.execute("UPDATE course SET title = ? WHERE id = ?", (title, course_id))
        return
    connection = await asyncpg.connect(engine.config["dsn"])
    try:
        await connection.execute("UPDATE course SET title = $1 WHERE id = $2", title, course_id)
    finally:
        await connection.close()


async def test_another_workers_change_shows_within_the_time_to_live(client, monkeypatch):
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
    course = await published_course(await make_person("trainer"), title="Titolo di prima")
    await login(client, "w@example.test")
    assert names_in((await client.get("/courses")).text) == ["Titolo di prima"]
    await _write_as_another_worker("Titolo di dopo", course.id)
    # Nothing in this process wrote: the page may still be the one computed before…
    assert names_in((await client.get("/courses")).text) == ["Titolo di prima"]
    # …but never for longer than its time to live.
    later = cache.time.monotonic() + catalogue_pages().ttl + 1
    monkeypatch.setattr(cache.time, "monotonic", lambda: later)
    assert names_in((await client.get("/courses")).text) == ["Titolo di dopo"]
    api = catalogue_cache()
    assert api.ttl == catalogue_pages().ttl > 0


@pytest.mark.parametrize("write_in_transaction", [False, True])
async def test_a_write_during_a_computation_is_never_cached_as_current(write_in_transaction):
    """A page computed while a write lands is not kept: the next reader asks the database again."""
    pages: cache.ReadCache[str] = cache.ReadCache(ttl=60)
    before = cache.data_generation()
    if write_in_transaction:
        async with get_engine().transaction():
            await Course.select(Course.id)
    else:
        await Course.update({Course.capacity: 5}).where(Course.id == -1)
    pages.put("key", "computed before the write", generation=before)
    assert pages.get("key") is cache.MISSING


async def test_a_page_view_reads_the_session_and_its_person_in_one_statement(client, count_queries):
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
    await published_course(await make_person("trainer"))
    await login(client, "w@example.test")
    await client.get("/courses")
    with count_queries() as counter:
        assert (await client.get("/courses")).status_code == 200
    # Nothing changed since the first view: the session (person included) is all that is read.
    assert counter.count == 1, counter.statements
    assert "key_value" in counter.statements[0] and "person" in counter.statements[0]


async def test_sessions_follow_their_person(client, other_client):
    coop = await make_cooperative()
    person = await make_person("worker", cooperative=coop, email="w@example.test")
    await login(client, "w@example.test")
    rows = await KeyValue.select(KeyValue.person).where(KeyValue.key.like("sessions:%"))
    assert [row["person"] for row in rows] == [person.id]
    # A session stored before sessions named their person is still recognised (one more read).
    await KeyValue.update({KeyValue.person: None}, force=True)
    assert (await client.get("/profile")).status_code == 200
    # Deactivated: logged out at the next request, whichever way the person is read.
    await Person.update({Person.active: False}).where(Person.id == person.id)
    assert (await client.get("/profile")).status_code != 200
    await Person.update({Person.active: True}).where(Person.id == person.id)
    await login(client, "w@example.test")
    assert (await client.get("/profile")).status_code == 200
    await Person.update({Person.active: False}).where(Person.id == person.id)
    assert (await client.get("/profile")).status_code != 200
    # Deleted: their sessions go with them.
    await Person.update({Person.active: True}).where(Person.id == person.id)
    await login(other_client, "w@example.test")
    assert await KeyValue.count().where(KeyValue.person == person.id) == 1
    await Person.delete().where(Person.id == person.id)
    assert not await KeyValue.exists().where(KeyValue.key.like("sessions:%") & KeyValue.person.is_not_null())
