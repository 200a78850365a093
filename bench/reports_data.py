"""Benchmark data for reports: past courses with registers and closed surveys, full courses with waiting lists.

A section of ``bench/generate.py`` (appended to ``SECTIONS``). The core generator makes only future
courses; this one adds its own past ones, so it never collides with other sections' enrolments.
Default scale: 500 past courses × 6 weekly sessions of 3 hours over the last ~11 months, 15 confirmed
participants each (plus one who cancelled after the start), attendance for every session, a closed
survey per course with 15 invitations and 8 answers; and 40 future courses filled up with 3 people
waiting each. Everything with bulk inserts; on PostgreSQL the tables are analysed at the end.
"""

from __future__ import annotations

import random
import uuid
from datetime import time, timedelta
from typing import Any

from training_hub.core.db import fetch_all, is_sqlite
from training_hub.core.tables import (
    Attendance,
    AttendanceStatus,
    Course,
    CourseStatus,
    CourseTrainer,
    DeliveryMode,
    Enrolment,
    EnrolmentStatus,
    QuestionKind,
    Session,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
    TrainingPath,
)
from training_hub.core.timeutil import rome_wall_clock, utcnow
from training_hub.surveys.questions import ensure_default_questions

PARTICIPANTS = 15
SESSIONS = 6
ANSWERS = 8
WAITING = 3


async def generate_reports_data(scale: Any, data: dict[str, Any], rng: random.Random) -> None:
    from bench.generate import _weekday, bulk_insert, ids_of, make_row

    now = utcnow()
    today = now.date()
    past = max(10, scale.courses // 4)
    full = max(4, scale.courses // 50)
    path_rows = await ids_of(TrainingPath)
    trainers = data["trainer_ids"]
    workers = data["worker_ids"]
    first_new = (max(data["course_ids"]) if data.get("course_ids") else 0) + 1

    courses: list[Course] = []
    schedules: list[list[tuple[Any, Any]]] = []
    for n in range(past):
        first_day = _weekday(today - timedelta(days=70 + n % 250))
        instants = []
        for week in range(SESSIONS):
            day = _weekday(first_day + timedelta(weeks=week))
            instants.append((rome_wall_clock(day, time(9, 0)), rome_wall_clock(day, time(12, 0))))
        schedules.append(instants)
        courses.append(make_row(Course,
            path=path_rows[n % len(path_rows)], position=1000 + n, title=f"Edizione passata {n}: lavoro sociale",
            description="Un corso già svolto, per le misure dei report.", capacity=20,
            delivery_mode=DeliveryMode.IN_PRESENCE.value, status=CourseStatus.COMPLETED.value,
            enrolment_opens_at=instants[0][0] - timedelta(days=30), enrolment_closes_at=instants[0][0],
            cancellation_deadline=instants[0][0], starts_at=instants[0][0], ends_at=instants[-1][1],
        ))
    for n in range(full):
        day = _weekday(today + timedelta(days=10 + n))
        start, end = rome_wall_clock(day, time(14, 0)), rome_wall_clock(day, time(18, 0))
        schedules.append([(start, end)])
        courses.append(make_row(Course,
            path=path_rows[n % len(path_rows)], position=2000 + n, title=f"Corso al completo {n}",
            description="Tutti i posti occupati, e persone in attesa.", capacity=10,
            delivery_mode=DeliveryMode.IN_PRESENCE.value, status=CourseStatus.PUBLISHED.value,
            enrolment_opens_at=now - timedelta(days=5), enrolment_closes_at=start - timedelta(days=1),
            cancellation_deadline=start - timedelta(days=2), starts_at=start, ends_at=end,
        ))
    await bulk_insert(courses)
    course_ids = [cid for cid in await ids_of(Course) if cid >= first_new]
    assert len(course_ids) == len(courses)
    data["past_course_ids"] = course_ids[:past]
    await bulk_insert([make_row(CourseTrainer, course=cid, person=trainers[i % len(trainers)])
                       for i, cid in enumerate(course_ids)])
    await bulk_insert([
        make_row(Session, course=cid, starts_at=start, ends_at=end, trainer=trainers[i % len(trainers)],
                topics="Argomenti", uid=f"{uuid.uuid4()}@training-hub")
        for i, cid in enumerate(course_ids) for start, end in schedules[i]
    ])

    enrolments: list[Enrolment] = []
    for i, cid in enumerate(course_ids):
        is_past = i < past
        people = rng.sample(workers, PARTICIPANTS + 1 if is_past else 10 + WAITING)
        start = schedules[i][0][0]
        if is_past:
            for person in people[:PARTICIPANTS]:
                enrolments.append(make_row(Enrolment, person=person, course=cid, status=EnrolmentStatus.CONFIRMED.value,
                                            confirmed_at=start - timedelta(days=7)))
            enrolments.append(make_row(Enrolment, person=people[-1], course=cid, status=EnrolmentStatus.CANCELLED.value,
                                        cancelled_at=schedules[i][1][0]))
        else:
            for person in people[:10]:
                enrolments.append(make_row(Enrolment, person=person, course=cid, status=EnrolmentStatus.CONFIRMED.value,
                                            confirmed_at=now - timedelta(days=3)))
            for k, person in enumerate(people[10:]):
                enrolments.append(make_row(Enrolment, person=person, course=cid, status=EnrolmentStatus.WAITLISTED.value,
                                            waitlisted_at=now - timedelta(days=2, minutes=-k)))
    await bulk_insert(enrolments)

    past_ids = course_ids[:past]
    sessions = await Session.select(Session.id, Session.course).where(Session.course.is_in(past_ids)).order_by(
        Session.course).order_by(Session.starts_at)
    by_course: dict[int, list[int]] = {}
    for row in sessions:
        by_course.setdefault(row["course"], []).append(row["id"])
    confirmed = await Enrolment.select(Enrolment.id, Enrolment.course, Enrolment.person).where(
        Enrolment.course.is_in(past_ids) & (Enrolment.status == EnrolmentStatus.CONFIRMED.value)
    ).order_by(Enrolment.id)
    attendance = []
    for row in confirmed:
        for session_id in by_course[row["course"]]:
            roll = rng.random()
            minutes = 180 if roll > 0.2 else (120 if roll > 0.08 else 0)
            attendance.append(make_row(Attendance, session=session_id, enrolment=row["id"], minutes=minutes,
                                         status=AttendanceStatus.PRESENT.value if minutes else AttendanceStatus.ABSENT.value))
    await bulk_insert(attendance)

    await ensure_default_questions()
    questions = await SurveyQuestion.select(SurveyQuestion.id, SurveyQuestion.kind).order_by(SurveyQuestion.position)
    await bulk_insert([
        make_row(Survey, course=cid, opens_at=schedules[i][-1][1], closes_at=schedules[i][-1][1] + timedelta(days=14),
               reminded_at=schedules[i][-1][1] + timedelta(days=7), status=SurveyStatus.CLOSED.value)
        for i, cid in enumerate(past_ids)
    ])
    survey_of = {row["course"]: row["id"] for row in await Survey.select(Survey.id, Survey.course)}
    invitations, responses, answers = [], [], []
    people_of: dict[int, list[int]] = {}
    for row in confirmed:
        people_of.setdefault(row["course"], []).append(row["person"])
    for cid in past_ids:
        survey_id = survey_of[cid]
        for k, person in enumerate(people_of[cid]):
            invitations.append(make_row(SurveyInvitation, survey=survey_id, person=person, answered=k < ANSWERS))
        for _ in range(ANSWERS):
            response_id = uuid.uuid4()
            responses.append(make_row(SurveyResponse, id=response_id, survey=survey_id))
            for question in questions:
                if question["kind"] == QuestionKind.RATING.value:
                    answers.append(make_row(SurveyAnswer, response=response_id, question=question["id"],
                                                rating=rng.choice((3, 4, 4, 5, 5))))
    await bulk_insert(invitations)
    await bulk_insert(responses)
    await bulk_insert(answers)
    if not is_sqlite():
        # Production PostgreSQL has autovacuum keep statistics; a freshly bulk-loaded database has none
        # (and autovacuum may be off on a test server), which leads the planner to nested loops over
        # tables it believes hold a few rows. Measure what production would run.
        await fetch_all("ANALYZE")
