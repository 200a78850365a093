"""The past editions of the demo: courses held in the past weeks, with registers and surveys, so the
dashboards, the activity report and the survey pages have something to show.

Written at the end of :func:`training_hub.demo.loader.load_demo_data` (it uses the people and paths
made there), where and when :func:`training_hub.demo.plan.plan_demo` placed them. Survey answers go
through :func:`training_hub.surveys.answering.submit_response`, like real ones: stored apart from the
people. Below 5 answers a survey's results stay hidden, and the demo has one such course to show it.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from training_hub.core.identity import CurrentUser, parse_roles
from training_hub.core.tables import (
    Attendance,
    AttendanceStatus,
    Course,
    CourseStatus,
    CourseTrainer,
    Enrolment,
    EnrolmentStatus,
    Location,
    Person,
    Session,
    Survey,
    SurveyInvitation,
    SurveyStatus,
    TrainingPath,
)
from training_hub.core.timeutil import minutes_between, to_rome, utcnow
from training_hub.demo.consortium import LOCATIONS
from training_hub.demo.courses import PAST_COURSES
from training_hub.demo.plan import PlannedCourse, plan_demo
from training_hub.surveys.answering import submit_response
from training_hub.surveys.questions import ensure_default_questions

# The survey answers of the past editions: ratings of the default questions, and a few comments.
RATINGS = [(5, 4, 5, 4, 4), (4, 4, 5, 3, 4), (4, 3, 4, 4, 3), (5, 5, 5, 4, 5), (3, 3, 4, 2, 3), (4, 5, 4, 4, 4),
           (5, 4, 5, 5, 4)]
COMMENTS = ["Esempi concreti e utili per il mio servizio.", "Avrei voluto più tempo per le esercitazioni.",
            "Ottimo clima nel gruppo."]
CODES = ("overall", "usefulness", "trainer", "organisation", "materials")


async def load_past_editions(
    today: date | None = None, *, plan: dict[str, PlannedCourse] | None = None
) -> dict[str, Any]:
    """The past editions, where and when ``plan`` (:func:`training_hub.demo.plan.plan_demo`) holds them: one
    calendar with the coming courses, so that they obey the same scheduling rules."""
    today = today or to_rome(utcnow()).date()
    plan = plan or plan_demo(today)
    await ensure_default_questions()
    trainer = await Person.select(Person.id).where(Person.email == "trainer@demo.test").first()
    teachers = {row["email"]: row["id"] for row in await Person.select(Person.id, Person.email).where(
        Person.email.is_in(sorted({past.trainer for past in PAST_COURSES})))}
    worker = await Person.select(Person.id).where(Person.email == "worker@demo.test").first()
    people = await Person.select(Person.id, Person.email, Person.full_name, Person.roles, Person.cooperative).where(
        Person.roles == "worker").order_by(Person.id)
    if trainer is None or not people:
        return {"past_courses": 0}
    paths = {row["kind"]: row["id"] for row in await TrainingPath.select(TrainingPath.id, TrainingPath.kind).where(
        TrainingPath.owner_cooperative.is_null()).order_by(TrainingPath.id, ascending=False)}
    everyone = [row for row in people if row["email"] != "worker@demo.test"]
    demo_worker = next(row for row in people if row["id"] == worker["id"]) if worker else None
    names = {key: name for key, name, *_rest in LOCATIONS}
    rooms = {row["name"]: row["id"] for row in await Location.select(Location.id, Location.name)}
    courses = 0
    for index, past in enumerate(PAST_COURSES):
        teacher = teachers.get(past.trainer, trainer["id"])
        planned = plan[past.title]
        instants = planned.sessions
        room = rooms.get(names[planned.location])
        ended = instants[-1][1] < utcnow()
        course = Course(
            path=paths[past.kind], position=90 + index, title=past.title,
            description="Un'edizione già svolta: presenze registrate e questionario di gradimento.",
            location=room,
            capacity=planned.capacity,
            status=CourseStatus.COMPLETED.value if ended else CourseStatus.PUBLISHED.value,
            attendance_threshold=past.threshold, starts_at=instants[0][0], ends_at=instants[-1][1],
            enrolment_opens_at=planned.enrolment_opens_at, enrolment_closes_at=planned.enrolment_closes_at,
            cancellation_deadline=planned.cancellation_deadline, created_by=teacher,
        )
        await course.save()
        courses += 1
        await CourseTrainer.insert(CourseTrainer(course=course.id, person=teacher))
        sessions = []
        for starts_at, ends_at in instants:
            session = Session(course=course.id, starts_at=starts_at, ends_at=ends_at, trainer=teacher,
                              topics="Edizione già svolta", uid=f"{uuid.uuid4()}@training-hub",
                              location=room)
            await session.save()
            sessions.append((session.id, minutes_between(starts_at, ends_at)))
        offset = index * 7
        chosen = [everyone[(offset + n) % len(everyone)] for n in range(past.participants)]
        if demo_worker is not None and index < 2:
            chosen[0] = demo_worker
        participants = []
        for n, person in enumerate(chosen):
            enrolment = Enrolment(person=person["id"], course=course.id, status=EnrolmentStatus.CONFIRMED.value,
                                  enrolled_by=person["id"], confirmed_at=instants[0][0] - timedelta(days=10))
            await enrolment.save()
            participants.append(person)
            for number, (session_id, minutes) in enumerate(sessions):
                # Mostly present; someone late, someone absent, one person who never came.
                attended = minutes if (n + number) % 5 else (minutes - 45 if n % 2 else 0)
                if n == len(chosen) - 1 and len(chosen) > 5:
                    attended = 0
                if instants[number][1] <= utcnow():
                    await Attendance.insert(Attendance(
                        session=session_id, enrolment=enrolment.id, minutes=max(0, attended),
                        status=(AttendanceStatus.ABSENT.value if attended <= 0 else AttendanceStatus.PRESENT.value
                                if attended == minutes else AttendanceStatus.LATE.value),
                        recorded_by=teacher))
        if not ended:
            continue
        opens_at = instants[-1][1] + timedelta(hours=1)
        closes_at = opens_at + timedelta(days=14)
        rows = await Survey.insert(Survey(course=course.id, opens_at=opens_at, closes_at=closes_at,
                                          reminded_at=opens_at + timedelta(days=7) if not past.survey_open else None,
                                          status=SurveyStatus.OPEN.value))
        survey_id = rows[0]["id"]
        await SurveyInvitation.insert(*[SurveyInvitation(survey=survey_id, person=p["id"]) for p in participants])
        for n, person in enumerate(participants[: past.answers]):
            values: dict[str, Any] = dict(zip(CODES, RATINGS[n % len(RATINGS)], strict=True))
            values["comments"] = COMMENTS[n] if n < len(COMMENTS) else ""
            user = CurrentUser(id=person["id"], email=person["email"], full_name=person["full_name"],
                               roles=parse_roles(person["roles"]), cooperative_id=person["cooperative"], language="it")
            await submit_response(user, survey_id, values, now=opens_at + timedelta(hours=n + 1))
        if closes_at <= utcnow():
            await Survey.update({Survey.status: SurveyStatus.CLOSED.value}).where(Survey.id == survey_id)
    return {"past_courses": courses}
