"""The pure scheduling rules: holidays, patron saints, the checks, weekly series across DST."""

from datetime import UTC, date, datetime, time

from training_hub.catalogue.holidays import easter_sunday, national_holiday, parse_patron_day, patron_saint
from training_hub.catalogue.scheduling import (
    BookedSession,
    LocationInfo,
    PlannedSession,
    ScheduleContext,
    SeriesRule,
    check_schedule,
    expand_series,
)
from training_hub.core.timeutil import rome_wall_clock, to_rome

ROOM = LocationInfo(id=1, name="Aula Ticino", comune="Pavia", capacity=20, is_online=False)
SMALL_ROOM = LocationInfo(id=2, name="Saletta", comune="Milano", capacity=8, is_online=False)
VIRTUAL = LocationInfo(id=3, name="Aula virtuale", comune="", capacity=None, is_online=True)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return rome_wall_clock(day, time(hour, minute))


def context(**values) -> ScheduleContext:
    base = {"course_id": 10, "course_capacity": 20, "locations": {1: ROOM, 2: SMALL_ROOM, 3: VIRTUAL},
                "trainer_names": {7: "Marco Bianchi", 8: "Anna Marchetti"}}
    base.update(values)
    return ScheduleContext(**base)


def planned(day: date, start: int, end: int, *, location: int | None = 1, trainers=(7,), session_id=None):
    return PlannedSession(at(day, start), at(day, end), location, frozenset(trainers), session_id)


def codes(issues):
    return [issue.code for issue in issues]


WEDNESDAY = date(2026, 11, 25)


def test_easter_and_the_moving_holiday():
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert easter_sunday(2027) == date(2027, 3, 28)
    assert national_holiday(date(2026, 4, 6)) == "Lunedì dell'Angelo"
    assert national_holiday(date(2027, 3, 29)) == "Lunedì dell'Angelo"


def test_fixed_national_holidays_and_san_francesco_from_2026():
    for day in [(1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26)]:
        assert national_holiday(date(2026, *day)), day
    assert national_holiday(date(2026, 10, 4)) == "San Francesco d'Assisi"
    assert national_holiday(date(2027, 10, 4)) == "San Francesco d'Assisi"
    assert national_holiday(date(2025, 10, 4)) is None
    assert national_holiday(date(2026, 11, 25)) is None


def test_patron_saints_match_the_comune_case_insensitively():
    assert patron_saint(date(2026, 12, 7), "Milano") == "Sant'Ambrogio"
    assert patron_saint(date(2026, 12, 7), "  MILANO ") == "Sant'Ambrogio"
    assert patron_saint(date(2026, 12, 9), "pavia") == "San Siro"
    assert patron_saint(date(2026, 8, 26), "Bergamo") == "Sant'Alessandro"
    assert patron_saint(date(2026, 2, 15), "Brescia") == "Santi Faustino e Giovita"
    assert patron_saint(date(2026, 2, 9), "Cantù") == "Sant'Apollonia"
    assert patron_saint(date(2026, 12, 7), "Pavia") is None
    assert patron_saint(date(2026, 12, 7), "") is None


def test_a_patron_day_entered_for_the_location_replaces_the_table():
    # Segrate is not in the table; its location says 15 August... and Milan's own entry can be corrected.
    assert patron_saint(date(2026, 12, 7), "Segrate") is None
    assert patron_saint(date(2026, 8, 16), "Segrate", own_day="08-16", own_saint="San Rocco") == "San Rocco"
    assert patron_saint(date(2026, 12, 7), "Segrate", own_day="08-16", own_saint="San Rocco") is None
    assert patron_saint(date(2026, 12, 7), "Milano", own_day="06-19", own_saint="Santi Gervasio e Protasio") is None


def test_patron_days_are_typed_as_day_and_month():
    assert parse_patron_day("7/12") == parse_patron_day(" 07/12 ") == parse_patron_day("12-07") == "12-07"
    assert parse_patron_day("--12-07") == "12-07"
    assert parse_patron_day("29/02") == "02-29"
    assert parse_patron_day("") == parse_patron_day(None) == ""
    for wrong in ("31/02", "7/13", "0/5", "dicembre", "7-12-2026", "7/12/2026", "²/12", "-1/12"):
        assert parse_patron_day(wrong) is None, wrong


def test_the_locations_own_patron_day_is_a_warning():
    segrate = LocationInfo(id=4, name="Centro civico", comune="Segrate", capacity=30, is_online=False,
                           patron_day="08-17", patron_saint="San Rocco")
    issues = check_schedule([planned(date(2026, 8, 17), 9, 12, location=4)], context(locations={4: segrate}))
    assert codes(issues) == ["patron_saint"]
    assert issues[0].text == "17/08/2026 a Segrate è la festa del patrono (San Rocco)."


def test_a_clean_session_has_no_issues():
    assert check_schedule([planned(WEDNESDAY, 9, 13)], context()) == []


def test_end_before_start_is_an_error_on_the_end_field():
    issues = check_schedule([planned(WEDNESDAY, 13, 9)], context())
    assert codes(issues) == ["end_before_start"]
    assert issues[0].severity == "error" and issues[0].field == "ends_at"
    assert "25/11/2026" in issues[0].text and "13:00" in issues[0].text


def test_trainer_in_two_sessions_at_once():
    other = BookedSession(99, 11, "Primo soccorso", at(WEDNESDAY, 12), at(WEDNESDAY, 15), 2, frozenset({7}))
    issues = check_schedule([planned(WEDNESDAY, 9, 13)], context(booked=[other]))
    assert codes(issues) == ["trainer_busy"]
    assert issues[0].text == (
        "25/11/2026: Marco Bianchi ha già un incontro dalle 12:00 alle 15:00 (corso «Primo soccorso»)."
    )


def test_back_to_back_sessions_do_not_clash():
    other = BookedSession(99, 11, "Primo soccorso", at(WEDNESDAY, 13), at(WEDNESDAY, 15), 1, frozenset({7}))
    assert check_schedule([planned(WEDNESDAY, 9, 13)], context(booked=[other])) == []


def test_room_in_two_sessions_at_once_but_not_the_virtual_room():
    other = BookedSession(99, 11, "Bilancio sociale", at(WEDNESDAY, 10), at(WEDNESDAY, 12), 1, frozenset({8}))
    issues = check_schedule([planned(WEDNESDAY, 9, 13)], context(booked=[other]))
    assert codes(issues) == ["room_busy"]
    assert "«Aula Ticino» è già occupata dalle 10:00 alle 12:00" in issues[0].text
    online = BookedSession(98, 11, "Social media", at(WEDNESDAY, 10), at(WEDNESDAY, 12), 3, frozenset({8}))
    assert check_schedule([planned(WEDNESDAY, 9, 13, location=3)], context(booked=[online])) == []


def test_room_smaller_than_the_course():
    issues = check_schedule([planned(WEDNESDAY, 9, 13, location=2)], context())
    assert codes(issues) == ["room_too_small"]
    assert issues[0].text == "La sede «Saletta» ha 8 posti, meno dei 20 posti del corso."


def test_the_session_being_changed_does_not_clash_with_itself():
    itself = BookedSession(5, 10, "Questo corso", at(WEDNESDAY, 9), at(WEDNESDAY, 13), 1, frozenset({7}))
    assert check_schedule([planned(WEDNESDAY, 10, 14, session_id=5)], context(booked=[itself])) == []


def test_sunday_holiday_and_patron_saint_are_warnings():
    sunday = check_schedule([planned(date(2026, 11, 29), 9, 13)], context())
    assert codes(sunday) == ["sunday"] and sunday[0].severity == "warning"
    assert sunday[0].text == "29/11/2026 è domenica."
    holiday = check_schedule([planned(date(2026, 12, 8), 9, 13)], context())
    assert codes(holiday) == ["holiday"]
    assert holiday[0].text == "08/12/2026 è festa nazionale (Immacolata Concezione)."
    san_francesco = check_schedule([planned(date(2026, 10, 5), 9, 13)], context())
    assert san_francesco == []
    assert codes(check_schedule([planned(date(2027, 10, 4), 9, 13)], context())) == ["holiday"]
    patron = check_schedule([planned(date(2026, 12, 9), 9, 13)], context())
    assert codes(patron) == ["patron_saint"]
    assert patron[0].text == "09/12/2026 a Pavia è la festa del patrono (San Siro)."


def test_more_than_ten_hours_in_a_day_counts_the_other_sessions_of_the_course():
    morning = BookedSession(1, 10, "Questo corso", at(WEDNESDAY, 8), at(WEDNESDAY, 13), 1, frozenset({7}))
    issues = check_schedule([planned(WEDNESDAY, 14, 20)], context(booked=[morning]))
    assert codes(issues) == ["too_many_hours"]
    assert "11 h" in issues[0].text
    # Another course's session the same day, with another trainer, does not count.
    elsewhere = BookedSession(2, 11, "Altro corso", at(WEDNESDAY, 8), at(WEDNESDAY, 13), 2, frozenset({8}))
    assert check_schedule([planned(WEDNESDAY, 14, 20)], context(booked=[elsewhere])) == []


def test_more_than_ten_hours_of_one_trainer_across_courses_is_a_warning():
    other_course = BookedSession(2, 11, "Altro corso", at(WEDNESDAY, 8), at(WEDNESDAY, 14), 2, frozenset({7}))
    issues = check_schedule([planned(WEDNESDAY, 14, 20)], context(booked=[other_course]))
    assert codes(issues) == ["trainer_too_many_hours"]
    assert issues[0].text == ("25/11/2026: Marco Bianchi arriva a 12 h di incontri in un giorno, contando gli altri "
                              "corsi, più delle 10 ore consigliate.")
    assert issues[0].field == "trainer_id"
    # Ten hours exactly is within the limit; another trainer on the planned session is not concerned.
    assert check_schedule([planned(WEDNESDAY, 14, 18)], context(booked=[other_course])) == []
    issues = check_schedule([planned(WEDNESDAY, 14, 20, trainers=(8,))], context(booked=[other_course]))
    assert issues == []
    # Sessions of a series being planned count for the trainer too, day by day.
    series = [planned(WEDNESDAY, 14, 17), planned(WEDNESDAY, 17, 19, session_id=None)]
    assert codes(check_schedule(series, context(booked=[other_course]))) == ["trainer_too_many_hours"]


def test_outside_eight_to_ten_pm_is_a_warning():
    issues = check_schedule([planned(WEDNESDAY, 7, 9)], context())
    assert codes(issues) == ["outside_hours"]
    assert issues[0].text == "25/11/2026: l'incontro (07:00–09:00) esce dalla fascia oraria 08:00–22:00."
    assert codes(check_schedule([planned(WEDNESDAY, 20, 23)], context())) == ["outside_hours"]
    assert check_schedule([planned(WEDNESDAY, 8, 22)], context())[0].code == "too_many_hours"


def test_hours_on_the_fall_back_night_are_real_hours():
    # 25/10/2026, 01:00–10:30 on the clock: 9.5 hours on the wall, 10.5 real hours (the clock goes back).
    fall_back = date(2026, 10, 25)
    issues = check_schedule([PlannedSession(at(fall_back, 1), at(fall_back, 10, 30), 1, frozenset({7}))], context())
    assert "too_many_hours" in codes(issues)
    assert "10 h 30 min" in next(i for i in issues if i.code == "too_many_hours").text
    # 29/03/2026, 01:00–11:30 on the clock: 10.5 hours on the wall, 9.5 real hours (the clock jumps ahead).
    spring = date(2026, 3, 29)
    issues = check_schedule([PlannedSession(at(spring, 1), at(spring, 11, 30), 1, frozenset({7}))], context())
    assert "too_many_hours" not in codes(issues)


def test_every_issue_is_listed_at_once_errors_first():
    busy = BookedSession(99, 11, "Primo soccorso", at(date(2026, 12, 8), 9), at(date(2026, 12, 8), 10), 2,
                         frozenset({7}))
    issues = check_schedule([planned(date(2026, 12, 8), 7, 13, location=2)], context(booked=[busy]))
    assert codes(issues) == ["trainer_busy", "room_busy", "room_too_small", "holiday", "outside_hours"]
    assert [i.severity for i in issues] == ["error", "error", "error", "warning", "warning"]


def test_weekly_series_keeps_nine_oclock_across_the_october_change():
    rule = SeriesRule(first_day=date(2026, 10, 14), weekdays=frozenset({2}), start_time=time(9), end_time=time(13),
                      count=4)
    sessions = expand_series(rule)
    assert [to_rome(s).strftime("%d/%m %H:%M") for s, _ in sessions] == [
        "14/10 09:00", "21/10 09:00", "28/10 09:00", "04/11 09:00"]
    assert [s.astimezone(UTC).hour for s, _ in sessions] == [7, 7, 8, 8]
    assert all((e - s).total_seconds() == 4 * 3600 for s, e in sessions)


def test_series_on_several_weekdays_until_a_date():
    rule = SeriesRule(first_day=date(2026, 11, 23), weekdays=frozenset({0, 3}), start_time=time(14),
                      end_time=time(16), until=date(2026, 12, 7))
    days = [to_rome(s).date() for s, _ in expand_series(rule)]
    assert days == [date(2026, 11, 23), date(2026, 11, 26), date(2026, 11, 30), date(2026, 12, 3), date(2026, 12, 7)]


def test_series_are_capped():
    rule = SeriesRule(first_day=date(2026, 1, 1), weekdays=frozenset(range(7)), start_time=time(9), end_time=time(10),
                      count=500)
    assert len(expand_series(rule)) == 60


def test_a_session_placed_in_the_past_is_a_warning():
    now = at(WEDNESDAY, 10)
    issues = check_schedule([planned(WEDNESDAY, 9, 12)], context(now=now))
    assert codes(issues) == ["past"]
    assert issues[0].text == "25/11/2026 alle 09:00 è già passato: l'incontro risulterebbe già svolto."
    assert check_schedule([planned(WEDNESDAY, 10, 12)], context(now=now)) == []
    assert check_schedule([planned(WEDNESDAY, 9, 12)], context()) == []  # no clock given: no opinion


def test_another_session_of_the_same_course_is_named_as_such():
    own = BookedSession(1, 10, "Questo corso", at(WEDNESDAY, 9), at(WEDNESDAY, 12), 1, frozenset({7}))
    issues = check_schedule([planned(WEDNESDAY, 11, 13)], context(booked=[own]))
    assert [(i.code, i.severity, i.text) for i in issues] == [
        ("course_overlap", "error", "25/11/2026: il corso ha già un incontro dalle 09:00 alle 12:00.")]
