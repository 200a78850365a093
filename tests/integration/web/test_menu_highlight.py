"""Issue 13.6: the participants and attendance pages highlight "I miei corsi", not "Catalogo"."""

import re
from datetime import date

from tests.factories import make_course, make_person, make_session
from tests.support import login, rome


def current_items(html):
    return set(re.findall(r'<a href="([^"]+)" aria-current="page">', html))


async def test_a_trainers_course_pages_highlight_i_miei_corsi(client):
    trainer = await make_person("trainer", email="t@example.test")
    course = await make_course(trainers=[trainer])
    session = await make_session(course, rome(date(2026, 12, 11), 9, 30))
    await login(client, "t@example.test")

    for url in (f"/courses/{course.id}/participants", f"/courses/{course.id}/attendance",
                f"/sessions/{session.id}/attendance", f"/trainer/courses/{course.id}"):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert current_items(response.text) == {"/trainer/courses"}, url


async def test_the_course_page_itself_stays_in_the_catalogue(client):
    trainer = await make_person("trainer", email="t@example.test")
    course = await make_course(trainers=[trainer])
    await login(client, "t@example.test")
    assert current_items((await client.get(f"/courses/{course.id}")).text) == {"/courses"}
    assert current_items((await client.get("/courses")).text) == {"/courses"}


def test_a_worker_without_i_miei_corsi_keeps_the_catalogue():
    from training_hub.core.identity import CurrentUser
    from training_hub.web.navigation import nav_for

    worker = CurrentUser(id=1, full_name="W", email="w@example.test", roles=frozenset({"worker"}), cooperative_id=1, language="it")
    active = [item["href"] for item in nav_for(worker, "/courses/3/final-test") if item["active"]]
    assert active == ["/courses"]
