"""Enrolment under contention: N people enrol in one small course at the same moment.

The course (20 seats, window open, one session next month) is created straight in the database, and
each of N distinct generated workers gets an API token from ``issue_api_token`` in this process (it
points at the same database as the server). The N requests are fired at once, one connection each,
and the rate is enrolments per second as a ratio to ``/healthz``. ``verify`` then checks what must
hold whatever the timing: exactly ``capacity`` confirmed seats, everybody else on the waiting list
with positions 1..N−capacity, nobody twice.

"Le mie iscrizioni" of ``worker@demo.test`` is measured first, with the worker enrolled in
``MY_ENROLMENTS`` generated courses (confirmed, waitlisted and cancelled ones, as a year brings).
"""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

from bench.framework import BenchContext, Probe

ENROLMENTS = int(os.environ.get("TRAINING_HUB_BENCH_ENROLMENTS", "200"))
CAPACITY = 20
MY_ENROLMENTS = 15


async def _setup(ctx: BenchContext, n: int) -> tuple[int, list[str]]:
    from training_hub.accounts.service import issue_api_token
    from training_hub.core.db import get_engine, start_engine, stop_engine
    from training_hub.core.tables import Course, CourseStatus, PathKind, Session, TrainingPath
    from training_hub.core.timeutil import utcnow

    engine = get_engine()
    started = await start_engine(engine)
    try:
        now = utcnow()
        path = TrainingPath(kind=PathKind.OTHER.value, title="Bench: iscrizioni contese")
        await path.save()
        starts = now + timedelta(days=30)
        course = Course(
            path=path.id,
            title="Bench: corso da 20 posti",
            capacity=CAPACITY,
            status=CourseStatus.PUBLISHED.value,
            enrolment_opens_at=now - timedelta(days=1),
            enrolment_closes_at=starts - timedelta(days=1),
            cancellation_deadline=starts - timedelta(days=2),
            starts_at=starts,
            ends_at=starts + timedelta(hours=4),
        )
        await course.save()
        await Session.insert(
            Session(
                course=course.id,
                starts_at=starts,
                ends_at=starts + timedelta(hours=4),
                topics="Bench",
                uid=f"{uuid.uuid4()}@training-hub",
            )
        )
        workers = ctx.data["worker_ids"][-n:]
        tokens = [(await issue_api_token(person_id))[0] for person_id in workers]
    finally:
        await stop_engine(engine, started=started)
    return course.id, tokens


def _verifier(course_id: int, n: int):
    async def verify() -> str:
        from training_hub.core.db import fetch_all, get_engine, start_engine, stop_engine

        engine = get_engine()
        started = await start_engine(engine)
        try:
            rows = await fetch_all(
                "SELECT id, person, status, waitlisted_at FROM enrolment WHERE course = {} ORDER BY id",
                course_id,
            )
        finally:
            await stop_engine(engine, started=started)
        confirmed = [row for row in rows if row["status"] == "confirmed"]
        waiting = sorted(
            (row for row in rows if row["status"] == "waitlisted"),
            key=lambda row: (row["waitlisted_at"], row["id"]),
        )
        problems = []
        if len(confirmed) != CAPACITY:
            problems.append(f"{len(confirmed)} confermati invece di {CAPACITY}")
        if len(waiting) != n - CAPACITY:
            problems.append(f"{len(waiting)} in lista d'attesa invece di {n - CAPACITY}")
        if len({row["person"] for row in rows}) != len(rows):
            problems.append("persone iscritte due volte")
        if problems:
            return "VERIFICA FALLITA: " + "; ".join(problems)
        return f"{len(confirmed)} confirmed, waiting list 1–{len(waiting)}, nobody twice"

    return verify


async def _my_enrolments(ctx: BenchContext) -> None:
    from training_hub.core.db import get_engine, start_engine, stop_engine
    from training_hub.core.tables import Enrolment, EnrolmentStatus
    from training_hub.core.timeutil import utcnow

    engine = get_engine()
    started = await start_engine(engine)
    try:
        person = ctx.data["people"]["worker@demo.test"]
        statuses = [EnrolmentStatus.CONFIRMED.value] * 3 + [
            EnrolmentStatus.WAITLISTED.value, EnrolmentStatus.CANCELLED.value]
        rows = [
            Enrolment(person=person, course=course_id, status=statuses[index % len(statuses)], confirmed_at=utcnow())
            for index, course_id in enumerate(ctx.data["course_ids"][-MY_ENROLMENTS:])
        ]
        await Enrolment.insert(*rows)
    finally:
        await stop_engine(engine, started=started)


async def probes(ctx: BenchContext) -> list[Probe]:
    await _my_enrolments(ctx)
    cookie = await ctx.session_cookie("worker@demo.test")
    n = min(ENROLMENTS, len(ctx.data["worker_ids"]))
    course_id, tokens = await _setup(ctx, n)
    batch = [
        (
            "POST",
            f"/api/courses/{course_id}/enrolments",
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            b"{}",
        )
        for token in tokens
    ]
    return [
        Probe(name=f"my enrolments, {MY_ENROLMENTS} courses (worker)", path="/my/enrolments", headers=cookie),
        Probe(
            name=f"{n} concurrent enrolments, {CAPACITY} seats",
            batch=batch,
            expect=(201,),
            concurrency=n,
            verify=_verifier(course_id, n),
        )
    ]
