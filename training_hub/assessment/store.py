"""Reading what the final test's rules need: the course's facts, the test with its questions, attempts.

No permission checks here (the service modules do them). The course, its sessions and enrolments are
read straight from their tables: the catalogue and enrolment modules are below this feature, and these
reads need nothing of their rules. Hand-written SQL is portable (SQLite and PostgreSQL).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from training_hub.assessment.scoring import FinalTestRequirements, Question, requirements_for
from training_hub.assessment.tables import FinalTest, FinalTestQuestion
from training_hub.core.db import fetch_all, fetch_one, is_possible_id
from training_hub.core.errors import NotFound
from training_hub.core.i18n import N_
from training_hub.core.tables import CourseStatus, EnrolmentStatus, SessionStatus
from training_hub.core.timeutil import to_utc
from training_hub.safety.course_types import CourseType, find_course_type

CONFIRMED = EnrolmentStatus.CONFIRMED.value
SCHEDULED = SessionStatus.SCHEDULED.value
COURSE_NOT_FOUND = N_("Corso non trovato.")
NO_TEST = N_("Il corso non ha ancora un test finale.")


def json_value(value: Any) -> Any:
    """A JSON column as Python data (SQLite and asyncpg hand it back as text)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


@dataclass(frozen=True)
class CourseFacts:
    id: int
    title: str
    status: str
    path_id: int
    path_title: str
    safety_course_type: str | None
    final_test_required: bool
    first_session_starts_at: datetime | None
    last_session_starts_at: datetime | None
    last_session_ends_at: datetime | None

    @property
    def course_type(self) -> CourseType | None:
        return find_course_type(self.safety_course_type)

    @property
    def requirements(self) -> FinalTestRequirements:
        return requirements_for(self.course_type)

    @property
    def test_compulsory(self) -> bool:
        """Every safety course has a final test (art. 37 c. 2); any other course when it asks for one."""
        return self.final_test_required or self.course_type is not None

    @property
    def cancelled(self) -> bool:
        return self.status == CourseStatus.CANCELLED.value

    def test_open(self, now: datetime) -> bool:
        """The test may be taken (or its paper results entered) from the start of the last session."""
        return self.last_session_starts_at is not None and to_utc(now) >= to_utc(self.last_session_starts_at)


_COURSE_SQL = (
    "SELECT c.id, c.title, c.status, c.safety_course_type, c.final_test_required, "
    "p.id AS path_id, p.title AS path_title FROM course c JOIN training_path p ON p.id = c.path WHERE c.id = {}"
)
# The first and the last scheduled session: separate ordered reads keep the column's type (an
# aggregate would come back from SQLite as text).
_FIRST_SESSION_SQL = (
    "SELECT starts_at FROM course_session WHERE course = {} AND status = {} ORDER BY starts_at LIMIT 1"
)
_LAST_SESSION_SQL = (
    "SELECT starts_at, ends_at FROM course_session WHERE course = {} AND status = {} "
    "ORDER BY starts_at DESC LIMIT 1"
)


async def load_course(course_id: int) -> CourseFacts:
    row = await fetch_one(_COURSE_SQL, course_id) if is_possible_id(course_id) else None
    if row is None:
        raise NotFound(COURSE_NOT_FOUND)
    first = await fetch_one(_FIRST_SESSION_SQL, course_id, SCHEDULED)
    last = await fetch_one(_LAST_SESSION_SQL, course_id, SCHEDULED)
    return CourseFacts(
        id=row["id"], title=row["title"], status=row["status"], path_id=row["path_id"],
        path_title=row["path_title"], safety_course_type=row["safety_course_type"] or None,
        final_test_required=bool(row["final_test_required"]),
        first_session_starts_at=first["starts_at"] if first else None,
        last_session_starts_at=last["starts_at"] if last else None,
        last_session_ends_at=last["ends_at"] if last else None,
    )


@dataclass(frozen=True)
class StoredQuestion:
    id: int
    position: int
    question: Question


@dataclass(frozen=True)
class StoredTest:
    id: int
    course_id: int
    pass_percent: int
    attempts_allowed: int
    revision: int
    copied_from: int | None
    updated_at: datetime
    questions: tuple[StoredQuestion, ...]

    @property
    def layout(self) -> list[tuple[int, int]]:
        """(question id, number of choices) in the stored order: what a shuffle needs."""
        return [(stored.id, len(stored.question.choices)) for stored in self.questions]

    def by_id(self) -> dict[int, StoredQuestion]:
        return {stored.id: stored for stored in self.questions}


def _question(row: dict[str, Any]) -> StoredQuestion:
    return StoredQuestion(
        id=row["id"], position=row["position"],
        question=Question(text=row["text"], choices=tuple(json_value(row["choices"])),
                          correct=tuple(json_value(row["correct"]))),
    )


async def load_test(course_id: int) -> StoredTest | None:
    """The course's test with its questions in order; None when it has none."""
    row = await FinalTest.select().where(FinalTest.course == course_id).first()
    if row is None:
        return None
    questions = await FinalTestQuestion.select().where(FinalTestQuestion.final_test == row["id"]).order_by(
        FinalTestQuestion.position).order_by(FinalTestQuestion.id)
    return StoredTest(
        id=row["id"], course_id=course_id, pass_percent=row["pass_percent"],
        attempts_allowed=row["attempts_allowed"], revision=row["revision"], copied_from=row["copied_from"],
        updated_at=row["updated_at"], questions=tuple(_question(q) for q in questions),
    )


async def require_test(course_id: int) -> StoredTest:
    test = await load_test(course_id)
    if test is None:
        raise NotFound(NO_TEST)
    return test


async def confirmed_enrolment_id(person_id: int, course_id: int) -> int | None:
    """The person's confirmed enrolment in the course (one live enrolment per person and course)."""
    row = await fetch_one(
        "SELECT id FROM enrolment WHERE course = {} AND person = {} AND status = {} ORDER BY id DESC LIMIT 1",
        course_id, person_id, CONFIRMED,
    )
    return row["id"] if row else None


@dataclass(frozen=True)
class AttemptRow:
    id: int
    enrolment_id: int
    recorded_via: str
    score_percent: float
    passed: bool
    correct_count: int | None
    question_count: int | None
    submitted_at: datetime
    recorded_by: int | None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> AttemptRow:
        return cls(
            id=row["id"], enrolment_id=row["enrolment"], recorded_via=row["recorded_via"],
            score_percent=float(row["score_percent"]), passed=bool(row["passed"]),
            correct_count=row["correct_count"], question_count=row["question_count"],
            submitted_at=row["submitted_at"], recorded_by=row["recorded_by"],
        )


_ATTEMPTS_SQL = (
    "SELECT id, enrolment, recorded_via, score_percent, passed, correct_count, question_count, submitted_at, "
    "recorded_by FROM final_test_attempt WHERE final_test = {}"
)


async def attempts_by_enrolment(test_id: int, enrolment_id: int | None = None) -> dict[int, list[AttemptRow]]:
    """Every attempt of the test (or of one enrolment), oldest first, per enrolment."""
    if enrolment_id is None:
        rows = await fetch_all(_ATTEMPTS_SQL + " ORDER BY submitted_at, id", test_id)
    else:
        rows = await fetch_all(_ATTEMPTS_SQL + " AND enrolment = {} ORDER BY submitted_at, id", test_id, enrolment_id)
    out: dict[int, list[AttemptRow]] = defaultdict(list)
    for row in rows:
        out[row["enrolment"]].append(AttemptRow.from_row(row))
    return out


async def extra_attempts_by_enrolment(test_id: int, enrolment_id: int | None = None) -> dict[int, int]:
    """Attempts granted on top of the test's own, per enrolment."""
    sql = "SELECT enrolment, COUNT(*) AS n FROM final_test_extra_attempt WHERE final_test = {}"
    args: list[Any] = [test_id]
    if enrolment_id is not None:
        sql += " AND enrolment = {}"
        args.append(enrolment_id)
    rows = await fetch_all(sql + " GROUP BY enrolment", *args)
    return {row["enrolment"]: int(row["n"]) for row in rows}


@dataclass(frozen=True)
class Participant:
    enrolment_id: int
    person_id: int
    full_name: str
    codice_fiscale: str


async def confirmed_participants(course_id: int) -> list[Participant]:
    """The course's confirmed participants, by name."""
    rows = await fetch_all(
        "SELECT e.id AS enrolment_id, p.id AS person_id, p.full_name, p.codice_fiscale FROM enrolment e "
        "JOIN person p ON p.id = e.person WHERE e.course = {} AND e.status = {}",
        course_id, CONFIRMED,
    )
    # Sorted here: the two engines' collations disagree on case and accents.
    rows.sort(key=lambda row: (row["full_name"].casefold(), row["enrolment_id"]))
    return [Participant(enrolment_id=row["enrolment_id"], person_id=row["person_id"], full_name=row["full_name"],
                        codice_fiscale=row["codice_fiscale"] or "") for row in rows]
