"""API input and output of surveys. Nothing here links an answer to a person."""

from __future__ import annotations

import msgspec

from training_hub.core.schemas import Instant


class ResponseIn(msgspec.Struct):
    """Question code → a rating from 1 to 5, or a comment for free-text questions."""

    answers: dict[str, int | str]


class ResponseRecorded(msgspec.Struct):
    status: str  # "recorded"


class SurveyInvitation(msgspec.Struct):
    id: int
    course_title: str
    closes_at: Instant
    answered: bool
    open: bool


class Question(msgspec.Struct):
    id: int
    code: str
    text: str
    kind: str
    position: int
    active: bool


class SurveyForm(msgspec.Struct):
    """The survey as the invited person answers it; ``questions`` only while ``state`` is ``open``."""

    id: int
    course_id: int
    course_title: str
    closes_at: Instant
    state: str
    questions: list[Question]


class QuestionResult(msgspec.Struct):
    code: str
    text: str
    count: int
    distribution: dict[int, int]  # rating (1-5) → how many gave it
    average: float | None


class QuestionComments(msgspec.Struct):
    question: str
    comments: list[str]


class SurveyResults(msgspec.Struct):
    """Aggregated results; ``questions``, ``comments`` and ``responses`` only when ``visible``."""

    survey_id: int
    course_id: int
    course_title: str
    status: str
    opens_at: Instant
    closes_at: Instant
    reminded_at: Instant | None
    invited: int
    answered: int
    visible: bool
    hidden_reason: str | None
    questions: list[QuestionResult]
    comments: list[QuestionComments]
    hidden_questions: int
    responses: int | msgspec.UnsetType = msgspec.UNSET
