"""Self check-in: the rotating code, its grace, the window, and who may use it."""

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from tests.factories import make_enrolment, make_person
from tests.integration.attendance.attendance_setup import course_setup
from tests.support import as_user, login, post_form
from training_hub.attendance.check_in import check_in
from training_hub.attendance.recording import AttendanceEntry, record_attendance
from training_hub.attendance.rules import CHECK_IN_GRACE_MINUTES, check_in_codes, minute_of
from training_hub.core.errors import CheckInRefused, PermissionDenied, ValidationFailed
from training_hub.core.tables import Attendance, EnrolmentStatus
from training_hub.core.timeutil import utcnow

START = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)  # a two-hour session


def code_at(session_id: int, instant: datetime, kind: str = "token") -> str:
    token, digits = check_in_codes(session_id, minute_of(instant))
    return token if kind == "token" else digits


async def _row(session_id: int, enrolment_id: int) -> dict:
    return await Attendance.select().where(
        (Attendance.session == session_id) & (Attendance.enrolment == enrolment_id)).first()


async def test_check_in_and_out_make_the_minutes_by_themselves():
    setup = await course_setup(sessions=1, participants=2, first_start=START)
    session = setup.sessions[0]
    on_time, late = setup.people
    arrive = START - timedelta(minutes=5)
    result = await check_in(as_user(on_time), session.id, code_at(session.id, arrive), "in", now=arrive)
    assert result["status"] == "present" and not result["already"]
    row = await _row(session.id, setup.enrolments[0].id)
    assert row["recorded_via"] == "check_in" and row["recorded_by"] == on_time.id and row["minutes"] == 120

    leave = START + timedelta(minutes=90)
    await check_in(as_user(on_time), session.id, code_at(session.id, leave, "digits"), "out", now=leave)
    row = await _row(session.id, setup.enrolments[0].id)
    assert row["status"] == "left_early" and row["minutes"] == 90 and row["left_at"] == leave

    arrive_late = START + timedelta(minutes=25)
    await check_in(as_user(late), session.id, code_at(session.id, arrive_late), "in", now=arrive_late)
    leave_after_end = START + timedelta(minutes=135)
    await check_in(as_user(late), session.id, code_at(session.id, leave_after_end), "out", now=leave_after_end)
    row = await _row(session.id, setup.enrolments[1].id)
    assert row["status"] == "late" and row["minutes"] == 95  # from 09:55 to the end, not beyond


async def test_a_second_check_in_keeps_the_first_time():
    setup = await course_setup(sessions=1, participants=1, first_start=START)
    session, person = setup.sessions[0], setup.people[0]
    await check_in(as_user(person), session.id, code_at(session.id, START), "in", now=START)
    again = START + timedelta(minutes=30)
    result = await check_in(as_user(person), session.id, code_at(session.id, again), "in", now=again)
    assert result["already"] and result["at"] == START
    assert (await _row(session.id, setup.enrolments[0].id))["status"] == "present"


async def test_check_out_needs_a_check_in_first():
    setup = await course_setup(sessions=1, participants=1, first_start=START)
    session = setup.sessions[0]
    with pytest.raises(CheckInRefused):
        await check_in(as_user(setup.people[0]), session.id, code_at(session.id, START), "out", now=START)
    with pytest.raises(ValidationFailed):
        await check_in(as_user(setup.people[0]), session.id, code_at(session.id, START), "sideways", now=START)


async def test_a_person_marked_absent_who_then_arrives_is_checked_in_as_late():
    setup = await course_setup(sessions=1, participants=1, first_start=START)
    session = setup.sessions[0]
    await record_attendance(as_user(setup.trainer), session.id, [AttendanceEntry(setup.enrolments[0].id, "absent")],
                            now=START)
    arrive = START + timedelta(minutes=40)
    await check_in(as_user(setup.people[0]), session.id, code_at(session.id, arrive), "in", now=arrive)
    row = await _row(session.id, setup.enrolments[0].id)
    assert row["status"] == "late" and row["minutes"] == 80


async def test_check_in_outside_the_window_is_refused():
    setup = await course_setup(sessions=1, participants=1, first_start=START)
    session, person = setup.sessions[0], as_user(setup.people[0])
    too_early = START - timedelta(minutes=16)
    too_late = START + timedelta(minutes=120 + 31)
    for moment in (too_early, too_late):
        with pytest.raises(CheckInRefused) as refused:
            await check_in(person, session.id, code_at(session.id, moment), "in", now=moment)
        assert "aperto dal" in refused.value.detail
    # The window's edges are inside it.
    await check_in(person, session.id, code_at(session.id, START - timedelta(minutes=15)), "in",
                   now=START - timedelta(minutes=15))
    assert not await Attendance.exists().where(Attendance.status != "present")


async def test_check_in_by_someone_not_confirmed_is_refused():
    setup = await course_setup(sessions=1, participants=1, first_start=START)
    session = setup.sessions[0]
    stranger = await make_person()
    waiting = await make_person()
    await make_enrolment(waiting, setup.course, status=EnrolmentStatus.WAITLISTED.value)
    for person in (stranger, waiting, setup.trainer):
        with pytest.raises(PermissionDenied):
            await check_in(as_user(person), session.id, code_at(session.id, START), "in", now=START)
    assert not await Attendance.exists()


async def test_an_expired_code_beyond_the_grace_is_refused():
    setup = await course_setup(sessions=1, participants=1, first_start=START)
    session, person = setup.sessions[0], as_user(setup.people[0])
    shown = START + timedelta(minutes=2)
    for kind in ("token", "digits"):
        code = code_at(session.id, shown, kind)
        expired = shown + timedelta(minutes=CHECK_IN_GRACE_MINUTES + 1)
        with pytest.raises(CheckInRefused) as refused:
            await check_in(person, session.id, code, "in", now=expired)
        assert refused.value.field == "code"
    wrong_session_code = code_at(session.id + 1, shown)
    with pytest.raises(CheckInRefused):
        await check_in(person, session.id, wrong_session_code, "in", now=shown)
    # A late arrival scanning a code shown a few minutes ago is not turned away.
    within_grace = shown + timedelta(minutes=CHECK_IN_GRACE_MINUTES)
    await check_in(person, session.id, code_at(session.id, shown, "digits"), "in", now=within_grace)


async def test_check_in_on_a_cancelled_session_is_refused():
    setup = await course_setup(sessions=1, participants=1, first_start=START)
    from training_hub.core.tables import Session

    await Session.update({Session.status: "cancelled"}).where(Session.id == setup.sessions[0].id)
    with pytest.raises(CheckInRefused):
        await check_in(as_user(setup.people[0]), setup.sessions[0].id, code_at(setup.sessions[0].id, START), "in",
                       now=START)


# Through the browser -----------------------------------------------------------------------------


async def test_trainer_screen_shows_the_qr_code_and_six_digits(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(minutes=5))
    session = setup.sessions[0]
    await login(client, setup.trainer.email)
    response = await client.get(f"/sessions/{session.id}/check-in")
    assert response.status_code == 200
    html = response.text
    now = minute_of(utcnow())
    shown = [check_in_codes(session.id, minute)[1] for minute in (now - 1, now)]  # the minute may turn meanwhile
    assert "<svg" in html and 'class="qr-code"' in html
    assert any(f"{digits[:3]} {digits[3:]}" in html for digits in shown)
    assert 'http-equiv="refresh"' in html
    assert " style=" not in html and "<script>" not in html  # the CSP forbids inline styles and scripts
    assert "Entrati finora: 0 di 1." in html


async def test_trainer_screen_outside_the_window_shows_no_code(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() + timedelta(days=1))
    await login(client, setup.trainer.email)
    response = await client.get(f"/sessions/{setup.sessions[0].id}/check-in")
    assert response.status_code == 200
    assert "<svg" not in response.text and "aperto dal" in response.text


async def test_only_the_trainer_sees_the_check_in_screen(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(minutes=5))
    await login(client, setup.people[0].email)
    response = await client.get(f"/sessions/{setup.sessions[0].id}/check-in")
    assert response.status_code == 403
    assert check_in_codes(setup.sessions[0].id, minute_of(utcnow()))[1] not in response.text


async def test_scanning_the_qr_code_logs_in_then_checks_in(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(minutes=5))
    session, person = setup.sessions[0], setup.people[0]
    token = code_at(session.id, utcnow())
    url = f"/check-in/{session.id}?code={token}"
    anonymous = await client.get(url)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login?next=" + quote(url)
    await login(client, person.email)
    confirm = await client.get(url)
    assert confirm.status_code == 200
    assert "Registra entrata" in confirm.text and "Registra uscita" in confirm.text
    done = await post_form(client, f"/check-in/{session.id}", {"code": token, "action": "in"})
    assert done.status_code == 303 and done.headers["location"] == "/check-in"
    page = await client.get("/check-in")
    assert "Entrata registrata alle" in page.text
    row = await _row(session.id, setup.enrolments[0].id)
    assert row["status"] == "present" and row["recorded_via"] == "check_in"


async def test_scanning_with_an_old_code_explains_the_refusal(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(minutes=30))
    session = setup.sessions[0]
    old = code_at(session.id, utcnow() - timedelta(minutes=CHECK_IN_GRACE_MINUTES + 2))
    await login(client, setup.people[0].email)
    response = await client.get(f"/check-in/{session.id}?code={old}")
    assert response.status_code == 409
    assert "Il codice non è valido o è scaduto" in response.text
    posted = await post_form(client, f"/check-in/{session.id}", {"code": old, "action": "in"})
    assert posted.status_code == 409
    assert not await Attendance.exists()


async def test_six_digit_code_form(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(minutes=5))
    session = setup.sessions[0]
    await login(client, setup.people[0].email)
    form = await client.get("/check-in")
    assert form.status_code == 200
    assert f'name="session_id" value="{session.id}"' in form.text
    assert 'autocomplete="one-time-code"' in form.text
    wrong = await post_form(client, "/check-in", {"session_id": session.id, "code": "000000x", "action": "in"})
    assert wrong.status_code == 409
    assert 'aria-invalid="true"' in wrong.text and "code-error" in wrong.text
    digits = code_at(session.id, utcnow(), "digits")
    ok = await post_form(client, "/check-in", {"session_id": session.id, "code": digits, "action": "in"})
    assert ok.status_code == 303
    assert (await _row(session.id, setup.enrolments[0].id))["status"] == "present"
    no_session = await post_form(client, "/check-in", {"code": digits, "action": "in"})
    assert no_session.status_code == 422


async def test_code_form_without_open_sessions_says_so(client):
    person = await make_person()
    await login(client, person.email)
    response = await client.get("/check-in")
    assert response.status_code == 200
    assert "Non hai incontri aperti al check-in" in response.text


async def test_six_digits_cannot_be_guessed_by_trying_them_all():
    from training_hub.attendance.rules import CHECK_IN_MAX_WRONG_CODES
    from training_hub.core.tables import AuditEvent

    setup = await course_setup(sessions=2, participants=1, first_start=START, every=timedelta(hours=3))
    session, person = setup.sessions[0], as_user(setup.people[0])
    right = code_at(session.id, START, "digits")
    wrong = [f"{n:06d}" for n in range(1000) if f"{n:06d}" != right][:CHECK_IN_MAX_WRONG_CODES]
    with pytest.raises(CheckInRefused):
        await check_in(person, session.id, "", "in", now=START)  # an empty field is not a guess
    stale_qr = code_at(session.id, START - timedelta(minutes=CHECK_IN_GRACE_MINUTES + 1))
    for _ in range(CHECK_IN_MAX_WRONG_CODES + 1):  # nor is an expired QR code, scanned again and again
        with pytest.raises(CheckInRefused):
            await check_in(person, session.id, stale_qr, "in", now=START)
    assert not await AuditEvent.exists()
    for code in wrong:
        with pytest.raises(CheckInRefused) as refused:
            await check_in(person, session.id, code, "in", now=START)
        assert "non è valido" in refused.value.detail
    # Now even the right code is refused, with the way out.
    with pytest.raises(CheckInRefused) as refused:
        await check_in(person, session.id, right, "in", now=START)
    assert "Troppi codici errati" in refused.value.detail and refused.value.field == "code"
    assert not await Attendance.exists()
    events = await AuditEvent.select().where(AuditEvent.action == "attendance.check_in_wrong_code").output(
        load_json=True)
    assert len(events) == CHECK_IN_MAX_WRONG_CODES
    assert all(event["data"] == {} and event["entity_id"] == session.id for event in events)  # no codes kept
    # Another session, or the trainer, is not affected.
    other = setup.sessions[1]
    moment = other.starts_at
    await check_in(person, other.id, code_at(other.id, moment, "digits"), "in", now=moment)
    await record_attendance(as_user(setup.trainer), session.id,
                            [AttendanceEntry(setup.enrolments[0].id, "present")], now=START)
    assert await Attendance.count() == 2


async def test_odd_session_ids_in_the_code_form_are_a_message_not_a_crash(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(minutes=5))
    await login(client, setup.people[0].email)
    for value in ("²", "٣", "9" * 5000, "-1", "1.0"):
        response = await post_form(client, "/check-in", {"session_id": value, "code": "123456", "action": "in"})
        assert response.status_code == 422, value
        assert "Scegli l" in response.text
    huge = await post_form(client, "/check-in", {"session_id": "9" * 15, "code": "123456", "action": "in"})
    assert huge.status_code == 404
