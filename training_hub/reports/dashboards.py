"""The three dashboards: the training office's, a cooperative's and a trainer's.

Each checks again that the user may open it (a scope built for someone else is refused), runs a
fixed number of queries (:mod:`.queries`) whatever the amount of data, and assembles its tables
(:mod:`.tables`). What each one shows, and why:

* the office: everything, filterable by cooperative, province and path kind, with links to each
  cooperative's and each trainer's dashboard for the same period;
* a cooperative: its people's figures and each person's hours (coordinators follow their
  cooperative's hours), its waiting lists and the survey results of its courses;
* a trainer: their courses' attendance and survey results.
"""

from __future__ import annotations

from datetime import datetime

from training_hub.core.errors import PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.timeutil import utcnow
from training_hub.reports.period import Period
from training_hub.reports.queries import (
    completion,
    course_list,
    course_side,
    participant_side,
    rating_questions,
    survey_courses,
    survey_ratings,
    survey_trainers,
    waiting_lists,
    worker_hours,
)
from training_hub.reports.scope import Scope
from training_hub.reports.tables import (
    Report,
    area_table,
    cooperative_table,
    course_table,
    kind_table,
    monthly_table,
    province_table,
    summary_figures,
    survey_course_table,
    survey_trainer_table,
    waiting_table,
    worker_table,
)


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
    report = Report("office", period, scope, summary_figures(sess, pm, done, ratings, waiting, questions))
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
    report = Report("cooperative", period, scope, summary_figures(sess, pm, done, ratings, waiting, questions))
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
    report = Report("trainer", period, scope, summary_figures(sess, pm, done, ratings, None, questions))
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
