"""Issue 12 items 11 and 13: control characters, repeated fields, NUL bytes and lengths.

Refused at the door with a message next to the field; what is already stored never breaks an export.
"""

from datetime import timedelta

import pytest

from tests.factories import make_course, make_path, make_session
from tests.integration.attendance.attendance_setup import course_setup
from tests.support import bearer, login, post_form
from training_hub.core.tables import Location, TrainingPath
from training_hub.notifications.sender import build_email


@pytest.mark.parametrize("title", ["Sicurezza\r\nBcc: tutti@example.test", "Cor\x01so", "Cor\x0bso", "Cor\x1b[31mso",
                                   "Cor\x00so"])
async def test_api_refuses_control_characters_in_titles_and_names(client, admin, title):
    headers = await bearer(admin)
    path = await client.post("/api/paths", headers=headers, json={"kind": "marketing", "title": title})
    assert path.status_code == 422
    assert path.json()["errors"][0]["field"] == "title"
    location = await client.post("/api/locations", headers=headers, json={
        "name": title, "address": "Via Roma 1", "comune": "Como", "province": "CO"})
    assert location.status_code == 422
    assert {e["field"] for e in location.json()["errors"]} == {"name"}
    person = await client.post("/api/people", headers=headers, json={
        "full_name": title, "email": "nuovo@example.test", "roles": ["worker"]})
    assert person.status_code == 422
    assert "full_name" in {e["field"] for e in person.json()["errors"]}
    cooperative = await client.post("/api/cooperatives", headers=headers, json={
        "name": title, "province": "CO", "comune": title})
    assert cooperative.status_code == 422
    assert {e["field"] for e in cooperative.json()["errors"]} == {"name", "comune"}
    assert not await TrainingPath.exists() and not await Location.exists()


async def test_long_titles_and_names_are_refused_never_cut(client, admin):
    headers = await bearer(admin)
    long_title = "P" * 201
    path = await client.post("/api/paths", headers=headers, json={"kind": "marketing", "title": long_title})
    assert path.status_code == 422 and path.json()["errors"][0]["field"] == "title"
    location = await client.post("/api/locations", headers=headers, json={
        "name": "S" * 201, "address": "Via Roma 1", "comune": "Como", "province": "CO"})
    assert location.status_code == 422 and location.json()["errors"][0]["field"] == "name"
    exact = await client.post("/api/paths", headers=headers, json={"kind": "marketing", "title": "P" * 200})
    assert exact.status_code == 201 and exact.json()["title"] == "P" * 200


async def test_a_repeated_form_field_and_a_nul_byte_get_a_message_next_to_the_field(client, trainer):
    await login(client, trainer.email)
    repeated = await post_form(client, "/trainer/paths/new", {"kind": "marketing", "title": ["x", "dup-x"]})
    assert repeated.status_code == 422
    assert 'id="title-error"' in repeated.text and "inviato più volte" in repeated.text
    nul = await post_form(client, "/trainer/paths/new", {"kind": "marketing", "title": "Comunicare",
                                                         "description": "prima\x00dopo"})
    assert nul.status_code == 422
    assert 'id="description-error"' in nul.text and "caratteri di controllo" in nul.text
    assert not await TrainingPath.exists()


async def test_stored_control_characters_do_not_break_feeds_registers_or_e_mails(client):
    title = "Primo soccorso\r\nX-Injected: 1\x01\x0b\x1b"
    setup = await course_setup(sessions=1, participants=1, first_start=(await _past()), title=title)
    path = await make_path(title="Percorso\r\nrotto")
    course = await make_course(path, title=title)
    session = await make_session(course)
    for url in (f"/calendar/courses/{course.id}.ics", f"/calendar/sessions/{session.id}.ics",
                f"/calendar/paths/{path.id}.ics"):
        response = await client.get(url)
        assert response.status_code == 200, url
        assert "\nX-Injected" not in response.text
    register = await client.get(f"/courses/{setup.course.id}/register.xlsx", headers=await bearer(setup.trainer))
    assert register.status_code == 200
    message = build_email({"id": 7, "to_email": "a@example.test", "subject": f"Promemoria: {title}", "kind": "reminder",
                           "recipient": 1, "body": "Testo", "ics": None})
    assert "\n" not in message["Subject"] and message.as_bytes().count(b"X-Injected") == 1  # the subject, one line


async def _past():
    from training_hub.core.timeutil import utcnow

    return utcnow() - timedelta(days=2)


