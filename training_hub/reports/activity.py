"""The consortium's activity report for a period: the office's version, and the public one.

The code of ethics asks the consortium to inform its cooperatives, its clients and the local
community of its activity at regular intervals; this is that report.

The public version (``/public/activity``, no login) shows aggregates only:

* no names at all (people, trainers, cooperatives, courses);
* course-side figures (courses, sessions, hours delivered) per month and per path kind: they count
  lessons, not people;
* people-side figures (participants, hours attended) only per province and per area, where every
  person belongs to exactly one group, so the groups add up to the total. Groups of fewer than
  ``MIN_GROUP`` (5) people are merged into "other groups"; if that merged group is still below 5, the
  next smallest groups join it until it reaches 5. Every group shown therefore has at least 5 people,
  and subtracting the shown groups from the total gives only the merged group, itself at least 5.
  Totals below 5 are shown as "< 5";
* course-side figures per path kind only for a period where every group (path kind, province, area)
  with anyone in it has at least 5 people: a small group next to per-kind counts could point at the
  people on an inclusion course;
* only whole months, quarters and years (:func:`check_public_period`): with any two days allowed,
  October minus 1-22 October would isolate a handful of people; the reports of the recent months,
  quarters and years are computed ahead by the hourly housekeeping (:func:`precompute_public_reports`);
* satisfaction only from closed surveys with at least 5 answers, per path kind;
* nothing from ``AccessibilityNeeds`` or about anyone's condition; participants of inclusion pathways
  appear only inside those province and area groups of at least 5 people.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections import deque
from datetime import date, datetime, timedelta
from typing import Any

from training_hub.calendars.cache import VersionMemo
from training_hub.core.errors import PermissionDenied, TooManyAttempts, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.settings import get_settings
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.reports.period import Period
from training_hub.reports.queries import (
    completion,
    course_list,
    course_side,
    participant_side,
    rating_questions,
    survey_courses,
    survey_ratings,
)
from training_hub.reports.scope import Scope
from training_hub.reports.tables import (
    Column,
    Report,
    ReportTable,
    area_table,
    course_table,
    kind_table,
    monthly_table,
    province_table,
    rate,
    satisfaction_kind_table,
    summary_figures,
    survey_course_table,
)

MIN_GROUP = 5  # the public report never shows a group of fewer people
SUPPRESSED = "<5"  # shown as "< 5"
OTHER = "__other__"  # the merged group of small ones


async def activity_report(user: CurrentUser, period: Period, now: datetime | None = None) -> Report:
    """The office's report: the whole consortium, aggregated, ready to print or send."""
    if not user.is_admin:
        raise PermissionDenied(N_("Il rapporto di attività completo è riservato all'ufficio formazione."))
    now = now or utcnow()
    scope = Scope("office")
    sess = await course_side(scope, period, now)
    pm = await participant_side(scope, period, now)
    courses = await course_list(scope, period, now)
    done = await completion(scope, period, now)
    questions = await rating_questions()
    surveys = await survey_courses(scope, period)
    ratings = await survey_ratings(scope, period, now)
    report = Report("activity", period, scope, summary_figures(sess, pm, done, ratings, None, questions))
    survey_table = survey_course_table(surveys, ratings, questions, now, link_results=False)
    survey_table.rows = [row for row in survey_table.rows if row["visible"]]
    survey_table.columns = [c for c in survey_table.columns if c.key not in ("status", "invited")]
    report.tables = [
        kind_table(sess, pm, done),
        monthly_table(period, sess, pm),
        province_table(pm),
        area_table(pm),
        course_table(courses),
        satisfaction_kind_table(ratings, questions),
        survey_table,
    ]
    return report


def merge_small_groups(
    rows: list[dict[str, Any]], key: str, *, count: str = "participants", sums: tuple[str, ...] = (),
    min_size: int = MIN_GROUP,
) -> tuple[list[dict[str, Any]], bool]:
    """Rows with at least ``min_size`` people, plus one merged ``OTHER`` row of at least ``min_size``.

    ``count`` must be additive over the rows (each person in exactly one group). Returns the rows to
    show and whether everything had to be withheld (fewer than ``min_size`` people in total).
    """
    present = [row for row in rows if row[count] > 0]
    ascending = sorted(present, key=lambda row: (row[count], str(row[key])))
    merged = [row for row in ascending if row[count] < min_size]
    kept = [row for row in ascending if row[count] >= min_size]
    while merged and sum(row[count] for row in merged) < min_size and kept:
        merged.append(kept.pop(0))
    if merged and sum(row[count] for row in merged) < min_size:
        return [], True
    order = {id(row): index for index, row in enumerate(present)}
    shown = sorted(kept, key=lambda row: order[id(row)])
    if merged:
        other = {key: OTHER, count: sum(row[count] for row in merged)}
        for name in sums:
            other[name] = sum(row[name] for row in merged)
        shown.append(other)
    return shown, False


def _public_group_table(table: ReportTable, key: str) -> ReportTable:
    shown, withheld = merge_small_groups(table.rows, key, sums=("scheduled_minutes", "attended_minutes"))
    for row in shown:
        row["attendance_rate"] = rate(row["attended_minutes"], row["scheduled_minutes"])
    table.rows = shown
    table.note = (N_("Nessun dato pubblicabile: meno di 5 partecipanti.") if withheld else
                  N_("I gruppi con meno di 5 persone sono uniti nella riga «altri gruppi»."))
    return table


async def public_activity_report(period: Period, now: datetime | None = None) -> Report:
    """The version anybody may read: aggregates only, no group smaller than 5 people."""
    now = now or utcnow()
    scope = Scope("public")
    sess = await course_side(scope, period, now)
    pm = await participant_side(scope, period, now)
    questions = await rating_questions()
    ratings = await survey_ratings(scope, period, now)
    summary = summary_figures(sess, pm, None, ratings, None, questions)
    public_summary = {key: summary[key] for key in ("courses", "sessions", "delivered_minutes", "survey_responses",
                                                    "overall_rating")}
    if summary["participants"] < MIN_GROUP:
        public_summary.update(participants=SUPPRESSED, attended_minutes=SUPPRESSED, attendance_rate=None)
    else:
        public_summary.update({key: summary[key] for key in ("participants", "attended_minutes", "attendance_rate")})
    report = Report("public", period, scope, public_summary)
    monthly = monthly_table(period, sess, pm)
    kinds = kind_table(sess, pm, [])
    course_columns = ("courses", "sessions", "delivered_minutes")
    for table, label in ((monthly, "month"), (kinds, "kind")):
        table.columns = [c for c in table.columns if c.key in (label, *course_columns)]
        table.rows = [{k: row[k] for k in (label, *course_columns)} for row in table.rows]
    kinds.note = N_("Corsi, incontri e ore erogate: contano le lezioni, non le persone.")
    if any(0 < int(row["participants"]) < MIN_GROUP for row in pm if row["dim"] in ("kind", "province", "area")):
        kinds.rows = []
        kinds.note = N_("Per questo periodo i dati per tipo di percorso non sono pubblicati: almeno un gruppo "
                        "ha meno di 5 persone.")
    provinces = _public_group_table(province_table(pm), "province")
    areas = _public_group_table(area_table(pm), "area")
    for table in (provinces, areas):
        table.columns = [c for c in table.columns if c.key != "scheduled_minutes"]
        table.chart = (table.columns[0].key, "participants")
    report.tables = [kinds, monthly, provinces, areas, satisfaction_kind_table(ratings, questions)]
    return report


# The public report needs no login, so anyone could ask for it in a loop. It covers only whole months,
# quarters and years; the hourly housekeeping computes the recent ones ahead (precompute_public_reports)
# and each worker keeps a computed report PUBLIC_CACHE_SECONDS per period (and its PDF per period and
# language). Anything else is computed one at a time, at most PUBLIC_COMPUTATIONS_PER_MINUTE a minute
# per client (then 429 for that client only, until its minute has passed; periods already computed
# are still served to everyone).
PUBLIC_CACHE_SECONDS = 300
PRECOMPUTED_SECONDS = 2 * 3600  # until the next hourly run has replaced them, with a margin
PUBLIC_COMPUTATIONS_PER_MINUTE = 20
MAX_TRACKED_CLIENTS = 10_000
PUBLIC_REPORTS = VersionMemo(max_entries=64)
_public_computed: dict[str, deque[float]] = {}
_public_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()
WHOLE_PERIODS_ONLY = N_(
    "Il rapporto pubblico copre solo un mese, un trimestre o un anno interi: per esempio dal 01/10/2026 "
    "al 31/10/2026, dal 01/10/2026 al 31/12/2026 o dal 01/01/2026 al 31/12/2026."
)


def public_cache_seconds() -> int:
    # In the tests every request computes afresh: the data changes from one test to the next, the
    # periods asked for do not.
    return 0 if get_settings().mode == "test" else PUBLIC_CACHE_SECONDS


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def public_period_kind(period: Period) -> str | None:
    """"month", "quarter" or "year" when the period is exactly one; None otherwise."""
    first, last = period.first, period.last
    if first.day != 1:
        return None
    if last == _month_end(first.year, first.month):
        return "month"
    if first.month in (1, 4, 7, 10) and last == _month_end(first.year, first.month + 2):
        return "quarter"
    if first.month == 1 and last == date(first.year, 12, 31):
        return "year"
    return None


def check_public_period(period: Period) -> None:
    if public_period_kind(period) is None:
        raise ValidationFailed(WHOLE_PERIODS_ONLY, field="from")


def published_periods(today: date) -> list[Period]:
    """What the housekeeping computes ahead: this month and the 12 before it, this quarter and the 4
    before it, this year and the last."""
    periods: list[Period] = []
    year, month = today.year, today.month
    for _ in range(13):
        periods.append(Period(date(year, month, 1), _month_end(year, month)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    year, month = today.year, (today.month - 1) // 3 * 3 + 1
    for _ in range(5):
        periods.append(Period(date(year, month, 1), _month_end(year, month + 2)))
        year, month = (year, month - 3) if month > 3 else (year - 1, 10)
    periods += [Period(date(y, 1, 1), date(y, 12, 31)) for y in (today.year, today.year - 1)]
    return periods


async def precompute_public_reports(now: datetime | None = None) -> int:
    """Compute the recent public reports ahead (the hourly housekeeping); how many."""
    now = now or utcnow()
    periods = published_periods(to_rome(now).date())
    for period in periods:
        PUBLIC_REPORTS.put(("report", period.first, period.last), await public_activity_report(period, now),
                           PRECOMPUTED_SECONDS)
    return len(periods)


def _claim_public_computation(client: str) -> None:
    now = time.monotonic()
    if len(_public_computed) >= MAX_TRACKED_CLIENTS:
        for key in [key for key, times in _public_computed.items() if not times or times[-1] <= now - 60]:
            del _public_computed[key]
    times = _public_computed.setdefault(client, deque())
    while times and times[0] <= now - 60:
        times.popleft()
    if len(times) >= PUBLIC_COMPUTATIONS_PER_MINUTE:
        raise TooManyAttempts(N_("Troppe richieste: riprova tra poco."),
                              retry_after=max(1, int(times[0] + 61 - now)))
    times.append(now)


async def cached_public_activity_report(period: Period, client: str = "") -> Report:
    """:func:`public_activity_report`, with the limits above (the Report is only read afterwards)."""
    check_public_period(period)
    key = ("report", period.first, period.last)
    ttl = public_cache_seconds()
    if (report := PUBLIC_REPORTS.get(key)) is not None:
        return report
    loop = asyncio.get_running_loop()
    lock = _public_locks.get(loop) or _public_locks.setdefault(loop, asyncio.Lock())
    async with lock:
        if (report := PUBLIC_REPORTS.get(key)) is not None:
            return report  # computed while this request waited
        if ttl > 0:
            _claim_public_computation(client)
        report = await public_activity_report(period)
        PUBLIC_REPORTS.put(key, report, ttl)
    return report


SUMMARY_FIGURES: list[Column] = [
    Column("courses", N_("Corsi svolti"), "int"),
    Column("sessions", N_("Incontri"), "int"),
    Column("delivered_minutes", N_("Ore di formazione erogate"), "minutes"),
    Column("participants", N_("Partecipanti"), "int"),
    Column("attended_minutes", N_("Ore di presenza dei partecipanti"), "minutes"),
    Column("attendance_rate", N_("Presenza sulle ore previste"), "percent"),
    Column("completion_rate", N_("Completamento (corsi conclusi)"), "percent"),
    Column("dropout_rate", N_("Abbandono (corsi conclusi)"), "percent"),
    Column("survey_responses", N_("Risposte ai questionari"), "int"),
    Column("overall_rating", N_("Soddisfazione complessiva (1-5)"), "rating"),
]


def summary_items(report: Report) -> list[tuple[Column, Any]]:
    return [(column, report.summary[column.key]) for column in SUMMARY_FIGURES if column.key in report.summary]
