"""The participants export in the funds' layouts: one row per participant and action.

A layout is a list of columns, each with its heading, how its value is read from plain data, and its
source. The data come in as the dataclasses below, which by construction hold nothing special-category
(no accessibility needs, no pathway kind, no L. 68/99 hiring, nothing about disability or disadvantage):
what is not in them cannot reach a fund.

Sources and how sure they are:

* the **participant fields** are those of the funds' participant import templates (Fon.Ar.Com
  "MODELLO FARC": nome, cognome, codice fiscale, codice cittadinanza, codice livello studio, codice
  tipologia contrattuale, codice CCNL, codice inquadramento, anno anzianità, matricola INPS, costo
  orario lordo azienda), with sex, birth date and place derived from the codice fiscale as the funds'
  forms show them;
* ``foncoop``: Fon.Coop's plans are managed on its platform (GIFCOOP, formerly SIFCOOP); its participant
  file's exact headings and order are not public and are **unconfirmed** [?] — check against the
  template the fund gives with the plan's approval before the first upload;
* ``fondimpresa``: Fondimpresa's platform (FPF) identifies the company by codice fiscale and INPS
  number and the participant by codice fiscale; exact headings and order **unconfirmed** [?];
* ``generic``: every field, with Training Hub's ids, for the training office's own checks.

Values are native (``date``, ``Decimal`` hours and costs, ``str``): the file writer decides how they
look (``as_text`` gives the Italian text form for CSV).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from training_hub.core.codice_fiscale import (
    BirthPlace,
    CodiceFiscaleData,
    birth_place_for_code,
    codice_fiscale_problem,
    decode_codice_fiscale,
)
from training_hub.core.errors import ValidationFailed
from training_hub.funding import codes

HOURS = Decimal("0.01")


@dataclass(frozen=True)
class CompanyData:
    """The beneficiary company (a cooperative) as the funds know it."""

    cooperative_id: int
    name: str
    tax_code: str = ""  # codice fiscale of the company (11 digits, or 16 characters for a sole trader)
    vat_number: str = ""
    inps_number: str = ""  # matricola INPS aziendale
    ateco: str = ""
    size: str = ""  # a key of codes.COMPANY_SIZES
    province: str = ""


@dataclass(frozen=True)
class ParticipantData:
    """A participant's fund data (nothing special-category: see the module notes)."""

    person_id: int
    full_name: str
    family_name: str = ""
    given_names: str = ""
    codice_fiscale: str = ""
    email: str = ""
    citizenship: str = ""  # ISO 3166-1 alpha-2
    education_level: str = ""  # a key of codes.EDUCATION_LEVELS
    contract_type: str = ""  # a key of codes.CONTRACT_TYPES
    job_grade: str = ""  # a key of codes.JOB_GRADES
    ccnl: str = ""
    ccnl_level: str = ""
    hire_date: date | None = None
    hourly_cost: Decimal | None = None  # gross hourly cost to the company (admins only)
    cooperative_id: int | None = None


@dataclass(frozen=True)
class ActionData:
    """An action of the plan (a course) and the plan it belongs to."""

    course_id: int
    title: str
    plan_code: str
    plan_title: str = ""
    action_code: str = ""
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass(frozen=True)
class ExportLine:
    participant: ParticipantData
    company: CompanyData | None
    action: ActionData
    planned_minutes: int
    attended_minutes: int
    reference: date  # the day the file is made: decides the century of birth dates


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    value: Callable[[ExportLine], Any]
    source: str = ""


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    columns: tuple[Column, ...]
    confirmed: bool
    source: str

    @property
    def headings(self) -> list[str]:
        return [column.heading for column in self.columns]


# Derived values -----------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _decode(code: str, reference: date) -> CodiceFiscaleData | None:
    if not code or codice_fiscale_problem(code):
        return None  # the checks report it; the export leaves the derived cells empty
    try:
        return decode_codice_fiscale(code, reference=reference)
    except ValidationFailed:
        return None


def _decoded(line: ExportLine) -> CodiceFiscaleData | None:
    return _decode(line.participant.codice_fiscale, line.reference)


def _sex(line: ExportLine) -> str:
    data = _decoded(line)
    return data.sex if data else ""


def _birth_date(line: ExportLine) -> date | None:
    data = _decoded(line)
    return data.birth_date if data else None


def _birth_place(line: ExportLine) -> BirthPlace | None:
    data = _decoded(line)
    return birth_place_for_code(data.birth_place_code, data.birth_date) if data else None


def _birth_comune(line: ExportLine) -> str:
    place = _birth_place(line)
    return "" if place is None or place.foreign else place.name


def _birth_province(line: ExportLine) -> str:
    place = _birth_place(line)
    return "" if place is None else place.province  # "EE" for abroad, as the funds' forms write it


def _birth_country(line: ExportLine) -> str:
    place = _birth_place(line)
    if place is None:
        return ""
    return place.name if place.foreign else "Italia"


def _label(table: dict[str, Any], key: str) -> str:
    # The Italian label itself, never its translation: a fund's file is Italian whatever the language
    # of the person who downloads it.
    value = table.get(key)
    if value is None:
        return ""
    return str(value[0] if isinstance(value, tuple) else value)


def _citizenship_group(line: ExportLine) -> str:
    group = codes.citizenship_group(line.participant.citizenship)
    return codes.CITIZENSHIP_GROUPS[group] if group else ""


def _citizenship_country(line: ExportLine) -> str:
    return codes.country_name(line.participant.citizenship) or ""


def _isced(line: ExportLine) -> str:
    entry = codes.EDUCATION_LEVELS.get(line.participant.education_level)
    return entry[1] if entry else ""


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(HOURS, rounding=ROUND_HALF_UP)


def _company(attribute: str) -> Callable[[ExportLine], str]:
    return lambda line: getattr(line.company, attribute) if line.company else ""


def _p(attribute: str) -> Callable[[ExportLine], Any]:
    return lambda line: getattr(line.participant, attribute)


def _a(attribute: str) -> Callable[[ExportLine], Any]:
    return lambda line: getattr(line.action, attribute)


CF = "codice fiscale (D.M. 23/12/1976)"
FARC = "modello partecipanti dei fondi (MODELLO FARC)"

# The participant block every fund template has, in the FARC template's order.
PARTICIPANT_COLUMNS = (
    Column("family_name", "Cognome", _p("family_name"), FARC),
    Column("given_names", "Nome", _p("given_names"), FARC),
    Column("codice_fiscale", "Codice fiscale", lambda line: line.participant.codice_fiscale.upper(), FARC),
    Column("sex", "Sesso", _sex, CF),
    Column("birth_date", "Data di nascita", _birth_date, CF),
    Column("birth_comune", "Comune di nascita", _birth_comune, CF + "; comuni ANPR"),
    Column("birth_province", "Provincia di nascita", _birth_province, CF + "; EE per l'estero"),
    Column("birth_country", "Stato di nascita", _birth_country, CF),
    Column("citizenship", "Cittadinanza", _citizenship_group, FARC + " [?]: italiana / UE / extra UE"),
    Column("citizenship_country", "Paese di cittadinanza", _citizenship_country, "ISO 3166-1"),
    Column("education_level", "Titolo di studio", lambda line: _label(codes.EDUCATION_LEVELS,
                                                                      line.participant.education_level), FARC),
    Column("education_isced", "Livello ISCED", _isced, "ISCED 2011"),
    Column("contract_type", "Tipologia contrattuale", lambda line: _label(codes.CONTRACT_TYPES,
                                                                          line.participant.contract_type), FARC),
    Column("ccnl", "CCNL", _p("ccnl"), FARC),
    Column("job_grade", "Inquadramento", lambda line: _label(codes.JOB_GRADES, line.participant.job_grade), FARC),
    Column("ccnl_level", "Livello CCNL", _p("ccnl_level"), FARC),
    Column("hire_date", "Data di assunzione", _p("hire_date"), FARC + ": anzianità"),
    Column("hourly_cost", "Costo orario lordo", _p("hourly_cost"), FARC + ": costo orario lordo azienda"),
)

COMPANY_COLUMNS = (
    Column("company_name", "Ragione sociale", _company("name"), "beneficiaria"),
    Column("company_tax_code", "Codice fiscale azienda", _company("tax_code"), "beneficiaria"),
    Column("company_vat_number", "Partita IVA", _company("vat_number"), "beneficiaria"),
    Column("company_inps_number", "Matricola INPS", _company("inps_number"), FARC),
    Column("company_ateco", "Codice ATECO", _company("ateco"), "beneficiaria"),
    Column("company_size", "Dimensione impresa", lambda line: _label(codes.COMPANY_SIZES, line.company.size)
           if line.company else "", "Racc. 2003/361/CE"),
)

HOURS_COLUMNS = (
    Column("planned_hours", "Ore previste", lambda line: hours(line.planned_minutes), "rendiconto"),
    Column("attended_hours", "Ore frequentate", lambda line: hours(line.attended_minutes), "rendiconto"),
)


def _pick(columns: Iterable[Column], *keys: str) -> tuple[Column, ...]:
    by_key = {column.key: column for column in columns}
    return tuple(by_key[key] for key in keys)


ALL = (*PARTICIPANT_COLUMNS, *COMPANY_COLUMNS, *HOURS_COLUMNS)

FONCOOP = Layout(
    "foncoop", "Fon.Coop",
    (
        Column("plan_code", "Codice piano", _a("plan_code"), "Fon.Coop: protocollo del piano"),
        Column("action_code", "Codice azione", _a("action_code"), "Fon.Coop [?]"),
        Column("action_title", "Titolo azione", _a("title"), "Fon.Coop [?]"),
        *_pick(COMPANY_COLUMNS, "company_tax_code", "company_name", "company_inps_number"),
        *PARTICIPANT_COLUMNS,
        *HOURS_COLUMNS,
    ),
    confirmed=False,
    source="Fon.Coop, gestione dei piani (GIFCOOP): intestazioni e ordine da verificare sul modello del fondo [?]",
)

FONDIMPRESA = Layout(
    "fondimpresa", "Fondimpresa",
    (
        Column("plan_code", "ID piano", _a("plan_code"), "Fondimpresa: identificativo del piano"),
        Column("action_code", "ID azione", _a("action_code"), "Fondimpresa [?]"),
        Column("action_title", "Titolo azione formativa", _a("title"), "Fondimpresa [?]"),
        *_pick(COMPANY_COLUMNS, "company_tax_code", "company_inps_number", "company_name"),
        *PARTICIPANT_COLUMNS,
        *HOURS_COLUMNS,
    ),
    confirmed=False,
    source="Fondimpresa, piattaforma FPF: intestazioni e ordine da verificare sul modello del fondo [?]",
)

GENERIC = Layout(
    "generic", "Training Hub",
    (
        Column("person_id", "ID persona", _p("person_id"), "Training Hub"),
        Column("cooperative_id", "ID cooperativa", _p("cooperative_id"), "Training Hub"),
        Column("course_id", "ID corso", _a("course_id"), "Training Hub"),
        Column("plan_code", "Codice piano", _a("plan_code"), "Training Hub"),
        Column("plan_title", "Titolo piano", _a("plan_title"), "Training Hub"),
        Column("action_title", "Corso", _a("title"), "Training Hub"),
        Column("action_starts_on", "Inizio", _a("starts_on"), "Training Hub"),
        Column("action_ends_on", "Fine", _a("ends_on"), "Training Hub"),
        Column("full_name", "Nominativo", _p("full_name"), "Training Hub"),
        Column("email", "E-mail", _p("email"), "Training Hub"),
        *ALL,
    ),
    confirmed=True,
    source="Training Hub: ogni campo, per i controlli dell'ufficio formazione",
)

LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in (FONCOOP, FONDIMPRESA, GENERIC)}


def participant_rows(layout: Layout | str, lines: Iterable[ExportLine]) -> list[list[Any]]:
    """One row per participant and action, the layout's columns in order."""
    chosen = LAYOUTS[layout] if isinstance(layout, str) else layout
    return [[column.value(line) for column in chosen.columns] for line in lines]


def as_text(value: Any) -> str:
    """A value as an Italian CSV shows it: 02/12/2026, 8,00, empty for None."""
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return str(value)
