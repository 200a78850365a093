"""The survey's questions: the default set, and the office editing texts, order and which are asked.

Rules kept here, and why:

* Every survey asks the questions active when it is answered; a question edited or switched off
  keeps the answers already given to it (results of closed surveys never change).
* At least one rating question (1 to 5) stays active: the reports' averages need one.
* A question added or switched on while a survey is open is asked only to those who answer later:
  its figures need ``MIN_RESPONSES`` answers of their own (see :mod:`.results`).
* Question texts fit on one line (whitespace runs collapse to one space), 3 to 300 characters; the
  order is a whole number typed by the office.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.db import write_transaction
from training_hub.core.errors import NotFound, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import clean_text, parse_integer
from training_hub.core.tables import QuestionKind, SurveyQuestion
from training_hub.core.timeutil import utcnow
from training_hub.surveys.access import require_office

MAX_QUESTION_LENGTH = 300
MAX_POSITION = 1_000_000
POSITION_MESSAGE = N_("Indica l'ordine con un numero intero, da -1000000 a 1000000.")

# The office's default set; it edits texts, order and which are asked in /admin/surveys.
DEFAULT_QUESTIONS: list[tuple[str, str, str]] = [
    ("overall", N_("Nel complesso, quanto sei soddisfatto del corso?"), QuestionKind.RATING.value),
    ("usefulness", N_("Quanto è utile il corso per il tuo lavoro?"), QuestionKind.RATING.value),
    ("trainer", N_("Come valuti il formatore o la formatrice?"), QuestionKind.RATING.value),
    ("organisation", N_("Come valuti l'organizzazione (orari, luogo, comunicazioni)?"), QuestionKind.RATING.value),
    ("materials", N_("Come valuti i materiali del corso?"), QuestionKind.RATING.value),
    ("comments", N_("Commenti e suggerimenti"), QuestionKind.TEXT.value),
]

# Short column headings for the default questions in report tables; added questions show their text.
SHORT_LABELS = {
    "overall": N_("Complessivo"),
    "usefulness": N_("Utilità"),
    "trainer": N_("Formatore"),
    "organisation": N_("Organizzazione"),
    "materials": N_("Materiali"),
}

async def ensure_default_questions() -> None:
    """Seed the default question set the first time surveys are used (idempotent, race-safe)."""
    if await SurveyQuestion.exists():
        return
    for position, (code, text, kind) in enumerate(DEFAULT_QUESTIONS, start=1):
        await SurveyQuestion.insert(
            SurveyQuestion(code=code, text=text, kind=kind, position=position * 10)
        ).on_conflict(target=SurveyQuestion.code, action="DO NOTHING")


def question_out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "code": row["code"],
        "text": row["text"],
        "kind": row["kind"],
        "position": row["position"],
        "active": bool(row["active"]),
    }


async def list_questions(*, active_only: bool = False) -> list[dict[str, Any]]:
    await ensure_default_questions()
    query = SurveyQuestion.select().order_by(SurveyQuestion.position).order_by(SurveyQuestion.id)
    if active_only:
        query = query.where(SurveyQuestion.active.eq(True))
    return [question_out(row) for row in await query]


@dataclass
class QuestionUpdate:
    id: int
    text: str
    position: int | str | None  # as typed; left empty: the question keeps its place
    active: bool


def _clean_text(text: str, field: str) -> str:
    cleaned = re.sub(r"\s+", " ", text or "").strip()
    if len(cleaned) < 3:
        raise ValidationFailed(N_("Scrivi il testo della domanda."), field=field)
    if len(cleaned) > MAX_QUESTION_LENGTH:
        raise ValidationFailed(N_("Il testo della domanda è troppo lungo (massimo 300 caratteri)."), field=field)
    return cleaned


async def save_questions(actor: CurrentUser, updates: list[QuestionUpdate]) -> list[dict[str, Any]]:
    """Edit texts, order and which questions are asked; answers already given keep their question."""
    require_office(actor)
    existing = {row["id"]: row for row in await list_questions()}
    errors: dict[str, str] = {}
    cleaned: list[tuple[QuestionUpdate, str, int | None]] = []
    for update in updates:
        if update.id not in existing:
            raise NotFound(N_("Domanda non trovata."))
        position: int | None = existing[update.id]["position"]
        if clean_text(update.position):
            position = parse_integer(update.position, f"position_{update.id}", errors,
                                     minimum=-MAX_POSITION, maximum=MAX_POSITION, message=POSITION_MESSAGE)
        try:
            cleaned.append((update, _clean_text(update.text, f"text_{update.id}"), position))
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
    remaining = {q["id"]: q["active"] for q in existing.values()}
    remaining.update({update.id: update.active for update in updates})
    if not any(active for qid, active in remaining.items() if existing[qid]["kind"] == QuestionKind.RATING.value):
        raise ValidationFailed(N_("Il questionario deve avere almeno una domanda con voto da 1 a 5."))
    now = utcnow()
    async with write_transaction():
        for update, text, position in cleaned:
            await SurveyQuestion.update(
                {SurveyQuestion.text: text, SurveyQuestion.position: position,
                 SurveyQuestion.active: update.active, SurveyQuestion.updated_at: now}
            ).where(SurveyQuestion.id == update.id)
        await record_audit_event("survey_questions.updated", actor_id=actor.id, entity="survey_question")
    return await list_questions()


async def add_question(actor: CurrentUser, text: str, kind: str) -> dict[str, Any]:
    require_office(actor)
    cleaned = _clean_text(text, "new_text")
    if kind not in {k.value for k in QuestionKind}:
        raise ValidationFailed(N_("Scegli il tipo di domanda."), field="new_kind")
    questions = await list_questions()
    position = max((q["position"] for q in questions), default=0) + 10
    row = SurveyQuestion(code=f"q{uuid.uuid4().hex[:10]}", text=cleaned, kind=kind, position=position)
    await row.save()
    await record_audit_event("survey_question.added", actor_id=actor.id, entity="survey_question", entity_id=row.id)
    return question_out((await SurveyQuestion.select().where(SurveyQuestion.id == row.id).first()) or {})


