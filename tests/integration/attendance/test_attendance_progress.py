"""Progress per enrolment: the denominator, excused absences, thresholds, risk, and who sees what."""

from datetime import timedelta

import pytest

from tests.factories import make_cooperative, make_course, make_enrolment, make_path, make_person
from tests.integration.attendance.attendance_setup import course_setup, past_start, put_attendance
from tests.support import as_user, bearer, login
from training_hub.attendance.progress import course_progress
from training_hub.attendance.records import cooperative_progress, training_record
from training_hub.core.errors import NotFound, PermissionDenied
from training_hub.core.tables import Course, Session
from training_hub.core.timeutil import utcnow


async def _progress(client, course_id: int, person) -> dict[int, dict]:
    response = await client.get(f"/api/courses/{course_id}/attendance", headers=await bearer(person))
    assert response.status_code == 200, response.text
    return {row["enrolment_id"]: row for row in response.json()}


async def test_cancelled_sessions_leave_the_denominator(client):
    setup = await course_setup(sessions=3, participants=1, first_start=past_start(), every=timedelta(days=1))
    first, cancelled, third = setup.sessions
    enrolment = setup.enrolments[0]
    await put_attendance(first, enrolment, "present", 120)
    await put_attendance(third, enrolment, "present", 120)
    # A row left over from before the cancellation does not count either.
    await put_attendance(cancelled, enrolment, "present", 120)
    await Session.update({Session.status: "cancelled"}).where(Session.id == cancelled.id)
    row = (await _progress(client, setup.course.id, setup.trainer))[enrolment.id]
    assert row["scheduled_minutes"] == 240 and row["attended_minutes"] == 240
    assert row["percent"] == 100.0 and row["certificate_eligible"] is True and row["at_risk"] is False
    assert row["full_name"] == "Anna Verdi" and row["person_id"] == setup.people[0].id


async def test_excused_absences_give_no_hours_but_stay_excused(client):
    setup = await course_setup(sessions=2, participants=2, first_start=past_start(), every=timedelta(days=1))
    excused, absent = setup.enrolments
    for enrolment, status in ((excused, "excused"), (absent, "absent")):
        await put_attendance(setup.sessions[0], enrolment, "present", 120)
        await put_attendance(setup.sessions[1], enrolment, status, 0)
    rows = await _progress(client, setup.course.id, setup.trainer)
    assert rows[excused.id]["attended_minutes"] == rows[absent.id]["attended_minutes"] == 120
    assert rows[excused.id]["percent"] == 50.0 and rows[excused.id]["certificate_eligible"] is False
    roll = await client.get(f"/api/sessions/{setup.sessions[1].id}/attendance", headers=await bearer(setup.trainer))
    statuses = {item["enrolment_id"]: item["status"] for item in roll.json()["items"]}
    assert statuses == {excused.id: "excused", absent.id: "absent"}


async def test_threshold_exactly_met_and_just_missed(client):
    setup = await course_setup(sessions=2, minutes=100, participants=2, first_start=past_start(),
                               every=timedelta(days=1), threshold=70)
    met, missed = setup.enrolments
    for enrolment, late_minutes in ((met, 40), (missed, 39)):
        await put_attendance(setup.sessions[0], enrolment, "present", 100)
        await put_attendance(setup.sessions[1], enrolment, "late", late_minutes)
    rows = await _progress(client, setup.course.id, setup.trainer)
    assert rows[met.id]["attended_minutes"] == 140 and rows[met.id]["scheduled_minutes"] == 200
    assert rows[met.id]["percent"] == 70.0 and rows[met.id]["certificate_eligible"] is True
    assert rows[missed.id]["percent"] == 69.5 and rows[missed.id]["certificate_eligible"] is False
    assert rows[missed.id]["at_risk"] is True


async def test_at_risk_shows_while_the_course_is_still_running(client):
    # Two sessions held, two to come.
    setup = await course_setup(sessions=4, participants=3, first_start=utcnow() - timedelta(days=14),
                               every=timedelta(days=7))
    steady, behind, lost = setup.enrolments
    for session in setup.sessions[:2]:
        await put_attendance(session, steady, "present", 120)
    await put_attendance(setup.sessions[0], behind, "present", 120)
    await put_attendance(setup.sessions[1], behind, "absent", 0)
    for session in setup.sessions[:2]:
        await put_attendance(session, lost, "absent", 0)
    rows = await _progress(client, setup.course.id, setup.trainer)
    assert rows[steady.id]["at_risk"] is False and rows[steady.id]["certificate_eligible"] is False
    assert rows[steady.id]["remaining_minutes"] == 240
    # 120 + 240 still possible >= 336 needed, but 50% so far is below 70%: in danger.
    assert rows[behind.id]["at_risk"] is True
    # 0 + 240 < 336: the threshold can no longer be reached.
    assert rows[lost.id]["at_risk"] is True
    page = await client.get(f"/courses/{setup.course.id}/attendance", headers=await bearer(setup.trainer))
    assert page.status_code == 200
    assert "Soglia non più raggiungibile" in page.text and "A rischio" in page.text


async def test_a_completed_course_is_over_even_with_sessions_ahead():
    setup = await course_setup(sessions=2, participants=1, first_start=utcnow() - timedelta(days=1))
    await put_attendance(setup.sessions[0], setup.enrolments[0], "present", 120)
    result = await course_progress(as_user(setup.trainer), setup.course.id)
    assert not result["rows"][0]["progress"].eligible
    await Course.update({Course.status: "completed"}).where(Course.id == setup.course.id)
    result = await course_progress(as_user(setup.trainer), setup.course.id)
    progress = result["rows"][0]["progress"]
    assert progress.finished and not progress.eligible and progress.percent == 50.0


async def test_who_sees_whose_progress(client):
    setup = await course_setup(sessions=1, participants=2, first_start=past_start())
    other_cooperative = await make_cooperative()
    outsider = await make_person("worker", cooperative=other_cooperative, full_name="Zeno Bassi")
    outsider_enrolment = await make_enrolment(outsider, setup.course)
    all_ids = {*(e.id for e in setup.enrolments), outsider_enrolment.id}

    assert set(await _progress(client, setup.course.id, setup.trainer)) == all_ids
    assert set(await _progress(client, setup.course.id, await make_person("admin"))) == all_ids
    coordinator = await make_person("coordinator", cooperative=setup.cooperative)
    assert set(await _progress(client, setup.course.id, coordinator)) == {e.id for e in setup.enrolments}
    other_coordinator = await make_person("coordinator", cooperative=other_cooperative)
    assert set(await _progress(client, setup.course.id, other_coordinator)) == {outsider_enrolment.id}
    assert set(await _progress(client, setup.course.id, setup.people[0])) == {setup.enrolments[0].id}

    # Another cooperative's internal course: its coordinators cannot even learn it exists.
    internal_path = await make_path(kind="internal_training", owner_cooperative=setup.cooperative.id)
    internal = await make_course(internal_path, title="Corso interno riservato")
    for url in (f"/api/courses/{internal.id}/attendance", f"/courses/{internal.id}/attendance"):
        hidden = await client.get(url, headers=await bearer(other_coordinator))
        assert hidden.status_code == 404 and "Corso interno riservato" not in hidden.text
        assert (await client.get(url, headers=await bearer(coordinator))).status_code == 200

    stranger = await client.get(f"/api/courses/{setup.course.id}/attendance", headers=await bearer(await make_person()))
    assert stranger.status_code == 403
    other_trainer = await client.get(f"/api/courses/{setup.course.id}/attendance",
                                     headers=await bearer(await make_person("trainer")))
    assert other_trainer.status_code == 403
    missing = await client.get("/api/courses/999999/attendance", headers=await bearer(setup.trainer))
    assert missing.status_code == 404
    assert (await client.get(f"/api/courses/{setup.course.id}/attendance")).status_code == 401


async def test_progress_list_runs_the_same_queries_for_2_or_8_participants(client, count_queries):
    small = await course_setup(sessions=3, participants=2, first_start=past_start(), every=timedelta(days=1))
    large = await course_setup(sessions=3, participants=6, first_start=past_start(), every=timedelta(days=1))
    for setup in (small, large):
        for session in setup.sessions:
            for enrolment in setup.enrolments:
                await put_attendance(session, enrolment, "present", 120)
    counts = []
    for setup in (small, large):
        headers = await bearer(setup.trainer)
        with count_queries() as counter:
            response = await client.get(f"/api/courses/{setup.course.id}/attendance", headers=headers)
        assert response.status_code == 200 and len(response.json()) == len(setup.enrolments)
        counts.append(counter.count)
    assert counts[0] == counts[1]
    assert counts[0] <= 8


async def test_register_and_roll_call_run_the_same_queries_whatever_the_size(client, count_queries):
    small = await course_setup(sessions=2, participants=2, first_start=past_start(), every=timedelta(days=1))
    large = await course_setup(sessions=5, participants=6, first_start=past_start(), every=timedelta(days=1))
    counts = []
    for setup in (small, large):
        for session in setup.sessions:
            for enrolment in setup.enrolments:
                await put_attendance(session, enrolment, "present", 120)
        headers = await bearer(setup.trainer)
        with count_queries() as counter:
            assert (await client.get(f"/courses/{setup.course.id}/register.csv", headers=headers)).status_code == 200
            assert (await client.get(f"/api/sessions/{setup.sessions[0].id}/attendance",
                                     headers=headers)).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


# Training record ---------------------------------------------------------------------------------


async def test_training_record_adds_hours_per_year_and_per_path_kind(client):
    setup = await course_setup(sessions=2, participants=1, first_start=past_start(), every=timedelta(days=1))
    person, enrolment = setup.people[0], setup.enrolments[0]
    await put_attendance(setup.sessions[0], enrolment, "present", 120)
    await put_attendance(setup.sessions[1], enrolment, "late", 90)
    running = await course_setup(sessions=2, participants=0, first_start=utcnow() + timedelta(days=3))
    await make_enrolment(person, running.course)

    record = await training_record(as_user(person), person.id)
    assert [item["course_id"] for item in record["completed"]] == [setup.course.id]
    assert [item["course_id"] for item in record["current"]] == [running.course.id]
    assert record["total_minutes"] == 210
    assert record["by_year"] == [(setup.sessions[0].starts_at.year, 210)]
    assert record["by_kind"] == [("marketing", 210)]

    await login(client, person.email)
    page = await client.get("/my/training")
    assert page.status_code == 200
    assert "Il mio percorso formativo" in page.text
    assert "3 h 30 min" in page.text and "Marketing sociale" in page.text
    assert f"/enrolments/{enrolment.id}/certificate.pdf" in page.text
    csv_response = await client.get("/my/training.csv")
    assert csv_response.status_code == 200
    assert csv_response.headers["content-disposition"].startswith("attachment;")
    text = csv_response.content.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0].startswith("Corso;Percorso;Tipo di percorso;")
    assert len(lines) == 3
    completed_line = next(line for line in lines if line.startswith(setup.course.title))
    assert ";concluso;240;210;3,5;87,5;70;sì" in completed_line


async def test_coordinators_see_the_training_record_of_their_cooperative_only(client):
    setup = await course_setup(sessions=1, participants=1, first_start=past_start())
    worker = setup.people[0]
    coordinator = await make_person("coordinator", cooperative=setup.cooperative)
    record = await training_record(as_user(coordinator), worker.id)
    assert record["person"]["full_name"] == "Anna Verdi"
    other = await make_person("coordinator", cooperative=await make_cooperative())
    with pytest.raises(NotFound):
        await training_record(as_user(other), worker.id)
    with pytest.raises(NotFound):
        await training_record(as_user(await make_person("worker", cooperative=setup.cooperative)), worker.id)
    with pytest.raises(NotFound):
        await training_record(as_user(setup.trainer), worker.id)
    await training_record(as_user(await make_person("admin")), worker.id)

    await login(client, coordinator.email)
    page = await client.get(f"/people/{worker.id}/training")
    assert page.status_code == 200 and "Percorso formativo di Anna Verdi" in page.text
    assert (await client.get(f"/people/{worker.id}/training.csv")).status_code == 200
    await login(client, other.email)
    assert (await client.get(f"/people/{worker.id}/training")).status_code == 404
    assert (await client.get(f"/people/{worker.id}/training.csv")).status_code == 404


async def test_a_participant_cannot_read_another_course_overview(client):
    setup = await course_setup(sessions=1, participants=1, first_start=past_start())
    with pytest.raises(PermissionDenied):
        await course_progress(as_user(await make_person()), setup.course.id)
    await login(client, setup.people[0].email)
    own = await client.get(f"/courses/{setup.course.id}/attendance")
    assert own.status_code == 200 and "La tua frequenza" in own.text
    assert "register.pdf" not in own.text


async def test_coordinators_follow_their_cooperative_courses_with_the_people_at_risk_first(client, count_queries):
    setup = await course_setup(sessions=4, participants=3, first_start=utcnow() - timedelta(days=14),
                               every=timedelta(days=7))
    steady, behind, _unrecorded = setup.enrolments
    for session in setup.sessions[:2]:
        await put_attendance(session, steady, "present", 120)
        await put_attendance(session, behind, "absent", 0)
    outsider = await make_person("worker", cooperative=await make_cooperative(), full_name="Zeno Bassi")
    await make_enrolment(outsider, setup.course)
    coordinator = await make_person("coordinator", cooperative=setup.cooperative)

    result = await cooperative_progress(as_user(coordinator))
    assert [course["id"] for course in result["courses"]] == [setup.course.id]
    rows = result["courses"][0]["rows"]
    assert [row["full_name"] for row in rows] == ["Bruno Neri", "Carla Galli", "Anna Verdi"]  # at risk first
    assert result["courses"][0]["at_risk"] == 2
    with pytest.raises(PermissionDenied):
        await cooperative_progress(as_user(coordinator), cooperative_id=outsider.cooperative)
    with pytest.raises(PermissionDenied):
        await cooperative_progress(as_user(setup.people[0]))
    admin = as_user(await make_person("admin"))
    assert (await cooperative_progress(admin))["courses"] == []
    assert len((await cooperative_progress(admin, cooperative_id=outsider.cooperative))["courses"][0]["rows"]) == 1

    await login(client, coordinator.email)
    with count_queries() as counter:
        page = await client.get("/cooperative/attendance")
    assert page.status_code == 200
    assert "Zeno" not in page.text and "2 persone a rischio" in page.text
    assert f'href="/people/{setup.people[0].id}/training"' in page.text
    assert counter.count <= 8
    assert (await client.get(f"/cooperative/attendance?cooperative_id={outsider.cooperative}")).status_code == 403
