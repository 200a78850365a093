"""Scheduling conflicts never name a course the user cannot see (issue 12, item 3): the clash stays an
error, the other course is "un altro corso"."""

from __future__ import annotations

from datetime import date

from tests.factories import make_cooperative, make_course, make_location, make_path, make_person, make_session
from tests.support import bearer, rome
from training_hub.core.tables import CourseStatus, Session


async def test_a_series_in_a_busy_room_names_only_the_courses_the_user_may_see(client, admin):
    trainer, other_trainer = await make_person("trainer"), await make_person("trainer")
    room = await make_location(name="Aula Grande", capacity=40)
    course = await make_course(trainers=[trainer], title="Il mio corso")
    cooperative = await make_cooperative()
    internal = await make_course(await make_path("internal_training", owner_cooperative=cooperative.id),
                                 title="Riservato della cooperativa", trainers=[other_trainer])
    draft = await make_course(title="Bozza di un collega", trainers=[other_trainer], status=CourseStatus.DRAFT.value)
    public = await make_course(title="Corso pubblico", trainers=[other_trainer])
    await make_session(internal, rome(date(2026, 12, 2), 9), minutes=120, location=room.id)
    await make_session(draft, rome(date(2026, 12, 9), 9), minutes=120, location=room.id)
    await make_session(public, rome(date(2026, 12, 16), 9), minutes=120, location=room.id)
    body = {"first_day": "2026-12-02", "weekdays": [2], "start_time": "09:00", "end_time": "11:00", "count": 3,
            "location_id": room.id}
    for url in (f"/api/courses/{course.id}/sessions/series/check", f"/api/courses/{course.id}/sessions/series"):
        response = await client.post(url, json=body, headers=await bearer(trainer))
        assert response.status_code in (200, 409), response.text
        text = response.text
        issues = response.json()["issues"]
        busy = [i for i in issues if i["code"] == "room_busy"]
        assert len(busy) == 3 and all(i["severity"] == "error" for i in busy)
        assert "Riservato" not in text and "Bozza di un collega" not in text
        assert "Corso pubblico" in text
        assert sum("(un altro corso)" in i["message"] for i in busy) == 2
    assert not await Session.exists().where(Session.course == course.id)
    # The office sees every course and is told which.
    office = await client.post(f"/api/courses/{course.id}/sessions/series/check", json=body,
                               headers=await bearer(admin))
    assert "Riservato della cooperativa" in office.text and "Bozza di un collega" in office.text


async def test_a_trainer_busy_in_another_cooperatives_course_is_an_error_without_its_title(
        client, cooperative, coordinator):
    trainer = await make_person("trainer")
    other = await make_cooperative()
    theirs = await make_course(await make_path("internal_training", owner_cooperative=other.id),
                               title="Interno di altri", trainers=[trainer])
    await make_session(theirs, rome(date(2026, 12, 2), 9), minutes=120)
    ours = await make_course(await make_path("internal_training", owner_cooperative=cooperative.id),
                             trainers=[trainer])
    body = {"starts_at": "2026-12-02T10:00", "ends_at": "2026-12-02T12:00",
            "location_id": (await make_location()).id}
    response = await client.post(f"/api/courses/{ours.id}/sessions", headers=await bearer(coordinator), json=body)
    assert response.status_code == 409, response.text
    [issue] = [i for i in response.json()["issues"] if i["code"] == "trainer_busy"]
    assert issue["severity"] == "error"
    assert issue["message"].endswith("(un altro corso).") and "Interno di altri" not in response.text
    # The trainer herself teaches both and is told which.
    mine = await client.post(f"/api/courses/{ours.id}/sessions/check", headers=await bearer(trainer), json=body)
    assert "Interno di altri" in mine.text
