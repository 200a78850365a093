"""Statements per request of the pages issue 21 measures, and that they do not grow with the rows shown.

Each page reads the session (or the API token) with its person in one statement, then what it shows.
"""

from datetime import timedelta

from tests import factories
from tests.integration.attendance.attendance_setup import course_setup
from tests.support import bearer, login
from training_hub.core.tables import EnrolmentStatus
from training_hub.core.timeutil import utcnow


async def _statements(count_queries, client, url: str, headers: dict | None = None) -> int:
    with count_queries() as counter:
        response = await client.get(url, headers=headers or {})
    assert response.status_code == 200, (url, response.status_code)
    return counter.count


async def test_profile_reads_session_cooperative_and_feed_link(client, count_queries):
    await factories.make_person("worker", cooperative=await factories.make_cooperative(), email="w@example.test")
    await login(client, "w@example.test")
    await client.get("/profile")  # the first view creates the feed link
    assert await _statements(count_queries, client, "/profile") == 3


async def test_my_enrolments_is_one_statement_after_the_session_whatever_the_number(client, count_queries):
    coop = await factories.make_cooperative()
    worker = await factories.make_person("worker", cooperative=coop, email="w@example.test")
    await login(client, "w@example.test")
    path = await factories.make_path()

    async def enrol(n: int) -> None:
        for index in range(n):
            course = await factories.make_course(path, title=f"Corso {index}")
            await factories.make_session(course, utcnow() + timedelta(days=5 + index))
            status = EnrolmentStatus.WAITLISTED.value if index % 3 == 2 else EnrolmentStatus.CONFIRMED.value
            await factories.make_enrolment(worker, course, status=status)

    await enrol(1)
    few = await _statements(count_queries, client, "/my/enrolments")
    await enrol(9)
    many = await _statements(count_queries, client, "/my/enrolments")
    assert few == many == 2


async def test_course_page_and_api_course(client, count_queries):
    coop = await factories.make_cooperative()
    await factories.make_person("worker", cooperative=coop, email="w@example.test")
    course = await factories.make_course(await factories.make_path(), trainers=[await factories.make_person("trainer")])
    for day in range(4):
        await factories.make_session(course, utcnow() + timedelta(days=10 + day))
    await login(client, "w@example.test")
    headers = await bearer(await factories.make_person("worker", cooperative=coop))
    assert await _statements(count_queries, client, f"/courses/{course.id}") == 4
    assert await _statements(count_queries, client, f"/api/courses/{course.id}", headers) == 4


async def test_api_catalogue_first_page(client, count_queries):
    coop = await factories.make_cooperative()
    path = await factories.make_path()
    for index in range(5):
        course = await factories.make_course(path, title=f"Corso {index}")
        await factories.make_session(course, utcnow() + timedelta(days=10 + index))
    headers = await bearer(await factories.make_person("worker", cooperative=coop))
    # Computed (token and person, then the page in one statement), then served from the listing cache.
    assert await _statements(count_queries, client, "/api/courses", headers) == 2
    assert await _statements(count_queries, client, "/api/courses", headers) == 1


async def test_roll_call_does_not_grow_with_participants(client, count_queries):
    few = await course_setup(sessions=1, participants=3)
    many = await course_setup(sessions=1, participants=15)
    await login(client, few.trainer.email)
    counts = [await _statements(count_queries, client, f"/sessions/{few.sessions[0].id}/attendance")]
    await login(client, many.trainer.email)
    counts.append(await _statements(count_queries, client, f"/sessions/{many.sessions[0].id}/attendance"))
    assert counts == [4, 4]
