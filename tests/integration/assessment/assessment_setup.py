"""Building blocks for the final-test tests: a course whose last session has started (or not yet),
its trainer, confirmed and pending participants, a colleague who only browses, and test questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from tests.factories import make_cooperative, make_course, make_enrolment, make_person, make_session
from training_hub.core.tables import Cooperative, Course, Enrolment, EnrolmentStatus, Person
from training_hub.core.timeutil import utcnow


@dataclass
class CourseWithTest:
    course: Course
    trainer: Person
    cooperative: Cooperative
    people: list[Person] = field(default_factory=list)  # confirmed
    enrolments: list[Enrolment] = field(default_factory=list)
    pending: Person | None = None
    pending_enrolment: Enrolment | None = None
    colleague: Person | None = None  # may see the course in the catalogue, not enrolled


async def course_for_test(*, open_: bool = True, participants: int = 2, **course_values: Any) -> CourseWithTest:
    """A published course taught by a trainer: two sessions, the last one started an hour ago
    (``open_``) or starting in a week."""
    cooperative = await make_cooperative()
    trainer = await make_person("trainer", full_name="Marco Bianchi")
    course = await make_course(trainers=[trainer], title=course_values.pop("title", "Sicurezza in cucina"),
                               **course_values)
    now = utcnow()
    await make_session(course, now - timedelta(days=7), 120)
    await make_session(course, now - timedelta(hours=1) if open_ else now + timedelta(days=7), 120)
    setup = CourseWithTest(course=course, trainer=trainer, cooperative=cooperative)
    names = ["Anna Verdi", "Bruno Neri", "Carla Galli", "Davide Costa", "Elisa Riva"]
    for index in range(participants):
        person = await make_person("worker", cooperative=cooperative, full_name=names[index],
                                   codice_fiscale=None)
        setup.people.append(person)
        setup.enrolments.append(await make_enrolment(person, course))
    setup.pending = await make_person("worker", cooperative=cooperative, full_name="Piera Attesa")
    setup.pending_enrolment = await make_enrolment(setup.pending, course, status=EnrolmentStatus.PENDING.value)
    setup.colleague = await make_person("worker", cooperative=cooperative, full_name="Luca Curioso")
    return setup


def question(number: int, *, choices: int = 3, correct: tuple[int, ...] = (0,)) -> dict[str, Any]:
    """Question ``number``: choices "Q{number}-A", "Q{number}-B", …; the right ones named "…-OK"."""
    texts = [f"Q{number}-{'ABCDEF'[i]}{'-OK' if i in correct else ''}" for i in range(choices)]
    return {"text": f"Domanda numero {number}?", "choices": texts, "correct": list(correct)}


def questions(count: int, **kwargs: Any) -> list[dict[str, Any]]:
    return [question(number, **kwargs) for number in range(1, count + 1)]


def right_answers(shown: list[dict[str, Any]]) -> list[list[int]]:
    """The right answers to questions as a participant was shown them (choices named "…-OK")."""
    return [[i for i, text in enumerate(q["choices"]) if text.endswith("-OK")] for q in shown]


def wrong_answers(shown: list[dict[str, Any]]) -> list[list[int]]:
    return [[next(i for i, text in enumerate(q["choices"]) if not text.endswith("-OK"))] for q in shown]
