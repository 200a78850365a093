"""A person deactivated (they left their cooperative) gives back their places in courses not started yet."""

from __future__ import annotations

from datetime import timedelta

from tests.factories import make_cooperative, make_course, make_enrolment, make_person, make_session
from tests.support import bearer
from training_hub.core.tables import Enrolment, Outbox
from training_hub.core.timeutil import utcnow


async def status_of(enrolment) -> str:
    return (await Enrolment.select(Enrolment.status).where(Enrolment.id == enrolment.id).first())["status"]


async def test_deactivating_frees_future_seats_and_promotes_the_waiting_list(client, trainer):
    coop = await make_cooperative()
    leaving = await make_person("worker", cooperative=coop)
    waiting = await make_person("worker", cooperative=coop)
    full = await make_course(trainers=[trainer], capacity=1)
    await make_session(full, utcnow() + timedelta(days=10))
    seat = await make_enrolment(leaving, full)
    next_in_line = await make_enrolment(waiting, full, status="waitlisted")
    queued = await make_course(trainers=[trainer], capacity=1)
    await make_session(queued, utcnow() + timedelta(days=12))
    await make_enrolment(waiting, queued)
    place_in_queue = await make_enrolment(leaving, queued, status="waitlisted")
    under_way = await make_course(trainers=[trainer])
    await make_session(under_way, utcnow() - timedelta(days=3))
    await make_session(under_way, utcnow() + timedelta(days=4))
    attended = await make_enrolment(leaving, under_way)

    response = await client.patch(f"/api/people/{leaving.id}", headers=await bearer(await make_person("admin")),
                                  json={"active": False})
    assert response.status_code == 200, response.text
    assert await status_of(seat) == "cancelled" and await status_of(next_in_line) == "confirmed"
    assert await status_of(place_in_queue) == "cancelled"
    assert await status_of(attended) == "confirmed"  # a course under way keeps its attendance and certificate
    row = await Enrolment.select(Enrolment.cancel_reason).where(Enrolment.id == seat.id).first()
    assert row["cancel_reason"] == "Persona non più attiva."
    assert await Outbox.count().where((Outbox.recipient == waiting.id) & (Outbox.kind == "enrolment_promoted")) == 1


async def test_a_coordinator_deactivating_leaves_late_seats_to_the_office(client):
    coop = await make_cooperative()
    coordinator = await make_person("coordinator", cooperative=coop)
    leaving = await make_person("worker", cooperative=coop)
    late = await make_course(trainers=[await make_person("trainer")],
                             cancellation_deadline=utcnow() - timedelta(days=1))
    await make_session(late, utcnow() + timedelta(days=2))
    seat = await make_enrolment(leaving, late)
    early = await make_course(trainers=[await make_person("trainer")])
    await make_session(early, utcnow() + timedelta(days=20))
    other_seat = await make_enrolment(leaving, early)
    response = await client.patch(f"/api/people/{leaving.id}", headers=await bearer(coordinator),
                                  json={"active": False})
    assert response.status_code == 200, response.text
    assert await status_of(seat) == "confirmed"  # past the deadline: the office decides, with a reason
    assert await status_of(other_seat) == "cancelled"
