"""The attendance register of a course with 30 participants and 20 sessions, as PDF and as XLSX.

The course is built here, straight in the tables of the same database the server uses: 20 weekly
morning sessions (four hours each, one of them cancelled), 30 confirmed workers, and a recorded
attendance for every participant and session (mostly present, some late, early, absent or excused).
The register is downloaded by ``trainer@demo.test``, made a trainer of the course, with a bearer token.
The same trainer, logged in with a browser, opens the roll call of one of its sessions (30 rows, every
one already recorded: the page a trainer reloads while correcting the register).
"""

from __future__ import annotations

import random
import uuid
from datetime import time, timedelta

from bench.framework import BenchContext, Probe
from training_hub.core.db import write_transaction
from training_hub.core.tables import (
    Attendance,
    Course,
    CourseStatus,
    CourseTrainer,
    Enrolment,
    EnrolmentStatus,
    Session,
    SessionStatus,
    TrainingPath,
)
from training_hub.core.timeutil import rome_wall_clock, to_rome, utcnow

PARTICIPANTS = 30
SESSIONS = 20
TRAINER_EMAIL = "trainer@demo.test"


async def build_register_course(ctx: BenchContext, seed: int = 6) -> int:
    rng = random.Random(seed)
    trainer_id = ctx.data["people"][TRAINER_EMAIL]
    worker_ids = ctx.data["worker_ids"][:PARTICIPANTS]
    now = utcnow()
    first_day = to_rome(now).date() - timedelta(weeks=SESSIONS + 1)
    async with write_transaction():
        path = await TrainingPath.select(TrainingPath.id).order_by(TrainingPath.id).first()
        course = Course(
            path=path["id"], title="Registro di prova: 30 partecipanti, 20 incontri",
            description="Un corso per misurare il registro presenze.", capacity=PARTICIPANTS,
            status=CourseStatus.PUBLISHED.value, attendance_threshold=70, funder_plan_code="FON-BENCH-2026",
        )
        await course.save()
        await CourseTrainer.insert(CourseTrainer(course=course.id, person=trainer_id))
        sessions = []
        for week in range(SESSIONS):
            day = first_day + timedelta(weeks=week)
            sessions.append(Session(
                course=course.id, starts_at=rome_wall_clock(day, time(9, 0)), ends_at=rome_wall_clock(day, time(13, 0)),
                trainer=trainer_id, topics=f"Modulo {week + 1}: strumenti e casi di studio del lavoro sociale",
                status=SessionStatus.CANCELLED.value if week == 7 else SessionStatus.SCHEDULED.value,
                uid=f"{uuid.uuid4()}@training-hub",
            ))
        await Session.insert(*sessions)
        session_rows = await Session.select(Session.id, Session.starts_at, Session.ends_at, Session.status).where(
            Session.course == course.id)
        await Enrolment.insert(*[
            Enrolment(person=person_id, course=course.id, status=EnrolmentStatus.CONFIRMED.value, confirmed_at=now)
            for person_id in worker_ids
        ])
        enrolment_ids = [row["id"] for row in await Enrolment.select(Enrolment.id).where(Enrolment.course == course.id)]
        rows = []
        for session in session_rows:
            if session["status"] != SessionStatus.SCHEDULED.value:
                continue
            for enrolment_id in enrolment_ids:
                roll = rng.random()
                if roll < 0.8:
                    rows.append(Attendance(session=session["id"], enrolment=enrolment_id, status="present",
                                           minutes=240, recorded_by=trainer_id))
                elif roll < 0.9:
                    arrived = session["starts_at"] + timedelta(minutes=rng.choice([15, 30, 45]))
                    rows.append(Attendance(session=session["id"], enrolment=enrolment_id, status="late",
                                           minutes=int((session["ends_at"] - arrived).total_seconds() // 60),
                                           arrived_at=arrived, recorded_by=trainer_id))
                elif roll < 0.95:
                    rows.append(Attendance(session=session["id"], enrolment=enrolment_id, status="excused",
                                           minutes=0, recorded_by=trainer_id))
                else:
                    rows.append(Attendance(session=session["id"], enrolment=enrolment_id, status="absent",
                                           minutes=0, recorded_by=trainer_id))
        for start in range(0, len(rows), 200):
            await Attendance.insert(*rows[start:start + 200])
    return course.id


async def _first_session(course_id: int) -> int:
    row = await Session.select(Session.id).where(Session.course == course_id).order_by(Session.starts_at).first()
    return row["id"]


async def probes(ctx: BenchContext) -> list[Probe]:
    course_id = await build_register_course(ctx)
    headers = await ctx.bearer(TRAINER_EMAIL)
    cookie = await ctx.session_cookie(TRAINER_EMAIL)
    session_id = await _first_session(course_id)
    note = f"{PARTICIPANTS} participants × {SESSIONS} sessions (one cancelled)"
    return [
        Probe(name="register PDF (30 × 20)", path=f"/courses/{course_id}/register.pdf", headers=headers, note=note),
        Probe(name="register XLSX (30 × 20)", path=f"/courses/{course_id}/register.xlsx", headers=headers, note=note),
        Probe(name="attendance progress API (30)", path=f"/api/courses/{course_id}/attendance", headers=headers),
        Probe(name="roll call, 30 participants (trainer)", path=f"/sessions/{session_id}/attendance", headers=cookie),
    ]
