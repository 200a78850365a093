"""Roll call: who may record, when, what the minutes become, and corrections after the window."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from tests.factories import make_course, make_enrolment, make_person
from tests.integration.attendance.attendance_setup import course_setup
from tests.support import as_user, bearer
from training_hub.attendance.recording import (
    AttendanceEntry,
    mark_all_present,
    record_attendance,
    session_roll,
)
from training_hub.core.errors import (
    AttendanceClosed,
    AttendanceNotOpen,
    InvalidState,
    PermissionDenied,
    ValidationFailed,
)
from training_hub.core.tables import AccessibilityNeeds, Attendance, AuditEvent, EnrolmentStatus, Session
from training_hub.core.timeutil import rome_wall_clock, utcnow

START = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)  # 09:30 in Rome, two hours long


async def _rows(session_id: int) -> dict[int, dict]:
    rows = await Attendance.select().where(Attendance.session == session_id)
    return {row["enrolment"]: row for row in rows}


async def test_trainer_records_a_roll_call_and_minutes_follow_the_status():
    setup = await course_setup(sessions=1, participants=4, first_start=START)
    session = setup.sessions[0]
    a, b, c, d = setup.enrolments
    saved = await record_attendance(
        as_user(setup.trainer),
        session.id,
        [
            AttendanceEntry(a.id, "present"),
            AttendanceEntry(b.id, "late", arrived_at="10:00"),
            AttendanceEntry(c.id, "left_early", minutes="45"),
            AttendanceEntry(d.id, "excused"),
        ],
        now=START + timedelta(minutes=5),
    )
    assert [line["full_name"] for line in saved] == ["Anna Verdi", "Bruno Neri", "Carla Galli", "Davide Costa"]
    rows = await _rows(session.id)
    assert rows[a.id]["minutes"] == 120
    assert rows[b.id]["minutes"] == 90 and rows[b.id]["arrived_at"] == START + timedelta(minutes=30)
    assert rows[c.id]["minutes"] == 45
    assert rows[d.id]["minutes"] == 0 and rows[d.id]["status"] == "excused"
    assert {row["recorded_by"] for row in rows.values()} == {setup.trainer.id}
    assert {row["recorded_via"] for row in rows.values()} == {"trainer"}

    # Saving again updates the same rows (one per session and enrolment).
    await record_attendance(as_user(setup.trainer), session.id, [AttendanceEntry(d.id, "present")],
                            now=START + timedelta(hours=3))
    rows = await _rows(session.id)
    assert len(rows) == 4 and rows[d.id]["minutes"] == 120 and rows[d.id]["status"] == "present"


async def test_wall_clock_times_on_the_fall_back_day_count_real_minutes():
    day = date(2026, 10, 25)
    starts = rome_wall_clock(day, time(1, 0)).astimezone(UTC)  # stored instants are UTC
    setup = await course_setup(sessions=1, participants=2, first_start=starts, minutes=240)
    session = setup.sessions[0]
    await record_attendance(
        as_user(setup.trainer), session.id,
        [AttendanceEntry(setup.enrolments[0].id, "present"),
         # 02:30 happens twice that night: the first one (summer time), then 90 + 60 real minutes.
         AttendanceEntry(setup.enrolments[1].id, "late", arrived_at="02:30")],
        now=starts + timedelta(hours=1),
    )
    rows = await _rows(session.id)
    assert rows[setup.enrolments[0].id]["minutes"] == 240  # 01:00-04:00 on that night is four hours
    assert rows[setup.enrolments[1].id]["minutes"] == 150


async def test_recording_opens_15_minutes_before_the_start():
    setup = await course_setup(sessions=1, participants=1, first_start=START)
    entry = [AttendanceEntry(setup.enrolments[0].id, "present")]
    with pytest.raises(AttendanceNotOpen):
        await record_attendance(as_user(setup.trainer), setup.sessions[0].id, entry, now=START - timedelta(minutes=16))
    await record_attendance(as_user(setup.trainer), setup.sessions[0].id, entry, now=START - timedelta(minutes=15))
    assert len(await _rows(setup.sessions[0].id)) == 1


async def test_after_seven_days_only_an_admin_corrects_with_a_reason_and_it_is_audited():
    setup = await course_setup(sessions=1, participants=2, first_start=START)
    session = setup.sessions[0]
    first, second = setup.enrolments
    trainer = as_user(setup.trainer)
    await record_attendance(trainer, session.id, [AttendanceEntry(first.id, "absent")], now=START)
    # Special-category data exists for this person; it must not leak into the audit trail.
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=setup.people[0].id, step_free_access=True,
                                                       notes="sedia a rotelle"))
    late = START + timedelta(hours=2) + timedelta(days=7, minutes=1)

    with pytest.raises(AttendanceClosed):
        await record_attendance(trainer, session.id, [AttendanceEntry(first.id, "present")], now=late)
    admin = as_user(await make_person("admin"))
    with pytest.raises(ValidationFailed) as refused:
        await record_attendance(admin, session.id, [AttendanceEntry(first.id, "present")], now=late, reason="  ")
    assert refused.value.field == "reason"
    assert not await AuditEvent.exists().where(AuditEvent.action == "attendance.corrected")

    await record_attendance(
        admin, session.id,
        [AttendanceEntry(first.id, "present"), AttendanceEntry(second.id, "late", minutes=30)],
        now=late, reason="Foglio firme cartaceo verificato",
    )
    rows = await _rows(session.id)
    assert rows[first.id]["status"] == "present" and rows[first.id]["minutes"] == 120
    events = await AuditEvent.select().where(AuditEvent.action == "attendance.corrected").order_by(
        AuditEvent.id).output(load_json=True)
    assert len(events) == 2
    by_enrolment = {event["data"]["enrolment_id"]: event for event in events}
    assert by_enrolment[first.id]["data"]["before"] == {"status": "absent", "minutes": 0}
    assert by_enrolment[first.id]["data"]["after"] == {"status": "present", "minutes": 120}
    assert by_enrolment[second.id]["data"]["before"] is None
    assert by_enrolment[second.id]["data"]["after"] == {"status": "late", "minutes": 30}
    assert all(event["actor"] == admin.id and event["reason"] == "Foglio firme cartaceo verificato" for event in events)
    assert "rotelle" not in str(events) and "step_free" not in str(events)

    # An unchanged line leaves no event.
    await record_attendance(admin, session.id, [AttendanceEntry(first.id, "present")], now=late, reason="ricontrollo")
    assert await AuditEvent.count().where(AuditEvent.action == "attendance.corrected") == 2


async def test_only_the_course_trainers_and_admins_record(admin):
    setup = await course_setup(sessions=1, participants=1, first_start=START)
    entry = [AttendanceEntry(setup.enrolments[0].id, "present")]
    other_trainer = await make_person("trainer")
    coordinator = await make_person("coordinator", cooperative=setup.cooperative)
    for person in (other_trainer, coordinator, setup.people[0]):
        with pytest.raises(PermissionDenied):
            await record_attendance(as_user(person), setup.sessions[0].id, entry, now=START)
    # The trainer of a single session (not listed among the course's trainers) may record it.
    guest = await make_person("trainer")
    await Session.update({Session.trainer: guest.id}).where(Session.id == setup.sessions[0].id)
    await record_attendance(as_user(guest), setup.sessions[0].id, entry, now=START)
    await record_attendance(as_user(admin), setup.sessions[0].id, entry, now=START)


async def test_only_confirmed_participants_of_the_course_can_be_recorded():
    setup = await course_setup(sessions=1, participants=1, first_start=START)
    pending = await make_enrolment(await make_person(), setup.course, status=EnrolmentStatus.PENDING.value)
    elsewhere = await make_enrolment(setup.people[0], await make_course())
    for enrolment in (pending, elsewhere):
        with pytest.raises(ValidationFailed) as refused:
            await record_attendance(as_user(setup.trainer), setup.sessions[0].id,
                                    [AttendanceEntry(enrolment.id, "present")], now=START)
        assert "0.enrolment_id" in refused.value.errors
    assert not await Attendance.exists()


async def test_bad_lines_are_refused_field_by_field_and_nothing_is_saved():
    setup = await course_setup(sessions=1, participants=3, first_start=START)
    a, b, c = setup.enrolments
    with pytest.raises(ValidationFailed) as refused:
        await record_attendance(
            as_user(setup.trainer), setup.sessions[0].id,
            [AttendanceEntry(a.id, "present"),
             AttendanceEntry(b.id, "late"),  # neither times nor minutes
             AttendanceEntry(c.id, "left_early", arrived_at="11:00", left_at="10:00"),
             AttendanceEntry(a.id, "absent"),
             AttendanceEntry(c.id, "asleep")],
            now=START,
        )
    errors = refused.value.errors
    assert set(errors) == {"1.arrived_at", "2.left_at", "3.enrolment_id", "4.enrolment_id"}
    with pytest.raises(ValidationFailed) as refused:
        await record_attendance(as_user(setup.trainer), setup.sessions[0].id,
                                [AttendanceEntry(a.id, "late", arrived_at="25:99"), AttendanceEntry(b.id, "sleeping"),
                                 AttendanceEntry(c.id, "late", minutes="tanti")], now=START)
    assert set(refused.value.errors) == {"0.arrived_at", "1.status", "2.minutes"}
    with pytest.raises(ValidationFailed):
        await record_attendance(as_user(setup.trainer), setup.sessions[0].id, [], now=START)
    assert not await Attendance.exists()


async def test_no_attendance_for_a_cancelled_session():
    setup = await course_setup(sessions=1, participants=1, first_start=START)
    await Session.update({Session.status: "cancelled"}).where(Session.id == setup.sessions[0].id)
    with pytest.raises(InvalidState):
        await record_attendance(as_user(setup.trainer), setup.sessions[0].id,
                                [AttendanceEntry(setup.enrolments[0].id, "present")], now=START)


async def test_all_present_fills_in_only_who_is_not_recorded_yet():
    setup = await course_setup(sessions=1, participants=3, first_start=START)
    a, b, c = setup.enrolments
    trainer = as_user(setup.trainer)
    await record_attendance(trainer, setup.sessions[0].id, [AttendanceEntry(a.id, "absent")], now=START)
    saved = await mark_all_present(trainer, setup.sessions[0].id, now=START)
    assert {line["enrolment_id"] for line in saved} == {b.id, c.id}
    rows = await _rows(setup.sessions[0].id)
    assert rows[a.id]["status"] == "absent" and rows[b.id]["status"] == rows[c.id]["status"] == "present"
    assert await mark_all_present(trainer, setup.sessions[0].id, now=START) == []
    roll = await session_roll(trainer, setup.sessions[0].id, now=START)
    assert roll["recorded"] == 3 and roll["can_edit"] and not roll["needs_reason"]


async def test_api_put_attendance_returns_the_saved_rows(client):
    setup = await course_setup(sessions=1, participants=2, first_start=utcnow() - timedelta(minutes=30))
    a, b = setup.enrolments
    headers = await bearer(setup.trainer)
    response = await client.put(
        f"/api/sessions/{setup.sessions[0].id}/attendance",
        json=[{"enrolment_id": a.id, "status": "present", "minutes": None},
              {"enrolment_id": b.id, "status": "late", "minutes": 60}],
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(row["enrolment_id"], row["status"], row["minutes"]) for row in body] == [
        (a.id, "present", 120), (b.id, "late", 60)]
    assert body[0]["recorded_by"] == "Marco Bianchi"
    assert body[0]["recorded_at"].endswith(("+01:00", "+02:00"))

    roll = await client.get(f"/api/sessions/{setup.sessions[0].id}/attendance", headers=headers)
    assert roll.status_code == 200 and len(roll.json()["items"]) == 2

    bad = await client.put(f"/api/sessions/{setup.sessions[0].id}/attendance",
                           json=[{"enrolment_id": a.id, "status": "boh"}], headers=headers)
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert bad.json()["type"] == "urn:training-hub:problem:validation-failed"
    assert bad.json()["errors"][0]["field"] == "0.status"

    malformed = await client.put(f"/api/sessions/{setup.sessions[0].id}/attendance",
                                 json={"enrolment_id": a.id}, headers=headers)
    assert malformed.status_code == 400

    worker = await client.put(f"/api/sessions/{setup.sessions[0].id}/attendance",
                              json=[{"enrolment_id": a.id, "status": "absent"}], headers=await bearer(setup.people[0]))
    assert worker.status_code == 403
    assert (await client.put("/api/sessions/999999/attendance", json=[], headers=headers)).status_code == 404


async def test_api_refuses_a_session_that_has_not_started(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() + timedelta(days=2))
    response = await client.put(
        f"/api/sessions/{setup.sessions[0].id}/attendance",
        json=[{"enrolment_id": setup.enrolments[0].id, "status": "present"}],
        headers=await bearer(setup.trainer),
    )
    assert response.status_code == 409
    assert response.json()["type"] == "urn:training-hub:problem:attendance-not-open"


async def test_api_late_correction_by_a_trainer_is_refused_and_an_admin_needs_a_reason(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(days=9))
    body = [{"enrolment_id": setup.enrolments[0].id, "status": "present"}]
    url = f"/api/sessions/{setup.sessions[0].id}/attendance"
    trainer = await client.put(url, json=body, headers=await bearer(setup.trainer))
    assert trainer.status_code == 403
    assert trainer.json()["type"] == "urn:training-hub:problem:attendance-closed"
    admin_headers = await bearer(await make_person("admin"))
    no_reason = await client.put(url, json=body, headers=admin_headers)
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    body[0]["reason"] = "Registro cartaceo consegnato in ritardo"
    assert (await client.put(url, json=body, headers=admin_headers)).status_code == 200
    event = await AuditEvent.select().where(AuditEvent.action == "attendance.corrected").first()
    assert event["reason"] == "Registro cartaceo consegnato in ritardo"


async def test_times_must_fall_on_the_session_day():
    setup = await course_setup(sessions=1, participants=1, first_start=START)
    enrolment = setup.enrolments[0]
    for field, value in (("arrived_at", "2026-11-30T09:45"), ("left_at", "2026-12-02T10:00"),
                         ("arrived_at", "0001-01-01T00:00"), ("left_at", "9999-12-31T23:59")):
        with pytest.raises(ValidationFailed) as refused:
            await record_attendance(as_user(setup.trainer), setup.sessions[0].id,
                                    [AttendanceEntry(enrolment.id, "late", **{field: value})], now=START)
        assert set(refused.value.errors) == {f"0.{field}"}, value
    assert not await Attendance.exists()
    # An instant of the session's own day, in any offset, is fine.
    await record_attendance(as_user(setup.trainer), setup.sessions[0].id,
                            [AttendanceEntry(enrolment.id, "late", arrived_at="2026-12-01T09:00:00Z")], now=START)
    assert (await _rows(setup.sessions[0].id))[enrolment.id]["minutes"] == 90


async def test_a_correction_of_the_times_alone_is_audited_too():
    setup = await course_setup(sessions=1, participants=1, first_start=START)
    session, enrolment = setup.sessions[0], setup.enrolments[0]
    await record_attendance(as_user(setup.trainer), session.id,
                            [AttendanceEntry(enrolment.id, "present", arrived_at="09:25")], now=START)
    late = START + timedelta(days=8)
    admin = as_user(await make_person("admin"))
    await record_attendance(admin, session.id, [AttendanceEntry(enrolment.id, "present", arrived_at="09:20")],
                            now=late, reason="Orario letto male dal foglio firme")
    events = await AuditEvent.select().where(AuditEvent.action == "attendance.corrected").output(load_json=True)
    assert len(events) == 1
    data = events[0]["data"]
    assert data["before"] == data["after"] == {"status": "present", "minutes": 120}
    assert data["times"]["before"]["arrived_at"] == "2026-12-01T09:25:00+01:00"
    assert data["times"]["after"]["arrived_at"] == "2026-12-01T09:20:00+01:00"
    assert events[0]["reason"] == "Orario letto male dal foglio firme"


async def test_all_present_leaves_alone_a_check_in_arriving_meanwhile(monkeypatch):
    from training_hub.attendance import recording
    from training_hub.attendance.check_in import check_in
    from training_hub.attendance.rules import check_in_codes, minute_of

    setup = await course_setup(sessions=1, participants=2, first_start=START)
    session, (a, b) = setup.sessions[0], setup.enrolments
    arrival = START + timedelta(minutes=20)
    original_roll = recording.session_roll

    async def roll_then_a_check_in(*args, **kwargs):
        roll = await original_roll(*args, **kwargs)  # "all present" has read the roll: nobody recorded
        token, _digits = check_in_codes(session.id, minute_of(arrival))
        await check_in(as_user(setup.people[0]), session.id, token, "in", now=arrival)
        return roll

    monkeypatch.setattr(recording, "session_roll", roll_then_a_check_in)
    saved = await mark_all_present(as_user(setup.trainer), session.id, now=arrival)
    assert [line["enrolment_id"] for line in saved] == [b.id]
    rows = await _rows(session.id)
    assert rows[a.id]["status"] == "late" and rows[a.id]["recorded_via"] == "check_in"  # the check-in stays
    assert rows[b.id]["status"] == "present"
