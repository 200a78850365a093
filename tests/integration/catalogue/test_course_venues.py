"""The course page shows where each session is held (issue 13, item 4): the course's venue only when
every session shares it, and the step-free label of the building people actually go to."""

from datetime import date

from tests.factories import make_course, make_location, make_person, make_session
from tests.support import login, rome

STEP_FREE = "Accessibile senza barriere architettoniche"
BARRIERS = "Sede con barriere architettoniche"


def _where(html: str) -> str:
    """The "Dove" entry of the course page."""
    start = html.index(">Dove</dt>")
    return html[start:html.index("</dd>", html.index("</ul>", start) if "venue-list" in html[start:start + 2000]
                                 else start)]


async def test_sessions_elsewhere_show_their_own_venues_and_access(client, trainer):
    main = await make_location(name="Sala Grande", comune="Bergamo", province="BG", step_free_access=True)
    upstairs = await make_location(name="Aula al secondo piano", comune="Brescia", province="BS",
                                   step_free_access=False)
    garden = await make_location(name="Casa del giardino", comune="Lecco", province="LC", step_free_access=True)
    course = await make_course(trainers=[trainer], title="Sedi diverse", location=main.id)
    await make_session(course, rome(date(2026, 12, 10), 9), location=upstairs.id)
    await make_session(course, rome(date(2026, 12, 17), 9), location=garden.id)
    await make_person(email="w@example.test")
    await login(client, "w@example.test")
    page = await client.get(f"/courses/{course.id}")
    where = _where(page.text)
    assert "Sala Grande" not in where
    assert "Aula al secondo piano" in where and "Casa del giardino" in where
    assert where.count(BARRIERS) == 1 and where.count(STEP_FREE) == 1
    assert "sedi diverse" in where
    catalogue = await client.get("/courses")
    assert "Sedi diverse: vedi gli incontri" in catalogue.text
    await login(client, trainer.email)
    mine = await client.get("/trainer/courses")
    assert "Sedi diverse: vedi gli incontri" in mine.text and "Sala Grande" not in mine.text


async def test_all_sessions_at_another_venue_show_that_one(client, trainer):
    main = await make_location(name="Sala Grande", step_free_access=True)
    upstairs = await make_location(name="Aula al secondo piano", step_free_access=False)
    course = await make_course(trainers=[trainer], location=main.id)
    for day in (10, 17):
        await make_session(course, rome(date(2026, 12, day), 9), location=upstairs.id)
    await make_person(email="w@example.test")
    await login(client, "w@example.test")
    where = _where((await client.get(f"/courses/{course.id}")).text)
    assert "Aula al secondo piano" in where and "Sala Grande" not in where
    assert BARRIERS in where and STEP_FREE not in where


async def test_sessions_at_the_course_venue_show_it_once(client, trainer):
    main = await make_location(name="Sala Grande", step_free_access=True)
    course = await make_course(trainers=[trainer], location=main.id)
    for day in (10, 17):
        await make_session(course, rome(date(2026, 12, day), 9), location=main.id)
    await make_person(email="w@example.test")
    await login(client, "w@example.test")
    page = await client.get(f"/courses/{course.id}")
    where = _where(page.text)
    assert where.count("Sala Grande") == 1 and STEP_FREE in where
    assert "Sedi diverse" not in (await client.get("/courses")).text
