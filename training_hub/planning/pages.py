"""Pages of the training year: the start page, a cooperative's needs (list, form, edit, delete), the annual
plan (lines, planned against delivered, approval; a line's edit form and the editions delivering it),
the consortium's view for the office, and the budgets with their expiry warnings."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from training_hub.core.db import fetch_all
from training_hub.core.errors import DomainError
from training_hub.core.i18n import format_date, gettext
from training_hub.core.labels import AREA_LABELS
from training_hub.planning import budgets, needs, plans, rules
from training_hub.planning.access import require_planner
from training_hub.safety.course_types import COURSE_TYPES
from training_hub.web.auth import CurrentUser, provide_user, requires_login
from training_hub.web.responses import flash, form_dict, form_errors, page, redirect

DEPENDENCIES = {"user": Provide(provide_user, sync_to_thread=False)}
MAX_COURSE_CHOICES = 300


def _options(table: dict[str, str]) -> list[tuple[str, str]]:
    return [(key, gettext(value)) for key, value in table.items()]


def _labels() -> dict[str, Any]:
    return {"reasons": rules.REASONS, "priorities": rules.PRIORITIES, "sources": rules.SOURCES,
            "statuses": rules.PLAN_STATUSES, "funding": rules.FUNDING_SOURCES, "kinds": rules.BUDGET_KINDS}


def _common() -> dict[str, Any]:
    return {"labels": _labels(), "euros": rules.format_euros, "period_text": needs.period_text,
            "quarters": [(str(q), gettext("%(quarter)s° trimestre") % {"quarter": q}) for q in rules.QUARTERS],
            "course_types": [(c.code, gettext(c.title)) for c in COURSE_TYPES]}


def _need_options(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(str(n["id"]), f"{n['topic']} ({n['people']})") for n in rows]


def _budget_options(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    def text(b: dict[str, Any]) -> str:
        if b["expires_on"] is None:
            return b["title"]
        return gettext("%(title)s, scade il %(date)s") % {"title": b["title"], "date": format_date(b["expires_on"])}
    return [(str(b["id"]), text(b)) for b in rows]


def _year(value: Any) -> int:
    try:
        return plans.parse_year(value)
    except DomainError:
        return needs.rome_today().year


class PlanningPages(Controller):
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/planning", name="planning")
    async def index(self, user: NamedDependency[CurrentUser]) -> Template:
        require_planner(user)
        cooperatives = await fetch_all("SELECT id, name FROM cooperative WHERE active = {} ORDER BY name", True) \
            if user.is_admin else []
        return page("planning/index.html", year=needs.rome_today().year, cooperatives=cooperatives,
                    cooperative_id=None if user.is_admin else user.cooperative_id)

    # Needs -------------------------------------------------------------------------------------------

    async def _needs(self, user: CurrentUser, cooperative_id: int, year: int | None = None,
                     values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                     status: int = 200) -> Template:
        view = await needs.needs_view(user, cooperative_id, year)
        return page("planning/needs.html", status_code=status, view=view, errors=errors or {},
                    values=values or {"year": view["year"], "priority": "medium"}, **self._need_form_options())

    @staticmethod
    def _need_form_options() -> dict[str, Any]:
        return {**_common(), "reasons": _options(rules.REASONS), "priorities": _options(rules.PRIORITIES),
                "sources": [(k, v) for k, v in _options(rules.SOURCES) if k != "scadenzario"],
                "areas": [(k, gettext(v)) for k, v in AREA_LABELS.items()],
                "months": [(str(m), str(m)) for m in range(1, 13)]}

    @get("/cooperatives/{cooperative_id:int}/training-needs", name="training_needs")
    async def list_needs(self, user: NamedDependency[CurrentUser], cooperative_id: FromPath[int],
                         year: FromQuery[str | None] = None) -> Template:
        return await self._needs(user, cooperative_id, _year(year) if year else None)

    @post("/cooperatives/{cooperative_id:int}/training-needs", name="training_need_create")
    async def create_need(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                          cooperative_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await needs.create_need(user, cooperative_id, needs.NeedInput(
                **{name: data.get(name) for name in needs.NeedInput.__dataclass_fields__}))
        except DomainError as exc:
            return await self._needs(user, cooperative_id, _year(data.get("year")), data, form_errors(exc),
                                     exc.status_code)
        flash(request, gettext("Fabbisogno registrato."))
        return redirect(f"/cooperatives/{cooperative_id}/training-needs?year={_year(data.get('year'))}")

    async def _need_form(self, user: CurrentUser, need_id: int, values: dict[str, Any] | None = None,
                         errors: dict[str, str] | None = None, status: int = 200) -> Template:
        need = await needs.open_need(user, need_id)
        shown = values or {k: ("" if v is None else v) for k, v in need.items()}
        return page("planning/need_form.html", status_code=status, need=need, values=shown, errors=errors or {},
                    **self._need_form_options())

    @get("/training-needs/{need_id:int}", name="training_need")
    async def need_form(self, user: NamedDependency[CurrentUser], need_id: FromPath[int]) -> Template:
        return await self._need_form(user, need_id)

    @post("/training-needs/{need_id:int}", name="training_need_save")
    async def save_need(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                        need_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await needs.update_need(user, need_id, needs.NeedInput(
                **{name: data.get(name) for name in needs.NeedInput.__dataclass_fields__}))
        except DomainError as exc:
            return await self._need_form(user, need_id, data, form_errors(exc), exc.status_code)
        need = await needs.open_need(user, need_id)
        flash(request, gettext("Fabbisogno aggiornato."))
        return redirect(f"/cooperatives/{need['cooperative_id']}/training-needs?year={need['year']}")

    @post("/training-needs/{need_id:int}/delete", name="training_need_delete")
    async def delete_need(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                          need_id: FromPath[int]) -> Redirect:
        need = await needs.open_need(user, need_id)
        await needs.delete_need(user, need_id)
        flash(request, gettext("Fabbisogno eliminato."))
        return redirect(f"/cooperatives/{need['cooperative_id']}/training-needs?year={need['year']}")

    # The plan ----------------------------------------------------------------------------------------

    async def _plan(self, user: CurrentUser, year: int, cooperative_id: int | None,
                    values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
                    status: int = 200) -> Template:
        view = await plans.plan_view(user, year, cooperative_id)
        if view["cooperative_id"] is None:
            return page("planning/consortium.html", status_code=status, view=view, **_common())
        recorded = await needs.recorded_needs(view["cooperative_id"], year)
        funding = await budgets.list_budgets(user, view["cooperative_id"])
        return page("planning/plan.html", status_code=status, view=view, errors=errors or {}, values=values or {},
                    needs_=_need_options(recorded), budgets_=_budget_options(funding), is_office=user.is_admin,
                    **_common())

    @get("/training-plans/{year:int}", name="training_plan")
    async def plan(self, user: NamedDependency[CurrentUser], year: FromPath[int],
                   cooperative_id: FromQuery[int | None] = None, need_id: FromQuery[int | None] = None,
                   course_type: FromQuery[str | None] = None, people: FromQuery[int | None] = None) -> Template:
        """``need_id`` (a recorded need) or ``course_type`` and ``people`` (a refresher falling due) fill the
        new line's form: a line is built from a need, and checked only when it is saved."""
        values: dict[str, Any] = {}
        if need_id is not None:
            need = await needs.open_need(user, need_id)
            values = {"need_id": need["id"], "title": need["topic"], "course_type": need["course_type"],
                      "target_group": need["job_role"], "participants": need["people"], "quarter": need["quarter"] or ""}
        elif course_type:
            values = {"course_type": course_type, "participants": people or ""}
        return await self._plan(user, year, cooperative_id, values)

    @post("/training-plans/{year:int}/lines", name="training_plan_add_line")
    async def add_line(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                       year: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        cooperative_id = user.cooperative_id if not user.is_admin else _int(data.get("cooperative_id"))
        try:
            await plans.add_line(user, cooperative_id or 0, year, _line_input(data))
        except DomainError as exc:
            return await self._plan(user, year, cooperative_id, data, form_errors(exc), exc.status_code)
        flash(request, gettext("Riga aggiunta al piano."))
        return redirect(f"/training-plans/{year}?cooperative_id={cooperative_id}")

    @post("/training-plans/{year:int}/approve", name="training_plan_approve")
    async def approve(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                      year: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        cooperative_id = _int(data.get("cooperative_id"))
        try:
            await plans.approve_plan(user, cooperative_id or 0, year)
        except DomainError as exc:
            return await self._plan(user, year, cooperative_id, {}, {"__all__": exc.detail}, exc.status_code)
        flash(request, gettext("Piano approvato."))
        return redirect(f"/training-plans/{year}?cooperative_id={cooperative_id}")

    async def _line(self, user: CurrentUser, line_id: int, values: dict[str, Any] | None = None,
                    errors: dict[str, str] | None = None, status: int = 200) -> Template:
        line = await plans.open_line(user, line_id)
        view = await plans.plan_view(user, line["year"], line["cooperative_id"])
        shown = next(x for x in view["lines"] if x["id"] == line_id)
        linked = {c["course_id"] for c in shown["courses"]}
        courses = [c for c in await fetch_all(
            "SELECT c.id, c.title, c.starts_at FROM course c WHERE c.status <> 'cancelled' "
            "ORDER BY c.starts_at DESC, c.id DESC LIMIT " + str(MAX_COURSE_CHOICES)) if c["id"] not in linked]
        form = values or {"title": line["title"], "course_type": line["course_type"], "need_id": line["need_id"] or "",
                          "target_group": line["target_group"], "hours": rules.hours_field(line["planned_minutes"]),
                          "participants": line["participants"],
                          "estimated_cost": rules.euros_field(line["estimated_cost_cents"]),
                          "budget_id": line["budget_id"] or "", "quarter": line["quarter"],
                          "actual_cost": rules.euros_field(line["actual_cost_cents"])}
        return page("planning/line.html", status_code=status, line=shown, year=line["year"],
                    plan_status=line["plan_status"], values=form, errors=errors or {}, courses=courses,
                    needs_=_need_options(await needs.recorded_needs(line["cooperative_id"], line["year"])),
                    budgets_=_budget_options(await budgets.list_budgets(user, line["cooperative_id"])),
                    is_office=user.is_admin,
                    **_common())

    @get("/training-plan-lines/{line_id:int}", name="training_plan_line")
    async def line(self, user: NamedDependency[CurrentUser], line_id: FromPath[int]) -> Template:
        return await self._line(user, line_id)

    @post("/training-plan-lines/{line_id:int}", name="training_plan_line_save")
    async def save_line(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                        line_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await plans.update_line(user, line_id, _line_input(data))
        except DomainError as exc:
            return await self._line(user, line_id, data, form_errors(exc), exc.status_code)
        flash(request, gettext("Riga aggiornata."))
        return redirect(f"/training-plan-lines/{line_id}")

    @post("/training-plan-lines/{line_id:int}/delete", name="training_plan_line_delete")
    async def delete_line(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                          line_id: FromPath[int]) -> Redirect:
        line = await plans.open_line(user, line_id)
        await plans.delete_line(user, line_id)
        flash(request, gettext("Riga eliminata."))
        return redirect(f"/training-plans/{line['year']}?cooperative_id={line['cooperative_id']}")

    @post("/training-plan-lines/{line_id:int}/courses", name="training_plan_line_link")
    async def link(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                   line_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await plans.link_course(user, line_id, data.get("course_id"))
        except DomainError as exc:
            return await self._line(user, line_id, None, form_errors(exc), exc.status_code)
        flash(request, gettext("Edizione collegata."))
        return redirect(f"/training-plan-lines/{line_id}")

    @post("/training-plan-lines/{line_id:int}/courses/{course_id:int}/unlink", name="training_plan_line_unlink")
    async def unlink(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                     line_id: FromPath[int], course_id: FromPath[int]) -> Redirect:
        await plans.unlink_course(user, line_id, course_id)
        flash(request, gettext("Edizione scollegata."))
        return redirect(f"/training-plan-lines/{line_id}")

    @post("/training-plan-lines/{line_id:int}/cost", name="training_plan_line_cost")
    async def cost(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                   line_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await plans.set_actual_cost(user, line_id, data.get("actual_cost"))
        except DomainError as exc:
            return await self._line(user, line_id, None, form_errors(exc), exc.status_code)
        flash(request, gettext("Costo registrato."))
        return redirect(f"/training-plan-lines/{line_id}")

    # Budgets -----------------------------------------------------------------------------------------

    async def _budgets(self, user: CurrentUser, values: dict[str, Any] | None = None,
                       errors: dict[str, str] | None = None, status: int = 200) -> Template:
        rows = await budgets.list_budgets(user)
        return page("planning/budgets.html", status_code=status, budgets_=rows, errors=errors or {},
                    values=values or {}, **await self._budget_form_options(user))

    @staticmethod
    async def _budget_form_options(user: CurrentUser) -> dict[str, Any]:
        cooperatives = await fetch_all("SELECT id, name FROM cooperative ORDER BY name") if user.is_admin else []
        return {**_common(), "sources": _options(rules.FUNDING_SOURCES), "kinds": _options(rules.BUDGET_KINDS),
                "cooperatives": [(str(c["id"]), c["name"]) for c in cooperatives], "is_office": user.is_admin}

    @get("/budgets", name="budgets")
    async def list_budgets(self, user: NamedDependency[CurrentUser]) -> Template:
        return await self._budgets(user)

    @post("/budgets", name="budget_create")
    async def create_budget(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            budget_id = await budgets.create_budget(user, _budget_input(data))
        except DomainError as exc:
            return await self._budgets(user, data, form_errors(exc), exc.status_code)
        flash(request, gettext("Budget registrato."))
        return redirect(f"/budgets/{budget_id}")

    async def _budget(self, user: CurrentUser, budget_id: int, values: dict[str, Any] | None = None,
                      errors: dict[str, str] | None = None, status: int = 200) -> Template:
        budget = await budgets.open_budget(user, budget_id)
        form = values or {"title": budget["title"], "source": budget["source"], "kind": budget["kind"],
                          "cooperative_id": budget["cooperative_id"] or "",
                          "amount": rules.euros_field(budget["amount_cents"]),
                          "committed": rules.euros_field(budget["committed_cents"]),
                          "spent": rules.euros_field(budget["spent_cents"]),
                          "credited_on": budget["credited_on"].strftime("%d/%m/%Y") if budget["credited_on"] else "",
                          "expires_on": budget["expires_on"].strftime("%d/%m/%Y") if budget["expires_on"] else "",
                          "note": budget["note"]}
        return page("planning/budget.html", status_code=status, budget=budget, values=form, errors=errors or {},
                    **await self._budget_form_options(user))

    @get("/budgets/{budget_id:int}", name="budget")
    async def budget(self, user: NamedDependency[CurrentUser], budget_id: FromPath[int]) -> Template:
        return await self._budget(user, budget_id)

    @post("/budgets/{budget_id:int}", name="budget_save")
    async def save_budget(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                          budget_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await budgets.update_budget(user, budget_id, _budget_input(data))
        except DomainError as exc:
            return await self._budget(user, budget_id, data, form_errors(exc), exc.status_code)
        flash(request, gettext("Budget aggiornato."))
        return redirect(f"/budgets/{budget_id}")

    @post("/budgets/{budget_id:int}/delete", name="budget_delete")
    async def delete_budget(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                            budget_id: FromPath[int]) -> Redirect:
        await budgets.delete_budget(user, budget_id)
        flash(request, gettext("Budget eliminato."))
        return redirect("/budgets")


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _line_input(data: dict[str, Any]) -> plans.LineInput:
    return plans.LineInput(**{name: data.get(name) for name in plans.LineInput.__dataclass_fields__})


def _budget_input(data: dict[str, Any]) -> budgets.BudgetInput:
    return budgets.BudgetInput(**{name: data.get(name) for name in budgets.BudgetInput.__dataclass_fields__})


ROUTES: list[Any] = [PlanningPages]
