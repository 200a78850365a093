"""Schedule changes at short notice: fewer than 5 working days (Fon.Coop form C3)."""

from datetime import date, datetime

from training_hub.core.timeutil import to_utc
from training_hub.funding.short_notice import (
    SHORT_NOTICE_WORKING_DAYS,
    is_short_notice,
    is_working_day,
    working_days_between,
)


def rome(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return to_utc(datetime(year, month, day, hour, minute))


def test_the_threshold_is_five_working_days():
    assert SHORT_NOTICE_WORKING_DAYS == 5


def test_weekends_do_not_count():
    # Session on Monday 30 November 2026.
    session = rome(2026, 11, 30, 9)
    assert working_days_between(rome(2026, 11, 23), session) == 4  # Tue 24 – Fri 27
    assert is_short_notice(rome(2026, 11, 23), session, session)
    assert working_days_between(rome(2026, 11, 20), session) == 5  # Mon 23 – Fri 27
    assert not is_short_notice(rome(2026, 11, 20), session, session)


def test_a_change_made_on_a_saturday_counts_from_monday():
    session = rome(2026, 12, 4, 9)  # Friday 4 December
    assert working_days_between(rome(2026, 11, 28), session) == 4  # Mon 30 – Thu 3
    assert is_short_notice(rome(2026, 11, 28), session, session)


def test_immacolata_8_december_is_not_a_working_day():
    assert not is_working_day(date(2026, 12, 8))  # a Tuesday
    session = rome(2026, 12, 9, 9)  # Wednesday 9 December
    # Wed 2, Thu 3, Fri 4, Mon 7 — Tuesday 8 is a holiday: four, short notice.
    assert working_days_between(rome(2026, 12, 1), session) == 4
    assert is_short_notice(rome(2026, 12, 1), session, session)
    assert not is_short_notice(rome(2026, 11, 30), session, session)


def test_christmas_and_santo_stefano():
    assert not is_working_day(date(2026, 12, 25))  # Friday
    session = rome(2026, 12, 29, 9)  # Tuesday 29 December
    # Mon 21, Tue 22, Wed 23, Thu 24, [Fri 25 Natale], [Sat 26], [Sun 27], Mon 28: five, in time.
    assert working_days_between(rome(2026, 12, 18), session) == 5
    assert not is_short_notice(rome(2026, 12, 18), session, session)
    assert is_short_notice(rome(2026, 12, 21), session, session)


def test_san_francesco_4_october_is_a_national_holiday_from_2026():
    assert not is_working_day(date(2026, 10, 4))  # a Sunday in 2026 anyway
    assert not is_working_day(date(2027, 10, 4))  # a Monday in 2027
    session = rome(2027, 10, 5, 9)  # Tuesday 5 October 2027
    # Tue 28 Sep, Wed 29, Thu 30, Fri 1 Oct, [Mon 4 Oct San Francesco]: four, short notice.
    assert working_days_between(rome(2027, 9, 27), session) == 4
    assert is_short_notice(rome(2027, 9, 27), session, session)


def test_neither_the_day_of_the_change_nor_the_session_day_counts():
    session = rome(2026, 11, 27, 17)  # Friday afternoon
    assert working_days_between(rome(2026, 11, 27, 8), session) == 0
    assert working_days_between(rome(2026, 11, 26, 23, 30), session) == 0
    # A change late on Sunday evening (Rome time) leaves Monday only before a Tuesday session.
    assert working_days_between(rome(2026, 11, 22, 23, 30), rome(2026, 11, 24, 9)) == 1


def test_either_the_old_or_the_new_start_being_close_is_short_notice():
    changed = rome(2026, 11, 25)
    near, far = rome(2026, 11, 27, 9), rome(2027, 1, 15, 9)
    assert is_short_notice(changed, near, far)  # moved away from the day after tomorrow
    assert is_short_notice(changed, far, near)  # moved to the day after tomorrow
    assert not is_short_notice(changed, far, far + (far - near))
    assert is_short_notice(changed, None, near)  # a new session, no old start


def test_a_change_after_the_start_had_no_notice():
    assert working_days_between(rome(2026, 12, 3), rome(2026, 12, 2, 9)) == 0
    assert is_short_notice(rome(2026, 12, 3), rome(2026, 12, 2, 9), rome(2027, 1, 15))
