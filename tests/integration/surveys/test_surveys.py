"""Satisfaction surveys: opening, reminding, closing, answering once, the office's editor and follow-up."""

import asyncio
from datetime import timedelta

from tests.factories import make_cooperative, make_course, make_enrolment, make_person, make_session
from tests.support import bearer, login, post_form
from training_hub.core.tables import (
    AuditEvent,
    CourseStatus,
    EnrolmentStatus,
    Outbox,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)
from training_hub.core.timeutil import utcnow
from training_hub.surveys.lifecycle import (
    close_due_surveys,
    open_due_surveys,
    remind_unanswered,
    run_survey_jobs,
)

ANSWERS = {"overall": 4, "usefulness": 5, "trainer": 4, "organisation": 3, "materials": 4, "comments": "Bene"}


async def _ended_course(*, days_ago: float = 1, status: str = CourseStatus.PUBLISHED.value, people: int = 2, **values):
    trainer = await make_person(roles="trainer")
    course = await make_course(trainers=[trainer], status=status, **values)
    await make_session(course, utcnow() - timedelta(days=days_ago, hours=4), 180)
    cooperative = await make_cooperative()
    participants = [await make_person(cooperative=cooperative, email=f"p{n}.{course.id}@example.test")
                    for n in range(people)]
    for person in participants:
        await make_enrolment(person, course)
    return course, participants, trainer


async def test_surveys_open_for_ended_courses_with_confirmed_participants():
    course, people, _ = await _ended_course()
    cancelled = await make_person(email="cancelled@example.test")
    await make_enrolment(cancelled, course, status=EnrolmentStatus.CANCELLED.value)
    waiting = await make_person(email="waiting@example.test")
    await make_enrolment(waiting, course, status=EnrolmentStatus.WAITLISTED.value)
    await _ended_course(days_ago=20)  # ended too long ago
    await _ended_course(status=CourseStatus.DRAFT.value)
    await _ended_course(people=0)  # nobody to ask
    future = await make_course()
    await make_session(future, utcnow() + timedelta(days=3))
    await make_enrolment(await make_person(), future)

    opened = await open_due_surveys()
    assert len(opened) == 1
    survey = await Survey.select().where(Survey.id == opened[0]).first()
    assert survey["course"] == course.id and survey["status"] == "open"
    assert (survey["closes_at"] - survey["opens_at"]).days == 14
    invited = {row["person"] for row in await SurveyInvitation.select().where(SurveyInvitation.survey == opened[0])}
    assert invited == {p.id for p in people}
    mails = await Outbox.select().where(Outbox.kind == "survey_invitation")
    assert {m["recipient"] for m in mails} == invited
    assert f"http://testserver.local/surveys/{opened[0]}" in mails[0]["body"]
    assert "anonimo" in mails[0]["body"]
    assert await open_due_surveys() == []  # once per course
    assert await SurveyQuestion.count() == 6  # the default set, seeded on first use


async def test_one_reminder_to_those_who_have_not_answered_then_closing(client):
    _course, people, _ = await _ended_course(people=3)
    now = utcnow()
    [survey_id] = await open_due_surveys(now)
    headers = await bearer(people[0])
    answered = await client.post(f"/api/surveys/{survey_id}/responses", json={"answers": ANSWERS}, headers=headers)
    assert answered.status_code == 201, answered.text

    assert await remind_unanswered(now + timedelta(days=2)) == 0  # too early
    assert await remind_unanswered(now + timedelta(days=8)) == 2
    reminders = await Outbox.select(Outbox.recipient).where(Outbox.kind == "survey_reminder")
    assert {r["recipient"] for r in reminders} == {people[1].id, people[2].id}
    assert await remind_unanswered(now + timedelta(days=9)) == 0  # only once
    assert (await run_survey_jobs(now + timedelta(days=15)))["closed"] == 1
    late = await client.post(f"/api/surveys/{survey_id}/responses", json={"answers": ANSWERS},
                             headers=await bearer(people[1]))
    assert late.status_code == 409
    assert "chiuso" in late.json()["detail"]
    assert await close_due_surveys(now + timedelta(days=16)) == 0


async def test_participant_answers_once_through_the_page(client):
    course, people, _ = await _ended_course()
    [survey_id] = await open_due_surveys()
    person = people[0]
    await login(client, person.email)
    form = await client.get(f"/surveys/{survey_id}")
    assert form.status_code == 200
    html = form.text
    assert '<fieldset class="field"' in html and "<legend>Nel complesso, quanto sei soddisfatto del corso?" in html
    assert 'type="radio" name="q_overall" value="5"' in html and 'name="_csrf_token"' in html
    assert "<textarea" in html

    incomplete = await post_form(client, f"/surveys/{survey_id}", {"q_overall": "4", "q_usefulness": "9"})
    assert incomplete.status_code == 422
    assert "Scegli un valore da 1 a 5." in incomplete.text and 'aria-invalid="true"' in incomplete.text
    assert await SurveyResponse.count() == 0

    fields = {f"q_{code}": str(value) for code, value in ANSWERS.items()}
    done = await post_form(client, f"/surveys/{survey_id}", fields)
    assert done.status_code == 303 and done.headers["location"] == f"/surveys/{survey_id}"
    thanks = await client.get(f"/surveys/{survey_id}")
    assert "Grazie! La tua risposta è stata registrata in forma anonima." in thanks.text
    assert "Hai già risposto a questo questionario" in thanks.text
    again = await post_form(client, f"/surveys/{survey_id}", fields)
    assert again.status_code == 409
    assert await SurveyResponse.count() == 1
    assert await SurveyAnswer.count() == 6
    listing = await client.get("/surveys")
    assert course.title in listing.text and "Hai già risposto" in listing.text


async def test_concurrent_double_submission_stores_one_response(client):
    _course, people, _ = await _ended_course()
    [survey_id] = await open_due_surveys()
    headers = await bearer(people[0])
    first, second = await asyncio.gather(
        client.post(f"/api/surveys/{survey_id}/responses", json={"answers": ANSWERS}, headers=headers),
        client.post(f"/api/surveys/{survey_id}/responses", json={"answers": ANSWERS}, headers=headers),
    )
    assert sorted([first.status_code, second.status_code]) == [201, 409]
    assert await SurveyResponse.count() == 1


async def test_only_invited_people_see_a_survey(client):
    _course, _people, trainer = await _ended_course()
    [survey_id] = await open_due_surveys()
    outsider = await make_person(email="outsider@example.test")
    headers = await bearer(outsider)
    assert (await client.get(f"/api/surveys/{survey_id}", headers=headers)).status_code == 404
    refused = await client.post(f"/api/surveys/{survey_id}/responses", json={"answers": ANSWERS}, headers=headers)
    assert refused.status_code == 404
    assert (await client.get(f"/api/surveys/{survey_id}", headers=await bearer(trainer))).status_code == 404
    bad = await client.post(f"/api/surveys/{survey_id}/responses", json={"answers": "tutto bene"},
                            headers=await bearer(_people[0]))
    assert bad.status_code == 400
    assert bad.headers["content-type"] == "application/problem+json"
    assert await SurveyResponse.count() == 0


async def test_office_edits_questions_and_sees_who_has_not_answered(client, other_client):
    _course, people, _ = await _ended_course(people=3)
    [survey_id] = await open_due_surveys()
    await client.post(f"/api/surveys/{survey_id}/responses", json={"answers": ANSWERS},
                      headers=await bearer(people[0]))
    await make_person(roles="admin", email="office@example.test")
    await login(client, "office@example.test")
    overview = await client.get("/admin/surveys")
    assert overview.status_code == 200
    assert "Le domande del questionario" in overview.text and _course.title in overview.text

    detail = await client.get(f"/admin/surveys/{survey_id}")
    assert people[1].full_name in detail.text and people[2].full_name in detail.text
    assert people[0].full_name not in detail.text  # answered: not listed, and nothing says what they answered
    assert "I risultati saranno visibili alla chiusura del questionario." in detail.text

    reminded = await post_form(client, f"/admin/surveys/{survey_id}/remind")
    assert reminded.status_code == 303
    assert await Outbox.count().where(Outbox.kind == "survey_reminder") == 2
    await post_form(client, f"/admin/surveys/{survey_id}/remind")
    page = await client.get(f"/admin/surveys/{survey_id}")
    assert "Il promemoria di questo questionario è già stato inviato." in page.text
    assert await Outbox.count().where(Outbox.kind == "survey_reminder") == 2

    questions = await SurveyQuestion.select().order_by(SurveyQuestion.position)
    form = {}
    for q in questions:
        form[f"text_{q['id']}"] = q["text"]
        form[f"position_{q['id']}"] = str(q["position"])
        if q["code"] != "materials":
            form[f"active_{q['id']}"] = "on"
    overall = questions[0]
    form[f"text_{overall['id']}"] = "Quanto sei soddisfatto, in generale?"
    saved = await post_form(client, "/admin/surveys/questions", form)
    assert saved.status_code == 303
    materials = await SurveyQuestion.select().where(SurveyQuestion.code == "materials").first()
    assert materials["active"] is False or materials["active"] == 0
    assert (await SurveyQuestion.select().where(SurveyQuestion.id == overall["id"]).first())["text"] == \
        "Quanto sei soddisfatto, in generale?"
    form[f"text_{overall['id']}"] = " "
    refused = await post_form(client, "/admin/surveys/questions", form)
    assert refused.status_code == 422 and "Scrivi il testo della domanda." in refused.text
    added = await post_form(client, "/admin/surveys/questions/new",
                            {"new_text": "Consiglieresti il corso a un collega?", "new_kind": "rating"})
    assert added.status_code == 303
    await login(other_client, people[1].email)
    html = (await other_client.get(f"/surveys/{survey_id}")).text
    assert "Consiglieresti il corso a un collega?" in html and "materiali" not in html.lower()


async def test_office_close_and_worker_refused(client, other_client):
    _course, people, _ = await _ended_course()
    [survey_id] = await open_due_surveys()
    await login(client, people[0].email)
    assert (await client.get("/admin/surveys")).status_code == 403
    assert (await post_form(client, f"/admin/surveys/{survey_id}/close")).status_code == 403
    await make_person(roles="admin", email="office@example.test")
    await login(other_client, "office@example.test")
    closed = await post_form(other_client, f"/admin/surveys/{survey_id}/close")
    assert closed.status_code == 303
    assert (await Survey.select(Survey.status).where(Survey.id == survey_id).first())["status"] == "closed"


async def test_office_question_texts_are_shown_as_typed_and_odd_orders_are_refused(client, other_client):
    _course, people, _trainer = await _ended_course(people=5)
    [survey_id] = await open_due_surveys()
    await make_person(roles="admin", email="office@example.test")
    await login(client, "office@example.test")
    questions = await SurveyQuestion.select().order_by(SurveyQuestion.position)
    form = {f"text_{q['id']}": q["text"] for q in questions}
    form.update({f"position_{q['id']}": str(q["position"]) for q in questions})
    form.update({f"active_{q['id']}": "on" for q in questions})
    overall, comments = questions[0], questions[-1]
    for odd in ("²", "1e3", "99999999999", "2000000"):
        refused = await post_form(client, "/admin/surveys/questions", {**form, f"position_{overall['id']}": odd})
        assert refused.status_code == 422, odd
        assert "Indica l&#39;ordine con un numero intero" in refused.text
        assert f'aria-describedby="position_{overall["id"]}-error" aria-invalid="true"' in refused.text
    # A "%" is not a placeholder and markup is text, on the answer form and on the results page.
    form[f"text_{overall['id']}"] = "Soddisfatto al 100%? <b>Sì</b>"
    form[f"text_{comments['id']}"] = "Cosa miglioreresti (%s)?"
    assert (await post_form(client, "/admin/surveys/questions", form)).status_code == 303
    await login(other_client, people[0].email)
    answer_form = await other_client.get(f"/surveys/{survey_id}")
    assert answer_form.status_code == 200
    assert "Soddisfatto al 100%? &lt;b&gt;Sì&lt;/b&gt;" in answer_form.text and "<b>Sì</b>" not in answer_form.text
    assert "Cosa miglioreresti (%s)?" in answer_form.text
    for person in people:
        answers = {**ANSWERS, "comments": f"Commento di prova {person.id}"}
        response = await client.post(f"/api/surveys/{survey_id}/responses", json={"answers": answers},
                                     headers=await bearer(person))
        assert response.status_code == 201
    results = await client.get(f"/reports/surveys/{survey_id}")
    assert results.status_code == 200
    assert "Soddisfatto al 100%? &lt;b&gt;Sì&lt;/b&gt;" in results.text and "Cosa miglioreresti (%s)?" in results.text


async def test_the_last_answers_arriving_together_close_the_survey(client):
    _course, people, _ = await _ended_course(people=3)
    [survey_id] = await open_due_surveys()
    responses = await asyncio.gather(*[
        client.post(f"/api/surveys/{survey_id}/responses", json={"answers": ANSWERS}, headers=await bearer(person))
        for person in people
    ])
    assert [response.status_code for response in responses] == [201, 201, 201]
    assert (await Survey.select(Survey.status).where(Survey.id == survey_id).first())["status"] == "closed"


async def test_closing_twice_at_once_closes_once(client, other_client):
    _course, people, _ = await _ended_course()
    [survey_id] = await open_due_surveys()
    await make_person(roles="admin", email="office@example.test")
    await login(client, "office@example.test")
    await login(other_client, "office@example.test")
    first, second = await asyncio.gather(post_form(client, f"/admin/surveys/{survey_id}/close"),
                                         post_form(other_client, f"/admin/surveys/{survey_id}/close"))
    assert first.status_code == second.status_code == 303
    assert await AuditEvent.count().where(AuditEvent.action == "survey.closed") == 1
    late = await client.post(f"/api/surveys/{survey_id}/responses", json={"answers": ANSWERS},
                             headers=await bearer(people[0]))
    assert late.status_code == 409 and await SurveyResponse.count() == 0
