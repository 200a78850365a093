"""The public catalogue (issue 14, item 6): /courses and /courses/{id} without login show only the
consortium's published courses open to everyone, with "Accedi per iscriverti"; /api/public/courses gives
the same list; search engines get robots.txt and a sitemap."""

from __future__ import annotations

from datetime import timedelta

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_path,
    make_person,
    make_session,
)
from tests.support import login
from training_hub.core.tables import CourseEligibleCooperative, CourseStatus, PathKind
from training_hub.core.timeutil import utcnow


async def _catalogue():
    cooperative = await make_cooperative()
    trainer = await make_person("trainer", full_name="Tina Formatrice")
    open_course = await make_course(await make_path(PathKind.MARKETING.value, title="Marketing"),
                                    title="Comunicare il sociale", trainers=[trainer])
    await make_session(open_course, online_url="https://meet.example/segreto")
    inclusion = await make_course(await make_path(PathKind.INCLUSION.value), title="Inclusione al lavoro")
    await make_session(inclusion)
    await make_enrolment(await make_person(cooperative=cooperative, full_name="Lia Partecipante"), inclusion)
    hidden = {
        "internal": await make_course(await make_path("internal_training", owner_cooperative=cooperative.id),
                                      title="Interno della cooperativa"),
        "restricted": await make_course(title="Solo per alcune cooperative"),
        "draft": await make_course(title="Ancora in bozza", status=CourseStatus.DRAFT.value),
        "cancelled": await make_course(title="Annullato", status=CourseStatus.CANCELLED.value),
    }
    await CourseEligibleCooperative.insert(
        CourseEligibleCooperative(course=hidden["restricted"].id, cooperative=cooperative.id))
    for course in hidden.values():
        await make_session(course)
    hidden["past"] = await make_course(title="Già concluso")
    await make_session(hidden["past"], utcnow() - timedelta(days=30))
    return open_course, inclusion, hidden


async def test_anyone_reads_the_public_catalogue_and_nothing_else(client, count_queries):
    open_course, inclusion, hidden = await _catalogue()
    listing = await client.get("/courses")
    assert listing.status_code == 200
    assert "Comunicare il sociale" in listing.text and "Inclusione al lavoro" in listing.text
    assert "Accedi per iscriverti" in listing.text and 'href="/login?next=%2Fcourses"' in listing.text
    for course in hidden.values():
        assert course.title not in listing.text
        assert (await client.get(f"/courses/{course.id}")).status_code == 404
    page = await client.get(f"/courses/{open_course.id}")
    assert page.status_code == 200 and "Comunicare il sociale" in page.text and "Accedi per iscriverti" in page.text
    assert "meet.example" not in page.text and "Tina Formatrice" not in page.text
    inclusion_page = await client.get(f"/courses/{inclusion.id}")
    assert inclusion_page.status_code == 200
    assert "Lia Partecipante" not in inclusion_page.text and "posti" not in inclusion_page.text
    # The API gives the same list, typed.
    api = await client.get("/api/public/courses")
    assert api.status_code == 200
    body = api.json()
    assert body["total"] == 2 and {item["title"] for item in body["items"]} == {
        "Comunicare il sociale", "Inclusione al lavoro"}
    assert body["items"][0]["starts_at"].endswith(("+01:00", "+02:00"))
    assert (await client.get("/api/public/courses?page=0")).status_code in (400, 422)
    # A fixed number of statements whatever the number of courses.
    with count_queries() as few:
        await client.get("/courses")
    for _ in range(5):
        await make_session(await make_course())
    assert len((await client.get("/api/public/courses")).json()["items"]) == 7
    with count_queries() as more:
        await client.get("/courses")
    assert more.count == few.count <= 4


async def test_the_logged_in_catalogue_is_unchanged_and_paths_still_need_a_login(client):
    open_course, _inclusion, hidden = await _catalogue()
    assert (await client.get("/paths")).status_code in (302, 303, 401)
    admin = await make_person("admin")
    await login(client, admin.email)
    page = await client.get(f"/courses/{hidden['draft'].id}")
    assert page.status_code == 200 and "Ancora in bozza" in page.text


async def test_search_engines_may_index_the_catalogue_only(client):
    open_course, inclusion, hidden = await _catalogue()
    robots = await client.get("/robots.txt")
    assert robots.status_code == 200 and "Allow: /courses" in robots.text and "Disallow: /\n" in robots.text
    assert "Sitemap: " in robots.text and robots.text.rstrip().endswith("/sitemap.xml")
    sitemap = await client.get("/sitemap.xml")
    assert sitemap.status_code == 200 and sitemap.headers["content-type"].startswith("application/xml")
    assert f"/courses/{open_course.id}</loc>" in sitemap.text and f"/courses/{inclusion.id}</loc>" in sitemap.text
    for course in hidden.values():
        assert f"/courses/{course.id}</loc>" not in sitemap.text
