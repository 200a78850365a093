"""Checks before sending a plan's data to the fund: every missing or invalid datum, listed per row.

A fund's platform refuses a participant file for one bad codice fiscale and says little about which;
the office would rather see the whole list first, in Italian, next to the person or the cooperative it
concerns: ``[{"person_id"|"cooperative_id", "field", "message"}]`` (the API's shape).

What is checked, and why:

* **codice fiscale** of each participant: present, valid (shape, date, check character, omocodia:
  ``core.codice_fiscale``); the birth date it encodes must exist. Sex, birth date and place come from it.
* **cognome e nome** apart: the funds' templates have a column for each.
* **cittadinanza**, **titolo di studio**, **tipologia contrattuale**, **inquadramento**, **CCNL**:
  present and one of the codes of ``codes.py``.
* **data di assunzione**: present, not in the future, not before the person's 15th birthday (the
  youngest a worker can be hired, as an apprentice: D.Lgs. 81/2015 art. 43) — catches 1905 for 2005.
* **costo orario lordo**: required when the plan's aid regime is GBER (Reg. UE 651/2014 art. 31: the
  participants' personnel costs are the company's co-financing); when given, more than zero.
* **cooperative** (the beneficiary): codice fiscale (11 digits with check digit, or a person's 16
  characters), **partita IVA** (11 digits: the check digit is computed like Luhn's, D.M. 23/12/1976),
  **matricola INPS** (the company's INPS registration: 10 digits, the ``Matricola`` of the UniEmens
  ``Azienda`` block, as payroll software validates it), **ATECO** (the full six-digit subcategory,
  ``88.10.00``: ISTAT ATECO 2007 and its 2025 update have the same shape), **dimensione**.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from training_hub.core.codice_fiscale import (
    codice_fiscale_problem,
    decode_codice_fiscale,
    partita_iva_problem,
)
from training_hub.core.errors import ValidationFailed
from training_hub.core.i18n import N_, gettext
from training_hub.funding import codes
from training_hub.funding.layouts import CompanyData, ExportLine, ParticipantData

# The youngest age at which a worker can be hired (apprenticeship for the qualification, D.Lgs.
# 81/2015 art. 43 c. 2: from 15 years of age).
MIN_HIRING_AGE = 15

INPS_NUMBER = re.compile(r"\d{10}")
ATECO_FULL = re.compile(r"\d{2}\.\d{2}\.\d{2}")
ATECO_DIGITS = re.compile(r"\d{6}")

AID_GBER = "gber"


@dataclass(frozen=True)
class Finding:
    subject: str  # "person" or "cooperative"
    subject_id: int | None
    field: str
    message: str  # Italian msgid
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return gettext(self.message) % self.params if self.params else gettext(self.message)

    def as_dict(self) -> dict[str, Any]:
        key = "person_id" if self.subject == "person" else "cooperative_id"
        return {key: self.subject_id, "field": self.field, "message": self.text}


def normalise_ateco(value: str) -> str:
    """``881000`` or ``88.10.00`` → ``88.10.00``; anything else as typed (and then refused)."""
    text = (value or "").strip()
    if ATECO_DIGITS.fullmatch(text):
        return f"{text[:2]}.{text[2:4]}.{text[4:]}"
    return text


def check_participant(
    participant: ParticipantData, *, reference: date, aid_regime: str = ""
) -> list[Finding]:
    found: list[Finding] = []

    def add(field_name: str, message: str, **params: Any) -> None:
        found.append(Finding("person", participant.person_id, field_name, message, params))

    born: date | None = None
    code = (participant.codice_fiscale or "").strip()
    if not code:
        add("codice_fiscale", N_("Manca il codice fiscale."))
    elif problem := codice_fiscale_problem(code):
        add("codice_fiscale", problem)
    else:
        try:
            born = decode_codice_fiscale(code, reference=reference).birth_date
        except ValidationFailed as exc:
            add("codice_fiscale", exc.message)
    if not participant.family_name.strip():
        add("family_name", N_("Manca il cognome (separato dal nome)."))
    if not participant.given_names.strip():
        add("given_names", N_("Manca il nome (separato dal cognome)."))

    if not participant.citizenship.strip():
        add("citizenship", N_("Manca la cittadinanza."))
    elif codes.citizenship_group(participant.citizenship) is None:
        add("citizenship", N_("La cittadinanza non è un codice di paese valido (es. IT, RO, MA)."))
    for field_name, value, table, missing, unknown in (
        ("education_level", participant.education_level, codes.EDUCATION_LEVELS,
         N_("Manca il titolo di studio."), N_("Il titolo di studio non è tra quelli previsti.")),
        ("contract_type", participant.contract_type, codes.CONTRACT_TYPES,
         N_("Manca la tipologia contrattuale."), N_("La tipologia contrattuale non è tra quelle previste.")),
        ("job_grade", participant.job_grade, codes.JOB_GRADES,
         N_("Manca l'inquadramento."), N_("L'inquadramento non è tra quelli previsti.")),
    ):
        if not value:
            add(field_name, missing)
        elif value not in table:
            add(field_name, unknown)
    if not participant.ccnl.strip():
        add("ccnl", N_("Manca il CCNL applicato."))

    hired = participant.hire_date
    if hired is None:
        add("hire_date", N_("Manca la data di assunzione."))
    elif hired > reference:
        add("hire_date", N_("La data di assunzione è nel futuro."))
    elif born is not None and hired < _birthday(born, MIN_HIRING_AGE):
        add("hire_date", N_("La data di assunzione precede il compimento dei %(age)d anni: controlla l'anno."),
            age=MIN_HIRING_AGE)

    cost = participant.hourly_cost
    if cost is None:
        if aid_regime == AID_GBER:
            add("hourly_cost", N_("Manca il costo orario lordo: serve per il cofinanziamento in regime GBER."))
    elif Decimal(cost) <= 0:
        add("hourly_cost", N_("Il costo orario lordo deve essere maggiore di zero."))
    if participant.cooperative_id is None:
        add("cooperative_id", N_("La persona non appartiene a nessuna cooperativa beneficiaria."))
    return found


def _birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February
        return date(born.year + years, 3, 1)


def check_company(company: CompanyData) -> list[Finding]:
    found: list[Finding] = []

    def add(field_name: str, message: str, **params: Any) -> None:
        found.append(Finding("cooperative", company.cooperative_id, field_name, message, params))

    tax_code = re.sub(r"\s+", "", company.tax_code or "").upper()
    if not tax_code:
        add("tax_code", N_("Manca il codice fiscale della cooperativa."))
    elif len(tax_code) == 16:
        if problem := codice_fiscale_problem(tax_code):
            add("tax_code", problem)
    elif partita_iva_problem(tax_code):
        add("tax_code", N_("Il codice fiscale della cooperativa non è valido: 11 cifre con la cifra di controllo."))

    vat = (company.vat_number or "").strip()
    if not vat:
        add("vat_number", N_("Manca la partita IVA."))
    elif problem := partita_iva_problem(vat):
        add("vat_number", problem)

    inps = re.sub(r"\s+", "", company.inps_number or "")
    if not inps:
        add("inps_number", N_("Manca la matricola INPS."))
    elif not INPS_NUMBER.fullmatch(inps):
        add("inps_number", N_("La matricola INPS deve avere 10 cifre."))

    ateco = normalise_ateco(company.ateco)
    if not ateco:
        add("ateco", N_("Manca il codice ATECO."))
    elif not ATECO_FULL.fullmatch(ateco):
        add("ateco", N_("Il codice ATECO deve essere completo, nella forma 88.10.00."))

    if not company.size:
        add("size", N_("Manca la dimensione d'impresa."))
    elif company.size not in codes.COMPANY_SIZES:
        add("size", N_("La dimensione d'impresa non è tra quelle previste."))
    return found


def check_plan(lines: Iterable[ExportLine], *, reference: date, aid_regime: str = "") -> list[Finding]:
    """Every finding of a plan's participants and companies, each person and company once."""
    findings: list[Finding] = []
    seen_people: set[int] = set()
    seen_companies: set[int] = set()
    for line in lines:
        person = line.participant
        if person.person_id not in seen_people:
            seen_people.add(person.person_id)
            findings.extend(check_participant(person, reference=reference, aid_regime=aid_regime))
        company = line.company
        if company is not None and company.cooperative_id not in seen_companies:
            seen_companies.add(company.cooperative_id)
            findings.extend(check_company(company))
    return findings
