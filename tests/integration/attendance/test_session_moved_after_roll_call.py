"""Editing a session after its roll call (issue 13, item 2): a warning naming the people whose percent
changes, and the recorded minutes re-clipped to the new times once confirmed."""

from datetime import date

from tests.factories import make_course, make_enrolment, make_location, make_person, make_session
from tests.integration.attendance.attendance_setup import put_attendance
from tests.support import bearer, rome
from training_hub.core.tables import Attendance, AuditEvent

DAY = date(2026, 11, 24)  # yesterday, within the 7 days of the register


async def _held_session(trainer):
    room = await make_location()
    course = await make_course(trainers=[trainer], title="Comunicare in équipe")
    session = await make_session(course, rome(DAY, 17, 45), minutes=15, location=room.id)
    anna, bruno, carla = [await make_person(full_name=name) for name in ("Anna Verdi", "Bruno Neri", "Carla Galli")]
    rows = {}
    rows["anna"] = await make_enrolment(anna, course)
    await put_attendance(session, rows["anna"], "present", 15)
    rows["bruno"] = await make_enrolment(bruno, course)  # entered 17:50: 10 of 15 minutes
    await put_attendance(session, rows["bruno"], "late", 10, arrived_at=rome(DAY, 17, 50))
    rows["carla"] = await make_enrolment(carla, course)
    await put_attendance(session, rows["carla"], "absent", 0)
    return session, rows


async def _minutes(session):
    return {row["enrolment"]: row["minutes"] for row in
            await Attendance.select(Attendance.enrolment, Attendance.minutes).where(Attendance.session == session.id)}


async def test_moving_a_session_with_a_roll_call_warns_and_names_whose_percent_changes(client, trainer):
    session, rows = await _held_session(trainer)
    headers = await bearer(trainer)
    new_times = {"starts_at": "2026-11-24T17:00", "ends_at": "2026-11-24T17:30"}
    refused = await client.patch(f"/api/sessions/{session.id}", headers=headers, json=new_times)
    assert refused.status_code == 409
    messages = {i["code"]: [] for i in refused.json()["issues"]}
    for issue in refused.json()["issues"]:
        messages[issue["code"]].append(issue["message"])
    assert messages["attendance_recorded"] == [
        "L'incontro ha già le presenze di 3 persone: i minuti registrati saranno ricalcolati sui nuovi orari."]
    # Anna stays at 100% (present: the whole new session), Carla at 0%; Bruno entered after the new end.
    assert messages["attendance_percent_changes"] == ["Bruno Neri: la presenza al corso cambia da 66,6% a 0%."]
    assert await _minutes(session) == {rows["anna"].id: 15, rows["bruno"].id: 10, rows["carla"].id: 0}

    saved = await client.patch(f"/api/sessions/{session.id}", headers=headers,
                               json={**new_times, "confirm_warnings": True})
    assert saved.status_code == 200, saved.text
    assert await _minutes(session) == {rows["anna"].id: 30, rows["bruno"].id: 0, rows["carla"].id: 0}
    audit = await AuditEvent.select(AuditEvent.data).where(AuditEvent.action == "attendance.reclipped").first()
    assert "Bruno" not in str(audit["data"]) and "lines_changed" in str(audit["data"])


async def test_a_longer_session_reclips_from_the_recorded_entry(client, trainer):
    session, rows = await _held_session(trainer)
    later = await client.patch(f"/api/sessions/{session.id}", headers=await bearer(trainer), json={
        "starts_at": "2026-11-24T17:45", "ends_at": "2026-11-24T18:15", "confirm_warnings": True})
    assert later.status_code == 200
    # Longer: Anna present for all 30 minutes, Bruno's entry still 17:50 (25 minutes).
    assert await _minutes(session) == {rows["anna"].id: 30, rows["bruno"].id: 25, rows["carla"].id: 0}


async def test_a_session_without_a_roll_call_moves_without_this_warning(client, trainer):
    room = await make_location()
    course = await make_course(trainers=[trainer])
    session = await make_session(course, rome(date(2026, 12, 10), 9), minutes=120, location=room.id)
    moved = await client.patch(f"/api/sessions/{session.id}", headers=await bearer(trainer),
                               json={"starts_at": "2026-12-10T10:00", "ends_at": "2026-12-10T12:00"})
    assert moved.status_code == 200, moved.text


async def test_topics_only_change_nothing_recorded(client, trainer):
    session, rows = await _held_session(trainer)
    edited = await client.patch(f"/api/sessions/{session.id}", headers=await bearer(trainer),
                                json={"topics": "Nuovi argomenti"})
    assert edited.status_code == 200
    assert await _minutes(session) == {rows["anna"].id: 15, rows["bruno"].id: 10, rows["carla"].id: 0}
