"""Answering a survey: only the invited person, once, anonymously.

Rules kept here, and why (the package notes explain the anonymity):

* Only an invited person sees the survey; anyone else is told it does not exist.
* Every rating question needs a value from 1 to 5; a comment is at most 2000 characters and is
  stored even when empty, because the row says the question was asked (results count it).
* Ticking the invitation and storing the response happen in one transaction with the survey row
  locked: the invitation is flipped with ``UPDATE … WHERE answered = false``, so a double submission
  is refused, a failed one leaves nothing behind, and nothing is added once the survey has closed.
  The response has a random key and no timestamp. When the last invited person answers, the survey
  closes: nothing can change any more, and the results can be read.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from training_hub.core.db import fetch_all, fetch_one, write_transaction
from training_hub.core.errors import Conflict, NotFound, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import clean_text, parse_integer
from training_hub.core.tables import QuestionKind, Survey, SurveyAnswer, SurveyResponse, SurveyStatus
from training_hub.core.timeutil import utcnow
from training_hub.surveys.access import is_closed, load_survey, lock_survey
from training_hub.surveys.questions import list_questions

MAX_COMMENT_LENGTH = 2000
RATING_VALUES = (1, 2, 3, 4, 5)
RATING_MESSAGE = N_("Scegli un valore da 1 a 5.")


async def my_surveys(user: CurrentUser, now: datetime | None = None) -> list[dict[str, Any]]:
    """The surveys a person was invited to, with whether they can still answer."""
    now = now or utcnow()
    rows = await fetch_all(
        "SELECT s.id, s.closes_at, s.status, c.title, i.answered FROM survey_invitation i "
        "JOIN survey s ON s.id = i.survey JOIN course c ON c.id = s.course "
        "WHERE i.person = {} ORDER BY s.closes_at DESC",
        user.id,
    )
    return [
        {"id": row["id"], "course_title": row["title"], "closes_at": row["closes_at"],
         "answered": bool(row["answered"]), "open": not is_closed(row, now)}
        for row in rows
    ]


async def survey_for_participant(user: CurrentUser, survey_id: int, now: datetime | None = None) -> dict[str, Any]:
    """What the survey page shows the invited person; anyone else gets 404."""
    now = now or utcnow()
    survey = await load_survey(survey_id)
    invitation = await fetch_one(
        "SELECT answered FROM survey_invitation WHERE survey = {} AND person = {}", survey_id, user.id
    )
    if invitation is None:
        raise NotFound(N_("Questionario non trovato."))
    state = "answered" if invitation["answered"] else ("closed" if is_closed(survey, now) else "open")
    return {
        "id": survey_id,
        "course_id": survey["course"],
        "course_title": survey["title"],
        "closes_at": survey["closes_at"],
        "state": state,
        "questions": await list_questions(active_only=True) if state == "open" else [],
    }


def _validate_answers(questions: list[dict[str, Any]], answers: dict[str, Any]) -> list[tuple[int, int | None, str]]:
    errors: dict[str, str] = {}
    values: list[tuple[int, int | None, str]] = []
    for question in questions:
        field = f"q_{question['code']}"
        raw = answers.get(question["code"])
        if question["kind"] == QuestionKind.RATING.value:
            rating = parse_integer(raw, field, errors, minimum=min(RATING_VALUES), maximum=max(RATING_VALUES),
                                   message=RATING_MESSAGE) if clean_text(raw) else None
            if rating is None:
                errors[field] = RATING_MESSAGE
                continue
            values.append((question["id"], rating, ""))
        else:
            comment = str(raw or "").strip()
            if len(comment) > MAX_COMMENT_LENGTH:
                errors[field] = N_("Il commento è troppo lungo (massimo 2000 caratteri).")
                continue
            # Stored even when empty: the row says the question was asked (see results.py).
            values.append((question["id"], None, comment))
    if errors:
        raise ValidationFailed(N_("Rispondi a tutte le domande con un voto da 1 a 5."), errors=errors)
    return values


async def submit_response(
    user: CurrentUser, survey_id: int, answers: dict[str, Any], now: datetime | None = None
) -> None:
    """Store one anonymous response and tick the person's invitation, in one transaction.

    ``answers`` maps question codes to a rating (1–5) or a comment. A second submission is refused.
    """
    now = now or utcnow()
    questions = await list_questions(active_only=True)
    values = _validate_answers(questions, answers)
    async with write_transaction():
        survey = await lock_survey(survey_id)
        invitation = await fetch_one(
            "SELECT answered FROM survey_invitation WHERE survey = {} AND person = {}", survey_id, user.id
        )
        if invitation is None:
            raise NotFound(N_("Questionario non trovato."))
        if invitation["answered"]:
            raise Conflict(N_("Hai già risposto a questo questionario: grazie!"))
        if is_closed(survey, now):
            raise Conflict(N_("Il questionario è chiuso: non è più possibile rispondere."))
        # Only one request can flip the flag; a concurrent double submission finds nothing to update.
        won = await fetch_all(
            "UPDATE survey_invitation SET answered = {} WHERE survey = {} AND person = {} AND answered = {} "
            "RETURNING id",
            True, survey_id, user.id, False,
        )
        if not won:
            raise Conflict(N_("Hai già risposto a questo questionario: grazie!"))
        response_id = uuid.uuid4()
        await SurveyResponse.insert(SurveyResponse(id=response_id, survey=survey_id))
        if values:
            await SurveyAnswer.insert(
                *[SurveyAnswer(response=response_id, question=qid, rating=rating, comment=comment)
                  for qid, rating, comment in values]
            )
        remaining = await fetch_one(
            "SELECT COUNT(*) AS n FROM survey_invitation WHERE survey = {} AND answered = {}", survey_id, False
        )
        if remaining and remaining["n"] == 0:
            # Everybody answered: nothing can change any more, the results can be read.
            await Survey.update({Survey.status: SurveyStatus.CLOSED.value}).where(Survey.id == survey_id)
