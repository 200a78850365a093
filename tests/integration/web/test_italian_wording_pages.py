"""Issue 13.6 through HTTP: elided Italian before dates, a one-day span written once, the English
"Trainer", hours and minutes."""

from datetime import date

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_path,
    make_person,
    make_session,
)
from tests.support import login, rome


async def test_the_catalogue_says_dall_8_all_11(client):
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
    trainer = await make_person("trainer")
    room = await make_location(capacity=30)
    course = await make_course(await make_path("marketing"), trainers=[trainer], title="Due giorni", location=room.id)
    await make_session(course, rome(date(2026, 12, 8), 9), minutes=120, location=room.id)
    await make_session(course, rome(date(2026, 12, 11), 9), minutes=120, location=room.id)
    await login(client, "w@example.test")

    html = (await client.get("/courses")).text
    assert "dall'8/12/2026 all'11/12/2026" in html
    assert "dal 08/12" not in html and "al 11/12" not in html
    course_page = (await client.get(f"/courses/{course.id}")).text
    assert "dall'8/12/2026 all'11/12/2026" in course_page


async def test_the_roll_call_opens_l_11_alle_09_15(client):
    trainer = await make_person("trainer", email="t@example.test")
    course = await make_course(trainers=[trainer])
    session = await make_session(course, rome(date(2026, 12, 11), 9, 30), minutes=120)
    await login(client, "t@example.test")
    html = (await client.get(f"/sessions/{session.id}/attendance")).text
    assert "Il registro si apre l'11/12/2026 alle 09:15" in html
    assert "il 11/12" not in html


async def test_the_course_page_names_the_trainer_in_english(client):
    trainer = await make_person("trainer", full_name="Paolo Greco")
    worker = await make_person("worker", cooperative=await make_cooperative(), email="w@example.test")
    course = await make_course(trainers=[trainer])
    await make_session(course, rome(date(2026, 12, 14), 9), minutes=92)
    await make_enrolment(worker, course)
    await login(client, "w@example.test")
    client.cookies.set("lang", "en")
    html = (await client.get(f"/courses/{course.id}")).text
    assert "<dt>Trainer</dt>" in html and "Formatore" not in html


async def test_hours_read_in_hours_and_minutes(client):
    trainer = await make_person("trainer", email="t@example.test")
    course = await make_course(trainers=[trainer])
    await make_session(course, rome(date(2026, 12, 14), 9), minutes=92)
    await login(client, "t@example.test")
    html = (await client.get(f"/courses/{course.id}/attendance")).text
    assert "1 h 32 min" in html and "1,53 h" not in html


def test_a_one_day_span_is_written_once():
    from training_hub.core.i18n import language
    from training_hub.web.templating import format_day_span

    with language("it"):
        assert format_day_span(date(2026, 12, 14), date(2026, 12, 14)) == "14/12/2026"
        assert format_day_span(date(2026, 12, 1), date(2026, 12, 14)) == "01/12/2026–14/12/2026"
        assert format_day_span(date(2026, 12, 1), None) == "01/12/2026"


async def test_a_course_description_keeps_paragraphs_lists_and_links(client):
    worker = await make_person("worker", cooperative=await make_cooperative(), email="w@example.test")
    course = await make_course(description="Un corso pratico.\n\nArgomenti:\n- identità\n- valori\n\n"
                                           "Vedi https://example.org <b>x</b>")
    await make_session(course, rome(date(2026, 12, 14), 9))
    assert worker
    await login(client, "w@example.test")
    html = (await client.get(f"/courses/{course.id}")).text
    assert "<p>Un corso pratico.</p>" in html and "<ul><li>identità</li><li>valori</li></ul>" in html
    assert '<a href="https://example.org" rel="nofollow noopener">' in html and "<b>x</b>" not in html
