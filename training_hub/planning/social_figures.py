"""The training figures of the bilancio sociale, read from the registers: three SQL statements whatever
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

from datetime import date, datetime
from typing import Any

from training_hub.core.sql import Period, Sql
from training_hub.core.tables import CourseStatus, SessionStatus, SurveyStatus
from training_hub.core.timeutil import rome_day_bounds
from training_hub.surveys.results import MIN_RESPONSES

LEGAL_SOURCE = (
    "D.M. 4 luglio 2019 (G.U. n. 186 del 9/8/2019), Allegato 1, § 6, sezione 4 «Persone che operano per "
    "l'ente»: attività di formazione e valorizzazione realizzate"
)
HELD_COURSES = (CourseStatus.PUBLISHED.value, CourseStatus.COMPLETED.value)
OVERALL_QUESTION = "overall"


def quarter_ends(year: int) -> list[datetime]:
    """The UTC instants where the 1st, 2nd and 3rd quarters of ``year`` end (Rome midnights)."""
    return [rome_day_bounds(date(year, month, 1))[0] for month in (4, 7, 10)]


def _quarter_case(column: str, window: Period) -> Sql:
    ends = quarter_ends(window.first.year)
    return Sql().add(f"CASE WHEN {column} < {{}} THEN 1 WHEN {column} < {{}} THEN 2 WHEN {column} < {{}} THEN 3 "
                     "ELSE 4 END", *ends)


def _register_rows(window: Period, cooperative_id: int | None) -> Sql:
    """``ses`` (the sessions held in the window), ``ae`` (minutes per enrolment, course and quarter), ``pj``
    (the same with the person, their cooperative, area and cost) and ``pp`` (per person).

    The register rows are read once, from the window's sessions (an index on ``attendance.session``),
    and summed per enrolment before anything is joined to them: the joins then touch one row per
    participation instead of one per lesson.
    """
    sql = Sql().add(
        "ses AS MATERIALIZED (SELECT s.id, s.course, p.kind, "
        "CASE WHEN c.safety_course_type IS NULL OR c.safety_course_type = '' THEN 0 ELSE 1 END AS mandatory,"
    )
    sql.extend(_quarter_case("s.starts_at", window))
    sql.add(
        "AS quarter FROM course_session s JOIN course c ON c.id = s.course JOIN training_path p ON p.id = c.path "
        "WHERE s.status = {} AND s.starts_at >= {} AND s.starts_at < {} AND c.status IN ({}, {}))"
        ", ae AS MATERIALIZED (SELECT a.enrolment, ses.course, ses.kind, ses.mandatory, ses.quarter, "
        "SUM(a.minutes) AS minutes FROM attendance a JOIN ses ON ses.id = a.session WHERE a.minutes > 0",
        SessionStatus.SCHEDULED.value, window.start, window.end, *HELD_COURSES,
    )
    if cooperative_id is not None:
        sql.add("AND a.enrolment IN (SELECT ce.id FROM person cp JOIN enrolment ce ON ce.person = cp.id "
                "WHERE cp.cooperative = {})", cooperative_id)
    sql.add(
        "GROUP BY a.enrolment, ses.course, ses.kind, ses.mandatory, ses.quarter)"
        ", pj AS MATERIALIZED (SELECT e.person, ae.course, ae.kind, ae.mandatory, ae.quarter, ae.minutes, "
        "pe.cooperative, COALESCE(pe.area, '') AS area, ae.minutes * d.hourly_cost AS cost_minutes, "
        "CASE WHEN d.hourly_cost IS NULL THEN 0 ELSE ae.minutes END AS costed "
        "FROM ae JOIN enrolment e ON e.id = ae.enrolment JOIN person pe ON pe.id = e.person "
        "LEFT JOIN participant_fund_data d ON d.person = e.person"
    )
    return sql.add(
        "), pp AS MATERIALIZED (SELECT person, cooperative, area, SUM(minutes) AS minutes, "
        "SUM(cost_minutes) AS cost_minutes, SUM(costed) AS costed FROM pj GROUP BY person, cooperative, area)"
    )


# Per person (``pp``: each person in one cooperative and one area, counted with COUNT(*)), or per
# participation (``pj``: a person may have hours in several kinds and quarters, counted once in each).
_SUMS = ("COALESCE(CAST(SUM(minutes) AS BIGINT), 0) AS minutes, {people} AS people, {courses} AS courses, "
         "SUM(cost_minutes) AS cost_minutes, COALESCE(CAST(SUM(costed) AS BIGINT), 0) AS costed")
_BY_PERSON = _SUMS.format(people="COUNT(*)", courses="0") + " FROM pp"
_BY_PARTICIPATION = _SUMS.format(people="COUNT(DISTINCT person)", courses="0") + " FROM pj"


def _surveys(now: datetime) -> Sql:
    """``ok`` (the closed surveys with at least MIN_RESPONSES answers of the courses in ``pj``) and ``sq`` (per
    survey, the ratings of the overall question, when at least MIN_RESPONSES people gave one)."""
    return Sql().add(
        ", crs AS MATERIALIZED (SELECT DISTINCT course FROM pj)"
        ", nresp AS (SELECT r.survey, COUNT(*) AS n FROM crs JOIN survey sv ON sv.course = crs.course "
        "JOIN survey_response r ON r.survey = sv.id GROUP BY r.survey)"
        ", ok AS MATERIALIZED (SELECT sv.id, nresp.n FROM survey sv JOIN nresp ON nresp.survey = sv.id "
        "WHERE (sv.status = {} OR sv.closes_at <= {}) AND nresp.n >= {})"
        # Every question's ratings per survey first, from the surveys' own answers (CROSS JOIN: SQLite keeps
        # that order instead of walking every answer ever given to one question once per survey); then the
        # overall question among them.
        ", rated AS MATERIALIZED (SELECT r.survey, a.question, COUNT(*) AS n, SUM(a.rating) AS total FROM ok "
        "CROSS JOIN survey_response r CROSS JOIN survey_answer a WHERE r.survey = ok.id AND a.response = r.id "
        "AND a.rating IS NOT NULL GROUP BY r.survey, a.question HAVING COUNT(*) >= {})"
        ", sq AS MATERIALIZED (SELECT rated.survey, rated.n, rated.total FROM rated "
        "JOIN survey_question q ON q.id = rated.question WHERE q.code = {})",
        SurveyStatus.CLOSED.value, now, MIN_RESPONSES, MIN_RESPONSES, OVERALL_QUESTION,
    )


async def register_figures(window: Period, now: datetime, cooperative_id: int | None = None) -> list[dict[str, Any]]:
    """Hours, people and courses: in total and per path kind, area, mandatory, quarter, cooperative
    (courses only in total). One row per ``(dim, key)``; ``cost_minutes`` is minutes × hourly cost (divide
    by 60 for euro). The ``satisfaction`` row, computed from the same courses in the same statement, carries
    the overall question's ratings in ``minutes``, the responses in ``people``, the surveys in ``courses`` and
    the sum of the ratings in ``cost_minutes``."""
    sql = Sql().add("WITH").extend(_register_rows(window, cooperative_id)).extend(_surveys(now))
    sql.add("SELECT 'total' AS dim, '' AS key, " + _SUMS.format(
        people="COUNT(*)", courses="(SELECT COUNT(DISTINCT course) FROM pj)") + " FROM pp")
    sql.add(f"UNION ALL SELECT 'kind', kind, {_BY_PARTICIPATION} GROUP BY kind")
    sql.add(f"UNION ALL SELECT 'area', area, {_BY_PERSON} GROUP BY area")
    sql.add(f"UNION ALL SELECT 'mandatory', CAST(mandatory AS TEXT), {_BY_PARTICIPATION} GROUP BY mandatory")
    sql.add(f"UNION ALL SELECT 'quarter', CAST(quarter AS TEXT), {_BY_PARTICIPATION} GROUP BY quarter")
    sql.add(f"UNION ALL SELECT 'cooperative', COALESCE(CAST(cooperative AS TEXT), ''), {_BY_PERSON} "
            "GROUP BY cooperative")
    sql.add(
        "UNION ALL SELECT 'satisfaction', '', (SELECT COALESCE(CAST(SUM(n) AS BIGINT), 0) FROM sq), "
        "(SELECT COALESCE(CAST(SUM(n) AS BIGINT), 0) FROM ok), (SELECT COUNT(*) FROM ok), "
        "(SELECT SUM(total) FROM sq), 0"
    )
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


async def inclusion_rows(window: Period, cooperative_id: int | None = None) -> list[dict[str, Any]]:
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
        # CROSS JOIN: SQLite's planner keeps the order written, from the pathways' few people to their
        # enrolments, instead of walking every register row of the year (PostgreSQL plans it alike).
        ", pm AS (SELECT e.person, SUM(a.minutes) AS minutes FROM (SELECT DISTINCT person FROM pw) who "
        "CROSS JOIN enrolment e JOIN attendance a ON a.enrolment = e.id JOIN course_session s ON s.id = a.session "
        "JOIN course c ON c.id = s.course WHERE e.person = who.person AND s.status = {} "
        "AND s.starts_at >= {} AND s.starts_at < {} AND c.status IN ({}, {}) AND a.minutes > 0 GROUP BY e.person) "
        "SELECT pw.person, pw.pathway_type, pw.outcome, pw.province, "
        "COALESCE(CAST(pm.minutes AS BIGINT), 0) AS minutes FROM pw LEFT JOIN pm ON pm.person = pw.person",
        SessionStatus.SCHEDULED.value, window.start, window.end, *HELD_COURSES,
    )
    return await sql.fetch()


async def cooperative_options() -> list[dict[str, Any]]:
    return await Sql().add("SELECT id, name FROM cooperative ORDER BY name, id").fetch()
