"""Who reads a person's accessibility needs (issue 12, item 1): trainer status the viewer could create
herself never opens them, only confirmed participants of a course still to be held, and every read of
someone else's needs leaves an audit row without the content."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.factories import make_course, make_enrolment, make_path, make_person, make_session
from tests.support import bearer
from training_hub.core.tables import AccessibilityNeeds, AuditEvent, Enrolment
from training_hub.core.timeutil import utcnow


async def _needs(person, notes: str = "Sedia a rotelle") -> None:
    await AccessibilityNeeds.insert(
        AccessibilityNeeds(person=person.id, step_free_access=True, notes=notes, recorded_by=person.id)
    )


async def _reads() -> list[dict]:
    return await AuditEvent.select().where(AuditEvent.action == "accessibility_needs.read").order_by(AuditEvent.id)


async def test_a_coordinator_who_teaches_cannot_open_needs_by_enrolling_someone(client, cooperative):
    teacher = await make_person(roles="coordinator,trainer", cooperative=cooperative)
    worker = await make_person(cooperative=cooperative)
    await _needs(worker)
    course = await make_course(await make_path("internal_training", owner_cooperative=cooperative.id),
                               trainers=[teacher])
    await make_session(course)
    headers = await bearer(teacher)
    enrolled = await client.post(f"/api/courses/{course.id}/enrolments", json={"person_id": worker.id},
                                 headers=headers)
    assert enrolled.status_code == 201, enrolled.text
    url = f"/api/people/{worker.id}/accessibility-needs"
    response = await client.get(url, headers=headers)
    assert response.status_code == 404 and "Sedia" not in response.text
    listing = await client.get(f"/api/courses/{course.id}/enrolments", headers=headers)
    assert listing.status_code == 200 and "Sedia" not in listing.text
    # Not even once the worker is confirmed by herself: a coordinator is never her people's trainer here.
    await Enrolment.update({Enrolment.status: "confirmed", Enrolment.enrolled_by: worker.id}).where(
        Enrolment.person == worker.id)
    assert (await client.get(url, headers=headers)).status_code == 404
    listing = await client.get(f"/api/courses/{course.id}/enrolments", headers=headers)
    assert "Sedia" not in listing.text
    assert await _reads() == []


async def test_trainers_read_needs_of_confirmed_participants_of_a_course_still_to_be_held(client, cooperative):
    trainer = await make_person(roles="trainer")
    confirmed, pending, past_one, by_trainer = [await make_person(cooperative=cooperative) for _ in range(4)]
    for person in (confirmed, pending, past_one, by_trainer):
        await _needs(person)
    course = await make_course(trainers=[trainer])
    await make_session(course)
    past = await make_course(trainers=[trainer])
    await make_session(past, utcnow() - timedelta(days=3))
    await make_enrolment(confirmed, course)
    await make_enrolment(pending, course, status="pending")
    await make_enrolment(past_one, past)
    await make_enrolment(by_trainer, course, enrolled_by=trainer.id)
    headers = await bearer(trainer)
    response = await client.get(f"/api/people/{confirmed.id}/accessibility-needs", headers=headers)
    assert response.status_code == 200 and response.json()["notes"] == "Sedia a rotelle"
    for other in (pending, past_one, by_trainer):
        refused = await client.get(f"/api/people/{other.id}/accessibility-needs", headers=headers)
        assert refused.status_code == 404 and "Sedia" not in refused.text
    # The participant list shows the same, and only the same.
    items = {item["person_id"]: item for item in
             (await client.get(f"/api/courses/{course.id}/enrolments", headers=headers)).json()["items"]}
    assert items[confirmed.id]["accessibility"]["notes"] == "Sedia a rotelle"
    assert items[pending.id]["accessibility"] is None and items[by_trainer.id]["accessibility"] is None
    # Two reads audited (the page and the list), whom and by whom, never what.
    reads = await _reads()
    assert [(r["actor"], r["entity_id"]) for r in reads] == [(trainer.id, confirmed.id)] * 2
    assert "Sedia" not in json.dumps(reads, default=str) and "step_free" not in json.dumps(reads, default=str)


async def test_reading_ones_own_needs_is_not_audited_but_the_office_is(client, cooperative, admin):
    worker = await make_person(cooperative=cooperative)
    await _needs(worker)
    url = f"/api/people/{worker.id}/accessibility-needs"
    assert (await client.get(url, headers=await bearer(worker))).status_code == 200
    assert await _reads() == []
    assert (await client.get(url, headers=await bearer(admin))).status_code == 200
    assert [(r["actor"], r["entity_id"]) for r in await _reads()] == [(admin.id, worker.id)]


async def test_saving_needs_is_audited_as_a_change_not_as_a_read(client, cooperative):
    from training_hub.core.tables import TutorLink

    tutor, worker = await make_person(roles="tutor", cooperative=cooperative), await make_person(cooperative=cooperative)
    await TutorLink.insert(TutorLink(tutor=tutor.id, person=worker.id))
    saved = await client.put(f"/api/people/{worker.id}/accessibility-needs", json={"companion": True},
                             headers=await bearer(tutor))
    assert saved.status_code == 200 and saved.json()["companion"] is True
    assert await _reads() == []
    [change] = await AuditEvent.select().where(AuditEvent.action == "accessibility_needs.updated")
    assert (change["actor"], change["person_id"]) == (tutor.id, worker.id)
