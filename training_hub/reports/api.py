"""JSON API for the report aggregates: the same service functions and scoping as the pages.

``view`` picks the scope: ``office`` (admins), ``cooperative`` (coordinators: always their own;
admins: any, with ``cooperative_id``), ``trainer`` (trainers: themselves; admins: any, with
``trainer_id``). Without it: office for admins, cooperative for coordinators, trainer for trainers.
Durations are in minutes, rates are fractions (0.75 = 75%), ratings averages from 1 to 5.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery

from training_hub.core.errors import PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.timeutil import utcnow
from training_hub.reports import queries, tables
from training_hub.reports.period import Period, parse_period
from training_hub.reports.scope import Scope, resolve_scope
from training_hub.reports.web import FromDate, ToDate, as_json
from training_hub.web.auth import CurrentUser, provide_user, requires_staff


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


def _envelope(scope: Scope, period: Period, **content: Any) -> dict[str, Any]:
    return as_json({"period": period.as_dict(), "scope": scope.as_dict(), **content})


class ReportsApi(Controller):
    path = "/api/reports"
    tags = ["reports"]  # noqa: RUF012
    guards = [requires_staff]  # noqa: RUF012
    dependencies = {"user": Provide(provide_user, sync_to_thread=False), "filters": Provide(provide_filters)}  # noqa: RUF012

    @get("/summary", summary="Sintesi: corsi, ore erogate e di presenza, partecipanti, completamento, gradimento")
    async def summary(
        self, filters: NamedDependency[ReportFilters]
    ) -> dict[str, Any]:
        scope, period = filters
        now = utcnow()
        sess = await queries.course_side(scope, period)
        pm = await queries.participant_side(scope, period)
        done = await queries.completion(scope, period, now)
        waiting = await queries.waiting_lists(scope, period) if scope.view != "trainer" else None
        questions = await queries.rating_questions()
        ratings = await queries.survey_ratings(scope, period, now)
        return _envelope(scope, period, summary=tables.summary_figures(sess, pm, done, ratings, waiting, questions))

    @get("/monthly", summary="Per mese (Europe/Rome): corsi, incontri, ore erogate, partecipanti, ore di presenza")
    async def monthly(
        self, filters: NamedDependency[ReportFilters]
    ) -> dict[str, Any]:
        scope, period = filters
        table = tables.monthly_table(period, await queries.course_side(scope, period),
                                     await queries.participant_side(scope, period))
        return _envelope(scope, period, items=table.rows)

    @get("/by-path-kind", summary="Per tipo di percorso, con completamento e abbandono")
    async def by_path_kind(
        self, filters: NamedDependency[ReportFilters]
    ) -> dict[str, Any]:
        scope, period = filters
        table = tables.kind_table(await queries.course_side(scope, period),
                                  await queries.participant_side(scope, period),
                                  await queries.completion(scope, period, utcnow()))
        return _envelope(scope, period, items=table.rows)

    @get("/by-province", summary="Partecipanti e ore per provincia della cooperativa")
    async def by_province(
        self, filters: NamedDependency[ReportFilters]
    ) -> dict[str, Any]:
        scope, period = filters
        return _envelope(scope, period, items=tables.province_table(await queries.participant_side(scope, period)).rows)

    @get("/by-area", summary="Partecipanti e ore per area di lavoro")
    async def by_area(
        self, filters: NamedDependency[ReportFilters]
    ) -> dict[str, Any]:
        scope, period = filters
        return _envelope(scope, period, items=tables.area_table(await queries.participant_side(scope, period)).rows)

    @get("/by-cooperative", summary="Partecipanti e ore per cooperativa")
    async def by_cooperative(
        self, filters: NamedDependency[ReportFilters]
    ) -> dict[str, Any]:
        scope, period = filters
        pm = await queries.participant_side(scope, period)
        return _envelope(scope, period, items=tables.cooperative_table(pm).rows)

    @get("/waiting-lists", summary="Corsi al completo con persone in lista d'attesa")
    async def waiting(
        self, filters: NamedDependency[ReportFilters]
    ) -> dict[str, Any]:
        scope, period = filters
        rows = await queries.waiting_lists(scope, period)
        return _envelope(scope, period, items=tables.waiting_table(rows, scoped=scope.person_filter).rows)

    @get("/courses", summary="Per corso svolto nel periodo: incontri, ore, partecipanti, presenza")
    async def courses(
        self, filters: NamedDependency[ReportFilters]
    ) -> dict[str, Any]:
        scope, period = filters
        return _envelope(scope, period, items=tables.course_table(await queries.course_list(scope, period)).rows)

    @get("/workers", summary="Ore di ogni persona della cooperativa (vista cooperative)")
    async def workers(
        self, user: NamedDependency[CurrentUser], start: FromDate = None, end: ToDate = None,
        cooperative_id: FromQuery[int | None] = None, kind: FromQuery[str | None] = None,
    ) -> dict[str, Any]:
        scope, period = await _scope(user, start, end, "cooperative", cooperative_id, None, kind, None)
        return _envelope(scope, period, items=tables.worker_table(await queries.worker_hours(scope, period)).rows)

    @get("/surveys", summary="Questionari per corso: invitati, risposte, medie (solo se chiusi e con almeno 5 risposte)")
    async def surveys(
        self, filters: NamedDependency[ReportFilters]
    ) -> dict[str, Any]:
        scope, period = filters
        now = utcnow()
        questions = await queries.rating_questions()
        table = tables.survey_course_table(await queries.survey_courses(scope, period),
                                           await queries.survey_ratings(scope, period, now), questions, now,
                                           link_results=False)
        return _envelope(scope, period, questions=[{"code": q["code"], "text": q["text"]} for q in questions],
                         items=[{k: v for k, v in row.items() if not k.endswith("_href")} for row in table.rows])

    @get("/surveys/trainers", summary="Gradimento per formatore (solo questionari chiusi con almeno 5 risposte)")
    async def survey_trainers(
        self, filters: NamedDependency[ReportFilters]
    ) -> dict[str, Any]:
        scope, period = filters
        if scope.view == "cooperative":
            raise PermissionDenied(N_("Il gradimento per formatore è riservato all'ufficio formazione e ai formatori."))
        questions = await queries.rating_questions()
        table = tables.survey_trainer_table(await queries.survey_trainers(scope, period, utcnow()), questions)
        return _envelope(scope, period, questions=[{"code": q["code"], "text": q["text"]} for q in questions],
                         items=table.rows)


ROUTES = [ReportsApi]
