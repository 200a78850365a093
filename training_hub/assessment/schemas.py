"""msgspec structs of the final-test API: every body in and out is typed, so the OpenAPI schema
documents it. What a participant receives has no field that could carry the answer key."""

from __future__ import annotations

import msgspec

from training_hub.assessment.authoring import ManagedTest
from training_hub.assessment.results import ParticipantResult
from training_hub.assessment.scoring import DEFAULT_ATTEMPTS_ALLOWED, DEFAULT_PASS_PERCENT, QuestionInput
from training_hub.assessment.store import AttemptRow
from training_hub.assessment.taking import AttemptResult, ParticipantTest
from training_hub.core.timeutil import iso_rome

# Input ---------------------------------------------------------------------------------------------


class QuestionIn(msgspec.Struct):
    """One question: its choices, and the indexes (from 0) of the correct ones — one or more."""

    text: str
    choices: list[str]
    correct: list[int]

    def as_input(self) -> QuestionInput:
        return QuestionInput(text=self.text, choices=self.choices, correct=self.correct)


class FinalTestIn(msgspec.Struct):
    questions: list[QuestionIn]
    pass_percent: int = DEFAULT_PASS_PERCENT
    attempts_allowed: int = DEFAULT_ATTEMPTS_ALLOWED


class FinalTestCopyIn(msgspec.Struct):
    """``source_course_id`` null: the last edition (same title, same path, most recent with a test)."""

    source_course_id: int | None = None


class AttemptIn(msgspec.Struct):
    """Per question, in the order the participant was shown them, the positions (from 0) of the choices
    ticked, in the order shown. ``revision`` is the one the questions came with (recommended: an attempt
    for a test changed meanwhile is refused instead of mismatched)."""

    answers: list[list[int]]
    revision: int | None = None


class PaperResultIn(msgspec.Struct):
    enrolment_id: int
    score_percent: float


class ExtraAttemptIn(msgspec.Struct):
    enrolment_id: int
    reason: str = ""


# Output --------------------------------------------------------------------------------------------


class QuestionOut(msgspec.Struct):
    position: int
    text: str
    choices: list[str]
    correct: list[int]


class FinalTestManagerOut(msgspec.Struct, tag="manager", tag_field="view"):
    """The test as who manages the course sees it, with the correct answers. ``locked``: attempts are
    recorded, questions and pass mark no longer change. ``min_questions``/``min_pass_percent``: what the
    course's safety type asks (1 and 1 for any other course)."""

    course_id: int
    pass_percent: int
    attempts_allowed: int
    revision: int
    question_count: int
    min_questions: int
    min_pass_percent: int
    safety_course_type: str | None
    attempts_recorded: int
    locked: bool
    copied_from: int | None
    updated_at: str | None
    questions: list[QuestionOut]


class QuestionShownOut(msgspec.Struct):
    """A question as a participant sees it: numbered in their attempt's order; ``multiple``: more than
    one choice is right (tick every right one)."""

    number: int
    text: str
    choices: list[str]
    multiple: bool


class LatestResultOut(msgspec.Struct):
    score_percent: float
    passed: bool
    recorded_via: str
    submitted_at: str | None


class FinalTestParticipantOut(msgspec.Struct, tag="participant", tag_field="view"):
    """The test as a confirmed participant sees it. ``state``: ``not_open`` (before the last session
    starts: ``opens_at``), ``open`` (``questions`` in this attempt's order), ``passed``,
    ``no_attempts_left``, ``closed`` (course cancelled). Never the answer key."""

    course_id: int
    enrolment_id: int
    state: str
    opens_at: str | None
    pass_percent: int
    question_count: int
    revision: int
    attempts_used: int
    attempts_allowed: int
    attempts_left: int
    latest: LatestResultOut | None
    questions: list[QuestionShownOut]


class AttemptResultOut(msgspec.Struct):
    """After an attempt: the score and the outcome only."""

    score_percent: float
    passed: bool
    attempts_left: int


class ParticipantResultOut(msgspec.Struct):
    """A participant's standing, for who manages the course. ``outcome``: passed, failed, not_taken."""

    enrolment_id: int
    person_id: int
    full_name: str
    outcome: str
    score_percent: float | None
    recorded_via: str | None
    submitted_at: str | None
    attempts_used: int
    attempts_allowed: int
    can_grant_attempt: bool


def manager_out(managed: ManagedTest) -> FinalTestManagerOut:
    test, requirements = managed.test, managed.requirements
    return FinalTestManagerOut(
        course_id=test.course_id, pass_percent=test.pass_percent, attempts_allowed=test.attempts_allowed,
        revision=test.revision, question_count=len(test.questions), min_questions=requirements.min_questions,
        min_pass_percent=requirements.min_pass_percent, safety_course_type=managed.course.safety_course_type,
        attempts_recorded=managed.attempt_count, locked=managed.locked, copied_from=test.copied_from,
        updated_at=iso_rome(test.updated_at),
        questions=[QuestionOut(position=stored.position, text=stored.question.text,
                               choices=list(stored.question.choices), correct=list(stored.question.correct))
                   for stored in test.questions],
    )


def _latest_out(latest: AttemptRow | None) -> LatestResultOut | None:
    if latest is None:
        return None
    return LatestResultOut(score_percent=latest.score_percent, passed=latest.passed,
                           recorded_via=latest.recorded_via, submitted_at=iso_rome(latest.submitted_at))


def participant_out(view: ParticipantTest) -> FinalTestParticipantOut:
    return FinalTestParticipantOut(
        course_id=view.course.id, enrolment_id=view.enrolment_id, state=view.state,
        opens_at=iso_rome(view.opens_at), pass_percent=view.pass_percent, question_count=view.question_count,
        revision=view.revision, attempts_used=view.standing.used, attempts_allowed=view.standing.allowed,
        attempts_left=view.standing.left, latest=_latest_out(view.latest),
        questions=[QuestionShownOut(number=q.number, text=q.text, choices=list(q.choices), multiple=q.multiple)
                   for q in view.questions],
    )


def attempt_result_out(result: AttemptResult) -> AttemptResultOut:
    return AttemptResultOut(score_percent=result.score_percent, passed=result.passed,
                            attempts_left=result.attempts_left)


def participant_result_out(row: ParticipantResult) -> ParticipantResultOut:
    latest = row.latest
    return ParticipantResultOut(
        enrolment_id=row.participant.enrolment_id, person_id=row.participant.person_id,
        full_name=row.participant.full_name, outcome=row.outcome,
        score_percent=latest.score_percent if latest else None,
        recorded_via=latest.recorded_via if latest else None,
        submitted_at=iso_rome(latest.submitted_at) if latest else None,
        attempts_used=row.standing.used, attempts_allowed=row.standing.allowed,
        can_grant_attempt=row.can_grant_attempt,
    )
