"""The safety course types: the codes of the contract, every figure, the delivery modes each allows."""

import pytest

from training_hub.core.i18n import language
from training_hub.core.tables import DeliveryMode
from training_hub.safety.course_types import (
    COURSE_TYPE_CODES,
    COURSE_TYPES,
    DELIVERY_MODES,
    E_LEARNING,
    IN_PRESENCE,
    ONLINE,
    course_type,
    course_types_for,
    find_course_type,
)
from training_hub.safety.schemas import course_type_out

CONTRACT_CODES = [
    "lavoratori_generale",
    "lavoratori_specifica_basso", "lavoratori_specifica_medio", "lavoratori_specifica_alto",
    "lavoratori_aggiornamento",
    "preposto", "preposto_aggiornamento",
    "dirigente", "dirigente_aggiornamento",
    "datore_lavoro", "datore_lavoro_aggiornamento",
    "rls", "rls_aggiornamento",
    "antincendio_1", "antincendio_2", "antincendio_3",
    "antincendio_aggiornamento_1", "antincendio_aggiornamento_2", "antincendio_aggiornamento_3",
    "primo_soccorso_a", "primo_soccorso_bc",
]


def test_every_code_of_the_contract_exists_once():
    assert len(COURSE_TYPE_CODES) == len(set(COURSE_TYPE_CODES))
    assert set(CONTRACT_CODES) <= set(COURSE_TYPE_CODES)
    # The additions, each with its reason: the first-aid refreshers (the DM's three-year refresher needs a
    # course to record it) and the "cantieri" modules (which refresh nothing).
    assert set(COURSE_TYPE_CODES) - set(CONTRACT_CODES) == {
        "primo_soccorso_aggiornamento_a", "primo_soccorso_aggiornamento_bc",
        "dirigente_modulo_cantieri", "datore_lavoro_modulo_cantieri",
    }


def test_the_order_is_stable_and_starts_with_the_workers():
    assert COURSE_TYPE_CODES[:5] == (
        "lavoratori_generale", "lavoratori_specifica_basso", "lavoratori_specifica_medio",
        "lavoratori_specifica_alto", "lavoratori_aggiornamento",
    )
    assert [c.code for c in COURSE_TYPES] == list(COURSE_TYPE_CODES)


@pytest.mark.parametrize(
    ("code", "min_hours", "refresh_years", "refresh_hours"),
    [
        ("lavoratori_generale", 4, None, None),  # never expires
        ("lavoratori_specifica_basso", 4, 5, 6),
        ("lavoratori_specifica_medio", 8, 5, 6),
        ("lavoratori_specifica_alto", 12, 5, 6),
        ("lavoratori_aggiornamento", 6, 5, 6),
        ("preposto", 12, 2, 6),
        ("preposto_aggiornamento", 6, 2, 6),
        ("dirigente", 12, 5, 6),
        ("dirigente_aggiornamento", 6, 5, 6),
        ("datore_lavoro", 16, 5, 6),
        ("datore_lavoro_aggiornamento", 6, 5, 6),
        ("rls", 32, 1, None),  # hours by headcount
        ("rls_aggiornamento", 4, 1, None),
        ("antincendio_1", 4, 5, 2),
        ("antincendio_2", 8, 5, 5),
        ("antincendio_3", 16, 5, 8),
        ("antincendio_aggiornamento_1", 2, 5, 2),
        ("antincendio_aggiornamento_2", 5, 5, 5),
        ("antincendio_aggiornamento_3", 8, 5, 8),
        ("primo_soccorso_a", 16, 3, 6),
        ("primo_soccorso_bc", 12, 3, 4),
        ("primo_soccorso_aggiornamento_a", 6, 3, 6),
        ("primo_soccorso_aggiornamento_bc", 4, 3, 4),
        ("dirigente_modulo_cantieri", 6, None, None),
        ("datore_lavoro_modulo_cantieri", 6, None, None),
    ],
)
def test_figures(code, min_hours, refresh_years, refresh_hours):
    course = course_type(code)
    assert (course.min_hours, course.refresh_years, course.refresh_hours) == (min_hours, refresh_years, refresh_hours)
    assert course.source and course.legal_reference


def test_refreshers_name_the_courses_they_refresh():
    assert course_type("preposto_aggiornamento").refresher_of == ("preposto",)
    assert course_type("antincendio_aggiornamento_2").refresher_of == ("antincendio_2",)
    assert course_type("lavoratori_aggiornamento").refresher_of == (
        "lavoratori_specifica_basso", "lavoratori_specifica_medio", "lavoratori_specifica_alto",
    )
    for course in COURSE_TYPES:
        for refreshed in course.refresher_of:
            assert course_type(refreshed).requirement == course.requirement, course.code
            assert not course_type(refreshed).is_refresher
    assert not course_type("preposto").is_refresher and course_type("rls_aggiornamento").is_refresher


def test_the_cantieri_modules_count_for_no_requirement():
    assert course_type("dirigente_modulo_cantieri").requirement is None
    assert course_type("datore_lavoro_modulo_cantieri").requirement is None
    assert "dirigente_modulo_cantieri" not in {c.code for c in course_types_for("dirigente")}


def test_rls_refresher_hours_follow_the_headcount():
    rls = course_type("rls_aggiornamento")
    assert [rls.refresh_hours_for(n) for n in (14, 15, 50, 51, 400)] == [None, 4, 4, 8, 8]
    assert rls.refresh_hours_for(None) is None
    assert course_type("preposto").refresh_hours_for(3) == 6  # not headcount-dependent


def test_e_learning_only_for_general_low_risk_specific_and_workers_refresher():
    with_e_learning = {c.code for c in COURSE_TYPES if c.allows(E_LEARNING)}
    assert with_e_learning == {"lavoratori_generale", "lavoratori_specifica_basso", "lavoratori_aggiornamento"}


@pytest.mark.parametrize("code", ["preposto", "preposto_aggiornamento", "datore_lavoro", "dirigente"])
def test_preposti_and_datori_in_presence_or_synchronous_videoconference(code):
    course = course_type(code)
    assert course.allows(IN_PRESENCE) and course.allows(ONLINE)
    assert not course.allows(E_LEARNING)


def test_practical_courses_need_presence():
    for code in ("antincendio_2", "antincendio_aggiornamento_3", "primo_soccorso_a", "primo_soccorso_aggiornamento_bc"):
        course = course_type(code)
        assert course.allows(IN_PRESENCE) and not course.allows(ONLINE) and not course.allows(E_LEARNING)


def test_every_mode_is_a_known_one_and_the_catalogue_modes_are_among_them():
    for course in COURSE_TYPES:
        assert set(course.delivery_modes) <= set(DELIVERY_MODES)
    assert {mode.value for mode in DeliveryMode} <= set(DELIVERY_MODES)


def test_attendance_and_final_test_defaults():
    for course in COURSE_TYPES:
        assert course.min_attendance_percent == 90
        assert course.test_pass_percent == 70
        assert course.final_test_min_questions == (10 if course.is_refresher else 30)


def test_lookup():
    assert course_type("rls").title == "Formazione del rappresentante dei lavoratori per la sicurezza (RLS)"
    with pytest.raises(KeyError):
        course_type("corso_inventato")
    assert find_course_type("corso_inventato") is None and find_course_type(None) is None
    assert [c.code for c in course_types_for("primo_soccorso")] == [
        "primo_soccorso_a", "primo_soccorso_aggiornamento_a", "primo_soccorso_bc", "primo_soccorso_aggiornamento_bc",
    ]


def test_titles_are_italian_and_translated_when_shown():
    assert course_type("lavoratori_specifica_medio").title == "Formazione specifica dei lavoratori — rischio medio"
    assert course_type("preposto_aggiornamento").title == "Aggiornamento preposti"
    with language("en"):
        out = course_type_out(course_type("lavoratori_generale"))
        assert out.title == "General training of workers"
        assert course_type_out(course_type("antincendio_aggiornamento_2")).title == "Fire wardens' refresher — level 2"
    with language("it"):
        assert course_type_out(course_type("lavoratori_generale")).title == "Formazione generale dei lavoratori"


def test_legal_reference_printed_on_the_attestato_names_article_and_accordo_point():
    assert course_type("preposto").legal_reference == (
        "D.Lgs. 81/2008, art. 37 c. 7 e 7-ter; Accordo Stato-Regioni 17/04/2025 (Rep. Atti n. 59/CSR), Parte II, punto 2.2"
    )
    assert "D.M. 2 settembre 2021" in course_type("antincendio_2").legal_reference
    assert "D.M. 15 luglio 2003 n. 388" in course_type("primo_soccorso_bc").legal_reference
