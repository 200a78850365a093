"""The roll-call page (phone first, without JavaScript), the course panel partial and the menu."""

from datetime import timedelta

from tests.factories import make_person
from tests.integration.attendance.attendance_setup import course_setup, past_start, put_attendance
from tests.support import login, post_form
from training_hub.core.tables import Attendance, AuditEvent
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.web.templating import build_environment


async def _rows(session_id: int) -> dict[int, dict]:
    return {row["enrolment"]: row for row in await Attendance.select().where(Attendance.session == session_id)}


async def test_roll_call_page_is_an_accessible_form(client):
    setup = await course_setup(sessions=1, participants=2, first_start=utcnow() - timedelta(minutes=10))
    await login(client, setup.trainer.email)
    response = await client.get(f"/sessions/{setup.sessions[0].id}/attendance")
    assert response.status_code == 200
    html = response.text
    assert "<legend>Anna Verdi</legend>" in html and "<legend>Bruno Neri</legend>" in html
    for enrolment in setup.enrolments:
        assert f'name="status-{enrolment.id}" value="excused"' in html
        assert f'<label for="arrived-{enrolment.id}">Entrata</label>' in html
        assert f'id="left-{enrolment.id}" name="left-{enrolment.id}"' in html
    assert html.count('name="_csrf_token"') >= 3  # logout, all present, roll call (and the language switch)
    assert "Tutti presenti" in html and "Mostra il codice per il check-in" in html
    assert " style=" not in html and "<script>" not in html
    assert '<meta name="viewport"' in html


async def test_saving_the_roll_call_from_the_page(client):
    setup = await course_setup(sessions=1, participants=2, first_start=utcnow() - timedelta(minutes=30))
    session = setup.sessions[0]
    a, b = setup.enrolments
    await login(client, setup.trainer.email)
    response = await post_form(client, f"/sessions/{session.id}/attendance", {
        "enrolment": [str(a.id), str(b.id)],
        f"status-{a.id}": "present",
        f"status-{b.id}": "left_early", f"minutes-{b.id}": "45",
    })
    assert response.status_code == 303
    rows = await _rows(session.id)
    assert rows[a.id]["minutes"] == 120 and rows[b.id]["minutes"] == 45
    page = await client.get(response.headers["location"])
    assert "Presenze salvate: 2." in page.text
    assert "registrato da Marco Bianchi" in page.text


async def test_errors_appear_next_to_the_participant_field_and_nothing_is_saved(client):
    setup = await course_setup(sessions=1, participants=2, first_start=utcnow() - timedelta(minutes=30))
    session = setup.sessions[0]
    a, b = setup.enrolments
    await login(client, setup.trainer.email)
    response = await post_form(client, f"/sessions/{session.id}/attendance", {
        "enrolment": [str(a.id), str(b.id)],
        f"status-{a.id}": "present",
        f"status-{b.id}": "late", f"arrived-{b.id}": "",
    })
    assert response.status_code == 422
    html = response.text
    assert f'id="arrived-{b.id}-error"' in html
    assert 'aria-invalid="true"' in html
    assert "Indica l&#39;orario" in html or "Indica l'orario" in html
    assert f'name="status-{b.id}" value="late" checked' in html  # what was typed is kept
    assert not await Attendance.exists()
    nothing = await post_form(client, f"/sessions/{session.id}/attendance", {"enrolment": [str(a.id)]})
    assert nothing.status_code == 422 and "Indica almeno una presenza" in nothing.text


async def test_all_present_button(client):
    setup = await course_setup(sessions=1, participants=3, first_start=utcnow() - timedelta(minutes=5))
    session = setup.sessions[0]
    await put_attendance(session, setup.enrolments[0], "absent", 0)
    await login(client, setup.trainer.email)
    response = await post_form(client, f"/sessions/{session.id}/attendance/all-present")
    assert response.status_code == 303
    rows = await _rows(session.id)
    assert [rows[e.id]["status"] for e in setup.enrolments] == ["absent", "present", "present"]
    assert "Segnati come presenti: 2." in (await client.get(response.headers["location"])).text


async def test_a_closed_register_is_read_only_for_trainers_and_needs_a_reason_from_admins(client, other_client, admin):
    setup = await course_setup(sessions=1, participants=1, first_start=past_start(10))
    session, enrolment = setup.sessions[0], setup.enrolments[0]
    await put_attendance(session, enrolment, "absent", 0)
    await login(client, setup.trainer.email)
    page = await client.get(f"/sessions/{session.id}/attendance")
    assert "Il registro è chiuso dal" in page.text and "<fieldset disabled>" in page.text
    refused = await post_form(client, f"/sessions/{session.id}/attendance",
                              {"enrolment": str(enrolment.id), f"status-{enrolment.id}": "present"})
    assert refused.status_code == 403 and "ufficio formazione" in refused.text

    await login(other_client, admin.email)
    page = await other_client.get(f"/sessions/{session.id}/attendance")
    assert 'name="reason"' in page.text and "Tutti presenti" not in page.text
    no_reason = await post_form(other_client, f"/sessions/{session.id}/attendance",
                                {"enrolment": str(enrolment.id), f"status-{enrolment.id}": "present"})
    assert no_reason.status_code == 422 and 'id="reason-error"' in no_reason.text
    done = await post_form(other_client, f"/sessions/{session.id}/attendance",
                           {"enrolment": str(enrolment.id), f"status-{enrolment.id}": "present",
                            "reason": "Firma presente sul foglio cartaceo"})
    assert done.status_code == 303
    assert (await _rows(session.id))[enrolment.id]["status"] == "present"
    assert await AuditEvent.exists().where(AuditEvent.action == "attendance.corrected")


async def test_workers_cannot_open_a_roll_call(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow())
    await login(client, setup.people[0].email)
    assert (await client.get(f"/sessions/{setup.sessions[0].id}/attendance")).status_code == 403
    assert (await post_form(client, f"/sessions/{setup.sessions[0].id}/attendance/all-present")).status_code == 403
    assert (await client.get("/sessions/999999/attendance")).status_code in (403, 404)


async def test_course_panel_partial_for_the_course_page(client):
    setup = await course_setup(sessions=2, participants=1, first_start=utcnow() + timedelta(days=1))
    env = build_environment()
    template = env.get_template("attendance/_course_panel.html")
    sessions = [{"id": s.id, "starts_at": s.starts_at, "ends_at": s.ends_at, "status": s.status}
                for s in setup.sessions]
    sessions[1]["status"] = "cancelled"
    from tests.support import as_user

    html = template.render(course={"id": setup.course.id}, sessions=sessions, user=as_user(setup.trainer),
                           is_trainer=True, can_manage=True, can_take_attendance=True)
    assert f'href="/sessions/{setup.sessions[0].id}/attendance"' in html
    assert f'href="/sessions/{setup.sessions[0].id}/check-in"' in html
    assert f'href="/sessions/{setup.sessions[1].id}/attendance"' not in html  # cancelled
    for extension in ("pdf", "csv", "xlsx"):
        assert f'href="/courses/{setup.course.id}/register.{extension}"' in html
    worker_html = template.render(course={"id": setup.course.id}, sessions=sessions,
                                  user=as_user(setup.people[0]), is_trainer=False, can_manage=False,
                                  can_take_attendance=False)
    assert "register" not in worker_html


async def test_the_menu_leads_everyone_to_their_training_record(client):
    person = await make_person()
    await login(client, person.email)
    home = await client.get("/")
    assert 'href="/my/training"' in home.text and "Il mio percorso formativo" in home.text
    page = await client.get("/my/training")
    assert page.status_code == 200 and "Nessun corso in corso." in page.text


async def test_pages_speak_english_when_asked(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(minutes=5))
    await login(client, setup.trainer.email)
    client.cookies.set("lang", "en")
    roll = await client.get(f"/sessions/{setup.sessions[0].id}/attendance")
    assert "Attendance register" in roll.text and "All present" in roll.text and "Excused" in roll.text
    record = await client.get("/my/training")
    assert "My training record" in record.text


async def test_the_person_page_links_to_the_training_record(client):
    from tests.factories import make_cooperative

    cooperative = await make_cooperative()
    worker = await make_person("worker", cooperative=cooperative)
    await login(client, (await make_person("coordinator", cooperative=cooperative)).email)
    page = await client.get(f"/admin/people/{worker.id}")
    assert page.status_code == 200
    assert f'href="/people/{worker.id}/training"' in page.text


async def test_saving_the_whole_roll_call_leaves_check_ins_as_they_were(client, other_client):
    from training_hub.attendance.rules import check_in_codes, minute_of

    setup = await course_setup(sessions=1, participants=2, first_start=utcnow() - timedelta(minutes=40))
    session = setup.sessions[0]
    checked, other = setup.enrolments
    await login(other_client, setup.people[0].email)
    token, _digits = check_in_codes(session.id, minute_of(utcnow()))
    assert (await post_form(other_client, f"/check-in/{session.id}", {"code": token, "action": "in"})).status_code == 303
    before = (await _rows(session.id))[checked.id]
    assert before["status"] == "late" and before["recorded_via"] == "check_in"

    # The trainer's page sends back every card as shown (times to the minute), changing one person only.
    await login(client, setup.trainer.email)
    response = await post_form(client, f"/sessions/{session.id}/attendance", {
        "enrolment": [str(checked.id), str(other.id)],
        f"status-{checked.id}": "late", f"arrived-{checked.id}": to_rome(before["arrived_at"]).strftime("%H:%M"),
        f"minutes-{checked.id}": str(before["minutes"]),
        f"status-{other.id}": "absent",
    })
    assert response.status_code == 303
    after = (await _rows(session.id))[checked.id]
    assert after == before  # same instant to the second, same minutes, still the participant's check-in


async def test_odd_enrolment_ids_in_the_roll_call_form_are_ignored(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(minutes=30))
    session = setup.sessions[0]
    await login(client, setup.trainer.email)
    for value in ("²", "9" * 5000):
        response = await post_form(client, f"/sessions/{session.id}/attendance",
                                   {"enrolment": value, f"status-{value}": "present"})
        assert response.status_code == 422 and "Indica almeno una presenza" in response.text
    assert not await Attendance.exists()


async def test_a_time_on_another_day_is_refused_next_to_the_field(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(minutes=30))
    session, enrolment = setup.sessions[0], setup.enrolments[0]
    await login(client, setup.trainer.email)
    response = await post_form(client, f"/sessions/{session.id}/attendance", {
        "enrolment": str(enrolment.id), f"status-{enrolment.id}": "late", f"arrived-{enrolment.id}": "0001-01-01T00:00",
    })
    assert response.status_code == 422
    assert f'id="arrived-{enrolment.id}-error"' in response.text
    assert not await Attendance.exists()
