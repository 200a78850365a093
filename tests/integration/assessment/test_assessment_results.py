"""What the attendance summary and the certificates read (test_passed, test_results_by_enrolment), and
the final-test report PDF (its text read back with pypdf)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.factories import make_course, make_enrolment, make_person
from tests.integration.assessment.assessment_setup import (
    course_for_test,
    questions,
    right_answers,
    wrong_answers,
)
from tests.support import as_user, bearer, login
from training_hub.assessment import results as outcomes
from training_hub.assessment.report import final_test_report, final_test_report_pdf
from training_hub.core.tables import CourseTrainer


async def _write(client, setup, count: int = 2, **body):
    response = await client.put(f"/api/courses/{setup.course.id}/final-test",
                                json={"questions": questions(count), **body}, headers=await bearer(setup.trainer))
    assert response.status_code == 200, response.text


async def _attempt(client, course_id: int, person, *, right: bool) -> dict:
    headers = await bearer(person)
    shown = (await client.get(f"/api/courses/{course_id}/final-test", headers=headers)).json()["questions"]
    answers = right_answers(shown) if right else wrong_answers(shown)
    response = await client.post(f"/api/courses/{course_id}/final-test/attempts", json={"answers": answers},
                                 headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


# test_passed / test_results_by_enrolment -----------------------------------------------------------


async def test_a_course_without_a_test_leaves_eligibility_to_attendance():
    course = await make_course()
    enrolment = await make_enrolment(await make_person(), course)
    results = await outcomes.test_results_by_enrolment(course.id)
    assert results.required is False and results.test_passed(enrolment.id) is None
    assert await outcomes.test_passed(enrolment.id) is None
    assert await outcomes.test_passed(987654) is None
    assert (await outcomes.test_results_by_enrolment(987654)).required is False


async def test_a_safety_course_without_a_test_yet_has_no_one_who_passed():
    for values in ({"safety_course_type": "lavoratori_generale"}, {"final_test_required": True}):
        course = await make_course(**values)
        enrolment = await make_enrolment(await make_person(), course)
        assert (await outcomes.test_results_by_enrolment(course.id)).test_passed(enrolment.id) is False
        assert await outcomes.test_passed(enrolment.id) is False


async def test_results_per_enrolment_the_latest_attempt_decides(client):
    setup = await course_for_test(participants=3)
    await _write(client, setup)
    anna, bruno, carla = setup.enrolments
    await _attempt(client, setup.course.id, setup.people[0], right=True)
    await _attempt(client, setup.course.id, setup.people[1], right=False)
    results = await outcomes.test_results_by_enrolment(setup.course.id)
    assert results.required
    assert [results.test_passed(e.id) for e in (anna, bruno, carla)] == [True, False, False]
    assert results.by_enrolment[anna.id].score_percent == 100.0 and results.by_enrolment[anna.id].attempts == 1
    assert carla.id not in results.by_enrolment  # not taken
    assert [await outcomes.test_passed(e.id) for e in (anna, bruno, carla)] == [True, False, False]

    # Bruno gets another attempt and passes; then the trainer's paper correction is the latest word.
    trainer = await bearer(setup.trainer)
    await client.post(f"/api/courses/{setup.course.id}/final-test/extra-attempts", json={"enrolment_id": bruno.id},
                      headers=trainer)
    await _attempt(client, setup.course.id, setup.people[1], right=True)
    assert await outcomes.test_passed(bruno.id) is True
    assert (await outcomes.test_results_by_enrolment(setup.course.id)).by_enrolment[bruno.id].attempts == 2
    await client.put(f"/api/courses/{setup.course.id}/final-test/results",
                     json=[{"enrolment_id": carla.id, "score_percent": 55}], headers=trainer)
    assert await outcomes.test_passed(carla.id) is False
    assert (await outcomes.test_results_by_enrolment(setup.course.id)).by_enrolment[carla.id].recorded_via == "paper"


async def test_bulk_results_take_two_queries_whatever_the_participants(client, count_queries):
    setup = await course_for_test(participants=4)
    await _write(client, setup)
    for person in setup.people:
        await _attempt(client, setup.course.id, person, right=True)
    with count_queries():
        results = await outcomes.test_results_by_enrolment(setup.course.id)
    assert count_queries.count == 2 and len(results.by_enrolment) == 4


# The report ----------------------------------------------------------------------------------------


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


async def test_the_report_lists_course_trainers_scores_outcomes_and_the_questions(client):
    setup = await course_for_test(participants=3, safety_course_type="lavoratori_aggiornamento",
                                  title="Aggiornamento sicurezza 2026")
    second_trainer = await make_person("trainer", full_name="Giulia Rossi")
    await CourseTrainer.insert(CourseTrainer(course=setup.course.id, person=second_trainer.id))
    await _write(client, setup, 10)
    await _attempt(client, setup.course.id, setup.people[0], right=True)
    await _attempt(client, setup.course.id, setup.people[1], right=False)

    await login(client, setup.trainer.email)
    response = await client.get(f"/courses/{setup.course.id}/final-test-report.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    assert response.headers["cache-control"] == "private, no-store"
    text = _text(response.content)
    for expected in ("Verbale del test finale di apprendimento", "Aggiornamento sicurezza 2026",
                     "Aggiornamento lavoratori", "D.Lgs. 81/2008", "Marco Bianchi", "Giulia Rossi",
                     "Anna Verdi", "Bruno Neri", "Carla Galli", "Superato", "Non superato", "Non sostenuto",
                     "100%", "0%", "almeno il 70% di risposte esatte", "Domanda numero 10?", "Q10-A-OK",
                     "✓", "Firme", "Data del test"):
        assert expected in text, expected
    # The pending participant is no participant of the test.
    assert "Piera Attesa" not in text


async def test_the_report_is_one_function_from_data_to_pdf_bytes(client):
    setup = await course_for_test(participants=1)
    await _write(client, setup, 1)
    data = await final_test_report(as_user(setup.trainer), setup.course.id)
    content = final_test_report_pdf(data)
    assert content.startswith(b"%PDF") and "Non sostenuto" in _text(content)
    assert data.counts == {"passed": 0, "failed": 0, "not_taken": 1}


async def test_only_who_manages_the_course_downloads_the_report(client):
    setup = await course_for_test()
    await _write(client, setup)
    url = f"/courses/{setup.course.id}/final-test-report.pdf"
    assert (await client.get(url, headers=await bearer(setup.people[0]))).status_code == 403
    assert (await client.get(url, headers=await bearer(setup.colleague))).status_code == 403
    assert (await client.get(url, headers=await bearer(setup.trainer))).status_code == 200
    no_test = await course_for_test(title="Senza test")
    assert (await client.get(f"/courses/{no_test.course.id}/final-test-report.pdf",
                             headers=await bearer(no_test.trainer))).status_code == 404
    assert (await client.get(url)).status_code in (302, 303, 401)
