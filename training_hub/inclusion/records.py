"""The pathway record: create, correct, read and list, through :mod:`.access` every time.

Input arrives as typed (form strings or JSON values) in :class:`PathwayInput`; every field is checked at
once and a mistake is a message next to its field (``ValidationFailed`` with ``errors``), nothing saved.
The durations are the legal rules of :mod:`.rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from training_hub.core.db import fetch_all, fetch_one, write_transaction
from training_hub.core.errors import ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser, parse_roles
from training_hub.core.parsing import multi_line, parse_day, parse_id, parse_integer, single_line
from training_hub.core.tables import Role
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.inclusion import rules
from training_hub.inclusion.access import Access, Action, audit, check_may_create, open_pathway
from training_hub.inclusion.tables import InclusionPathway, PathwayObjective
from training_hub.inclusion.training import courses_attended

MAX_TEXT = 2000
MAX_OBJECTIVES = 20
MAX_ALLOWANCE_CENTS = 10_000_00  # euro 10.000 a month: anything above is a typing mistake

MESSAGES = {
    "type": N_("Scegli il tipo di percorso."),
    "referring_service": N_("Indica il servizio che ha inviato la persona."),
    "host_cooperative": N_("Scegli la cooperativa ospitante."),
    "promoter_tutor": N_("Scegli il tutor del soggetto promotore."),
    "tutor_invalid": N_("La persona scelta non è un tutor attivo."),
    "tutor_is_person": N_("Il tutor non può essere la persona che segue il percorso."),
    "tutor_self": N_("Indica te stesso come tutor promotore o ospitante: altrimenti non potresti più vedere il percorso."),
    "category": N_("Scegli la categoria di svantaggio prevista dall'art. 4 della L. 381/1991."),
    "eligibility_body": N_("Indica l'ente pubblico che certifica la condizione."),
    "eligibility_protocol": N_("Indica il numero di protocollo del documento."),
    "eligibility_date": N_("Indica la data del documento."),
    "eligibility_future": N_("La data del documento non può essere futura."),
    "weekly_hours": N_("Le ore settimanali sono un numero intero da 1 a 40."),
    "starts_on": N_("Indica la data di inizio."),
    "allowance": N_("Indennità non valida: scrivi l'importo mensile in euro, per esempio 350 o 350,50."),
    "next_review_before_start": N_("La prossima verifica non può precedere l'inizio del percorso."),
    "objectives": N_("Indica almeno un obiettivo."),
    "too_many_objectives": N_("Al massimo 20 obiettivi."),
    "objective_reviewed": N_("Questo obiettivo è già stato valutato in una verifica e non può essere tolto."),
}


@dataclass
class ObjectiveInput:
    description: Any = ""
    indicator: Any = ""
    id: Any = None


@dataclass
class PathwayInput:
    pathway_type: Any = ""
    referring_service: Any = ""
    host_cooperative_id: Any = None
    host_site: Any = ""
    promoter_tutor_id: Any = None
    host_tutor_id: Any = None
    eligibility_category: Any = ""
    eligibility_body: Any = ""
    eligibility_protocol: Any = ""
    eligibility_date: Any = None
    weekly_hours: Any = None
    starts_on: Any = None
    ends_on: Any = None
    derogation_reason: Any = ""
    allowance: Any = None
    next_review_on: Any = None
    objectives: list[ObjectiveInput] = field(default_factory=list)


_EUROS = re.compile(r"(\d{1,7})(?:[.,](\d{1,2}))?")


def parse_euros(value: Any, field_name: str, errors: dict[str, str]) -> int | None:
    """An amount in euros ("350", "350,5", "350.50", or a number) as cents; None when left empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        errors[field_name] = MESSAGES["allowance"]
        return None
    if isinstance(value, int | float):
        cents = round(float(value) * 100)
    else:
        match = _EUROS.fullmatch(str(value).strip().replace("€", "").strip())
        if not match:
            errors[field_name] = MESSAGES["allowance"]
            return None
        cents = int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))
    if not 0 <= cents <= MAX_ALLOWANCE_CENTS:
        errors[field_name] = MESSAGES["allowance"]
        return None
    return cents


async def _check_tutor(value: Any, field_name: str, person_id: int, errors: dict[str, str], *,
                       required: bool) -> int | None:
    tutor_id = parse_id(value)
    if tutor_id is None:
        if required:
            errors[field_name] = MESSAGES["promoter_tutor"]
        return None
    if tutor_id == person_id:
        errors[field_name] = MESSAGES["tutor_is_person"]
        return None
    row = await fetch_one("SELECT roles, active FROM person WHERE id = {}", tutor_id) if tutor_id > 0 else None
    if row is None or not row["active"] or Role.TUTOR.value not in parse_roles(row["roles"]):
        errors[field_name] = MESSAGES["tutor_invalid"]
        return None
    return tutor_id


def _objectives(items: list[ObjectiveInput], errors: dict[str, str]) -> list[dict[str, Any]]:
    cleaned = []
    for index, item in enumerate(items):
        description = multi_line(item.description, f"objectives.{index}.description", errors, max_length=MAX_TEXT)
        indicator = multi_line(item.indicator, f"objectives.{index}.indicator", errors, max_length=MAX_TEXT)
        if description or indicator:
            if not description:
                errors[f"objectives.{index}.description"] = MESSAGES["objectives"]
            cleaned.append({"id": parse_id(item.id), "description": description, "indicator": indicator,
                            "index": index})
    if not cleaned:
        errors["objectives"] = MESSAGES["objectives"]
    elif len(cleaned) > MAX_OBJECTIVES:
        errors["objectives"] = MESSAGES["too_many_objectives"]
    return cleaned


async def validate_pathway(data: PathwayInput, person_id: int, today: date) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The columns to store and the objectives; raises ValidationFailed listing every mistake."""
    errors: dict[str, str] = {}
    pathway_type = str(data.pathway_type or "").strip()
    if pathway_type not in rules.PATHWAY_TYPE_LABELS:
        errors["pathway_type"] = MESSAGES["type"]
    referring = single_line(data.referring_service, "referring_service", errors, max_length=200)
    if not referring and "referring_service" not in errors:
        errors["referring_service"] = MESSAGES["referring_service"]
    host_cooperative = parse_id(data.host_cooperative_id)
    if host_cooperative is None or host_cooperative < 0 or await fetch_one(
        "SELECT id FROM cooperative WHERE id = {} AND active = {}", host_cooperative, True
    ) is None:
        errors["host_cooperative_id"] = MESSAGES["host_cooperative"]
    host_site = single_line(data.host_site, "host_site", errors, max_length=200)
    promoter = await _check_tutor(data.promoter_tutor_id, "promoter_tutor_id", person_id, errors, required=True)
    host_tutor = await _check_tutor(data.host_tutor_id, "host_tutor_id", person_id, errors, required=False)
    category = str(data.eligibility_category or "").strip()
    if category not in rules.CATEGORIES_BY_CODE:
        errors["eligibility_category"] = MESSAGES["category"]
    body = single_line(data.eligibility_body, "eligibility_body", errors, max_length=200)
    if not body and "eligibility_body" not in errors:
        errors["eligibility_body"] = MESSAGES["eligibility_body"]
    protocol = single_line(data.eligibility_protocol, "eligibility_protocol", errors, max_length=60)
    if not protocol and "eligibility_protocol" not in errors:
        errors["eligibility_protocol"] = MESSAGES["eligibility_protocol"]
    document_date = parse_day(data.eligibility_date, "eligibility_date", errors)
    if document_date is None and "eligibility_date" not in errors:
        errors["eligibility_date"] = MESSAGES["eligibility_date"]
    elif document_date is not None and document_date > today:
        errors["eligibility_date"] = MESSAGES["eligibility_future"]
    weekly_hours = parse_integer(data.weekly_hours, "weekly_hours", errors, minimum=rules.MIN_WEEKLY_HOURS,
                                 maximum=rules.MAX_WEEKLY_HOURS, message=MESSAGES["weekly_hours"])
    starts_on = parse_day(data.starts_on, "starts_on", errors)
    if starts_on is None and "starts_on" not in errors:
        errors["starts_on"] = MESSAGES["starts_on"]
    ends_on = parse_day(data.ends_on, "ends_on", errors)
    derogation = multi_line(data.derogation_reason, "derogation_reason", errors, max_length=MAX_TEXT)
    if "pathway_type" not in errors and "ends_on" not in errors:
        for name, message in rules.check_duration(pathway_type, category, starts_on, ends_on, derogation).items():
            errors.setdefault(name, message)
    allowance = parse_euros(data.allowance, "allowance", errors)
    next_review = parse_day(data.next_review_on, "next_review_on", errors)
    if next_review is not None and starts_on is not None and next_review < starts_on:
        errors["next_review_on"] = MESSAGES["next_review_before_start"]
    objectives = _objectives(data.objectives, errors)
    if errors:
        raise ValidationFailed(N_("Il percorso non è stato salvato: controlla i campi indicati."), errors=errors)
    columns = {
        "pathway_type": pathway_type, "referring_service": referring, "host_cooperative": host_cooperative,
        "host_site": host_site, "promoter_tutor": promoter, "host_tutor": host_tutor,
        "eligibility_category": category, "eligibility_body": body, "eligibility_protocol": protocol,
        "eligibility_date": document_date, "weekly_hours": weekly_hours, "starts_on": starts_on, "ends_on": ends_on,
        "derogation_reason": derogation, "allowance_cents": allowance, "next_review_on": next_review,
    }
    return columns, objectives


def _today() -> date:
    return to_rome(utcnow()).date()


async def create_pathway(actor: CurrentUser, person_id: int, data: PathwayInput) -> int:
    """A new pathway for ``person_id``; admins, or a tutor following the person who is one of its tutors."""
    await check_may_create(actor, person_id)
    columns, objectives = await validate_pathway(data, person_id, _today())
    if not actor.is_admin and actor.id not in (columns["promoter_tutor"], columns["host_tutor"]):
        raise ValidationFailed(MESSAGES["tutor_self"], field="promoter_tutor_id")
    now = utcnow()
    async with write_transaction():
        inserted = await InclusionPathway.insert(InclusionPathway(
            person=person_id, created_by=actor.id, created_at=now, updated_at=now, **columns,
        ))
        pathway_id = inserted[0]["id"]
        await PathwayObjective.insert(*[
            PathwayObjective(pathway=pathway_id, position=position, description=item["description"],
                             indicator=item["indicator"])
            for position, item in enumerate(objectives, start=1)
        ])
        await audit(actor, Action.CREATED, pathway_id, person_id=person_id)
    return pathway_id


async def update_pathway(actor: CurrentUser, pathway_id: int, data: PathwayInput) -> None:
    """Correct a pathway (a mistake, new dates, a new tutor): whoever has the full view."""
    async with write_transaction():
        row, _ = await open_pathway(actor, pathway_id, Action.UPDATED, need=Access.FULL)
        columns, objectives = await validate_pathway(data, row["person"], _today())
        existing = {item["id"] for item in await fetch_all("SELECT id FROM pathway_objective WHERE pathway = {}",
                                                            pathway_id)}
        kept = {item["id"] for item in objectives if item["id"] in existing}
        removed = existing - kept
        if removed:
            reviewed = await fetch_all(
                "SELECT DISTINCT objective FROM review_objective_outcome WHERE objective IN ("
                + ", ".join("{}" for _ in removed) + ")", *sorted(removed)
            )
            if reviewed:
                raise ValidationFailed(MESSAGES["objective_reviewed"], field="objectives")
            await PathwayObjective.delete().where(PathwayObjective.id.is_in(sorted(removed)))
        updates = {InclusionPathway._meta.get_column_by_name(name): value for name, value in columns.items()}
        updates[InclusionPathway.updated_at] = utcnow()
        await InclusionPathway.update(updates).where(InclusionPathway.id == pathway_id)
        for position, item in enumerate(objectives, start=1):
            if item["id"] in existing:
                await PathwayObjective.update({
                    PathwayObjective.position: position, PathwayObjective.description: item["description"],
                    PathwayObjective.indicator: item["indicator"],
                }).where(PathwayObjective.id == item["id"])
            else:
                await PathwayObjective.insert(PathwayObjective(
                    pathway=pathway_id, position=position, description=item["description"],
                    indicator=item["indicator"]))


# Reading ------------------------------------------------------------------------------------------


def _money(cents: int | None) -> str | None:
    if cents is None:
        return None
    return f"{cents // 100},{cents % 100:02d}"


async def _objectives_of(pathway_id: int) -> list[dict[str, Any]]:
    return await fetch_all(
        "SELECT id, position, description, indicator FROM pathway_objective WHERE pathway = {} ORDER BY position, id",
        pathway_id,
    )


async def _reviews_of(pathway_id: int) -> list[dict[str, Any]]:
    reviews = await fetch_all(
        "SELECT r.id, r.held_on, r.participants, r.notes, r.next_review_on, p.full_name AS recorded_by_name "
        "FROM pathway_review r LEFT JOIN person p ON p.id = r.recorded_by WHERE r.pathway = {} "
        "ORDER BY r.held_on DESC, r.id DESC", pathway_id,
    )
    outcomes = await fetch_all(
        "SELECT o.review, o.objective, o.level, o.comment FROM review_objective_outcome o "
        "JOIN pathway_review r ON r.id = o.review WHERE r.pathway = {} ORDER BY o.id", pathway_id,
    )
    by_review: dict[int, list[dict[str, Any]]] = {}
    for outcome in outcomes:
        by_review.setdefault(outcome["review"], []).append(
            {**outcome, "level_label": rules.label_of(rules.OBJECTIVE_LEVEL_LABELS, outcome["level"])})
    return [{**review, "outcomes": by_review.get(review["id"], [])} for review in reviews]


async def competences_of(pathway_id: int) -> list[dict[str, Any]]:
    rows = await fetch_all(
        "SELECT pc.id, pc.description, pc.evidence_kind, pc.course, pc.evidence_note, pc.acquired_on, "
        "c.title AS course_title FROM pathway_competence pc LEFT JOIN course c ON c.id = pc.course "
        "WHERE pc.pathway = {} ORDER BY pc.acquired_on, pc.id", pathway_id,
    )
    return [{**row, "evidence_label": rules.label_of(rules.EVIDENCE_KIND_LABELS, row["evidence_kind"])} for row in rows]


async def build_view(row: dict[str, Any], level: Access, now: datetime | None = None) -> dict[str, Any]:
    """What the record shows to someone with ``level``: the own view never holds a restricted key."""
    now = now or utcnow()
    today = to_rome(now).date()
    concluded = row["outcome"] is not None
    view: dict[str, Any] = {
        "id": row["id"],
        "access": level.value,
        "person_id": row["person"],
        "person_name": row["person_name"],
        "pathway_type": row["pathway_type"],
        "pathway_type_label": rules.pathway_type_label(row["pathway_type"]),
        "host_cooperative_id": row["host_cooperative"],
        "host_cooperative_name": row["host_cooperative_name"],
        "host_site": row["host_site"],
        "promoter_tutor_id": row["promoter_tutor"],
        "promoter_tutor_name": row["promoter_tutor_name"],
        "host_tutor_id": row["host_tutor"],
        "host_tutor_name": row["host_tutor_name"],
        "weekly_hours": row["weekly_hours"],
        "starts_on": row["starts_on"],
        "ends_on": row["ends_on"],
        "allowance_cents": row["allowance_cents"],
        "allowance": _money(row["allowance_cents"]),
        "stage": rules.stage(row["starts_on"], row["ends_on"], row["outcome"], today),
        "outcome": row["outcome"],
        "outcome_label": rules.label_of(rules.OUTCOME_LABELS, row["outcome"]),
        "outcome_on": row["outcome_on"],
        "objectives": await _objectives_of(row["id"]),
        "courses": await courses_attended(row["person"], row["starts_on"], row["ends_on"], now),
        "competences": await competences_of(row["id"]),
    }
    view["stage_label"] = rules.label_of(rules.STAGE_LABELS, view["stage"])
    if level is not Access.FULL:
        return view
    view.update({
        "referring_service": row["referring_service"],
        "eligibility_category": row["eligibility_category"],
        "eligibility_category_label": rules.category_label(row["eligibility_category"]),
        "eligibility_body": row["eligibility_body"],
        "eligibility_protocol": row["eligibility_protocol"],
        "eligibility_date": row["eligibility_date"],
        "derogation_reason": row["derogation_reason"],
        "next_review_on": row["next_review_on"],
        "review_overdue": rules.review_overdue(row["next_review_on"], today, concluded=concluded),
        "outcome_reason": row["outcome_reason"],
        "reviews": await _reviews_of(row["id"]),
        "can_edit": True,
    })
    return view


async def get_pathway(actor: CurrentUser, pathway_id: int, action: str = Action.READ, *,
                      need: Access = Access.OWN) -> dict[str, Any]:
    row, level = await open_pathway(actor, pathway_id, action, need=need)
    return await build_view(row, level)


_LIST_SQL = (
    "SELECT ip.id, ip.person, ip.pathway_type, ip.starts_on, ip.ends_on, ip.next_review_on, ip.outcome, "
    "ip.promoter_tutor, ip.host_tutor, p.full_name AS person_name, c.name AS host_cooperative_name "
    "FROM inclusion_pathway ip JOIN person p ON p.id = ip.person "
    "LEFT JOIN cooperative c ON c.id = ip.host_cooperative "
)


async def list_pathways(actor: CurrentUser, now: datetime | None = None) -> list[dict[str, Any]]:
    """The pathways the actor may open: all (admins), theirs as promoter or host tutor, or their own.

    One audit row lists the ids shown to anyone but the person (a list is a read of each record)."""
    today = to_rome(now or utcnow()).date()
    order = " ORDER BY ip.outcome IS NOT NULL, p.full_name, ip.starts_on DESC, ip.id"
    if actor.is_admin:
        rows = await fetch_all(_LIST_SQL + order)
    elif actor.has_role(Role.TUTOR):
        rows = await fetch_all(
            _LIST_SQL + "WHERE ip.promoter_tutor = {} OR ip.host_tutor = {} OR ip.person = {}" + order,
            actor.id, actor.id, actor.id)
    else:
        rows = await fetch_all(_LIST_SQL + "WHERE ip.person = {}" + order, actor.id)
    others = [row["id"] for row in rows if row["person"] != actor.id]
    if others:
        await audit(actor, Action.LISTED, None, person_id=None, data={"pathway_ids": others})
    items = []
    for row in rows:
        own = row["person"] == actor.id and not actor.is_admin and actor.id not in (row["promoter_tutor"], row["host_tutor"])
        concluded = row["outcome"] is not None
        items.append({
            "id": row["id"], "person_id": row["person"], "person_name": row["person_name"], "own": own,
            "pathway_type": row["pathway_type"], "pathway_type_label": rules.pathway_type_label(row["pathway_type"]),
            "host_cooperative_name": row["host_cooperative_name"], "starts_on": row["starts_on"],
            "ends_on": row["ends_on"], "outcome": row["outcome"],
            "outcome_label": rules.label_of(rules.OUTCOME_LABELS, row["outcome"]),
            "stage": rules.stage(row["starts_on"], row["ends_on"], row["outcome"], today),
            "next_review_on": None if own else row["next_review_on"],
            "review_overdue": False if own else rules.review_overdue(row["next_review_on"], today, concluded=concluded),
        })
    for item in items:
        item["stage_label"] = rules.label_of(rules.STAGE_LABELS, item["stage"])
    return items


async def form_options(actor: CurrentUser, person_id: int | None = None) -> dict[str, Any]:
    """The choices of the pathway form: active cooperatives and tutors, types, categories."""
    cooperatives = await fetch_all("SELECT id, name, province FROM cooperative WHERE active = {} ORDER BY name",
                                   True)
    people = await fetch_all(
        "SELECT p.id, p.full_name, p.roles, c.name AS cooperative_name FROM person p "
        "LEFT JOIN cooperative c ON c.id = p.cooperative WHERE p.active = {} AND p.roles LIKE {} "
        "ORDER BY p.full_name, p.id", True, "%tutor%",
    )
    tutors = [row for row in people if Role.TUTOR.value in parse_roles(row["roles"]) and row["id"] != person_id]
    return {
        "cooperatives": cooperatives,
        "tutors": tutors,
        "types": [(code, rules.pathway_type_label(code)) for code in rules.PATHWAY_TYPE_LABELS],
        "categories": [(category.code, rules.category_label(category.code)) for category in rules.ELIGIBILITY_CATEGORIES],
    }


async def person_for_new_pathway(actor: CurrentUser, person_id: int) -> dict[str, Any]:
    """The person a new pathway is for (NotFound unless the actor may create one for them)."""
    return await check_may_create(actor, person_id)


def input_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The form's values for a pathway's full view (the edit form and a PATCH start from them)."""
    return {
        "pathway_type": row["pathway_type"], "referring_service": row["referring_service"],
        "host_cooperative_id": row["host_cooperative_id"], "host_site": row["host_site"],
        "promoter_tutor_id": row["promoter_tutor_id"], "host_tutor_id": row["host_tutor_id"],
        "eligibility_category": row["eligibility_category"], "eligibility_body": row["eligibility_body"],
        "eligibility_protocol": row["eligibility_protocol"], "eligibility_date": row["eligibility_date"],
        "weekly_hours": row["weekly_hours"], "starts_on": row["starts_on"], "ends_on": row["ends_on"],
        "derogation_reason": row["derogation_reason"], "allowance": row["allowance"] or "",
        "next_review_on": row["next_review_on"],
        "objectives": [{"id": item["id"], "description": item["description"], "indicator": item["indicator"]}
                       for item in row["objectives"]],
    }



async def people_for_new_pathway(actor: CurrentUser) -> list[dict[str, Any]]:
    """Whom the actor may start a pathway for: a tutor, the people they follow; an admin, everyone some
    tutor follows (the people on inclusion pathways come through a tutor)."""
    if actor.is_admin:
        return await fetch_all(
            "SELECT DISTINCT p.id, p.full_name FROM tutor_link t JOIN person p ON p.id = t.person "
            "WHERE p.active = {} ORDER BY p.full_name, p.id", True)
    if actor.has_role(Role.TUTOR):
        return await fetch_all(
            "SELECT p.id, p.full_name FROM tutor_link t JOIN person p ON p.id = t.person "
            "WHERE t.tutor = {} AND p.active = {} ORDER BY p.full_name, p.id", actor.id, True)
    return []
