"""The training figures of the bilancio sociale, read from the registers: four SQL statements whatever
the amount of data (``count_queries`` checks it at two sizes), every one aggregated by the database.

Source: D.M. 4 luglio 2019 (Ministero del lavoro e delle politiche sociali, "Adozione delle Linee guida
per la redazione del bilancio sociale degli enti del Terzo settore", G.U. n. 186 del 9/8/2019), Allegato 1,
§ 6 "Struttura e contenuto del bilancio sociale", section 4 "Persone che operano per l'ente", item
"Attività di formazione e valorizzazione realizzate" (:data:`LEGAL_SOURCE`).

What each figure counts (the page prints these definitions too):

* **Hours of training** (ore di formazione): the minutes written in the attendance registers, summed:
  the rows of ``attendance`` for sessions not cancelled (the register leaves cancelled sessions out, and
  prints everyone recorded, including who left the course afterwards), of courses published or completed
  (a draft or a cancelled course delivered nothing), for sessions *starting* in the period (Europe/Rome
  days). They are person-hours: two people in a 3-hour lesson are 6 hours. A test builds registers and
  compares.
* **People trained**: distinct people with at least one minute recorded in the period; **courses**:
  distinct courses with at least one minute recorded. A person counts in the cooperative they belong
  to now (the directory keeps no history of moves).
* **Path kind** is the course's training path's; **area** is the person's area of work.
* **Mandatory** hours: courses with a safety course type (D.Lgs. 81/2008 art. 37, ``safety_course_type``
  set); every other hour is **voluntary**. Attestati obtained elsewhere are not hours delivered here.
* **Cost**: the only cost data kept is the participants' gross hourly cost of the funded plans
  (``participant_fund_data.hourly_cost``): cost = minutes × hourly cost / 60, over the people whose cost
  is recorded; the hours it covers are given next to it. Courses carry no cost of their own.
* **Satisfaction**: the average answer (1-5) to the overall question of the closed surveys with at least
  5 answers (``surveys.results.MIN_RESPONSES``), of the courses in which the scope's people have hours in
  the period; a question counts in a survey only when at least 5 people rated it (as the reports do).
* **Inclusion pathways**: the pathways active at some time in the period (hosted by the cooperative, for
  one cooperative), their people's hours in the period; shown only in groups of at least 5 (see
  ``social_report``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from training_hub.core.sql import Sql
from training_hub.core.tables import CourseStatus, SessionStatus, SurveyStatus
from training_hub.core.timeutil import rome_day_bounds
from training_hub.surveys.results import MIN_RESPONSES

LEGAL_SOURCE = (
    "D.M. 4 luglio 2019 (G.U. n. 186 del 9/8/2019), Allegato 1, § 6, sezione 4 «Persone che operano per "
    "l'ente»: attività di formazione e valorizzazione realizzate"
)
HELD_COURSES = (CourseStatus.PUBLISHED.value, CourseStatus.COMPLETED.value)
OVERALL_QUESTION = "overall"


@dataclass(frozen=True)
class Window:
    """Europe/Rome calendar days ``first``..``last`` (both included) and the quarters they touch."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return rome_day_bounds(self.first)[0]

    @property
    def end(self) -> datetime:
        return rome_day_bounds(self.last)[1]

    @property
    def year(self) -> int:
        return self.first.year

    def quarter_ends(self) -> list[datetime]:
        """The UTC instants where the 1st, 2nd and 3rd quarters of the year end."""
        return [rome_day_bounds(date(self.first.year, month, 1))[0] for month in (4, 7, 10)]


def _quarter_case(column: str, window: Window) -> Sql:
    ends = window.quarter_ends()
    return Sql().add(f"CASE WHEN {column} < {{}} THEN 1 WHEN {column} < {{}} THEN 2 WHEN {column} < {{}} THEN 3 "
                     "ELSE 4 END", *ends)


def _register_rows(window: Window, cooperative_id: int | None) -> Sql:
    """``att``: the register rows with minutes of the window (and of one cooperative's people)."""
    sql = Sql().add(
        "att AS MATERIALIZED (SELECT e.person, pe.cooperative, COALESCE(pe.area, '') AS area, p.kind, "
        "CASE WHEN c.safety_course_type IS NULL OR c.safety_course_type = '' THEN 0 ELSE 1 END AS mandatory,"
    )
    sql.extend(_quarter_case("s.starts_at", window))
    sql.add(
        "AS quarter, s.course, a.minutes, a.minutes * d.hourly_cost AS cost_minutes, "
        "CASE WHEN d.hourly_cost IS NULL THEN 0 ELSE a.minutes END AS costed "
        "FROM attendance a JOIN course_session s ON s.id = a.session JOIN course c ON c.id = s.course "
        "JOIN training_path p ON p.id = c.path JOIN enrolment e ON e.id = a.enrolment "
        "JOIN person pe ON pe.id = e.person LEFT JOIN participant_fund_data d ON d.person = pe.id "
        "WHERE s.status = {} AND s.starts_at >= {} AND s.starts_at < {} AND c.status IN ({}, {}) AND a.minutes > 0",
        SessionStatus.SCHEDULED.value, window.start, window.end, *HELD_COURSES,
    )
    if cooperative_id is not None:
        sql.add("AND pe.cooperative = {}", cooperative_id)
    return sql.add(")")


_FIGURES = (
    "COALESCE(CAST(SUM(minutes) AS BIGINT), 0) AS minutes, COUNT(DISTINCT person) AS people, "
    "COUNT(DISTINCT course) AS courses, SUM(cost_minutes) AS cost_minutes, "
    "COALESCE(CAST(SUM(costed) AS BIGINT), 0) AS costed FROM att"
)


async def register_figures(window: Window, cooperative_id: int | None = None) -> list[dict[str, Any]]:
    """Hours, people and courses: in total and per path kind, area, mandatory, quarter, cooperative.

    One row per ``(dim, key)``; ``cost_minutes`` is minutes × hourly cost (divide by 60 for euro).
    """
    sql = Sql().add("WITH").extend(_register_rows(window, cooperative_id))
    sql.add(f"SELECT 'total' AS dim, '' AS key, {_FIGURES}")
    sql.add(f"UNION ALL SELECT 'kind', kind, {_FIGURES} GROUP BY kind")
    sql.add(f"UNION ALL SELECT 'area', area, {_FIGURES} GROUP BY area")
    sql.add(f"UNION ALL SELECT 'mandatory', CAST(mandatory AS TEXT), {_FIGURES} GROUP BY mandatory")
    sql.add(f"UNION ALL SELECT 'quarter', CAST(quarter AS TEXT), {_FIGURES} GROUP BY quarter")
    sql.add(f"UNION ALL SELECT 'cooperative', COALESCE(CAST(cooperative AS TEXT), ''), {_FIGURES} "
            "GROUP BY cooperative")
    return await sql.fetch()


async def headcounts(year: int, cooperative_id: int | None = None) -> list[dict[str, Any]]:
    """Every cooperative (or the one asked for) with the headcount entered for ``year`` (None if not)."""
    sql = Sql().add(
        "SELECT co.id, co.name, co.active, h.total AS headcount FROM cooperative co "
        "LEFT JOIN cooperative_headcount h ON h.cooperative = co.id AND h.year = {}", year,
    )
    if cooperative_id is not None:
        sql.add("WHERE co.id = {}", cooperative_id)
    return await sql.add("ORDER BY co.name, co.id").fetch()


async def satisfaction(window: Window, now: datetime, cooperative_id: int | None = None) -> dict[str, Any]:
    """Surveys, responses, ratings of the overall question (count and sum) over the eligible surveys."""
    courses = Sql().add(
        "crs AS MATERIALIZED (SELECT DISTINCT s.course FROM attendance a JOIN course_session s ON s.id = a.session "
        "JOIN course c ON c.id = s.course JOIN enrolment e ON e.id = a.enrolment JOIN person pe ON pe.id = e.person "
        "WHERE s.status = {} AND s.starts_at >= {} AND s.starts_at < {} AND c.status IN ({}, {}) AND a.minutes > 0",
        SessionStatus.SCHEDULED.value, window.start, window.end, *HELD_COURSES,
    )
    if cooperative_id is not None:
        courses.add("AND pe.cooperative = {}", cooperative_id)
    courses.add(")")
    sql = Sql().add("WITH").extend(courses).add(
        ", nresp AS (SELECT r.survey, COUNT(*) AS n FROM survey_response r JOIN survey sv ON sv.id = r.survey "
        "JOIN crs ON crs.course = sv.course GROUP BY r.survey)"
        ", ok AS MATERIALIZED (SELECT sv.id, nresp.n FROM survey sv JOIN nresp ON nresp.survey = sv.id "
        "WHERE (sv.status = {} OR sv.closes_at <= {}) AND nresp.n >= {})"
        ", sq AS (SELECT r.survey, COUNT(*) AS n, SUM(a.rating) AS total FROM survey_answer a "
        "JOIN survey_response r ON r.id = a.response JOIN ok ON ok.id = r.survey "
        "JOIN survey_question q ON q.id = a.question "
        "WHERE a.rating IS NOT NULL AND q.code = {} GROUP BY r.survey HAVING COUNT(*) >= {}) "
        "SELECT (SELECT COUNT(*) FROM ok) AS surveys, (SELECT COALESCE(CAST(SUM(n) AS BIGINT), 0) FROM ok) AS responses, "
        "(SELECT COALESCE(CAST(SUM(n) AS BIGINT), 0) FROM sq) AS ratings, "
        "(SELECT COALESCE(CAST(SUM(total) AS BIGINT), 0) FROM sq) AS rating_total",
        SurveyStatus.CLOSED.value, now, MIN_RESPONSES, OVERALL_QUESTION, MIN_RESPONSES,
    )
    rows = await sql.fetch()
    return rows[0]


async def inclusion_rows(window: Window, cooperative_id: int | None = None) -> list[dict[str, Any]]:
    """The pathways active in the window (hosted by the cooperative), each with its person's register minutes
    in the window. Special-category data: only ever turned into groups of at least 5 (``social_report``)."""
    pathways = Sql().add(
        "pw AS MATERIALIZED (SELECT ip.person, ip.pathway_type, ip.outcome, co.province FROM inclusion_pathway ip "
        "LEFT JOIN cooperative co ON co.id = ip.host_cooperative WHERE ip.starts_on <= {} "
        "AND (ip.ends_on IS NULL OR ip.ends_on >= {})",
        window.last, window.first,
    )
    if cooperative_id is not None:
        pathways.add("AND ip.host_cooperative = {}", cooperative_id)
    pathways.add(")")
    sql = Sql().add("WITH").extend(pathways).add(
        ", pm AS (SELECT e.person, SUM(a.minutes) AS minutes FROM attendance a "
        "JOIN course_session s ON s.id = a.session JOIN course c ON c.id = s.course "
        "JOIN enrolment e ON e.id = a.enrolment WHERE e.person IN (SELECT person FROM pw) AND s.status = {} "
        "AND s.starts_at >= {} AND s.starts_at < {} AND c.status IN ({}, {}) AND a.minutes > 0 GROUP BY e.person) "
        "SELECT pw.person, pw.pathway_type, pw.outcome, pw.province, "
        "COALESCE(CAST(pm.minutes AS BIGINT), 0) AS minutes FROM pw LEFT JOIN pm ON pm.person = pw.person",
        SessionStatus.SCHEDULED.value, window.start, window.end, *HELD_COURSES,
    )
    return await sql.fetch()


async def cooperative_options() -> list[dict[str, Any]]:
    return await Sql().add("SELECT id, name FROM cooperative ORDER BY name, id").fetch()
