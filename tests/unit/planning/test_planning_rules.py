"""Pure rules of the training year: money, hours, quarters, Fondimpresa's expiry and the warnings."""

from datetime import date

import pytest

from training_hub.planning import rules


@pytest.mark.parametrize(("typed", "cents"), [
    ("1.234,50", 123450), ("1234,5", 123450), ("1234", 123400), ("1234.50", 123450), ("12.500", 1250000),
    ("1.234,50 €", 123450), (123450, 123450), ("0", 0),
])
def test_amounts_are_read_as_italians_write_them(typed, cents):
    assert rules.parse_cents(typed) == cents


@pytest.mark.parametrize("typed", ["", "abc", "-5", "1,2,3", "1.23.4", True, -1, "12,345"])
def test_unreadable_or_negative_amounts_are_none(typed):
    assert rules.parse_cents(typed) is None


def test_money_is_shown_with_italian_grouping_and_the_euro_sign():
    assert rules.format_euros(123450) == "1.234,50 €"
    assert rules.format_euros(5) == "0,05 €"
    assert rules.format_euros(123456789) == "1.234.567,89 €"
    assert rules.format_euros(-1050) == "-10,50 €"
    assert rules.format_euros(None) == ""
    assert rules.euros_field(123450) == "1234,50"


def test_hours_are_minutes():
    assert rules.parse_hours("8") == 480
    assert rules.parse_hours("7,5") == 450
    assert rules.parse_hours("7.25") == 435
    assert rules.parse_hours(7.5) == 450
    assert rules.parse_hours("otto") is None
    assert rules.hours_field(450) == "7,5" and rules.hours_field(480) == "8"


def test_fondimpresa_money_expires_two_years_after_it_is_credited_and_the_rule_names_its_source():
    assert rules.fund_expiry("fondimpresa", date(2025, 3, 10)) == date(2027, 3, 10)
    assert rules.fund_expiry("fondimpresa", date(2024, 2, 29)) == date(2026, 2, 28)  # never outlives the rule
    assert rules.fund_expiry("foncoop", date(2025, 3, 10)) is None  # no rule for this fund
    assert rules.fund_expiry("fondimpresa", None) is None
    assert "Fondimpresa" in rules.EXPIRY_RULES["fondimpresa"].source


def test_warnings_come_90_and_30_days_before_the_money_expires_with_some_uncommitted():
    today = date(2026, 11, 25)
    expires = date(2027, 2, 23)  # 90 days
    assert rules.expiry_warning(expires, 1, today) == 90
    assert rules.expiry_warning(date(2027, 2, 24), 1, today) is None  # 91 days
    assert rules.expiry_warning(date(2026, 12, 25), 1, today) == 30
    assert rules.expiry_warning(today, 1, today) == 30  # the last day
    assert rules.expiry_warning(expires, 0, today) is None  # fully committed
    assert rules.expiry_warning(date(2026, 11, 24), 1, today) is None and rules.is_expired(date(2026, 11, 24), today)
    assert rules.expiry_warning(None, 100, today) is None


def test_money_expired_before_a_quarter_cannot_pay_for_it():
    assert rules.quarter_bounds(2027, 1) == (date(2027, 1, 1), date(2027, 3, 31))
    assert rules.quarter_bounds(2027, 4) == (date(2027, 10, 1), date(2027, 12, 31))
    assert rules.expired_for_quarter(date(2027, 3, 31), 2027, 2)
    assert not rules.expired_for_quarter(date(2027, 4, 1), 2027, 2)  # expires inside the quarter: still usable
    assert not rules.expired_for_quarter(None, 2027, 4)
