"""How long a course's records (and so its participants' names) are kept after an erasure request."""

from datetime import date

from training_hub.privacy.retention import add_years, course_records_kept_until, must_keep


def test_course_records_are_kept_ten_years_from_the_last_session():
    assert course_records_kept_until(date(2025, 6, 10)) == date(2035, 6, 10)


def test_29_february_plus_ten_years_is_28_february():
    assert add_years(date(2024, 2, 29), 10) == date(2034, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_the_last_day_still_keeps_and_the_day_after_does_not():
    ended = date(2016, 11, 25)
    assert must_keep(ended, date(2026, 11, 25)) is True
    assert must_keep(ended, date(2026, 11, 26)) is False


def test_a_course_never_held_keeps_nothing():
    assert must_keep(None, date(2026, 11, 25)) is False
