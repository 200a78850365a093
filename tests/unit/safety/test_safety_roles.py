"""Safety roles, the risk class from ATECO, and the checks on roles and external attestati."""

from datetime import date

import pytest

from training_hub.core.i18n import language
from training_hub.safety.roles import (
    RISK_CLASS_BY_DIVISION,
    RoleHeld,
    ateco_division,
    check_role,
    check_roles,
    normalise_level,
    risk_class_from_ateco,
    role_label,
)
from training_hub.safety.trainings import CompletedTraining, check_external_training

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("88.10.00", "medio"),  # social work without accommodation: the social cooperatives' class
        ("88.99", "medio"),
        ("Q 88.91.00", "medio"),
        ("881000", "medio"),
        ("86.10.10", None),  # health care: the annex is silent, set by hand
        ("87.30.00", None),  # residential care: the same
        ("30.11", None),
        ("47.11.40", "basso"),
        ("85.59.20", "medio"),
        ("41.20.00", "alto"),
        ("01.11", "medio"),
        ("", None),
        (None, None),
        ("not an ateco code", None),
        ("8", None),
    ],
)
def test_risk_class_from_the_ateco_division(code, expected):
    assert risk_class_from_ateco(code) == expected


def test_every_division_has_one_class_and_the_annex_gaps_stay_empty():
    assert ateco_division("88.10.00") == 88
    assert set(RISK_CLASS_BY_DIVISION.values()) == {"basso", "medio", "alto"}
    assert {30, 86, 87}.isdisjoint(RISK_CLASS_BY_DIVISION)


def test_a_role_with_a_future_appointment_date_is_refused():
    errors: dict[str, str] = {}
    check_role("preposto", None, date(2026, 12, 1), TODAY, errors)
    assert errors == {"since": "La data di nomina non può essere nel futuro."}


def test_antincendio_without_level_and_levels_where_none_belong_are_refused():
    errors: dict[str, str] = {}
    check_role("antincendio", None, date(2024, 1, 1), TODAY, errors)
    assert errors == {"level": "Indica il livello antincendio (1, 2 o 3)."}
    errors = {}
    check_role("antincendio", "4", date(2024, 1, 1), TODAY, errors)
    assert errors == {"level": "Livello antincendio non valido: 1, 2 o 3."}
    errors = {}
    check_role("primo_soccorso", None, date(2024, 1, 1), TODAY, errors)
    assert errors == {"level": "Indica il gruppo di primo soccorso (A oppure B/C)."}
    errors = {}
    check_role("worker", "2", None, TODAY, errors)
    assert errors == {"level": "Questo ruolo non ha un livello.", "since": "Indica la data di nomina."}
    errors = {}
    check_role("capo", None, date(2024, 1, 1), TODAY, errors)
    assert errors == {"role": "Ruolo sconosciuto."}


def test_valid_roles_pass_and_a_list_names_the_wrong_row():
    errors: dict[str, str] = {}
    check_role("antincendio", "2", TODAY, TODAY, errors)
    check_role("primo_soccorso", "bc", date(2020, 1, 1), TODAY, errors)
    check_role("rspp", None, date(2020, 1, 1), TODAY, errors)
    assert errors == {}
    check_roles([RoleHeld("worker", date(2020, 1, 1)), RoleHeld("rls", date(2027, 1, 1)),
                 RoleHeld("worker", date(2021, 1, 1))], TODAY, errors)
    assert errors == {"1.since": "La data di nomina non può essere nel futuro.", "2.role": "Ruolo indicato due volte."}


@pytest.mark.parametrize(
    ("role", "raw", "expected"),
    [
        ("antincendio", 2, "2"),
        ("antincendio", " 3 ", "3"),
        ("primo_soccorso", "A", "a"),
        ("primo_soccorso", "B/C", "bc"),
        ("primo_soccorso", "B e C", "bc"),
        ("primo_soccorso", "c", "bc"),
        ("primo_soccorso", "d", "d"),
        ("worker", "", None),
        ("worker", None, None),
    ],
)
def test_levels_are_normalised_before_the_check(role, raw, expected):
    assert normalise_level(role, raw) == expected


def test_role_labels_in_both_languages():
    assert role_label("antincendio", "2") == "Addetto antincendio (livello 2)"
    with language("en"):
        assert role_label("primo_soccorso", "bc") == "First aider (groups B and C)"
        assert role_label("preposto") == "Supervisor (preposto)"


def check_training(**values):
    fields = {"course_type": "lavoratori_generale", "completed_on": date(2024, 5, 6), "hours": 4.0,
              "born_on": date(1990, 4, 1), **values}
    errors: dict[str, str] = {}
    check_external_training(fields["course_type"], fields["completed_on"], fields["hours"], TODAY, errors,
                            born_on=fields["born_on"])
    return errors


def test_a_valid_external_attestato_passes_even_with_the_hours_of_an_earlier_accord():
    assert check_training() == {}
    assert check_training(course_type="preposto", hours=8) == {}  # the 2011 course keeps its credit


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"hours": 0}, "hours", "Le ore devono essere più di zero."),
        ({"hours": -2}, "hours", "Le ore devono essere più di zero."),
        ({"hours": float("nan")}, "hours", "Le ore devono essere più di zero."),
        ({"hours": None}, "hours", "Indica le ore riportate sull'attestato."),
        ({"completed_on": date(1989, 12, 31)}, "completed_on", "La data di fine corso è precedente alla data di nascita."),
        ({"completed_on": date(2026, 11, 26)}, "completed_on", "La data di fine corso non può essere nel futuro."),
        ({"completed_on": None}, "completed_on", "Indica la data di fine corso riportata sull'attestato."),
        ({"course_type": "corso_inventato"}, "course_type", "Tipo di corso sconosciuto."),
    ],
)
def test_bad_external_attestati_are_refused_next_to_the_field(values, field, message):
    assert check_training(**values) == {field: message}


def test_completed_training_counts_minutes():
    assert CompletedTraining("rls", date(2024, 1, 1), 7.5).minutes == 450
