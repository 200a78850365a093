"""The refresh tracker's rules, with the dates of the issue (no database)."""

from datetime import date, timedelta

import pytest

from training_hub.core.settings import load_settings
from training_hub.safety.due import (
    DUE_SOON,
    MISSING,
    OVERDUE,
    VALID,
    PersonRequirement,
    Policy,
    RequirementStatus,
    add_months,
    add_years,
    policy_from_settings,
    preposto_transitional_due,
    refresher_needs,
    requirements_for,
    safety_status,
)
from training_hub.safety.roles import RoleHeld
from training_hub.safety.trainings import CompletedTraining

TODAY = date(2026, 11, 25)
POLICY = Policy(asr_2025_in_force=date(2025, 5, 24), due_soon_days=90)
SINCE = date(2020, 1, 1)


def role(name, level=None):
    return RoleHeld(name, SINCE, level)


def done(code, day, hours):
    return CompletedTraining(code, day, hours)


def status(roles, trainings, *, requirement, risk_class="medio", headcount=30, today=TODAY, policy=POLICY):
    lines = safety_status(roles, trainings, risk_class=risk_class, headcount=headcount, today=today, policy=policy)
    found = [line for line in lines if line.requirement == requirement]
    assert len(found) == 1, lines
    return found[0]


def worker_trained(specific_on, *, general_on=date(2010, 1, 10)):
    return [done("lavoratori_generale", general_on, 4), done("lavoratori_specifica_medio", specific_on, 8)]


# Adding years: art. 2963 c.c. --------------------------------------------------------------------


def test_29_february_plus_years_is_28_february_unless_the_year_is_a_leap_year():
    # The term ends on the corresponding day of the final year; with no such day, on the last day of the
    # month (art. 2963 c. 4-5 c.c.): not 1 March.
    assert add_years(date(2024, 2, 29), 5) == date(2029, 2, 28)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2025, 6, 10), 5) == date(2030, 6, 10)


def test_months_follow_the_civil_calendar_both_ways():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2025, 5, 24), -24) == date(2023, 5, 24)
    assert add_months(date(2028, 2, 29), -12) == date(2027, 2, 28)


def test_a_specific_course_ended_on_29_february_is_due_on_28_february():
    line = status([role("worker")], worker_trained(date(2024, 2, 29)), requirement="lavoratori_specifica")
    assert line.due_on == date(2029, 2, 28)


# The figures of the issue --------------------------------------------------------------------------


def test_specific_training_ended_10_06_2025_is_due_10_06_2030():
    line = status([role("worker")], worker_trained(date(2025, 6, 10)), requirement="lavoratori_specifica")
    assert line == RequirementStatus(
        requirement="lavoratori_specifica", level="medio", status=VALID, last_completed_on=date(2025, 6, 10),
        due_on=date(2030, 6, 10), hours_due=6, course_type="lavoratori_aggiornamento",
    )


def test_general_training_never_expires():
    line = status([role("worker")], worker_trained(date(2025, 6, 10)), requirement="lavoratori_generale")
    assert (line.status, line.last_completed_on, line.due_on, line.hours_due) == (VALID, date(2010, 1, 10), None, None)


def test_preposto_ended_10_06_2025_is_due_10_06_2027():
    trainings = [*worker_trained(date(2025, 1, 10)), done("preposto", date(2025, 6, 10), 12)]
    line = status([role("preposto")], trainings, requirement="preposto")
    assert (line.status, line.due_on, line.hours_due, line.course_type) == (
        VALID, date(2027, 6, 10), 6, "preposto_aggiornamento",
    )


def test_antincendio_level_2_is_refreshed_every_5_years_with_5_hours():
    line = status([role("antincendio", "2")], [done("antincendio_2", date(2025, 6, 10), 8)], requirement="antincendio")
    assert (line.level, line.status, line.due_on, line.hours_due, line.course_type) == (
        "2", VALID, date(2030, 6, 10), 5, "antincendio_aggiornamento_2",
    )


@pytest.mark.parametrize(("level", "hours"), [("1", 2), ("2", 5), ("3", 8)])
def test_antincendio_refresher_hours_by_level(level, hours):
    line = status([role("antincendio", level)], [done(f"antincendio_{level}", date(2024, 3, 1), 16)],
                  requirement="antincendio")
    assert (line.due_on, line.hours_due) == (date(2029, 3, 1), hours)


def test_primo_soccorso_b_c_is_refreshed_every_3_years():
    line = status([role("primo_soccorso", "bc")], [done("primo_soccorso_bc", date(2025, 6, 10), 12)],
                  requirement="primo_soccorso")
    assert (line.due_on, line.hours_due, line.course_type) == (date(2028, 6, 10), 4, "primo_soccorso_aggiornamento_bc")
    group_a = status([role("primo_soccorso", "a")], [done("primo_soccorso_a", date(2025, 6, 10), 16)],
                     requirement="primo_soccorso")
    assert (group_a.due_on, group_a.hours_due) == (date(2028, 6, 10), 6)


@pytest.mark.parametrize(("headcount", "hours"), [(14, None), (15, 4), (50, 4), (51, 8), (None, None)])
def test_rls_refreshes_every_year_with_hours_by_the_cooperative_headcount(headcount, hours):
    line = status([role("rls")], [done("rls", date(2026, 3, 2), 32)], requirement="rls", headcount=headcount)
    assert (line.due_on, line.hours_due, line.course_type) == (date(2027, 3, 2), hours, "rls_aggiornamento")


def test_a_construction_site_module_does_not_reset_the_preposto_date():
    trainings = [
        *worker_trained(date(2025, 1, 10)),
        done("preposto", date(2025, 6, 10), 12),
        done("dirigente_modulo_cantieri", date(2026, 9, 1), 6),
    ]
    line = status([role("preposto"), role("dirigente")], trainings, requirement="preposto")
    assert (line.last_completed_on, line.due_on) == (date(2025, 6, 10), date(2027, 6, 10))


def test_a_preposto_course_does_not_satisfy_antincendio():
    trainings = [*worker_trained(date(2025, 1, 10)), done("preposto", date(2025, 6, 10), 12)]
    line = status([role("preposto"), role("antincendio", "1")], trainings, requirement="antincendio")
    assert (line.status, line.hours_due, line.course_type) == (MISSING, 4, "antincendio_1")


def test_another_roles_refresher_never_refreshes_this_one():
    trainings = [
        *worker_trained(date(2025, 1, 10)),
        done("preposto", date(2022, 3, 1), 12),
        done("dirigente", date(2022, 3, 1), 12),
        done("dirigente_aggiornamento", date(2026, 6, 1), 6),
        done("lavoratori_aggiornamento", date(2026, 6, 1), 6),
    ]
    line = status([role("preposto"), role("dirigente")], trainings, requirement="preposto")
    assert (line.last_completed_on, line.status) == (date(2022, 3, 1), OVERDUE)
    assert status([role("dirigente")], trainings, requirement="dirigente").last_completed_on == date(2026, 6, 1)


# Preposti: the Accordo's transitional dates --------------------------------------------------------


@pytest.mark.parametrize(
    ("trained_on", "due_on"),
    [
        (date(2023, 5, 22), date(2026, 5, 24)),  # more than 2 years before 24/05/2025: within 12 months
        (date(2023, 5, 23), date(2026, 5, 24)),  # the day the FAQ leave out goes to the stricter band
        (date(2023, 5, 24), date(2027, 5, 24)),  # from 24/05/2023 to 23/05/2025: within 24 months
        (date(2025, 5, 23), date(2027, 5, 24)),
        (date(2025, 5, 24), date(2027, 5, 24)),  # from the entry into force: + 2 years
        (date(2025, 11, 3), date(2027, 11, 3)),
    ],
)
def test_preposti_trained_before_the_accordo_have_the_transitional_deadlines(trained_on, due_on):
    trainings = [*worker_trained(date(2020, 1, 10)), done("preposto", trained_on, 8)]  # 8 h: a 2011 course
    assert status([role("preposto")], trainings, requirement="preposto").due_on == due_on


def test_the_transitional_deadlines_follow_the_entry_into_force_setting():
    nineteenth = date(2025, 5, 19)
    assert preposto_transitional_due(date(2023, 5, 18), nineteenth) == date(2026, 5, 19)
    assert preposto_transitional_due(date(2023, 5, 22), nineteenth) == date(2027, 5, 19)
    trainings = [*worker_trained(date(2020, 1, 10)), done("preposto", date(2025, 5, 20), 12)]
    line = status([role("preposto")], trainings, requirement="preposto",
                  policy=Policy(asr_2025_in_force=nineteenth))
    assert line.due_on == date(2027, 5, 20)  # after the entry into force: + 2 years


def test_a_refresher_after_the_entry_into_force_restarts_the_clock_normally():
    trainings = [
        *worker_trained(date(2020, 1, 10)),
        done("preposto", date(2015, 4, 1), 8),
        done("preposto_aggiornamento", date(2026, 4, 20), 6),
    ]
    line = status([role("preposto")], trainings, requirement="preposto")
    assert (line.last_completed_on, line.due_on, line.status) == (date(2026, 4, 20), date(2028, 4, 20), VALID)


def test_a_datore_di_lavoro_without_the_course_has_until_24_months_after_the_entry_into_force():
    line = status([role("datore_lavoro")], [], requirement="datore_lavoro")
    assert (line.status, line.due_on, line.hours_due, line.course_type) == (
        MISSING, date(2027, 5, 24), 16, "datore_lavoro",
    )


def test_fire_wardens_trained_long_before_the_dm_2021_had_twelve_months_from_its_entry_into_force():
    old = status([role("antincendio", "1")], [done("antincendio_1", date(2015, 3, 1), 4)], requirement="antincendio")
    assert (old.due_on, old.status) == (date(2023, 10, 4), OVERDUE)
    recent = status([role("antincendio", "1")], [done("antincendio_1", date(2017, 11, 1), 4)],
                    requirement="antincendio")
    assert recent.due_on == date(2022, 11, 1)


# Late refreshers and the 10 years ---------------------------------------------------------------


def test_a_late_refresher_within_10_years_of_the_due_date_restores_the_credit():
    trainings = [*worker_trained(date(2010, 6, 10)), done("lavoratori_aggiornamento", date(2025, 6, 10), 6)]
    line = status([role("worker")], trainings, requirement="lavoratori_specifica")
    # Due 10/06/2015; the refresher on 10/06/2025 is exactly 10 years later: it still counts.
    assert (line.status, line.last_completed_on, line.due_on) == (VALID, date(2025, 6, 10), date(2030, 6, 10))


def test_a_refresher_more_than_10_years_late_restores_nothing():
    trainings = [*worker_trained(date(2010, 6, 10)), done("lavoratori_aggiornamento", date(2025, 6, 11), 6)]
    line = status([role("worker")], trainings, requirement="lavoratori_specifica")
    assert (line.status, line.last_completed_on, line.due_on, line.hours_due, line.course_type) == (
        MISSING, date(2010, 6, 10), None, 8, "lavoratori_specifica_medio",
    )


def test_without_a_refresher_the_credit_is_overdue_for_10_years_then_lost():
    trainings = worker_trained(date(2010, 6, 10))
    on_the_last_day = status([role("worker")], trainings, requirement="lavoratori_specifica", today=date(2025, 6, 10))
    assert (on_the_last_day.status, on_the_last_day.due_on) == (OVERDUE, date(2015, 6, 10))
    after = status([role("worker")], trainings, requirement="lavoratori_specifica", today=date(2025, 6, 11))
    assert after.status == MISSING


def test_taking_the_first_course_again_restores_a_lost_credit():
    trainings = [*worker_trained(date(2005, 6, 10)), done("lavoratori_specifica_alto", date(2026, 2, 2), 12)]
    line = status([role("worker")], trainings, requirement="lavoratori_specifica")
    assert (line.status, line.due_on) == (VALID, date(2031, 2, 2))


def test_a_refresher_without_the_course_it_refreshes_counts_for_nothing():
    trainings = [done("lavoratori_generale", date(2020, 1, 1), 4), done("lavoratori_aggiornamento", date(2025, 1, 1), 6)]
    assert status([role("worker")], trainings, requirement="lavoratori_specifica").status == MISSING


# Hours of the refresher ---------------------------------------------------------------------------


def test_a_shorter_refresher_leaves_hours_due_and_does_not_restart_the_clock():
    trainings = [*worker_trained(date(2021, 6, 10)), done("lavoratori_aggiornamento", date(2026, 3, 1), 4)]
    line = status([role("worker")], trainings, requirement="lavoratori_specifica")
    assert (line.last_completed_on, line.due_on, line.hours_due, line.status) == (
        date(2021, 6, 10), date(2026, 6, 10), 2, OVERDUE,
    )


def test_sessions_of_one_refresher_add_up_and_restart_the_clock_on_the_last():
    trainings = [
        done("rls", date(2025, 1, 20), 32),
        done("rls_aggiornamento", date(2025, 11, 3), 4),
        done("rls_aggiornamento", date(2026, 1, 12), 4.5),
    ]
    line = status([role("rls")], trainings, requirement="rls", headcount=120)
    assert (line.last_completed_on, line.due_on, line.hours_due) == (date(2026, 1, 12), date(2027, 1, 12), 8)
    halfway = status([role("rls")], trainings[:2], requirement="rls", headcount=120, today=date(2025, 12, 1))
    assert (halfway.last_completed_on, halfway.hours_due, halfway.status) == (date(2025, 1, 20), 4, DUE_SOON)


# Levels, classes and credits ------------------------------------------------------------------------


def test_a_higher_level_course_counts_for_a_lower_level_but_not_the_other_way():
    higher = status([role("antincendio", "2")], [done("antincendio_3", date(2024, 5, 5), 16)], requirement="antincendio")
    assert (higher.status, higher.due_on, higher.course_type) == (VALID, date(2029, 5, 5), "antincendio_aggiornamento_2")
    lower = status([role("antincendio", "2")], [done("antincendio_1", date(2024, 5, 5), 4)], requirement="antincendio")
    assert (lower.status, lower.course_type, lower.hours_due) == (MISSING, "antincendio_2", 8)
    group_a_for_b = status([role("primo_soccorso", "bc")], [done("primo_soccorso_a", date(2025, 1, 1), 16)],
                           requirement="primo_soccorso")
    assert group_a_for_b.status == VALID


def test_a_specific_course_of_a_lower_risk_class_is_not_enough():
    trainings = [done("lavoratori_generale", date(2024, 1, 1), 4), done("lavoratori_specifica_basso", date(2024, 1, 1), 4)]
    line = status([role("worker")], trainings, requirement="lavoratori_specifica", risk_class="medio")
    assert (line.status, line.hours_due, line.course_type) == (MISSING, 8, "lavoratori_specifica_medio")
    assert status([role("worker")], trainings, requirement="lavoratori_specifica", risk_class="basso").status == VALID


def test_without_a_risk_class_the_specific_course_to_take_is_unknown():
    line = status([role("worker")], [], requirement="lavoratori_specifica", risk_class=None)
    assert (line.status, line.level, line.hours_due, line.course_type) == (MISSING, None, None, None)
    trained = status([role("worker")], worker_trained(date(2024, 4, 4)), requirement="lavoratori_specifica",
                     risk_class=None)
    assert (trained.status, trained.due_on, trained.hours_due) == (VALID, date(2029, 4, 4), 6)


def test_the_dirigente_course_gives_the_workers_general_course():
    line = status([role("worker"), role("dirigente")], [done("dirigente", date(2019, 9, 9), 16)],
                  requirement="lavoratori_generale")
    assert (line.status, line.last_completed_on) == (VALID, date(2019, 9, 9))


def test_a_worker_with_nothing_misses_both_courses():
    lines = safety_status([role("worker")], [], risk_class="alto", headcount=10, today=TODAY, policy=POLICY)
    assert [(line.requirement, line.status, line.hours_due, line.course_type) for line in lines] == [
        ("lavoratori_generale", MISSING, 4, "lavoratori_generale"),
        ("lavoratori_specifica", MISSING, 12, "lavoratori_specifica_alto"),
    ]


def test_requirements_come_once_each_in_a_stable_order():
    held = [role("rls"), role("preposto"), role("worker"), role("rspp"), role("antincendio", "3")]
    assert [req.code for req in requirements_for(held, "medio", 20)] == [
        "lavoratori_generale", "lavoratori_specifica", "preposto", "rls", "antincendio",
    ]
    assert requirements_for([role("rspp"), role("aspp")], "medio", 20) == []


# Status thresholds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("specific_on", "expected"),
    [
        (date(2022, 2, 24), VALID),  # due 24/02/2027: 91 days away
        (date(2022, 2, 23), DUE_SOON),  # due 23/02/2027: 90 days away
        (date(2021, 11, 25), DUE_SOON),  # due today
        (date(2021, 11, 24), OVERDUE),  # due yesterday
    ],
)
def test_due_soon_at_90_days_overdue_the_day_after(specific_on, expected):
    assert TODAY + timedelta(days=90) == date(2027, 2, 23)
    line = status([role("worker")], worker_trained(specific_on), requirement="lavoratori_specifica")
    assert line.status == expected


def test_due_soon_days_is_a_setting():
    trainings = worker_trained(date(2022, 2, 24))
    line = status([role("worker")], trainings, requirement="lavoratori_specifica",
                  policy=Policy(asr_2025_in_force=date(2025, 5, 24), due_soon_days=120))
    assert line.status == DUE_SOON


def test_policy_from_settings(monkeypatch):
    monkeypatch.setenv("TRAINING_HUB_SAFETY_DUE_SOON_DAYS", "60")
    monkeypatch.setenv("TRAINING_HUB_ASR_2025_IN_FORCE", "2025-05-19")
    assert policy_from_settings(load_settings()) == Policy(asr_2025_in_force=date(2025, 5, 19), due_soon_days=60)
    with pytest.raises(ValueError):
        Policy(asr_2025_in_force=date(2025, 5, 24), due_soon_days=-1)


# Refresher needs ------------------------------------------------------------------------------------


def _line(requirement, state, due_on, course, hours=6.0):
    return RequirementStatus(requirement, None, state, date(2020, 1, 1), due_on, hours, course)


def test_refresher_needs_of_the_next_12_months_grouped_by_cooperative_and_course_type():
    rows = [
        PersonRequirement(1, 10, _line("lavoratori_specifica", DUE_SOON, date(2027, 1, 10), "lavoratori_aggiornamento")),
        PersonRequirement(2, 10, _line("lavoratori_specifica", VALID, date(2027, 11, 25), "lavoratori_aggiornamento", 2.5)),
        PersonRequirement(3, 10, _line("lavoratori_specifica", OVERDUE, date(2026, 9, 1), "lavoratori_aggiornamento")),
        PersonRequirement(3, 10, _line("preposto", VALID, date(2027, 6, 10), "preposto_aggiornamento")),
        PersonRequirement(4, 10, _line("lavoratori_specifica", VALID, date(2027, 11, 26), "lavoratori_aggiornamento")),
        PersonRequirement(5, 10, _line("lavoratori_specifica", MISSING, None, "lavoratori_specifica_medio", 8)),
        PersonRequirement(6, 20, _line("antincendio", DUE_SOON, date(2027, 2, 1), "antincendio_aggiornamento_2", 5)),
        PersonRequirement(7, 10, _line("lavoratori_generale", VALID, None, None, None)),
    ]
    needs = refresher_needs(rows, TODAY)
    assert [(n.cooperative_id, n.course_type, n.person_ids, n.overdue, n.earliest_due_on, n.hours) for n in needs] == [
        (10, "lavoratori_aggiornamento", (1, 2, 3), 1, date(2026, 9, 1), 6),
        (10, "preposto_aggiornamento", (3,), 0, date(2027, 6, 10), 6),
        (20, "antincendio_aggiornamento_2", (6,), 0, date(2027, 2, 1), 5),
    ]
    assert needs[0].people == 3
    assert refresher_needs(rows, TODAY, months=3)[0].person_ids == (1, 3)


def test_refresher_needs_from_the_rules_themselves():
    people = {
        1: [*worker_trained(date(2022, 3, 1))],
        2: [*worker_trained(date(2023, 1, 9))],
        3: [*worker_trained(date(2019, 1, 1))],
    }
    rows = [
        PersonRequirement(person_id, 10, line)
        for person_id, trainings in people.items()
        for line in safety_status([role("worker")], trainings, risk_class="medio", headcount=30, today=TODAY,
                                  policy=POLICY)
    ]
    [need] = refresher_needs(rows, TODAY)
    assert (need.course_type, need.person_ids, need.overdue, need.earliest_due_on) == (
        "lavoratori_aggiornamento", (1, 3), 1, date(2024, 1, 1),
    )


def test_an_unknown_level_counts_nothing_but_its_own_courses_and_does_not_crash():
    line = status([role("antincendio", "9")], [done("antincendio_3", date(2024, 1, 1), 16)], requirement="antincendio")
    assert (line.status, line.course_type, line.hours_due) == (MISSING, None, None)


@pytest.mark.parametrize(("roles", "course", "requirement", "due_on"), [
    ([role("preposto")], "preposto", "preposto", date(2030, 2, 28)),  # 2 years
    ([role("rls")], "rls", "rls", date(2029, 2, 28)),  # 1 year
    ([role("primo_soccorso", "bc")], "primo_soccorso_bc", "primo_soccorso", date(2031, 2, 28)),  # 3 years
    ([role("antincendio", "2")], "antincendio_2", "antincendio", date(2033, 2, 28)),  # 5 years
    ([role("dirigente")], "dirigente", "dirigente", date(2033, 2, 28)),
])
def test_a_course_ended_on_29_february_is_due_on_28_february_for_every_period(roles, course, requirement, due_on):
    trainings = [*worker_trained(date(2025, 1, 10)), done(course, date(2028, 2, 29), 16)]
    line = status(roles, trainings, requirement=requirement, today=date(2028, 3, 1))
    assert line.due_on == due_on
