"""The end of a pathway: the competences acquired, each with its evidence, and the outcome.

Evidence is a course attended during the pathway (one of those the record lists), an assessment, or an
observation at work. The outcome is hiring, an extension, the planned end, or an interruption, which must
say why. Recording an empty outcome reopens the pathway (a mistake corrected): its reminders resume.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from training_hub.core.db import fetch_all, write_transaction
from training_hub.core.errors import ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import multi_line, parse_day, parse_id, single_line
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.inclusion import rules
from training_hub.inclusion.access import Access, Action, open_pathway
from training_hub.inclusion.tables import PathwayCompetence
from training_hub.inclusion.training import courses_attended

MAX_TEXT = 2000

MESSAGES = {
    "description": N_("Descrivi la competenza acquisita."),
    "evidence_kind": N_("Scegli come è stata accertata la competenza."),
    "course": N_("Scegli uno dei corsi frequentati durante il percorso."),
    "acquired_on": N_("Indica la data in cui la competenza è stata accertata."),
    "before_start": N_("La data non può precedere l'inizio del percorso."),
    "future": N_("La data non può essere futura."),
    "outcome": N_("Scegli l'esito del percorso."),
    "outcome_on": N_("Indica la data dell'esito."),
    "reason": N_("Per un percorso interrotto indica il motivo."),
}


@dataclass
class CompetenceInput:
    description: Any = ""
    evidence_kind: Any = ""
    course_id: Any = None
    evidence_note: Any = ""
    acquired_on: Any = None


@dataclass
class OutcomeInput:
    outcome: Any = ""
    outcome_on: Any = None
    reason: Any = ""


def _check_day(value: Any, name: str, missing: str, pathway: dict[str, Any], errors: dict[str, str]) -> Any:
    day = parse_day(value, name, errors)
    if day is None and name not in errors:
        errors[name] = missing
    elif day is not None and day < pathway["starts_on"]:
        errors[name] = MESSAGES["before_start"]
    elif day is not None and day > to_rome(utcnow()).date():
        errors[name] = MESSAGES["future"]
    return day


async def add_competence(actor: CurrentUser, pathway_id: int, data: CompetenceInput) -> int:
    async with write_transaction():
        pathway, _ = await open_pathway(actor, pathway_id, Action.COMPETENCE_ADDED, need=Access.FULL)
        errors: dict[str, str] = {}
        description = single_line(data.description, "description", errors, max_length=300)
        if not description and "description" not in errors:
            errors["description"] = MESSAGES["description"]
        kind = str(data.evidence_kind or "").strip()
        if kind not in rules.EVIDENCE_KIND_LABELS:
            errors["evidence_kind"] = MESSAGES["evidence_kind"]
        course_id = parse_id(data.course_id)
        if kind == rules.EvidenceKind.COURSE.value:
            attended = {course.course_id for course in await courses_attended(
                pathway["person"], pathway["starts_on"], pathway["ends_on"])}
            if course_id not in attended:
                errors["course_id"] = MESSAGES["course"]
        else:
            course_id = None
        note = multi_line(data.evidence_note, "evidence_note", errors, max_length=MAX_TEXT)
        acquired_on = _check_day(data.acquired_on, "acquired_on", MESSAGES["acquired_on"], pathway, errors)
        if errors:
            raise ValidationFailed(N_("La competenza non è stata salvata: controlla i campi indicati."), errors=errors)
        inserted = await PathwayCompetence.insert(PathwayCompetence(
            pathway=pathway_id, description=description, evidence_kind=kind, course=course_id,
            evidence_note=note, acquired_on=acquired_on, recorded_by=actor.id,
        ))
    return inserted[0]["id"]


async def record_outcome(actor: CurrentUser, pathway_id: int, data: OutcomeInput) -> None:
    async with write_transaction():
        pathway, _ = await open_pathway(actor, pathway_id, Action.OUTCOME_RECORDED, need=Access.FULL)
        outcome = str(data.outcome or "").strip()
        if not outcome:
            await fetch_all(
                "UPDATE inclusion_pathway SET outcome = NULL, outcome_on = NULL, outcome_reason = {}, updated_at = {} "
                "WHERE id = {}", "", utcnow(), pathway_id)
            return
        errors: dict[str, str] = {}
        if outcome not in rules.OUTCOME_LABELS:
            errors["outcome"] = MESSAGES["outcome"]
        outcome_on = _check_day(data.outcome_on, "outcome_on", MESSAGES["outcome_on"], pathway, errors)
        reason = multi_line(data.reason, "reason", errors, max_length=MAX_TEXT)
        if outcome in rules.OUTCOME_NEEDS_REASON and not reason and "reason" not in errors:
            errors["reason"] = MESSAGES["reason"]
        if errors:
            raise ValidationFailed(N_("L'esito non è stato salvato: controlla i campi indicati."), errors=errors)
        await fetch_all(
            "UPDATE inclusion_pathway SET outcome = {}, outcome_on = {}, outcome_reason = {}, updated_at = {} "
            "WHERE id = {}", outcome, outcome_on, reason, utcnow(), pathway_id)
