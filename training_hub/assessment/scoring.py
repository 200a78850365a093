"""The final learning test's rules as pure functions: what a valid test is, how an attempt is scored,
and how questions and choices are shuffled for each attempt. No database, no HTTP.

Where the figures come from
---------------------------
A safety course (a type of :mod:`training_hub.safety.course_types`) must end with a final learning test
(art. 37 c. 2 D.Lgs. 81/2008, as amended by L. 215/2021) of at least 30 questions for a first course and
10 for a refresher, passed with 70% of right answers (ASR 17/04/2025, secondary source: the figures are
``FIRST_COURSE_TEST_QUESTIONS``, ``REFRESHER_TEST_QUESTIONS`` and ``TEST_PASS_PERCENT`` there, read
through :class:`~training_hub.safety.course_types.CourseType`). For a safety course the 70% is therefore
the lowest pass mark allowed; any other course may have a test of any size, passed at 70% unless the
trainer chooses otherwise (1–100).

Scoring rule
------------
A question is right only when the set of choices ticked is exactly the set of correct ones: no partial
credit, and a multiple-answer question with one right choice missing, or one wrong choice added, is
wrong. Partial credit would let someone who ticks every box score on every question. The score is the
share of right questions; it passes when ``right × 100 ≥ pass_percent × questions`` (whole numbers,
so 21 of 30 passes at 70% exactly, with no floating-point doubt). The percentage shown is rounded
down to one decimal, so a shown score never exceeds the real one: "70.0" is never a fail.

Shuffling
---------
Each attempt gets its own order of questions and, inside each question, of choices, from a seed made
of the enrolment, the attempt's number and the test's revision: reloading the page shows the same
order, a second attempt shows another one. The permutation is a Fisher–Yates shuffle driven only by
``random.Random(seed).random()``, whose sequence Python guarantees across versions (``shuffle`` itself
is not guaranteed). The order shown is stored with the attempt anyway, so mapping answers back never
depends on recomputing it.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from training_hub.core.errors import FieldMessage, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.parsing import has_control_characters
from training_hub.safety.course_types import TEST_PASS_PERCENT, CourseType

DEFAULT_PASS_PERCENT = TEST_PASS_PERCENT  # 70: the safety courses' figure, the default for every test
DEFAULT_ATTEMPTS_ALLOWED = 1  # "one attempt unless the trainer allows another" (issue #15)
MAX_ATTEMPTS_ALLOWED = 10
MIN_CHOICES = 2
MAX_CHOICES = 6
MAX_QUESTIONS = 200
MAX_QUESTION_LENGTH = 1000
MAX_CHOICE_LENGTH = 300

# Messages: "Domanda %(number)d" names the question as the trainer or the participant counts them (from 1).
QUESTION_TEXT_MISSING = N_("Domanda %(number)d: scrivi il testo della domanda.")
QUESTION_TEXT_TOO_LONG = N_("Domanda %(number)d: il testo è troppo lungo (al massimo %(max)d caratteri).")
QUESTION_TEXT_CONTROL = N_("Domanda %(number)d: il testo contiene caratteri di controllo non ammessi.")
TOO_FEW_CHOICES = N_("Domanda %(number)d: servono almeno %(min)d risposte possibili.")
TOO_MANY_CHOICES = N_("Domanda %(number)d: al massimo %(max)d risposte possibili.")
CHOICE_EMPTY = N_("Domanda %(number)d: la risposta %(choice)d è vuota.")
CHOICE_INVALID = N_("Domanda %(number)d: la risposta %(choice)d non è valida (una riga, al massimo %(max)d caratteri).")
CHOICES_REPEATED = N_("Domanda %(number)d: due risposte possibili sono uguali.")
NO_CORRECT_CHOICE = N_("Domanda %(number)d: indica almeno una risposta corretta.")
CORRECT_OUT_OF_RANGE = N_("Domanda %(number)d: la risposta corretta indicata (%(value)s) non è tra quelle scritte.")
TOO_FEW_QUESTIONS = N_("Domande nel test: %(count)d; ne servono almeno %(min)d.")
TOO_FEW_QUESTIONS_SAFETY = N_("Per un corso «%(course_type)s» il test ha almeno %(min)d domande: ora ne ha %(count)d.")
TOO_MANY_QUESTIONS = N_("Il test può avere al massimo %(max)d domande.")
PASS_PERCENT_INVALID = N_("La soglia per superare il test è una percentuale intera da %(min)d a 100.")
PASS_PERCENT_SAFETY = N_("Per un corso sulla sicurezza la soglia è almeno il %(min)d%% di risposte esatte.")
ATTEMPTS_INVALID = N_("I tentativi ammessi sono un numero intero da 1 a %(max)d.")
ANSWERS_COUNT = N_("Le risposte devono essere %(count)d, una per domanda nell'ordine mostrato.")
ANSWER_MISSING = N_("Domanda %(number)d: scegli una risposta.")
ANSWER_OUT_OF_RANGE = N_("Domanda %(number)d: la risposta indicata (%(value)s) non è tra quelle proposte.")
PAPER_SCORE_INVALID = N_("Il punteggio è una percentuale da 0 a 100.")


# Tests ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    text: str
    choices: tuple[str, ...]
    correct: tuple[int, ...]  # indexes into ``choices``, ascending, each once

    @property
    def multiple(self) -> bool:
        """More than one choice is correct: the participant ticks boxes instead of one radio button."""
        return len(self.correct) > 1


@dataclass(frozen=True)
class FinalTestDraft:
    """A test as the trainer wrote it, validated."""

    pass_percent: int
    attempts_allowed: int
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class FinalTestRequirements:
    """What a course asks of its test: ``course_type`` is the safety type's title (None: not a safety
    course, any size and pass mark)."""

    min_questions: int = 1
    min_pass_percent: int = 1
    course_type: str | None = None


def requirements_for(course_type: CourseType | None) -> FinalTestRequirements:
    """A safety course's minimum questions (30 for a first course, 10 for a refresher) and pass mark."""
    if course_type is None:
        return FinalTestRequirements()
    return FinalTestRequirements(
        min_questions=course_type.final_test_min_questions,
        min_pass_percent=course_type.test_pass_percent,
        course_type=course_type.title,
    )


@dataclass(frozen=True)
class QuestionInput:
    """A question as typed or sent, before validation (values of any type)."""

    text: Any
    choices: Sequence[Any]
    correct: Sequence[Any]


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip()
    digits = text.removeprefix("-")
    if not digits or not (digits.isascii() and digits.isdigit()) or len(digits) > 9:
        return None
    return int(text)


def _validate_question(index: int, raw: QuestionInput, errors: dict[str, str]) -> Question:
    number = index + 1
    prefix = f"questions.{index}"
    text = str(raw.text if raw.text is not None else "").strip().replace("\r\n", "\n").replace("\r", "\n")
    if not text:
        errors[f"{prefix}.text"] = FieldMessage(QUESTION_TEXT_MISSING, number=number)
    elif has_control_characters(text, multi_line=True):
        errors[f"{prefix}.text"] = FieldMessage(QUESTION_TEXT_CONTROL, number=number)
    elif len(text) > MAX_QUESTION_LENGTH:
        errors[f"{prefix}.text"] = FieldMessage(QUESTION_TEXT_TOO_LONG, number=number, max=MAX_QUESTION_LENGTH)

    choices = [str(choice if choice is not None else "").strip() for choice in raw.choices]
    if len(choices) < MIN_CHOICES:
        errors[f"{prefix}.choices"] = FieldMessage(TOO_FEW_CHOICES, number=number, min=MIN_CHOICES)
    elif len(choices) > MAX_CHOICES:
        errors[f"{prefix}.choices"] = FieldMessage(TOO_MANY_CHOICES, number=number, max=MAX_CHOICES)
    else:
        for position, choice in enumerate(choices, start=1):
            if not choice:
                errors[f"{prefix}.choices"] = FieldMessage(CHOICE_EMPTY, number=number, choice=position)
                break
            if has_control_characters(choice) or len(choice) > MAX_CHOICE_LENGTH:
                errors[f"{prefix}.choices"] = FieldMessage(
                    CHOICE_INVALID, number=number, choice=position, max=MAX_CHOICE_LENGTH)
                break
        else:
            if len({" ".join(choice.casefold().split()) for choice in choices}) < len(choices):
                errors[f"{prefix}.choices"] = FieldMessage(CHOICES_REPEATED, number=number)

    correct: set[int] = set()
    for value in raw.correct:
        index_value = _whole_number(value)
        if index_value is None or not 0 <= index_value < len(choices):
            errors[f"{prefix}.correct"] = FieldMessage(CORRECT_OUT_OF_RANGE, number=number, value=str(value)[:20])
            break
        correct.add(index_value)
    else:
        if not correct:
            errors[f"{prefix}.correct"] = FieldMessage(NO_CORRECT_CHOICE, number=number)
    return Question(text=text, choices=tuple(choices), correct=tuple(sorted(correct)))


def validate_test(
    pass_percent: Any,
    attempts_allowed: Any,
    questions: Sequence[QuestionInput],
    requirements: FinalTestRequirements = FinalTestRequirements(),
) -> FinalTestDraft:
    """The test, or :class:`ValidationFailed` naming every mistake: each question's (``questions.2.correct``,
    "Domanda 3: …"), the number of questions (``questions``), the pass mark, the attempts. The exception's
    message is the first mistake, so a one-line answer already says which question is wrong."""
    errors: dict[str, str] = {}
    percent = _whole_number(pass_percent)
    if percent is None or not 1 <= percent <= 100:
        errors["pass_percent"] = FieldMessage(PASS_PERCENT_INVALID, min=1)
    elif percent < requirements.min_pass_percent:
        errors["pass_percent"] = FieldMessage(PASS_PERCENT_SAFETY, min=requirements.min_pass_percent)
    attempts = _whole_number(attempts_allowed)
    if attempts is None or not 1 <= attempts <= MAX_ATTEMPTS_ALLOWED:
        errors["attempts_allowed"] = FieldMessage(ATTEMPTS_INVALID, max=MAX_ATTEMPTS_ALLOWED)
    if len(questions) > MAX_QUESTIONS:
        errors["questions"] = FieldMessage(TOO_MANY_QUESTIONS, max=MAX_QUESTIONS)
        validated: list[Question] = []
    else:
        validated = [_validate_question(index, raw, errors) for index, raw in enumerate(questions)]
        if len(validated) < requirements.min_questions:
            if requirements.course_type is not None:
                errors["questions"] = FieldMessage(
                    TOO_FEW_QUESTIONS_SAFETY, course_type=requirements.course_type,
                    min=requirements.min_questions, count=len(validated))
            else:
                errors["questions"] = FieldMessage(TOO_FEW_QUESTIONS, min=requirements.min_questions,
                                                   count=len(validated))
    if errors:
        first = next(iter(errors.values()))
        raise ValidationFailed(first, errors=errors)
    assert percent is not None and attempts is not None
    return FinalTestDraft(pass_percent=percent, attempts_allowed=attempts, questions=tuple(validated))


# Scoring -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    correct_count: int
    question_count: int
    score_percent: float  # rounded down to one decimal
    passed: bool


def question_right(chosen: Collection[int], correct: Collection[int]) -> bool:
    """Right only when exactly the correct choices are ticked (see the module's docstring)."""
    return set(chosen) == set(correct)


def score_percent(correct_count: int, question_count: int) -> float:
    """The share of right questions in percent, rounded down to one decimal (66.6 for 2 of 3)."""
    if question_count <= 0:
        return 0.0
    return math.floor(correct_count * 1000 / question_count) / 10


def passes(correct_count: int, question_count: int, pass_percent: int) -> bool:
    """``right / questions ≥ pass_percent / 100`` in whole numbers."""
    return question_count > 0 and correct_count * 100 >= pass_percent * question_count


def score_attempt(chosen: Sequence[Collection[int]], correct: Sequence[Collection[int]], pass_percent: int) -> Score:
    """Score answers given per question (stored choice indexes) against the correct ones, in the same order."""
    if len(chosen) != len(correct):
        raise ValueError("one answer per question")
    right = sum(1 for given, expected in zip(chosen, correct, strict=True) if question_right(given, expected))
    total = len(correct)
    return Score(correct_count=right, question_count=total, score_percent=score_percent(right, total),
                 passed=passes(right, total, pass_percent))


def paper_passed(score: float, pass_percent: int) -> bool:
    """A paper test's outcome from the percentage the trainer entered."""
    return score >= pass_percent


def validate_paper_score(value: Any, field_name: str, errors: dict[str, str]) -> float | None:
    """A paper score typed or sent: a number from 0 to 100 (a comma as decimal mark is fine), kept to
    two decimals; the message next to ``field_name`` otherwise."""
    if isinstance(value, bool) or value is None:
        errors[field_name] = PAPER_SCORE_INVALID
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip().replace(",", ".").removesuffix("%").strip()
        try:
            number = float(text) if text and len(text) <= 12 else math.nan
        except ValueError:
            number = math.nan
    if not math.isfinite(number) or not 0 <= number <= 100:
        errors[field_name] = PAPER_SCORE_INVALID
        return None
    return round(number, 2)


def certificate_eligible(attendance_eligible: bool, test_passed: bool | None) -> bool:
    """The attestato goes only to who attended at least the threshold AND passed the final test (ASR
    2025 P. I 6); ``test_passed`` None means the course has no test, and then attendance alone decides."""
    return attendance_eligible and test_passed is not False


# Shuffling -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownQuestion:
    """One question as an attempt shows it: the stored question's id, and its stored choice indexes in
    the order shown (``choices[2] == 0``: the third choice shown is the first one written)."""

    question_id: int
    choices: tuple[int, ...]

    def as_json(self) -> dict[str, Any]:
        return {"question": self.question_id, "choices": list(self.choices)}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> ShownQuestion:
        return cls(question_id=int(value["question"]), choices=tuple(int(i) for i in value["choices"]))


def attempt_seed(enrolment_id: int, attempt_number: int, revision: int) -> str:
    """The seed of one attempt: the same for the same enrolment, attempt and revision of the test."""
    material = f"final-test:{enrolment_id}:{attempt_number}:{revision}".encode()
    return hashlib.sha256(material).hexdigest()[:32]


def _permutation(rng: random.Random, size: int) -> list[int]:
    """Fisher–Yates from ``rng.random()`` alone (stable across Python versions, unlike ``shuffle``)."""
    order = list(range(size))
    for last in range(size - 1, 0, -1):
        other = int(rng.random() * (last + 1))
        order[last], order[other] = order[other], order[last]
    return order


def shuffle_test(seed: str, questions: Sequence[tuple[int, int]]) -> tuple[ShownQuestion, ...]:
    """The order of an attempt: ``questions`` are (question id, number of choices) in the stored order."""
    rng = random.Random(int(seed, 16))
    order = _permutation(rng, len(questions))
    shown = []
    for index in order:
        question_id, choice_count = questions[index]
        shown.append(ShownQuestion(question_id=question_id, choices=tuple(_permutation(rng, choice_count))))
    return tuple(shown)


def answers_to_stored(shown: Sequence[ShownQuestion], answers: Sequence[Any]) -> dict[int, tuple[int, ...]]:
    """Answers given in the order shown (per question, the positions ticked among the choices shown),
    as stored choice indexes per question id; :class:`ValidationFailed` for a missing answer, a position
    that was not shown, or a number of answers other than the number of questions."""
    if len(answers) != len(shown):
        raise ValidationFailed(ANSWERS_COUNT, field="answers", count=len(shown))
    errors: dict[str, str] = {}
    stored: dict[int, tuple[int, ...]] = {}
    for index, (question, given) in enumerate(zip(shown, answers, strict=True)):
        number = index + 1
        positions = given if isinstance(given, list | tuple) else [given]
        picked: set[int] = set()
        for value in positions:
            position = _whole_number(value)
            if position is None or not 0 <= position < len(question.choices):
                errors[f"answers.{index}"] = FieldMessage(ANSWER_OUT_OF_RANGE, number=number, value=str(value)[:20])
                break
            picked.add(question.choices[position])
        else:
            if not picked:
                errors[f"answers.{index}"] = FieldMessage(ANSWER_MISSING, number=number)
        stored[question.question_id] = tuple(sorted(picked))
    if errors:
        raise ValidationFailed(next(iter(errors.values())), errors=errors)
    return stored


# Attempts ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """Where a participant stands with the test, from their attempts (oldest first) and the attempts
    they are allowed (the test's own plus those a trainer granted).

    The latest attempt decides the outcome: a second attempt replaces the first, and a paper result the
    trainer enters or corrects afterwards replaces what came before. Nobody attempts again after
    passing: there is nothing left to prove, and a later fail would take back a pass.
    """

    used: int
    allowed: int
    passed: bool | None  # None: not taken yet
    latest_score: float | None

    @property
    def left(self) -> int:
        return max(0, self.allowed - self.used)

    @property
    def may_attempt(self) -> bool:
        return self.passed is not True and self.left > 0


def standing(attempts: Sequence[tuple[float, bool]], allowed: int) -> Standing:
    """``attempts`` as (score, passed), oldest first."""
    if not attempts:
        return Standing(used=0, allowed=allowed, passed=None, latest_score=None)
    score, passed = attempts[-1]
    return Standing(used=len(attempts), allowed=allowed, passed=passed, latest_score=score)
