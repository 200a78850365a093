"""Survey anonymity: no page, export or API lets a trainer, a coordinator or the office link an answer
to a person, by content, by order or by time; results need a closed survey and at least 5 answers."""

import io
import json
import uuid
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from tests import reports_fixture as fx
from tests.factories import make_course, make_enrolment, make_person, make_session
from tests.support import bearer, login, post_form
from training_hub.core.tables import (
    Person,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)
from training_hub.core.timeutil import utcnow
from training_hub.surveys.lifecycle import open_due_surveys


async def test_stored_responses_carry_no_person_and_no_time():
    def columns(table):
        return {column._meta.name for column in table._meta.columns}

    assert columns(SurveyResponse) == {"id", "survey"}
    assert columns(SurveyInvitation) == {"id", "survey", "person", "answered"}
    assert columns(SurveyAnswer) == {"id", "response", "question", "rating", "comment"}
    await fx.build()
    ids = [row["id"] for row in await SurveyResponse.select(SurveyResponse.id)]
    assert len(ids) == 7
    assert all(uuid.UUID(str(value)).version == 4 for value in ids)  # random, no sequence to line up


def _xlsx_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content))
    return "\n".join(str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row
                     if cell.value is not None)


async def _outputs(client, headers, urls):
    texts = {}
    for url in urls:
        response = await client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        texts[url] = _xlsx_text(response.content) if url.split("?")[0].endswith(".xlsx") else response.text
    return texts


def _assert_nothing_personal(texts, people, response_ids):
    for url, text in texts.items():
        for person in people:
            assert person.full_name not in text, (url, person.full_name)
            assert person.email not in text, (url, person.email)
        for response_id in response_ids:
            assert str(response_id) not in text, url
        if text.lstrip().startswith("{"):
            keys = json.dumps(json.loads(text))
            for forbidden in ('"person', '"respondent', '"response_id', '"answered_at', '"submitted'):
                assert forbidden not in keys, (url, forbidden)


async def test_a_trainer_cannot_link_an_answer_to_a_person(client):
    data = await fx.build()
    response_ids = [row["id"] for row in await SurveyResponse.select(SurveyResponse.id)]
    survey = data["survey_k1"]
    query = "from=2025-01-01&to=2025-12-31"
    await login(client, "tina@example.test")
    pages = await _outputs(client, {}, [
        f"/reports/trainer?{query}", f"/reports/surveys/{survey}", f"/reports/trainer/export.xlsx?{query}",
        *[f"/reports/trainer/export.csv?{query}&table={t}" for t in ("courses", "monthly", "survey_courses",
                                                                   "survey_trainers")],
    ])
    headers = await bearer(data["t1"])
    apis = await _outputs(client, headers, [
        f"/api/reports/surveys?{query}", f"/api/reports/surveys/trainers?{query}", f"/api/reports/courses?{query}",
        f"/api/reports/summary?{query}", f"/api/surveys/{survey}/results",
    ])
    texts = {**pages, **apis}
    _assert_nothing_personal(texts, data["participants"], response_ids)
    # The results are there, as aggregates: averages, a distribution, comments in alphabetical order.
    results = json.loads(texts[f"/api/surveys/{survey}/results"])
    assert results["visible"] and results["answered"] == 5
    overall = results["questions"][0]
    assert overall["average"] == 4.2 and overall["distribution"] == {"1": 0, "2": 0, "3": 1, "4": 2, "5": 2}
    assert results["comments"][0]["comments"] == sorted(fx.COMMENTS)
    # Nowhere to ask for more: not the office's pages, not another trainer's survey, not someone's invitation.
    assert (await client.get(f"/admin/surveys/{survey}")).status_code == 403
    assert (await client.get(f"/api/surveys/{data['survey_k2']}/results", headers=headers)).status_code == 403
    assert (await client.get(f"/api/surveys/{survey}", headers=headers)).status_code == 404


async def test_a_coordinator_sees_only_aggregates_without_comments(client):
    data = await fx.build()
    query = "from=2025-01-01&to=2025-12-31"
    headers = await bearer(data["coordinator"])
    assert (await client.get(f"/api/surveys/{data['survey_k1']}/results", headers=headers)).status_code == 403
    assert (await client.get(f"/api/reports/surveys/trainers?{query}", headers=headers)).status_code == 403
    items = (await client.get(f"/api/reports/surveys?{query}", headers=headers)).json()["items"]
    k1 = next(item for item in items if item["title"] == "Marketing sociale di base")
    assert k1["q_overall"] == 4.2
    await login(client, "carla@example.test")
    page = (await client.get(f"/reports/cooperative?{query}")).text
    assert "4,2" in page
    for comment in fx.COMMENTS:
        assert comment not in page
    assert (await client.get(f"/reports/surveys/{data['survey_k1']}")).status_code == 403


async def test_the_office_sees_who_has_not_answered_but_not_what_anyone_answered(client):
    data = await fx.build()
    await login(client, "office@example.test")
    detail = (await client.get(f"/admin/surveys/{data['survey_k1']}")).text
    assert "Beta Persona 2" in detail  # invited, did not answer
    for person in data["a"][:4] + data["b"][:1]:
        assert person.full_name not in detail
    results = (await client.get(f"/reports/surveys/{data['survey_k1']}")).text
    for person in data["participants"]:
        assert person.full_name not in results
    query = "from=2025-01-01&to=2025-12-31"
    exports = await _outputs(client, {}, [f"/reports/export.xlsx?{query}",
                                          f"/reports/export.csv?{query}&table=survey_courses"])
    _assert_nothing_personal(exports, data["participants"], [])


async def _survey_with_answers(client, count: int, *, invited: int = 6):
    trainer = await make_person(roles="trainer", email=f"trainer{count}@example.test")
    course = await make_course(trainers=[trainer], title=f"Corso con {count} risposte")
    await make_session(course, utcnow() - timedelta(days=1, hours=4), 120)
    people = [await make_person(email=f"p{n}.{count}@example.test") for n in range(invited)]
    for person in people:
        await make_enrolment(person, course)
    [survey_id] = await open_due_surveys()
    comments = ["Zeta: ultimo commento arrivato", "Alfa: il secondo", "Mezzo: il terzo", "", "", "", ""]
    for n, person in enumerate(people[:count]):
        answers = dict(fx.rating_answers((1 + n % 5,) * 5, comments[n]))
        response = await client.post(f"/api/surveys/{survey_id}/responses", json={"answers": answers},
                                     headers=await bearer(person))
        assert response.status_code == 201
    return survey_id, trainer


async def test_results_need_a_closed_survey_and_at_least_five_answers(client):
    survey_id, trainer = await _survey_with_answers(client, 5)
    headers = await bearer(trainer)
    # Five answers but still open: while the office watches the not-answered list shrink, results would
    # let it isolate the next answer by difference. Nothing until it closes.
    open_results = (await client.get(f"/api/surveys/{survey_id}/results", headers=headers)).json()
    assert open_results["visible"] is False and open_results["questions"] == [] and open_results["comments"] == []
    assert open_results["hidden_reason"] == "I risultati saranno visibili alla chiusura del questionario."
    await Survey.update({Survey.status: "closed"}).where(Survey.id == survey_id)
    closed = (await client.get(f"/api/surveys/{survey_id}/results", headers=headers)).json()
    assert closed["visible"] is True and closed["responses"] == 5
    # Comments come sorted, not in the order they arrived.
    assert closed["comments"][0]["comments"] == ["Alfa: il secondo", "Mezzo: il terzo", "Zeta: ultimo commento arrivato"]


async def test_four_answers_are_not_enough(client):
    survey_id, trainer = await _survey_with_answers(client, 4)
    await Survey.update({Survey.status: "closed"}).where(Survey.id == survey_id)
    results = (await client.get(f"/api/surveys/{survey_id}/results", headers=await bearer(trainer))).json()
    assert results["visible"] is False and results["answered"] == 4 and results["questions"] == []
    await login(client, trainer.email)
    page = (await client.get(f"/reports/surveys/{survey_id}")).text
    assert "Risultati non disponibili: servono almeno 5 risposte" in page
    assert "Zeta" not in page
    dashboard = await client.get("/api/reports/surveys", headers=await bearer(trainer))
    [row] = dashboard.json()["items"]
    assert row["responses"] == 4 and row["visible"] is False and row["q_overall"] is None


async def test_a_question_added_while_the_survey_is_open_needs_five_answers_of_its_own(client):
    """The office adds questions after five people answered; the sixth answers them, and the office knows
    who answered last (the not-answered list): those questions' figures must stay hidden everywhere."""
    survey_id, trainer = await _survey_with_answers(client, 5, invited=6)
    office = await make_person(roles="admin", email="office@example.test")
    await login(client, office.email)
    for text, kind in (("Consiglieresti il corso a un collega?", "rating"), ("Cosa hai imparato di nuovo?", "text")):
        await post_form(client, "/admin/surveys/questions/new", {"new_text": text, "new_kind": kind})
    added = {row["kind"]: row["code"] for row in await SurveyQuestion.select().where(SurveyQuestion.position > 60)}
    last = (await SurveyInvitation.select(SurveyInvitation.person).where(
        (SurveyInvitation.survey == survey_id) & (SurveyInvitation.answered == False)
    ).first())["person"]
    answers = {**fx.rating_answers((2, 2, 2, 2, 2)), added["rating"]: 1, added["text"]: "Segreto dell'ultimo"}
    response = await client.post(f"/api/surveys/{survey_id}/responses", json={"answers": answers},
                                 headers=await bearer(await Person.objects().get(Person.id == last)))
    assert response.status_code == 201
    assert (await Survey.select(Survey.status).where(Survey.id == survey_id).first())["status"] == "closed"

    for headers in ({}, await bearer(trainer)):
        results = (await client.get(f"/api/surveys/{survey_id}/results", headers=headers or await bearer(office))).json()
        assert results["visible"] and results["responses"] == 6 and results["hidden_questions"] == 2
        assert [q["code"] for q in results["questions"]] == ["overall", "usefulness", "trainer", "organisation",
                                                             "materials"]
        assert results["questions"][0]["distribution"]["2"] == 2  # the sixth answer counts where all were asked
        assert "Segreto dell'ultimo" not in json.dumps(results)
    page = (await client.get(f"/reports/surveys/{survey_id}")).text
    assert "Consiglieresti" not in page and "Segreto" not in page
    assert "1 domanda è stata posta a meno di 5 persone" not in page and "2 domande sono state poste" in page
    today = utcnow().date()
    query = f"from={(today - timedelta(days=30)).isoformat()}&to={(today + timedelta(days=1)).isoformat()}"
    headers = await bearer(office)
    for url in (f"/api/reports/surveys?{query}", f"/api/reports/surveys/trainers?{query}"):
        [item] = (await client.get(url, headers=headers)).json()["items"]
        assert item[f"q_{added['rating']}"] is None and item["q_overall"] == pytest.approx(17 / 6), url
    workbook = load_workbook(io.BytesIO((await client.get(f"/reports/export.xlsx?{query}")).content))
    for title in ("Questionari per corso", "Questionari per formatore"):
        header, row = [[cell.value for cell in line] for line in workbook[title].iter_rows(min_row=5, max_row=6)]
        assert row[header.index("Complessivo")] == pytest.approx(2.83)
        assert row[header.index("Consiglieresti il corso a un collega?")] is None  # the column, with no figure
