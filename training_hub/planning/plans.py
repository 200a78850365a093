"""The annual training plan (DESIGN.md "The cooperative's training year"): a cooperative's lines for a
year, built from its needs, approved by the office, linked to the editions that deliver them, and
planned against delivered per cooperative and for the consortium (``delivered.py``).

Who does what: a coordinator writes her own cooperative's lines, the office any cooperative's
(``access.py``); only the office approves a plan and records what a line actually cost.

**Editing after approval.** An approved plan stays editable, because needs change during the year, but
any change to what was approved (adding, changing or deleting a line) puts the plan back to *draft*
and says so (audit ``training_plan.reopened``, the page shows it): the office approves it again.
Following the year does not change the plan and keeps it approved: linking or unlinking an edition
that delivers a line, and recording what a line cost.

Bad input is named next to its field and changes nothing; a line whose funding source's money expires
before the line's quarter begins is refused (``rules.expired_for_quarter``), and so is the approval
of a plan with such a line (a budget's expiry may have been corrected since).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.db import (
    fetch_all,
    fetch_one,
    is_possible_id,
    unique_violation_column,
    write_transaction,
)
from training_hub.core.errors import Conflict, FieldMessage, NotFound, ValidationFailed
from training_hub.core.i18n import N_, format_date, gettext
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import parse_id, parse_integer, single_line
from training_hub.core.tables import Role
from training_hub.core.timeutil import utcnow
from training_hub.planning import delivered, rules
from training_hub.planning.access import open_cooperative, require_office, require_planner
from training_hub.planning.tables import PlanLine, PlanLineCourse, TrainingPlan
from training_hub.safety.course_types import find_course_type

LINE_NOT_FOUND = N_("Riga del piano non trovata.")
MESSAGES = {
    "required": N_("Campo obbligatorio."),
    "choose": N_("Valore non previsto: scegli tra quelli dell'elenco."),
    "title": N_("Indica il corso o scegli un tipo di corso."),
    "hours": N_("Indica le ore previste, per esempio 8 o 7,5 (al massimo 2000)."),
    "participants": N_("Indica quante persone, un numero intero da 1 a 10000."),
    "cost": N_("Scrivi un importo in euro, per esempio 1.234,50."),
    "quarter": N_("Scegli il trimestre, da 1 a 4."),
    "year": N_("Indica l'anno, tra il 2000 e il 2100."),
    "need": N_("Il fabbisogno non esiste o è di un'altra cooperativa."),
    "budget": N_("Il budget non esiste o non è di questa cooperativa."),
    "budget_expired": N_("Le risorse di questo budget scadono il %(day)s, prima del %(quarter)s° trimestre "
                         "%(year)s: scegli un'altra fonte di finanziamento o un trimestre precedente."),
    "course": N_("Corso non trovato."),
    "linked": N_("Il corso è già collegato a questa riga."),
    "not_linked": N_("Il corso non è collegato a questa riga."),
    "empty_plan": N_("Il piano non ha righe: non c'è nulla da approvare."),
    "already_approved": N_("Il piano è già approvato."),
}


@dataclass
class LineInput:
    title: Any = ""
    course_type: Any = ""
    need_id: Any = None
    target_group: Any = ""
    hours: Any = None
    participants: Any = None
    estimated_cost: Any = 0
    budget_id: Any = None
    quarter: Any = None


def parse_year(value: Any) -> int:
    errors: dict[str, str] = {}
    year = parse_integer(value, "year", errors, minimum=2000, maximum=2100, message=MESSAGES["year"])
    if year is None:
        raise ValidationFailed(MESSAGES["year"], field="year")
    return year


async def _validated_line(cooperative_id: int, year: int, data: LineInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    course_type = data.course_type.strip() if isinstance(data.course_type, str) else data.course_type
    kind = None
    if rules.is_blank(course_type):
        out["course_type"] = ""
    elif (kind := find_course_type(course_type)) is None:
        errors["course_type"] = MESSAGES["choose"]
    else:
        out["course_type"] = course_type
    out["title"] = single_line(data.title, "title", errors, max_length=300)
    if not out["title"] and "title" not in errors:
        if kind is not None:
            out["title"] = gettext(kind.title)
        elif "course_type" not in errors:
            errors["title"] = MESSAGES["title"]
    out["target_group"] = single_line(data.target_group, "target_group", errors, max_length=200)
    minutes = rules.parse_hours(data.hours)
    if minutes is None or not 0 < minutes <= rules.MAX_PLAN_MINUTES:
        errors["hours"] = MESSAGES["required"] if rules.is_blank(data.hours) else MESSAGES["hours"]
    out["planned_minutes"] = minutes or 0
    out["participants"] = parse_integer(data.participants, "participants", errors, minimum=1, maximum=rules.MAX_PEOPLE,
                                        message=MESSAGES["participants"])
    cost = 0 if rules.is_blank(data.estimated_cost) else rules.parse_cents(data.estimated_cost)
    if cost is None or cost > rules.MAX_CENTS:
        errors["estimated_cost"] = MESSAGES["cost"]
    out["estimated_cost_cents"] = cost or 0
    out["quarter"] = parse_integer(data.quarter, "quarter", errors, minimum=1, maximum=4, message=MESSAGES["quarter"])
    need_id = parse_id(data.need_id)
    if need_id is not None and (need_id < 0 or not await fetch_one(
            "SELECT id FROM training_need WHERE id = {} AND cooperative = {}", need_id, cooperative_id)):
        errors["need_id"] = MESSAGES["need"]
    out["need"] = need_id
    budget_id = parse_id(data.budget_id)
    budget = None
    if budget_id is not None:
        budget = await fetch_one(
            "SELECT id, expires_on FROM budget WHERE id = {} AND (cooperative = {} OR cooperative IS NULL)",
            budget_id if budget_id > 0 else 0, cooperative_id)
        if budget is None:
            errors["budget_id"] = MESSAGES["budget"]
    out["budget"] = budget_id
    if budget and out["quarter"] and rules.expired_for_quarter(budget["expires_on"], year, out["quarter"]):
        errors["budget_id"] = FieldMessage(MESSAGES["budget_expired"], day=format_date(budget["expires_on"]),
                                           quarter=out["quarter"], year=year)
    if errors:
        raise ValidationFailed(N_("Controlla i campi segnalati."), errors=errors)
    return out


async def _plan_row(cooperative_id: int, year: int) -> dict[str, Any] | None:
    return await fetch_one(
        "SELECT tp.id, tp.cooperative AS cooperative_id, tp.year, tp.status, tp.approved_at, tp.approved_by "
        "FROM training_plan tp WHERE tp.cooperative = {} AND tp.year = {}", cooperative_id, year)


async def _ensure_plan(cooperative_id: int, year: int) -> dict[str, Any]:
    """The cooperative's plan of the year, created as a draft the first time a line is written."""
    plan = await _plan_row(cooperative_id, year)
    if plan is not None:
        return plan
    # Two first lines at once: the unique index on (cooperative, year) lets one insert win and the
    # other do nothing, and both then read the same plan (a caught error would abort a PostgreSQL
    # transaction, and the index's name is not a column's).
    await TrainingPlan.insert(TrainingPlan(cooperative=cooperative_id, year=year)).on_conflict(
        target=(TrainingPlan.cooperative, TrainingPlan.year), action="DO NOTHING"
    )
    plan = await _plan_row(cooperative_id, year)
    assert plan is not None
    return plan


async def _reopen_if_approved(user: CurrentUser, plan: dict[str, Any]) -> None:
    """Inside the caller's transaction: a change to an approved plan's lines puts it back to draft."""
    reopened = await fetch_all(
        "UPDATE training_plan SET status = 'draft', approved_by = NULL, approved_at = NULL, updated_at = {} "
        "WHERE id = {} AND status = 'approved' RETURNING id", utcnow(), plan["id"])
    if reopened:
        await record_audit_event("training_plan.reopened", actor_id=user.id, entity="training_plan", entity_id=plan["id"])


async def add_line(user: CurrentUser, cooperative_id: int, year: Any, data: LineInput) -> int:
    await open_cooperative(user, cooperative_id)
    year = parse_year(year)
    values = await _validated_line(cooperative_id, year, data)
    plan = await _ensure_plan(cooperative_id, year)
    async with write_transaction():
        row = await PlanLine.insert(PlanLine(**values, plan=plan["id"])).returning(PlanLine.id)
        await _reopen_if_approved(user, plan)
        await record_audit_event("training_plan.line_added", actor_id=user.id, entity="training_plan",
                                 entity_id=plan["id"], data={"line_id": row[0]["id"]})
    return row[0]["id"]


async def open_line(user: CurrentUser, line_id: Any) -> dict[str, Any]:
    """A line the user may see, with its plan's year and status; 404 otherwise."""
    require_planner(user)
    row = await fetch_one(
        f"SELECT {delivered.LINE_COLUMNS}, tp.year, tp.status AS plan_status {delivered.LINE_FROM} WHERE pl.id = {{}}",
        line_id) if isinstance(line_id, int) and is_possible_id(line_id) else None
    if row is None or not (user.is_admin or (user.has_role(Role.COORDINATOR)
                                             and user.cooperative_id == row["cooperative_id"])):
        raise NotFound(LINE_NOT_FOUND)
    return row


async def update_line(user: CurrentUser, line_id: int, data: LineInput) -> None:
    line = await open_line(user, line_id)
    values = await _validated_line(line["cooperative_id"], line["year"], data)
    async with write_transaction():
        await PlanLine.update({**{getattr(PlanLine, k): v for k, v in values.items()},
                               PlanLine.updated_at: utcnow()}).where(PlanLine.id == line_id)
        await _reopen_if_approved(user, {"id": line["plan_id"]})
        await record_audit_event("training_plan.line_updated", actor_id=user.id, entity="training_plan",
                                 entity_id=line["plan_id"], data={"line_id": line_id})


async def delete_line(user: CurrentUser, line_id: int) -> None:
    line = await open_line(user, line_id)
    async with write_transaction():
        await PlanLine.delete().where(PlanLine.id == line_id)
        await _reopen_if_approved(user, {"id": line["plan_id"]})
        await record_audit_event("training_plan.line_deleted", actor_id=user.id, entity="training_plan",
                                 entity_id=line["plan_id"], data={"line_id": line_id})


async def approve_plan(user: CurrentUser, cooperative_id: int, year: Any) -> None:
    require_office(user)
    await open_cooperative(user, cooperative_id)
    year = parse_year(year)
    plan = await _plan_row(cooperative_id, year)
    lines = await delivered.plan_lines(year, cooperative_id) if plan else []
    if not lines:
        raise Conflict(MESSAGES["empty_plan"])
    if plan and plan["status"] == "approved":
        raise Conflict(MESSAGES["already_approved"])
    for line in lines:
        if rules.expired_for_quarter(line["budget_expires_on"], year, line["quarter"]):
            raise Conflict(MESSAGES["budget_expired"], field="budget_id", day=format_date(line["budget_expires_on"]),
                           quarter=line["quarter"], year=year)
    async with write_transaction():
        done = await fetch_all(
            "UPDATE training_plan SET status = 'approved', approved_by = {}, approved_at = {}, updated_at = {} "
            "WHERE id = {} AND status = 'draft' RETURNING id", user.id, utcnow(), utcnow(), plan["id"])
        if not done:
            raise Conflict(MESSAGES["already_approved"])
        await record_audit_event("training_plan.approved", actor_id=user.id, entity="training_plan", entity_id=plan["id"])


async def link_course(user: CurrentUser, line_id: int, course_id: Any) -> None:
    """Link an edition that delivers the line (the plan stays approved: it is the year's follow-up)."""
    line = await open_line(user, line_id)
    course_id = parse_id(course_id)
    if course_id is None or course_id < 0 or not await fetch_one("SELECT id FROM course WHERE id = {}", course_id):
        raise ValidationFailed(MESSAGES["course"], field="course_id")
    if await fetch_one("SELECT id FROM plan_line_course WHERE line = {} AND course = {}", line_id, course_id):
        raise Conflict(MESSAGES["linked"], field="course_id")
    try:
        async with write_transaction():
            await PlanLineCourse.insert(PlanLineCourse(line=line_id, course=course_id))
            await record_audit_event("training_plan.course_linked", actor_id=user.id, entity="training_plan",
                                     entity_id=line["plan_id"], data={"line_id": line_id, "course_id": course_id})
    except Exception as exc:
        if unique_violation_column(exc, "plan_line_course"):
            raise Conflict(MESSAGES["linked"], field="course_id") from exc
        raise


async def unlink_course(user: CurrentUser, line_id: int, course_id: Any) -> None:
    line = await open_line(user, line_id)
    course_id = parse_id(course_id)
    async with write_transaction():
        gone = await fetch_all("DELETE FROM plan_line_course WHERE line = {} AND course = {} RETURNING id",
                               line_id, course_id if course_id and course_id > 0 else 0)
        if not gone:
            raise NotFound(MESSAGES["not_linked"])
        await record_audit_event("training_plan.course_unlinked", actor_id=user.id, entity="training_plan",
                                 entity_id=line["plan_id"], data={"line_id": line_id, "course_id": course_id})


async def set_actual_cost(user: CurrentUser, line_id: int, value: Any) -> None:
    """What the line cost, recorded by the office (empty: not known yet)."""
    require_office(user)
    line = await open_line(user, line_id)
    cents = None if rules.is_blank(value) else rules.parse_cents(value)
    if not rules.is_blank(value) and (cents is None or cents > rules.MAX_CENTS):
        raise ValidationFailed(MESSAGES["cost"], field="actual_cost")
    async with write_transaction():
        await PlanLine.update({PlanLine.actual_cost_cents: cents, PlanLine.updated_at: utcnow()}).where(
            PlanLine.id == line_id)
        await record_audit_event("training_plan.cost_recorded", actor_id=user.id, entity="training_plan",
                                 entity_id=line["plan_id"], data={"line_id": line_id})


# The plan as pages and the API show it --------------------------------------------------------------


def _figures(planned_minutes: int, participants: int, cost: int, minutes: int, people: int,
             actual: int | None) -> dict[str, Any]:
    return {"planned_minutes": planned_minutes, "planned_participants": participants, "planned_cost_cents": cost,
            "delivered_minutes": minutes, "delivered_participants": people, "delivered_cost_cents": actual}


def _sum_actual(lines: list[dict[str, Any]]) -> int | None:
    known = [line["actual_cost_cents"] for line in lines if line["actual_cost_cents"] is not None]
    return sum(known) if known else None


async def plan_view(user: CurrentUser, year: Any, cooperative_id: int | None = None) -> dict[str, Any]:
    """A cooperative's plan of the year (coordinators: always their own), or for the office without a
    cooperative, the consortium's: every cooperative's lines, figures per cooperative and in total.
    A fixed number of statements whatever the number of lines."""
    require_planner(user)
    year = parse_year(year)
    if cooperative_id is None and not user.is_admin:
        cooperative_id = user.cooperative_id
    cooperative = await open_cooperative(user, cooperative_id) if cooperative_id is not None else None
    plans_sql = ("SELECT tp.id, tp.cooperative AS cooperative_id, co.name AS cooperative_name, tp.status, "
                 "tp.approved_at FROM training_plan tp JOIN cooperative co ON co.id = tp.cooperative WHERE tp.year = {}")
    plans = await fetch_all(plans_sql + (" AND tp.cooperative = {}" if cooperative_id is not None else "")
                            + " ORDER BY co.name, tp.cooperative", *([year, cooperative_id] if cooperative_id else [year]))
    lines = await delivered.plan_lines(year, cooperative_id)
    courses = await delivered.linked_courses(year, cooperative_id)
    figures = await delivered.delivered_figures(year, cooperative_id)
    by_line: dict[int, list[dict[str, Any]]] = {}
    for course in courses:
        by_line.setdefault(course["line_id"], []).append(course)
    for line in lines:
        line["courses"] = by_line.get(line["id"], [])
        line.update(_figures(line["planned_minutes"], line["participants"], line["estimated_cost_cents"],
                             figures.get("line_minutes", {}).get(line["id"], 0),
                             figures.get("line_people", {}).get(line["id"], 0), line["actual_cost_cents"]))
    per_cooperative = []
    for plan in plans:
        own = [line for line in lines if line["cooperative_id"] == plan["cooperative_id"]]
        per_cooperative.append({
            "cooperative_id": plan["cooperative_id"], "cooperative_name": plan["cooperative_name"],
            "status": plan["status"], "approved_at": plan["approved_at"], "lines": len(own),
            **_figures(sum(x["planned_minutes"] for x in own), sum(x["participants"] for x in own),
                       sum(x["estimated_cost_cents"] for x in own),
                       figures.get("cooperative_minutes", {}).get(plan["cooperative_id"], 0),
                       figures.get("cooperative_people", {}).get(plan["cooperative_id"], 0), _sum_actual(own)),
        })
    total = _figures(sum(x["planned_minutes"] for x in lines), sum(x["participants"] for x in lines),
                     sum(x["estimated_cost_cents"] for x in lines), figures.get("total_minutes", {}).get(0, 0),
                     figures.get("total_people", {}).get(0, 0), _sum_actual(lines))
    plan = plans[0] if cooperative_id is not None and plans else None
    return {
        "year": year, "cooperative_id": cooperative_id, "cooperative": cooperative,
        "status": plan["status"] if plan else ("draft" if cooperative_id is not None else None),
        "approved_at": plan["approved_at"] if plan else None,
        "lines": lines, "cooperatives": per_cooperative, "total": total,
    }
