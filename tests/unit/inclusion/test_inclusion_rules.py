"""The legal rules of inclusion pathways (rules.py), with the dates of the issue."""

from __future__ import annotations

from datetime import date

import pytest

from training_hub.inclusion import rules
from training_hub.inclusion.rules import (
    ELIGIBILITY_CATEGORIES,
    PathwayType,
    check_duration,
    last_day_within,
    merge_small_groups,
    months_later_or_next,
    review_overdue,
    stage,
)

INCLUSION = PathwayType.TIROCINIO_INCLUSIONE.value
EXTRA = PathwayType.TIROCINIO_EXTRACURRICOLARE.value
START = date(2026, 12, 1)


def test_the_categories_are_those_of_article_4_with_their_codes():
    codes = [category.code for category in ELIGIBILITY_CATEGORIES]
    assert len(codes) == len(set(codes)) == 10
    assert {category.code for category in ELIGIBILITY_CATEGORIES if category.disability} == {
        "invalidi_fisici", "invalidi_psichici", "invalidi_sensoriali"}
    # Convictions are GDPR art. 10 data: the one category flagged as such.
    assert [category.code for category in ELIGIBILITY_CATEGORIES if category.criminal] == ["detenuti_misure_alternative"]


def test_month_arithmetic_counts_both_days_and_clamps_short_months():
    assert last_day_within(START, 24) == date(2028, 11, 30)
    assert last_day_within(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert last_day_within(date(2028, 1, 31), 1) == date(2028, 2, 29)  # leap year
    assert last_day_within(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert last_day_within(date(2026, 3, 1), 6) == date(2026, 8, 31)
    assert months_later_or_next(date(2026, 12, 4), -4) == date(2026, 8, 4)


def test_an_inclusion_traineeship_of_exactly_24_months_is_accepted():
    assert check_duration(INCLUSION, "alcolisti", START, date(2028, 11, 30), "") == {}


def test_24_months_and_one_day_is_refused_without_a_derogation():
    errors = check_duration(INCLUSION, "alcolisti", START, date(2028, 12, 1), "")
    assert set(errors) == {"ends_on"}
    assert errors["ends_on"].params["months"] == 24
    assert errors["ends_on"].params["last"] == "30/11/2028"
    assert "5451" in errors["ends_on"].params["source"]


def test_a_25_month_traineeship_is_accepted_with_the_reason_of_the_derogation():
    assert check_duration(INCLUSION, "alcolisti", START, date(2028, 12, 31), "Prosecuzione chiesta dal servizio") == {}


def test_a_derogation_reason_is_refused_when_no_derogation_is_needed():
    assert set(check_duration(INCLUSION, "alcolisti", START, date(2027, 11, 30), "Perché sì")) == {"derogation_reason"}


@pytest.mark.parametrize(("category", "months"), [("tossicodipendenti", 12), ("invalidi_sensoriali", 24)])
def test_extracurricular_lasts_12_months_for_disadvantaged_people_and_24_for_people_with_disabilities(category, months):
    last = last_day_within(START, months)
    assert check_duration(EXTRA, category, START, last, "") == {}
    errors = check_duration(EXTRA, category, START, date.fromordinal(last.toordinal() + 1), "")
    assert errors["ends_on"].params["months"] == months
    assert "7763" in errors["ends_on"].params["source"]


def test_extracurricular_limit_allows_no_derogation():
    errors = check_duration(EXTRA, "tossicodipendenti", START, date(2028, 1, 1), "Il servizio chiede una proroga")
    assert set(errors) == {"ends_on"}


def test_traineeships_need_an_end_and_no_pathway_ends_before_it_starts():
    assert set(check_duration(INCLUSION, "alcolisti", START, None, "")) == {"ends_on"}
    assert set(check_duration(EXTRA, "alcolisti", START, date(2026, 11, 30), "")) == {"ends_on"}
    # An employment or a dote may be open-ended, and has no maximum here.
    assert check_duration(PathwayType.INSERIMENTO_LAVORATIVO.value, "alcolisti", START, None, "") == {}
    assert check_duration(PathwayType.DOTE.value, "alcolisti", START, date(2031, 1, 1), "") == {}


def test_a_review_is_overdue_the_day_after_its_date_while_the_pathway_is_open():
    assert not review_overdue(date(2026, 11, 25), date(2026, 11, 25), concluded=False)
    assert review_overdue(date(2026, 11, 24), date(2026, 11, 25), concluded=False)
    assert not review_overdue(date(2026, 11, 24), date(2026, 11, 25), concluded=True)
    assert not review_overdue(None, date(2026, 11, 25), concluded=False)


def test_stages():
    today = date(2026, 11, 25)
    assert stage(date(2026, 12, 1), None, None, today) == "da_avviare"
    assert stage(date(2026, 1, 1), date(2026, 12, 31), None, today) == "in_corso"
    assert stage(date(2025, 1, 1), date(2025, 12, 31), None, today) == "terminato"
    assert stage(date(2025, 1, 1), date(2025, 12, 31), "assunzione", today) == "concluso"


def test_groups_of_at_least_five_are_shown_as_they_are():
    groups = merge_small_groups({"MI": 7, "BG": 5})
    assert [(g.key, g.count) for g in groups] == [("MI", 7), ("BG", 5)]


def test_small_groups_are_merged_into_other():
    groups = merge_small_groups({"MI": 9, "BG": 3, "CO": 2, "PV": 0})
    assert [(g.key, g.keys, g.count) for g in groups] == [("MI", ("MI",), 9), ("altri", ("BG", "CO"), 5)]


def test_an_other_group_still_below_five_takes_the_smallest_shown_group_with_it():
    groups = merge_small_groups({"MI": 9, "BS": 6, "BG": 2})
    assert [(g.key, g.keys, g.count) for g in groups] == [("MI", ("MI",), 9), ("altri", ("BG", "BS"), 8)]
    assert all(group.count >= rules.MIN_GROUP for group in groups)


def test_fewer_than_five_in_all_shows_nothing():
    assert merge_small_groups({"MI": 3, "BG": 1}) == []
    assert merge_small_groups({}) == []


def test_no_merged_result_ever_has_a_group_under_five():
    import itertools

    for values in itertools.product(range(0, 8), repeat=4):
        groups = merge_small_groups(dict(zip("ABCD", values, strict=True)))
        assert all(group.count >= 5 for group in groups)
        assert sum(group.count for group in groups) in (0, sum(values))
