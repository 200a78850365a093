"""Writing the final test: who may, saving it, copying the last edition's, reading it with the answers.

Who may write a course's test is who manages the course (:func:`~training_hub.catalogue.access.
can_manage_course`: its trainers, the coordinators of the cooperative owning an internal course's path,
admins); someone who may see the course but not manage it is refused (403), someone who may not even
see it is told it does not exist (404), as everywhere else.

Once anyone has an attempt (in the app or on paper), the questions and the pass mark are frozen: the
attempts were scored against them and the report must print what the participants answered. The
number of attempts allowed can still change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw

from training_hub.assessment.scoring import (
    FinalTestDraft,
    FinalTestRequirements,
    QuestionInput,
    validate_test,
)
from training_hub.assessment.store import (
    CourseFacts,
    StoredTest,
    load_course,
    load_test,
    require_test,
)
from training_hub.assessment.tables import FinalTest, FinalTestQuestion
from training_hub.catalogue.access import (
    can_manage_course,
    get_manageable_course,
    managed_courses_condition,
)
from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_one, is_possible_id, lock_for_update, write_transaction
from training_hub.core.errors import InvalidState, NotFound, PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import Course
from training_hub.core.timeutil import utcnow
from training_hub.seats.facts import load_course_facts

TEST_LOCKED = N_("Il test è già stato svolto (tentativi registrati: %(num)d): domande e soglia non si possono più "
                 "cambiare.")
COURSE_CANCELLED = N_("Il corso è annullato: il suo test finale non si modifica più.")
NO_LAST_EDITION = N_("Non c'è un'edizione precedente di questo corso (stesso titolo, stesso percorso) con un test "
                     "finale: scegli il corso da cui copiarlo.")
SOURCE_WITHOUT_TEST = N_("Il corso scelto non ha un test finale da copiare.")
SOURCE_IS_TARGET = N_("Scegli un altro corso: questo è il corso stesso.")
SOURCE_NOT_MANAGED = N_("Il test di «%(course)s» è di un corso che non gestisci: chiedi all'ufficio formazione di "
                        "copiarlo.")
MAX_COPY_CANDIDATES = 50


@dataclass(frozen=True)
class ManagedTest:
    """A course's test as who manages the course sees it: with the correct answers."""

    course: CourseFacts
    test: StoredTest
    attempt_count: int

    @property
    def locked(self) -> bool:
        return self.attempt_count > 0

    @property
    def requirements(self) -> FinalTestRequirements:
        return self.course.requirements


async def attempt_count(test_id: int) -> int:
    row = await fetch_one("SELECT COUNT(*) AS n FROM final_test_attempt WHERE final_test = {}", test_id)
    return int(row["n"]) if row else 0


async def managed_test(user: CurrentUser, course_id: int) -> ManagedTest:
    """The test with its answers, for who manages the course; NotFound when it has none yet."""
    await get_manageable_course(user, course_id)
    course = await load_course(course_id)
    test = await require_test(course_id)
    return ManagedTest(course=course, test=test, attempt_count=await attempt_count(test.id))


@dataclass(frozen=True)
class EditorState:
    """What the trainer's editor shows: the course, its test if any, and where a copy can come from."""

    course: CourseFacts
    test: StoredTest | None
    attempt_count: int
    last_edition: dict[str, Any] | None
    copy_candidates: list[dict[str, Any]]

    @property
    def locked(self) -> bool:
        return self.attempt_count > 0


async def editor_state(user: CurrentUser, course_id: int) -> EditorState:
    await get_manageable_course(user, course_id)
    course = await load_course(course_id)
    test = await load_test(course_id)
    return EditorState(
        course=course, test=test, attempt_count=await attempt_count(test.id) if test else 0,
        last_edition=await _last_edition(course_id), copy_candidates=await copy_candidates(user, course_id),
    )


def _same_content(test: StoredTest, draft: FinalTestDraft) -> bool:
    return test.pass_percent == draft.pass_percent and tuple(q.question for q in test.questions) == draft.questions


async def save_final_test(
    user: CurrentUser,
    course_id: int,
    *,
    pass_percent: Any,
    attempts_allowed: Any,
    questions: Sequence[QuestionInput],
    copied_from: int | None = None,
) -> ManagedTest:
    """Write (or rewrite) the course's test; :class:`ValidationFailed` naming each wrong question, and
    nothing stored, when it is not valid for this course (a safety course's minimum questions and pass
    mark included)."""
    await get_manageable_course(user, course_id)
    course = await load_course(course_id)
    if course.cancelled:
        raise InvalidState(COURSE_CANCELLED)
    draft = validate_test(pass_percent, attempts_allowed, questions, course.requirements)
    stored = await _store(user, course, draft, copied_from)
    return ManagedTest(course=course, test=stored, attempt_count=await attempt_count(stored.id))


async def _store(user: CurrentUser, course: CourseFacts, draft: FinalTestDraft, copied_from: int | None) -> StoredTest:
    now = utcnow()
    async with write_transaction():
        # The course row serialises the first save of a test; the test row serialises it with attempts.
        await lock_for_update(Course.select(Course.id).where(Course.id == course.id)).first()
        row = await lock_for_update(FinalTest.select(FinalTest.id).where(FinalTest.course == course.id)).first()
        existing = await load_test(course.id) if row else None
        if existing is None:
            created = FinalTest(course=course.id, pass_percent=draft.pass_percent,
                                attempts_allowed=draft.attempts_allowed, revision=1, copied_from=copied_from,
                                updated_by=user.id, created_at=now, updated_at=now)
            await created.save()
            test_id, action = created.id, "final_test.created"
            await _insert_questions(test_id, draft)
        elif _same_content(existing, draft):
            test_id, action = existing.id, "final_test.attempts_changed"
            await FinalTest.update({FinalTest.attempts_allowed: draft.attempts_allowed, FinalTest.updated_by: user.id,
                                    FinalTest.updated_at: now}).where(FinalTest.id == test_id)
        else:
            taken = await attempt_count(existing.id)
            if taken:
                raise InvalidState(TEST_LOCKED, num=taken)
            test_id, action = existing.id, "final_test.updated"
            await FinalTestQuestion.delete().where(FinalTestQuestion.final_test == test_id)
            await _insert_questions(test_id, draft)
            await FinalTest.update({
                FinalTest.pass_percent: draft.pass_percent, FinalTest.attempts_allowed: draft.attempts_allowed,
                FinalTest.revision: existing.revision + 1,
                # A test edited after a copy still comes from that copy.
                FinalTest.copied_from: copied_from if copied_from is not None else existing.copied_from,
                FinalTest.updated_by: user.id, FinalTest.updated_at: now,
            }).where(FinalTest.id == test_id)
        await record_audit_event(action, actor_id=user.id, entity="course", entity_id=course.id, data={
            "final_test": test_id, "questions": len(draft.questions), "pass_percent": draft.pass_percent,
            "attempts_allowed": draft.attempts_allowed, "copied_from": copied_from,
        })
    stored = await load_test(course.id)
    assert stored is not None
    return stored


async def _insert_questions(test_id: int, draft: FinalTestDraft) -> None:
    if not draft.questions:
        return
    await FinalTestQuestion.insert(*[
        FinalTestQuestion(final_test=test_id, position=position, text=question.text,
                          choices=list(question.choices), correct=list(question.correct))
        for position, question in enumerate(draft.questions, start=1)
    ])


async def set_attempts_allowed(user: CurrentUser, course_id: int, attempts_allowed: Any) -> ManagedTest:
    """Change only the attempts each participant has (allowed even once the test is taken)."""
    managed = await managed_test(user, course_id)
    return await save_final_test(user, course_id, pass_percent=managed.test.pass_percent,
                                 attempts_allowed=attempts_allowed, questions=draft_inputs(managed.test))


# Copying -------------------------------------------------------------------------------------------

_LAST_EDITION_SQL = (
    "SELECT c.id, c.title, c.starts_at FROM course c JOIN final_test t ON t.course = c.id "
    "WHERE c.path = (SELECT path FROM course WHERE id = {}) AND c.title = (SELECT title FROM course WHERE id = {}) "
    "AND c.id <> {} "
    # Most recent first; an edition without sessions (no start) after those with one, on both engines.
    "ORDER BY CASE WHEN c.starts_at IS NULL THEN 1 ELSE 0 END, c.starts_at DESC, c.id DESC LIMIT 1"
)


async def _last_edition(course_id: int) -> dict[str, Any] | None:
    """The most recent other course with the same title in the same path that has a test."""
    return await fetch_one(_LAST_EDITION_SQL, course_id, course_id, course_id)


async def copy_candidates(user: CurrentUser, course_id: int) -> list[dict[str, Any]]:
    """Other courses ``user`` manages that have a test, most recent first: where a copy may come from."""
    query = Course.select(Course.id, Course.title, Course.starts_at, Course.path.title.as_alias("path_title")).where(
        (Course.id != course_id) & WhereRaw('"course"."id" IN (SELECT course FROM final_test)'))
    condition = managed_courses_condition(user)
    if condition is not None:
        query = query.where(condition)
    rows = await query.order_by(Course.id, ascending=False)
    # Most recent first, courses without sessions last (sorted here: the engines order NULLs apart).
    rows.sort(key=lambda row: (row["starts_at"] is None,
                               -row["starts_at"].timestamp() if row["starts_at"] else 0, -row["id"]))
    return rows[:MAX_COPY_CANDIDATES]


async def copy_source(user: CurrentUser, course_id: int, source_course_id: int | None = None) -> tuple[dict[str, Any], StoredTest]:
    """The course to copy from (``source_course_id``, or the last edition) and its test; the user must
    manage both courses, since the copy carries the correct answers."""
    await get_manageable_course(user, course_id)
    if source_course_id is None:
        source = await _last_edition(course_id)
        if source is None:
            raise NotFound(NO_LAST_EDITION, field="source_course_id")
        if not can_manage_course(user, await load_course_facts(source["id"])):
            raise PermissionDenied(SOURCE_NOT_MANAGED, field="source_course_id", course=source["title"])
    else:
        if source_course_id == course_id:
            raise InvalidState(SOURCE_IS_TARGET, field="source_course_id")
        if not is_possible_id(source_course_id):
            raise NotFound(N_("Corso non trovato."), field="source_course_id")
        # The same answers as for the course itself: 404 if one may not see it, 403 if not manage it.
        await get_manageable_course(user, source_course_id)
        source = await fetch_one("SELECT id, title, starts_at FROM course WHERE id = {}", source_course_id)
        assert source is not None
    test = await load_test(source["id"])
    if test is None:
        raise NotFound(SOURCE_WITHOUT_TEST, field="source_course_id")
    return source, test


def draft_inputs(test: StoredTest) -> list[QuestionInput]:
    return [QuestionInput(text=q.question.text, choices=list(q.question.choices), correct=list(q.question.correct))
            for q in test.questions]


async def copy_final_test(user: CurrentUser, course_id: int, source_course_id: int | None = None) -> ManagedTest:
    """Copy the test of the last edition (or of ``source_course_id``) into this course, questions, pass
    mark and attempts; validated for this course like a test written here (a refresher's 10 questions
    are not enough for a first course's 30)."""
    source, test = await copy_source(user, course_id, source_course_id)
    return await save_final_test(
        user, course_id, pass_percent=test.pass_percent, attempts_allowed=test.attempts_allowed,
        questions=draft_inputs(test), copied_from=source["id"],
    )
