"""Results of the final test: the trainer's overview, paper results, another attempt for a person,
and what the attendance summary and the certificates read (:func:`test_passed`,
:func:`test_results_by_enrolment`).

A paper test is recorded by who manages the course as an attempt ``recorded_via`` paper, with the
percentage they enter (0–100) for a confirmed enrolment of this course; entering it again for the same
person corrects it (the previous paper score is in the audit trail). Like an attempt in the app, it
counts among the person's attempts, and the latest attempt decides the outcome
(:class:`~training_hub.assessment.scoring.Standing`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from training_hub.assessment.scoring import (
    Standing,
    paper_passed,
    standing,
    validate_paper_score,
)
from training_hub.assessment.store import (
    AttemptRow,
    CourseFacts,
    Participant,
    StoredTest,
    attempts_by_enrolment,
    confirmed_participants,
    extra_attempts_by_enrolment,
    load_course,
    load_test,
    require_test,
)
from training_hub.assessment.tables import AttemptVia, FinalTest, FinalTestAttempt, FinalTestExtraAttempt
from training_hub.catalogue.access import get_manageable_course
from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, fetch_one, is_possible_id, lock_for_update, write_transaction
from training_hub.core.errors import FieldMessage, InvalidState, NotFound, ValidationFailed
from training_hub.core.i18n import N_, format_datetime
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import multi_line
from training_hub.core.timeutil import utcnow

NOT_A_PARTICIPANT = N_("Riga %(number)d: l'iscrizione indicata non è di un partecipante confermato di questo corso.")
REPEATED_ENROLMENT = N_("Riga %(number)d: questo partecipante compare due volte.")
PAPER_SCORE_ROW = N_("Riga %(number)d: il punteggio è una percentuale da 0 a 100.")
PAPER_BEFORE_TEST = N_("I risultati del test si registrano dall'inizio dell'ultimo incontro (%(when)s).")
PAPER_NOT_SCHEDULED = N_("I risultati del test si registrano dall'inizio dell'ultimo incontro, che non è ancora in "
                         "calendario.")
COURSE_CANCELLED = N_("Il corso è annullato: il test finale non si svolge.")
ENROLMENT_NOT_FOUND = N_("Iscrizione non trovata.")
GRANT_PASSED = N_("%(name)s ha già superato il test: non serve un altro tentativo.")
GRANT_NOT_NEEDED = N_("%(name)s ha ancora un tentativo a disposizione.")
MAX_REASON_LENGTH = 500

NOT_TAKEN = "not_taken"
PASSED = "passed"
FAILED = "failed"


@dataclass(frozen=True)
class ParticipantResult:
    """One confirmed participant's standing with the test, as the trainer sees it."""

    participant: Participant
    standing: Standing
    latest: AttemptRow | None
    # Decided here, shown by the page: a trainer may grant another attempt to who failed and has none left.
    can_grant_attempt: bool

    @property
    def outcome(self) -> str:
        if self.standing.passed is None:
            return NOT_TAKEN
        return PASSED if self.standing.passed else FAILED


@dataclass(frozen=True)
class ResultsOverview:
    course: CourseFacts
    test: StoredTest | None
    rows: list[ParticipantResult]
    test_open: bool  # the last session has started: results may be entered

    @property
    def counts(self) -> dict[str, int]:
        out = {PASSED: 0, FAILED: 0, NOT_TAKEN: 0}
        for row in self.rows:
            out[row.outcome] += 1
        return out


async def _results(course: CourseFacts, test: StoredTest | None,
                   participants: list[Participant]) -> list[ParticipantResult]:
    if test is None:
        return [ParticipantResult(participant=p, standing=standing([], 0), latest=None, can_grant_attempt=False)
                for p in participants]
    only = participants[0].enrolment_id if len(participants) == 1 else None
    attempts = await attempts_by_enrolment(test.id, only)
    extra = await extra_attempts_by_enrolment(test.id, only)
    rows = []
    for participant in participants:
        mine = attempts.get(participant.enrolment_id, [])
        current = standing([(a.score_percent, a.passed) for a in mine],
                           test.attempts_allowed + extra.get(participant.enrolment_id, 0))
        rows.append(ParticipantResult(
            participant=participant, standing=current, latest=mine[-1] if mine else None,
            can_grant_attempt=(not course.cancelled and current.passed is False and current.left == 0),
        ))
    return rows


async def results_overview(user: CurrentUser, course_id: int, *, now: datetime | None = None) -> ResultsOverview:
    """Every confirmed participant with their latest score and outcome, for who manages the course."""
    now = now or utcnow()
    await get_manageable_course(user, course_id)
    course = await load_course(course_id)
    test = await load_test(course_id)
    rows = await _results(course, test, await confirmed_participants(course_id))
    return ResultsOverview(course=course, test=test, rows=rows, test_open=course.test_open(now))


# Paper results -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperResult:
    """One line of paper results as sent or typed (validated by :func:`record_paper_results`)."""

    enrolment_id: Any
    score_percent: Any


def _check_paper_entries(entries: Sequence[PaperResult], participants: Mapping[int, Participant]) -> list[tuple[int, float]]:
    errors: dict[str, str] = {}
    valid: list[tuple[int, float]] = []
    seen: set[int] = set()
    for index, entry in enumerate(entries):
        number = index + 1
        enrolment_id = entry.enrolment_id if isinstance(entry.enrolment_id, int) and not isinstance(
            entry.enrolment_id, bool) else None
        if enrolment_id is None or enrolment_id not in participants:
            errors[f"{index}.enrolment_id"] = FieldMessage(NOT_A_PARTICIPANT, number=number)
        elif enrolment_id in seen:
            errors[f"{index}.enrolment_id"] = FieldMessage(REPEATED_ENROLMENT, number=number)
        score_errors: dict[str, str] = {}
        score = validate_paper_score(entry.score_percent, "score", score_errors)
        if score_errors:
            errors[f"{index}.score_percent"] = FieldMessage(PAPER_SCORE_ROW, number=number)
        if enrolment_id is not None and score is not None and f"{index}.enrolment_id" not in errors:
            seen.add(enrolment_id)
            valid.append((enrolment_id, score))
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)
    return valid


async def record_paper_results(
    user: CurrentUser, course_id: int, entries: Sequence[PaperResult], *, now: datetime | None = None
) -> list[ParticipantResult]:
    """Record (or correct) paper test scores; every line is checked first and a single mistake records
    nothing. Returns the standing of the people recorded, in the order sent."""
    now = now or utcnow()
    await get_manageable_course(user, course_id)
    course = await load_course(course_id)
    await require_test(course_id)  # the report prints the questions: the test is written here first
    if course.cancelled:
        raise InvalidState(COURSE_CANCELLED)
    if course.last_session_starts_at is None:
        raise InvalidState(PAPER_NOT_SCHEDULED)
    if not course.test_open(now):
        raise InvalidState(PAPER_BEFORE_TEST, when=format_datetime(course.last_session_starts_at))
    participants = {p.enrolment_id: p for p in await confirmed_participants(course_id)}
    valid = _check_paper_entries(entries, participants)
    async with write_transaction():
        await lock_for_update(FinalTest.select(FinalTest.id).where(FinalTest.course == course_id)).first()
        test = await require_test(course_id)
        for enrolment_id, score in valid:
            passed = paper_passed(score, test.pass_percent)
            previous = await fetch_one(
                "SELECT id, score_percent FROM final_test_attempt WHERE final_test = {} AND enrolment = {} "
                "AND recorded_via = {} ORDER BY submitted_at DESC, id DESC LIMIT 1",
                test.id, enrolment_id, AttemptVia.PAPER.value,
            )
            if previous is None:
                await FinalTestAttempt.insert(FinalTestAttempt(
                    final_test=test.id, enrolment=enrolment_id, recorded_via=AttemptVia.PAPER.value,
                    score_percent=score, passed=passed, recorded_by=user.id, submitted_at=now, updated_at=now,
                ))
            else:
                await FinalTestAttempt.update({
                    FinalTestAttempt.score_percent: score, FinalTestAttempt.passed: passed,
                    FinalTestAttempt.recorded_by: user.id, FinalTestAttempt.updated_at: now,
                }).where(FinalTestAttempt.id == previous["id"])
            await record_audit_event(
                "final_test.paper_result", actor_id=user.id, entity="enrolment", entity_id=enrolment_id,
                data={"course": course_id, "score_percent": score, "passed": passed,
                      "previous_score_percent": float(previous["score_percent"]) if previous else None},
            )
    rows = await _results(course, test, [participants[enrolment_id] for enrolment_id, _ in valid])
    return rows


# Another attempt -----------------------------------------------------------------------------------


async def grant_attempt(
    user: CurrentUser, course_id: int, enrolment_id: int, *, reason: str = "", now: datetime | None = None
) -> ParticipantResult:
    """One more attempt for a participant who failed and has none left (the trainer's decision)."""
    now = now or utcnow()
    await get_manageable_course(user, course_id)
    course = await load_course(course_id)
    if course.cancelled:
        raise InvalidState(COURSE_CANCELLED)
    participants = {p.enrolment_id: p for p in await confirmed_participants(course_id)} \
        if is_possible_id(enrolment_id) else {}
    participant = participants.get(enrolment_id)
    if participant is None:
        raise NotFound(ENROLMENT_NOT_FOUND, field="enrolment_id")
    errors: dict[str, str] = {}
    note = multi_line(reason, "reason", errors, max_length=MAX_REASON_LENGTH)
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)
    async with write_transaction():
        await lock_for_update(FinalTest.select(FinalTest.id).where(FinalTest.course == course_id)).first()
        test = await require_test(course_id)
        [row] = await _results(course, test, [participant])
        if row.standing.passed:
            raise InvalidState(GRANT_PASSED, name=participant.full_name)
        if row.standing.left > 0:
            raise InvalidState(GRANT_NOT_NEEDED, name=participant.full_name)
        await FinalTestExtraAttempt.insert(FinalTestExtraAttempt(
            final_test=test.id, enrolment=enrolment_id, granted_by=user.id, granted_at=now, reason=note))
        await record_audit_event("final_test.attempt_granted", actor_id=user.id, entity="enrolment",
                                 entity_id=enrolment_id, data={"course": course_id}, reason=note)
    [updated] = await _results(course, test, [participant])
    return updated


# What attendance reads -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TestResult:
    """A participant's outcome: their latest attempt."""

    passed: bool
    score_percent: float
    recorded_via: str
    submitted_at: datetime
    attempts: int


@dataclass(frozen=True)
class CourseTestResults:
    """The test's outcome for every enrolment of a course that has an attempt.

    ``required``: the course has a test, or must have one (every safety course; any course with
    ``final_test_required``). A course that must have a test and has none yet has no one who passed.
    """

    required: bool
    by_enrolment: Mapping[int, TestResult] = field(default_factory=dict)

    def test_passed(self, enrolment_id: int) -> bool | None:
        """None when the course has no test to pass; False when the person has not passed it (or not
        taken it); True when their latest attempt passed."""
        if not self.required:
            return None
        result = self.by_enrolment.get(enrolment_id)
        return bool(result and result.passed)


_COURSE_TEST_SQL = (
    "SELECT c.id, c.safety_course_type, c.final_test_required, t.id AS test_id "
    "FROM course c LEFT JOIN final_test t ON t.course = c.id WHERE c.id = {}"
)


def _required(row: Mapping[str, Any]) -> bool:
    return row["test_id"] is not None or bool(row["final_test_required"]) or bool(row["safety_course_type"])


def _latest_results(rows: list[dict[str, Any]]) -> dict[int, TestResult]:
    """Rows of attempts ordered oldest first → the latest per enrolment, with the number of attempts."""
    counts: dict[int, int] = {}
    latest: dict[int, dict[str, Any]] = {}
    for row in rows:
        counts[row["enrolment"]] = counts.get(row["enrolment"], 0) + 1
        latest[row["enrolment"]] = row
    return {
        enrolment_id: TestResult(passed=bool(row["passed"]), score_percent=float(row["score_percent"]),
                                 recorded_via=row["recorded_via"], submitted_at=row["submitted_at"],
                                 attempts=counts[enrolment_id])
        for enrolment_id, row in latest.items()
    }


_ATTEMPTS_SQL = (
    "SELECT enrolment, passed, score_percent, recorded_via, submitted_at FROM final_test_attempt "
    "WHERE final_test = {}"
)


async def test_results_by_enrolment(course_id: int) -> CourseTestResults:
    """Every enrolment's test outcome in a course, in two queries whatever the number of participants
    (for the attendance summary: ``results.test_passed(enrolment_id)`` per row)."""
    row = await fetch_one(_COURSE_TEST_SQL, course_id) if is_possible_id(course_id) else None
    if row is None or not _required(row):
        return CourseTestResults(required=False)
    if row["test_id"] is None:
        return CourseTestResults(required=True)
    attempts = await fetch_all(_ATTEMPTS_SQL + " ORDER BY submitted_at, id", row["test_id"])
    return CourseTestResults(required=True, by_enrolment=_latest_results(attempts))


async def test_passed(enrolment_id: int) -> bool | None:
    """One enrolment's outcome (for a certificate): None when its course has no test to pass, else
    whether the latest attempt passed (False when not taken). Two or three queries."""
    enrolment = await fetch_one("SELECT course FROM enrolment WHERE id = {}", enrolment_id) \
        if is_possible_id(enrolment_id) else None
    if enrolment is None:
        return None
    row = await fetch_one(_COURSE_TEST_SQL, enrolment["course"])
    if row is None or not _required(row):
        return None
    if row["test_id"] is None:
        return False
    attempts = await fetch_all(_ATTEMPTS_SQL + " AND enrolment = {} ORDER BY submitted_at, id", row["test_id"],
                               enrolment_id)
    result = _latest_results(attempts).get(enrolment_id)
    return bool(result and result.passed)
