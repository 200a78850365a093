"""Issue 21's probes that no other scenario had: "Le mie iscrizioni", the roll call, and the office
dashboard and summary API over a short period, next to the 14 months of ``reports.py``.

- my enrolments: the calendar scenario's reader (20 confirmed courses, 200 sessions), logged in;
- roll call: one session of a 30-participant, 20-session course (the register's, ``attendance.py``)
  as its trainer sees it;
- the dashboards over three months: with ``reports.py``'s fourteen, the pair shows whether their time
  grows with the period shown (at most linearly) or with the whole database (``--scale``).
"""

from __future__ import annotations

from datetime import date, timedelta

from bench.framework import BenchContext, Probe
from bench.scenarios.attendance import TRAINER_EMAIL, build_register_course
from bench.scenarios.calendars import EMAIL as READER_EMAIL
from bench.scenarios.calendars import _person_with_sessions
from training_hub.core.tables import Session, SessionStatus


async def _roll_call_session(ctx: BenchContext) -> int:
    if "growth_roll_session" not in ctx.data:  # built once per run (a second pass reuses it)
        course_id = await build_register_course(ctx, seed=21)
        session = await Session.select(Session.id).where(
            (Session.course == course_id) & (Session.status == SessionStatus.SCHEDULED.value)
        ).order_by(Session.starts_at, ascending=False).first()
        ctx.data["growth_roll_session"] = session["id"]
    return ctx.data["growth_roll_session"]


async def probes(ctx: BenchContext) -> list[Probe]:
    await _person_with_sessions(ctx)
    session_id = await _roll_call_session(ctx)
    reader = await ctx.session_cookie(READER_EMAIL)
    trainer = await ctx.session_cookie(TRAINER_EMAIL)
    admin = await ctx.session_cookie("admin@demo.test")
    token = await ctx.bearer("admin@demo.test")
    today = date.today()
    period = f"from={(today - timedelta(days=60)).isoformat()}&to={(today + timedelta(days=30)).isoformat()}"
    return [
        Probe(name="my enrolments /my/enrolments (20 courses)", path="/my/enrolments", headers=reader),
        Probe(name="roll call (30 participants)", path=f"/sessions/{session_id}/attendance", headers=trainer),
        Probe(name="office dashboard /reports (admin, 3 months)", path=f"/reports?{period}", headers=admin),
        Probe(name="summary API /api/reports/summary (admin, 3 months)", path=f"/api/reports/summary?{period}",
              headers=token),
    ]
