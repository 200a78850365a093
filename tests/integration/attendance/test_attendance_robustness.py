"""Odd input and simultaneous writes: a clear 4xx, never a 500, never two rows for one person."""

import asyncio
from datetime import UTC, datetime, timedelta

from tests.factories import make_person
from tests.integration.attendance.attendance_setup import course_setup
from tests.support import as_user, bearer
from training_hub.attendance.check_in import check_in
from training_hub.attendance.recording import AttendanceEntry, record_attendance
from training_hub.attendance.rules import check_in_codes, minute_of
from training_hub.core.tables import Attendance
from training_hub.core.timeutil import utcnow

START = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)


async def test_ids_out_of_range_are_simply_not_found(client):
    headers = await bearer(await make_person("admin"))
    huge = 2**40
    for url in (f"/api/sessions/{huge}/attendance", f"/api/courses/{huge}/attendance",
                f"/courses/{huge}/register.pdf", f"/courses/{huge}/attendance",
                f"/enrolments/{huge}/certificate.pdf", f"/people/{huge}/training", f"/sessions/{huge}/check-in",
                f"/sessions/{huge}/attendance"):
        assert (await client.get(url, headers=headers)).status_code == 404, url
    put = await client.put(f"/api/sessions/{huge}/attendance", json=[], headers=headers)
    assert put.status_code == 404


async def test_odd_values_in_the_api_are_refused_cleanly(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(minutes=20))
    url = f"/api/sessions/{setup.sessions[0].id}/attendance"
    headers = await bearer(setup.trainer)
    enrolment_id = setup.enrolments[0].id
    for entry in (
        {"enrolment_id": enrolment_id, "status": "late", "arrived_at": "ieri"},
        {"enrolment_id": enrolment_id, "status": "late", "arrived_at": "2026-13-45T99:00"},
        {"enrolment_id": enrolment_id, "status": "late", "minutes": -3},
        {"enrolment_id": 2**40, "status": "present"},
    ):
        response = await client.put(url, json=[entry], headers=headers)
        assert response.status_code == 422, (entry, response.text)
    wrong_type = await client.put(url, json=[{"enrolment_id": "uno", "status": "present"}], headers=headers)
    assert wrong_type.status_code == 400
    huge_minutes = await client.put(url, json=[{"enrolment_id": enrolment_id, "status": "late", "minutes": 10**9}],
                                    headers=headers)
    # Once clipped to the whole session and saved as full hours; now a contradiction (issue 13, item 3).
    assert huge_minutes.status_code == 422
    assert huge_minutes.json()["errors"][0]["field"] == "0.minutes"
    assert (await client.get("/verify/" + "x" * 500)).status_code == 404


async def test_roll_calls_and_check_ins_at_the_same_moment_leave_one_row_each():
    # Six sessions, each receiving a trainer's roll call and the participant's check-in at once. The
    # session row is locked by both (FOR UPDATE on PostgreSQL): without it the two inserts collide on
    # the unique (session, enrolment) index.
    setup = await course_setup(sessions=6, participants=1, first_start=START, every=timedelta(hours=3))
    calls = []
    for session in setup.sessions:
        now = session.starts_at + timedelta(minutes=5)
        token, _digits = check_in_codes(session.id, minute_of(now))
        calls.append(record_attendance(as_user(setup.trainer), session.id,
                                       [AttendanceEntry(setup.enrolments[0].id, "absent")], now=now))
        calls.append(check_in(as_user(setup.people[0]), session.id, token, "in", now=now))
    results = await asyncio.gather(*calls, return_exceptions=True)
    assert not [result for result in results if isinstance(result, Exception)]
    assert await Attendance.count() == 6
