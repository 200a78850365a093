"""Rows for the refresh tracker's tests, inserted directly (the forms that record them are another
feature): safety roles, attestati obtained elsewhere, a cooperative's risk class and headcount, and a
safety course held here that is over, with attendance and the final test."""

from __future__ import annotations

from datetime import date, timedelta

from tests.factories import make_course, make_enrolment, make_path, make_session
from tests.support import rome
from training_hub.assessment.tables import FinalTest, FinalTestAttempt
from training_hub.core.tables import Attendance, Cooperative, CooperativeHeadcount, Course, Person
from training_hub.safety.tables import ExternalTraining, SafetyRole


async def give_role(person: Person, role: str, level: str | None = None, since: date = date(2020, 1, 1)) -> None:
    await SafetyRole.insert(SafetyRole(person=person.id, role=role, level=level, since=since))


async def external(person: Person, course_type: str, completed_on: date, hours: float) -> None:
    await ExternalTraining.insert(ExternalTraining(person=person.id, course_type=course_type,
                                                   completed_on=completed_on, minutes=round(hours * 60),
                                                   provider="Ente esterno"))


async def set_risk(cooperative: Cooperative, risk_class: str, headcount: int | None = None,
                   year: int = 2026) -> None:
    await Cooperative.update({Cooperative.risk_class: risk_class}).where(Cooperative.id == cooperative.id)
    if headcount is not None:
        await CooperativeHeadcount.insert(CooperativeHeadcount(cooperative=cooperative.id, year=year,
                                                               total=headcount))


async def held_here(people: list[tuple[Person, int, bool]], code: str, day: date, *, hours: int = 4,
                    status: str = "completed") -> Course:
    """A safety course of ``code`` held on ``day`` (one session of ``hours``), each person with the
    minutes attended and whether they passed the final test."""
    course = await make_course(await make_path(kind="other"), safety_course_type=code, attendance_threshold=90,
                               status=status)
    session = await make_session(course, rome(day, 9), hours * 60)
    test = FinalTest(course=course.id, pass_percent=70)
    await test.save()
    for person, minutes, passed in people:
        enrolment = await make_enrolment(person, course)
        await Attendance.insert(Attendance(session=session.id, enrolment=enrolment.id,
                                           status="present" if minutes >= hours * 60 else "left_early",
                                           minutes=minutes))
        await FinalTestAttempt.insert(FinalTestAttempt(
            final_test=test.id, enrolment=enrolment.id, recorded_via="paper", score_percent=90 if passed else 40,
            passed=passed, submitted_at=session.ends_at + timedelta(minutes=5)))
    return course


async def future_edition(code: str, *, days: int = 20, **values) -> Course:
    """A published course of ``code`` starting in ``days`` days, open for enrolment."""
    course = await make_course(await make_path(kind="other"), safety_course_type=code, attendance_threshold=90,
                               **values)
    await make_session(course, rome(date(2026, 11, 25) + timedelta(days=days), 9), 360)
    return course
