"""Pages of inclusion pathways: the list, the record, the forms (pathway, review, competence, outcome) and
the office's counts. Every page reads through the services, which answer 404 to anyone not allowed."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from training_hub.core.errors import DomainError
from training_hub.core.i18n import format_date, gettext
from training_hub.inclusion import aggregates, outcomes, records, reviews, rules
from training_hub.inclusion.access import Access
from training_hub.web.auth import CurrentUser, provide_user, requires_admin, requires_login
from training_hub.web.responses import flash, form_dict, form_errors, page, redirect

DEPENDENCIES = {"user": Provide(provide_user, sync_to_thread=False)}
BLANK_OBJECTIVE_ROWS = 3


def _objective_rows(data: dict[str, Any]) -> list[records.ObjectiveInput]:
    indexes = sorted({int(key.split(".")[1]) for key in data
                      if key.startswith("objectives.") and key.split(".")[1].isdigit() and len(key.split(".")[1]) < 4})
    return [records.ObjectiveInput(data.get(f"objectives.{i}.description", ""), data.get(f"objectives.{i}.indicator", ""),
                                   data.get(f"objectives.{i}.id") or None) for i in indexes]


def _pathway_input(data: dict[str, Any]) -> records.PathwayInput:
    names = [name for name in records.PathwayInput.__dataclass_fields__ if name != "objectives"]
    return records.PathwayInput(**{name: data.get(name) for name in names}, objectives=_objective_rows(data))


def _form_values(data: dict[str, Any]) -> dict[str, Any]:
    """What was typed, to show again next to the errors."""
    values = {key: value for key, value in data.items() if not key.startswith("objectives.")}
    values["objectives"] = [{"id": item.id, "description": item.description, "indicator": item.indicator}
                            for item in _objective_rows(data)]
    return values


async def _pathway_form(user: CurrentUser, *, person: dict[str, Any], values: dict[str, Any], action: str,
                        errors: dict[str, str] | None = None, status: int = 200, pathway_id: int | None = None) -> Template:
    values = {key: format_date(value) if isinstance(value, date) else value for key, value in values.items()}
    objectives = list(values.get("objectives") or [])
    objectives += [{"id": None, "description": "", "indicator": ""}] * BLANK_OBJECTIVE_ROWS
    return page("inclusion/form.html", status_code=status, person=person, values=values, objectives=objectives,
                errors=errors or {}, action=action, pathway_id=pathway_id,
                options=await records.form_options(user, person["id"]))


class PathwayPages(Controller):
    path = "/inclusion-pathways"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/", name="inclusion_pathways")
    async def list_pathways(self, user: NamedDependency[CurrentUser]) -> Template:
        return page("inclusion/list.html", pathways=await records.list_pathways(user),
                    candidates=await records.people_for_new_pathway(user))

    @get("/{pathway_id:int}", name="inclusion_pathway")
    async def detail(self, user: NamedDependency[CurrentUser], pathway_id: FromPath[int]) -> Template:
        return page("inclusion/detail.html", p=await records.get_pathway(user, pathway_id))

    @get("/{pathway_id:int}/edit", name="inclusion_pathway_edit")
    async def edit(self, user: NamedDependency[CurrentUser], pathway_id: FromPath[int]) -> Template:
        view = await records.get_pathway(user, pathway_id, need=Access.FULL)
        return await _pathway_form(user, person={"id": view["person_id"], "full_name": view["person_name"]},
                                   values=records.input_from_row(view), action=f"/inclusion-pathways/{pathway_id}/edit",
                                   pathway_id=pathway_id)

    @post("/{pathway_id:int}/edit", name="inclusion_pathway_update")
    async def update(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                     pathway_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            await records.update_pathway(user, pathway_id, _pathway_input(data))
        except DomainError as exc:
            view = await records.get_pathway(user, pathway_id, need=Access.FULL)
            return await _pathway_form(user, person={"id": view["person_id"], "full_name": view["person_name"]},
                                       values=_form_values(data), action=f"/inclusion-pathways/{pathway_id}/edit",
                                       errors=form_errors(exc), status=exc.status_code, pathway_id=pathway_id)
        flash(request, gettext("Modifiche salvate."))
        return redirect(f"/inclusion-pathways/{pathway_id}")

    async def _review_form(self, user: CurrentUser, pathway_id: int, values: dict[str, Any],
                           errors: dict[str, str] | None = None, status: int = 200) -> Template:
        view = await records.get_pathway(user, pathway_id, need=Access.FULL)
        return page("inclusion/review_form.html", status_code=status, p=view, values=values, errors=errors or {},
                    levels=[(code, rules.label_of(rules.OBJECTIVE_LEVEL_LABELS, code))
                            for code in rules.OBJECTIVE_LEVEL_LABELS])

    @get("/{pathway_id:int}/reviews/new", name="inclusion_review_new")
    async def new_review(self, user: NamedDependency[CurrentUser], pathway_id: FromPath[int]) -> Template:
        return await self._review_form(user, pathway_id, {})

    @post("/{pathway_id:int}/reviews/new", name="inclusion_review_create")
    async def create_review(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                            pathway_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        count = sum(1 for key in data if key.startswith("outcomes.") and key.endswith(".objective_id"))
        review = reviews.ReviewInput(
            held_on=data.get("held_on"), participants=data.get("participants", ""), notes=data.get("notes", ""),
            next_review_on=data.get("next_review_on"),
            outcomes=[reviews.OutcomeInput(data.get(f"outcomes.{i}.objective_id"), data.get(f"outcomes.{i}.level"),
                                           data.get(f"outcomes.{i}.comment", "")) for i in range(min(count, 100))],
        )
        try:
            await reviews.add_review(user, pathway_id, review)
        except DomainError as exc:
            return await self._review_form(user, pathway_id, data, form_errors(exc), exc.status_code)
        flash(request, gettext("Verifica registrata."))
        return redirect(f"/inclusion-pathways/{pathway_id}")

    async def _competence_form(self, user: CurrentUser, pathway_id: int, values: dict[str, Any],
                               errors: dict[str, str] | None = None, status: int = 200) -> Template:
        view = await records.get_pathway(user, pathway_id, need=Access.FULL)
        return page("inclusion/competence_form.html", status_code=status, p=view, values=values, errors=errors or {},
                    kinds=[(code, rules.label_of(rules.EVIDENCE_KIND_LABELS, code)) for code in rules.EVIDENCE_KIND_LABELS])

    @get("/{pathway_id:int}/competences/new", name="inclusion_competence_new")
    async def new_competence(self, user: NamedDependency[CurrentUser], pathway_id: FromPath[int]) -> Template:
        return await self._competence_form(user, pathway_id, {})

    @post("/{pathway_id:int}/competences/new", name="inclusion_competence_create")
    async def create_competence(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                                pathway_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        names = outcomes.CompetenceInput.__dataclass_fields__
        try:
            await outcomes.add_competence(user, pathway_id, outcomes.CompetenceInput(**{n: data.get(n) for n in names}))
        except DomainError as exc:
            return await self._competence_form(user, pathway_id, data, form_errors(exc), exc.status_code)
        flash(request, gettext("Competenza registrata."))
        return redirect(f"/inclusion-pathways/{pathway_id}")

    async def _outcome_form(self, user: CurrentUser, pathway_id: int, values: dict[str, Any] | None,
                            errors: dict[str, str] | None = None, status: int = 200) -> Template:
        view = await records.get_pathway(user, pathway_id, need=Access.FULL)
        if values is None:
            values = {"outcome": view["outcome"] or "", "reason": view["outcome_reason"],
                      "outcome_on": format_date(view["outcome_on"]) if view["outcome_on"] else ""}
        return page("inclusion/outcome_form.html", status_code=status, p=view, values=values, errors=errors or {},
                    choices=[(code, rules.label_of(rules.OUTCOME_LABELS, code)) for code in rules.OUTCOME_LABELS])

    @get("/{pathway_id:int}/outcome", name="inclusion_outcome")
    async def outcome_form(self, user: NamedDependency[CurrentUser], pathway_id: FromPath[int]) -> Template:
        return await self._outcome_form(user, pathway_id, None)

    @post("/{pathway_id:int}/outcome", name="inclusion_outcome_save")
    async def save_outcome(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                           pathway_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        names = outcomes.OutcomeInput.__dataclass_fields__
        try:
            await outcomes.record_outcome(user, pathway_id, outcomes.OutcomeInput(**{n: data.get(n) for n in names}))
        except DomainError as exc:
            return await self._outcome_form(user, pathway_id, data, form_errors(exc), exc.status_code)
        flash(request, gettext("Esito salvato."))
        return redirect(f"/inclusion-pathways/{pathway_id}")


class NewPathwayPages(Controller):
    path = "/people"
    guards = [requires_login]  # noqa: RUF012
    include_in_schema = False
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/{person_id:int}/inclusion-pathways/new", name="inclusion_pathway_new")
    async def new(self, user: NamedDependency[CurrentUser], person_id: FromPath[int]) -> Template:
        person = await records.person_for_new_pathway(user, person_id)
        values: dict[str, Any] = {"weekly_hours": 20, "objectives": []}
        if not user.is_admin:
            values["promoter_tutor_id"] = user.id
        return await _pathway_form(user, person=person, values=values,
                                   action=f"/people/{person_id}/inclusion-pathways/new")

    @post("/{person_id:int}/inclusion-pathways/new", name="inclusion_pathway_create")
    async def create(self, request: Request[Any, Any, Any], user: NamedDependency[CurrentUser],
                     person_id: FromPath[int]) -> Template | Redirect:
        data = await form_dict(request)
        try:
            pathway_id = await records.create_pathway(user, person_id, _pathway_input(data))
        except DomainError as exc:
            person = await records.person_for_new_pathway(user, person_id)
            return await _pathway_form(user, person=person, values=_form_values(data), errors=form_errors(exc),
                                       status=exc.status_code, action=f"/people/{person_id}/inclusion-pathways/new")
        flash(request, gettext("Percorso registrato."))
        return redirect(f"/inclusion-pathways/{pathway_id}")


class CountsPages(Controller):
    path = "/admin/inclusion-pathways"
    guards = [requires_admin]  # noqa: RUF012
    include_in_schema = False
    dependencies = DEPENDENCIES  # noqa: RUF012

    @get("/counts", name="inclusion_counts")
    async def counts(self, user: NamedDependency[CurrentUser], year: FromQuery[int | None] = None) -> Template:
        return page("inclusion/counts.html", counts=await aggregates.pathway_counts(user, year), year=year,
                    minimum=rules.MIN_GROUP)


ROUTES = [PathwayPages, NewPathwayPages, CountsPages]
