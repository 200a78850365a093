"""Funded plans: the closing report of a plan with 20 actions × 25 participants × 10 sessions, and the
import of a 300-row Microsoft Teams attendance report (dry run and recording).

Everything is built here, straight in the tables: a plan whose 20 courses have 10 two-hour sessions each
(one cancelled per course), 25 confirmed workers per course with their fund data and an attendance row
per session; and an online session of 150 confirmed workers whose Teams report has two connections
each (300 rows, built with the demo's report writer). The office (``admin@demo.test``) asks for both.
"""

from __future__ import annotations

import random
import uuid
from datetime import time, timedelta
from decimal import Decimal

from bench.framework import BenchContext, Probe
from training_hub.core.db import write_transaction
from training_hub.core.tables import (
    Attendance,
    Course,
    CourseStatus,
    CourseTrainer,
    Enrolment,
    EnrolmentStatus,
    Location,
    Person,
    Session,
    SessionStatus,
    TrainingPath,
)
from training_hub.core.timeutil import rome_wall_clock, to_rome, utcnow
from training_hub.demo.funding import teams_report
from training_hub.funding.tables import FundedAction, FundedPlan, ParticipantFundData

ACTIONS, PARTICIPANTS, SESSIONS = 20, 25, 10
REPORT_PEOPLE = 150  # × 2 connections = 300 rows
ADMIN = "admin@demo.test"
TRAINER = "trainer@demo.test"
BOUNDARY = "benchfundingboundary"


async def build_plan(ctx: BenchContext, seed: int = 17) -> int:
    rng = random.Random(seed)
    workers = ctx.data["worker_ids"][: ACTIONS * PARTICIPANTS]
    trainer_id = ctx.data["people"][TRAINER]
    first_day = to_rome(utcnow()).date() - timedelta(weeks=SESSIONS + 2)
    async with write_transaction():
        path = await TrainingPath.select(TrainingPath.id).order_by(TrainingPath.id).first()
        plan = FundedPlan(fund="foncoop", channel="Avviso bench", code="FONCOOP-BENCH-2026", title="Piano di prova",
                          aid_regime="gber", status="running")
        await plan.save()
        await ParticipantFundData.insert(*[ParticipantFundData(
            person=person_id, family_name="Rossi", given_names="Anna", citizenship="IT", education_level="diploma",
            contract_type="tempo_indeterminato", job_grade="impiegato", ccnl="Cooperative sociali",
            hourly_cost=Decimal("18.50")) for person_id in workers])
        for action in range(ACTIONS):
            course = Course(path=path["id"], title=f"Azione di prova {action + 1}", capacity=PARTICIPANTS,
                            status=CourseStatus.COMPLETED.value, funder_plan_code=plan.code)
            await course.save()
            await CourseTrainer.insert(CourseTrainer(course=course.id, person=trainer_id))
            await FundedAction.insert(FundedAction(plan=plan.id, course=course.id, action_code=f"A{action + 1}"))
            days = [first_day + timedelta(weeks=week, days=action % 5) for week in range(SESSIONS)]
            await Session.insert(*[Session(
                course=course.id, starts_at=rome_wall_clock(day, time(9, 0)), ends_at=rome_wall_clock(day, time(11, 0)),
                trainer=trainer_id, uid=f"{uuid.uuid4()}@training-hub",
                status=SessionStatus.CANCELLED.value if n == 3 else SessionStatus.SCHEDULED.value,
            ) for n, day in enumerate(days)])
            session_ids = [row["id"] for row in await Session.select(Session.id).where(Session.course == course.id)]
            people = workers[action * PARTICIPANTS:(action + 1) * PARTICIPANTS]
            await Enrolment.insert(*[Enrolment(person=person_id, course=course.id, status=EnrolmentStatus.CONFIRMED.value)
                                     for person_id in people])
            enrolments = [row["id"] for row in await Enrolment.select(Enrolment.id).where(Enrolment.course == course.id)]
            await Attendance.insert(*[Attendance(
                session=session_id, enrolment=enrolment_id, status="present",
                minutes=120 if rng.random() < 0.8 else rng.choice([0, 45, 90])) for session_id in session_ids
                for enrolment_id in enrolments])
    return plan.id


async def build_online_session(ctx: BenchContext) -> tuple[int, bytes]:
    workers = ctx.data["worker_ids"][-REPORT_PEOPLE:]
    trainer_id = ctx.data["people"][TRAINER]
    day = to_rome(utcnow()).date() - timedelta(days=2)
    start, end = rome_wall_clock(day, time(14, 0)), rome_wall_clock(day, time(18, 0))
    async with write_transaction():
        path = await TrainingPath.select(TrainingPath.id).order_by(TrainingPath.id).first()
        online = Location(name="Aula virtuale (bench)", is_online=True)
        await online.save()
        course = Course(path=path["id"], title="Webinar di prova", capacity=REPORT_PEOPLE,
                        status=CourseStatus.PUBLISHED.value, delivery_mode="online")
        await course.save()
        await CourseTrainer.insert(CourseTrainer(course=course.id, person=trainer_id))
        session = Session(course=course.id, starts_at=start, ends_at=end, location=online.id, trainer=trainer_id,
                          uid=f"{uuid.uuid4()}@training-hub")
        await session.save()
        await Enrolment.insert(*[Enrolment(person=person_id, course=course.id, status=EnrolmentStatus.CONFIRMED.value)
                                 for person_id in workers])
        people = await Person.select(Person.full_name, Person.email).where(Person.id.is_in(workers))
    connections = []
    for n, person in enumerate(people):
        drop = start + timedelta(minutes=60 + n % 90)
        connections.append((person["full_name"], person["email"], start - timedelta(minutes=2), drop))
        connections.append((person["full_name"], person["email"], drop + timedelta(minutes=1 + n % 10), end))
    return session.id, teams_report("Webinar di prova", start, end, connections)


def multipart(content: bytes) -> tuple[bytes, dict[str, str]]:
    body = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"teams.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{BOUNDARY}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


async def probes(ctx: BenchContext) -> list[Probe]:
    plan_id = await build_plan(ctx)
    session_id, report = await build_online_session(ctx)
    token = await ctx.bearer(ADMIN)
    body, content_type = multipart(report)
    note = f"{ACTIONS} actions × {PARTICIPANTS} participants × {SESSIONS} sessions"
    return [
        Probe(name="closing report API (20 × 25 × 10)", path=f"/api/funded-plans/{plan_id}/closing-report",
              headers=token, note=note),
        Probe(name="checks API (20 × 25)", path=f"/api/funded-plans/{plan_id}/checks", headers=token, note=note),
        Probe(name="Teams report import, dry run (300 rows)", method="POST",
              path=f"/api/sessions/{session_id}/attendance/import?format=teams&dry_run=true",
              headers={**token, **content_type}, body=body, note="150 people × 2 connections"),
        Probe(name="Teams report import, recorded (300 rows)", method="POST",
              path=f"/api/sessions/{session_id}/attendance/import?format=teams",
              headers={**token, **content_type}, body=body, note="each run replaces the previous"),
    ]
