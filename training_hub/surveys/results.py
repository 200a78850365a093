"""A survey's results, and the office's overview of every survey.

Rules kept here, and why (the package notes explain the anonymity):

* Results (averages, distributions, comments) for the office and the course's trainers, only once
  the survey is **closed** and at least ``MIN_RESPONSES`` people answered: with fewer answers a
  trainer could recognise a person; while the survey is open, the office, who sees the not-answered
  list shrink, could compare results before and after one person's answer. Below the threshold the
  figures are not even read from the database.
* The same minimum holds for each question (one added, or switched on or off, while the survey was
  open was asked only to those who answered afterwards); the report aggregates follow the same rule.
* Comments are sorted alphabetically, never in the order they arrived, and never next to anything
  about a person. No page, export or API returns a response id.
* The office sees who has not answered yet (to remind them), never who answered what.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from training_hub.core.db import fetch_all, fetch_one
from training_hub.core.errors import PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import SurveyStatus
from training_hub.core.timeutil import utcnow
from training_hub.surveys.access import is_closed, load_survey, may_see_results, require_office
from training_hub.surveys.answering import RATING_VALUES

MIN_RESPONSES = 5
RESULTS_HIDDEN_FEW = N_("Risultati non disponibili: servono almeno 5 risposte.")
RESULTS_HIDDEN_OPEN = N_("I risultati saranno visibili alla chiusura del questionario.")


def results_visible(survey: dict[str, Any], responses: int, now: datetime) -> bool:
    return is_closed(survey, now) and responses >= MIN_RESPONSES


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
    survey = await load_survey(survey_id)
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


_OVERVIEW = (
    "SELECT s.id, s.course, s.opens_at, s.closes_at, s.reminded_at, s.status, c.title, "
    "(SELECT COUNT(*) FROM survey_invitation i WHERE i.survey = s.id) AS invited, "
    "(SELECT COUNT(*) FROM survey_invitation i WHERE i.survey = s.id AND i.answered = {}) AS answered "
    "FROM survey s JOIN course c ON c.id = s.course ORDER BY s.opens_at DESC, s.id DESC LIMIT {}"
)


async def surveys_overview(actor: CurrentUser, now: datetime | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Every survey (newest first) with invited and answered counts, for /admin/surveys."""
    require_office(actor)
    now = now or utcnow()
    rows = await fetch_all(_OVERVIEW, True, limit)
    return [
        {**row, "closed": is_closed(row, now), "reminded": row["reminded_at"] is not None} for row in rows
    ]


async def not_answered(actor: CurrentUser, survey_id: int) -> list[dict[str, Any]]:
    """Names of the invited people who have not answered yet (the office, to remind them)."""
    require_office(actor)
    await load_survey(survey_id)
    return await fetch_all(
        "SELECT p.id, p.full_name, p.email, co.name AS cooperative FROM survey_invitation i "
        "JOIN person p ON p.id = i.person LEFT JOIN cooperative co ON co.id = p.cooperative "
        "WHERE i.survey = {} AND i.answered = {} ORDER BY p.full_name, p.id",
        survey_id, False,
    )
