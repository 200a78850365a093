"""Taking the final test: what a confirmed participant sees, and their attempt.

* **Who**: a confirmed participant of the course. Someone who may not see the course gets 404; someone
  who may (a pending or waitlisted participant, a colleague browsing the catalogue) gets 403.
* **When**: from the start of the course's last scheduled session (the test closes the course), while
  the course is not cancelled; one attempt unless the test allows more or a trainer grants another
  (:mod:`training_hub.assessment.results`), never after passing.
* **What**: the questions and their choices in the attempt's own order (:func:`~training_hub.assessment.
  scoring.shuffle_test`), never which choices are correct: not before, not after submitting, when only
  the score and the outcome come back. Questions are shown only while an attempt is possible.

The order shown is a function of the enrolment, the attempt's number and the test's revision, so
reading the test writes nothing and a reload shows the same order; the attempt stores it with the
answers. An attempt sent for an older revision (the trainer changed the test meanwhile) is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from training_hub.assessment.authoring import ManagedTest, attempt_count
from training_hub.assessment.scoring import (
    Standing,
    answers_to_stored,
    attempt_seed,
    score_attempt,
    shuffle_test,
    standing,
)
from training_hub.assessment.store import (
    AttemptRow,
    CourseFacts,
    StoredTest,
    attempts_by_enrolment,
    confirmed_enrolment_id,
    extra_attempts_by_enrolment,
    load_course,
    require_test,
)
from training_hub.assessment.tables import AttemptVia, FinalTest, FinalTestAttempt
from training_hub.catalogue.access import can_manage_course, get_viewable_course
from training_hub.core.audit import record_audit_event
from training_hub.core.db import lock_for_update, write_transaction
from training_hub.core.errors import InvalidState, PermissionDenied
from training_hub.core.i18n import N_, format_datetime
from training_hub.core.identity import CurrentUser
from training_hub.core.timeutil import utcnow

ONLY_CONFIRMED = N_("Il test finale è riservato ai partecipanti confermati del corso.")
COURSE_CANCELLED = N_("Il corso è annullato: il test finale non si svolge.")
NOT_SCHEDULED = N_("Il test finale si apre all'inizio dell'ultimo incontro, che non è ancora in calendario.")
NOT_OPEN = N_("Il test finale si apre all'inizio dell'ultimo incontro: %(when)s.")
ALREADY_PASSED = N_("Hai già superato il test finale.")
NO_ATTEMPTS_LEFT = N_("Hai già svolto il test finale. Un altro tentativo può concederlo solo il formatore.")
TEST_CHANGED = N_("Il formatore ha modificato il test mentre rispondevi: ricarica la pagina e rispondi di nuovo.")

# What a participant's page shows.
NOT_OPEN_STATE = "not_open"  # before the last session starts (or none scheduled)
OPEN = "open"  # an attempt is possible now
PASSED = "passed"  # the latest attempt passed
NO_ATTEMPTS = "no_attempts_left"  # failed, and every attempt used
CLOSED = "closed"  # the course is cancelled


@dataclass(frozen=True)
class QuestionShown:
    """A question as the participant sees it: numbered in the attempt's order, no answer key.
    ``multiple``: more than one choice is right (check boxes instead of radio buttons)."""

    number: int
    text: str
    choices: tuple[str, ...]
    multiple: bool


@dataclass(frozen=True)
class ParticipantTest:
    course: CourseFacts
    enrolment_id: int
    pass_percent: int
    question_count: int
    revision: int
    opens_at: datetime | None
    state: str
    standing: Standing
    latest: AttemptRow | None
    questions: tuple[QuestionShown, ...]


@dataclass(frozen=True)
class AttemptResult:
    """What a participant learns after submitting: the score and the outcome, nothing else."""

    score_percent: float
    passed: bool
    attempts_left: int


async def _participant(user: CurrentUser, course_id: int) -> int:
    """The user's confirmed enrolment in the course: 404 if they may not see it, 403 if not confirmed."""
    await get_viewable_course(user, course_id)
    enrolment_id = await confirmed_enrolment_id(user.id, course_id)
    if enrolment_id is None:
        raise PermissionDenied(ONLY_CONFIRMED)
    return enrolment_id


async def _standing(test: StoredTest, enrolment_id: int) -> tuple[Standing, AttemptRow | None]:
    attempts = (await attempts_by_enrolment(test.id, enrolment_id)).get(enrolment_id, [])
    extra = (await extra_attempts_by_enrolment(test.id, enrolment_id)).get(enrolment_id, 0)
    result = standing([(a.score_percent, a.passed) for a in attempts], test.attempts_allowed + extra)
    return result, attempts[-1] if attempts else None


def _state(course: CourseFacts, current: Standing, now: datetime) -> str:
    if current.passed:
        return PASSED
    if course.cancelled:
        return CLOSED
    if not course.test_open(now):
        return NOT_OPEN_STATE
    return OPEN if current.may_attempt else NO_ATTEMPTS


def _shown_questions(test: StoredTest, enrolment_id: int, attempt_number: int) -> tuple[QuestionShown, ...]:
    by_id = test.by_id()
    shown = shuffle_test(attempt_seed(enrolment_id, attempt_number, test.revision), test.layout)
    out = []
    for number, item in enumerate(shown, start=1):
        question = by_id[item.question_id].question
        out.append(QuestionShown(number=number, text=question.text,
                                 choices=tuple(question.choices[i] for i in item.choices),
                                 multiple=question.multiple))
    return tuple(out)


async def participant_test(user: CurrentUser, course_id: int, *, now: datetime | None = None) -> ParticipantTest:
    """The test as the participant sees it now: its state, their last result, and the questions in
    this attempt's order while an attempt is possible (never the answer key)."""
    now = now or utcnow()
    enrolment_id = await _participant(user, course_id)
    course = await load_course(course_id)
    test = await require_test(course_id)
    current, latest = await _standing(test, enrolment_id)
    state = _state(course, current, now)
    questions = _shown_questions(test, enrolment_id, current.used + 1) if state == OPEN else ()
    return ParticipantTest(
        course=course, enrolment_id=enrolment_id, pass_percent=test.pass_percent,
        question_count=len(test.questions), revision=test.revision, opens_at=course.last_session_starts_at,
        state=state, standing=current, latest=latest, questions=questions,
    )


async def manages_course(user: CurrentUser, course_id: int) -> bool:
    """Does ``user`` manage the course (and so write its test)? NotFound when they may not even see it."""
    return can_manage_course(user, await get_viewable_course(user, course_id))


async def final_test_view(user: CurrentUser, course_id: int, *, now: datetime | None = None) -> ManagedTest | ParticipantTest:
    """``GET /api/courses/{id}/final-test``: with the answers for who manages the course, the
    participant's view for a confirmed participant; 403/404 for anyone else."""
    access = await get_viewable_course(user, course_id)
    if can_manage_course(user, access):
        course = await load_course(course_id)
        test = await require_test(course_id)
        return ManagedTest(course=course, test=test, attempt_count=await attempt_count(test.id))
    return await participant_test(user, course_id, now=now)


def _as_given(answers: Sequence[Any]) -> list[list[int]]:
    """The answers as sent (positions among the choices shown), once validated: whole numbers, in order."""
    return [sorted({int(value) for value in (given if isinstance(given, list | tuple) else [given])})
            for given in answers]


async def submit_attempt(
    user: CurrentUser,
    course_id: int,
    answers: Sequence[Any],
    *,
    revision: int | None = None,
    now: datetime | None = None,
) -> AttemptResult:
    """Score and store one attempt of the user, in the order they were shown the questions.

    Refused, with nothing stored: not a confirmed participant (403, 404 when the course is not even
    visible); the test not open yet, the course cancelled, already passed, no attempt left, the test
    changed since it was shown (409); answers missing, out of range or not one per question (422).
    """
    now = now or utcnow()
    enrolment_id = await _participant(user, course_id)
    course = await load_course(course_id)
    await require_test(course_id)
    if course.cancelled:
        raise InvalidState(COURSE_CANCELLED)
    if course.last_session_starts_at is None:
        raise InvalidState(NOT_SCHEDULED)
    if not course.test_open(now):
        raise InvalidState(NOT_OPEN, when=format_datetime(course.last_session_starts_at))
    async with write_transaction():
        # One attempt at a time per test: two submissions at once cannot both be "the first".
        await lock_for_update(FinalTest.select(FinalTest.id).where(FinalTest.course == course_id)).first()
        test = await require_test(course_id)
        if revision is not None and revision != test.revision:
            raise InvalidState(TEST_CHANGED, field="revision")
        current, _latest = await _standing(test, enrolment_id)
        if current.passed:
            raise InvalidState(ALREADY_PASSED)
        if not current.may_attempt:
            raise InvalidState(NO_ATTEMPTS_LEFT)
        attempt_number = current.used + 1
        seed = attempt_seed(enrolment_id, attempt_number, test.revision)
        shown = shuffle_test(seed, test.layout)
        chosen = answers_to_stored(shown, answers)
        score = score_attempt([chosen[q.id] for q in test.questions], [q.question.correct for q in test.questions],
                              test.pass_percent)
        attempt = FinalTestAttempt(
            final_test=test.id, enrolment=enrolment_id, recorded_via=AttemptVia.APP.value, revision=test.revision,
            seed=seed, shown=[item.as_json() for item in shown], answers=_as_given(answers),
            correct_count=score.correct_count, question_count=score.question_count,
            score_percent=score.score_percent, passed=score.passed, recorded_by=user.id,
            submitted_at=now, updated_at=now,
        )
        await attempt.save()
        await record_audit_event("final_test.attempt", actor_id=user.id, entity="enrolment", entity_id=enrolment_id,
                                 data={"course": course_id, "attempt": attempt_number, "via": AttemptVia.APP.value,
                                       "score_percent": score.score_percent, "passed": score.passed})
    return AttemptResult(score_percent=score.score_percent, passed=score.passed,
                         attempts_left=0 if score.passed else max(0, current.left - 1))
