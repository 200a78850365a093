"""Every instant the API writes carries the Europe/Rome offset of its day (DESIGN.md, "Interfaces")."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.factories import PASSWORD, make_course, make_enrolment, make_path, make_person, make_session
from tests.support import bearer
from training_hub.core.timeutil import utcnow
from training_hub.surveys.lifecycle import open_due_surveys


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


async def test_a_participant_reads_their_surveys_and_the_form(client):
    course = await make_course(title="Corso concluso")
    await make_session(course, utcnow() - timedelta(days=1, hours=4), 180)
    person = await make_person()
    await make_enrolment(person, course)
    [survey_id] = await open_due_surveys()
    headers = await bearer(person)
    listed = (await client.get("/api/surveys", headers=headers)).json()
    assert [set(item) for item in listed] == [{"id", "course_title", "closes_at", "answered", "open"}]
    assert listed[0]["closes_at"].endswith(("+01:00", "+02:00")) and listed[0]["open"] is True
    form = (await client.get(f"/api/surveys/{survey_id}", headers=headers)).json()
    assert (form["id"], form["course_id"], form["state"]) == (survey_id, course.id, "open")
    assert form["closes_at"] == listed[0]["closes_at"]
    assert set(form["questions"][0]) == {"id", "code", "text", "kind", "position", "active"}
    answers = {question["code"]: 4 if question["kind"] == "rating" else "Bene"
               for question in form["questions"]}
    assert (await client.post(f"/api/surveys/{survey_id}/responses", json={"answers": answers},
                              headers=headers)).json() == {"status": "recorded"}
    again = (await client.get(f"/api/surveys/{survey_id}", headers=headers)).json()
    assert (again["state"], again["questions"]) == ("answered", [])
