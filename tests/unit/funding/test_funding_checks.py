"""Checks before sending: every missing or invalid datum, per person and per cooperative."""

import dataclasses
from datetime import date
from decimal import Decimal

from training_hub.core.codice_fiscale import check_character
from training_hub.core.i18n import language
from training_hub.funding.checks import check_company, check_participant, check_plan, normalise_ateco
from training_hub.funding.layouts import ActionData, CompanyData, ExportLine, ParticipantData

TODAY = date(2026, 11, 25)
MARIA_CF = "RSSMRA85T50F205" + check_character("RSSMRA85T50F205")
AURORA = CompanyData(100, "Cooperativa Aurora", "01234567897", "01234567897", "4905123456", "88.10.00", "piccola")
ACTION = ActionData(7, "Comunicare l'impresa sociale", "AVV-45/2026")


def maria(**changes) -> ParticipantData:
    base = ParticipantData(1, "Maria Rossi", "Rossi", "Maria", MARIA_CF, "", "IT", "laurea", "tempo_indeterminato",
                           "impiegato", "Cooperative sociali", "C1", date(2015, 3, 1), Decimal("18.50"), 100)
    return dataclasses.replace(base, **changes)


def fields(findings) -> list[str]:
    return [finding.field for finding in findings]


def messages(findings) -> dict[str, str]:
    return {finding.field: finding.text for finding in findings}


def test_complete_data_has_no_findings():
    assert check_participant(maria(), reference=TODAY, aid_regime="gber") == []
    assert check_company(AURORA) == []


def test_missing_or_invalid_codice_fiscale():
    assert messages(check_participant(maria(codice_fiscale=""), reference=TODAY)) == {
        "codice_fiscale": "Manca il codice fiscale."}
    assert messages(check_participant(maria(codice_fiscale="RSSMRA85T50F205X"), reference=TODAY)) == {
        "codice_fiscale": "Il carattere di controllo del codice fiscale non è corretto."}
    thirty_first = "RSSMRA85B71F205" + check_character("RSSMRA85B71F205")  # 31 February, a woman
    assert messages(check_participant(maria(codice_fiscale=thirty_first), reference=TODAY)) == {
        "codice_fiscale": "La data di nascita nel codice fiscale non esiste."}


def test_missing_job_grade_and_other_fund_data():
    found = check_participant(maria(job_grade="", education_level="", contract_type="", ccnl=" ", citizenship="",
                                    family_name="", given_names=""), reference=TODAY)
    assert fields(found) == ["family_name", "given_names", "citizenship", "education_level", "contract_type",
                             "job_grade", "ccnl"]
    assert messages(found)["job_grade"] == "Manca l'inquadramento."


def test_codes_outside_the_tables_are_refused():
    found = check_participant(maria(job_grade="capo", citizenship="XX", education_level="master"), reference=TODAY)
    assert messages(found) == {
        "citizenship": "La cittadinanza non è un codice di paese valido (es. IT, RO, MA).",
        "education_level": "Il titolo di studio non è tra quelli previsti.",
        "job_grade": "L'inquadramento non è tra quelli previsti.",
    }


def test_hire_date_missing_future_or_before_working_age():
    assert fields(check_participant(maria(hire_date=None), reference=TODAY)) == ["hire_date"]
    assert messages(check_participant(maria(hire_date=date(2027, 1, 1)), reference=TODAY)) == {
        "hire_date": "La data di assunzione è nel futuro."}
    # Born 10/12/1985: hired on 1/3/2000 at 14 is a typing mistake; at 15, an apprentice, it is possible.
    assert messages(check_participant(maria(hire_date=date(2000, 3, 1)), reference=TODAY)) == {
        "hire_date": "La data di assunzione precede il compimento dei 15 anni: controlla l'anno."}
    assert check_participant(maria(hire_date=date(2000, 12, 10)), reference=TODAY) == []


def test_hourly_cost_is_required_under_gber_only_and_must_be_positive():
    assert check_participant(maria(hourly_cost=None), reference=TODAY, aid_regime="de_minimis") == []
    assert fields(check_participant(maria(hourly_cost=None), reference=TODAY, aid_regime="gber")) == ["hourly_cost"]
    assert fields(check_participant(maria(hourly_cost=Decimal(0)), reference=TODAY)) == ["hourly_cost"]


def test_participant_without_cooperative():
    assert fields(check_participant(maria(cooperative_id=None), reference=TODAY)) == ["cooperative_id"]


def test_cooperative_without_inps_number_or_with_a_wrong_one():
    assert messages(check_company(dataclasses.replace(AURORA, inps_number=""))) == {
        "inps_number": "Manca la matricola INPS."}
    assert messages(check_company(dataclasses.replace(AURORA, inps_number="49051234"))) == {
        "inps_number": "La matricola INPS deve avere 10 cifre."}
    assert check_company(dataclasses.replace(AURORA, inps_number="49 0512 3456")) == []


def test_cooperative_vat_number_and_tax_code_check_digits():
    assert messages(check_company(dataclasses.replace(AURORA, vat_number="01234567890"))) == {
        "vat_number": "La cifra di controllo della partita IVA non è corretta."}
    assert messages(check_company(dataclasses.replace(AURORA, vat_number=""))) == {"vat_number": "Manca la partita IVA."}
    assert fields(check_company(dataclasses.replace(AURORA, tax_code="01234567890"))) == ["tax_code"]
    assert check_company(dataclasses.replace(AURORA, tax_code=MARIA_CF)) == []  # a sole trader's 16 characters


def test_ateco_must_be_the_full_subcategory():
    assert normalise_ateco("881000") == "88.10.00"
    assert check_company(dataclasses.replace(AURORA, ateco="881000")) == []
    assert messages(check_company(dataclasses.replace(AURORA, ateco="88.10"))) == {
        "ateco": "Il codice ATECO deve essere completo, nella forma 88.10.00."}
    assert fields(check_company(dataclasses.replace(AURORA, ateco="", size="enorme"))) == ["ateco", "size"]


def test_plan_checks_list_each_person_and_cooperative_once_in_the_api_shape():
    lines = [
        ExportLine(maria(job_grade=""), dataclasses.replace(AURORA, inps_number=""), ACTION, 480, 336, TODAY),
        ExportLine(maria(job_grade=""), dataclasses.replace(AURORA, inps_number=""),
                   dataclasses.replace(ACTION, course_id=8), 240, 240, TODAY),
    ]
    found = check_plan(lines, reference=TODAY)
    assert [finding.as_dict() for finding in found] == [
        {"person_id": 1, "field": "job_grade", "message": "Manca l'inquadramento."},
        {"cooperative_id": 100, "field": "inps_number", "message": "Manca la matricola INPS."},
    ]
    with language("en"):
        assert found[1].as_dict()["message"] == "The INPS registration number is missing."
