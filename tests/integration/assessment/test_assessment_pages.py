"""The final-test pages, as a browser uses them (no JavaScript): the trainer's editor, results and
paper scores, the participant's test on a phone."""

from __future__ import annotations

import re

from tests.factories import make_course
from tests.integration.assessment.assessment_setup import course_for_test, questions, right_answers
from tests.support import bearer, login, post_form
from training_hub.assessment.tables import (
    FinalTest,
    FinalTestAttempt,
    FinalTestExtraAttempt,
    FinalTestQuestion,
)
from training_hub.core.tables import TrainingPath


def _block(number: int, text: str, choices: list[str], correct: list[int]) -> dict[str, object]:
    data: dict[str, object] = {f"q{number}-text": text}
    for slot, choice in enumerate(choices):
        data[f"q{number}-choice{slot}"] = choice
    data[f"q{number}-correct"] = [str(slot) for slot in correct]
    return data


async def _api_write(client, setup, count: int = 2) -> None:
    response = await client.put(f"/api/courses/{setup.course.id}/final-test", json={"questions": questions(count)},
                                headers=await bearer(setup.trainer))
    assert response.status_code == 200, response.text


# The editor ----------------------------------------------------------------------------------------


async def test_the_trainer_writes_a_test_in_numbered_blocks(client):
    setup = await course_for_test()
    await login(client, setup.trainer.email)
    url = f"/courses/{setup.course.id}/final-test/edit"
    page = await client.get(url)
    assert page.status_code == 200
    assert 'name="q5-text"' in page.text and 'name="q6-text"' not in page.text  # five empty blocks
    assert '<label for="q1-choice0">' in page.text

    # More blocks, nothing saved, what was typed is kept.
    typed = {"count": "5", "pass_percent": "70", "attempts_allowed": "1",
             **_block(1, "Il numero delle emergenze?", ["112", "118 e basta"], [0])}
    more = await post_form(client, url, {**typed, "action": "add"})
    assert more.status_code == 200 and 'name="q10-text"' in more.text and "Il numero delle emergenze?" in more.text
    assert await FinalTest.count() == 0

    # Block 3 left empty, block 2 removed: saved as two questions, in order.
    data = {"count": "5", "pass_percent": "75", "attempts_allowed": "2", "action": "save",
            **_block(1, "Il numero delle emergenze?", ["112", "118 e basta", ""], [0]),
            **_block(2, "Da togliere", ["a", "b"], [0]), "q2-remove": "1",
            **_block(4, "Cosa usare su un incendio elettrico?", ["Acqua", "", "CO2", "Polvere"], [2, 3])}
    saved = await post_form(client, url, data)
    assert saved.status_code == 303 and saved.headers["location"] == f"/courses/{setup.course.id}/final-test/results"
    stored = await FinalTestQuestion.select().order_by(FinalTestQuestion.position)
    assert [row["text"] for row in stored] == ["Il numero delle emergenze?", "Cosa usare su un incendio elettrico?"]
    last = stored[1]
    choices = last["choices"] if isinstance(last["choices"], list) else __import__("json").loads(last["choices"])
    correct = last["correct"] if isinstance(last["correct"], list) else __import__("json").loads(last["correct"])
    assert choices == ["Acqua", "CO2", "Polvere"] and correct == [1, 2]
    test = await FinalTest.select().first()
    assert (test["pass_percent"], test["attempts_allowed"]) == (75, 2)

    # Read back for editing: the blocks hold the stored questions, correct boxes ticked.
    edit = await client.get(url)
    assert 'value="Polvere"' in edit.text
    assert re.search(r'name="q2-correct" value="1" checked', edit.text)


async def test_a_block_without_a_correct_answer_is_flagged_next_to_it_and_nothing_is_saved(client):
    setup = await course_for_test()
    await login(client, setup.trainer.email)
    url = f"/courses/{setup.course.id}/final-test/edit"
    data = {"count": "3", "pass_percent": "70", "attempts_allowed": "1", "action": "save",
            **_block(1, "Prima?", ["Sì", "No"], [0]),
            # Block 2 empty: the block with the mistake is the third, and the message says so.
            **_block(3, "Terza?", ["Sì", "No"], [])}
    response = await post_form(client, url, data)
    assert response.status_code == 422
    assert 'id="q3" aria-describedby="q3-error" aria-invalid="true"' in response.text
    assert '<p class="field-error" id="q3-error">Domanda 3: indica almeno una risposta corretta.</p>' in response.text
    assert "Terza?" in response.text  # what was typed is still there
    assert await FinalTest.count() == 0

    ticked_empty = {"count": "1", "pass_percent": "70", "attempts_allowed": "1", "action": "save",
                    **_block(1, "Prima?", ["Sì", "No", ""], [2])}
    response = await post_form(client, url, ticked_empty)
    assert response.status_code == 422 and "non è tra quelle scritte" in response.text
    assert await FinalTest.count() == 0


async def test_the_editor_of_a_safety_course_says_its_minimum(client):
    setup = await course_for_test(safety_course_type="antincendio_aggiornamento_1")
    await login(client, setup.trainer.email)
    page = await client.get(f"/courses/{setup.course.id}/final-test/edit")
    assert "almeno 10 domande" in page.text and "Aggiornamento addetti antincendio — livello 1" in page.text
    short = await post_form(client, f"/courses/{setup.course.id}/final-test/edit", {
        "count": "1", "pass_percent": "70", "attempts_allowed": "1", "action": "save",
        **_block(1, "Prima?", ["Sì", "No"], [0])})
    assert short.status_code == 422 and "il test ha almeno 10 domande: ora ne ha 1" in short.text


async def test_a_taken_test_shows_its_questions_and_only_the_attempts_change(client):
    setup = await course_for_test()
    await _api_write(client, setup, 2)
    participant = await bearer(setup.people[0])
    shown = (await client.get(f"/api/courses/{setup.course.id}/final-test", headers=participant)).json()["questions"]
    await client.post(f"/api/courses/{setup.course.id}/final-test/attempts", json={"answers": right_answers(shown)},
                      headers=participant)
    await login(client, setup.trainer.email)
    page = await client.get(f"/courses/{setup.course.id}/final-test/edit")
    assert "domande e soglia non si possono più cambiare" in page.text and 'name="q1-text"' not in page.text
    saved = await post_form(client, f"/courses/{setup.course.id}/final-test/edit",
                            {"action": "attempts", "attempts_allowed": "3"})
    assert saved.status_code == 303
    assert (await FinalTest.select(FinalTest.attempts_allowed).first())["attempts_allowed"] == 3
    bad = await post_form(client, f"/courses/{setup.course.id}/final-test/edit",
                          {"action": "attempts", "attempts_allowed": "0"})
    assert bad.status_code == 422 and 'id="attempts_allowed-error"' in bad.text


async def test_copy_from_the_last_edition_in_the_page(client):
    old = await course_for_test(title="Primo soccorso")
    await _api_write(client, old, 3)
    path = await TrainingPath.objects().get(TrainingPath.id == old.course.path)
    newer = await make_course(path, trainers=[old.trainer], title="Primo soccorso")
    await login(client, old.trainer.email)
    editor = await client.get(f"/courses/{newer.id}/final-test/edit")
    assert "Copia il test dell'ultima edizione" in editor.text
    copied = await post_form(client, f"/courses/{newer.id}/final-test/copy", {})
    assert copied.status_code == 303 and copied.headers["location"] == f"/courses/{newer.id}/final-test/edit"
    assert await FinalTest.count() == 2

    # A safety first course cannot take a 3-question test: the copy fills the editor, nothing is saved.
    first_aid = await make_course(path, trainers=[old.trainer], title="Primo soccorso gruppo A",
                                  safety_course_type="primo_soccorso_a")
    response = await post_form(client, f"/courses/{first_aid.id}/final-test/copy",
                               {"source_course_id": str(old.course.id)})
    assert response.status_code == 422
    assert "ora ne ha 3" in response.text and 'value="Q3-A-OK"' in response.text
    assert await FinalTest.count() == 2


# The participant -----------------------------------------------------------------------------------


async def test_the_participant_takes_the_test_in_one_form_and_sees_only_the_outcome(client):
    setup = await course_for_test()
    await _api_write(client, setup, 3)
    person = setup.people[0]
    order = (await client.get(f"/api/courses/{setup.course.id}/final-test",
                              headers=await bearer(person))).json()["questions"]
    await login(client, person.email)
    url = f"/courses/{setup.course.id}/final-test"
    page = await client.get(url)
    assert page.status_code == 200
    assert page.text.count('type="radio" name="q1"') == 3
    assert '<label class="check"><input type="radio" name="q1" value="0">' in page.text
    assert "corrett" not in page.text.split("<form", 2)[-1].split("</form>")[0].replace("correttamente", "")
    # The page shows the same order as the API.
    positions = [page.text.index(q["text"]) for q in order]
    assert positions == sorted(positions)

    # An unanswered question: the message next to it, nothing recorded, the answers kept.
    answers = right_answers(order)
    partial = {"count": "3", "q1": str(answers[0][0]), "q2": str(answers[1][0])}
    response = await post_form(client, url, partial)
    assert response.status_code == 422
    assert '<p class="field-error" id="q3-error">Domanda 3: scegli una risposta.</p>' in response.text
    assert f'name="q1" value="{answers[0][0]}" checked' in response.text
    assert await FinalTestAttempt.count() == 0

    done = await post_form(client, url, {**partial, "q3": str(answers[2][0])})
    assert done.status_code == 303
    after = await client.get(url)
    assert "Test superato: hai risposto correttamente al 100% delle domande." in after.text
    assert "Hai superato il test finale con il 100%" in after.text
    assert 'type="radio"' not in after.text and "Q1-A-OK" not in after.text

    again = await post_form(client, url, {**partial, "q3": str(answers[2][0])})
    assert again.status_code == 303 and await FinalTestAttempt.count() == 1
    assert "Hai già superato il test finale." in (await client.get(url)).text


async def test_the_participants_page_before_the_test_opens_and_without_a_test(client):
    setup = await course_for_test(open_=False)
    await login(client, setup.people[0].email)
    url = f"/courses/{setup.course.id}/final-test"
    missing = await client.get(url)
    assert missing.status_code == 404 and "Il corso non ha ancora un test finale." in missing.text
    await _api_write(client, setup, 2)
    page = await client.get(url)
    assert page.status_code == 200 and "Il test si apre all'inizio dell'ultimo incontro" in page.text
    assert 'type="radio"' not in page.text


async def test_the_page_refuses_who_may_not_take_the_test(client, other_client):
    setup = await course_for_test()
    await _api_write(client, setup, 2)
    await login(client, setup.pending.email)
    assert (await client.get(f"/courses/{setup.course.id}/final-test")).status_code == 403
    await login(other_client, setup.trainer.email)
    manager = await other_client.get(f"/courses/{setup.course.id}/final-test")
    assert manager.status_code == 303
    assert manager.headers["location"] == f"/courses/{setup.course.id}/final-test/results"
    assert (await client.get(f"/courses/{setup.course.id}/final-test/edit")).status_code == 403
    assert (await client.get(f"/courses/{setup.course.id}/final-test/results")).status_code == 403


# Results and paper scores --------------------------------------------------------------------------


async def test_the_results_page_records_paper_scores_with_errors_next_to_the_field(client):
    setup = await course_for_test()
    await _api_write(client, setup, 2)
    anna, bruno = setup.enrolments
    await login(client, setup.trainer.email)
    url = f"/courses/{setup.course.id}/final-test/results"
    page = await client.get(url)
    assert page.status_code == 200 and "Anna Verdi" in page.text and "Non sostenuto" in page.text
    assert f'name="score-{anna.id}"' in page.text

    bad = await post_form(client, url, {"enrolment": [str(anna.id), str(bruno.id)],
                                        f"score-{anna.id}": "80", f"score-{bruno.id}": "101"})
    assert bad.status_code == 422
    assert (f'<p class="field-error" id="score-{bruno.id}-error">Riga 2: il punteggio è una percentuale da 0 a 100.</p>'
            in bad.text)
    assert 'value="101"' in bad.text
    assert await FinalTestAttempt.count() == 0

    ok = await post_form(client, url, {"enrolment": [str(anna.id), str(bruno.id)],
                                       f"score-{anna.id}": "80", f"score-{bruno.id}": "55,5"})
    assert ok.status_code == 303
    page = await client.get(url)
    assert "Risultati su carta registrati: 2." in page.text
    assert "55,5%" in page.text and "Non superato" in page.text and "su carta" in page.text
    assert await FinalTestAttempt.count() == 2

    # Bruno failed with his only attempt: the trainer may let him try again, in the app.
    grant_url = f"/courses/{setup.course.id}/final-test/results/{bruno.id}/another-attempt"
    assert f'action="{grant_url}"' in page.text
    assert f"/results/{anna.id}/another-attempt" not in page.text
    granted = await post_form(client, grant_url, {})
    assert granted.status_code == 303 and await FinalTestExtraAttempt.count() == 1
    assert "Bruno Neri può svolgere di nuovo il test." in (await client.get(url)).text
    twice = await post_form(client, grant_url, {})
    assert twice.status_code == 303 and await FinalTestExtraAttempt.count() == 1
    assert "ha ancora un tentativo a disposizione" in (await client.get(url)).text


async def test_the_course_manage_page_links_to_the_final_test(client):
    setup = await course_for_test()
    await login(client, setup.trainer.email)
    page = await client.get(f"/trainer/courses/{setup.course.id}")
    assert f'href="/courses/{setup.course.id}/final-test/results"' in page.text
