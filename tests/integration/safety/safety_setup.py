"""A safety course that is over: "Formazione specifica rischio medio" (8 h in two sessions of 4 h, on
10/11 and 17/11/2026 in Pavia), its trainer and four confirmed participants with a codice fiscale, their
attendance and the final test's paper results:

* Giulia Rossi — 100%, test passed (85): attestato;
* Paolo Conti — exactly 90% (432 of 480 minutes), test passed (70): attestato;
* Sara Ferri — 88,9% (427 minutes), test passed: no attestato;
* Luca Bianchi — 95% (456 minutes), test failed (50): no attestato.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_path,
    make_person,
    make_session,
)
from tests.support import rome
from training_hub.assessment.tables import FinalTest, FinalTestAttempt, FinalTestQuestion
from training_hub.core.tables import Attendance, Course, Enrolment, Person

PEOPLE = (
    # name, codice fiscale, minutes of the second session (the first one is attended in full), test score
    ("Giulia Rossi", "RSSGLI88C54G388M", 240, 85.0),
    ("Paolo Conti", "CNTPLA82E09B157V", 192, 70.0),
    ("Sara Ferri", "FRRSRA90S61A794I", 187, 90.0),
    ("Luca Bianchi", "BNCLCU75L02F205E", 216, 50.0),
)


@dataclass
class SafetyCourse:
    course: Course
    trainer: Person
    people: dict[str, Person] = field(default_factory=dict)
    enrolments: dict[str, Enrolment] = field(default_factory=dict)


async def ended_safety_course(*, with_test: bool = True, code: str = "lavoratori_specifica_medio",
                              title: str = "Formazione specifica rischio medio") -> SafetyCourse:
    cooperative = await make_cooperative()
    trainer = await make_person("trainer", full_name="Marco Bianchi")
    room = await make_location(name="Aula Ticino", address="Via Roma 1", comune="Pavia", province="PV", capacity=25)
    path = await make_path(kind="other", title="Sicurezza sul lavoro")
    course = await make_course(path, trainers=[trainer], title=title, safety_course_type=code,
                               attendance_threshold=90, location=room.id, status="completed")
    first = await make_session(course, rome(date(2026, 11, 10), 9), 240, location=room.id, trainer=trainer.id,
                               topics="Rischi specifici del settore")
    second = await make_session(course, rome(date(2026, 11, 17), 9), 240, location=room.id, trainer=trainer.id,
                                topics="Procedure di emergenza")
    setup = SafetyCourse(course=course, trainer=trainer)
    test = None
    if with_test:
        test = FinalTest(course=course.id, pass_percent=70)
        await test.save()
        await FinalTestQuestion.insert(FinalTestQuestion(final_test=test.id, position=1, text="Che cos'è un DPI?",
                                                         choices=["Un dispositivo", "Un documento"], correct=[0]))
    for name, cf, minutes, score in PEOPLE:
        person = await make_person("worker", cooperative=cooperative, full_name=name, codice_fiscale=cf)
        enrolment = await make_enrolment(person, course)
        setup.people[name], setup.enrolments[name] = person, enrolment
        await Attendance.insert(
            Attendance(session=first.id, enrolment=enrolment.id, status="present", minutes=240, recorded_by=trainer.id),
            Attendance(session=second.id, enrolment=enrolment.id, status="present" if minutes == 240 else "left_early",
                       minutes=minutes, recorded_by=trainer.id),
        )
        if test is not None:
            await FinalTestAttempt.insert(FinalTestAttempt(
                final_test=test.id, enrolment=enrolment.id, recorded_via="paper", score_percent=score,
                passed=score >= 70, recorded_by=trainer.id, submitted_at=second.ends_at + timedelta(minutes=5)))
    return setup
