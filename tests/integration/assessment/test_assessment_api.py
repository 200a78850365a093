"""The final-test API through HTTP: writing the test, who sees what, attempts, paper results, copying.

Bad input of issue #15 (a test without a correct answer, answers out of range or for another course,
a second attempt when not allowed, paper scores outside 0–100) is refused with a clear message and
records nothing; a participant never receives the correct answers, before or after submitting.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from tests.factories import make_cooperative, make_course, make_path, make_person
from tests.integration.assessment.assessment_setup import (
    course_for_test,
    question,
    questions,
    right_answers,
    wrong_answers,
)
from tests.support import bearer
from training_hub.assessment.scoring import ShownQuestion, attempt_seed, shuffle_test
from training_hub.assessment.tables import (
    FinalTest,
    FinalTestAttempt,
    FinalTestExtraAttempt,
    FinalTestQuestion,
)
from training_hub.core.tables import AuditEvent, CourseStatus, PathKind


def _url(course_id: int, tail: str = "") -> str:
    return f"/api/courses/{course_id}/final-test{tail}"


async def _write_test(client, setup, count: int = 3, **body: Any):
    response = await client.put(_url(setup.course.id), json={"questions": questions(count), **body},
                                headers=await bearer(setup.trainer))
    assert response.status_code == 200, response.text
    return response.json()


def _keys(value: Any) -> set[str]:
    """Every key anywhere in a JSON document."""
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in _keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in _keys(item)}
    return set()


def _no_answer_key(response) -> None:
    """Nothing in a participant's response could tell which choices are correct."""
    body = response.json()
    assert not _keys(body) & {"correct", "correct_count", "answers", "shown", "seed"}, body
    assert '"correct"' not in response.text


# Writing the test ----------------------------------------------------------------------------------


async def test_the_trainer_writes_the_test_and_reads_it_back_with_the_answers(client):
    setup = await course_for_test()
    body = await _write_test(client, setup, 3, pass_percent=60)
    assert body["view"] == "manager"
    assert body["pass_percent"] == 60 and body["attempts_allowed"] == 1 and body["question_count"] == 3
    assert body["questions"][1] == {"position": 2, "text": "Domanda numero 2?",
                                    "choices": ["Q2-A-OK", "Q2-B", "Q2-C"], "correct": [0]}
    assert body["locked"] is False and body["revision"] == 1 and body["min_questions"] == 1

    read = await client.get(_url(setup.course.id), headers=await bearer(setup.trainer))
    assert read.status_code == 200 and read.json() == body

    # Rewriting replaces the questions and raises the revision.
    again = await client.put(_url(setup.course.id), json={"questions": questions(2)},
                             headers=await bearer(setup.trainer))
    assert again.json()["revision"] == 2 and again.json()["question_count"] == 2
    assert again.json()["pass_percent"] == 70  # the default
    assert await FinalTestQuestion.count() == 2
    audit = await AuditEvent.select(AuditEvent.action).where(AuditEvent.entity == "course")
    assert [row["action"] for row in audit] == ["final_test.created", "final_test.updated"]


async def test_who_may_write_the_test(client):
    setup = await course_for_test()
    admin = await make_person("admin")
    body = {"questions": questions(1)}
    for person, status in [(setup.people[0], 403), (setup.pending, 403), (setup.colleague, 403), (admin, 200),
                           (setup.trainer, 200)]:
        response = await client.put(_url(setup.course.id), json=body, headers=await bearer(person))
        assert response.status_code == status, (person.full_name, response.text)
    refused = await client.put(_url(setup.course.id), json=body, headers=await bearer(setup.colleague))
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert (await client.put(_url(setup.course.id), json=body)).status_code == 401


async def test_a_cooperatives_internal_course_its_coordinator_writes_others_do_not_see_it(client):
    owner = await make_cooperative()
    coordinator = await make_person("coordinator", cooperative=owner)
    path = await make_path(PathKind.INTERNAL_TRAINING.value, owner_cooperative=owner.id)
    course = await make_course(path)
    outsider = await make_person("worker", cooperative=await make_cooperative())
    other_coordinator = await make_person("coordinator", cooperative=await make_cooperative())
    body = {"questions": questions(1)}
    assert (await client.put(_url(course.id), json=body, headers=await bearer(coordinator))).status_code == 200
    for person in (outsider, other_coordinator):
        assert (await client.put(_url(course.id), json=body, headers=await bearer(person))).status_code == 404
        assert (await client.get(_url(course.id), headers=await bearer(person))).status_code == 404
    assert (await client.get(_url(987654), headers=await bearer(coordinator))).status_code == 404


async def test_a_question_without_a_correct_answer_is_refused_naming_it_and_nothing_is_stored(client):
    setup = await course_for_test()
    await _write_test(client, setup, 2)
    bad = questions(3)
    bad[2]["correct"] = []
    response = await client.put(_url(setup.course.id), json={"questions": bad}, headers=await bearer(setup.trainer))
    assert response.status_code == 422
    problem = response.json()
    assert problem["detail"] == "Domanda 3: indica almeno una risposta corretta."
    assert problem["errors"] == [{"field": "questions.2.correct",
                                  "message": "Domanda 3: indica almeno una risposta corretta."}]
    stored = await FinalTest.select().first()
    assert stored["revision"] == 1 and await FinalTestQuestion.count() == 2  # the test as it was


async def test_other_bad_tests_are_refused_with_the_field_named(client):
    setup = await course_for_test()
    headers = await bearer(setup.trainer)
    cases = [
        ({"questions": [question(1, correct=(5,))]}, "questions.0.correct"),
        ({"questions": [{"text": "?", "choices": ["Sì"], "correct": [0]}]}, "questions.0.choices"),
        ({"questions": [{"text": "", "choices": ["Sì", "No"], "correct": [0]}]}, "questions.0.text"),
        ({"questions": [question(1)], "pass_percent": 101}, "pass_percent"),
        ({"questions": [question(1)], "attempts_allowed": 0}, "attempts_allowed"),
        ({"questions": []}, "questions"),
    ]
    for body, field in cases:
        response = await client.put(_url(setup.course.id), json=body, headers=headers)
        assert response.status_code == 422, response.text
        assert [error["field"] for error in response.json()["errors"]] == [field]
    wrong_type = await client.put(_url(setup.course.id), json={"questions": [{"text": "?", "choices": "AB"}]},
                                  headers=headers)
    assert wrong_type.status_code == 400
    assert await FinalTest.count() == 0


async def test_a_safety_course_needs_30_questions_a_refresher_10(client):
    first = await course_for_test(safety_course_type="preposto")
    headers = await bearer(first.trainer)
    short = await client.put(_url(first.course.id), json={"questions": questions(29)}, headers=headers)
    assert short.status_code == 422
    assert short.json()["detail"] == "Per un corso «Formazione preposti» il test ha almeno 30 domande: ora ne ha 29."
    low = await client.put(_url(first.course.id), json={"questions": questions(30), "pass_percent": 60},
                           headers=headers)
    assert low.status_code == 422 and low.json()["errors"][0]["field"] == "pass_percent"
    ok = await client.put(_url(first.course.id), json={"questions": questions(30)}, headers=headers)
    assert ok.status_code == 200 and ok.json()["min_questions"] == 30

    refresher = await course_for_test(safety_course_type="preposto_aggiornamento")
    response = await client.put(_url(refresher.course.id), json={"questions": questions(10)},
                                headers=await bearer(refresher.trainer))
    assert response.status_code == 200 and response.json()["min_questions"] == 10


async def test_once_taken_questions_and_pass_mark_are_frozen_but_attempts_may_change(client):
    setup = await course_for_test()
    await _write_test(client, setup, 2)
    participant = await bearer(setup.people[0])
    shown = (await client.get(_url(setup.course.id), headers=participant)).json()["questions"]
    await client.post(_url(setup.course.id, "/attempts"), json={"answers": wrong_answers(shown)}, headers=participant)

    headers = await bearer(setup.trainer)
    changed = await client.put(_url(setup.course.id), json={"questions": questions(3)}, headers=headers)
    assert changed.status_code == 409
    assert "domande e soglia non si possono più cambiare" in changed.json()["detail"]
    stricter = await client.put(_url(setup.course.id), json={"questions": questions(2), "pass_percent": 90},
                                headers=headers)
    assert stricter.status_code == 409
    more = await client.put(_url(setup.course.id), json={"questions": questions(2), "attempts_allowed": 2},
                            headers=headers)
    assert more.status_code == 200 and more.json()["attempts_allowed"] == 2 and more.json()["locked"] is True
    assert more.json()["revision"] == 1


# Who sees what -------------------------------------------------------------------------------------


async def test_a_confirmed_participant_sees_the_questions_shuffled_and_never_the_answers(client):
    setup = await course_for_test()
    await _write_test(client, setup, 6, pass_percent=50)
    headers = await bearer(setup.people[0])
    response = await client.get(_url(setup.course.id), headers=headers)
    assert response.status_code == 200
    body = response.json()
    _no_answer_key(response)
    assert body["view"] == "participant" and body["state"] == "open"
    assert body["attempts_left"] == 1 and body["latest"] is None and body["pass_percent"] == 50
    assert [q["number"] for q in body["questions"]] == [1, 2, 3, 4, 5, 6]
    assert sorted(q["text"] for q in body["questions"]) == sorted(q["text"] for q in questions(6))
    for shown in body["questions"]:
        number = int(shown["text"].split()[-1].rstrip("?"))
        assert sorted(shown["choices"]) == sorted(question(number)["choices"])
        assert shown["multiple"] is False

    # The same order on every reading; another participant gets an order of their own.
    assert (await client.get(_url(setup.course.id), headers=headers)).json()["questions"] == body["questions"]
    other = (await client.get(_url(setup.course.id), headers=await bearer(setup.people[1]))).json()["questions"]
    assert sorted(q["text"] for q in other) == sorted(q["text"] for q in body["questions"])
    # The order is the stored shuffle of this enrolment's first attempt.
    stored = {row["id"]: row for row in await FinalTestQuestion.select()}
    test = await FinalTest.select().first()
    layout = [(row["id"], 3) for row in sorted(stored.values(), key=lambda row: row["position"])]
    expected = shuffle_test(attempt_seed(setup.enrolments[0].id, 1, test["revision"]), layout)
    assert [q["text"] for q in body["questions"]] == [stored[item.question_id]["text"] for item in expected]


async def test_a_multiple_answer_question_asks_for_every_right_choice(client):
    setup = await course_for_test()
    response = await client.put(_url(setup.course.id), json={"questions": [question(1, choices=4, correct=(1, 3))]},
                                headers=await bearer(setup.trainer))
    assert response.status_code == 200
    participant = await bearer(setup.people[0])
    [shown] = (await client.get(_url(setup.course.id), headers=participant)).json()["questions"]
    assert shown["multiple"] is True
    one_of_two = [[right_answers([shown])[0][0]]]
    result = await client.post(_url(setup.course.id, "/attempts"), json={"answers": one_of_two}, headers=participant)
    assert result.json()["score_percent"] == 0 and result.json()["passed"] is False


async def test_who_may_read_the_test(client):
    setup = await course_for_test()
    await _write_test(client, setup)
    for person, status in [(setup.pending, 403), (setup.colleague, 403)]:
        response = await client.get(_url(setup.course.id), headers=await bearer(person))
        assert response.status_code == status
        assert response.json()["detail"] == "Il test finale è riservato ai partecipanti confermati del corso."
    assert (await client.get(_url(setup.course.id))).status_code == 401


async def test_no_test_yet_is_404_for_everyone(client):
    setup = await course_for_test()
    for person in (setup.trainer, setup.people[0]):
        response = await client.get(_url(setup.course.id), headers=await bearer(person))
        assert response.status_code == 404
        assert response.json()["detail"] == "Il corso non ha ancora un test finale."


async def test_before_the_last_session_starts_the_test_is_closed(client):
    setup = await course_for_test(open_=False)
    await _write_test(client, setup)
    headers = await bearer(setup.people[0])
    response = await client.get(_url(setup.course.id), headers=headers)
    body = response.json()
    assert body["state"] == "not_open" and body["questions"] == [] and body["opens_at"].endswith("+01:00")
    attempt = await client.post(_url(setup.course.id, "/attempts"), json={"answers": [[0], [0], [0]]}, headers=headers)
    assert attempt.status_code == 409
    assert attempt.json()["detail"].startswith("Il test finale si apre all'inizio dell'ultimo incontro: ")
    paper = await client.put(_url(setup.course.id, "/results"),
                             json=[{"enrolment_id": setup.enrolments[0].id, "score_percent": 80}],
                             headers=await bearer(setup.trainer))
    assert paper.status_code == 409
    assert await FinalTestAttempt.count() == 0


# Attempts ------------------------------------------------------------------------------------------


async def test_an_attempt_is_scored_in_the_order_shown_and_only_score_and_outcome_come_back(client):
    setup = await course_for_test()
    await _write_test(client, setup, 4)
    headers = await bearer(setup.people[0])
    shown = (await client.get(_url(setup.course.id), headers=headers)).json()
    answers = right_answers(shown["questions"])
    answers[0] = wrong_answers(shown["questions"])[0]  # 3 of 4 right: 75%
    response = await client.post(_url(setup.course.id, "/attempts"),
                                 json={"answers": answers, "revision": shown["revision"]}, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json() == {"score_percent": 75.0, "passed": True, "attempts_left": 0}
    _no_answer_key(response)

    [attempt] = await FinalTestAttempt.select()
    assert attempt["enrolment"] == setup.enrolments[0].id and attempt["recorded_via"] == "app"
    assert (attempt["correct_count"], attempt["question_count"], attempt["passed"]) == (3, 4, True)
    assert attempt["recorded_by"] == setup.people[0].id
    stored_answers = json.loads(attempt["answers"]) if isinstance(attempt["answers"], str) else attempt["answers"]
    stored_shown = json.loads(attempt["shown"]) if isinstance(attempt["shown"], str) else attempt["shown"]
    assert stored_answers == answers
    # The order stored is the order shown, and the seed reproduces it.
    texts = {row["id"]: row["text"] for row in await FinalTestQuestion.select()}
    assert [texts[item["question"]] for item in stored_shown] == [q["text"] for q in shown["questions"]]
    layout = [(row["id"], 3) for row in await FinalTestQuestion.select().order_by(FinalTestQuestion.position)]
    assert tuple(ShownQuestion.from_json(item) for item in stored_shown) == shuffle_test(attempt["seed"], layout)

    after = await client.get(_url(setup.course.id), headers=headers)
    _no_answer_key(after)
    body = after.json()
    assert body["state"] == "passed" and body["questions"] == []
    assert body["latest"]["score_percent"] == 75.0 and body["latest"]["recorded_via"] == "app"


async def test_answers_out_of_range_or_miscounted_are_refused_and_nothing_is_recorded(client):
    setup = await course_for_test()
    await _write_test(client, setup, 3)
    headers = await bearer(setup.people[0])
    shown = (await client.get(_url(setup.course.id), headers=headers)).json()["questions"]
    answers = right_answers(shown)
    for bad, field in [
        ([answers[0], answers[1], [3]], "answers.2"),
        ([answers[0], [-1], answers[2]], "answers.1"),
        ([answers[0], answers[1], []], "answers.2"),
        (answers[:2], "answers"),
    ]:
        response = await client.post(_url(setup.course.id, "/attempts"), json={"answers": bad}, headers=headers)
        assert response.status_code == 422, response.text
        assert [error["field"] for error in response.json()["errors"]] == [field]
        _no_answer_key(response)
    out_of_range = await client.post(_url(setup.course.id, "/attempts"),
                                     json={"answers": [answers[0], answers[1], [7]]}, headers=headers)
    assert out_of_range.json()["detail"] == "Domanda 3: la risposta indicata (7) non è tra quelle proposte."
    assert await FinalTestAttempt.count() == 0
    # Still a first attempt: the same order, and it can be taken.
    assert (await client.get(_url(setup.course.id), headers=headers)).json()["questions"] == shown
    assert (await client.post(_url(setup.course.id, "/attempts"), json={"answers": answers},
                              headers=headers)).status_code == 201


async def test_an_attempt_for_another_course_is_refused(client):
    setup = await course_for_test()
    other = await course_for_test(title="Altro corso")
    await _write_test(client, setup, 2)
    await _write_test(client, other, 2)
    # A participant of the other course answers this course's test.
    outsider = await bearer(other.people[0])
    response = await client.post(_url(setup.course.id, "/attempts"), json={"answers": [[0], [0]]}, headers=outsider)
    assert response.status_code == 403
    pending = await client.post(_url(setup.course.id, "/attempts"), json={"answers": [[0], [0]]},
                                headers=await bearer(setup.pending))
    assert pending.status_code == 403
    assert await FinalTestAttempt.count() == 0


async def test_a_second_attempt_needs_the_trainers_permission(client):
    setup = await course_for_test()
    await _write_test(client, setup, 2)
    headers = await bearer(setup.people[0])
    first = (await client.get(_url(setup.course.id), headers=headers)).json()["questions"]
    failed = await client.post(_url(setup.course.id, "/attempts"), json={"answers": wrong_answers(first)},
                               headers=headers)
    assert failed.json() == {"score_percent": 0.0, "passed": False, "attempts_left": 0}
    again = await client.post(_url(setup.course.id, "/attempts"), json={"answers": right_answers(first)},
                              headers=headers)
    assert again.status_code == 409
    assert again.json()["detail"] == "Hai già svolto il test finale. Un altro tentativo può concederlo solo il formatore."
    assert await FinalTestAttempt.count() == 1
    state = (await client.get(_url(setup.course.id), headers=headers)).json()
    assert state["state"] == "no_attempts_left" and state["questions"] == []

    trainer = await bearer(setup.trainer)
    results = (await client.get(_url(setup.course.id, "/results"), headers=trainer)).json()
    row = next(r for r in results if r["enrolment_id"] == setup.enrolments[0].id)
    assert row["outcome"] == "failed" and row["can_grant_attempt"] is True
    not_needed = await client.post(_url(setup.course.id, "/extra-attempts"),
                                   json={"enrolment_id": setup.enrolments[1].id}, headers=trainer)
    assert not_needed.status_code == 409  # Bruno has not used his attempt yet
    denied = await client.post(_url(setup.course.id, "/extra-attempts"), json={"enrolment_id": setup.enrolments[0].id},
                               headers=headers)
    assert denied.status_code == 403
    granted = await client.post(_url(setup.course.id, "/extra-attempts"),
                                json={"enrolment_id": setup.enrolments[0].id, "reason": "Connessione caduta"},
                                headers=trainer)
    assert granted.status_code == 201, granted.text
    assert granted.json()["attempts_allowed"] == 2 and granted.json()["can_grant_attempt"] is False
    assert await FinalTestExtraAttempt.count() == 1

    second = (await client.get(_url(setup.course.id), headers=headers)).json()
    assert second["state"] == "open" and second["attempts_used"] == 1 and second["attempts_left"] == 1
    passed = await client.post(_url(setup.course.id, "/attempts"),
                               json={"answers": right_answers(second["questions"])}, headers=headers)
    assert passed.json() == {"score_percent": 100.0, "passed": True, "attempts_left": 0}
    after_pass = await client.post(_url(setup.course.id, "/extra-attempts"),
                                   json={"enrolment_id": setup.enrolments[0].id}, headers=trainer)
    assert after_pass.status_code == 409 and "ha già superato il test" in after_pass.json()["detail"]


async def test_two_submissions_at_once_record_one_attempt(client):
    setup = await course_for_test()
    await _write_test(client, setup, 2)
    headers = await bearer(setup.people[0])
    shown = (await client.get(_url(setup.course.id), headers=headers)).json()["questions"]
    body = {"answers": right_answers(shown)}
    responses = await asyncio.gather(*[client.post(_url(setup.course.id, "/attempts"), json=body, headers=headers)
                                       for _ in range(3)])
    assert sorted(r.status_code for r in responses) == [201, 409, 409]
    assert await FinalTestAttempt.count() == 1


async def test_an_attempt_for_a_test_changed_meanwhile_is_refused(client):
    setup = await course_for_test()
    await _write_test(client, setup, 2)
    headers = await bearer(setup.people[0])
    shown = (await client.get(_url(setup.course.id), headers=headers)).json()
    await _write_test(client, setup, 3)  # the trainer adds a question meanwhile
    response = await client.post(_url(setup.course.id, "/attempts"),
                                 json={"answers": right_answers(shown["questions"]), "revision": shown["revision"]},
                                 headers=headers)
    assert response.status_code == 409
    assert await FinalTestAttempt.count() == 0


async def test_a_cancelled_course_takes_no_attempt(client):
    setup = await course_for_test()
    await _write_test(client, setup, 1)
    from training_hub.core.tables import Course

    await Course.update({Course.status: CourseStatus.CANCELLED.value}).where(Course.id == setup.course.id)
    headers = await bearer(setup.people[0])
    assert (await client.get(_url(setup.course.id), headers=headers)).json()["state"] == "closed"
    response = await client.post(_url(setup.course.id, "/attempts"), json={"answers": [[0]]}, headers=headers)
    assert response.status_code == 409 and await FinalTestAttempt.count() == 0


async def test_reading_the_test_costs_the_same_queries_for_5_or_40_questions(client, count_queries):
    counts = []
    for size in (5, 40):
        setup = await course_for_test(title=f"Corso {size}")
        await _write_test(client, setup, size)
        headers = await bearer(setup.people[0])
        with count_queries():
            response = await client.get(_url(setup.course.id), headers=headers)
        assert response.status_code == 200 and len(response.json()["questions"]) == size
        counts.append(count_queries.count)
    assert counts[0] == counts[1] <= 14, counts


# Paper results -------------------------------------------------------------------------------------


async def test_paper_results_are_recorded_and_corrected(client):
    setup = await course_for_test()
    await _write_test(client, setup, 2)
    headers = await bearer(setup.trainer)
    anna, bruno = setup.enrolments
    response = await client.put(_url(setup.course.id, "/results"), headers=headers, json=[
        {"enrolment_id": anna.id, "score_percent": 80}, {"enrolment_id": bruno.id, "score_percent": 69.5}])
    assert response.status_code == 200, response.text
    assert [(r["enrolment_id"], r["outcome"], r["score_percent"], r["recorded_via"]) for r in response.json()] == [
        (anna.id, "passed", 80.0, "paper"), (bruno.id, "failed", 69.5, "paper")]
    corrected = await client.put(_url(setup.course.id, "/results"), headers=headers,
                                 json=[{"enrolment_id": bruno.id, "score_percent": 72}])
    assert corrected.json()[0]["outcome"] == "passed"
    assert await FinalTestAttempt.count() == 2  # corrected, not added
    audit = await AuditEvent.select(AuditEvent.data).where(AuditEvent.action == "final_test.paper_result")
    datas = [json.loads(row["data"]) if isinstance(row["data"], str) else row["data"] for row in audit]
    assert datas[-1]["previous_score_percent"] == 69.5 and datas[-1]["score_percent"] == 72.0
    # A paper test counts as the attempt: no app attempt on top.
    participant = await bearer(setup.people[1])
    state = (await client.get(_url(setup.course.id), headers=participant)).json()
    assert state["state"] == "passed" and state["latest"]["recorded_via"] == "paper"


async def test_paper_scores_outside_0_to_100_or_for_someone_else_record_nothing(client):
    setup = await course_for_test()
    other = await course_for_test(title="Altro corso")
    await _write_test(client, setup, 2)
    headers = await bearer(setup.trainer)
    anna, bruno = setup.enrolments
    cases = [
        ([{"enrolment_id": anna.id, "score_percent": 101}], "0.score_percent"),
        ([{"enrolment_id": anna.id, "score_percent": 80}, {"enrolment_id": bruno.id, "score_percent": -1}],
         "1.score_percent"),
        ([{"enrolment_id": other.enrolments[0].id, "score_percent": 80}], "0.enrolment_id"),
        ([{"enrolment_id": setup.pending_enrolment.id, "score_percent": 80}], "0.enrolment_id"),
        ([{"enrolment_id": anna.id, "score_percent": 80}, {"enrolment_id": anna.id, "score_percent": 90}],
         "1.enrolment_id"),
    ]
    for body, field in cases:
        response = await client.put(_url(setup.course.id, "/results"), json=body, headers=headers)
        assert response.status_code == 422, response.text
        assert [error["field"] for error in response.json()["errors"]] == [field]
    high = await client.put(_url(setup.course.id, "/results"), json=cases[0][0], headers=headers)
    assert high.json()["detail"] == "Riga 1: il punteggio è una percentuale da 0 a 100."
    assert await FinalTestAttempt.count() == 0
    for person in (setup.people[0], setup.colleague):
        response = await client.put(_url(setup.course.id, "/results"),
                                    json=[{"enrolment_id": anna.id, "score_percent": 100}], headers=await bearer(person))
        assert response.status_code == 403
    assert await FinalTestAttempt.count() == 0


async def test_paper_results_need_the_test_written_first(client):
    setup = await course_for_test()
    response = await client.put(_url(setup.course.id, "/results"),
                                json=[{"enrolment_id": setup.enrolments[0].id, "score_percent": 80}],
                                headers=await bearer(setup.trainer))
    assert response.status_code == 404


# Copying the last edition --------------------------------------------------------------------------


async def test_copy_the_last_editions_test(client):
    old = await course_for_test(title="Primo soccorso")
    await _write_test(client, old, 4, pass_percent=80, attempts_allowed=2)
    newer = await make_course(await _path_of(old), trainers=[old.trainer], title="Primo soccorso",
                              status=CourseStatus.DRAFT.value)
    headers = await bearer(old.trainer)
    response = await client.post(_url(newer.id, "/copy"), json={}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["copied_from"] == old.course.id and body["question_count"] == 4
    assert (body["pass_percent"], body["attempts_allowed"]) == (80, 2)
    assert body["questions"][0]["correct"] == [0]

    # A course with another title in the same path has no last edition; a chosen course works.
    unrelated = await make_course(await _path_of(old), trainers=[old.trainer], title="Altro")
    none = await client.post(_url(unrelated.id, "/copy"), json={}, headers=headers)
    assert none.status_code == 404 and none.json()["errors"][0]["field"] == "source_course_id"
    chosen = await client.post(_url(unrelated.id, "/copy"), json={"source_course_id": old.course.id}, headers=headers)
    assert chosen.status_code == 200 and chosen.json()["copied_from"] == old.course.id
    itself = await client.post(_url(unrelated.id, "/copy"), json={"source_course_id": unrelated.id}, headers=headers)
    assert itself.status_code == 409


async def test_copying_checks_the_new_course_and_the_source_managed(client):
    refresher = await course_for_test(title="Preposti", safety_course_type="preposto_aggiornamento")
    await _write_test(client, refresher, 10)
    first = await make_course(await _path_of(refresher), trainers=[refresher.trainer], title="Preposti 2027",
                              safety_course_type="preposto")
    headers = await bearer(refresher.trainer)
    response = await client.post(_url(first.id, "/copy"), json={"source_course_id": refresher.course.id},
                                 headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == "Per un corso «Formazione preposti» il test ha almeno 30 domande: ora ne ha 10."
    assert await FinalTest.count() == 1

    # Another trainer's course: its answers are not theirs to copy.
    stranger = await make_person("trainer")
    own = await make_course(await _path_of(refresher), trainers=[stranger], title="Preposti")
    theirs = await client.post(_url(own.id, "/copy"), json={"source_course_id": refresher.course.id},
                               headers=await bearer(stranger))
    assert theirs.status_code == 403
    last = await client.post(_url(own.id, "/copy"), json={}, headers=await bearer(stranger))
    assert last.status_code == 403 and "non gestisci" in last.json()["detail"]
    assert await FinalTest.count() == 1


async def _path_of(setup) -> Any:
    from training_hub.core.tables import TrainingPath

    return await TrainingPath.objects().get(TrainingPath.id == setup.course.path)


# The OpenAPI schema documents the typed responses --------------------------------------------------


async def test_openapi_documents_both_views(client):
    schema = (await client.get("/schema/openapi.json")).json()
    get_op = schema["paths"]["/api/courses/{course_id}/final-test"]["get"]
    refs = {item["$ref"].rsplit("/", 1)[-1] for item in
            get_op["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"]}
    assert refs == {"FinalTestManagerOut", "FinalTestParticipantOut"}
    assert "correct" not in schema["components"]["schemas"]["FinalTestParticipantOut"]["properties"]
    assert "correct" not in schema["components"]["schemas"]["QuestionShownOut"]["properties"]
