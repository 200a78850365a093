"""Answers no other test reads, field by field: the names are the contract (DESIGN.md, "Interfaces")."""

from tests.factories import make_course, make_location, make_person, make_session
from tests.support import bearer

COOPERATIVE = {"id", "name", "tax_code", "province", "comune", "areas", "active", "ateco", "risk_class",
               "risk_class_source"}
LOCATION = {"id", "name", "address", "comune", "province", "capacity", "step_free_access", "is_online",
            "notes", "active", "patron_day", "patron_saint"}
SESSION = {"id", "course_id", "starts_at", "ends_at", "minutes", "location", "is_online", "online_url",
           "topics", "trainer", "status", "sequence", "uid", "cancelled_at", "updated_at"}


async def test_cooperatives_created_changed_and_listed(client):
    headers = await bearer(await make_person(roles="admin"))
    created = await client.post("/api/cooperatives", headers=headers, json={
        "name": "Cooperativa Sociale Il Faro", "province": "CO", "comune": "Como", "areas": ["minori"]})
    assert created.status_code == 201 and set(created.json()) == COOPERATIVE
    changed = await client.patch(f"/api/cooperatives/{created.json()['id']}", headers=headers,
                                 json={"active": False})
    assert changed.json() == {**created.json(), "active": False}
    listed = (await client.get("/api/cooperatives", headers=headers)).json()
    assert changed.json() in listed


async def test_a_location_a_session_and_a_series_check(client):
    trainer = await make_person(roles="trainer")
    headers = await bearer(trainer)
    room = await make_location(name="Sala Grande")
    location = (await client.get(f"/api/locations/{room.id}", headers=headers)).json()
    assert set(location) == LOCATION and location["name"] == "Sala Grande"
    course = await make_course(trainers=[trainer])
    session = await make_session(course, location=room.id)
    read = (await client.get(f"/api/sessions/{session.id}", headers=headers)).json()
    assert set(read) == SESSION and read["location"]["name"] == "Sala Grande"
    check = await client.post(f"/api/courses/{course.id}/sessions/series/check", headers=headers, json={
        "first_day": "2026-11-30", "weekdays": [1], "start_time": "09:00", "end_time": "12:00",
        "until": "2026-12-22", "location_id": room.id})
    assert check.status_code == 200
    issues = check.json()["issues"]
    assert [(issue["code"], issue["severity"]) for issue in issues] == [("holiday", "warning")]


async def test_the_callers_calendar_links(client):
    person = await make_person()
    links = (await client.get("/api/me/calendar", headers=await bearer(person))).json()
    assert set(links) == {"calendar_url", "cooperative_calendar_url"}
    assert links["calendar_url"].endswith(".ics") and links["cooperative_calendar_url"] is None
