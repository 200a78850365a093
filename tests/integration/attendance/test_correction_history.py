"""The corrections of a closed register, per session: the history the roll-call page promises."""

from __future__ import annotations

import html

from tests.factories import make_cooperative, make_person
from tests.integration.attendance.attendance_setup import course_setup, past_start, put_attendance
from tests.support import login, post_form


async def test_office_corrects_and_the_session_history_shows_it(client, other_client, admin, count_queries):
    setup = await course_setup(sessions=2, participants=2, first_start=past_start(10))
    session, other_session = setup.sessions[0], setup.sessions[1]
    first, second = setup.enrolments[0], setup.enrolments[1]
    await put_attendance(session, first, "absent", 0)
    await login(client, admin.email)
    roll = await client.get(f"/sessions/{session.id}/attendance")
    assert f'href="/sessions/{session.id}/attendance/history"' in roll.text
    empty = await client.get(f"/sessions/{session.id}/attendance/history")
    assert empty.status_code == 200 and "Nessuna correzione" in empty.text
    done = await post_form(client, f"/sessions/{session.id}/attendance",
                           {"enrolment": str(first.id), f"status-{first.id}": "present",
                            "reason": "Firma presente sul foglio cartaceo"})
    assert done.status_code == 303
    with count_queries() as one:
        page = await client.get(f"/sessions/{session.id}/attendance/history")
    text = html.unescape(page.text[page.text.index("<main"):page.text.index("</main>")])
    person = next(p for p in setup.people if p.id == first.person)
    assert person.full_name in text and "Assente" in text and "Presente" in text
    assert "Firma presente sul foglio cartaceo" in text and admin.full_name in text
    # A correction of another session stays on that session's page.
    elsewhere = await post_form(client, f"/sessions/{other_session.id}/attendance",
                                {"enrolment": str(second.id), f"status-{second.id}": "absent",
                                 "reason": "Assente al rientro"})
    assert elsewhere.status_code == 303
    again = await post_form(client, f"/sessions/{session.id}/attendance",
                            {"enrolment": str(second.id), f"status-{second.id}": "excused", "reason": "Giustificata"})
    assert again.status_code == 303
    with count_queries() as more:
        page = await client.get(f"/sessions/{session.id}/attendance/history")
    assert "Assente al rientro" not in page.text and "Giustificata" in page.text
    assert more.count == one.count

    await login(other_client, setup.trainer.email)  # the course's trainer may read it
    assert (await other_client.get(f"/sessions/{session.id}/attendance/history")).status_code == 200


async def test_the_history_is_not_for_participants_or_other_cooperatives(client, other_client):
    setup = await course_setup(sessions=1, participants=1, first_start=past_start(10))
    await login(client, setup.people[0].email)
    assert (await client.get(f"/sessions/{setup.sessions[0].id}/attendance/history")).status_code == 403
    coordinator = await make_person("coordinator", cooperative=await make_cooperative())
    await login(other_client, coordinator.email)
    assert (await other_client.get(f"/sessions/{setup.sessions[0].id}/attendance/history")).status_code in (403, 404)
    assert (await other_client.get("/sessions/999999/attendance/history")).status_code == 404
