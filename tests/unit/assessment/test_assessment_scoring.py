"""The final test's pure rules: a valid test, the scoring rule, the per-attempt shuffle, mapping back."""

from __future__ import annotations

import random

import pytest

from training_hub.assessment.scoring import (
    MAX_CHOICES,
    FinalTestRequirements,
    QuestionInput,
    ShownQuestion,
    answers_to_stored,
    attempt_seed,
    certificate_eligible,
    passes,
    question_right,
    requirements_for,
    score_attempt,
    score_percent,
    shuffle_test,
    standing,
    validate_paper_score,
    validate_test,
)
from training_hub.core.errors import ValidationFailed
from training_hub.core.i18n import language
from training_hub.safety.course_types import course_type


def _q(text: str = "Domanda?", choices: tuple[str, ...] = ("Sì", "No", "Forse"), correct: tuple = (0,)) -> QuestionInput:
    return QuestionInput(text=text, choices=list(choices), correct=list(correct))


def _questions(count: int) -> list[QuestionInput]:
    return [_q(f"Domanda {n}?") for n in range(count)]


def _refusal(excinfo: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    with language("it"):
        return excinfo.value.field_errors


# Validation ----------------------------------------------------------------------------------------


def test_a_valid_test_keeps_texts_trimmed_and_correct_indexes_sorted_once():
    draft = validate_test("70", 1, [_q("  Il 112 è?  ", ("Emergenze", "Pizzeria"), (1, 0, 0))])
    assert draft.pass_percent == 70 and draft.attempts_allowed == 1
    assert draft.questions[0].text == "Il 112 è?"
    assert draft.questions[0].correct == (0, 1)
    assert draft.questions[0].multiple


def test_a_question_without_a_correct_answer_is_refused_naming_it():
    with pytest.raises(ValidationFailed) as excinfo:
        validate_test(70, 1, [_q(), _q(), _q(correct=())])
    errors = _refusal(excinfo)
    assert errors == {"questions.2.correct": "Domanda 3: indica almeno una risposta corretta."}
    with language("it"):
        assert excinfo.value.detail == "Domanda 3: indica almeno una risposta corretta."


@pytest.mark.parametrize(("question", "field", "message"), [
    (_q(text=" "), "text", "Domanda 1: scrivi il testo della domanda."),
    (_q(choices=("Solo una",)), "choices", "Domanda 1: servono almeno 2 risposte possibili."),
    (_q(choices=("A", "a ")), "choices", "Domanda 1: due risposte possibili sono uguali."),
    (_q(choices=("A", "")), "choices", "Domanda 1: la risposta 2 è vuota."),
    (_q(choices=tuple("ABCDEFG")), "choices", f"Domanda 1: al massimo {MAX_CHOICES} risposte possibili."),
    (_q(correct=(3,)), "correct", "Domanda 1: la risposta corretta indicata (3) non è tra quelle scritte."),
    (_q(correct=(-1,)), "correct", "Domanda 1: la risposta corretta indicata (-1) non è tra quelle scritte."),
    (_q(text="Riga\x1b"), "text", "Domanda 1: il testo contiene caratteri di controllo non ammessi."),
])
def test_each_bad_question_gets_its_own_message(question, field, message):
    with pytest.raises(ValidationFailed) as excinfo:
        validate_test(70, 1, [question])
    assert _refusal(excinfo) == {f"questions.0.{field}": message}


@pytest.mark.parametrize("pass_percent", [0, 101, "", "settanta", None, True, -5])
def test_the_pass_mark_is_a_whole_percent_from_1_to_100(pass_percent):
    with pytest.raises(ValidationFailed) as excinfo:
        validate_test(pass_percent, 1, [_q()])
    assert set(_refusal(excinfo)) == {"pass_percent"}


@pytest.mark.parametrize("attempts", [0, 11, "uno"])
def test_attempts_allowed_are_1_to_10(attempts):
    with pytest.raises(ValidationFailed) as excinfo:
        validate_test(70, attempts, [_q()])
    assert set(_refusal(excinfo)) == {"attempts_allowed"}


def test_a_test_needs_at_least_one_question():
    with pytest.raises(ValidationFailed) as excinfo:
        validate_test(70, 1, [])
    assert _refusal(excinfo) == {"questions": "Domande nel test: 0; ne servono almeno 1."}


def test_a_safety_first_course_needs_30_questions_and_a_refresher_10():
    first = requirements_for(course_type("preposto"))
    refresher = requirements_for(course_type("preposto_aggiornamento"))
    assert (first.min_questions, refresher.min_questions) == (30, 10)
    assert first.min_pass_percent == refresher.min_pass_percent == 70
    with pytest.raises(ValidationFailed) as excinfo:
        validate_test(70, 1, _questions(29), first)
    assert _refusal(excinfo) == {
        "questions": "Per un corso «Formazione preposti» il test ha almeno 30 domande: ora ne ha 29."}
    assert len(validate_test(70, 1, _questions(30), first).questions) == 30
    assert len(validate_test(70, 1, _questions(10), refresher).questions) == 10
    with pytest.raises(ValidationFailed):
        validate_test(70, 1, _questions(9), refresher)


def test_a_safety_course_cannot_be_passed_below_70_percent_any_other_can():
    with pytest.raises(ValidationFailed) as excinfo:
        validate_test(60, 1, _questions(10), requirements_for(course_type("lavoratori_aggiornamento")))
    assert _refusal(excinfo) == {"pass_percent": "Per un corso sulla sicurezza la soglia è almeno il 70% di risposte esatte."}
    assert validate_test(60, 1, [_q()], FinalTestRequirements()).pass_percent == 60
    assert requirements_for(None) == FinalTestRequirements(min_questions=1, min_pass_percent=1)


def test_every_mistake_is_reported_at_once():
    with pytest.raises(ValidationFailed) as excinfo:
        validate_test(0, 1, [_q(text=""), _q(), _q(correct=())])
    assert set(_refusal(excinfo)) == {"pass_percent", "questions.0.text", "questions.2.correct"}


# Scoring -------------------------------------------------------------------------------------------


def test_a_question_is_right_only_with_exactly_the_correct_choices():
    assert question_right([0, 2], (2, 0))
    assert not question_right([0], (0, 2))  # one right choice missing
    assert not question_right([0, 1, 2], (0, 2))  # a wrong choice added
    assert not question_right([], (0,))


def test_21_of_30_passes_at_70_percent_and_20_does_not():
    assert passes(21, 30, 70) and not passes(20, 30, 70)
    assert passes(7, 10, 70) and not passes(6, 10, 70)
    assert score_percent(20, 30) == 66.6  # rounded down: a shown score never exceeds the real one
    assert score_percent(2, 3) == 66.6 and score_percent(1, 3) == 33.3 and score_percent(3, 3) == 100.0
    # A score that would round up to the pass mark still fails, and is never shown as 70.
    assert not passes(699, 1000, 70) and score_percent(699, 1000) == 69.9


def test_score_an_attempt():
    correct = [(0,), (1, 2), (0,)]
    score = score_attempt([(0,), (2, 1), (1,)], correct, 60)
    assert (score.correct_count, score.question_count, score.score_percent, score.passed) == (2, 3, 66.6, True)
    assert not score_attempt([(0,), (1,), (1,)], correct, 60).passed
    with pytest.raises(ValueError):
        score_attempt([(0,)], correct, 60)


@pytest.mark.parametrize(("value", "expected"), [
    (0, 0.0), (100, 100.0), ("72,5", 72.5), ("72.5%", 72.5), (66.666, 66.67), (" 80 ", 80.0),
])
def test_paper_scores_from_0_to_100(value, expected):
    errors: dict[str, str] = {}
    assert validate_paper_score(value, "score", errors) == expected and not errors


@pytest.mark.parametrize("value", [101, -1, 100.01, "", "tanto", None, True, float("nan"), float("inf")])
def test_paper_scores_outside_0_to_100_are_refused(value):
    errors: dict[str, str] = {}
    assert validate_paper_score(value, "score", errors) is None
    assert errors == {"score": "Il punteggio è una percentuale da 0 a 100."}


def test_certificate_needs_the_threshold_and_a_passed_test_when_there_is_one():
    assert certificate_eligible(True, True)
    assert not certificate_eligible(True, False)  # 95% attended, test failed: no attestato
    assert not certificate_eligible(False, True)  # 89% attended, test passed: no attestato
    assert certificate_eligible(True, None)  # no test in this course: attendance decides
    assert not certificate_eligible(False, None)


def test_standing_the_latest_attempt_decides_and_nobody_retries_after_passing():
    fresh = standing([], 1)
    assert (fresh.used, fresh.left, fresh.passed, fresh.may_attempt) == (0, 1, None, True)
    failed = standing([(40.0, False)], 1)
    assert (failed.left, failed.passed, failed.may_attempt) == (0, False, False)
    retried = standing([(40.0, False), (80.0, True)], 2)
    assert retried.passed and retried.latest_score == 80.0 and not retried.may_attempt
    passed_with_spare = standing([(90.0, True)], 3)
    assert passed_with_spare.left == 2 and not passed_with_spare.may_attempt


# Shuffling -----------------------------------------------------------------------------------------


LAYOUT = [(11, 3), (12, 2), (13, 4), (14, 3), (15, 5)]


def test_the_shuffle_is_stable_for_one_attempt_and_differs_for_the_next():
    seed = attempt_seed(enrolment_id=7, attempt_number=1, revision=1)
    assert seed == attempt_seed(7, 1, 1) and len(seed) == 32
    first = shuffle_test(seed, LAYOUT)
    assert first == shuffle_test(seed, LAYOUT)
    assert sorted(item.question_id for item in first) == [11, 12, 13, 14, 15]
    for item in first:
        assert sorted(item.choices) == list(range(dict(LAYOUT)[item.question_id]))
    others = {shuffle_test(attempt_seed(7, n, 1), LAYOUT) for n in range(2, 8)}
    assert any(other != first for other in others)
    assert attempt_seed(7, 1, 2) != seed and attempt_seed(8, 1, 1) != seed


def test_the_shuffle_is_fixed_by_its_seed_whatever_else_random_does():
    """The permutation depends only on Random(seed).random(), whose sequence Python guarantees:
    the same seed gives this same order on any machine and version."""
    random.seed(12345)
    shown = shuffle_test("00000000000000000000000000000001", [(1, 3), (2, 3), (3, 3)])
    random.seed(999)
    assert shuffle_test("00000000000000000000000000000001", [(1, 3), (2, 3), (3, 3)]) == shown
    assert shown == (
        ShownQuestion(question_id=3, choices=(1, 0, 2)),
        ShownQuestion(question_id=2, choices=(2, 0, 1)),
        ShownQuestion(question_id=1, choices=(0, 2, 1)),
    )


def test_answers_given_in_the_order_shown_map_back_to_the_stored_choices():
    shown = (ShownQuestion(question_id=12, choices=(1, 0)), ShownQuestion(question_id=11, choices=(2, 0, 1)))
    assert answers_to_stored(shown, [[0], [1, 0, 0]]) == {12: (1,), 11: (0, 2)}
    assert ShownQuestion.from_json(shown[1].as_json()) == shown[1]


@pytest.mark.parametrize(("answers", "errors"), [
    ([[0]], {"answers": "Le risposte devono essere 2, una per domanda nell'ordine mostrato."}),
    ([[0], []], {"answers.1": "Domanda 2: scegli una risposta."}),
    ([[2], [0]], {"answers.0": "Domanda 1: la risposta indicata (2) non è tra quelle proposte."}),
    ([[0], [-1]], {"answers.1": "Domanda 2: la risposta indicata (-1) non è tra quelle proposte."}),
    ([["x"], [0]], {"answers.0": "Domanda 1: la risposta indicata (x) non è tra quelle proposte."}),
])
def test_answers_out_of_range_missing_or_miscounted_are_refused(answers, errors):
    shown = (ShownQuestion(question_id=12, choices=(1, 0)), ShownQuestion(question_id=11, choices=(2, 0, 1)))
    with pytest.raises(ValidationFailed) as excinfo:
        answers_to_stored(shown, answers)
    assert _refusal(excinfo) == errors
