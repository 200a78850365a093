"""A roll-call line agrees with itself (issue 13, item 3): the four contradictions the office saved as
full hours, and the lines that must still pass (a check-in's, a late arrival who also leaves early)."""

from datetime import date, timedelta

import pytest

from tests.support import rome
from training_hub.attendance.consistency import Contradiction, check_line

START, END = rome(date(2026, 12, 3), 16), rome(date(2026, 12, 3), 19)  # 180 minutes


def at(hour, minute=0):
    return rome(date(2026, 12, 3), hour, minute)


@pytest.mark.parametrize(("status", "arrived", "left", "minutes", "field"), [
    ("late", None, None, 500, "minutes"),  # "In ritardo" with 500 minutes
    ("present", None, None, -20, "minutes"),  # "Presente" with −20 minutes
    ("late", at(15), None, None, "arrived_at"),  # entry 15:00 on a 16:00 session
    ("left_early", None, at(20), None, "left_at"),  # exit 20:00 on a session ending 19:00
    ("late", at(16), None, None, "arrived_at"),  # entering at the start is not late
    ("late", at(19, 30), None, None, "arrived_at"),  # entering after the end: absent
    ("left_early", None, at(19), None, "left_at"),  # leaving at the end is not early
    ("left_early", None, at(15, 50), None, "left_at"),
    ("late", None, None, 180, "minutes"),  # the whole session is "present"
    ("late", None, None, -1, "minutes"),
    ("present", None, None, 90, "minutes"),
    ("present", at(16, 30), None, None, "arrived_at"),  # 30 minutes late: "late"
    ("present", None, at(18), None, "left_at"),
    ("late", at(16, 30), None, 60, "minutes"),  # the times give 150
    ("late", None, at(18), None, "arrived_at"),  # late with only an exit: when did they enter?
    ("left_early", at(16), None, None, "left_at"),
])
def test_contradictions_come_back_on_their_field(status, arrived, left, minutes, field):
    with pytest.raises(Contradiction) as caught:
        check_line(status, START, END, arrived_at=arrived, left_at=left, minutes=minutes)
    assert caught.value.field == field


@pytest.mark.parametrize(("status", "arrived", "left", "minutes"), [
    ("present", None, None, None),
    ("present", None, None, 180),
    ("present", at(15, 50), at(19, 20), None),  # a check-in a bit early, a check-out a bit late
    ("present", at(16, 10), at(18, 50), None),  # within the check-in's 10 minutes
    ("late", at(16, 30), None, None),
    ("late", at(16, 30), None, 150),
    ("late", at(16, 30), at(18), None),  # late and left early: stays late
    ("late", at(16, 30), at(19, 20), None),  # the check-out after the end
    ("late", None, None, 179),
    ("left_early", at(15, 55), at(18), None),
    ("left_early", None, None, 0),
    ("absent", None, None, None),
    ("excused", None, None, None),
])
def test_lines_that_agree_pass(status, arrived, left, minutes):
    check_line(status, START, END, arrived_at=arrived, left_at=left, minutes=minutes)


def test_a_session_across_midnight():
    start, end = rome(date(2026, 12, 31), 23), rome(date(2026, 12, 31), 23) + timedelta(hours=2)
    check_line("late", start, end, arrived_at=start + timedelta(minutes=90), left_at=None, minutes=None)
    with pytest.raises(Contradiction):
        check_line("left_early", start, end, arrived_at=None, left_at=end + timedelta(minutes=1), minutes=None)
