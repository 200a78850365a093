"""The roll call refuses contradictions (issue 13, item 3) through the page and the API: the row comes
back with its message next to the field, what was typed kept, and nothing is saved."""

from datetime import timedelta

from tests.integration.attendance.attendance_setup import course_setup
from tests.support import bearer, login, post_form
from training_hub.core.tables import Attendance
from training_hub.core.timeutil import to_rome, utcnow


async def _setup():
    # A session that started 20 minutes ago, 180 minutes long.
    start = (utcnow() - timedelta(minutes=20)).replace(second=0, microsecond=0)
    return await course_setup(sessions=1, participants=2, minutes=180, first_start=start)


def _clock(instant):
    return to_rome(instant).strftime("%H:%M")


async def test_the_page_sends_each_contradiction_back_to_its_field(client):
    setup = await _setup()
    session = setup.sessions[0]
    first, second = setup.enrolments
    await login(client, setup.trainer.email)
    url = f"/sessions/{session.id}/attendance"
    before_start = _clock(session.starts_at - timedelta(hours=1))
    cases = [
        ({"status": "late", "minutes": "500"}, "minutes", "non possono superare la durata dell'incontro (180)"),
        ({"status": "present", "minutes": "-20"}, "minutes", "I minuti non possono essere negativi."),
        ({"status": "late", "arrived": before_start}, "arrived", "vuol dire entrare dopo l'inizio"),
        ({"status": "left_early", "left": _clock(session.ends_at + timedelta(hours=1))}, "left",
         "vuol dire uscire prima della fine"),
    ]
    for values, field, message in cases:
        form = {"enrolment": [str(first.id), str(second.id)], f"status-{second.id}": "present"}
        form.update({f"{name}-{first.id}": value for name, value in values.items()})
        page = await post_form(client, url, form)
        assert page.status_code == 422, values
        assert message in page.text.replace("&#39;", "'"), values
        assert f'id="{field}-{first.id}"' in page.text and 'aria-invalid="true"' in page.text
        assert f'value="{values.get(field, "")}"' in page.text  # what was typed is kept
    assert await Attendance.count() == 0  # nothing saved, not even the other line


async def test_the_api_refuses_them_and_saves_lines_that_agree(client):
    setup = await _setup()
    session = setup.sessions[0]
    first, second = setup.enrolments
    headers = await bearer(setup.trainer)
    url = f"/api/sessions/{session.id}/attendance"
    late_entry = _clock(session.starts_at - timedelta(minutes=30))
    refused = await client.put(url, json=[{"enrolment_id": first.id, "status": "late", "arrived_at": late_entry}],
                               headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "0.arrived_at"
    arrival = _clock(session.starts_at + timedelta(minutes=30))
    saved = await client.put(url, json=[
        {"enrolment_id": first.id, "status": "late", "arrived_at": arrival, "minutes": 150},
        {"enrolment_id": second.id, "status": "left_early", "minutes": 60},
    ], headers=headers)
    assert saved.status_code == 200, saved.text
    assert {line["enrolment_id"]: line["minutes"] for line in saved.json()} == {first.id: 150, second.id: 60}
