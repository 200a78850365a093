"""The arithmetic of attendance: minutes, progress, check-in codes (pure functions)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from training_hub.attendance.rules import (
    CHECK_IN_GRACE_MINUTES,
    attended_minutes,
    check_in_code_valid,
    check_in_codes,
    check_in_status,
    check_out_status,
    compute_progress,
    describe_duration,
    initials,
    may_take_attendance,
    minute_of,
    new_certificate_code,
    recording_state,
)
from training_hub.core.i18n import language
from training_hub.core.timeutil import rome_wall_clock

START = datetime(2026, 11, 25, 8, 30, tzinfo=UTC)  # 09:30 in Rome
END = START + timedelta(hours=3, minutes=30)  # 13:00 in Rome


def test_present_counts_the_whole_session_and_absences_count_nothing():
    assert attended_minutes("present", START, END) == 210
    assert attended_minutes("absent", START, END) == 0
    assert attended_minutes("excused", START, END, minutes=120) == 0


def test_late_and_left_early_count_from_the_times_clipped_to_the_session():
    assert attended_minutes("late", START, END, arrived_at=START + timedelta(minutes=40)) == 170
    assert attended_minutes("left_early", START, END, left_at=END - timedelta(minutes=30)) == 180
    both = attended_minutes("late", START, END, arrived_at=START + timedelta(minutes=10), left_at=END - timedelta(minutes=20))
    assert both == 180
    # Arriving before the start or leaving after the end never adds minutes.
    assert attended_minutes("late", START, END, arrived_at=START - timedelta(hours=1)) == 210
    assert attended_minutes("left_early", START, END, left_at=END + timedelta(hours=2)) == 210
    # Times win over typed minutes: the minutes are derived from them.
    assert attended_minutes("late", START, END, arrived_at=START + timedelta(minutes=60), minutes=10) == 150


def test_typed_minutes_are_clipped_to_the_session():
    assert attended_minutes("late", START, END, minutes=90) == 90
    assert attended_minutes("late", START, END, minutes=500) == 210
    assert attended_minutes("left_early", START, END, minutes=-5) == 0
    with pytest.raises(ValueError):
        attended_minutes("late", START, END)
    with pytest.raises(ValueError):
        attended_minutes("sleeping", START, END)


def test_minutes_on_the_spring_forward_day_count_real_time():
    # 29 March 2026: clocks jump from 02:00 to 03:00. 00:00–06:00 on the wall clock is five hours.
    day = date(2026, 3, 29)
    starts, ends = rome_wall_clock(day, time(0, 0)), rome_wall_clock(day, time(6, 0))
    assert attended_minutes("present", starts, ends) == 300
    # Arriving at 01:30 (still winter time): 3.5 real hours left, not the 4.5 the wall clock suggests.
    assert attended_minutes("late", starts, ends, arrived_at=rome_wall_clock(day, time(1, 30))) == 210


def test_minutes_on_the_fall_back_day_count_real_time():
    # 25 October 2026: 02:00–03:00 happens twice. 01:00–04:00 on the wall clock is four hours.
    day = date(2026, 10, 25)
    starts, ends = rome_wall_clock(day, time(1, 0)), rome_wall_clock(day, time(4, 0))
    assert attended_minutes("present", starts, ends) == 240
    assert attended_minutes("left_early", starts, ends, left_at=rome_wall_clock(day, time(3, 30))) == 210


def test_recording_window_opens_15_minutes_before_and_closes_7_days_after():
    assert recording_state(START, END, START - timedelta(minutes=16)) == "not_open"
    assert recording_state(START, END, START - timedelta(minutes=15)) == "open"
    assert recording_state(START, END, END + timedelta(days=7)) == "open"
    assert recording_state(START, END, END + timedelta(days=7, seconds=1)) == "closed"


def test_check_in_status_allows_ten_minutes_of_tolerance():
    assert check_in_status(START, START + timedelta(minutes=10)) == "present"
    assert check_in_status(START, START + timedelta(minutes=11)) == "late"
    assert check_out_status("present", END, END - timedelta(minutes=10)) == "present"
    assert check_out_status("present", END, END - timedelta(minutes=11)) == "left_early"
    assert check_out_status("late", END, END - timedelta(hours=1)) == "late"


def test_threshold_exactly_met_is_eligible_and_just_missed_is_not():
    met = compute_progress(600, 420, 0, 70)
    assert met.eligible and met.reached and not met.at_risk
    assert met.percent == 70.0
    missed = compute_progress(600, 419, 0, 70)
    assert not missed.eligible and not missed.reached
    assert missed.at_risk and not missed.reachable
    assert missed.percent == 69.8  # rounded down: never shows the threshold when it is not met
    assert missed.missing_minutes == 1


def test_progress_before_the_end_is_never_eligible_but_can_be_at_risk():
    on_track = compute_progress(600, 180, 360, 70, finished=False)
    assert not on_track.eligible and not on_track.at_risk
    # Missed the first of five sessions: 70% can still be reached, but the pace so far is below it.
    behind = compute_progress(600, 0, 480, 70, finished=False)
    assert behind.reachable and behind.at_risk
    # Cannot be reached any more.
    lost = compute_progress(600, 0, 300, 70, finished=False)
    assert not lost.reachable and lost.at_risk
    # Threshold reached while sessions remain: reached, not at risk, certificate only at the end.
    ahead = compute_progress(600, 480, 120, 70, finished=False)
    assert ahead.reached and not ahead.at_risk and not ahead.eligible


def test_progress_of_a_course_without_sessions():
    empty = compute_progress(0, 0, 0, 70)
    assert empty.percent == 0 and not empty.eligible and not empty.at_risk


def test_describe_duration_in_italian():
    with language("it"):
        assert describe_duration(210) == "3 ore e 30 minuti"
        assert describe_duration(60) == "1 ora"
        assert describe_duration(1) == "1 minuto"
        assert describe_duration(0) == "0 minuti"


def test_check_in_code_is_accepted_within_the_grace_and_refused_after():
    shown_at = datetime(2026, 11, 25, 8, 40, 30, tzinfo=UTC)
    token, digits = check_in_codes(7, minute_of(shown_at))
    assert len(digits) == 6 and digits.isdigit()
    assert len(token) == 24
    for code in (token, digits, f"{digits[:3]} {digits[3:]}"):
        assert check_in_code_valid(7, code, shown_at)
        assert check_in_code_valid(7, code, shown_at + timedelta(minutes=CHECK_IN_GRACE_MINUTES))
        assert not check_in_code_valid(7, code, shown_at + timedelta(minutes=CHECK_IN_GRACE_MINUTES + 1))
    # Another session's code, a code from the future, garbage.
    assert not check_in_code_valid(8, token, shown_at)
    future_token, _ = check_in_codes(7, minute_of(shown_at) + 2)
    assert not check_in_code_valid(7, future_token, shown_at)
    assert not check_in_code_valid(7, "", shown_at)
    assert not check_in_code_valid(7, "x" * 500, shown_at)


def test_certificate_codes_avoid_ambiguous_characters():
    codes = {new_certificate_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) == 10
        assert not set(code) & set("01OIL")


def test_initials_show_only_the_first_letters():
    assert initials("Marco Bianchi") == "M. B."
    assert initials("Anna Maria D'Angelo") == "A. M. D. A."


@pytest.mark.parametrize(
    ("roles", "cooperative", "teaches", "owner", "expected"),
    [
        ({"admin"}, None, False, None, True),  # the office, always
        ({"trainer"}, None, True, None, True),  # a trainer teaching the course
        ({"trainer"}, None, False, None, False),  # a trainer of other courses
        ({"coordinator"}, 7, True, 7, True),  # she teaches her cooperative's internal course: its trainer
        ({"coordinator"}, 7, False, 7, False),  # she manages it, someone else teaches it
        ({"coordinator"}, 7, True, None, False),  # listed on a consortium course: not hers to teach
        ({"coordinator"}, 7, True, 8, False),  # another cooperative's course
        ({"worker"}, 7, True, 7, False),  # someone who lost both roles
    ],
)
def test_who_takes_attendance(roles, cooperative, teaches, owner, expected):
    assert may_take_attendance(frozenset(roles), cooperative, teaches=teaches,
                               path_owner_cooperative_id=owner) is expected
