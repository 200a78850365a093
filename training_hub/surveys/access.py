"""What every part of surveys shares: loading a survey, whether it is closed, and who may do what.

* The office (admins) manages questions, reminders and closing, and sees who has not answered.
* Results: the office, and the trainers of the course (the catalogue's rule, holding the trainer role).
* Answering: only the invited person (see :mod:`.answering`).

A survey is closed once its status says so or its closing instant has passed; a closed survey
never changes again, which is what makes its results safe to show (see the package notes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from training_hub.catalogue.access import is_course_trainer
from training_hub.core.db import fetch_one, lock_for_update
from training_hub.core.errors import NotFound, PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import Role, Survey, SurveyStatus

SURVEY_WITH_COURSE = (
    "SELECT s.id, s.course, s.opens_at, s.closes_at, s.reminded_at, s.status, c.title "
    "FROM survey s JOIN course c ON c.id = s.course "
)


def require_office(actor: CurrentUser, message: str = N_("Solo l'ufficio formazione gestisce i questionari.")) -> None:
    if not actor.is_admin:
        raise PermissionDenied(message)


async def may_see_results(user: CurrentUser, course_id: int) -> bool:
    """The office, and the trainers of the course (the catalogue's rule)."""
    if user.is_admin:
        return True
    return user.has_role(Role.TRAINER) and await is_course_trainer(user.id, course_id)


def is_closed(survey: dict[str, Any], now: datetime) -> bool:
    return survey["status"] == SurveyStatus.CLOSED.value or survey["closes_at"] <= now


async def load_survey(survey_id: int) -> dict[str, Any]:
    row = await fetch_one(SURVEY_WITH_COURSE + "WHERE s.id = {}", survey_id)
    if row is None:
        raise NotFound(N_("Questionario non trovato."))
    return row


async def lock_survey(survey_id: int) -> dict[str, Any]:
    """The survey row, locked until the end of the caller's write transaction: closing it, and every
    answer, are decided one at a time (so nothing is added to a survey once it has closed)."""
    row = await lock_for_update(
        Survey.select(Survey.id, Survey.course, Survey.status, Survey.closes_at).where(Survey.id == survey_id)
    ).first()
    if row is None:
        raise NotFound(N_("Questionario non trovato."))
    return row
