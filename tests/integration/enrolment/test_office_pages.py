"""The office's and coordinators' pages: bulk enrolment, messages, the enrol confirmation step
(free seats, waiting-list position, step-free warnings), deactivation confirmed first."""

from __future__ import annotations

import html
from datetime import timedelta

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_person,
    make_session,
)
from tests.support import login, post_form
from training_hub.core.tables import AccessibilityNeeds, AuditEvent, Enrolment, Outbox, TutorLink
from training_hub.core.timeutil import utcnow
from training_hub.enrolment.tables import CourseMessage


def main_text(page: str) -> str:
    return html.unescape(page[page.index("<main") : page.index("</main>")])


async def statuses(course) -> dict[int, str]:
    rows = await Enrolment.select(Enrolment.person, Enrolment.status).where(Enrolment.course == course.id)
    return {row["person"]: row["status"] for row in rows}


# Bulk enrolment --------------------------------------------------------------------------------------


async def test_office_picks_people_by_filter_sees_each_outcome_then_confirms(client):
    await make_person("admin", email="office@example.test")
    coop, other = await make_cooperative(name="Coop Sole"), await make_cooperative(name="Coop Luna")
    course = await make_course(title="Lavoro in équipe", capacity=2)
    await make_session(course)
    anna = await make_person(cooperative=coop, full_name="Anna Bianchi", area="anziani")
    bruno = await make_person(cooperative=coop, full_name="Bruno Neri", area="anziani")
    carla = await make_person(cooperative=coop, full_name="Carla Russo", area="anziani")
    await make_person(cooperative=coop, full_name="Dario Minori", area="minori")
    await make_person(cooperative=other, full_name="Elena Altrove", area="anziani")
    await login(client, "office@example.test")

    hub = await client.get("/admin")
    assert 'href="/enrol-people"' in hub.text  # the office has a way in
    chooser = await client.get("/enrol-people", params={"course_id": course.id, "cooperative_id": coop.id,
                                                         "area": "anziani"})
    text = main_text(chooser.text)
    assert chooser.status_code == 200 and "2 posti liberi" in text
    assert "Anna Bianchi" in text and "Carla Russo" in text
    assert "Dario Minori" not in text and "Elena Altrove" not in text

    ids = [anna.id, bruno.id, carla.id]
    preview = await post_form(client, "/enrol-people/preview", {"course_id": course.id, "person_id": ids})
    text = main_text(preview.text)
    assert preview.status_code == 200 and "Controlla prima di confermare" in text
    assert "2 posti confermati" in text and "1 persona in lista d'attesa" in text and "posizione 1" in text
    assert await statuses(course) == {}  # nothing written yet

    done = await post_form(client, "/enrol-people", {"course_id": course.id, "person_id": ids})
    assert done.status_code == 200 and "Iscrizioni fatte" in done.text
    assert await statuses(course) == {anna.id: "confirmed", bruno.id: "confirmed", carla.id: "waitlisted"}

    nobody = await post_form(client, "/enrol-people/preview", {"course_id": course.id})
    assert nobody.status_code == 422 and 'id="person_ids-error"' in nobody.text


async def test_coordinator_bulk_page_is_limited_to_their_cooperative(client, cooperative):
    await make_person("coordinator", cooperative=cooperative, email="coord@example.test")
    mine = await make_person(cooperative=cooperative, full_name="Gino Mio")
    other = await make_cooperative()
    stranger = await make_person(cooperative=other, full_name="Sara Altrui")
    course = await make_course()
    await login(client, "coord@example.test")
    page = await client.get("/enrol-people", params={"course_id": course.id})
    assert "Gino Mio" in page.text and "Sara Altrui" not in page.text
    assert 'name="cooperative_id"' not in page.text
    forged = await client.get("/enrol-people", params={"course_id": course.id, "cooperative_id": other.id})
    assert forged.status_code == 403
    done = await post_form(client, "/enrol-people", {"course_id": course.id, "person_id": [mine.id, stranger.id]})
    assert done.status_code == 200
    assert "Sara Altrui" not in done.text and "Puoi iscrivere solo" in html.unescape(done.text)
    assert await statuses(course) == {mine.id: "confirmed"}


async def test_workers_and_trainers_have_no_bulk_page(client, cooperative):
    await make_person("worker", cooperative=cooperative, email="worker@example.test")
    course = await make_course()
    await login(client, "worker@example.test")
    assert (await client.get("/enrol-people", params={"course_id": course.id})).status_code == 403
    refused = await post_form(client, "/enrol-people", {"course_id": course.id, "person_id": [1]})
    assert refused.status_code == 403
    assert await Enrolment.count() == 0


# Messages ---------------------------------------------------------------------------------------------


async def test_trainer_writes_from_the_course_and_sees_the_history(client, cooperative):
    trainer = await make_person("trainer", email="trainer@example.test", full_name="Teresa Formatrice")
    course = await make_course(trainers=[trainer])
    for _ in range(2):
        await make_enrolment(await make_person(cooperative=cooperative), course)
    await login(client, "trainer@example.test")
    participants = await client.get(f"/courses/{course.id}/participants")
    assert f'href="/courses/{course.id}/messages"' in participants.text
    form = await client.get(f"/courses/{course.id}/messages")
    assert form.status_code == 200 and "Nessun messaggio inviato finora." in form.text
    bad = await post_form(client, f"/courses/{course.id}/messages",
                          {"to": "confirmed", "subject": "Avviso", "body": "Ciao {diagnosi}"})
    assert bad.status_code == 422 and 'id="body-error"' in bad.text and "Ciao {diagnosi}" in html.unescape(bad.text)
    sent = await post_form(client, f"/courses/{course.id}/messages",
                           {"to": "confirmed", "subject": "Aula 3", "body": "Ciao {nome},\naula 3."})
    assert sent.status_code == 303
    history = main_text((await client.get(sent.headers["location"])).text)
    assert "Messaggio in coda per l'invio a 2 persone." in history
    assert "Aula 3" in history and "Teresa Formatrice" in history and "2 destinatari" in history
    assert await Outbox.count().where(Outbox.kind == "course_message") == 2
    course_page = main_text((await client.get(f"/courses/{course.id}")).text)
    assert "Messaggi ai partecipanti (1 inviato)" in course_page


async def test_a_coordinator_cannot_write_to_a_course(client, cooperative):
    await make_person("coordinator", cooperative=cooperative, email="coord@example.test")
    course = await make_course()
    await login(client, "coord@example.test")
    assert (await client.get(f"/courses/{course.id}/messages")).status_code == 403
    sent = await post_form(client, f"/courses/{course.id}/messages", {"to": "all", "subject": "A", "body": "B"})
    assert sent.status_code == 403 and await CourseMessage.count() == 0


# The confirmation step for coordinators and tutors ----------------------------------------------------


async def test_coordinator_sees_free_seats_and_the_waiting_list_position_before_confirming(client, cooperative):
    await make_person("coordinator", cooperative=cooperative, email="coord@example.test")
    worker = await make_person(cooperative=cooperative, full_name="Piero Pieno")
    full = await make_course(title="Corso pieno", capacity=1)
    await make_enrolment(await make_person(cooperative=cooperative), full)
    await make_enrolment(await make_person(cooperative=cooperative), full, status="waitlisted")
    await make_course(title="Corso libero", capacity=5)
    await login(client, "coord@example.test")
    listing = main_text((await client.get("/coordinator/enrolments")).text)
    assert "Corso libero" in listing and "5 posti liberi" in listing
    assert "al completo, 1 in lista d'attesa" in listing
    chosen = await post_form(client, "/coordinator/enrolments", {"person_id": worker.id, "course_id": full.id})
    confirm = main_text((await client.get(chosen.headers["location"])).text)
    assert "Piero Pieno non avrà un posto ma entrerà in lista d'attesa, in posizione 2." in confirm
    assert "Entra in lista d'attesa" in confirm
    assert (await statuses(full)).get(worker.id) is None


async def test_step_free_warning_names_the_need_only_to_who_may_see_it(client, cooperative, other_client):
    tutor = await make_person("tutor", cooperative=cooperative, email="tutor@example.test")
    await make_person("coordinator", cooperative=cooperative, email="coord@example.test")
    person = await make_person(cooperative=cooperative, full_name="Lia Ruote")
    await TutorLink.insert(TutorLink(tutor=tutor.id, person=person.id))
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=person.id, step_free_access=True))
    stairs = await make_location(name="Sala al primo piano", step_free_access=False)
    course = await make_course()
    await make_session(course, utcnow() + timedelta(days=30), location=stairs.id)

    await login(client, "tutor@example.test")
    seen = main_text((await client.get(f"/courses/{course.id}/enrol", params={"person_id": person.id})).text)
    assert "Lia Ruote ha indicato di aver bisogno di un accesso senza barriere" in seen
    assert "Sala al primo piano" in seen
    assert await AuditEvent.count().where(AuditEvent.action == "accessibility_needs.read") == 1

    await login(other_client, "coord@example.test")
    generic = main_text((await other_client.get(f"/courses/{course.id}/enrol", params={"person_id": person.id})).text)
    assert "ha indicato" not in generic  # the coordinator does not learn the person's needs
    assert "Alcuni incontri si tengono in una sede senza accesso senza barriere" in generic
    assert "Sala al primo piano" in generic


# Deactivation -----------------------------------------------------------------------------------------


async def test_unticking_active_asks_first_then_says_what_was_cancelled(client, cooperative):
    await make_person("admin", email="office@example.test")
    leaving = await make_person(cooperative=cooperative, full_name="Ugo Partente", email="ugo@example.test")
    waiting = await make_person(cooperative=cooperative)
    soon = await make_course(title="Corso futuro", capacity=1)
    await make_session(soon, utcnow() + timedelta(days=10))
    await make_enrolment(leaving, soon)
    await make_enrolment(waiting, soon, status="waitlisted")
    running = await make_course(title="Corso in corso")
    await make_session(running, utcnow() - timedelta(days=2))
    await make_session(running, utcnow() + timedelta(days=2))
    await make_enrolment(leaving, running)
    await login(client, "office@example.test")

    saved = await post_form(client, f"/admin/people/{leaving.id}", {
        "full_name": "Ugo Partente", "email": "ugo@example.test", "roles": "worker",
        "cooperative_id": cooperative.id})  # "active" unticked
    assert saved.status_code == 303 and saved.headers["location"] == f"/admin/people/{leaving.id}/deactivate"
    assert await statuses(soon) == {leaving.id: "confirmed", waiting.id: "waitlisted"}  # nothing cancelled yet
    record = await client.get(f"/admin/people/{leaving.id}")
    assert f"/enrol-people?cooperative_id={cooperative.id}&amp;q=ugo%40example.test" in record.text
    confirm = main_text((await client.get(saved.headers["location"])).text)
    assert "Disattivare Ugo Partente?" in confirm
    to_cancel = confirm[confirm.index("Che cosa verrà annullato"):confirm.index("Che cosa resta")]
    assert "Corso futuro" in to_cancel and "Corso in corso" not in to_cancel
    assert "Corso in corso" in confirm[confirm.index("Che cosa resta"):]
    assert "Disattiva e annulla 1 iscrizione" in confirm

    done = await post_form(client, f"/admin/people/{leaving.id}/deactivate")
    text = main_text(done.text)
    assert done.status_code == 200 and "Ugo Partente è stata disattivata" in text
    assert "È stata annullata 1 iscrizione:" in text and "Corso futuro" in text
    assert "il posto è andato alla prima persona in lista d'attesa" in text
    assert await statuses(soon) == {leaving.id: "cancelled", waiting.id: "confirmed"}
    assert await statuses(running) == {leaving.id: "confirmed"}


async def test_deactivation_of_another_cooperatives_person_is_not_found(client, cooperative):
    await make_person("coordinator", cooperative=cooperative, email="coord@example.test")
    stranger = await make_person(cooperative=await make_cooperative())
    course = await make_course()
    await make_enrolment(stranger, course)
    await login(client, "coord@example.test")
    assert (await client.get(f"/admin/people/{stranger.id}/deactivate")).status_code == 404
    assert (await post_form(client, f"/admin/people/{stranger.id}/deactivate")).status_code == 404
    assert await statuses(course) == {stranger.id: "confirmed"}
