"""A survey's life: opened when its course ends, one reminder, closed.

Rules kept here, and why:

* :func:`open_due_surveys` opens a survey for every course whose last session has ended (published
  or completed, ended at most ``OPEN_WITHIN_DAYS`` ago, with confirmed participants), invites the
  confirmed participants and notifies them. A course gets one survey, even with two workers racing.
* :func:`remind_unanswered` reminds those who have not answered, once, ``REMIND_AFTER_DAYS`` after
  opening; the office may send that one reminder earlier (:func:`send_reminder`). The reminder flag
  is claimed with one UPDATE, so two workers never both send it.
* A survey closes ``OPEN_DAYS`` after opening, when the office closes it, or as soon as everybody
  has answered (:mod:`.answering`). :func:`run_survey_jobs` does all three periodic steps: the
  server's background loop and the ``training-hub open-surveys`` command call it.
* Invitations are written in Italian whatever the page language, and promise what the package
  guarantees: answers kept apart from names, results only as a whole and from 5 answers.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, write_transaction
from training_hub.core.errors import Conflict
from training_hub.core.i18n import N_, format_date, language
from training_hub.core.identity import CurrentUser
from training_hub.core.settings import get_settings
from training_hub.core.tables import CourseStatus, EnrolmentStatus, Survey, SurveyInvitation, SurveyStatus
from training_hub.core.timeutil import utcnow
from training_hub.notifications.outbox import queue_notification
from training_hub.surveys.access import (
    SURVEY_WITH_COURSE,
    is_closed,
    load_survey,
    lock_survey,
    require_office,
)
from training_hub.surveys.questions import ensure_default_questions

OPEN_DAYS = 14
REMIND_AFTER_DAYS = 7
OPEN_WITHIN_DAYS = 14


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


async def remind_unanswered(now: datetime | None = None) -> int:
    """Remind, once, the people who have not answered a survey opened ``REMIND_AFTER_DAYS`` ago."""
    now = now or utcnow()
    due = await fetch_all(
        SURVEY_WITH_COURSE + "WHERE s.status = {} AND s.reminded_at IS NULL AND s.opens_at <= {} AND s.closes_at > {}",
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


async def send_reminder(actor: CurrentUser, survey_id: int, now: datetime | None = None) -> int:
    """The office sends the survey's one reminder now, instead of waiting."""
    require_office(actor)
    now = now or utcnow()
    async with write_transaction():
        survey = await load_survey(survey_id)
        if is_closed(survey, now):
            raise Conflict(N_("Il questionario è chiuso."))
        sent = await _remind(survey, now)
        if sent is None:
            raise Conflict(N_("Il promemoria di questo questionario è già stato inviato."))
        await record_audit_event("survey.reminded", actor_id=actor.id, entity="survey", entity_id=survey_id,
                                 data={"reminders": sent})
    return sent



async def close_survey(actor: CurrentUser, survey_id: int, now: datetime | None = None) -> None:
    require_office(actor)
    now = now or utcnow()
    async with write_transaction():
        survey = await lock_survey(survey_id)
        if is_closed(survey, now):
            raise Conflict(N_("Il questionario è già chiuso."))
        await Survey.update({Survey.status: SurveyStatus.CLOSED.value, Survey.closes_at: now}).where(
            Survey.id == survey_id
        )
        await record_audit_event("survey.closed", actor_id=actor.id, entity="survey", entity_id=survey_id)
