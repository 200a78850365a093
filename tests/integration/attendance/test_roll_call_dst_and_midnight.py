"""Issue 12 item 19: the fall-back night's repeated hour and sessions across midnight."""

from datetime import UTC, datetime, timedelta

from tests.integration.attendance.attendance_setup import course_setup
from tests.support import as_user
from training_hub.attendance.recording import AttendanceEntry, record_attendance
from training_hub.core.tables import Attendance

# 25 October 2026, Rome: 02:00-02:59 happens twice (CEST, then CET). 00:00 UTC is the first 02:00.
FIRST_0200 = datetime(2026, 10, 25, 0, 0, tzinfo=UTC)
SECOND_0230 = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


async def _row(enrolment_id: int) -> dict:
    return await Attendance.select().where(Attendance.enrolment == enrolment_id).first()


async def test_re_saving_an_unchanged_roll_call_on_the_fall_back_night_changes_nothing():
    # From the first 02:00 to 03:30 CET: 150 real minutes.
    setup = await course_setup(sessions=1, participants=1, minutes=150, first_start=FIRST_0200)
    session, enrolment = setup.sessions[0], setup.enrolments[0]
    trainer, after = as_user(setup.trainer), FIRST_0200 + timedelta(hours=3)
    await record_attendance(trainer, session.id, [AttendanceEntry(enrolment.id, "late",
                                                                  arrived_at=SECOND_0230.isoformat())], now=after)
    row = await _row(enrolment.id)
    assert row["arrived_at"] == SECOND_0230 and row["minutes"] == 60
    # The page shows 02:30 and sends it back as typed.
    await record_attendance(trainer, session.id, [AttendanceEntry(enrolment.id, "late", arrived_at="02:30")], now=after)
    row = await _row(enrolment.id)
    assert row["arrived_at"] == SECOND_0230 and row["minutes"] == 60
    # Typing 02:30 afresh (nothing stored) means the first one, inside the session.
    await record_attendance(trainer, session.id, [AttendanceEntry(enrolment.id, "present")], now=after)
    await record_attendance(trainer, session.id, [AttendanceEntry(enrolment.id, "late", arrived_at="02:30")], now=after)
    assert (await _row(enrolment.id))["minutes"] == 120


async def test_a_time_after_midnight_belongs_to_the_second_day_of_a_session_across_midnight():
    start = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)  # 22:00 Rome, until 01:00 of the 21st
    setup = await course_setup(sessions=1, participants=2, minutes=180, first_start=start)
    session = setup.sessions[0]
    trainer, after = as_user(setup.trainer), start + timedelta(hours=4)
    await record_attendance(trainer, session.id, [
        AttendanceEntry(setup.enrolments[0].id, "left_early", left_at="00:30"),
        AttendanceEntry(setup.enrolments[1].id, "late", arrived_at="23:15", left_at="00:45"),
    ], now=after)
    left = await _row(setup.enrolments[0].id)
    assert left["left_at"] == datetime(2026, 11, 20, 23, 30, tzinfo=UTC) and left["minutes"] == 150
    late = await _row(setup.enrolments[1].id)
    assert late["arrived_at"] == datetime(2026, 11, 20, 22, 15, tzinfo=UTC)
    assert late["left_at"] == datetime(2026, 11, 20, 23, 45, tzinfo=UTC) and late["minutes"] == 90


async def test_a_session_at_the_second_0230_is_written_in_utc_in_its_ics(client):
    setup = await course_setup(sessions=1, participants=0, minutes=60, first_start=SECOND_0230)
    setup_normal = await course_setup(sessions=1, participants=0, minutes=60,
                                      first_start=datetime(2026, 12, 2, 8, 30, tzinfo=UTC))
    ambiguous = await client.get(f"/calendar/sessions/{setup.sessions[0].id}.ics")
    assert ambiguous.status_code == 200
    assert "DTSTART:20261025T013000Z" in ambiguous.text
    assert "DTEND;TZID=Europe/Rome:20261025T033000" in ambiguous.text  # 03:30 CET is not ambiguous
    normal = await client.get(f"/calendar/sessions/{setup_normal.sessions[0].id}.ics")
    assert "DTSTART;TZID=Europe/Rome:20261202T093000" in normal.text
