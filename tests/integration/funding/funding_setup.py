"""Building blocks for the funding tests: a Fon.Coop plan with actions, sessions and participants."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_person,
    make_session,
)
from tests.support import rome
from training_hub.core.codice_fiscale import check_character
from training_hub.core.tables import Attendance, Cooperative, Course, Enrolment, Person, Session
from training_hub.funding.tables import FundedAction, FundedPlan, ParticipantFundData

# A valid company: partita IVA with its check digit, 10-digit INPS number, full ATECO, size.
GOOD_COMPANY = {"tax_code": "01234567897", "vat_number": "01234567897", "inps_number": "4912345678",
                "ateco": "88.10.00", "size": "piccola"}
_serial = itertools.count()
MONTHS = "ABCDEHLMPRST"


def new_codice_fiscale() -> str:
    """A valid, unused codice fiscale (born in Milan, F205), a new one at every call."""
    n = next(_serial)
    first = f"RSSMRA{60 + n // 336 % 40:02d}{MONTHS[n // 28 % 12]}{n % 28 + 1:02d}F205"
    return first + check_character(first)


@dataclass
class PlanSetup:
    plan: FundedPlan
    trainer: Person
    cooperative: Cooperative
    courses: list[Course] = field(default_factory=list)
    sessions: dict[int, list[Session]] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    enrolments: dict[tuple[int, int], Enrolment] = field(default_factory=dict)


async def fund_data(person: Person, **values) -> None:
    await ParticipantFundData.insert(ParticipantFundData(**{
        "person": person.id, "family_name": person.full_name.split()[-1],
        "given_names": person.full_name.split()[0], "citizenship": "IT", "education_level": "diploma",
        "contract_type": "tempo_indeterminato", "job_grade": "impiegato", "ccnl": "Cooperative sociali",
        "ccnl_level": "C1", "hire_date": date(2015, 3, 1), "hourly_cost": Decimal("20.00"), **values}))


async def plan_setup(*, actions: int = 1, participants: int = 2, sessions: int = 5, minutes: int = 120,
                     first_start: datetime | None = None, complete: bool = True, cooperative=None,
                     code: str = "AVV-1-2026-PIANO-42") -> PlanSetup:
    cooperative = cooperative or await make_cooperative(**(GOOD_COMPANY if complete else {}))
    trainer = await make_person("trainer", full_name="Marco Bianchi")
    plan = FundedPlan(fund="foncoop", channel="Avviso 1/2026", code=code, title="Competenze per il sociale",
                      starts_on=date(2026, 9, 1), ends_on=date(2027, 6, 30), aid_regime="de_minimis")
    await plan.save()
    setup = PlanSetup(plan=plan, trainer=trainer, cooperative=cooperative)
    for n in range(participants):
        person = await make_person("worker", cooperative=cooperative, full_name=f"Persona{n} Cognome{n}",
                                   codice_fiscale=new_codice_fiscale() if complete else None)
        if complete:
            await fund_data(person)
        setup.people.append(person)
    start = first_start or rome(date(2026, 11, 2), 9)
    location = await make_location(name="Sala Corsi", comune="Milano")
    for a in range(actions):
        course = await make_course(trainers=[trainer], title=f"Azione {a + 1}")
        await FundedAction.insert(FundedAction(plan=plan.id, course=course.id, action_code=f"A{a + 1}"))
        setup.courses.append(course)
        setup.sessions[course.id] = [await make_session(course, start + timedelta(days=7 * i + a), minutes=minutes,
                                                                location=location.id)
                                     for i in range(sessions)]
        for person in setup.people:
            setup.enrolments[(course.id, person.id)] = await make_enrolment(person, course)
    return setup


async def attend(session: Session, enrolment: Enrolment, minutes: int, status: str = "present") -> None:
    await Attendance.delete().where((Attendance.session == session.id) & (Attendance.enrolment == enrolment.id))
    await Attendance.insert(Attendance(session=session.id, enrolment=enrolment.id, status=status, minutes=minutes))
