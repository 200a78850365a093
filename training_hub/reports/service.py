"""Figures for the training office, coordinators and trainers, and the activity report.

Every figure is aggregated by the database (``GROUP BY`` in hand-written, portable SQL, see ``sql.py``):
Python only merges a few already-aggregated rows by key and divides two totals for a rate. Each
dashboard runs a fixed number of queries whatever the amount of data.

Definitions (also shown on the pages)
    * **Period**: from/to are Europe/Rome calendar days, both included. Sessions count in the period
      when they *start* in it; completion, drop-out and surveys concern courses that *ended* in it;
      waiting lists concern courses that *start* in it.
    * **Sessions held**: scheduled (not cancelled) sessions of published or completed courses that are
      over; sessions still to come are planned, not delivered, and count nowhere.
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
    * Survey results: see ``training_hub/surveys/service.py`` (closed surveys with at least 5 answers, and
      of those only the questions rated by at least 5 people).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from training_hub.core.db import fetch_all, fetch_one
from training_hub.core.errors import NotFound, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.sql import Sql, minutes_between_sql, month_case, rome_months
from training_hub.core.tables import (
    Area,
    CourseStatus,
    EnrolmentStatus,
    PathKind,
    Province,
    QuestionKind,
    Role,
    SessionStatus,
    SurveyStatus,
)
from training_hub.core.timeutil import rome_day_bounds, to_rome, utcnow
from training_hub.surveys.service import MIN_RESPONSES, SHORT_LABELS

MAX_PERIOD_YEARS = 10
MIN_GROUP = 5  # the public report never shows a group of fewer people
HELD_COURSE_STATUSES = (CourseStatus.PUBLISHED.value, CourseStatus.COMPLETED.value)
VIEWS = ("office", "cooperative", "trainer")


# Period and scope --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        """UTC instant of Rome midnight starting ``first``."""
        return rome_day_bounds(self.first)[0]

    @property
    def end(self) -> datetime:
        """UTC instant of Rome midnight after ``last`` (exclusive)."""
        return rome_day_bounds(self.last)[1]

    def months(self) -> list[tuple[str, datetime, datetime]]:
        return rome_months(self.first, self.last)

    def as_dict(self) -> dict[str, str]:
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}


def rome_today(now: datetime | None = None) -> date:
    return to_rome(now or utcnow()).date()


_ITALIAN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _parse_day(raw: str, field: str) -> date:
    text = raw.strip()
    try:
        if match := _ITALIAN_DATE.match(text):
            day, month, year = (int(part) for part in match.groups())
            value = date(year, month, day)
        else:
            value = date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(
            N_("Data non valida: usa il formato GG/MM/AAAA (per esempio 25/11/2026)."), field=field
        ) from None
    if not 2000 <= value.year <= 2100:
        raise ValidationFailed(N_("La data deve cadere tra il 2000 e il 2100."), field=field)
    return value


def parse_period(raw_from: str | None, raw_to: str | None, *, today: date | None = None) -> Period:
    """The period of a report: both days included; by default the current calendar year."""
    today = today or rome_today()
    errors: dict[str, str] = {}
    first = date(today.year, 1, 1)
    last = date(today.year, 12, 31)
    for name, raw in (("from", raw_from), ("to", raw_to)):
        if raw is None or not raw.strip():
            continue
        try:
            value = _parse_day(raw, name)
        except ValidationFailed as exc:
            errors.update(exc.errors)
            continue
        if name == "from":
            first = value
        else:
            last = value
    if errors:
        raise ValidationFailed(N_("Controlla le date del periodo."), errors=errors)
    if first > last:
        raise ValidationFailed(N_("La data di inizio non può essere successiva alla data di fine."), field="from")
    if (last.year - first.year) * 12 + last.month - first.month >= MAX_PERIOD_YEARS * 12:
        raise ValidationFailed(N_("Il periodo può coprire al massimo 10 anni."), field="to")
    return Period(first, last)


@dataclass(frozen=True)
class Scope:
    """Whose figures: the whole consortium (optionally filtered), one cooperative, or one trainer."""

    view: str
    cooperative_id: int | None = None
    cooperative_name: str | None = None
    province: str | None = None
    path_kind: str | None = None
    trainer_id: int | None = None
    trainer_name: str | None = None

    @property
    def person_filter(self) -> bool:
        return self.cooperative_id is not None or bool(self.province)

    def as_dict(self) -> dict[str, Any]:
        return {
            "view": self.view,
            "cooperative_id": self.cooperative_id,
            "province": self.province,
            "kind": self.path_kind,
            "trainer_id": self.trainer_id,
        }


def default_view(user: CurrentUser) -> str:
    if user.is_admin:
        return "office"
    if user.has_role(Role.COORDINATOR) and user.cooperative_id is not None:
        return "cooperative"
    if user.has_role(Role.TRAINER):
        return "trainer"
    raise PermissionDenied(N_("I report sono riservati all'ufficio formazione, ai coordinatori e ai formatori."))


def _optional_choice(value: str | None, choices: set[str], field: str, message: str) -> str | None:
    if value is None or value == "":
        return None
    if value not in choices:
        raise ValidationFailed(message, field=field)
    return value


async def resolve_scope(
    user: CurrentUser,
    view: str | None = None,
    *,
    cooperative_id: int | None = None,
    province: str | None = None,
    path_kind: str | None = None,
    trainer_id: int | None = None,
) -> Scope:
    """Check who may see what, and pin coordinators to their cooperative and trainers to themselves."""
    view = view or default_view(user)
    if view not in VIEWS:
        raise ValidationFailed(N_("Vista sconosciuta: usa office, cooperative o trainer."), field="view")
    kind = _optional_choice(path_kind, {k.value for k in PathKind}, "kind", N_("Tipo di percorso sconosciuto."))
    province = _optional_choice(
        (province or "").upper() or None, {p.value for p in Province}, "province", N_("Provincia sconosciuta.")
    )
    if view == "office":
        if not user.is_admin:
            raise PermissionDenied(N_("Il quadro complessivo è riservato all'ufficio formazione."))
        name = await _cooperative_name(cooperative_id) if cooperative_id is not None else None
        return Scope("office", cooperative_id=cooperative_id, cooperative_name=name, province=province, path_kind=kind)
    if view == "cooperative":
        if user.is_admin:
            if cooperative_id is None:
                raise ValidationFailed(N_("Scegli una cooperativa."), field="cooperative_id")
        elif user.has_role(Role.COORDINATOR) and user.cooperative_id is not None:
            if cooperative_id is not None and cooperative_id != user.cooperative_id:
                raise PermissionDenied(N_("Puoi vedere solo i dati della tua cooperativa."))
            cooperative_id = user.cooperative_id
        else:
            raise PermissionDenied(N_("I dati di una cooperativa sono riservati ai suoi coordinatori."))
        name = await _cooperative_name(cooperative_id)
        return Scope("cooperative", cooperative_id=cooperative_id, cooperative_name=name, path_kind=kind)
    # trainer
    if user.is_admin:
        if trainer_id is None:
            if not user.has_role(Role.TRAINER):
                raise ValidationFailed(N_("Scegli un formatore."), field="trainer_id")
            trainer_id = user.id
    elif user.has_role(Role.TRAINER):
        if (trainer_id is not None and trainer_id != user.id) or cooperative_id is not None or province:
            raise PermissionDenied(N_("Puoi vedere solo i dati dei tuoi corsi."))
        trainer_id = user.id
    else:
        raise PermissionDenied(N_("I dati dei corsi sono riservati ai loro formatori."))
    row = await fetch_one("SELECT full_name FROM person WHERE id = {}", trainer_id)
    if row is None:
        raise NotFound(N_("Formatore non trovato."))
    return Scope("trainer", trainer_id=trainer_id, trainer_name=row["full_name"], path_kind=kind)


async def _cooperative_name(cooperative_id: int) -> str:
    row = await fetch_one("SELECT name FROM cooperative WHERE id = {}", cooperative_id)
    if row is None:
        raise ValidationFailed(N_("Cooperativa non trovata."), field="cooperative_id")
    return row["name"]


# SQL pieces --------------------------------------------------------------------------------------


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
        # The catalogue's rule (catalogue.service.is_course_trainer): listed among the course's
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
    sql.add(
        "AS month FROM course_session s JOIN course c ON c.id = s.course JOIN training_path p ON p.id = c.path "
        "WHERE s.status = {} AND s.starts_at >= {} AND s.starts_at < {} AND s.ends_at <= {} AND",
        SessionStatus.SCHEDULED.value, period.start, period.end, now or utcnow(),
    )
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
    see surveys/service.py). Every survey figure is summed from these blocks."""
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


# Assembling tables -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # an Italian msgid
    kind: str = "text"  # text, int, minutes, percent, rating, date, month, path_kind, province, area


@dataclass
class ReportTable:
    key: str
    title: str  # msgid
    columns: list[Column]
    rows: list[dict[str, Any]]
    chart: tuple[str, str] | None = None  # (label column, value column)
    note: str | None = None  # msgid
    link: str | None = None  # a column whose row has ``<column>_href``


@dataclass
class Report:
    view: str
    period: Period
    scope: Scope
    summary: dict[str, Any] = field(default_factory=dict)
    tables: list[ReportTable] = field(default_factory=list)

    def table(self, key: str) -> ReportTable:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


def rate(part: float | None, whole: float | None) -> float | None:
    if not whole:
        return None
    return (part or 0) / whole


def _by(rows: list[dict[str, Any]], dim: str) -> dict[str, dict[str, Any]]:
    return {str(row["key"]): row for row in rows if row["dim"] == dim}


def _total(rows: list[dict[str, Any]]) -> dict[str, Any]:
    for row in rows:
        if row["dim"] == "total":
            return row
    return {}


_EMPTY_SESS = {"courses": 0, "sessions": 0, "delivered_minutes": 0}
_EMPTY_PM = {"participants": 0, "enrolments": 0, "scheduled_minutes": 0, "attended_minutes": 0}


def _participant_figures(row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    figures = {key: int(row.get(key) or 0) for key in _EMPTY_PM}
    figures["attendance_rate"] = rate(figures["attended_minutes"], figures["scheduled_minutes"])
    return figures


def _completion_figures(row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    cohort = int(row.get("cohort") or 0)
    completed, dropped = int(row.get("completed") or 0), int(row.get("dropped") or 0)
    return {"cohort": cohort, "completed": completed, "dropped": dropped,
            "completion_rate": rate(completed, cohort), "dropout_rate": rate(dropped, cohort)}


def monthly_table(period: Period, sess: list[dict[str, Any]], pm: list[dict[str, Any]]) -> ReportTable:
    by_sess, by_pm = _by(sess, "month"), _by(pm, "month")
    rows = []
    for label, _start, _end in period.months():
        row = {"month": label, **_EMPTY_SESS, **{k: int(v) for k, v in by_sess.get(label, {}).items()
                                                   if k in _EMPTY_SESS}}
        row.update(_participant_figures(by_pm.get(label)))
        rows.append(row)
    return ReportTable(
        "monthly", N_("Ore di formazione per mese"),
        [Column("month", N_("Mese"), "month"), Column("courses", N_("Corsi"), "int"),
         Column("sessions", N_("Incontri"), "int"), Column("delivered_minutes", N_("Ore erogate"), "minutes"),
         Column("participants", N_("Partecipanti"), "int"),
         Column("attended_minutes", N_("Ore di presenza"), "minutes")],
        rows, chart=("month", "delivered_minutes"),
    )


def kind_table(sess: list[dict[str, Any]], pm: list[dict[str, Any]], done: list[dict[str, Any]]) -> ReportTable:
    by_sess, by_pm, by_done = _by(sess, "kind"), _by(pm, "kind"), _by(done, "kind")
    rows = []
    for kind in PathKind:
        row = {"kind": kind.value, **_EMPTY_SESS,
               **{k: int(v) for k, v in by_sess.get(kind.value, {}).items() if k in _EMPTY_SESS}}
        row.update(_participant_figures(by_pm.get(kind.value)))
        row.update(_completion_figures(by_done.get(kind.value)))
        rows.append(row)
    return ReportTable(
        "by_kind", N_("Per tipo di percorso"),
        [Column("kind", N_("Tipo di percorso"), "path_kind"), Column("courses", N_("Corsi"), "int"),
         Column("sessions", N_("Incontri"), "int"), Column("delivered_minutes", N_("Ore erogate"), "minutes"),
         Column("participants", N_("Partecipanti"), "int"),
         Column("attended_minutes", N_("Ore di presenza"), "minutes"),
         Column("completion_rate", N_("Completamento"), "percent"),
         Column("dropout_rate", N_("Abbandono"), "percent")],
        rows, chart=("kind", "delivered_minutes"),
    )


_GROUP_COLUMNS = [
    Column("participants", N_("Partecipanti"), "int"),
    Column("scheduled_minutes", N_("Ore previste"), "minutes"),
    Column("attended_minutes", N_("Ore di presenza"), "minutes"),
    Column("attendance_rate", N_("Presenza"), "percent"),
]


def province_table(pm: list[dict[str, Any]]) -> ReportTable:
    by_pm = _by(pm, "province")
    keys = [p.value for p in Province] + ([""] if "" in by_pm else [])
    rows = [{"province": key, **_participant_figures(by_pm.get(key))} for key in keys]
    return ReportTable("by_province", N_("Partecipanti per provincia"),
                       [Column("province", N_("Provincia"), "province"), *_GROUP_COLUMNS],
                       rows, chart=("province", "participants"),
                       note=N_("La provincia è quella della cooperativa del partecipante."))


def area_table(pm: list[dict[str, Any]]) -> ReportTable:
    by_pm = _by(pm, "area")
    keys = [a.value for a in Area] + ([""] if "" in by_pm else [])
    rows = [{"area": key, **_participant_figures(by_pm.get(key))} for key in keys]
    return ReportTable("by_area", N_("Partecipanti per area di lavoro"),
                       [Column("area", N_("Area"), "area"), *_GROUP_COLUMNS],
                       rows, chart=("area", "participants"))


def cooperative_table(pm: list[dict[str, Any]]) -> ReportTable:
    rows = sorted(
        ({"cooperative": row["label"] or "", "cooperative_id": int(row["key"]) if row["key"] else None,
          **_participant_figures(row)} for row in pm if row["dim"] == "cooperative"),
        key=lambda row: (row["cooperative"] == "", row["cooperative"].lower()),
    )
    return ReportTable("by_cooperative", N_("Per cooperativa"),
                       [Column("cooperative", N_("Cooperativa")), *_GROUP_COLUMNS],
                       rows, chart=("cooperative", "attended_minutes"))


def waiting_table(rows: list[dict[str, Any]], *, scoped: bool) -> ReportTable:
    columns = [Column("title", N_("Corso")), Column("starts_at", N_("Inizio"), "date"),
               Column("capacity", N_("Posti"), "int"), Column("confirmed", N_("Confermati"), "int"),
               Column("waitlisted", N_("In attesa"), "int")]
    if scoped:
        columns.append(Column("waitlisted_in_scope", N_("In attesa (vostre persone)"), "int"))
    out = [{"title": row["title"], "course_id": row["id"], "starts_at": row["starts_at"],
            "capacity": int(row["capacity"]), "confirmed": int(row["confirmed"]),
            "waitlisted": int(row["waitlisted"]), "waitlisted_in_scope": int(row["waitlisted_in_scope"])}
           for row in rows]
    return ReportTable("waiting_lists", N_("Liste d'attesa: corsi al completo con persone in attesa"),
                       columns, out, note=N_("Corsi pubblicati che iniziano nel periodo."))


def _averages(rows: list[dict[str, Any]], key_name: str, key: Any, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Average per rating question, from (count, sum) rows already aggregated by the database."""
    out: dict[str, Any] = {}
    for question in questions:
        match = next((row for row in rows if row[key_name] == key and int(row["question"]) == question["id"]), None)
        out[f"q_{question['code']}"] = (int(match["total"]) / int(match["n"])) if match and int(match["n"]) else None
    return out


def _question_columns(questions: list[dict[str, Any]]) -> list[Column]:
    return [Column(f"q_{q['code']}", SHORT_LABELS.get(q["code"], q["text"]), "rating") for q in questions]


def survey_course_table(
    surveys: list[dict[str, Any]], ratings: list[dict[str, Any]], questions: list[dict[str, Any]],
    now: datetime, *, link_results: bool,
) -> ReportTable:
    survey_rows = [row for row in ratings if row["dim"] == "survey"]
    responses = {str(row["key"]): int(row["n"]) for row in survey_rows if int(row["question"]) == 0}
    rows = []
    for survey in surveys:
        key = str(survey["id"])
        closed = survey["status"] == SurveyStatus.CLOSED.value or survey["closes_at"] <= now
        row = {"title": survey["title"], "course_id": survey["course_id"], "survey_id": survey["id"],
               "kind": survey["kind"], "status": "closed" if closed else "open",
               "invited": int(survey["invited"]), "responses": int(survey["responses"]),
               "visible": key in responses}
        row.update(_averages(survey_rows, "key", key, questions) if key in responses
                   else {f"q_{q['code']}": None for q in questions})
        if link_results:
            row["title_href"] = f"/reports/surveys/{survey['id']}"
        rows.append(row)
    return ReportTable(
        "survey_courses", N_("Questionari di gradimento per corso"),
        [Column("title", N_("Corso")), Column("status", N_("Stato"), "survey_status"),
         Column("invited", N_("Invitati"), "int"), Column("responses", N_("Risposte"), "int"),
         *_question_columns(questions)],
        rows, note=N_("Medie da 1 a 5, mostrate solo per i questionari chiusi con almeno 5 risposte."),
        link="title" if link_results else None,
    )


def survey_trainer_table(rows: list[dict[str, Any]], questions: list[dict[str, Any]]) -> ReportTable:
    trainers: dict[int, dict[str, Any]] = {}
    for row in rows:
        if int(row["question"]) == 0:
            trainers[int(row["trainer"])] = {"trainer": row["full_name"], "trainer_id": int(row["trainer"]),
                                             "responses": int(row["n"]), "surveys": int(row["total"])}
    for trainer_id, out in trainers.items():
        out.update(_averages(rows, "trainer", trainer_id, questions))
    ordered = sorted(trainers.values(), key=lambda row: row["trainer"].lower())
    return ReportTable(
        "survey_trainers", N_("Questionari di gradimento per formatore"),
        [Column("trainer", N_("Formatore")), Column("surveys", N_("Corsi valutati"), "int"),
         Column("responses", N_("Risposte"), "int"), *_question_columns(questions)],
        ordered, note=N_("Solo questionari chiusi con almeno 5 risposte."),
    )


def satisfaction_kind_table(ratings: list[dict[str, Any]], questions: list[dict[str, Any]]) -> ReportTable:
    kind_rows = [row for row in ratings if row["dim"] == "kind"]
    responses = {str(row["key"]): int(row["n"]) for row in kind_rows if int(row["question"]) == 0}
    rows = []
    for kind in PathKind:
        if kind.value not in responses:
            continue
        rows.append({"kind": kind.value, "responses": responses[kind.value],
                     **_averages(kind_rows, "key", kind.value, questions)})
    return ReportTable(
        "satisfaction", N_("Gradimento per tipo di percorso"),
        [Column("kind", N_("Tipo di percorso"), "path_kind"), Column("responses", N_("Risposte"), "int"),
         *_question_columns(questions)],
        rows, note=N_("Medie da 1 a 5 dei questionari chiusi con almeno 5 risposte."),
    )


def course_table(rows: list[dict[str, Any]], *, link_surveys: dict[int, int] | None = None) -> ReportTable:
    out = []
    for row in rows:
        item = {"title": row["title"], "course_id": row["id"], "kind": row["kind"],
                "starts_at": row["starts_at"], "ends_at": row["ends_at"], "sessions": int(row["sessions"]),
                "delivered_minutes": int(row["delivered_minutes"]), "participants": int(row["participants"]),
                "scheduled_minutes": int(row["scheduled_minutes"]), "attended_minutes": int(row["attended_minutes"])}
        item["attendance_rate"] = rate(item["attended_minutes"], item["scheduled_minutes"])
        out.append(item)
    return ReportTable(
        "courses", N_("Corsi svolti nel periodo"),
        [Column("title", N_("Corso")), Column("kind", N_("Tipo di percorso"), "path_kind"),
         Column("starts_at", N_("Inizio"), "date"), Column("ends_at", N_("Fine"), "date"),
         Column("sessions", N_("Incontri"), "int"), Column("delivered_minutes", N_("Ore erogate"), "minutes"),
         Column("participants", N_("Partecipanti"), "int"),
         Column("attended_minutes", N_("Ore di presenza"), "minutes"),
         Column("attendance_rate", N_("Presenza"), "percent")],
        out, chart=("title", "attended_minutes"),
    )


def worker_table(rows: list[dict[str, Any]]) -> ReportTable:
    out = []
    for row in rows:
        item = {"full_name": row["full_name"], "person_id": row["id"], "area": row["area"] or "",
                "courses": int(row["courses"]), "scheduled_minutes": int(row["scheduled_minutes"]),
                "attended_minutes": int(row["attended_minutes"])}
        item["attendance_rate"] = rate(item["attended_minutes"], item["scheduled_minutes"])
        out.append(item)
    return ReportTable(
        "workers", N_("Ore di formazione di ogni persona della cooperativa"),
        [Column("full_name", N_("Nome")), Column("area", N_("Area"), "area"), Column("courses", N_("Corsi"), "int"),
         Column("scheduled_minutes", N_("Ore previste"), "minutes"),
         Column("attended_minutes", N_("Ore di presenza"), "minutes"),
         Column("attendance_rate", N_("Presenza"), "percent")],
        out,
    )


def _summary(sess: list[dict[str, Any]], pm: list[dict[str, Any]], done: list[dict[str, Any]] | None,
             ratings: list[dict[str, Any]] | None, waiting: list[dict[str, Any]] | None,
             questions: list[dict[str, Any]] | None) -> dict[str, Any]:
    total = _total(sess)
    summary: dict[str, Any] = {key: int(total.get(key) or 0) for key in _EMPTY_SESS}
    summary.update(_participant_figures(_total(pm)))
    if done is not None:
        summary.update(_completion_figures(_total(done)))
        unrecorded = next((row for row in done if row["dim"] == "unrecorded"), None)
        summary["courses_without_register"] = int(unrecorded["cohort"]) if unrecorded else 0
    if waiting is not None:
        summary["full_courses_with_waitlist"] = len(waiting)
        summary["waitlisted"] = sum(int(row["waitlisted"]) for row in waiting)
    if ratings is not None and questions is not None:
        totals = [row for row in ratings if row["dim"] == "total"]
        summary["survey_responses"] = next((int(row["n"]) for row in totals if int(row["question"]) == 0), 0)
        overall = next((q for q in questions if q["code"] == "overall"), questions[0] if questions else None)
        summary["overall_rating"] = (
            _averages(totals, "dim", "total", [overall]).get(f"q_{overall['code']}") if overall else None
        )
    return summary


# Dashboards --------------------------------------------------------------------------------------


async def office_dashboard(user: CurrentUser, scope: Scope, period: Period, now: datetime | None = None) -> Report:
    """The training office: everything, filterable by cooperative, province and path kind."""
    if scope.view != "office" or not user.is_admin:
        raise PermissionDenied(N_("Il quadro complessivo è riservato all'ufficio formazione."))
    now = now or utcnow()
    sess = await course_side(scope, period, now)
    pm = await participant_side(scope, period, now)
    done = await completion(scope, period, now)
    waiting = await waiting_lists(scope, period)
    questions = await rating_questions()
    surveys = await survey_courses(scope, period)
    ratings = await survey_ratings(scope, period, now)
    trainers = await survey_trainers(scope, period, now)
    report = Report("office", period, scope, _summary(sess, pm, done, ratings, waiting, questions))
    cooperatives = cooperative_table(pm)
    trainer_table = survey_trainer_table(trainers, questions)
    # The office can open each cooperative's and each trainer's own page for the same period.
    dates = f"from={period.first.isoformat()}&to={period.last.isoformat()}"
    for row in cooperatives.rows:
        if row["cooperative_id"]:
            row["cooperative_href"] = f"/reports/cooperative?cooperative_id={row['cooperative_id']}&{dates}"
    for row in trainer_table.rows:
        row["trainer_href"] = f"/reports/trainer?trainer_id={row['trainer_id']}&{dates}"
    cooperatives.link, trainer_table.link = "cooperative", "trainer"
    report.tables = [
        monthly_table(period, sess, pm),
        kind_table(sess, pm, done),
        province_table(pm),
        area_table(pm),
        cooperatives,
        waiting_table(waiting, scoped=scope.person_filter),
        survey_course_table(surveys, ratings, questions, now, link_results=True),
        trainer_table,
    ]
    return report


async def cooperative_dashboard(user: CurrentUser, scope: Scope, period: Period, now: datetime | None = None) -> Report:
    """A coordinator's cooperative: its people's figures, and each person's hours."""
    if scope.view != "cooperative" or scope.cooperative_id is None:
        raise PermissionDenied(N_("I dati di una cooperativa sono riservati ai suoi coordinatori."))
    if not user.is_admin and user.cooperative_id != scope.cooperative_id:
        raise PermissionDenied(N_("Puoi vedere solo i dati della tua cooperativa."))
    now = now or utcnow()
    sess = await course_side(scope, period, now)
    pm = await participant_side(scope, period, now)
    done = await completion(scope, period, now)
    waiting = await waiting_lists(scope, period)
    questions = await rating_questions()
    surveys = await survey_courses(scope, period)
    ratings = await survey_ratings(scope, period, now)
    workers = await worker_hours(scope, period, now)
    report = Report("cooperative", period, scope, _summary(sess, pm, done, ratings, waiting, questions))
    report.tables = [
        worker_table(workers),
        monthly_table(period, sess, pm),
        kind_table(sess, pm, done),
        area_table(pm),
        waiting_table(waiting, scoped=True),
        survey_course_table(surveys, ratings, questions, now, link_results=False),
    ]
    return report


async def trainer_dashboard(user: CurrentUser, scope: Scope, period: Period, now: datetime | None = None) -> Report:
    """A trainer's courses: attendance and survey results."""
    if scope.view != "trainer" or scope.trainer_id is None:
        raise PermissionDenied(N_("I dati dei corsi sono riservati ai loro formatori."))
    if not user.is_admin and user.id != scope.trainer_id:
        raise PermissionDenied(N_("Puoi vedere solo i dati dei tuoi corsi."))
    now = now or utcnow()
    sess = await course_side(scope, period, now)
    pm = await participant_side(scope, period, now)
    courses = await course_list(scope, period, now)
    done = await completion(scope, period, now)
    questions = await rating_questions()
    surveys = await survey_courses(scope, period)
    ratings = await survey_ratings(scope, period, now)
    trainers = await survey_trainers(scope, period, now)
    report = Report("trainer", period, scope, _summary(sess, pm, done, ratings, None, questions))
    report.tables = [
        course_table(courses),
        monthly_table(period, sess, pm),
        survey_course_table(surveys, ratings, questions, now, link_results=True),
        survey_trainer_table(trainers, questions),
    ]
    return report


async def dashboard(user: CurrentUser, scope: Scope, period: Period, now: datetime | None = None) -> Report:
    builders = {"office": office_dashboard, "cooperative": cooperative_dashboard, "trainer": trainer_dashboard}
    return await builders[scope.view](user, scope, period, now)
