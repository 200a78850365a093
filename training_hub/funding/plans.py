"""Funded plans and their actions (DESIGN.md "Funded plans"): the training office's records.

Who does what:

* **admins** (the training office) create plans, link courses as actions, change a plan's status and
  see everything, gross hourly costs included;
* **coordinators** see the plans their cooperative's people take part in and fill their own people's
  fund data (``participants.py``); they never see hourly costs;
* anyone else gets "not found".

The coded values below are the contract of the API (DESIGN.md) and each says where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.db import (
    fetch_all,
    fetch_one,
    is_possible_id,
    unique_violation_column,
    write_transaction,
)
from training_hub.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import parse_day, parse_integer, single_line
from training_hub.core.tables import Course, Role
from training_hub.core.timeutil import utcnow
from training_hub.funding.closing import DEFAULT_TRAINED_THRESHOLD
from training_hub.funding.tables import FundedAction, FundedPlan

# Funds (DESIGN.md "Funded plans"): Fon.Coop, the cooperatives' interprofessional fund (L. 388/2000
# art. 118); Fondimpresa (Confindustria-CGIL-CISL-UIL); a Region's call (FSE+); anything else.
FUNDS: dict[str, str] = {
    "foncoop": N_("Fon.Coop"),
    "fondimpresa": N_("Fondimpresa"),
    "regione": N_("Bando regionale"),
    "other": N_("Altro"),
}
# Aid regimes of the training aid the plan grants (Reg. UE 2831/2023 de minimis; Reg. UE 651/2014,
# GBER, art. 31 training aid), or none (the plan's beneficiaries receive no State aid).
AID_REGIMES: dict[str, str] = {
    "de_minimis": N_("De minimis (Reg. UE 2831/2023)"),
    "gber": N_("Aiuti alla formazione (Reg. UE 651/2014, art. 31)"),
    "none": N_("Nessun regime di aiuto"),
}
STATUSES: dict[str, str] = {
    "approved": N_("Approvato"),
    "running": N_("In corso"),
    "closed": N_("Concluso"),
    "reported": N_("Rendicontato"),
}
# Which layout (layouts.LAYOUTS) each fund's participant file uses.
LAYOUT_OF_FUND = {"foncoop": "foncoop", "fondimpresa": "fondimpresa", "regione": "generic", "other": "generic"}

PLAN_COLUMNS = (
    "fp.id, fp.fund, fp.channel, fp.code, fp.title, fp.starts_on, fp.ends_on, fp.aid_regime, fp.status, "
    "fp.trained_threshold, fp.created_at"
)
NOT_FOUND = N_("Piano finanziato non trovato.")


@dataclass
class PlanInput:
    fund: Any = None
    channel: Any = ""
    code: Any = None
    title: Any = None
    starts_on: Any = None
    ends_on: Any = None
    aid_regime: Any = "none"
    status: Any = "approved"
    trained_threshold: Any = None


def require_office(user: CurrentUser) -> None:
    if not user.is_admin:
        raise PermissionDenied(N_("I piani finanziati sono gestiti dall'ufficio formazione."))


def _validated(data: PlanInput) -> dict[str, Any]:
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name, length, required in (("code", 60, True), ("title", 300, True), ("channel", 200, False)):
        out[name] = single_line(getattr(data, name), name, errors, max_length=length)
        if required and not out[name] and name not in errors:
            errors[name] = N_("Campo obbligatorio.")
    for name, table in (("fund", FUNDS), ("aid_regime", AID_REGIMES), ("status", STATUSES)):
        value = (getattr(data, name) or "").strip() if isinstance(getattr(data, name), str) else getattr(data, name)
        if value not in table:
            errors[name] = N_("Valore non previsto: scegli tra quelli dell'elenco.")
        out[name] = value
    out["starts_on"] = parse_day(data.starts_on, "starts_on", errors) if data.starts_on else None
    out["ends_on"] = parse_day(data.ends_on, "ends_on", errors) if data.ends_on else None
    if out["starts_on"] and out["ends_on"] and out["ends_on"] < out["starts_on"]:
        errors["ends_on"] = N_("La fine del piano precede l'inizio.")
    threshold = data.trained_threshold
    if threshold in (None, ""):
        out["trained_threshold"] = DEFAULT_TRAINED_THRESHOLD
    else:
        value = parse_integer(threshold, "trained_threshold", errors, minimum=1, maximum=100,
                              message=N_("La soglia è una percentuale intera tra 1 e 100."))
        out["trained_threshold"] = value if value is not None else DEFAULT_TRAINED_THRESHOLD
    if errors:
        raise ValidationFailed(N_("Controlla i campi segnalati."), errors=errors)
    return out


async def create_plan(user: CurrentUser, data: PlanInput) -> int:
    require_office(user)
    values = _validated(data)
    try:
        async with write_transaction():
            row = await FundedPlan.insert(FundedPlan(**values, created_by=user.id)).returning(FundedPlan.id)
            plan_id = row[0]["id"]
            await record_audit_event("funded_plan.created", actor_id=user.id, entity="funded_plan", entity_id=plan_id)
    except Exception as exc:
        if unique_violation_column(exc, "funded_plan"):
            raise Conflict(N_("Esiste già un piano con questo codice."), field="code") from exc
        raise
    return plan_id


async def update_plan(user: CurrentUser, plan_id: int, data: PlanInput) -> None:
    require_office(user)
    await load_plan(plan_id)
    values = _validated(data)
    try:
        async with write_transaction():
            await FundedPlan.update({**{getattr(FundedPlan, k): v for k, v in values.items()},
                                     FundedPlan.updated_at: utcnow()}).where(FundedPlan.id == plan_id)
            await record_audit_event("funded_plan.updated", actor_id=user.id, entity="funded_plan", entity_id=plan_id)
    except Exception as exc:
        if unique_violation_column(exc, "funded_plan"):
            raise Conflict(N_("Esiste già un piano con questo codice."), field="code") from exc
        raise


async def load_plan(plan_id: int) -> dict[str, Any]:
    row = await fetch_one(f"SELECT {PLAN_COLUMNS} FROM funded_plan fp WHERE fp.id = {{}}", plan_id) \
        if is_possible_id(plan_id) else None
    if row is None:
        raise NotFound(NOT_FOUND)
    return row


async def plan_cooperatives(plan_id: int) -> set[int]:
    rows = await fetch_all(
        # CROSS JOIN: SQLite starts from the plan's actions (see figures.ACTIONS_SQL).
        "SELECT DISTINCT p.cooperative AS id FROM funded_action fa CROSS JOIN enrolment e "
        "JOIN person p ON p.id = e.person WHERE fa.plan = {} AND e.course = fa.course AND e.status = 'confirmed' "
        "AND p.cooperative IS NOT NULL",
        plan_id,
    )
    return {row["id"] for row in rows}


async def open_plan(user: CurrentUser, plan_id: int) -> dict[str, Any]:
    """The plan, for admins and for the coordinators of a cooperative taking part; 404 to anyone else."""
    plan = await load_plan(plan_id)
    if user.is_admin:
        return plan
    if user.has_role(Role.COORDINATOR) and user.cooperative_id in await plan_cooperatives(plan_id):
        return plan
    raise NotFound(NOT_FOUND)


async def plan_actions(plan_id: int) -> list[dict[str, Any]]:
    return await fetch_all(
        "SELECT fa.id, fa.course AS course_id, fa.action_code, c.title, c.status, c.starts_at, c.ends_at, "
        "c.delivery_mode, (SELECT COUNT(*) FROM enrolment e WHERE e.course = c.id AND e.status = 'confirmed') "
        "AS participants FROM funded_action fa JOIN course c ON c.id = fa.course WHERE fa.plan = {} "
        "ORDER BY c.starts_at, c.id",
        plan_id,
    )


async def get_plan(user: CurrentUser, plan_id: int) -> dict[str, Any]:
    plan = await open_plan(user, plan_id)
    return {**plan, "actions": await plan_actions(plan_id)}


async def list_plans(user: CurrentUser) -> list[dict[str, Any]]:
    if user.is_admin:
        return await fetch_all(f"SELECT {PLAN_COLUMNS} FROM funded_plan fp ORDER BY fp.starts_on DESC, fp.id DESC")
    if not user.has_role(Role.COORDINATOR) or user.cooperative_id is None:
        return []
    return await fetch_all(
        # From the funded actions (a few dozen), never through every confirmed enrolment (CROSS JOIN).
        f"SELECT {PLAN_COLUMNS} FROM funded_plan fp WHERE fp.id IN (SELECT fa.plan FROM funded_action fa "
        "CROSS JOIN enrolment e JOIN person p ON p.id = e.person WHERE e.course = fa.course AND e.status = 'confirmed' "
        "AND p.cooperative = {}) ORDER BY fp.starts_on DESC, fp.id DESC",
        user.cooperative_id,
    )


async def add_course(user: CurrentUser, plan_id: int, course_id: Any, action_code: Any = "") -> int:
    """Link a course to the plan as one of its actions; a course belongs to one plan at most."""
    require_office(user)
    plan = await load_plan(plan_id)
    if not isinstance(course_id, int) or not is_possible_id(course_id) or not await fetch_one(
            "SELECT id FROM course WHERE id = {}", course_id):
        raise ValidationFailed(N_("Corso non trovato."), field="course_id")
    errors: dict[str, str] = {}
    code = single_line(action_code or "", "action_code", errors, max_length=60)
    if errors:
        raise ValidationFailed(N_("Controlla i campi segnalati."), errors=errors)
    existing = await fetch_one("SELECT plan FROM funded_action WHERE course = {}", course_id)
    if existing:
        raise Conflict(N_("Il corso è già un'azione di un piano finanziato."), field="course_id")
    try:
        async with write_transaction():
            row = await FundedAction.insert(FundedAction(plan=plan_id, course=course_id, action_code=code)).returning(
                FundedAction.id)
            # The register prints the plan's code: the course carries it.
            await Course.update({Course.funder_plan_code: plan["code"], Course.updated_at: utcnow()}).where(
                Course.id == course_id)
            await record_audit_event("funded_plan.course_added", actor_id=user.id, entity="funded_plan",
                                     entity_id=plan_id, data={"course_id": course_id})
    except Exception as exc:
        if unique_violation_column(exc, "funded_action"):
            raise Conflict(N_("Il corso è già un'azione di un piano finanziato."), field="course_id") from exc
        raise
    return row[0]["id"]


async def plan_of_course(course_id: int) -> dict[str, Any] | None:
    """The plan a course is an action of, or None."""
    if not is_possible_id(course_id):
        return None
    return await fetch_one(
        f"SELECT {PLAN_COLUMNS}, fa.action_code FROM funded_action fa JOIN funded_plan fp ON fp.id = fa.plan "
        "WHERE fa.course = {}", course_id)


def today() -> date:
    from training_hub.core.timeutil import to_rome
    return to_rome(utcnow()).date()
