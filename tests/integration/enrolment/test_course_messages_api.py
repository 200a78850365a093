"""Messages to a course's participants: who may send, to whom, variables, history, the outbox."""

from __future__ import annotations

from tests.factories import make_cooperative, make_course, make_enrolment, make_person, make_session
from tests.support import bearer
from training_hub.core.tables import AccessibilityNeeds, AuditEvent, Outbox
from training_hub.enrolment.tables import CourseMessage

URL = "/api/courses/{}/messages"


async def _course_with_people(trainer):
    course = await make_course(trainers=[trainer], title="Comunicare in équipe")
    await make_session(course)
    cooperative = await make_cooperative()
    confirmed = [await make_person(cooperative=cooperative, full_name=f"Anna Rossi{n}") for n in range(3)]
    for person in confirmed:
        await make_enrolment(person, course)
    waiting = await make_person(cooperative=cooperative, full_name="Bruno Verdi")
    await make_enrolment(waiting, course, status="waitlisted")
    gone = await make_person(cooperative=cooperative, active=False)
    await make_enrolment(gone, course)
    cancelled = await make_person(cooperative=cooperative)
    await make_enrolment(cancelled, course, status="cancelled")
    return course, confirmed, waiting


async def test_trainer_writes_to_the_confirmed_participants(client, trainer):
    course, confirmed, waiting = await _course_with_people(trainer)
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=confirmed[0].id, step_free_access=True,
                                                       notes="sedia a rotelle"))
    response = await client.post(URL.format(course.id), headers=await bearer(trainer), json={
        "subject": "Aula cambiata per {corso}", "body": "Ciao {nome},\nci vediamo in aula 3.", "to": "confirmed"})
    assert response.status_code == 202, response.text
    assert response.json()["queued"] == 3
    rows = await Outbox.select().where(Outbox.kind == "course_message").order_by(Outbox.recipient)
    assert [r["recipient"] for r in rows] == [p.id for p in confirmed]
    assert rows[0]["subject"] == "Aula cambiata per Comunicare in équipe"
    assert rows[0]["body"].startswith("Ciao Anna,\nci vediamo in aula 3.")
    assert all("sedia" not in r["body"] for r in rows)
    stored = await CourseMessage.select().first()
    assert stored["recipients"] == 3 and stored["sent_by"] == trainer.id and stored["body"].startswith("Ciao {nome}")
    audit = await AuditEvent.select().where(AuditEvent.action == "course.message_sent").first()
    assert "ci vediamo" not in str(audit["data"]) and "3" in str(audit["data"])

    history = await client.get(URL.format(course.id), headers=await bearer(trainer))
    assert history.status_code == 200
    assert history.json()[0]["recipients"] == 3 and history.json()[0]["sent_by_name"] == trainer.full_name


async def test_audiences_waitlist_and_all(client, trainer, admin):
    course, confirmed, waiting = await _course_with_people(trainer)
    headers = await bearer(admin)
    waitlist = await client.post(URL.format(course.id), headers=headers,
                                 json={"subject": "Lista", "body": "Siete in lista.", "to": "waitlisted"})
    assert waitlist.json()["queued"] == 1
    everyone = await client.post(URL.format(course.id), headers=headers,
                                 json={"subject": "Tutti", "body": "A tutti.", "to": "all"})
    assert everyone.json()["queued"] == 4


async def test_special_category_variables_and_bad_input_are_refused(client, trainer):
    course, *_ = await _course_with_people(trainer)
    headers = await bearer(trainer)
    for body in ("Ciao {necessita_accessibilita}", "{nome.__class__}", "{disabilita}"):
        refused = await client.post(URL.format(course.id), headers=headers,
                                    json={"subject": "Oggetto", "body": body})
        assert refused.status_code == 422, body
        assert "Variabile sconosciuta" in refused.text
    control = await client.post(URL.format(course.id), headers=headers,
                                json={"subject": "Riga\nnuova", "body": "testo"})
    assert control.status_code == 422
    empty = await client.post(URL.format(course.id), headers=headers, json={"subject": "", "body": ""})
    assert empty.status_code == 422
    audience = await client.post(URL.format(course.id), headers=headers,
                                 json={"subject": "A", "body": "B", "to": "everybody"})
    assert audience.status_code == 422
    assert await Outbox.count().where(Outbox.kind == "course_message") == 0
    assert await CourseMessage.count() == 0


async def test_only_the_course_trainers_and_the_office(client, trainer, coordinator, cooperative):
    course, *_ = await _course_with_people(trainer)
    other_trainer = await make_person("trainer")
    worker = await make_person(cooperative=cooperative)
    for person in (other_trainer, coordinator, worker):
        refused = await client.post(URL.format(course.id), headers=await bearer(person),
                                    json={"subject": "Oggetto", "body": "Testo"})
        assert refused.status_code == 403, person.roles
        assert (await client.get(URL.format(course.id), headers=await bearer(person))).status_code == 403
    assert await CourseMessage.count() == 0


async def test_a_large_course_is_queued_in_batches(client, admin, count_queries):
    course = await make_course(capacity=300)
    cooperative = await make_cooperative()
    for _ in range(250):
        await make_enrolment(await make_person(cooperative=cooperative), course)
    with count_queries() as counted:
        response = await client.post(URL.format(course.id), headers=await bearer(admin),
                                     json={"subject": "Avviso", "body": "Testo per {nome}"})
    assert response.json()["queued"] == 250
    assert sum(1 for s in counted.statements if s.lstrip().upper().startswith("INSERT INTO OUTBOX")) == 3
