"""Issue 12 item 10: check-in codes typed with odd characters, and strikes counted only by a POST."""

from datetime import timedelta

from tests.integration.attendance.attendance_setup import course_setup
from tests.support import login, post_form
from training_hub.attendance.check_in import WRONG_CODE_EVENT
from training_hub.attendance.rules import check_in_codes, minute_of
from training_hub.core.tables import Attendance, AuditEvent
from training_hub.core.timeutil import utcnow

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


async def _strikes() -> int:
    return await AuditEvent.count().where(AuditEvent.action == WRONG_CODE_EVENT)


async def test_non_ascii_codes_are_wrong_codes_not_errors(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(minutes=5))
    session = setup.sessions[0]
    await login(client, setup.people[0].email)
    for code in ("12345é", "１２３４５x", "ü" * 70, "\u0663\u0664\u0665"):
        response = await post_form(client, "/check-in", {"session_id": session.id, "code": code, "action": "in"})
        assert response.status_code == 409, code
        assert "Il codice non è valido" in response.text
        scanned = await client.get(f"/check-in/{session.id}", params={"code": code})
        assert scanned.status_code == 409, code
    assert not await Attendance.exists()


async def test_full_width_digits_from_a_phone_keyboard_are_the_code(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(minutes=5))
    session = setup.sessions[0]
    await login(client, setup.people[0].email)
    digits = check_in_codes(session.id, minute_of(utcnow()))[1]
    response = await post_form(client, "/check-in", {"session_id": session.id, "code": digits.translate(FULL_WIDTH),
                                                      "action": "in"})
    assert response.status_code == 303
    assert (await Attendance.select(Attendance.status).first())["status"] == "present"


async def test_opening_a_link_with_a_wrong_code_is_no_strike_but_submitting_it_is(client):
    setup = await course_setup(sessions=1, participants=1, first_start=utcnow() - timedelta(minutes=5))
    session = setup.sessions[0]
    await login(client, setup.people[0].email)
    right = check_in_codes(session.id, minute_of(utcnow()))[1]
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(3):
        assert (await client.get(f"/check-in/{session.id}", params={"code": wrong})).status_code == 409
    assert await _strikes() == 0
    posted = await post_form(client, f"/check-in/{session.id}", {"code": wrong, "action": "in"})
    assert posted.status_code == 409
    assert await _strikes() == 1
