"""The report figures: one SQL statement each, every one aggregated by the database.

Every figure is aggregated by the database (``GROUP BY`` in hand-written, portable SQL, see ``core/sql.py``):
Python only merges a few already-aggregated rows by key and divides two totals for a rate. Each
dashboard runs a fixed number of queries whatever the amount of data.

Definitions (also shown on the pages)
    * **Period**: from/to are Europe/Rome calendar days, both included. Sessions count in the period
      when they *start* in it; completion, drop-out and surveys concern courses that *ended* in it;
      waiting lists concern courses that *start* in it.
    * **Sessions held**: scheduled (not cancelled) sessions of published or completed courses that are
      over; sessions still to come are planned, not delivered, and count nowhere.
      (``core/delivery.py``: the training plan's delivered figures use the same definition.)
    * **Hours delivered** (ore erogate): the length of the sessions held, each counted once.
    * **Participants**: distinct people with a confirmed enrolment in a course with sessions held in
      the period. A cancelled enrolment is not a participation (it may be a drop-out, below).
    * **Hours scheduled for participants** (ore previste): for each confirmed enrolment, the length of
      the course's sessions held in the period. **Hours attended** (ore di presenza): the minutes in the
      attendance registers of those enrolments for those sessions. Attendance rate = attended/scheduled.
      Province and cooperative are the participant's cooperative's; area is the participant's area.
    * **Completion and drop-out** concern the courses that ended in the period (and before now) with
      at least one attendance recorded; courses ended without any register are counted apart, since
      they would otherwise look like a 100% drop-out. Their enrolments that were confirmed, or were
      cancelled after the course had started, form the cohort. *Completed*: confirmed and attended
      at least the course's threshold (default 70%) of its scheduled minutes — the certificate's rule
      (``attendance/rules.py``: non-cancelled sessions, minutes rounded down, exactly met counts).
      *Dropped out*: cancelled after the start, or confirmed with no minute attended. The rest
      attended something but less than the threshold.
    * **Waiting-list pressure**: published courses starting in the period whose confirmed seats fill
      the capacity while at least one person waits.
    * With a cooperative or province filter, participant figures count only that cooperative's (or
      province's) people, and course figures the courses with at least one of them confirmed.
    * Survey results: see ``training_hub/surveys/results.py`` (closed surveys with at least 5 answers, and
      of those only the questions rated by at least 5 people).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from training_hub.core.db import fetch_all
from training_hub.core.delivery import HELD_COURSE_STATUSES, held_sessions_sql
from training_hub.core.sql import Sql, minutes_between_sql, month_case
from training_hub.core.tables import CourseStatus, EnrolmentStatus, QuestionKind, SessionStatus, SurveyStatus
from training_hub.core.timeutil import utcnow
from training_hub.reports.period import Period
from training_hub.reports.scope import Scope
from training_hub.surveys.results import MIN_RESPONSES


def _person_filter(scope: Scope, person: str, cooperative: str) -> Sql:
    sql = Sql()
    if scope.cooperative_id is not None:
        sql.add(f"AND {person}.cooperative = {{}}", scope.cooperative_id)
    if scope.province:
        sql.add(f"AND {cooperative}.province = {{}}", scope.province)
    return sql


def _course_filter(scope: Scope) -> Sql:
    """Conditions on ``course c`` joined with ``training_path p``."""
    sql = Sql().add("c.status IN ({}, {})", *HELD_COURSE_STATUSES)
    if scope.path_kind:
        sql.add("AND p.kind = {}", scope.path_kind)
    if scope.trainer_id is not None:
        # The catalogue's rule (catalogue.access.is_course_trainer): listed among the course's
        # trainers, or teaching one of its scheduled sessions.
        sql.add(
            "AND c.id IN (SELECT ct.course FROM course_trainer ct WHERE ct.person = {} "
            "UNION SELECT ts.course FROM course_session ts WHERE ts.trainer = {} AND ts.status = {})",
            scope.trainer_id, scope.trainer_id, SessionStatus.SCHEDULED.value,
        )
    if scope.person_filter:
        sql.add(
            "AND c.id IN (SELECT fe.course FROM enrolment fe JOIN person fp ON fp.id = fe.person "
            "LEFT JOIN cooperative fc ON fc.id = fp.cooperative WHERE fe.status = {}",
            EnrolmentStatus.CONFIRMED.value,
        )
        sql.extend(_person_filter(scope, "fp", "fc")).add(")")
    return sql


def _sessions_cte(scope: Scope, period: Period, now: datetime | None = None) -> Sql:
    """``sess``: the sessions held in the period and scope (already over at ``now``), with their minutes and
    Rome month. Sessions still to come are planned, not delivered: they count nowhere here."""
    sql = Sql().add(f"sess AS MATERIALIZED (SELECT s.id, s.course, p.kind, "
                    f"{minutes_between_sql('s.starts_at', 's.ends_at')} AS minutes,")
    sql.extend(month_case("s.starts_at", period.months()))
    sql.add("AS month FROM course_session s JOIN course c ON c.id = s.course JOIN training_path p ON p.id = c.path WHERE")
    sql.extend(held_sessions_sql(period.start, period.end, now or utcnow())).add("AND")
    return sql.extend(_course_filter(scope)).add(")")


def _participants_ctes(scope: Scope, period: Period, now: datetime | None = None) -> Sql:
    """``sess``, ``part`` (confirmed enrolments in scope) and ``pm`` (per enrolment and month)."""
    sql = Sql().add("WITH").extend(_sessions_cte(scope, period, now))
    sql.add(
        ", part AS MATERIALIZED (SELECT e.id AS enrolment, e.person, e.course, pe.cooperative, "
        "co.name AS cooperative_name, co.province, pe.area FROM enrolment e JOIN person pe ON pe.id = e.person "
        "LEFT JOIN cooperative co ON co.id = pe.cooperative "
        "WHERE e.status = {} AND e.course IN (SELECT course FROM sess)",
        EnrolmentStatus.CONFIRMED.value,
    )
    sql.extend(_person_filter(scope, "pe", "co")).add(")")
    sql.add(
        ", cm AS (SELECT course, kind, month, SUM(minutes) AS minutes FROM sess GROUP BY course, kind, month)"
        ", am AS (SELECT a.enrolment, sess.month, SUM(a.minutes) AS minutes FROM attendance a "
        "JOIN sess ON sess.id = a.session GROUP BY a.enrolment, sess.month)"
        ", pm AS MATERIALIZED (SELECT part.enrolment, part.person, part.course, part.cooperative, "
        "part.cooperative_name, part.province, part.area, cm.kind, cm.month, cm.minutes AS scheduled, "
        "COALESCE(am.minutes, 0) AS attended FROM part JOIN cm ON cm.course = part.course "
        "LEFT JOIN am ON am.enrolment = part.enrolment AND am.month = cm.month)"
    )
    return sql


_PM_FIGURES = (
    "COUNT(DISTINCT person) AS participants, COUNT(DISTINCT enrolment) AS enrolments, "
    "COALESCE(CAST(SUM(scheduled) AS BIGINT), 0) AS scheduled_minutes, "
    "COALESCE(CAST(SUM(attended) AS BIGINT), 0) AS attended_minutes FROM pm"
)
_SESS_FIGURES = (
    "COUNT(DISTINCT course) AS courses, COUNT(*) AS sessions, "
    "COALESCE(CAST(SUM(minutes) AS BIGINT), 0) AS delivered_minutes FROM sess"
)


# Queries (each one statement, aggregated by the database) ----------------------------------------


async def course_side(scope: Scope, period: Period, now: datetime | None = None) -> list[dict[str, Any]]:
    """Courses, sessions and hours delivered: in total, per month, per path kind."""
    sql = Sql().add("WITH").extend(_sessions_cte(scope, period, now))
    sql.add(f"SELECT 'total' AS dim, '' AS key, {_SESS_FIGURES}")
    sql.add(f"UNION ALL SELECT 'month', month, {_SESS_FIGURES} GROUP BY month")
    sql.add(f"UNION ALL SELECT 'kind', kind, {_SESS_FIGURES} GROUP BY kind")
    return await sql.fetch()


async def participant_side(scope: Scope, period: Period, now: datetime | None = None) -> list[dict[str, Any]]:
    """Participants and hours scheduled/attended: in total and per month, kind, province, area, cooperative.

    Province, area and cooperative belong to the person, so those three are grouped from a per-person
    subtotal (``pp``) where counting participants needs no DISTINCT.
    """
    sql = _participants_ctes(scope, period, now)
    sql.add(
        ", pp AS MATERIALIZED (SELECT person, province, area, cooperative, cooperative_name, "
        "SUM(scheduled) AS scheduled, SUM(attended) AS attended FROM pm "
        "GROUP BY person, province, area, cooperative, cooperative_name)"
    )
    sums = ("COALESCE(CAST(SUM(scheduled) AS BIGINT), 0) AS scheduled_minutes, "
            "COALESCE(CAST(SUM(attended) AS BIGINT), 0) AS attended_minutes")
    by_person = f"COUNT(*) AS participants, 0 AS enrolments, {sums} FROM pp"
    sql.add(f"SELECT 'total' AS dim, '' AS key, '' AS label, {_PM_FIGURES}")
    sql.add(f"UNION ALL SELECT 'month', month, '', COUNT(DISTINCT person), 0, {sums} FROM pm GROUP BY month")
    sql.add(f"UNION ALL SELECT 'kind', kind, '', COUNT(DISTINCT person), 0, {sums} FROM pm GROUP BY kind")
    sql.add(f"UNION ALL SELECT 'province', COALESCE(province, ''), '', {by_person} GROUP BY province")
    sql.add(f"UNION ALL SELECT 'area', COALESCE(area, ''), '', {by_person} GROUP BY area")
    sql.add(
        "UNION ALL SELECT 'cooperative', COALESCE(CAST(cooperative AS TEXT), ''), COALESCE(cooperative_name, ''), "
        f"{by_person} GROUP BY cooperative, cooperative_name"
    )
    return await sql.fetch()


async def course_list(scope: Scope, period: Period, now: datetime | None = None) -> list[dict[str, Any]]:
    """Per course with sessions in the period: sessions, hours, participants, attendance."""
    sql = _participants_ctes(scope, period, now)
    sql.add(
        ", cs AS (SELECT course, COUNT(*) AS sessions, SUM(minutes) AS minutes FROM sess GROUP BY course)"
        ", pa AS (SELECT course, COUNT(DISTINCT person) AS participants, COUNT(DISTINCT enrolment) AS enrolments, "
        "SUM(scheduled) AS scheduled, SUM(attended) AS attended FROM pm GROUP BY course) "
        "SELECT c.id, c.title, p.kind, c.starts_at, c.ends_at, c.capacity, cs.sessions, "
        "CAST(cs.minutes AS BIGINT) AS delivered_minutes, COALESCE(pa.participants, 0) AS participants, "
        "COALESCE(CAST(pa.scheduled AS BIGINT), 0) AS scheduled_minutes, "
        "COALESCE(CAST(pa.attended AS BIGINT), 0) AS attended_minutes "
        "FROM cs JOIN course c ON c.id = cs.course JOIN training_path p ON p.id = c.path "
        "LEFT JOIN pa ON pa.course = cs.course ORDER BY c.starts_at, c.id"
    )
    return await sql.fetch()


async def completion(scope: Scope, period: Period, now: datetime) -> list[dict[str, Any]]:
    """Completion and drop-out over the courses that ended in the period: in total and per path kind."""
    minutes = minutes_between_sql("s.starts_at", "s.ends_at")
    sql = Sql().add(
        "WITH ended AS MATERIALIZED (SELECT c.id, c.attendance_threshold AS threshold, c.starts_at, p.kind "
        "FROM course c JOIN training_path p ON p.id = c.path "
        "WHERE c.ends_at >= {} AND c.ends_at < {} AND c.ends_at <= {} AND",
        period.start, period.end, now,
    )
    sql.extend(_course_filter(scope)).add(")")
    sql.add(
        f", es AS MATERIALIZED (SELECT s.id, s.course, {minutes} AS minutes FROM course_session s "
        "WHERE s.status = {} AND s.course IN (SELECT id FROM ended))"
        ", sched AS (SELECT course, SUM(minutes) AS minutes FROM es GROUP BY course)"
        ", att AS MATERIALIZED (SELECT a.enrolment, es.course, SUM(a.minutes) AS minutes FROM attendance a "
        "JOIN es ON es.id = a.session GROUP BY a.enrolment, es.course)"
        ", rec AS MATERIALIZED (SELECT DISTINCT course FROM att)",
        SessionStatus.SCHEDULED.value,
    )
    sql.add(
        ", cohort AS MATERIALIZED (SELECT e.id, e.status, ended.kind, ended.threshold, "
        "COALESCE(sched.minutes, 0) AS scheduled, COALESCE(att.minutes, 0) AS attended "
        "FROM enrolment e JOIN ended ON ended.id = e.course JOIN rec ON rec.course = e.course "
        "LEFT JOIN sched ON sched.course = e.course LEFT JOIN att ON att.enrolment = e.id "
        "JOIN person pe ON pe.id = e.person LEFT JOIN cooperative co ON co.id = pe.cooperative "
        "WHERE (e.status = {} OR (e.status = {} AND e.cancelled_at >= ended.starts_at))",
        EnrolmentStatus.CONFIRMED.value, EnrolmentStatus.CANCELLED.value,
    )
    sql.extend(_person_filter(scope, "pe", "co")).add(")")
    figures = (
        "COUNT(*) AS cohort, "
        "COALESCE(SUM(CASE WHEN status = {} AND scheduled > 0 AND attended * 100 >= threshold * scheduled "
        "THEN 1 ELSE 0 END), 0) AS completed, "
        "COALESCE(SUM(CASE WHEN status = {} OR attended = 0 THEN 1 ELSE 0 END), 0) AS dropped FROM cohort"
    )
    confirmed, cancelled = EnrolmentStatus.CONFIRMED.value, EnrolmentStatus.CANCELLED.value
    sql.add(f"SELECT 'total' AS dim, '' AS key, {figures}", confirmed, cancelled)
    sql.add(f"UNION ALL SELECT 'kind', kind, {figures} GROUP BY kind", confirmed, cancelled)
    sql.add("UNION ALL SELECT 'unrecorded', '', COUNT(*), 0, 0 FROM ended WHERE id NOT IN (SELECT course FROM rec)")
    return await sql.fetch()


async def waiting_lists(scope: Scope, period: Period) -> list[dict[str, Any]]:
    """Published courses starting in the period, full, with people waiting."""
    course_scope = Scope(scope.view, path_kind=scope.path_kind, trainer_id=scope.trainer_id)
    sql = Sql().add(
        "WITH cand AS MATERIALIZED (SELECT c.id, c.title, p.kind, c.starts_at, c.capacity FROM course c "
        "JOIN training_path p ON p.id = c.path WHERE c.status = {} AND c.starts_at >= {} AND c.starts_at < {} AND",
        CourseStatus.PUBLISHED.value, period.start, period.end,
    ).extend(_course_filter(course_scope)).add(")")
    in_scope = Sql().add("1")
    if scope.person_filter:
        in_scope = Sql().add("CASE WHEN 1 = 1").extend(_person_filter(scope, "wp", "wc")).add("THEN 1 ELSE 0 END")
    sql.add(
        ", counts AS (SELECT e.course, SUM(CASE WHEN e.status = {} THEN 1 ELSE 0 END) AS confirmed, "
        "SUM(CASE WHEN e.status = {} THEN 1 ELSE 0 END) AS waitlisted, SUM(CASE WHEN e.status = {} THEN",
        EnrolmentStatus.CONFIRMED.value, EnrolmentStatus.WAITLISTED.value, EnrolmentStatus.WAITLISTED.value,
    ).extend(in_scope).add(
        "ELSE 0 END) AS waitlisted_in_scope FROM enrolment e JOIN person wp ON wp.id = e.person "
        "LEFT JOIN cooperative wc ON wc.id = wp.cooperative WHERE e.course IN (SELECT id FROM cand) "
        "AND e.status IN ({}, {}) GROUP BY e.course) "
        "SELECT cand.id, cand.title, cand.kind, cand.starts_at, cand.capacity, counts.confirmed, counts.waitlisted, "
        "counts.waitlisted_in_scope FROM cand JOIN counts ON counts.course = cand.id "
        "WHERE counts.confirmed >= cand.capacity AND counts.waitlisted_in_scope > 0 "
        "ORDER BY counts.waitlisted DESC, cand.starts_at, cand.id",
        EnrolmentStatus.CONFIRMED.value, EnrolmentStatus.WAITLISTED.value,
    )
    return await sql.fetch()


def _surveys_cte(scope: Scope, period: Period) -> Sql:
    """``svs``: the surveys of the courses ended in the period and scope, with their response counts."""
    sql = Sql().add(
        "svs AS MATERIALIZED (SELECT sv.id, sv.course, sv.status, sv.closes_at, c.title, c.ends_at, p.kind "
        "FROM survey sv JOIN course c ON c.id = sv.course JOIN training_path p ON p.id = c.path "
        "WHERE c.ends_at >= {} AND c.ends_at < {} AND",
        period.start, period.end,
    ).extend(_course_filter(scope)).add(")")
    return sql.add(
        ", nresp AS MATERIALIZED (SELECT r.survey, COUNT(*) AS n FROM survey_response r "
        "WHERE r.survey IN (SELECT id FROM svs) GROUP BY r.survey)"
    )


def _eligible_surveys_cte(scope: Scope, period: Period, now: datetime) -> Sql:
    """``svs``, ``nresp`` and ``ok``: closed surveys with at least MIN_RESPONSES answers."""
    return _surveys_cte(scope, period).add(
        ", ok AS MATERIALIZED (SELECT svs.id, svs.course, svs.kind FROM svs JOIN nresp ON nresp.survey = svs.id "
        "WHERE (svs.status = {} OR svs.closes_at <= {}) AND nresp.n >= {})",
        SurveyStatus.CLOSED.value, now, MIN_RESPONSES,
    )


def _eligible_ratings_cte(scope: Scope, period: Period, now: datetime) -> Sql:
    """``svs``, ``nresp``, ``ok`` and ``sq``: per eligible survey and question, how many rated it and the
    sum of the ratings, only for the questions rated by at least MIN_RESPONSES people in their survey (a
    question added or switched on while the survey was open was asked only to those who answered later:
    see surveys/results.py). Every survey figure is summed from these blocks."""
    return _eligible_surveys_cte(scope, period, now).add(
        ", sq AS MATERIALIZED (SELECT ok.id AS survey, ok.course, ok.kind, a.question, COUNT(*) AS n, "
        "SUM(a.rating) AS total FROM survey_answer a JOIN survey_response r ON r.id = a.response "
        "JOIN ok ON ok.id = r.survey WHERE a.rating IS NOT NULL GROUP BY ok.id, ok.course, ok.kind, a.question "
        "HAVING COUNT(*) >= {})",
        MIN_RESPONSES,
    )


async def survey_courses(scope: Scope, period: Period) -> list[dict[str, Any]]:
    """Every survey of the courses ended in the period: counts only (who answered is not here)."""
    sql = Sql().add("WITH").extend(_surveys_cte(scope, period))
    sql.add(
        ", ninv AS (SELECT i.survey, COUNT(*) AS n FROM survey_invitation i WHERE i.survey IN (SELECT id FROM svs) "
        "GROUP BY i.survey) "
        "SELECT svs.id, svs.status, svs.closes_at, svs.course AS course_id, svs.title, svs.kind, svs.ends_at, "
        "COALESCE(ninv.n, 0) AS invited, COALESCE(nresp.n, 0) AS responses FROM svs "
        "LEFT JOIN ninv ON ninv.survey = svs.id LEFT JOIN nresp ON nresp.survey = svs.id "
        "ORDER BY svs.ends_at DESC, svs.id DESC"
    )
    return await sql.fetch()


async def survey_ratings(scope: Scope, period: Period, now: datetime) -> list[dict[str, Any]]:
    """Rating counts and sums per question: per survey, per path kind and in total (eligible surveys only).

    Rows with ``question`` 0 carry the number of responses in ``n``.
    """
    responses = "FROM ok JOIN nresp ON nresp.survey = ok.id"
    sql = Sql().add("WITH").extend(_eligible_ratings_cte(scope, period, now))
    sql.add(
        "SELECT 'survey' AS dim, CAST(survey AS TEXT) AS key, question, CAST(n AS BIGINT) AS n, "
        "CAST(total AS BIGINT) AS total FROM sq "
        "UNION ALL SELECT 'kind', kind, question, CAST(SUM(n) AS BIGINT), CAST(SUM(total) AS BIGINT) FROM sq "
        "GROUP BY kind, question "
        "UNION ALL SELECT 'total', '', question, CAST(SUM(n) AS BIGINT), CAST(SUM(total) AS BIGINT) FROM sq "
        "GROUP BY question "
        f"UNION ALL SELECT 'survey', CAST(ok.id AS TEXT), 0, nresp.n, 0 {responses} "
        f"UNION ALL SELECT 'kind', ok.kind, 0, CAST(SUM(nresp.n) AS BIGINT), 0 {responses} GROUP BY ok.kind "
        f"UNION ALL SELECT 'total', '', 0, CAST(COALESCE(SUM(nresp.n), 0) AS BIGINT), 0 {responses}"
    )
    return await sql.fetch()


async def survey_trainers(scope: Scope, period: Period, now: datetime) -> list[dict[str, Any]]:
    """Rating counts and sums per trainer and question (eligible surveys only); question 0: responses in
    ``n`` and surveys in ``total``."""
    only = Sql()
    if scope.trainer_id is not None:
        only.add("WHERE ct.person = {}", scope.trainer_id)
    sql = Sql().add("WITH").extend(_eligible_ratings_cte(scope, period, now))
    sql.add(
        "SELECT ct.person AS trainer, t.full_name, sq.question, CAST(SUM(sq.n) AS BIGINT) AS n, "
        "CAST(SUM(sq.total) AS BIGINT) AS total FROM sq JOIN course_trainer ct ON ct.course = sq.course "
        "JOIN person t ON t.id = ct.person"
    ).extend(only).add("GROUP BY ct.person, t.full_name, sq.question")
    sql.add(
        "UNION ALL SELECT ct.person, t.full_name, 0, CAST(SUM(nresp.n) AS BIGINT), COUNT(DISTINCT ok.id) FROM ok "
        "JOIN nresp ON nresp.survey = ok.id JOIN course_trainer ct ON ct.course = ok.course "
        "JOIN person t ON t.id = ct.person"
    ).extend(only).add("GROUP BY ct.person, t.full_name")
    return await sql.fetch()


async def rating_questions() -> list[dict[str, Any]]:
    """The rating questions being asked: one column each in the survey tables."""
    return await fetch_all(
        "SELECT id, code, text FROM survey_question WHERE kind = {} AND active = {} ORDER BY position, id",
        QuestionKind.RATING.value, True,
    )


async def worker_hours(scope: Scope, period: Period, now: datetime | None = None) -> list[dict[str, Any]]:
    """Each active person of the cooperative: courses, hours scheduled and attended in the period."""
    assert scope.cooperative_id is not None
    sql = _participants_ctes(scope, period, now)
    sql.add(
        ", pp AS (SELECT person, COUNT(DISTINCT enrolment) AS courses, SUM(scheduled) AS scheduled, "
        "SUM(attended) AS attended FROM pm GROUP BY person) "
        "SELECT pe.id, pe.full_name, pe.area, COALESCE(pp.courses, 0) AS courses, "
        "COALESCE(CAST(pp.scheduled AS BIGINT), 0) AS scheduled_minutes, "
        "COALESCE(CAST(pp.attended AS BIGINT), 0) AS attended_minutes "
        "FROM person pe LEFT JOIN pp ON pp.person = pe.id WHERE pe.cooperative = {} AND pe.active = {} "
        "ORDER BY pe.full_name, pe.id",
        scope.cooperative_id, True,
    )
    return await sql.fetch()


async def trainer_options() -> list[dict[str, Any]]:
    return await fetch_all("SELECT id, full_name FROM person WHERE roles LIKE {} ORDER BY full_name, id", "%trainer%")


async def cooperative_options() -> list[dict[str, Any]]:
    return await fetch_all("SELECT id, name, province FROM cooperative ORDER BY name, id")

