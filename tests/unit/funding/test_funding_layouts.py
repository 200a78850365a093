"""The participants export in the funds' layouts: derived values, codes, nothing special-category."""

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from training_hub.core.codice_fiscale import check_character
from training_hub.core.i18n import language
from training_hub.funding import codes
from training_hub.funding.layouts import (
    LAYOUTS,
    ActionData,
    CompanyData,
    ExportLine,
    ParticipantData,
    as_text,
    participant_rows,
)

MARIA_CF = "RSSMRA85T50F205" + check_character("RSSMRA85T50F205")  # a woman born in Milano on 10/12/1985
ABROAD_CF = "BNCLCU90A01Z404" + check_character("BNCLCU90A01Z404")  # born in the United States, 1/1/1990

AURORA = CompanyData(100, "Cooperativa Aurora", "01234567897", "01234567897", "4905123456", "88.10.00", "piccola", "MI")
ACTION = ActionData(7, "Comunicare l'impresa sociale", "AVV-45/2026", "Piano Light 2026", "A1",
                    date(2026, 12, 2), date(2026, 12, 16))


def maria(**changes) -> ParticipantData:
    base = ParticipantData(
        1, "Maria Rossi", "Rossi", "Maria", MARIA_CF, "maria.rossi@coop-aurora.it", "IT", "laurea",
        "tempo_indeterminato", "impiegato", "Cooperative sociali", "C1", date(2015, 3, 1), Decimal("18.50"), 100,
    )
    return dataclasses.replace(base, **changes)


def line(participant: ParticipantData, company: CompanyData | None = AURORA) -> ExportLine:
    return ExportLine(participant, company, ACTION, 480, 336, date(2026, 12, 20))


def row_of(layout: str, participant: ParticipantData, company: CompanyData | None = AURORA) -> dict[str, object]:
    chosen = LAYOUTS[layout]
    (values,) = participant_rows(chosen, [line(participant, company)])
    return dict(zip((column.key for column in chosen.columns), values, strict=True))


@pytest.mark.parametrize("layout", ["foncoop", "fondimpresa", "generic"])
def test_each_layout_writes_one_value_per_heading(layout):
    chosen = LAYOUTS[layout]
    (values,) = participant_rows(layout, [line(maria())])
    assert len(values) == len(chosen.headings) == len({column.key for column in chosen.columns})
    assert all(column.source for column in chosen.columns)  # every column says where it comes from


def test_fund_layouts_are_marked_unconfirmed_and_say_so():
    assert not LAYOUTS["foncoop"].confirmed and "[?]" in LAYOUTS["foncoop"].source
    assert not LAYOUTS["fondimpresa"].confirmed and "[?]" in LAYOUTS["fondimpresa"].source
    assert LAYOUTS["generic"].confirmed


def test_sex_birth_date_and_place_come_from_the_codice_fiscale():
    row = row_of("foncoop", maria())
    assert (row["sex"], row["birth_date"]) == ("F", date(1985, 12, 10))
    assert (row["birth_comune"], row["birth_province"], row["birth_country"]) == ("Milano", "MI", "Italia")
    abroad = row_of("foncoop", maria(codice_fiscale=ABROAD_CF))
    assert (abroad["sex"], abroad["birth_date"]) == ("M", date(1990, 1, 1))
    assert (abroad["birth_comune"], abroad["birth_province"], abroad["birth_country"]) == (
        "", "EE", "Stati Uniti D'America")


def test_an_invalid_codice_fiscale_leaves_the_derived_cells_empty():
    row = row_of("foncoop", maria(codice_fiscale="RSSMRA85T50F205X"))
    assert (row["sex"], row["birth_date"], row["birth_comune"]) == ("", None, "")


def test_codes_are_written_as_the_funds_labels_and_standard_codes():
    row = row_of("fondimpresa", maria(citizenship="ro", education_level="laurea_magistrale",
                                      contract_type="apprendistato", job_grade="operaio_qualificato"))
    assert row["citizenship"] == "Altro paese dell'Unione europea"
    assert row["citizenship_country"] == "Romania"
    assert (row["education_level"], row["education_isced"]) == ("Laurea magistrale o a ciclo unico", "7")
    assert row["contract_type"] == "Apprendistato"
    assert row["job_grade"] == "Operaio qualificato"
    assert row_of("foncoop", maria(citizenship="MA"))["citizenship"] == "Paese non appartenente all'Unione europea"
    assert row_of("foncoop", maria(citizenship="IT"))["citizenship"] == "Italiana"


def test_fund_files_are_italian_whatever_the_language_of_who_downloads_them():
    with language("en"):
        row = row_of("foncoop", maria())
    assert (row["job_grade"], row["contract_type"]) == ("Impiegato amministrativo o tecnico",
                                                        "Lavoro dipendente a tempo indeterminato")


def test_company_plan_and_hours():
    row = row_of("foncoop", maria())
    assert (row["plan_code"], row["action_code"], row["action_title"]) == (
        "AVV-45/2026", "A1", "Comunicare l'impresa sociale")
    assert (row["company_tax_code"], row["company_inps_number"]) == ("01234567897", "4905123456")
    assert (row["planned_hours"], row["attended_hours"]) == (Decimal("8.00"), Decimal("5.60"))
    assert row["hourly_cost"] == Decimal("18.50")
    generic = row_of("generic", maria(), company=None)
    assert (generic["person_id"], generic["course_id"], generic["company_name"]) == (1, 7, "")
    assert generic["company_size"] == ""


def test_as_text_writes_italian_dates_and_decimal_commas():
    assert as_text(date(2026, 12, 2)) == "02/12/2026"
    assert as_text(Decimal("5.60")) == "5,60"
    assert as_text(None) == "" and as_text(7) == "7"


FORBIDDEN = ("accessib", "disab", "disadvantag", "svantagg", "inclusion", "inclusione", "path", "percorso",
             "68/99", "68_99", "health", "salute", "need", "bisogn")


def test_nothing_special_category_can_reach_a_fund():
    # What is not in the input dataclasses cannot be exported: check they have no such field…
    fields = {f.name for cls in (ParticipantData, CompanyData, ActionData, ExportLine) for f in dataclasses.fields(cls)}
    assert not [name for name in fields if any(word in name.lower() for word in FORBIDDEN)]
    # …and that no layout has a column about it.
    for layout in LAYOUTS.values():
        for column in layout.columns:
            text = (column.key + " " + column.heading).lower()
            assert not any(word in text for word in FORBIDDEN), (layout.name, column.key)
    assert "68/99" in (codes.__doc__ or "")  # the template's L. 68/99 column is left out on purpose
