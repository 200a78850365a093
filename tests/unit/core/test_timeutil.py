from datetime import UTC, date, datetime, time

from training_hub.core.timeutil import (
    iso_rome,
    minutes_between,
    parse_instant,
    rome_day_bounds,
    rome_wall_clock,
)


def test_input_without_offset_means_rome_time():
    assert parse_instant("2026-10-30T09:00:00") == datetime(2026, 10, 30, 8, 0, tzinfo=UTC)
    assert parse_instant("2026-07-01T09:00") == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)


def test_input_with_offset_is_respected():
    assert parse_instant("2026-10-30T09:00:00Z") == datetime(2026, 10, 30, 9, 0, tzinfo=UTC)
    assert parse_instant("2026-10-30T09:00:00+02:00") == datetime(2026, 10, 30, 7, 0, tzinfo=UTC)


def test_output_carries_rome_offset():
    assert iso_rome(datetime(2026, 10, 30, 8, 0, tzinfo=UTC)) == "2026-10-30T09:00:00+01:00"
    assert iso_rome(datetime(2026, 7, 1, 7, 0, tzinfo=UTC)) == "2026-07-01T09:00:00+02:00"


def test_dst_days_are_23_and_25_hours_long():
    start, end = rome_day_bounds(date(2026, 3, 29))
    assert minutes_between(start, end) == 23 * 60
    start, end = rome_day_bounds(date(2026, 10, 25))
    assert minutes_between(start, end) == 25 * 60


def test_a_night_lesson_over_the_fall_back_counts_real_hours():
    # 01:00 to 04:00 on the last Sunday of October is four real hours.
    starts = rome_wall_clock(date(2026, 10, 25), time(1, 0))
    ends = rome_wall_clock(date(2026, 10, 25), time(4, 0))
    assert minutes_between(starts, ends) == 240


def test_nonexistent_spring_time_moves_forward():
    moved = rome_wall_clock(date(2026, 3, 29), time(2, 30))
    assert moved.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
