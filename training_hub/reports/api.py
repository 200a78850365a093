"""JSON API for the report aggregates: the same service functions and scoping as the pages.

``view`` picks the scope: ``office`` (admins), ``cooperative`` (coordinators: always their own;
admins: any, with ``cooperative_id``), ``trainer`` (trainers: themselves; admins: any, with
``trainer_id``). Without it: office for admins, cooperative for coordinators, trainer for trainers.
Durations are in minutes, rates are fractions (0.75 = 75%), ratings averages from 1 to 5.
"""

from __future__ import annotations

from typing import Any, NamedTuple, TypeVar

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery

from training_hub.core.errors import PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.schemas import to_struct
from training_hub.core.timeutil import utcnow
from training_hub.reports.period import Period, parse_period
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
from training_hub.reports.schemas import (
    AreaRow,
    CooperativeRow,
    CourseRow,
    MonthRow,
    PathKindRow,
    ProvinceRow,
    Report,
    SummaryReport,
    SurveyReport,
    WaitingListRow,
    WorkerRow,
)
from training_hub.reports.scope import Scope, resolve_scope
from training_hub.reports.tables import (
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
from training_hub.reports.web import FromDate, ToDate
from training_hub.web.auth import CurrentUser, provide_user, requires_staff

T = TypeVar("T")


async def _scope(user: CurrentUser, start: str | None, end: str | None, view: str | None, cooperative_id: int | None,
                 province: str | None, kind: str | None, trainer_id: int | None) -> tuple[Scope, Period]:
    period = parse_period(start, end)
    scope = await resolve_scope(user, view, cooperative_id=cooperative_id, province=province,
                                        path_kind=kind, trainer_id=trainer_id)
    return scope, period


class ReportFilters(NamedTuple):
    scope: Scope
    period: Period


async def provide_filters(
    user: NamedDependency[CurrentUser], start: FromDate = None, end: ToDate = None,
    view: FromQuery[str | None] = None, cooperative_id: FromQuery[int | None] = None,
    province: FromQuery[str | None] = None, kind: FromQuery[str | None] = None,
    trainer_id: FromQuery[int | None] = None,
) -> ReportFilters:
    """The filters every aggregate takes (period, view, cooperative, province, path kind, trainer)."""
    return ReportFilters(*await _scope(user, start, end, view, cooperative_id, province, kind, trainer_id))


def _envelope(kind: type[T], scope: Scope, period: Period, **content: Any) -> T:
    return to_struct({"period": period.as_dict(), "scope": scope.as_dict(), **content}, kind)


class ReportsApi(Controller):
    path = "/api/reports"
    tags = ["reports"]  # noqa: RUF012
    guards = [requires_staff]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False), "filters": Provide(provide_filters)}  # noqa: RUF012

    @get("/summary", summary="Sintesi: corsi, ore erogate e di presenza, partecipanti, completamento, gradimento")
    async def summary(
        self, filters: NamedDependency[ReportFilters]
    ) -> SummaryReport:
        scope, period = filters
        now = utcnow()
        sess = await course_side(scope, period)
        pm = await participant_side(scope, period)
        done = await completion(scope, period, now)
        waiting = await waiting_lists(scope, period) if scope.view != "trainer" else None
        questions = await rating_questions()
        ratings = await survey_ratings(scope, period, now)
        summary = summary_figures(sess, pm, done, ratings, waiting, questions)
        return _envelope(SummaryReport, scope, period, summary=summary)

    @get("/monthly", summary="Per mese (Europe/Rome): corsi, incontri, ore erogate, partecipanti, ore di presenza")
    async def monthly(
        self, filters: NamedDependency[ReportFilters]
    ) -> Report[MonthRow]:
        scope, period = filters
        table = monthly_table(period, await course_side(scope, period),
                                      await participant_side(scope, period))
        return _envelope(Report[MonthRow], scope, period, items=table.rows)

    @get("/by-path-kind", summary="Per tipo di percorso, con completamento e abbandono")
    async def by_path_kind(
        self, filters: NamedDependency[ReportFilters]
    ) -> Report[PathKindRow]:
        scope, period = filters
        table = kind_table(await course_side(scope, period),
                                   await participant_side(scope, period),
                                   await completion(scope, period, utcnow()))
        return _envelope(Report[PathKindRow], scope, period, items=table.rows)

    @get("/by-province", summary="Partecipanti e ore per provincia della cooperativa")
    async def by_province(
        self, filters: NamedDependency[ReportFilters]
    ) -> Report[ProvinceRow]:
        scope, period = filters
        table = province_table(await participant_side(scope, period))
        return _envelope(Report[ProvinceRow], scope, period, items=table.rows)

    @get("/by-area", summary="Partecipanti e ore per area di lavoro")
    async def by_area(
        self, filters: NamedDependency[ReportFilters]
    ) -> Report[AreaRow]:
        scope, period = filters
        table = area_table(await participant_side(scope, period))
        return _envelope(Report[AreaRow], scope, period, items=table.rows)

    @get("/by-cooperative", summary="Partecipanti e ore per cooperativa")
    async def by_cooperative(
        self, filters: NamedDependency[ReportFilters]
    ) -> Report[CooperativeRow]:
        scope, period = filters
        pm = await participant_side(scope, period)
        return _envelope(Report[CooperativeRow], scope, period, items=cooperative_table(pm).rows)

    @get("/waiting-lists", summary="Corsi al completo con persone in lista d'attesa")
    async def waiting(
        self, filters: NamedDependency[ReportFilters]
    ) -> Report[WaitingListRow]:
        scope, period = filters
        rows = await waiting_lists(scope, period)
        table = waiting_table(rows, scoped=scope.person_filter)
        return _envelope(Report[WaitingListRow], scope, period, items=table.rows)

    @get("/courses", summary="Per corso svolto nel periodo: incontri, ore, partecipanti, presenza")
    async def courses(
        self, filters: NamedDependency[ReportFilters]
    ) -> Report[CourseRow]:
        scope, period = filters
        table = course_table(await course_list(scope, period))
        return _envelope(Report[CourseRow], scope, period, items=table.rows)

    @get("/workers", summary="Ore di ogni persona della cooperativa (vista cooperative)")
    async def workers(
        self, user: NamedDependency[CurrentUser], start: FromDate = None, end: ToDate = None,
        cooperative_id: FromQuery[int | None] = None, kind: FromQuery[str | None] = None,
    ) -> Report[WorkerRow]:
        scope, period = await _scope(user, start, end, "cooperative", cooperative_id, None, kind, None)
        table = worker_table(await worker_hours(scope, period))
        return _envelope(Report[WorkerRow], scope, period, items=table.rows)

    @get("/surveys", summary="Questionari per corso: invitati, risposte, medie (solo se chiusi e con almeno 5 risposte)")
    async def surveys(
        self, filters: NamedDependency[ReportFilters]
    ) -> SurveyReport:
        scope, period = filters
        now = utcnow()
        questions = await rating_questions()
        table = survey_course_table(await survey_courses(scope, period),
                                            await survey_ratings(scope, period, now), questions, now,
                                            link_results=False)
        return _envelope(SurveyReport, scope, period, questions=questions,
                         items=[{k: v for k, v in row.items() if not k.endswith("_href")} for row in table.rows])

    @get("/surveys/trainers", summary="Gradimento per formatore (solo questionari chiusi con almeno 5 risposte)")
    async def survey_trainers(
        self, filters: NamedDependency[ReportFilters]
    ) -> SurveyReport:
        scope, period = filters
        if scope.view == "cooperative":
            raise PermissionDenied(N_("Il gradimento per formatore è riservato all'ufficio formazione e ai formatori."))
        questions = await rating_questions()
        table = survey_trainer_table(await survey_trainers(scope, period, utcnow()), questions)
        return _envelope(SurveyReport, scope, period, questions=questions, items=table.rows)


ROUTES = [ReportsApi]
