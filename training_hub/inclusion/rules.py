"""The legal rules of inclusion pathways, as data with their sources and pure functions over plain values.

Nothing here touches the database or a request, so every rule is tested with the dates of the issue.

Sources
-------
* **L. 381/1991 art. 4** (cooperative sociali, "persone svantaggiate"), c. 1 as amended by L. 22/06/2000
  n. 193 art. 1: the categories below. C. 2: disadvantaged people are at least 30% of a type-B
  cooperative's workers and "la condizione di persona svantaggiata deve risultare da documentazione
  proveniente dalla pubblica amministrazione, fatto salvo il diritto alla riservatezza" — which is why a
  pathway stores a category code and the *reference* of the public document (body, protocol number,
  date), never a diagnosis or the document itself. The 1991 wording of c. 1 and c. 2 was read in the
  Gazzetta Ufficiale's text; the 2000 wording of the prisoners' category is from secondary sources.
* **Tirocini di inclusione** — Accordo Stato-Regioni 22/01/2015 (Rep. Atti 7/CSR), "Linee guida per i
  tirocini di orientamento, formazione e inserimento/reinserimento finalizzati all'inclusione sociale,
  all'autonomia delle persone e alla riabilitazione", received in Lombardy by DGR X/5451 of 25/07/2016
  (convenzione between promoter and host, progetto personalizzato signed by every party). Maximum
  24 months, a longer pathway only by a recorded derogation on the services' assessment. The Accordo
  and the DGR were identified in public sources; the 24-month figure and the derogation come from
  research/italian-rules.md and could not be read in the text of the rule here (secondary source).
* **Tirocini extracurricolari** — DGR Lombardia X/7763 of 17/01/2018, "Indirizzi regionali in materia
  di tirocini", which receives the Accordo Stato-Regioni 25/05/2017 (Rep. Atti 86/CSR): at most
  12 months, extensions included, for disadvantaged people (L. 381/1991) and 24 months for people with
  disabilities (L. 68/1999 art. 1 c. 1). The same two figures are in other Regions' laws receiving the
  same Accordo (e.g. L.R. Emilia-Romagna 17/2005 art. 25 c. 3 as replaced in 2019). No derogation:
  the limit includes every extension.
* **Weekly hours** — never more than a full-time worker's normal hours, 40 a week (D.Lgs. 66/2003 art. 3
  c. 1): a trainee is not asked more than an employee.

Which categories count as disability for the 24 months of an extracurricular traineeship: the three
"invalidi" categories of art. 4 (physical, mental, sensory), the people L. 68/1999 art. 1 c. 1 protects.
The others are disadvantaged people (12 months).

Month arithmetic
----------------
A pathway runs from ``starts_on`` to ``ends_on``, **both days included** (a six-month traineeship runs
1 March – 31 August). "At most N months" means ``ends_on`` is no later than the day before the day with
the same number N months after the start; when that day does not exist in its month (31 January + 1
month), the N months end on the last day of that month. So 01/12/2026 + 24 months may end on 30/11/2028
but not on 01/12/2028; 31/01/2027 + 1 month ends on 28/02/2027; 29/02/2028 + 12 months on 28/02/2029.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from training_hub.core.errors import FieldMessage
from training_hub.core.i18n import N_, format_date, gettext

# Pathway types -------------------------------------------------------------------------------------


class PathwayType(StrEnum):
    TIROCINIO_INCLUSIONE = "tirocinio_inclusione"
    TIROCINIO_EXTRACURRICOLARE = "tirocinio_extracurricolare"
    INSERIMENTO_LAVORATIVO = "inserimento_lavorativo"
    DOTE = "dote"


PATHWAY_TYPE_LABELS = {
    PathwayType.TIROCINIO_INCLUSIONE.value: N_("Tirocinio di inclusione"),
    PathwayType.TIROCINIO_EXTRACURRICOLARE.value: N_("Tirocinio extracurricolare"),
    PathwayType.INSERIMENTO_LAVORATIVO.value: N_("Inserimento lavorativo"),
    PathwayType.DOTE.value: N_("Dote"),
}
# Traineeships have an end date by nature; an employment or a dote may be open-ended.
END_REQUIRED_TYPES = frozenset({PathwayType.TIROCINIO_INCLUSIONE.value, PathwayType.TIROCINIO_EXTRACURRICOLARE.value})


# Eligibility categories (L. 381/1991 art. 4 c. 1) --------------------------------------------------


@dataclass(frozen=True)
class EligibilityCategory:
    code: str
    label: str  # an Italian msgid
    disability: bool  # a person with disability under L. 68/1999 art. 1 c. 1 (24 months extracurricular)
    criminal: bool = False  # data about convictions: GDPR art. 10, on top of art. 9


ART_4 = "L. 381/1991 art. 4 c. 1"
ELIGIBILITY_CATEGORIES: tuple[EligibilityCategory, ...] = (
    EligibilityCategory("invalidi_fisici", N_("Invalidi fisici"), disability=True),
    EligibilityCategory("invalidi_psichici", N_("Invalidi psichici"), disability=True),
    EligibilityCategory("invalidi_sensoriali", N_("Invalidi sensoriali"), disability=True),
    EligibilityCategory("ex_degenti_psichiatrici", N_("Ex degenti di ospedali psichiatrici, anche giudiziari"),
                        disability=False),
    EligibilityCategory("trattamento_psichiatrico", N_("Soggetti in trattamento psichiatrico"), disability=False),
    EligibilityCategory("tossicodipendenti", N_("Tossicodipendenti"), disability=False),
    EligibilityCategory("alcolisti", N_("Alcolisti"), disability=False),
    EligibilityCategory("minori_difficolta_familiare",
                        N_("Minori in età lavorativa in situazioni di difficoltà familiare"), disability=False),
    EligibilityCategory(
        "detenuti_misure_alternative",
        N_("Persone detenute o internate, condannati e internati ammessi alle misure alternative alla "
           "detenzione o al lavoro all'esterno"),
        disability=False, criminal=True,
    ),
    EligibilityCategory("altri_dpcm", N_("Altre persone svantaggiate indicate con decreto del Presidente del "
                                         "Consiglio dei Ministri"), disability=False),
)
CATEGORIES_BY_CODE = {category.code: category for category in ELIGIBILITY_CATEGORIES}


def category_label(code: str | None) -> str:
    category = CATEGORIES_BY_CODE.get(code or "")
    return gettext(category.label) if category else ""


def pathway_type_label(code: str | None) -> str:
    return gettext(PATHWAY_TYPE_LABELS[code]) if code in PATHWAY_TYPE_LABELS else ""


# Durations --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DurationLimit:
    months: int
    source: str
    derogable: bool


INCLUSION_TRAINEESHIP_LIMIT = DurationLimit(
    24, "Accordo Stato-Regioni 22/01/2015 (Rep. Atti 7/CSR); DGR Lombardia X/5451 del 25/07/2016", derogable=True
)
EXTRACURRICULAR_DISADVANTAGED_LIMIT = DurationLimit(
    12, "DGR Lombardia X/7763 del 17/01/2018 (Accordo Stato-Regioni 25/05/2017, Rep. Atti 86/CSR)", derogable=False
)
EXTRACURRICULAR_DISABLED_LIMIT = DurationLimit(
    24, "DGR Lombardia X/7763 del 17/01/2018 (Accordo Stato-Regioni 25/05/2017, Rep. Atti 86/CSR)", derogable=False
)
MIN_WEEKLY_HOURS = 1
MAX_WEEKLY_HOURS = 40  # D.Lgs. 66/2003 art. 3 c. 1


def duration_limit(pathway_type: str, category_code: str | None) -> DurationLimit | None:
    """The longest a pathway of this type may last for a person of this category (None: no limit here)."""
    if pathway_type == PathwayType.TIROCINIO_INCLUSIONE.value:
        return INCLUSION_TRAINEESHIP_LIMIT
    if pathway_type == PathwayType.TIROCINIO_EXTRACURRICOLARE.value:
        category = CATEGORIES_BY_CODE.get(category_code or "")
        if category is not None and category.disability:
            return EXTRACURRICULAR_DISABLED_LIMIT
        return EXTRACURRICULAR_DISADVANTAGED_LIMIT
    return None


def months_later_or_next(day: date, months: int) -> date:
    """The day with ``day``'s number ``months`` months later; when that month is too short, the first
    day of the month after it (so the day before it is that month's last day)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if day.day <= calendar.monthrange(year, month)[1]:
        return date(year, month, day.day)
    return date(year + (month == 12), month % 12 + 1, 1)


def last_day_within(starts_on: date, months: int) -> date:
    """The last day (included) of a pathway of ``months`` months starting on ``starts_on``."""
    return months_later_or_next(starts_on, months) - timedelta(days=1)


DURATION_TOO_LONG = N_(
    "Il percorso supera la durata massima di %(months)d mesi (%(source)s): può terminare al più tardi il "
    "%(last)s. Per una durata maggiore indica il motivo della deroga."
)
DURATION_TOO_LONG_NO_DEROGATION = N_(
    "Il percorso supera la durata massima di %(months)d mesi, proroghe comprese (%(source)s): può terminare "
    "al più tardi il %(last)s."
)
END_BEFORE_START = N_("La data di fine non può precedere la data di inizio.")
END_REQUIRED = N_("Per un tirocinio indica la data di fine.")
DEROGATION_NOT_NEEDED = N_("La durata rientra nel massimo previsto: non serve una deroga, lascia vuoto il motivo.")


def check_duration(
    pathway_type: str,
    category_code: str | None,
    starts_on: date | None,
    ends_on: date | None,
    derogation_reason: str,
) -> dict[str, str]:
    """Field → message for the dates of a pathway (empty when they are acceptable).

    A traineeship needs an end date; the end is never before the start; beyond the limit of its type a
    traineeship of inclusion needs a derogation reason, an extracurricular one is refused outright; a
    derogation reason given when none is needed is refused too, so the record never claims a derogation
    that did not happen.
    """
    errors: dict[str, str] = {}
    if starts_on is None:
        return errors
    if ends_on is None:
        if pathway_type in END_REQUIRED_TYPES:
            errors["ends_on"] = END_REQUIRED
        elif derogation_reason:
            errors["derogation_reason"] = DEROGATION_NOT_NEEDED
        return errors
    if ends_on < starts_on:
        errors["ends_on"] = END_BEFORE_START
        return errors
    limit = duration_limit(pathway_type, category_code)
    last = last_day_within(starts_on, limit.months) if limit else None
    if limit is None or last is None or ends_on <= last:
        if derogation_reason:
            errors["derogation_reason"] = DEROGATION_NOT_NEEDED
        return errors
    params = {"months": limit.months, "source": limit.source, "last": format_date(last)}
    if not limit.derogable:
        errors["ends_on"] = FieldMessage(DURATION_TOO_LONG_NO_DEROGATION, **params)
    elif not derogation_reason:
        errors["ends_on"] = FieldMessage(DURATION_TOO_LONG, **params)
    return errors


# Reviews, competences, outcome --------------------------------------------------------------------


class ObjectiveLevel(StrEnum):
    REACHED = "raggiunto"
    PARTLY = "parzialmente_raggiunto"
    NOT_REACHED = "non_raggiunto"
    NOT_ASSESSED = "non_valutato"


OBJECTIVE_LEVEL_LABELS = {
    ObjectiveLevel.REACHED.value: N_("Raggiunto"),
    ObjectiveLevel.PARTLY.value: N_("Parzialmente raggiunto"),
    ObjectiveLevel.NOT_REACHED.value: N_("Non raggiunto"),
    ObjectiveLevel.NOT_ASSESSED.value: N_("Non valutato"),
}


class EvidenceKind(StrEnum):
    COURSE = "corso"
    ASSESSMENT = "valutazione"
    OBSERVATION = "osservazione"


EVIDENCE_KIND_LABELS = {
    EvidenceKind.COURSE.value: N_("Corso frequentato"),
    EvidenceKind.ASSESSMENT.value: N_("Valutazione"),
    EvidenceKind.OBSERVATION.value: N_("Osservazione sul lavoro"),
}


class Outcome(StrEnum):
    HIRED = "assunzione"
    EXTENDED = "proroga"
    FINISHED = "concluso"
    INTERRUPTED = "interrotto"


OUTCOME_LABELS = {
    Outcome.HIRED.value: N_("Assunzione"),
    Outcome.EXTENDED.value: N_("Proroga"),
    Outcome.FINISHED.value: N_("Concluso"),
    Outcome.INTERRUPTED.value: N_("Interrotto"),
}
# An interruption is the one outcome that must say why (the services and the fund ask for it).
OUTCOME_NEEDS_REASON = frozenset({Outcome.INTERRUPTED.value})


def label_of(mapping: Mapping[str, str], code: str | None) -> str:
    return gettext(mapping[code]) if code in mapping else ""


def review_overdue(next_review_on: date | None, today: date, *, concluded: bool) -> bool:
    """A review is overdue the day after the planned date, while the pathway has no outcome yet."""
    return not concluded and next_review_on is not None and next_review_on < today


class Stage(StrEnum):
    PLANNED = "da_avviare"
    RUNNING = "in_corso"
    ENDED = "terminato"  # past its end date, outcome not recorded yet
    CONCLUDED = "concluso"  # an outcome is recorded


STAGE_LABELS = {
    Stage.PLANNED.value: N_("Da avviare"),
    Stage.RUNNING.value: N_("In corso"),
    Stage.ENDED.value: N_("Terminato, esito da registrare"),
    Stage.CONCLUDED.value: N_("Concluso"),
}


def stage(starts_on: date, ends_on: date | None, outcome: str | None, today: date) -> str:
    if outcome:
        return Stage.CONCLUDED.value
    if today < starts_on:
        return Stage.PLANNED.value
    if ends_on is not None and ends_on < today:
        return Stage.ENDED.value
    return Stage.RUNNING.value


# Aggregates: groups of at least 5 -----------------------------------------------------------------

MIN_GROUP = 5
OTHER_GROUP = "altri"


@dataclass(frozen=True)
class Group:
    """One line of an aggregate: ``keys`` are the values merged into it (one, unless it is "other")."""

    key: str
    keys: tuple[str, ...]
    count: int


def merge_small_groups(counts: Mapping[str, int] | Iterable[tuple[str, int]], minimum: int = MIN_GROUP) -> list[Group]:
    """Counts with no group smaller than ``minimum``: a report must never let anyone single out a person.

    Groups below ``minimum`` are merged into one "other" group. If that group is itself below
    ``minimum`` (but not empty), the smallest shown group joins it, so that neither can be told apart
    by subtracting from the total; repeat until it holds at least ``minimum``. When everything together
    is below ``minimum`` nothing is shown at all (an empty list). Groups of zero vanish.
    """
    items = [(key, count) for key, count in (counts.items() if isinstance(counts, Mapping) else counts) if count > 0]
    if sum(count for _, count in items) < minimum:
        return []
    shown = sorted(((key, count) for key, count in items if count >= minimum), key=lambda item: (-item[1], item[0]))
    merged = [(key, count) for key, count in items if count < minimum]
    while merged and sum(count for _, count in merged) < minimum and shown:
        merged.append(shown.pop())  # the smallest shown group (ties: the last by name)
    groups = [Group(key, (key,), count) for key, count in shown]
    if merged:
        groups.append(Group(OTHER_GROUP, tuple(sorted(key for key, _ in merged)), sum(count for _, count in merged)))
    return groups
