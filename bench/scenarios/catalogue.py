"""The catalogue's first page and a course page, as a worker sees them.

With the default scale: 2,000 published courses (20 per page), 20,000 sessions. Before measuring, the
first 200 courses get some confirmed and waitlisted enrolments (unless a later generator section
already made some), so seats and waiting lists are real aggregates, not zeros.
"""

from __future__ import annotations

from bench.framework import BenchContext, Probe
from training_hub.core.db import get_engine
from training_hub.core.tables import Enrolment, EnrolmentStatus


async def _enrol_some(ctx: BenchContext) -> None:
    if await Enrolment.exists():
        await _analyze()
        return
    workers = ctx.data["worker_ids"]
    rows = []
    for index, course_id in enumerate(ctx.data["course_ids"][:200]):
        for seat in range(12 + index % 15):
            status = EnrolmentStatus.CONFIRMED.value if seat < 20 else EnrolmentStatus.WAITLISTED.value
            rows.append(Enrolment(person=workers[(index * 31 + seat) % len(workers)], course=course_id, status=status))
    for start in range(0, len(rows), 500):
        await Enrolment.insert(*rows[start:start + 500])
    await _analyze()


async def _analyze() -> None:
    """Planner statistics, as autovacuum would have them on a live database: right after a bulk load
    PostgreSQL has none and may nest-loop where a hash join is right (measured: 85 ms instead of 1 ms)."""
    if get_engine().engine_type != "sqlite":
        await get_engine().run_ddl("ANALYZE")


async def probes(ctx: BenchContext) -> list[Probe]:
    await _enrol_some(ctx)
    cookie = await ctx.session_cookie("worker@demo.test")
    bearer = await ctx.bearer("worker@demo.test")
    course_id = ctx.data["course_ids"][5]
    return [
        # References for reading the ratios: the cheapest pages the foundation serves, with no work of
        # their own (every HTML page pays for the session, the user, CSRF and base.html).
        Probe(name="reference: login page (anonymous)", path="/login"),
        Probe(name="reference: profile page (worker)", path="/profile", headers=cookie),
        Probe(name="catalogue, first page (worker)", path="/courses", headers=cookie),
        Probe(name="catalogue, filtered (worker)",
              path="/courses?kind=marketing&province=MI&seats_available=1&q=lavoro", headers=cookie),
        Probe(name="API catalogue, first page (worker)", path="/api/courses", headers=bearer),
        Probe(name="course page (worker)", path=f"/courses/{course_id}", headers=cookie),
        Probe(name="API course (worker)", path=f"/api/courses/{course_id}", headers=bearer),
    ]
