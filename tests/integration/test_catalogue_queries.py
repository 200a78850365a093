"""No N+1: the catalogue and the course page run the same number of SQL statements for 3 or 30 rows."""

from datetime import date, time, timedelta

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_path,
    make_person,
    make_session,
)
from tests.support import bearer, login
from training_hub.tables import CourseEligibleArea
from training_hub.timeutil import rome_wall_clock


async def fill(n: int, trainer, room, path, coop) -> list:
    courses = []
    for index in range(n):
        course = await make_course(path, trainers=[trainer], title=f"Corso {index:02d}", location=room.id)
        await make_session(course, rome_wall_clock(date(2026, 12, 1) + timedelta(days=index), time(9)),
                           location=room.id)
        await CourseEligibleArea.insert(CourseEligibleArea(course=course.id, area="anziani"))
        await make_enrolment(await make_person("worker", cooperative=coop), course)
        courses.append(course)
    return courses


async def test_catalogue_page_and_api_query_count_does_not_grow(client, count_queries):
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
    trainer = await make_person("trainer")
    room = await make_location(capacity=40)
    path = await make_path()
    await fill(3, trainer, room, path, coop)
    await login(client, "w@example.test")
    headers = await bearer(await make_person("worker", cooperative=coop))
    url = "/courses?page_size=50&area=anziani&seats_available=1&q=corso"

    async def measure() -> tuple[int, int, int]:
        with count_queries() as counter:
            page = await client.get(url)
        assert page.status_code == 200
        page_count = counter.count
        with count_queries() as counter:
            api = await client.get("/api" + url, headers=headers)
        assert api.status_code == 200
        return page_count, counter.count, page.text.count('class="course-card"')

    few_page, few_api, few_rows = await measure()
    await fill(27, trainer, room, path, coop)
    many_page, many_api, many_rows = await measure()
    assert (few_rows, many_rows) == (3, 30)
    assert many_page == few_page, (few_page, many_page)
    assert many_api == few_api, (few_api, many_api)


async def test_course_page_query_count_does_not_grow_with_sessions(client, count_queries):
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
    trainer = await make_person("trainer")
    co_trainer = await make_person("trainer")
    room = await make_location(capacity=40)
    course = await make_course(await make_path(), trainers=[trainer, co_trainer], location=room.id)
    await login(client, "w@example.test")
    headers = await bearer(await make_person("worker", cooperative=coop))

    async def add(n: int, offset: int) -> None:
        for index in range(n):
            day = date(2026, 12, 1) + timedelta(days=offset + index)
            await make_session(course, rome_wall_clock(day, time(9)), location=room.id,
                               trainer=trainer.id if index % 2 else None)
            await make_enrolment(await make_person("worker", cooperative=coop), course,
                                 status="confirmed" if index % 2 else "waitlisted")

    async def measure() -> tuple[int, int, int]:
        with count_queries() as counter:
            page = await client.get(f"/courses/{course.id}")
        assert page.status_code == 200
        page_count = counter.count
        with count_queries() as counter:
            api = await client.get(f"/api/courses/{course.id}", headers=headers)
        return page_count, counter.count, len(api.json()["sessions"])

    await add(3, 0)
    few_page, few_api, few_sessions = await measure()
    await add(27, 3)
    many_page, many_api, many_sessions = await measure()
    assert (few_sessions, many_sessions) == (3, 30)
    assert many_page == few_page, (few_page, many_page)
    assert many_api == few_api, (few_api, many_api)
