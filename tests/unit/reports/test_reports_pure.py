"""Pure parts of the reports: periods, Rome months, small-group suppression, file cells, PDF text."""

from datetime import UTC, date, datetime

import pytest

from training_hub.core.errors import ValidationFailed
from training_hub.core.exports import pdf_text
from training_hub.core.sql import rome_months
from training_hub.reports.activity import OTHER, check_public_period, merge_small_groups
from training_hub.reports.period import parse_period
from training_hub.reports.present import csv_cell, format_cell, table_csv
from training_hub.reports.tables import Column, ReportTable


def test_period_defaults_to_the_current_year_and_accepts_both_date_forms():
    period = parse_period(None, "", today=date(2026, 11, 25))
    assert (period.first, period.last) == (date(2026, 1, 1), date(2026, 12, 31))
    period = parse_period("25/11/2026", "2026-12-01")
    assert (period.first, period.last) == (date(2026, 11, 25), date(2026, 12, 1))
    # Rome midnight, in UTC: 23:00 the day before in winter.
    assert period.start == datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
    assert period.end == datetime(2026, 12, 1, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2026-13-01", None, "from", "Data non valida"),
        ("ieri", None, "from", "Data non valida"),
        (None, "31/02/2026", "to", "Data non valida"),
        ("2026-12-01", "2026-11-01", "from", "successiva alla data di fine"),
        ("2010-01-01", "2026-01-01", "to", "al massimo 10 anni"),
        ("1999-01-01", "2000-01-01", "from", "tra il 2000 e il 2100"),
    ],
)
def test_bad_periods_are_refused_with_a_clear_message(start, end, field, message):
    with pytest.raises(ValidationFailed) as caught:
        parse_period(start, end, today=date(2026, 11, 25))
    assert field in caught.value.errors
    assert message in caught.value.field_errors[field]


@pytest.mark.parametrize(("first", "last"), [
    ("2026-10-01", "2026-10-31"), ("2026-02-01", "2026-02-28"), ("2024-02-01", "2024-02-29"),
    ("2026-10-01", "2026-12-31"), ("2026-01-01", "2026-03-31"), ("2026-01-01", "2026-12-31"),
])
def test_the_public_report_covers_a_whole_month_quarter_or_year(first, last):
    check_public_period(parse_period(first, last))


@pytest.mark.parametrize(("first", "last"), [
    ("2026-10-01", "2026-10-22"), ("2026-10-23", "2026-10-31"), ("2026-02-01", "2026-02-27"),
    ("2026-02-01", "2026-04-30"), ("2026-11-01", "2027-01-31"), ("2021-01-01", "2023-12-31"),
    ("2026-01-02", "2026-12-31"), ("2026-01-01", "2026-06-30"),
])
def test_any_other_period_is_refused_with_a_clear_message(first, last):
    with pytest.raises(ValidationFailed) as caught:
        check_public_period(parse_period(first, last))
    assert "un mese, un trimestre o un anno interi" in caught.value.field_errors["from"]


def test_rome_months_start_at_rome_midnight_across_dst():
    months = rome_months(date(2025, 10, 15), date(2025, 11, 2))
    assert [label for label, _s, _e in months] == ["2025-10", "2025-11"]
    october, november = months
    assert october[1] == datetime(2025, 9, 30, 22, 0, tzinfo=UTC)  # CEST
    assert october[2] == datetime(2025, 10, 31, 23, 0, tzinfo=UTC)  # CET: 23:30 UTC on the 31st is November
    assert november[1] == october[2]
    assert len(rome_months(date(2025, 1, 1), date(2025, 12, 31))) == 12


def _groups(**counts):
    return [{"key": key, "participants": n, "attended_minutes": n * 60} for key, n in counts.items()]


def test_small_groups_are_merged_until_the_merged_group_reaches_five():
    shown, withheld = merge_small_groups(_groups(MI=6, CO=5, BG=2, PV=1, BS=0), "key", sums=("attended_minutes",))
    assert not withheld
    assert [(row["key"], row["participants"]) for row in shown] == [("MI", 6), (OTHER, 8)]
    assert shown[-1]["attended_minutes"] == 8 * 60
    assert all(row["participants"] >= 5 for row in shown)


def test_no_group_below_five_in_any_combination():
    shown, withheld = merge_small_groups(_groups(MI=9, BG=4, PV=1), "key")
    assert not withheld and [(r["key"], r["participants"]) for r in shown] == [("MI", 9), (OTHER, 5)]
    shown, _ = merge_small_groups(_groups(MI=9, CO=7), "key")
    assert [r["key"] for r in shown] == ["MI", "CO"]
    shown, withheld = merge_small_groups(_groups(MI=3, BG=1), "key")
    assert shown == [] and withheld
    shown, withheld = merge_small_groups(_groups(MI=5), "key")
    assert [(r["key"], r["participants"]) for r in shown] == [("MI", 5)] and not withheld


def test_cells_for_pages_and_csv_use_italian_conventions():
    assert format_cell(90, "minutes") == "1 h 30 min"
    assert format_cell(0.5444, "percent") == "54,4%"
    assert format_cell(4.2, "rating") == "4,2"
    assert format_cell(1234, "int") == "1.234"
    assert format_cell("2025-11", "month") == "novembre 2025"
    assert format_cell(OTHER, "province").startswith("Altri gruppi")
    assert format_cell("<5", "int") == "< 5"
    assert csv_cell(90, "minutes") == "1,5"
    assert csv_cell(0.5, "percent") == "50"
    assert csv_cell("=HYPERLINK(\"x\")", "text") == "'=HYPERLINK(\"x\")"
    assert csv_cell(datetime(2025, 3, 9, 23, 30, tzinfo=UTC), "date") == "10/03/2025"


def test_csv_is_semicolon_separated_utf8_with_bom():
    table = ReportTable("t", "Tabella", [Column("name", "Nome"), Column("minutes", "Ore erogate", "minutes")],
                        [{"name": "Città; «prova»", "minutes": 150}])
    content = table_csv(table)
    assert content.startswith("\ufeff".encode())
    lines = content.decode("utf-8-sig").splitlines()
    assert lines == ["Nome;Ore erogate (h)", '"Città; «prova»";2,5']


def test_pdf_text_is_printed_as_typed():
    # The project's one PDF-text rule (training_hub.core.exports.pdf_text): the bundled Unicode font draws
    # every letter and mark, so nothing is folded or replaced.
    assert pdf_text("Corso «base» – l’inclusione… 20 €") == "Corso «base» – l’inclusione… 20 €"
    assert pdf_text("Łódź") == "Łódź"
