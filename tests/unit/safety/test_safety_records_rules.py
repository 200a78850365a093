"""Pure pieces of the safety record: hours as typed, the scan's file name, how long an attestato
obtained elsewhere is kept, which risk class applies."""

from datetime import date

import pytest

from training_hub.core.risk_class import effective_risk_class
from training_hub.safety.external_trainings import parse_hours, safe_filename
from training_hub.safety.retention import external_training_kept_until


@pytest.mark.parametrize(("typed", "hours"), [("4", 4.0), ("4,5", 4.5), (" 8.25 ", 8.25), (12, 12.0), ("", None),
                                              (None, None)])
def test_hours_as_typed(typed, hours):
    errors: dict[str, str] = {}
    assert parse_hours(typed, errors) == hours and errors == {}


@pytest.mark.parametrize("typed", ["quattro", "4h", True, ["4", "5"]])
def test_hours_that_are_no_number(typed):
    errors: dict[str, str] = {}
    assert parse_hours(typed, errors) is None and set(errors) == {"hours"}


@pytest.mark.parametrize(
    ("name", "kept"),
    [("Attestato Rossi.pdf", "Attestato-Rossi.pdf"), ("C:\\scan\\vvf.PDF", "vvf.pdf"), ("../../etc/passwd", "passwd.pdf"),
     ("", "attestato.pdf"), ('a"b;c.pdf', "a-b-c.pdf"), ("àèì.pdf", "attestato.pdf")],
)
def test_the_scan_name_is_safe_for_a_header(name, kept):
    assert safe_filename(name) == kept


def test_an_external_attestato_is_kept_ten_years_and_29_february_becomes_28():
    assert external_training_kept_until(date(2025, 6, 10)) == date(2035, 6, 10)
    assert external_training_kept_until(date(2024, 2, 29)) == date(2034, 2, 28)


@pytest.mark.parametrize(
    ("ateco", "chosen", "applies"),
    [("88.10.00", "", ("medio", True)), ("88.10.00", "alto", ("medio", True)), ("87.30.00", "alto", ("alto", False)),
     ("86.10.10", "", ("", False)), ("", "basso", ("basso", False)), ("", "altissimo", ("", False))],
)
def test_the_ateco_division_wins_where_the_annex_classifies_it(ateco, chosen, applies):
    assert effective_risk_class(ateco, chosen) == applies
