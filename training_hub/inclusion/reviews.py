"""Periodic reviews of a pathway, and the reminder to the tutors when one is overdue.

A review records when it was held, who took part, an outcome per objective and the date of the next
one. The pathway keeps the next review's date; the day after it, while no outcome closes the pathway,
:func:`remind_overdue_reviews` (hourly housekeeping) queues one e-mail to each of its tutors, once per
due date: the date reminded is claimed with one ``UPDATE … WHERE`` (two workers cannot both win it) and
each message carries a dedupe key. The e-mail says only that a review is due, with a link: no name, no
pathway type, no category — an inbox is no place for special-category data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from training_hub.core.db import fetch_all, fetch_one, write_transaction
from training_hub.core.errors import ValidationFailed
from training_hub.core.i18n import N_, format_date, language
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import multi_line, parse_day, parse_id
from training_hub.core.settings import get_settings
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.inclusion import rules
from training_hub.inclusion.access import Access, Action, open_pathway
from training_hub.inclusion.tables import PathwayReview, ReviewObjectiveOutcome
from training_hub.notifications.outbox import queue_notification

log = logging.getLogger("training_hub.inclusion")

MAX_TEXT = 2000
REMINDER_KIND = "inclusion_review_due"

MESSAGES = {
    "held_on": N_("Indica la data della verifica."),
    "held_before_start": N_("La verifica non può precedere l'inizio del percorso."),
    "held_future": N_("Una verifica si registra dopo averla fatta: la data non può essere futura."),
    "participants": N_("Indica chi ha partecipato alla verifica."),
    "next_review": N_("Indica la data della prossima verifica."),
    "next_before_held": N_("La prossima verifica deve essere successiva a questa."),
    "level": N_("Scegli l'esito dell'obiettivo."),
    "unknown_objective": N_("Uno degli obiettivi indicati non appartiene a questo percorso."),
}


@dataclass
class OutcomeInput:
    objective_id: Any
    level: Any = rules.ObjectiveLevel.NOT_ASSESSED.value
    comment: Any = ""


@dataclass
class ReviewInput:
    held_on: Any = None
    participants: Any = ""
    notes: Any = ""
    next_review_on: Any = None
    outcomes: list[OutcomeInput] = field(default_factory=list)


def _validate(data: ReviewInput, pathway: dict[str, Any], objectives: list[int], today: date) -> dict[str, Any]:
    errors: dict[str, str] = {}
    held_on = parse_day(data.held_on, "held_on", errors)
    if held_on is None and "held_on" not in errors:
        errors["held_on"] = MESSAGES["held_on"]
    elif held_on is not None and held_on < pathway["starts_on"]:
        errors["held_on"] = MESSAGES["held_before_start"]
    elif held_on is not None and held_on > today:
        errors["held_on"] = MESSAGES["held_future"]
    participants = multi_line(data.participants, "participants", errors, max_length=MAX_TEXT)
    if not participants and "participants" not in errors:
        errors["participants"] = MESSAGES["participants"]
    notes = multi_line(data.notes, "notes", errors, max_length=MAX_TEXT)
    next_review = parse_day(data.next_review_on, "next_review_on", errors)
    last_review = held_on is not None and pathway["ends_on"] is not None and held_on >= pathway["ends_on"]
    if next_review is None and "next_review_on" not in errors and pathway["outcome"] is None and not last_review:
        errors["next_review_on"] = MESSAGES["next_review"]
    elif next_review is not None and held_on is not None and next_review <= held_on:
        errors["next_review_on"] = MESSAGES["next_before_held"]
    levels: dict[int, tuple[str, str]] = {}
    for index, item in enumerate(data.outcomes):
        objective_id = parse_id(item.objective_id)
        if objective_id not in objectives:
            errors["outcomes"] = MESSAGES["unknown_objective"]
            continue
        level = str(item.level or "").strip()
        if level not in rules.OBJECTIVE_LEVEL_LABELS:
            errors[f"outcomes.{index}.level"] = MESSAGES["level"]
        comment = multi_line(item.comment, f"outcomes.{index}.comment", errors, max_length=MAX_TEXT)
        levels[objective_id] = (level, comment)
    if errors:
        raise ValidationFailed(N_("La verifica non è stata salvata: controlla i campi indicati."), errors=errors)
    return {"held_on": held_on, "participants": participants, "notes": notes, "next_review_on": next_review,
            "levels": levels}


async def add_review(actor: CurrentUser, pathway_id: int, data: ReviewInput) -> int:
    """Record a review; the pathway's next review becomes this one's when it is the latest."""
    today = to_rome(utcnow()).date()
    async with write_transaction():
        pathway, _ = await open_pathway(actor, pathway_id, Action.REVIEW_ADDED, need=Access.FULL)
        objectives = [row["id"] for row in await fetch_all(
            "SELECT id FROM pathway_objective WHERE pathway = {} ORDER BY position, id", pathway_id)]
        review = _validate(data, pathway, objectives, today)
        inserted = await PathwayReview.insert(PathwayReview(
            pathway=pathway_id, held_on=review["held_on"], participants=review["participants"],
            notes=review["notes"], next_review_on=review["next_review_on"], recorded_by=actor.id,
        ))
        review_id = inserted[0]["id"]
        outcomes = [
            ReviewObjectiveOutcome(review=review_id, objective=objective_id,
                                   level=review["levels"].get(objective_id, (rules.ObjectiveLevel.NOT_ASSESSED.value, ""))[0],
                                   comment=review["levels"].get(objective_id, ("", ""))[1])
            for objective_id in objectives
        ]
        if outcomes:
            await ReviewObjectiveOutcome.insert(*outcomes)
        later = await fetch_one(
            "SELECT id FROM pathway_review WHERE pathway = {} AND held_on > {} LIMIT 1", pathway_id, review["held_on"])
        if later is None:
            await fetch_all("UPDATE inclusion_pathway SET next_review_on = {}, updated_at = {} WHERE id = {}",
                            review["next_review_on"], utcnow(), pathway_id)
    return review_id


# Reminders ----------------------------------------------------------------------------------------


def pathway_url(pathway_id: int) -> str:
    return f"{get_settings().base_url}/inclusion-pathways/{pathway_id}"


def reminder_text(pathway_id: int, due_on: date) -> tuple[str, str]:
    """Subject and body of the overdue-review e-mail: a date and a link, nothing about the person."""
    with language("it"):
        due = format_date(due_on)
    subject = "Promemoria: verifica periodica da registrare"
    body = (
        "Buongiorno,\n\n"
        f"la verifica periodica di un percorso che segui come tutor era prevista per il {due} e non risulta "
        "ancora registrata.\n\n"
        f"Puoi registrarla, dopo aver effettuato l'accesso, qui: {pathway_url(pathway_id)}\n\n"
        "Ufficio formazione – Consorzio Sociale Light\nVia Tolmezzo, 3 – 20100 Milano\n"
    )
    return subject, body


_OVERDUE_SQL = (
    "SELECT id, promoter_tutor, host_tutor, next_review_on FROM inclusion_pathway "
    "WHERE outcome IS NULL AND next_review_on IS NOT NULL AND next_review_on < {} "
    "AND (review_reminded_for IS NULL OR review_reminded_for <> next_review_on) ORDER BY id"
)
_CLAIM_SQL = (
    "UPDATE inclusion_pathway SET review_reminded_for = next_review_on WHERE id = {} AND next_review_on = {} "
    "AND outcome IS NULL AND (review_reminded_for IS NULL OR review_reminded_for <> next_review_on) RETURNING id"
)


async def remind_overdue_reviews(now: datetime | None = None) -> int:
    """Queue one e-mail per tutor for every overdue review not reminded yet; returns how many were queued."""
    today = to_rome(now or utcnow()).date()
    queued = 0
    for pathway in await fetch_all(_OVERDUE_SQL, today):
        due_on = pathway["next_review_on"]
        async with write_transaction():
            if not await fetch_all(_CLAIM_SQL, pathway["id"], due_on):
                continue  # reminded by another worker a moment ago, or changed since
            subject, body = reminder_text(pathway["id"], due_on)
            for tutor_id in sorted({pathway["promoter_tutor"], pathway["host_tutor"]} - {None}):
                if await queue_notification(
                    REMINDER_KIND, recipient_id=tutor_id, subject=subject, body=body,
                    dedupe_key=f"inclusion-review:{pathway['id']}:{due_on.isoformat()}:{tutor_id}",
                ):
                    queued += 1
    if queued:
        log.info("Promemoria verifiche dei percorsi di inclusione: %d messaggi in coda", queued)
    return queued
