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
from training_hub.core.tables import CourseEligibleArea, Outbox
from training_hub.core.timeutil import rome_wall_clock


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


async def test_catalogue_page_and_api_query_count_does_not_grow(client, count_queries, trainer):
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
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


async def test_course_page_query_count_does_not_grow_with_sessions(client, count_queries, trainer):
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
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


async def test_a_series_runs_as_many_statements_for_3_or_30_sessions(client, count_queries):
    path = await make_path()

    async def add_series(count: int) -> int:
        # Each series with a trainer and a room of its own: on the same days, shared ones would clash.
        trainer, room = await make_person("trainer"), await make_location(capacity=40)
        course = await make_course(path, trainers=[trainer], status="draft", location=room.id)
        headers = await bearer(trainer)
        with count_queries() as counter:
            response = await client.post(f"/api/courses/{course.id}/sessions/series", headers=headers, json={
                "first_day": "2027-01-11", "weekdays": [0, 1, 2, 3, 4], "start_time": "09:00",
                "end_time": "10:00", "count": count, "location_id": room.id, "confirm_warnings": True})
        assert response.status_code == 201, response.text
        assert len(response.json()["items"]) == count
        return counter.count

    few = await add_series(3)
    many = await add_series(30)
    assert many == few, (few, many)


async def test_moving_a_session_notifies_3_or_30_people_in_as_many_statements(client, count_queries, trainer):
    coop = await make_cooperative()
    room = await make_location(capacity=40)
    course = await make_course(await make_path(), trainers=[trainer], location=room.id, capacity=40)
    session = await make_session(course, rome_wall_clock(date(2027, 1, 12), time(9)), location=room.id)
    headers = await bearer(trainer)

    async def move(to_hour: int) -> int:
        with count_queries() as counter:
            response = await client.patch(f"/api/sessions/{session.id}", headers=headers, json={
                "starts_at": f"2027-01-12T{to_hour:02d}:00", "ends_at": f"2027-01-12T{to_hour + 1:02d}:00"})
        assert response.status_code == 200, response.text
        return counter.count

    for _ in range(3):
        await make_enrolment(await make_person("worker", cooperative=coop), course)
    few = await move(10)
    for _ in range(27):
        await make_enrolment(await make_person("worker", cooperative=coop), course)
    many = await move(11)
    assert many == few, (few, many)
    moved = await Outbox.select(Outbox.ics).where(Outbox.kind == "session_moved")
    assert len(moved) == 3 + 30 and all("METHOD:REQUEST" in row["ics"] for row in moved)


async def test_the_course_page_reads_the_course_once_in_at_most_five_statements(client, count_queries):
    """A worker's course page: the session, the course with its seats and the worker's own enrolment,
    its people, its sessions — the enrolment panel reads nothing more (it was 9 statements, the course
    row read three times)."""
    coop = await make_cooperative()
    worker = await make_person("worker", cooperative=coop, email="w@example.test")
    trainer = await make_person("trainer")
    room = await make_location(capacity=40)
    course = await make_course(await make_path(), trainers=[trainer], location=room.id, capacity=1)
    for day in (1, 2, 3):
        await make_session(course, rome_wall_clock(date(2026, 12, day), time(9)), location=room.id)
    await make_enrolment(await make_person("worker", cooperative=coop), course)
    await make_enrolment(worker, course, status="waitlisted")
    await login(client, "w@example.test")
    with count_queries() as counter:
        page = await client.get(f"/courses/{course.id}")
    assert page.status_code == 200 and "posizione 1 in lista d" in page.text
    assert counter.count <= 5, counter.statements
    assert sum('FROM "course"' in statement for statement in counter.statements) == 1, counter.statements
    with count_queries() as counter:
        api = await client.get(f"/api/courses/{course.id}", headers=await bearer(worker))
    assert api.status_code == 200 and api.json()["waitlist_length"] == 1
    assert counter.count <= 5, counter.statements
