"""JSON API of the training year (DESIGN.md "Interfaces of the second wave": planning). Controllers
parse and call one service; the services decide who may do what."""

from __future__ import annotations

from typing import Any

from litestar import Controller, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from training_hub.core.schemas import to_struct
from training_hub.planning import budgets, needs, plans
from training_hub.planning.schemas import (
    BudgetIn,
    BudgetOut,
    CreatedOut,
    LineIn,
    LinkIn,
    NeedIn,
    NeedOut,
    PlanOut,
)
from training_hub.web.auth import CurrentUser, provide_user, requires_login

DEPENDENCIES = {"user": Provide(provide_user, sync_to_thread=False)}


def need_input(data: NeedIn) -> needs.NeedInput:
    return needs.NeedInput(**{name: getattr(data, name) for name in needs.NeedInput.__dataclass_fields__})


def line_input(data: LineIn) -> plans.LineInput:
    return plans.LineInput(title=data.title, course_type=data.course_type, need_id=data.need_id,
                           target_group=data.target_group, hours=data.hours, participants=data.participants,
                           estimated_cost=data.estimated_cost_cents, budget_id=data.budget_id, quarter=data.quarter)


def budget_input(data: BudgetIn) -> budgets.BudgetInput:
    return budgets.BudgetInput(title=data.title, source=data.source, kind=data.kind, cooperative_id=data.cooperative_id,
                               amount=data.amount_cents, committed=data.committed_cents, spent=data.spent_cents,
                               credited_on=data.credited_on, expires_on=data.expires_on, note=data.note)


class TrainingNeedsApi(Controller):
    path = "/api"
    tags = ["planning"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/cooperatives/{cooperative_id:int}/training-needs",
         summary="Fabbisogni formativi della cooperativa, con gli aggiornamenti in scadenza nei prossimi 12 mesi")
    async def list_needs(self, user: NamedDependency[CurrentUser], cooperative_id: FromPath[int],
                         year: FromQuery[int | None] = None) -> list[NeedOut]:
        view = await needs.needs_view(user, cooperative_id, year)
        return to_struct(view["recorded"] + view["refreshers"], list[NeedOut])

    @post("/cooperatives/{cooperative_id:int}/training-needs", status_code=HTTP_201_CREATED,
          summary="Registra un fabbisogno formativo (coordinatore della cooperativa, ufficio formazione)")
    async def create_need(self, user: NamedDependency[CurrentUser], cooperative_id: FromPath[int],
                          data: JSONBody[NeedIn]) -> NeedOut:
        need_id = await needs.create_need(user, cooperative_id, need_input(data))
        return to_struct({**await needs.open_need(user, need_id), "automatic": False}, NeedOut)

    @put("/training-needs/{need_id:int}", summary="Correggi un fabbisogno formativo")
    async def update_need(self, user: NamedDependency[CurrentUser], need_id: FromPath[int],
                          data: JSONBody[NeedIn]) -> NeedOut:
        await needs.update_need(user, need_id, need_input(data))
        return to_struct({**await needs.open_need(user, need_id), "automatic": False}, NeedOut)

    @delete("/training-needs/{need_id:int}", status_code=HTTP_204_NO_CONTENT, summary="Elimina un fabbisogno formativo")
    async def delete_need(self, user: NamedDependency[CurrentUser], need_id: FromPath[int]) -> None:
        await needs.delete_need(user, need_id)


class TrainingPlansApi(Controller):
    path = "/api"
    tags = ["planning"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/training-plans/{year:int}",
         summary="Piano formativo dell'anno: di una cooperativa, o del consorzio (ufficio, senza cooperative_id)")
    async def plan(self, user: NamedDependency[CurrentUser], year: FromPath[int],
                   cooperative_id: FromQuery[int | None] = None) -> PlanOut:
        return to_struct(await plans.plan_view(user, year, cooperative_id), PlanOut)

    @post("/training-plans/{year:int}/lines", status_code=HTTP_201_CREATED, summary="Aggiungi una riga al piano")
    async def add_line(self, user: NamedDependency[CurrentUser], year: FromPath[int],
                       data: JSONBody[LineIn]) -> CreatedOut:
        return CreatedOut(await plans.add_line(user, data.cooperative_id, year, line_input(data)))

    @post("/training-plans/{year:int}/approve", status_code=HTTP_200_OK, summary="Approva il piano della cooperativa (ufficio formazione)")
    async def approve(self, user: NamedDependency[CurrentUser], year: FromPath[int],
                      cooperative_id: FromQuery[int]) -> PlanOut:
        await plans.approve_plan(user, cooperative_id, year)
        return to_struct(await plans.plan_view(user, year, cooperative_id), PlanOut)

    @put("/training-plan-lines/{line_id:int}", summary="Correggi una riga del piano (un piano approvato torna in bozza)")
    async def update_line(self, user: NamedDependency[CurrentUser], line_id: FromPath[int],
                          data: JSONBody[LineIn]) -> CreatedOut:
        await plans.update_line(user, line_id, line_input(data))
        return CreatedOut(line_id)

    @delete("/training-plan-lines/{line_id:int}", status_code=HTTP_204_NO_CONTENT, summary="Elimina una riga del piano")
    async def delete_line(self, user: NamedDependency[CurrentUser], line_id: FromPath[int]) -> None:
        await plans.delete_line(user, line_id)

    @post("/training-plan-lines/{line_id:int}/courses", status_code=HTTP_201_CREATED,
          summary="Collega un'edizione che realizza la riga")
    async def link(self, user: NamedDependency[CurrentUser], line_id: FromPath[int], data: JSONBody[LinkIn]) -> CreatedOut:
        await plans.link_course(user, line_id, data.course_id)
        return CreatedOut(line_id)


class BudgetsApi(Controller):
    path = "/api/budgets"
    tags = ["planning"]  # noqa: RUF012
    guards = [requires_login]  # noqa: RUF012
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/", summary="Budget per fonte di finanziamento, con gli avvisi di scadenza")
    async def list_budgets(self, user: NamedDependency[CurrentUser],
                           cooperative_id: FromQuery[int | None] = None) -> list[BudgetOut]:
        return to_struct(await budgets.list_budgets(user, cooperative_id), list[BudgetOut])

    @post("/", status_code=HTTP_201_CREATED, summary="Registra un budget (ufficio formazione)")
    async def create(self, user: NamedDependency[CurrentUser], data: JSONBody[BudgetIn]) -> BudgetOut:
        budget_id = await budgets.create_budget(user, budget_input(data))
        return to_struct(await budgets.open_budget(user, budget_id), BudgetOut)

    @get("/{budget_id:int}", summary="Un budget")
    async def detail(self, user: NamedDependency[CurrentUser], budget_id: FromPath[int]) -> BudgetOut:
        return to_struct(await budgets.open_budget(user, budget_id), BudgetOut)

    @put("/{budget_id:int}", summary="Correggi un budget (ufficio formazione)")
    async def update(self, user: NamedDependency[CurrentUser], budget_id: FromPath[int],
                     data: JSONBody[BudgetIn]) -> BudgetOut:
        await budgets.update_budget(user, budget_id, budget_input(data))
        return to_struct(await budgets.open_budget(user, budget_id), BudgetOut)


ROUTES: list[Any] = [TrainingNeedsApi, TrainingPlansApi, BudgetsApi]
