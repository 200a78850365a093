"""Building blocks for the attendance tests: a course with a trainer, sessions and participants."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tests.factories import make_cooperative, make_course, make_enrolment, make_person, make_session
from training_hub.core.tables import Cooperative, Course, Enrolment, Person, Session
from training_hub.core.timeutil import utcnow


@dataclass
class CourseSetup:
    course: Course
    trainer: Person
    cooperative: Cooperative
    sessions: list[Session] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)


async def course_setup(
    *,
    sessions: int = 3,
    minutes: int = 120,
    first_start: datetime | None = None,
    every: timedelta = timedelta(days=7),
    participants: int = 2,
    threshold: int = 70,
    **course_values,
) -> CourseSetup:
    """A published course taught by a trainer (CourseTrainer), with sessions and confirmed people."""
    cooperative = await make_cooperative()
    trainer = await make_person("trainer", full_name="Marco Bianchi")
    course = await make_course(trainers=[trainer], attendance_threshold=threshold, funder_plan_code="FON-2026-042",
                               **course_values)
    setup = CourseSetup(course=course, trainer=trainer, cooperative=cooperative)
    start = first_start or utcnow() - timedelta(hours=1)
    for index in range(sessions):
        setup.sessions.append(await make_session(course, start + every * index, minutes=minutes,
                                                 topics=f"Argomento {index + 1}"))
    names = ["Anna Verdi", "Bruno Neri", "Carla Galli", "Davide Costa", "Elisa Riva", "Fabio Sala"]
    for index in range(participants):
        name = names[index] if index < len(names) else f"Partecipante {index}"
        person = await make_person("worker", cooperative=cooperative, full_name=name)
        setup.people.append(person)
        setup.enrolments.append(await make_enrolment(person, course))
    return setup


async def put_attendance(session: Session, enrolment: Enrolment, status: str, minutes: int, **values) -> None:
    """An attendance row written straight into the table (as an import would)."""
    from training_hub.core.tables import Attendance

    await Attendance.insert(Attendance(session=session.id, enrolment=enrolment.id, status=status, minutes=minutes,
                                       recorded_via="import", **values))


def past_start(days: int = 30) -> datetime:
    """A first session ``days`` ago, so a course of weekly sessions can be over by now."""
    return utcnow() - timedelta(days=days)
