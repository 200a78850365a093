"""Satisfaction surveys: one short questionnaire per course, anonymous by construction.

Life of a survey
    :func:`open_due_surveys` opens a survey for every course whose last session has ended (published
    or completed, ended at most ``OPEN_WITHIN_DAYS`` ago, with confirmed participants), invites the
    confirmed participants and notifies them; :func:`remind_unanswered` reminds those who have not
    answered, once, ``REMIND_AFTER_DAYS`` after opening (the office can send that one reminder earlier
    from /admin/surveys); the survey closes ``OPEN_DAYS`` after opening, or as soon as everybody has
    answered. :func:`run_survey_jobs` does all three: the server's background loop and the
    ``training-hub open-surveys`` command call it.

Anonymity, and why the tables look the way they do
    * ``survey_invitation`` says who was asked and a yes/no *answered* flag: no time, no link to the
      response. It is what lets the office see who has not answered yet, to remind them.
    * ``survey_response`` has a random UUID key (no sequence whose order could be matched with the
      order in which invitations were ticked) and no timestamp at all, not even a date: on a day when
      only one person answered, a date would identify them. ``survey_answer`` hangs off the response.
    * Marking the invitation and storing the response happen in one transaction, so a double submission
      is refused (the invitation is flipped with ``UPDATE … WHERE answered = false``: only one request
      can win it) and a failed one leaves nothing behind.
    * Results (averages, distributions, comments) are shown only once the survey is **closed** and at
      least ``MIN_RESPONSES`` people answered. Both conditions matter: with fewer answers a trainer could
      recognise a person; while the survey is open the office, who sees the not-answered list shrink,
      could compare the results before and after one person's answer and isolate it. A closed survey
      never changes again. Below the threshold the figures are not even read from the database.
    * The same minimum holds for each question: one added, or switched on or off, while a survey was
      open was asked only to those who answered afterwards, and the office knows who they are. A
      free-text question leaves an empty answer row when left blank, so it too counts who was asked.
      Every aggregate (a course, a trainer, a path kind, the activity reports) is built only from
      (survey, question) groups of at least ``MIN_RESPONSES`` answers.
    * Comments are listed sorted alphabetically, never in the order they arrived, and never next to
      anything about a person. No page, export or API returns a response id.
    * What is left is outside the application: someone with direct SQL access could still compare
      physical row order, the serial ids of ``survey_answer`` rows, or PostgreSQL's ``xmin`` of the rows
      written in the same transaction. The database's operators are bound by the consortium's
      confidentiality rules; no interface exposes any of it.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from training_hub.catalogue.access import is_course_trainer
from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, fetch_one, lock_for_update, write_transaction
from training_hub.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_, format_date, language
from training_hub.core.identity import CurrentUser
from training_hub.core.settings import get_settings
from training_hub.core.tables import (
    CourseStatus,
    EnrolmentStatus,
    QuestionKind,
    Role,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from training_hub.core.timeutil import utcnow
from training_hub.notifications.outbox import queue_notification

MIN_RESPONSES = 5
OPEN_DAYS = 14
REMIND_AFTER_DAYS = 7
OPEN_WITHIN_DAYS = 14
MAX_COMMENT_LENGTH = 2000
MAX_QUESTION_LENGTH = 300
MAX_POSITION = 1_000_000
RATING_VALUES = (1, 2, 3, 4, 5)

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

RESULTS_HIDDEN_FEW = N_("Risultati non disponibili: servono almeno 5 risposte.")
RESULTS_HIDDEN_OPEN = N_("I risultati saranno visibili alla chiusura del questionario.")


# Questions ---------------------------------------------------------------------------------------


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
    position: int | None  # None: what was typed is not a whole number
    active: bool


def _require_admin(actor: CurrentUser, message: str = N_("Solo l'ufficio formazione gestisce i questionari.")) -> None:
    if not actor.is_admin:
        raise PermissionDenied(message)


def _clean_text(text: str, field: str) -> str:
    cleaned = re.sub(r"\s+", " ", text or "").strip()
    if len(cleaned) < 3:
        raise ValidationFailed(N_("Scrivi il testo della domanda."), field=field)
    if len(cleaned) > MAX_QUESTION_LENGTH:
        raise ValidationFailed(N_("Il testo della domanda è troppo lungo (massimo 300 caratteri)."), field=field)
    return cleaned


async def save_questions(actor: CurrentUser, updates: list[QuestionUpdate]) -> list[dict[str, Any]]:
    """Edit texts, order and which questions are asked; answers already given keep their question."""
    _require_admin(actor)
    existing = {row["id"]: row for row in await list_questions()}
    errors: dict[str, str] = {}
    cleaned: list[tuple[QuestionUpdate, str]] = []
    for update in updates:
        if update.id not in existing:
            raise NotFound(N_("Domanda non trovata."))
        try:
            cleaned.append((update, _clean_text(update.text, f"text_{update.id}")))
        except ValidationFailed as exc:
            errors.update(exc.errors)
        if update.position is None or not -MAX_POSITION <= update.position <= MAX_POSITION:
            errors[f"position_{update.id}"] = N_("Indica l'ordine con un numero intero, da -1000000 a 1000000.")
    if errors:
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
    remaining = {q["id"]: q["active"] for q in existing.values()}
    remaining.update({update.id: update.active for update in updates})
    if not any(active for qid, active in remaining.items() if existing[qid]["kind"] == QuestionKind.RATING.value):
        raise ValidationFailed(N_("Il questionario deve avere almeno una domanda con voto da 1 a 5."))
    now = utcnow()
    async with write_transaction():
        for update, text in cleaned:
            await SurveyQuestion.update(
                {SurveyQuestion.text: text, SurveyQuestion.position: update.position,
                 SurveyQuestion.active: update.active, SurveyQuestion.updated_at: now}
            ).where(SurveyQuestion.id == update.id)
        await record_audit_event("survey_questions.updated", actor_id=actor.id, entity="survey_question")
    return await list_questions()


async def add_question(actor: CurrentUser, text: str, kind: str) -> dict[str, Any]:
    _require_admin(actor)
    cleaned = _clean_text(text, "new_text")
    if kind not in {k.value for k in QuestionKind}:
        raise ValidationFailed(N_("Scegli il tipo di domanda."), field="new_kind")
    questions = await list_questions()
    position = max((q["position"] for q in questions), default=0) + 10
    row = SurveyQuestion(code=f"q{uuid.uuid4().hex[:10]}", text=cleaned, kind=kind, position=position)
    await row.save()
    await record_audit_event("survey_question.added", actor_id=actor.id, entity="survey_question", entity_id=row.id)
    return question_out((await SurveyQuestion.select().where(SurveyQuestion.id == row.id).first()) or {})


# Opening, reminding, closing ---------------------------------------------------------------------


def survey_url(survey_id: int) -> str:
    return f"{get_settings().base_url}/surveys/{survey_id}"


_DUE_COURSES = (
    "SELECT c.id, c.title FROM course c "
    "WHERE c.status IN ({}, {}) AND c.ends_at IS NOT NULL AND c.ends_at <= {} AND c.ends_at > {} "
    "AND NOT EXISTS (SELECT 1 FROM survey s WHERE s.course = c.id) "
    "AND EXISTS (SELECT 1 FROM enrolment e WHERE e.course = c.id AND e.status = {}) "
    "ORDER BY c.ends_at, c.id"
)


def _invitation_text(course_title: str, closes_at: datetime, survey_id: int, *, reminder: bool) -> tuple[str, str]:
    # Composed in Italian whatever the page language (see notifications/outbox.py).
    with language("it"):
        deadline = format_date(closes_at)
    if reminder:
        subject = f"Promemoria: questionario sul corso «{course_title}»"
        opening = (f"ti ricordiamo il questionario di gradimento del corso «{course_title}»: "
                   "se non hai ancora risposto, bastano due minuti.")
    else:
        subject = f"Com'è andato il corso «{course_title}»? Questionario di gradimento"
        opening = (f"grazie per aver partecipato al corso «{course_title}». Ti chiediamo due minuti per "
                   "dirci com'è andata.")
    body = (
        f"Buongiorno,\n\n{opening}\n\n"
        "Il questionario è anonimo: le risposte sono conservate separate dal tuo nome, e formatori e "
        "coordinatori vedono solo i risultati d'insieme, quando hanno risposto almeno 5 persone.\n\n"
        f"Puoi rispondere fino al {deadline}: {survey_url(survey_id)}\n\n"
        "Ufficio formazione – Consorzio Sociale Light\nVia Tolmezzo, 3 – 20100 Milano\n"
    )
    return subject, body


async def open_due_surveys(now: datetime | None = None) -> list[int]:
    """Open the surveys that are due; returns the ids of the surveys opened."""
    now = now or utcnow()
    await ensure_default_questions()
    due = await fetch_all(
        _DUE_COURSES, CourseStatus.PUBLISHED.value, CourseStatus.COMPLETED.value, now,
        now - timedelta(days=OPEN_WITHIN_DAYS), EnrolmentStatus.CONFIRMED.value,
    )
    opened: list[int] = []
    for course in due:
        closes_at = now + timedelta(days=OPEN_DAYS)
        async with write_transaction():
            inserted = await Survey.insert(
                Survey(course=course["id"], opens_at=now, closes_at=closes_at, status=SurveyStatus.OPEN.value)
            ).on_conflict(target=Survey.course, action="DO NOTHING")
            if not inserted:
                continue  # another worker opened it a moment ago
            survey_id = inserted[0]["id"]
            people = await fetch_all(
                "SELECT DISTINCT person FROM enrolment WHERE course = {} AND status = {} ORDER BY person",
                course["id"], EnrolmentStatus.CONFIRMED.value,
            )
            if people:
                await SurveyInvitation.insert(
                    *[SurveyInvitation(survey=survey_id, person=row["person"]) for row in people]
                )
            subject, body = _invitation_text(course["title"], closes_at, survey_id, reminder=False)
            for row in people:
                await queue_notification(
                    "survey_invitation", recipient_id=row["person"], subject=subject, body=body,
                    dedupe_key=f"survey-invitation:{survey_id}:{row['person']}",
                )
        opened.append(survey_id)
    return opened


async def _remind(survey: dict[str, Any], now: datetime) -> int | None:
    """Send a survey's one reminder (inside the caller's transaction): how many were queued, or None
    when it had already been sent (the flag is claimed with one UPDATE, so two workers cannot both win)."""
    claimed = await fetch_all(
        "UPDATE survey SET reminded_at = {} WHERE id = {} AND reminded_at IS NULL RETURNING id", now, survey["id"]
    )
    if not claimed:
        return None
    people = await fetch_all(
        "SELECT person FROM survey_invitation WHERE survey = {} AND answered = {} ORDER BY person",
        survey["id"], False,
    )
    subject, body = _invitation_text(survey["title"], survey["closes_at"], survey["id"], reminder=True)
    sent = 0
    for row in people:
        if await queue_notification(
            "survey_reminder", recipient_id=row["person"], subject=subject, body=body,
            dedupe_key=f"survey-reminder:{survey['id']}:{row['person']}",
        ):
            sent += 1
    return sent


_SURVEY_WITH_COURSE = (
    "SELECT s.id, s.course, s.opens_at, s.closes_at, s.reminded_at, s.status, c.title "
    "FROM survey s JOIN course c ON c.id = s.course "
)


async def remind_unanswered(now: datetime | None = None) -> int:
    """Remind, once, the people who have not answered a survey opened ``REMIND_AFTER_DAYS`` ago."""
    now = now or utcnow()
    due = await fetch_all(
        _SURVEY_WITH_COURSE + "WHERE s.status = {} AND s.reminded_at IS NULL AND s.opens_at <= {} AND s.closes_at > {}",
        SurveyStatus.OPEN.value, now - timedelta(days=REMIND_AFTER_DAYS), now,
    )
    sent = 0
    for survey in due:
        async with write_transaction():
            sent += await _remind(survey, now) or 0
    return sent


async def close_due_surveys(now: datetime | None = None) -> int:
    now = now or utcnow()
    due = await Survey.select(Survey.id).where(
        (Survey.status == SurveyStatus.OPEN.value) & (Survey.closes_at <= now)
    )
    if due:
        await Survey.update({Survey.status: SurveyStatus.CLOSED.value}).where(
            Survey.id.is_in([row["id"] for row in due])
        )
    return len(due)


async def run_survey_jobs(now: datetime | None = None) -> dict[str, int]:
    """Everything periodic about surveys: for the background loop and ``training-hub open-surveys``."""
    now = now or utcnow()
    opened = await open_due_surveys(now)
    reminded = await remind_unanswered(now)
    closed = await close_due_surveys(now)
    return {"opened": len(opened), "reminded": reminded, "closed": closed}


def is_closed(survey: dict[str, Any], now: datetime) -> bool:
    return survey["status"] == SurveyStatus.CLOSED.value or survey["closes_at"] <= now


def results_visible(survey: dict[str, Any], responses: int, now: datetime) -> bool:
    return is_closed(survey, now) and responses >= MIN_RESPONSES


async def _survey(survey_id: int) -> dict[str, Any]:
    row = await fetch_one(_SURVEY_WITH_COURSE + "WHERE s.id = {}", survey_id)
    if row is None:
        raise NotFound(N_("Questionario non trovato."))
    return row


async def send_reminder(actor: CurrentUser, survey_id: int, now: datetime | None = None) -> int:
    """The office sends the survey's one reminder now, instead of waiting."""
    _require_admin(actor)
    now = now or utcnow()
    async with write_transaction():
        survey = await _survey(survey_id)
        if is_closed(survey, now):
            raise Conflict(N_("Il questionario è chiuso."))
        sent = await _remind(survey, now)
        if sent is None:
            raise Conflict(N_("Il promemoria di questo questionario è già stato inviato."))
        await record_audit_event("survey.reminded", actor_id=actor.id, entity="survey", entity_id=survey_id,
                                 data={"reminders": sent})
    return sent


async def _locked_survey(survey_id: int) -> dict[str, Any]:
    """The survey row, locked until the end of the caller's write transaction: closing it, and every
    answer, are decided one at a time (so nothing is added to a survey once it has closed)."""
    row = await lock_for_update(
        Survey.select(Survey.id, Survey.course, Survey.status, Survey.closes_at).where(Survey.id == survey_id)
    ).first()
    if row is None:
        raise NotFound(N_("Questionario non trovato."))
    return row


async def close_survey(actor: CurrentUser, survey_id: int, now: datetime | None = None) -> None:
    _require_admin(actor)
    now = now or utcnow()
    async with write_transaction():
        survey = await _locked_survey(survey_id)
        if is_closed(survey, now):
            raise Conflict(N_("Il questionario è già chiuso."))
        await Survey.update({Survey.status: SurveyStatus.CLOSED.value, Survey.closes_at: now}).where(
            Survey.id == survey_id
        )
        await record_audit_event("survey.closed", actor_id=actor.id, entity="survey", entity_id=survey_id)


# Answering ---------------------------------------------------------------------------------------


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
    survey = await _survey(survey_id)
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
            try:
                rating = int(str(raw).strip()) if raw not in (None, "") else None
            except ValueError:
                rating = None
            if rating not in RATING_VALUES:
                errors[field] = N_("Scegli un valore da 1 a 5.")
                continue
            values.append((question["id"], rating, ""))
        else:
            comment = str(raw or "").strip()
            if len(comment) > MAX_COMMENT_LENGTH:
                errors[field] = N_("Il commento è troppo lungo (massimo 2000 caratteri).")
                continue
            # Stored even when empty: the row says the question was asked (see "Results" below).
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
        survey = await _locked_survey(survey_id)
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


# Results -----------------------------------------------------------------------------------------


async def may_see_results(user: CurrentUser, course_id: int) -> bool:
    """The office, and the trainers of the course (the catalogue's rule)."""
    if user.is_admin:
        return True
    return user.has_role(Role.TRAINER) and await is_course_trainer(user.id, course_id)


_COUNTS = (
    "SELECT (SELECT COUNT(*) FROM survey_invitation WHERE survey = {}) AS invited, "
    "(SELECT COUNT(*) FROM survey_invitation WHERE survey = {} AND answered = {}) AS answered, "
    "(SELECT COUNT(*) FROM survey_response WHERE survey = {}) AS responses"
)
# How many respondents each question was asked to: a rating question is compulsory, and a free-text
# one leaves a row even when left empty. A question added, or switched on or off, while the survey was
# open was asked to only some of them, and the office knows who answered when (the not-answered list):
# each question's figures therefore need MIN_RESPONSES answers of their own.
_ASKED = (
    "SELECT a.question, COUNT(*) AS n FROM survey_answer a JOIN survey_response r ON r.id = a.response "
    "WHERE r.survey = {} GROUP BY a.question"
)
_RATINGS = (
    "SELECT q.id, q.code, q.text, a.rating, COUNT(*) AS n FROM survey_answer a "
    "JOIN survey_response r ON r.id = a.response JOIN survey_question q ON q.id = a.question "
    "WHERE r.survey = {} AND a.rating IS NOT NULL AND a.question IN ({ids}) "
    "GROUP BY q.id, q.code, q.text, q.position, a.rating ORDER BY q.position, q.id, a.rating"
)
_COMMENTS = (
    "SELECT q.id, q.text, a.comment FROM survey_answer a "
    "JOIN survey_response r ON r.id = a.response JOIN survey_question q ON q.id = a.question "
    "WHERE r.survey = {} AND a.comment <> {} AND a.question IN ({ids}) ORDER BY q.position, q.id, a.comment"
)


async def survey_results(user: CurrentUser, survey_id: int, now: datetime | None = None) -> dict[str, Any]:
    """A survey's aggregated results, for the office and the course's trainers.

    Only when the survey is closed and at least ``MIN_RESPONSES`` people answered; otherwise the counts
    and the reason. Likewise each question, with ``MIN_RESPONSES`` answers of its own (``hidden_questions``
    counts those left out). Nothing here identifies a respondent.
    """
    now = now or utcnow()
    survey = await _survey(survey_id)
    if not await may_see_results(user, survey["course"]):
        raise PermissionDenied(N_("Puoi vedere solo i risultati dei corsi che tieni."))
    counts = await fetch_one(_COUNTS, survey_id, survey_id, True, survey_id) or {}
    responses = counts.get("responses", 0)
    out: dict[str, Any] = {
        "survey_id": survey_id,
        "course_id": survey["course"],
        "course_title": survey["title"],
        "status": SurveyStatus.CLOSED.value if is_closed(survey, now) else SurveyStatus.OPEN.value,
        "opens_at": survey["opens_at"],
        "closes_at": survey["closes_at"],
        "reminded_at": survey["reminded_at"],
        "invited": counts.get("invited", 0),
        "answered": counts.get("answered", 0),
        "visible": results_visible(survey, responses, now),
        "hidden_reason": None,
        "questions": [],
        "comments": [],
        "hidden_questions": 0,
    }
    if not out["visible"]:
        out["hidden_reason"] = RESULTS_HIDDEN_FEW if is_closed(survey, now) else RESULTS_HIDDEN_OPEN
        return out
    out["responses"] = responses
    asked = await fetch_all(_ASKED, survey_id)
    shown = [int(row["question"]) for row in asked if int(row["n"]) >= MIN_RESPONSES]
    out["hidden_questions"] = len(asked) - len(shown)
    if not shown:
        return out
    ids = ", ".join("{}" for _ in shown)
    questions: dict[int, dict[str, Any]] = {}
    for row in await fetch_all(_RATINGS.replace("{ids}", ids), survey_id, *shown):
        question = questions.setdefault(
            row["id"], {"code": row["code"], "text": row["text"], "count": 0, "total": 0,
                        "distribution": {value: 0 for value in RATING_VALUES}}
        )
        question["distribution"][int(row["rating"])] = int(row["n"])
        question["count"] += int(row["n"])
        question["total"] += int(row["rating"]) * int(row["n"])
    for question in questions.values():
        question["average"] = question["total"] / question["count"] if question["count"] else None
        del question["total"]
    out["questions"] = list(questions.values())
    comments: dict[int, dict[str, Any]] = {}
    for row in await fetch_all(_COMMENTS.replace("{ids}", ids), survey_id, "", *shown):
        comments.setdefault(row["id"], {"question": row["text"], "comments": []})["comments"].append(row["comment"])
    out["comments"] = list(comments.values())
    return out


# The office's overview ---------------------------------------------------------------------------


_OVERVIEW = (
    "SELECT s.id, s.course, s.opens_at, s.closes_at, s.reminded_at, s.status, c.title, "
    "(SELECT COUNT(*) FROM survey_invitation i WHERE i.survey = s.id) AS invited, "
    "(SELECT COUNT(*) FROM survey_invitation i WHERE i.survey = s.id AND i.answered = {}) AS answered "
    "FROM survey s JOIN course c ON c.id = s.course ORDER BY s.opens_at DESC, s.id DESC LIMIT {}"
)


async def surveys_overview(actor: CurrentUser, now: datetime | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Every survey (newest first) with invited and answered counts, for /admin/surveys."""
    _require_admin(actor)
    now = now or utcnow()
    rows = await fetch_all(_OVERVIEW, True, limit)
    return [
        {**row, "closed": is_closed(row, now), "reminded": row["reminded_at"] is not None} for row in rows
    ]


async def not_answered(actor: CurrentUser, survey_id: int) -> list[dict[str, Any]]:
    """Names of the invited people who have not answered yet (the office, to remind them)."""
    _require_admin(actor)
    await _survey(survey_id)
    return await fetch_all(
        "SELECT p.id, p.full_name, p.email, co.name AS cooperative FROM survey_invitation i "
        "JOIN person p ON p.id = i.person LEFT JOIN cooperative co ON co.id = p.cooperative "
        "WHERE i.survey = {} AND i.answered = {} ORDER BY p.full_name, p.id",
        survey_id, False,
    )
