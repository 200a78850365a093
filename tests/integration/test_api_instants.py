"""Every instant the API writes carries the Europe/Rome offset of its day (DESIGN.md, "Interfaces")."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tests.factories import PASSWORD, make_course, make_path, make_person, make_session
from tests.support import bearer


async def test_course_instants_read_the_same_in_every_answer(client):
    worker = await make_person(email="orari@example.test")
    path = await make_path()
    course = await make_course(path)
    await make_session(course, starts_at=datetime(2026, 12, 3, 8, 0, tzinfo=UTC), minutes=120)
    headers = await bearer(worker)
    detail = (await client.get(f"/api/courses/{course.id}", headers=headers)).json()
    assert detail["starts_at"] == "2026-12-03T09:00:00+01:00"
    assert detail["ends_at"] == "2026-12-03T11:00:00+01:00"
    assert detail["sessions"][0]["starts_at"] == "2026-12-03T09:00:00+01:00"
    listed = (await client.get("/api/courses", headers=headers)).json()["items"]
    assert [item["starts_at"] for item in listed if item["id"] == course.id] == ["2026-12-03T09:00:00+01:00"]
    # The courses of a path used to go out in UTC ("…08:00:00Z"): the same instants, the same form.
    in_path = (await client.get(f"/api/paths/{path.id}", headers=headers)).json()["courses"]
    assert in_path[0]["starts_at"] == "2026-12-03T09:00:00+01:00"
    assert in_path[0]["enrolment_opens_at"] == detail["enrolment_opens_at"]


async def test_a_token_says_when_it_expires_in_rome_time(client):
    await make_person(email="scadenza@example.test")
    credentials = {"email": "scadenza@example.test", "password": PASSWORD}
    response = await client.post("/api/auth/tokens", json=credentials)
    assert response.status_code == 201
    expires_at = datetime.fromisoformat(response.json()["expires_at"])
    assert expires_at > datetime.now(UTC)
    assert expires_at.utcoffset() == expires_at.astimezone(ZoneInfo("Europe/Rome")).utcoffset()
    assert response.json()["expires_at"].endswith(("+01:00", "+02:00"))


async def test_the_openapi_document_calls_instants_date_times(client):
    document = (await client.get("/schema/openapi.json")).json()
    session = document["components"]["schemas"]["Session"]["properties"]
    assert session["starts_at"]["type"] == "string" and session["starts_at"]["format"] == "date-time"
    assert {"type": "string", "format": "date-time"}.items() <= session["cancelled_at"]["oneOf"][0].items()
