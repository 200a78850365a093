"""Tables of the final learning test (art. 37 c. 2 D.Lgs. 81/2008 as amended by L. 215/2021).

One test per course: its pass mark, how many attempts each participant has, and its questions. Every
attempt keeps what the participant was shown (the order of questions and choices, seeded and stored)
and what they answered, so the score can be checked and the report printed years later (the course
dossier is kept at least 10 years, ASR 2025 p. 7). A paper test is an attempt ``recorded_via`` paper,
with the score the trainer entered and no answers.

Instants are UTC, like every table (``core/tables.py``).
"""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import (
    JSON,
    Boolean,
    DoublePrecision,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from training_hub.core.tables import Course, Enrolment, Person


class AttemptVia(StrEnum):
    APP = "app"  # taken in the app, on a phone or a computer
    PAPER = "paper"  # taken on paper, the score entered by the trainer


class FinalTest(Table):
    """The final learning test of one course."""

    course = ForeignKey(references=Course, null=False, unique=True, on_delete=OnDelete.cascade)
    pass_percent = Integer(default=70)
    # Attempts each confirmed participant may make; the trainer can grant one more to a person
    # (FinalTestExtraAttempt).
    attempts_allowed = Integer(default=1)
    # Raised on every save: the shuffle of an attempt depends on it, and an attempt sent for an older
    # revision is refused instead of being mapped onto questions the participant never saw.
    revision = Integer(default=1)
    # The course whose test this one was copied from (the last edition, usually).
    copied_from = ForeignKey(references=Course, null=True, default=None, on_delete=OnDelete.set_null)
    updated_by = ForeignKey(references=Person, null=True, default=None, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class FinalTestQuestion(Table):
    """One multiple-choice question: the choices as a JSON list of texts, the correct ones as a JSON
    list of their indexes (0-based) in that list."""

    final_test = ForeignKey(references=FinalTest, null=False, on_delete=OnDelete.cascade, index=True)
    position = Integer(default=0)
    text = Text()
    choices = JSON(default=[])
    correct = JSON(default=[])


class FinalTestAttempt(Table):
    """One attempt of one participant (an enrolment of the test's course).

    ``shown`` is the order the participant saw: a list of ``{"question": id, "choices": [i, …]}`` in
    the order shown, each ``choices`` listing the stored choice indexes in the order shown. ``answers``
    is what they sent, in the order shown (a list of shown choice indexes per question). Both are kept
    as they were, with ``seed`` that produced the order: mapping an answer back to a stored choice never
    depends on recomputing anything. A paper attempt has no seed, order or answers.
    """

    final_test = ForeignKey(references=FinalTest, null=False, on_delete=OnDelete.cascade, index=True)
    enrolment = ForeignKey(references=Enrolment, null=False, on_delete=OnDelete.restrict, index=True)
    recorded_via = Varchar(length=10, choices=AttemptVia, default=AttemptVia.APP.value)
    revision = Integer(null=True, default=None)
    seed = Varchar(length=32, null=True, default=None)
    shown = JSON(default=[])
    answers = JSON(default=[])
    correct_count = Integer(null=True, default=None)
    question_count = Integer(null=True, default=None)
    score_percent = DoublePrecision()
    passed = Boolean(default=False)
    recorded_by = ForeignKey(references=Person, null=True, default=None, on_delete=OnDelete.set_null)
    submitted_at = Timestamptz(default=TimestamptzNow(), index=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class FinalTestExtraAttempt(Table):
    """One more attempt granted by a trainer to one participant (one row per attempt granted)."""

    final_test = ForeignKey(references=FinalTest, null=False, on_delete=OnDelete.cascade, index=True)
    enrolment = ForeignKey(references=Enrolment, null=False, on_delete=OnDelete.restrict, index=True)
    granted_by = ForeignKey(references=Person, null=True, default=None, on_delete=OnDelete.set_null)
    granted_at = Timestamptz(default=TimestamptzNow())
    reason = Text(default="")
