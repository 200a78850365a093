"""Planned against delivered: the figures of a year's training plans, in a fixed number of statements.

Delivered uses the reports' definitions (``core/delivery.py``, shared with ``reports/queries.py``):

* **Hours delivered** of a line: the length of the sessions *held* in the plan's year (not cancelled,
  over, of a published or completed course) of the editions linked to the line, each session counted
  once. A cooperative's and the consortium's hours count each linked edition once, even when it
  delivers several lines (a course shared by two cooperatives' plans counts once for the consortium).
* **Participants**: distinct people of the plan's cooperative with a confirmed enrolment in a linked
  edition with sessions held in the year — the reports' participants with a cooperative filter.
* **Cost delivered**: what the office recorded a line cost (``actual_cost_cents``); planned cost is the
  estimate. Neither is inferred from hourly costs.

Planned figures are the lines' own: minutes, participants, estimated cost.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from training_hub.core.delivery import HELD_COURSE_STATUSES, held_sessions_sql
from training_hub.core.sql import Sql, minutes_between_sql
from training_hub.core.tables import EnrolmentStatus
from training_hub.core.timeutil import rome_day_bounds, utcnow

LINE_COLUMNS = (
    "pl.id, pl.plan AS plan_id, tp.cooperative AS cooperative_id, co.name AS cooperative_name, pl.need AS need_id, "
    "pl.title, pl.course_type, pl.target_group, pl.planned_minutes, pl.participants, pl.estimated_cost_cents, "
    "pl.actual_cost_cents, pl.budget AS budget_id, b.title AS budget_title, b.source AS budget_source, "
    "b.expires_on AS budget_expires_on, pl.quarter"
)
LINE_FROM = (
    "FROM plan_line pl JOIN training_plan tp ON tp.id = pl.plan JOIN cooperative co ON co.id = tp.cooperative "
    "LEFT JOIN budget b ON b.id = pl.budget"
)


def _plans_filter(year: int, cooperative_id: int | None) -> Sql:
    sql = Sql().add("tp.year = {}", year)
    if cooperative_id is not None:
        sql.add("AND tp.cooperative = {}", cooperative_id)
    return sql


async def plan_lines(year: int, cooperative_id: int | None) -> list[dict[str, Any]]:
    """The lines of the year's plans (of one cooperative, or all), by cooperative, quarter and title."""
    sql = Sql().add(f"SELECT {LINE_COLUMNS} {LINE_FROM} WHERE").extend(_plans_filter(year, cooperative_id))
    return [dict(row) for row in await sql.add("ORDER BY co.name, tp.cooperative, pl.quarter, pl.title, pl.id").fetch()]


async def linked_courses(year: int, cooperative_id: int | None) -> list[dict[str, Any]]:
    sql = Sql().add(
        "SELECT plc.line AS line_id, c.id AS course_id, c.title, c.status, c.starts_at FROM plan_line_course plc "
        "JOIN plan_line pl ON pl.id = plc.line JOIN training_plan tp ON tp.id = pl.plan "
        "JOIN course c ON c.id = plc.course WHERE").extend(_plans_filter(year, cooperative_id))
    return await sql.add("ORDER BY c.starts_at, c.id").fetch()


async def delivered_figures(year: int, cooperative_id: int | None, now: datetime | None = None) -> dict[str, Any]:
    """Delivered minutes and participants per line, per cooperative and in total, in one statement."""
    start, end = rome_day_bounds(datetime(year, 1, 1).date())[0], rome_day_bounds(datetime(year, 12, 31).date())[1]
    sql = Sql().add(
        "WITH lc AS MATERIALIZED (SELECT plc.line, plc.course, tp.cooperative FROM plan_line_course plc "
        "JOIN plan_line pl ON pl.id = plc.line JOIN training_plan tp ON tp.id = pl.plan WHERE"
    ).extend(_plans_filter(year, cooperative_id)).add(")")
    sql.add(
        f", cmin AS MATERIALIZED (SELECT s.course, SUM({minutes_between_sql('s.starts_at', 's.ends_at')}) AS minutes "
        "FROM course_session s JOIN course c ON c.id = s.course WHERE s.course IN (SELECT course FROM lc) "
        "AND c.status IN ({}, {}) AND", *HELD_COURSE_STATUSES,
    ).extend(held_sessions_sql(start, end, now or utcnow())).add("GROUP BY s.course)")
    sql.add(
        ", part AS MATERIALIZED (SELECT DISTINCT lc.line, lc.cooperative, e.person FROM lc "
        "JOIN enrolment e ON e.course = lc.course JOIN person pe ON pe.id = e.person "
        "WHERE e.status = {} AND pe.cooperative = lc.cooperative AND lc.course IN (SELECT course FROM cmin))"
        ", cc AS (SELECT DISTINCT cooperative, course FROM lc)"
        ", tc AS (SELECT DISTINCT course FROM lc) "
        "SELECT 'line_minutes' AS dim, lc.line AS key, CAST(SUM(cmin.minutes) AS BIGINT) AS value "
        "FROM lc JOIN cmin ON cmin.course = lc.course GROUP BY lc.line "
        "UNION ALL SELECT 'line_people', line, COUNT(DISTINCT person) FROM part GROUP BY line "
        "UNION ALL SELECT 'cooperative_minutes', cc.cooperative, CAST(SUM(cmin.minutes) AS BIGINT) "
        "FROM cc JOIN cmin ON cmin.course = cc.course GROUP BY cc.cooperative "
        "UNION ALL SELECT 'cooperative_people', cooperative, COUNT(DISTINCT person) FROM part GROUP BY cooperative "
        "UNION ALL SELECT 'total_minutes', 0, CAST(COALESCE(SUM(cmin.minutes), 0) AS BIGINT) "
        "FROM tc JOIN cmin ON cmin.course = tc.course "
        "UNION ALL SELECT 'total_people', 0, COUNT(DISTINCT person) FROM part",
        EnrolmentStatus.CONFIRMED.value,
    )
    out: dict[str, dict[int, int]] = {}
    for row in await sql.fetch():
        out.setdefault(row["dim"], {})[int(row["key"])] = int(row["value"] or 0)
    return out
