"""The training year: every cooperative's plan of the year (20 lines each, two editions linked to each
line), the consortium's planned-against-delivered page for the office, one cooperative's plan page for
its coordinator's view, and the same plan through the API.

Built straight in the tables: one plan per cooperative of the data set, approved, lines linked to the
generator's courses (so delivered hours come from their sessions), and one budget per cooperative.
"""

from __future__ import annotations

from bench.framework import BenchContext, Probe
from training_hub.core.db import write_transaction
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.planning.tables import Budget, PlanLine, PlanLineCourse, TrainingPlan

LINES, COURSES_PER_LINE = 20, 2
ADMIN = "admin@demo.test"


async def build_plans(ctx: BenchContext, year: int) -> int:
    courses = ctx.data["course_ids"]
    cooperatives = ctx.data["cooperative_ids"]
    n = 0
    async with write_transaction():
        for index, cooperative_id in enumerate(cooperatives):
            budget = Budget(cooperative=cooperative_id, title="Conto formativo", source="foncoop", kind="fund_account",
                            amount_cents=1_000_000, committed_cents=250_000)
            await budget.save()
            plan = TrainingPlan(cooperative=cooperative_id, year=year, status="approved")
            await plan.save()
            for line in range(LINES):
                row = PlanLine(plan=plan.id, title=f"Corso {line + 1}", planned_minutes=480, participants=10,
                               estimated_cost_cents=150_000, budget=budget.id, quarter=line % 4 + 1)
                await row.save()
                for k in range(COURSES_PER_LINE):
                    await PlanLineCourse.insert(PlanLineCourse(
                        line=row.id, course=courses[(index * LINES * COURSES_PER_LINE + line * COURSES_PER_LINE + k)
                                                    % len(courses)]))
                n += 1
    return n


async def probes(ctx: BenchContext) -> list[Probe]:
    year = to_rome(utcnow()).date().year
    lines = await build_plans(ctx, year)
    cooperative_id = ctx.data["cooperative_ids"][0]
    office = await ctx.session_cookie(ADMIN)
    note = f"{len(ctx.data['cooperative_ids'])} plans, {lines} lines, {COURSES_PER_LINE} editions each"
    return [
        Probe("planning consortium page", f"/training-plans/{year}", headers=office, note=note),
        Probe("planning cooperative page", f"/training-plans/{year}?cooperative_id={cooperative_id}",
              headers=office, note=f"{LINES} lines"),
        Probe("planning plan API", f"/api/training-plans/{year}?cooperative_id={cooperative_id}",
              headers=await ctx.bearer(ADMIN), note=f"{LINES} lines"),
    ]
