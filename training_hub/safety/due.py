"""The refresh tracker's rules (scadenzario): plain data in, plain data out, no database.

Given a person's safety roles, their cooperative's risk class and headcount, and the trainings they
completed (course type, end date on the attestato, hours), :func:`safety_status` answers, for every
requirement the roles bring, ``missing``, ``overdue``, ``due_soon`` or ``valid`` with the date of the
last training that counts, the due date and the hours due. :func:`refresher_needs` groups the
refreshers falling due by cooperative and course type, for the training needs of the year. Sources are
abbreviated as in :mod:`training_hub.safety.course_types` (ASR = Accordo Stato-Regioni 17/04/2025).

The rules, and why
------------------
* **Who needs what.** A worker needs the general course and the specific course of the cooperative's
  risk class (ASR P. II 2.1). A preposto needs both as well — the preposto course is open only to who
  has them (P. II 2.2) — plus the preposto course. Dirigenti, datori di lavoro, RLS, fire wardens (by
  level) and first aiders (by group) need their own course. RSPP and ASPP bring no requirement yet.
* **Only a course for this requirement counts**, never one for another role ("la partecipazione a
  corsi … finalizzati all'ottenimento e/o all'aggiornamento di qualifiche specifiche … non è da
  ritenersi valida", ASR P. III); the "cantieri" modules count for nothing (P. III). Within a
  requirement a course of a higher risk class, level or group counts for a lower one — the durations
  are minimums (P. II 1) and the higher programmes contain the lower ones: our reading, no text says
  it. The general course is also given by the dirigente, datore di lavoro and RLS courses ("TOTALE"
  credit in ASR Allegato III, matrix of p. 130; secondary source: read on a transcription).
* **The clock** starts at the end date on the attestato (P. III 1.1) and runs the requirement's
  period: 5 years for workers, dirigenti and datori, 2 for preposti, 1 for the RLS, 5 for fire wardens
  (DM 2/9/2021 art. 5 c. 5), 3 for first aiders (DM 388/2003 art. 3 c. 5); the general course never
  expires ("credito formativo permanente", P. II 2.1). A refresher restarts it once the hours due are
  reached — one attestato of 6 hours, or sessions of one refresher project entered separately (FAQ
  interregionali 31/07/2025 n. 53 allow a refresher spread over time) — dated at the last of them.
  Taking the first course again restarts it too.
* **A late refresher restores the credit** if it comes within 10 years of the due date ("L'assenza, nei
  limiti di 10 anni, della regolare frequenza ai corsi di aggiornamento non fa venir meno il credito
  formativo", P. III; for every figure, FAQ interregionali 27/03/2026 quesito 8). Beyond that the
  credit is lost: a later refresher restores nothing and the first course is ``missing`` again.
* **Transitional rules.** Preposti whose last course or refresher ended more than two years before the
  Accordo's entry into force must refresh within 12 months of it, the others within 24 months (P. VII:
  "L'obbligo di aggiornamento per il preposto, per il quale il corso di formazione o aggiornamento sia
  stato erogato da più di 2 anni dalla data di entrata in vigore del presente accordo, dovrà essere
  ottemperato entro 12 mesi"; the 24 months for the others are the reading of the FAQ of Regione Veneto:
  trained before 23/05/2023 → by 24/05/2026, from 24/05/2023 to 23/05/2025 → by 24/05/2027). The
  FAQ leave 23/05/2023 itself in neither band; it falls here in the stricter one. Datori di lavoro must
  complete their course within 24 months of the entry into force (P. VII): their missing course is due
  then. Fire wardens whose last training ended more than 5 years before the DM 2/9/2021 came into force
  (04/10/2022) had to refresh within 12 months of it (DM art. 7 c. 2). The entry into force of the
  Accordo is a setting (``TRAINING_HUB_ASR_2025_IN_FORCE``): sources say 24 or 19 May 2025.
* **RLS hours** depend on the cooperative's headcount: 4 a year from 15 to 50 workers, 8 above 50; below
  15 the collective agreement decides and no figure is given (art. 37 c. 11, L. 198/2025).
* **Status.** ``overdue`` the day after the due date (the refresher is due "entro" that day);
  ``due_soon`` when the due date is at most ``due_soon_days`` away (a setting, 90 by default).
* **Adding years** follows the civil calendar (art. 2963 c. 4-5 c.c., art. 155 c. 2 c.p.c.): the term
  ends on the same day of the final month, or on its last day when that day does not exist, so 29
  February + N years is 28 February in a year that is not a leap year. (The shift of a term falling on
  a holiday, art. 2963 c. 3, concerns prescription and is not applied.)
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from training_hub.core.i18n import N_
from training_hub.safety import course_types as ct
from training_hub.safety import roles as r
from training_hub.safety.course_types import CourseType, course_types_for, find_course_type
from training_hub.safety.roles import RoleHeld
from training_hub.safety.trainings import CompletedTraining

if TYPE_CHECKING:
    from training_hub.core.settings import Settings

MISSING = "missing"
OVERDUE = "overdue"
DUE_SOON = "due_soon"
VALID = "valid"
STATUSES = (MISSING, OVERDUE, DUE_SOON, VALID)
STATUS_LABELS = {
    MISSING: N_("Mancante"),
    OVERDUE: N_("Scaduto"),
    DUE_SOON: N_("In scadenza"),
    VALID: N_("Valido"),
}
REQUIREMENT_LABELS = {
    ct.GENERAL: N_("Formazione generale lavoratori"),
    ct.SPECIFIC: N_("Formazione specifica lavoratori"),
    ct.PREPOSTO: N_("Preposto"),
    ct.DIRIGENTE: N_("Dirigente"),
    ct.DATORE_LAVORO: N_("Datore di lavoro"),
    ct.RLS: N_("RLS"),
    ct.ANTINCENDIO: N_("Antincendio"),
    ct.PRIMO_SOCCORSO: N_("Primo soccorso"),
}
# The order requirements are listed in.
REQUIREMENTS = tuple(REQUIREMENT_LABELS)

# ASR P. III (and FAQ interregionali 27/03/2026, quesito 8): a late refresher restores the credit within
# 10 years; after that the first course has to be taken again.
CREDIT_KEPT_YEARS = 10
# ASR P. VII: the preposti's refresher is due 12 months after the entry into force when their last
# training ended more than 2 years before it, else 24 months after (FAQ Regione Veneto).
PREPOSTO_TRANSITION_OLD_YEARS = 2
PREPOSTO_TRANSITION_OLD_DUE_YEARS = 1
PREPOSTO_TRANSITION_RECENT_DUE_YEARS = 2
# ASR P. VII: "i datori di lavoro sono tenuti a frequentare il corso … concluso entro e non oltre il termine
# di 24 mesi dall'entrata in vigore del presente accordo".
DATORE_FIRST_COURSE_MONTHS = 24
# DM 2/9/2021 art. 8 (in force one year after its publication in GU of 04/10/2021) and art. 7 c. 2.
DM_ANTINCENDIO_2021_IN_FORCE = date(2022, 10, 4)
ANTINCENDIO_TRANSITION_OLD_YEARS = 5
ANTINCENDIO_TRANSITION_DUE_MONTHS = 12

# Who needs what (see the module docstring).
ROLE_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    r.WORKER: (ct.GENERAL, ct.SPECIFIC),
    r.PREPOSTO: (ct.GENERAL, ct.SPECIFIC, ct.PREPOSTO),
    r.DIRIGENTE: (ct.DIRIGENTE,),
    r.DATORE_LAVORO: (ct.DATORE_LAVORO,),
    r.RLS: (ct.RLS,),
    r.ANTINCENDIO: (ct.ANTINCENDIO,),
    r.PRIMO_SOCCORSO: (ct.PRIMO_SOCCORSO,),
    r.RSPP: (),
    r.ASPP: (),
}
# ASR Allegato III, matrix of p. 130 (secondary source): courses of other figures that give the first
# course of a requirement with "TOTALE" credit, unconditionally.
FIRST_COURSE_CREDITS: dict[str, tuple[str, ...]] = {
    ct.GENERAL: ("dirigente", "datore_lavoro", "rls"),
}
# A higher class, level or group covers a lower one (our reading, see the module docstring).
LEVEL_RANK = {
    r.RISK_LOW: 1, r.RISK_MEDIUM: 2, r.RISK_HIGH: 3,
    "1": 1, "2": 2, "3": 3,
    "bc": 1, "a": 2,
}


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` civil months: the same day of the final month, or its last day when the
    month is shorter (art. 2963 c. 4-5 c.c.). Negative ``months`` count back the same way."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_years(day: date, years: int) -> date:
    """``day`` plus ``years`` civil years: 29/02/2024 + 5 years is 28/02/2029 (art. 2963 c. 5 c.c.)."""
    return add_months(day, 12 * years)


@dataclass(frozen=True)
class Policy:
    """The figures of the rules that are settings rather than law."""

    asr_2025_in_force: date
    due_soon_days: int = 90

    def __post_init__(self) -> None:
        if self.due_soon_days < 0:
            raise ValueError("due_soon_days cannot be negative")


def policy_from_settings(settings: Settings) -> Policy:
    return Policy(asr_2025_in_force=settings.asr_2025_in_force, due_soon_days=settings.safety_due_soon_days)


@dataclass(frozen=True)
class Requirement:
    """One tracker line of a person, resolved for their level and cooperative.

    ``first_courses`` / ``refreshers`` are the course types that count; ``first_course`` / ``refresher``
    the ones to take (None when unknown: the cooperative's risk class is not set).
    """

    code: str
    level: str | None
    first_courses: frozenset[str]
    refreshers: frozenset[str]
    first_course: str | None
    refresher: str | None
    refresh_years: int | None
    refresh_hours: int | None


@dataclass(frozen=True)
class RequirementStatus:
    """Where a person stands on one requirement; ``course_type`` is the course to take next."""

    requirement: str
    level: str | None
    status: str
    last_completed_on: date | None
    due_on: date | None
    hours_due: float | None
    course_type: str | None


def _covers(course_level: str | None, required_level: str | None) -> bool:
    if required_level is None or course_level is None:
        return True
    course_rank, required_rank = LEVEL_RANK.get(course_level), LEVEL_RANK.get(required_level)
    if course_rank is None or required_rank is None:  # a level the checks should have refused
        return course_level == required_level
    return course_rank >= required_rank


def _only(courses: Iterable[CourseType]) -> CourseType | None:
    found = list(courses)
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=4096)
def build_requirement(code: str, level: str | None, headcount: int | None = None) -> Requirement:
    """The requirement ``code`` for the given risk class / level / group and cooperative headcount
    (pure and frozen: computed once per combination, a tracker of thousands of people asks again and
    again)."""
    courses = course_types_for(code)
    first = _only(c for c in courses if not c.is_refresher and c.level == level)
    refresher = _only(c for c in courses if c.is_refresher and c.level in (level, None))
    # Without a level (not entered yet) the period is still known when every level shares it; the hours
    # are not.
    periods = {c.refresh_years for c in courses if c.is_refresher}
    return Requirement(
        code=code,
        level=level,
        first_courses=frozenset(
            [c.code for c in courses if not c.is_refresher and _covers(c.level, level)]
            + list(FIRST_COURSE_CREDITS.get(code, ()))
        ),
        refreshers=frozenset(c.code for c in courses if c.is_refresher and _covers(c.level, level)),
        first_course=first.code if first else None,
        refresher=refresher.code if refresher else None,
        refresh_years=refresher.refresh_years if refresher else (periods.pop() if len(periods) == 1 else None),
        refresh_hours=refresher.refresh_hours_for(headcount) if refresher else None,
    )


def requirements_for(roles: Iterable[RoleHeld], risk_class: str | None, headcount: int | None) -> list[Requirement]:
    """The requirements a person's roles bring, each once, in the order of :data:`REQUIREMENTS`."""
    levels: dict[str, str | None] = {}
    for held in roles:
        for code in ROLE_REQUIREMENTS.get(held.role, ()):
            if code == ct.SPECIFIC:
                levels[code] = risk_class
            elif code in (ct.ANTINCENDIO, ct.PRIMO_SOCCORSO):
                levels[code] = held.level
            else:
                levels[code] = None
    return [build_requirement(code, levels[code], headcount) for code in REQUIREMENTS if code in levels]


def due_date(requirement: Requirement, started_on: date, policy: Policy) -> date | None:
    """When the training that started (or restarted) the clock on ``started_on`` must be refreshed."""
    if requirement.refresh_years is None:
        return None
    if requirement.code == ct.PREPOSTO and started_on < policy.asr_2025_in_force:
        return preposto_transitional_due(started_on, policy.asr_2025_in_force)
    if requirement.code == ct.ANTINCENDIO and started_on < add_years(
        DM_ANTINCENDIO_2021_IN_FORCE, -ANTINCENDIO_TRANSITION_OLD_YEARS
    ):  # more than 5 years before the DM came into force (art. 7 c. 2): within 12 months of it
        return add_months(DM_ANTINCENDIO_2021_IN_FORCE, ANTINCENDIO_TRANSITION_DUE_MONTHS)
    return add_years(started_on, requirement.refresh_years)


def preposto_transitional_due(last_training_on: date, in_force: date) -> date:
    """The refresher deadline of a preposto whose last course or refresher ended before the Accordo's
    entry into force (ASR P. VII; dates of the FAQ of Regione Veneto, see the module docstring)."""
    if last_training_on < add_years(in_force, -PREPOSTO_TRANSITION_OLD_YEARS):
        return add_years(in_force, PREPOSTO_TRANSITION_OLD_DUE_YEARS)
    return add_years(in_force, PREPOSTO_TRANSITION_RECENT_DUE_YEARS)


def first_course_deadline(requirement: Requirement, policy: Policy) -> date | None:
    """The date a missing first course is due by, where a transitional rule gives one."""
    if requirement.code == ct.DATORE_LAVORO:
        return add_months(policy.asr_2025_in_force, DATORE_FIRST_COURSE_MONTHS)
    return None


@dataclass(frozen=True)
class _Cycle:
    started_on: date | None  # the end date of the training the clock runs from; None: no first course
    minutes_done: int  # refresher minutes completed since, not yet enough to restart the clock


def _replay(requirement: Requirement, trainings: Iterable[CompletedTraining], policy: Policy) -> _Cycle:
    """Walk the trainings in date order (a first course before a refresher of the same day)."""
    counted = sorted(
        (t for t in trainings if t.course_type in requirement.first_courses or t.course_type in requirement.refreshers),
        key=lambda t: (t.completed_on, t.course_type in requirement.refreshers),
    )
    started_on: date | None = None
    minutes_done = 0
    needed = requirement.refresh_hours * 60 if requirement.refresh_hours is not None else None
    for training in counted:
        if training.course_type in requirement.first_courses:
            started_on, minutes_done = training.completed_on, 0
            continue
        if started_on is None:
            continue  # a refresher of a course never taken refreshes nothing
        due_on = due_date(requirement, started_on, policy)
        if due_on is None or training.completed_on > add_years(due_on, CREDIT_KEPT_YEARS):
            continue  # nothing to refresh, or the credit was already lost
        minutes_done += training.minutes
        if needed is None or minutes_done >= needed:
            started_on, minutes_done = training.completed_on, 0
    return _Cycle(started_on, minutes_done)


def _hours(minutes: int) -> float:
    return round(minutes / 60, 2)


def evaluate(requirement: Requirement, trainings: Iterable[CompletedTraining], today: date,
             policy: Policy) -> RequirementStatus:
    """Where a person stands on ``requirement`` on ``today``."""
    cycle = _replay(requirement, trainings, policy)
    first = find_course_type(requirement.first_course)

    def missing(last_completed_on: date | None, due_on: date | None) -> RequirementStatus:
        return RequirementStatus(
            requirement.code, requirement.level, MISSING, last_completed_on, due_on,
            float(first.min_hours) if first else None, requirement.first_course,
        )

    if cycle.started_on is None:
        return missing(None, first_course_deadline(requirement, policy))
    due_on = due_date(requirement, cycle.started_on, policy)
    if due_on is None:
        return RequirementStatus(requirement.code, requirement.level, VALID, cycle.started_on, None, None, None)
    if today > add_years(due_on, CREDIT_KEPT_YEARS):
        return missing(cycle.started_on, None)
    hours_due = (
        _hours(max(requirement.refresh_hours * 60 - cycle.minutes_done, 0))
        if requirement.refresh_hours is not None else None
    )
    if today > due_on:
        status = OVERDUE
    elif (due_on - today).days <= policy.due_soon_days:
        status = DUE_SOON
    else:
        status = VALID
    return RequirementStatus(
        requirement.code, requirement.level, status, cycle.started_on, due_on, hours_due, requirement.refresher
    )


def safety_status(
    roles: Iterable[RoleHeld],
    trainings: Sequence[CompletedTraining],
    *,
    risk_class: str | None,
    headcount: int | None,
    today: date,
    policy: Policy,
) -> list[RequirementStatus]:
    """Every requirement of a person, in the order of :data:`REQUIREMENTS`."""
    return [
        evaluate(requirement, trainings, today, policy)
        for requirement in requirements_for(roles, risk_class, headcount)
    ]


@dataclass(frozen=True)
class PersonRequirement:
    """One row of a cooperative's tracker: a person's status on one requirement."""

    person_id: int
    cooperative_id: int | None
    status: RequirementStatus


@dataclass(frozen=True)
class RefresherNeed:
    """People of one cooperative whose refresher of one course type falls due (or is overdue)."""

    cooperative_id: int | None
    course_type: str
    person_ids: tuple[int, ...]
    overdue: int
    earliest_due_on: date
    hours: float | None

    @property
    def people(self) -> int:
        return len(self.person_ids)


def refresher_needs(rows: Iterable[PersonRequirement], today: date, months: int = 12) -> list[RefresherNeed]:
    """The refreshers falling due within ``months`` of ``today``, grouped by cooperative and course type.

    Overdue refreshers (still within the 10 years that keep the credit) are needs too — they are the
    most urgent — and are counted in ``overdue``; a missing first course is not a refresher and is left
    to the tracker. ``hours`` is the most any of the people still owes. Sorted by cooperative, then by
    the earliest due date.
    """
    horizon = add_months(today, months)
    groups: dict[tuple[int | None, str], list[PersonRequirement]] = {}
    for row in rows:
        status = row.status
        course = find_course_type(status.course_type)
        if status.status == MISSING or course is None or not course.is_refresher or status.due_on is None:
            continue
        if status.due_on > horizon:
            continue
        groups.setdefault((row.cooperative_id, course.code), []).append(row)
    needs = []
    for (cooperative_id, code), members in groups.items():
        hours = [m.status.hours_due for m in members if m.status.hours_due is not None]
        needs.append(RefresherNeed(
            cooperative_id=cooperative_id,
            course_type=code,
            person_ids=tuple(sorted({m.person_id for m in members})),
            overdue=sum(1 for m in members if m.status.status == OVERDUE),
            earliest_due_on=min(m.status.due_on for m in members if m.status.due_on is not None),
            hours=max(hours) if hours else None,
        ))
    order = {code: index for index, code in enumerate(ct.COURSE_TYPE_CODES)}
    needs.sort(key=lambda n: (n.cooperative_id is None, n.cooperative_id or 0, n.earliest_due_on,
                              order[n.course_type]))
    return needs
