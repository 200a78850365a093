"""The enrolment API: the DESIGN.md contract, problem+json refusals, who sees what."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_path,
    make_person,
    make_session,
)
from tests.support import bearer
from training_hub.core.tables import AccessibilityNeeds, Course, CourseStatus, Enrolment, Outbox, TutorLink
from training_hub.core.timeutil import utcnow

PROBLEM = "urn:training-hub:problem:"


def problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == PROBLEM + kind
    return body


async def test_enrol_oneself_then_the_waiting_list(client):
    cooperative = await make_cooperative()
    first, second = await make_person(cooperative=cooperative), await make_person(cooperative=cooperative)
    course = await make_course(capacity=1)
    await make_session(course)
    response = await client.post(f"/api/courses/{course.id}/enrolments", json={}, headers=await bearer(first))
    assert response.status_code == 201
    assert response.json() == {"id": response.json()["id"], "status": "confirmed", "waitlist_position": None}
    # An empty body means "myself" too.
    response = await client.post(f"/api/courses/{course.id}/enrolments", headers=await bearer(second))
    assert response.status_code == 201
    assert response.json()["status"] == "waitlisted" and response.json()["waitlist_position"] == 1
    mine = await client.get("/api/me/enrolments", headers=await bearer(second))
    assert mine.status_code == 200
    [item] = mine.json()
    assert (item["course_id"], item["status"], item["waitlist_position"]) == (course.id, "waitlisted", 1)
    assert item["starts_at"].endswith(("+01:00", "+02:00"))


async def test_refusals_are_problem_json_and_change_nothing(client):
    cooperative, other = await make_cooperative(), await make_cooperative()
    worker = await make_person(cooperative=cooperative)
    stranger = await make_person(cooperative=other)
    headers = await bearer(worker)
    now = utcnow()
    closed = await make_course(enrolment_closes_at=now - timedelta(days=1))
    draft = await make_course(status=CourseStatus.DRAFT.value)
    internal = await make_course(await make_path("internal_training", owner_cooperative=other.id))
    open_course = await make_course()

    body = problem(
        await client.post(f"/api/courses/{closed.id}/enrolments", json={}, headers=headers),
        409,
        "enrolment-refused",
    )
    assert body["title"] == "Iscrizione non possibile" and "si sono chiuse" in body["detail"]
    problem(
        await client.post(f"/api/courses/{draft.id}/enrolments", json={}, headers=headers), 404, "not-found"
    )
    problem(
        await client.post(f"/api/courses/{internal.id}/enrolments", json={}, headers=headers),
        404,
        "not-found",
    )
    problem(await client.post("/api/courses/999999/enrolments", json={}, headers=headers), 404, "not-found")
    denied = problem(
        await client.post(
            f"/api/courses/{open_course.id}/enrolments", json={"person_id": stranger.id}, headers=headers
        ),
        403,
        "permission-denied",
    )
    assert denied["errors"][0]["field"] == "person_id"
    bad = await client.post(
        f"/api/courses/{open_course.id}/enrolments", json={"person_id": "tre"}, headers=headers
    )
    assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"
    unknown = await client.post(
        f"/api/courses/{open_course.id}/enrolments", json={"persona": 3}, headers=headers
    )
    assert unknown.status_code == 400
    assert (await client.post(f"/api/courses/{open_course.id}/enrolments", json={})).status_code == 401
    assert await Enrolment.count() == 0 and await Outbox.count() == 0


async def test_double_booking_is_a_409_warning_until_confirmed(client):
    worker = await make_person(cooperative=await make_cooperative())
    start = utcnow() + timedelta(days=15)
    booked, clashing = await make_course(title="Primo soccorso"), await make_course()
    await make_session(booked, starts_at=start)
    await make_session(clashing, starts_at=start + timedelta(hours=1))
    await make_enrolment(worker, booked)
    headers = await bearer(worker)
    body = problem(
        await client.post(f"/api/courses/{clashing.id}/enrolments", json={}, headers=headers),
        409,
        "enrolment-refused",
    )
    assert [issue["severity"] for issue in body["issues"]] == ["warning"]
    assert body["issues"][0]["code"] == "overlap" and "Primo soccorso" in body["issues"][0]["message"]
    assert await Enrolment.count().where(Enrolment.course == clashing.id) == 0
    confirmed = await client.post(
        f"/api/courses/{clashing.id}/enrolments", json={"confirm_warnings": True}, headers=headers
    )
    assert confirmed.status_code == 201 and confirmed.json()["status"] == "confirmed"


async def test_enrol_on_behalf_through_the_api(client, cooperative, coordinator):
    tutor = await make_person(roles="tutor", cooperative=cooperative)
    worker, followed = await make_person(cooperative=cooperative), await make_person(cooperative=cooperative)
    await TutorLink.insert(TutorLink(tutor=tutor.id, person=followed.id))
    course = await make_course()
    by_coordinator = await client.post(
        f"/api/courses/{course.id}/enrolments",
        json={"person_id": worker.id},
        headers=await bearer(coordinator),
    )
    by_tutor = await client.post(
        f"/api/courses/{course.id}/enrolments", json={"person_id": followed.id}, headers=await bearer(tutor)
    )
    assert (by_coordinator.status_code, by_tutor.status_code) == (201, 201)
    rows = await Enrolment.select(Enrolment.person, Enrolment.enrolled_via).order_by(Enrolment.id)
    assert rows == [
        {"person": worker.id, "enrolled_via": "coordinator"},
        {"person": followed.id, "enrolled_via": "tutor"},
    ]
    problem(
        await client.post(
            f"/api/courses/{course.id}/enrolments", json={"person_id": worker.id}, headers=await bearer(tutor)
        ),
        403,
        "permission-denied",
    )


async def test_cancel_through_the_api_promotes_and_respects_the_deadline(client, admin):
    cooperative = await make_cooperative()
    first, second = await make_person(cooperative=cooperative), await make_person(cooperative=cooperative)
    course = await make_course(capacity=1)
    seat = await client.post(f"/api/courses/{course.id}/enrolments", json={}, headers=await bearer(first))
    waiting = await client.post(f"/api/courses/{course.id}/enrolments", json={}, headers=await bearer(second))
    await Course.update({Course.cancellation_deadline: utcnow() - timedelta(minutes=5)}).where(
        Course.id == course.id
    )
    seat_id = seat.json()["id"]
    late = problem(
        await client.post(f"/api/enrolments/{seat_id}/cancel", json={}, headers=await bearer(first)),
        409,
        "enrolment-refused",
    )
    assert "ufficio formazione" in late["detail"]
    no_reason = problem(
        await client.post(f"/api/enrolments/{seat_id}/cancel", headers=await bearer(admin)),
        422,
        "validation-failed",
    )
    assert no_reason["errors"] == [{"field": "reason", "message": no_reason["errors"][0]["message"]}]
    done = await client.post(
        f"/api/enrolments/{seat_id}/cancel",
        json={"reason": "Trasferita ad altro servizio"},
        headers=await bearer(admin),
    )
    assert done.status_code == 200
    assert done.json() == {
        "id": seat_id,
        "status": "cancelled",
        "waitlist_position": None,
        "promoted": [waiting.json()["id"]],
    }
    again = await client.post(
        f"/api/enrolments/{seat_id}/cancel", json={"reason": "x"}, headers=await bearer(admin)
    )
    problem(again, 409, "invalid-state")
    problem(
        await client.post(
            f"/api/enrolments/{waiting.json()['id']}/cancel", json={}, headers=await bearer(first)
        ),
        404,
        "not-found",
    )


async def test_approve_and_reject_through_the_api(client):
    cooperative = await make_cooperative()
    admin, worker = await make_person(roles="admin"), await make_person(cooperative=cooperative)
    other = await make_person(cooperative=cooperative)
    course = await make_course(requires_approval=True, capacity=3)
    request = await client.post(f"/api/courses/{course.id}/enrolments", json={}, headers=await bearer(worker))
    assert request.json()["status"] == "pending"
    second = await client.post(f"/api/courses/{course.id}/enrolments", json={}, headers=await bearer(other))
    problem(
        await client.post(f"/api/enrolments/{request.json()['id']}/approve", headers=await bearer(worker)),
        404,
        "not-found",
    )
    approved = await client.post(
        f"/api/enrolments/{request.json()['id']}/approve", headers=await bearer(admin)
    )
    assert approved.status_code == 200 and approved.json()["status"] == "confirmed"
    problem(
        await client.post(
            f"/api/enrolments/{second.json()['id']}/reject", json={"reason": ""}, headers=await bearer(admin)
        ),
        422,
        "validation-failed",
    )
    problem(
        await client.post(
            f"/api/enrolments/{second.json()['id']}/reject", json={}, headers=await bearer(admin)
        ),
        422,
        "validation-failed",
    )
    rejected = await client.post(
        f"/api/enrolments/{second.json()['id']}/reject",
        json={"reason": "Posti riservati"},
        headers=await bearer(admin),
    )
    assert rejected.json() == {"id": second.json()["id"], "status": "rejected", "waitlist_position": None}


async def test_participant_list_for_trainers_admins_and_coordinators(client, count_queries):
    cooperative, other = await make_cooperative(), await make_cooperative()
    trainer, other_trainer = await make_person(roles="trainer"), await make_person(roles="trainer")
    coordinator = await make_person(roles="coordinator", cooperative=other)
    worker = await make_person(cooperative=cooperative)
    course = await make_course(capacity=2, trainers=[trainer])
    people = [await make_person(cooperative=cooperative if n % 2 else other) for n in range(4)]
    for person in people:
        await make_enrolment(person, course, status="confirmed" if person is people[0] else "waitlisted")
    response = await client.get(f"/api/courses/{course.id}/enrolments", headers=await bearer(trainer))
    assert response.status_code == 200
    body = response.json()
    assert (body["capacity"], body["seats_taken"], body["waitlist_length"]) == (2, 1, 3)
    assert [item["waitlist_position"] for item in body["items"]] == [None, 1, 2, 3]
    assert "accessibility" in body["items"][0]
    theirs = await client.get(f"/api/courses/{course.id}/enrolments", headers=await bearer(coordinator))
    assert {item["cooperative_id"] for item in theirs.json()["items"]} == {other.id}
    assert all("accessibility" not in item for item in theirs.json()["items"])
    problem(
        await client.get(f"/api/courses/{course.id}/enrolments", headers=await bearer(other_trainer)),
        403,
        "permission-denied",
    )
    problem(
        await client.get(f"/api/courses/{course.id}/enrolments", headers=await bearer(worker)),
        403,
        "permission-denied",
    )

    # No N+1: the number of statements does not grow with the list.
    headers = await bearer(trainer)
    with count_queries() as small:
        await client.get(f"/api/courses/{course.id}/enrolments", headers=headers)
    for _ in range(12):
        await make_enrolment(await make_person(cooperative=cooperative), course, status="waitlisted")
    with count_queries() as large:
        assert (
            len((await client.get(f"/api/courses/{course.id}/enrolments", headers=headers)).json()["items"])
            == 16
        )
    assert large.count == small.count <= 8


async def test_accessibility_needs_are_seen_only_by_who_may(client, cooperative, coordinator):
    tutor = await make_person(roles="tutor", cooperative=cooperative)
    person = await make_person(cooperative=cooperative)
    colleague = await make_person(cooperative=cooperative)
    trainer, other_trainer, admin = (
        await make_person(roles="trainer"),
        await make_person(roles="trainer"),
        await make_person(roles="admin"),
    )
    await TutorLink.insert(TutorLink(tutor=tutor.id, person=person.id))
    course = await make_course(trainers=[trainer])
    other_course = await make_course(trainers=[other_trainer])
    await make_session(course)  # trainers see the needs of a course still to be held
    await make_enrolment(person, course)
    await make_enrolment(colleague, other_course)
    url = f"/api/people/{person.id}/accessibility-needs"
    saved = await client.put(
        url,
        json={"step_free_access": True, "interpreter": True, "notes": "Sedia a rotelle"},
        headers=await bearer(tutor),
    )
    assert saved.status_code == 200 and saved.json()["step_free_access"] is True
    assert (await AccessibilityNeeds.select().first())["recorded_by"] == tutor.id
    for allowed in (trainer, admin, person, tutor):
        response = await client.get(url, headers=await bearer(allowed))
        assert response.status_code == 200 and response.json()["notes"] == "Sedia a rotelle"
    for outsider in (colleague, coordinator, other_trainer):
        response = await client.get(url, headers=await bearer(outsider))
        problem(response, 404, "not-found")
        assert "Sedia" not in response.text
        problem(await client.put(url, json={"notes": "x"}, headers=await bearer(outsider)), 404, "not-found")
    problem(
        await client.put(url, json={"notes": "x"}, headers=await bearer(trainer)), 403, "permission-denied"
    )
    # Nor through the lists a coordinator or another trainer can read.
    listing = await client.get(f"/api/courses/{course.id}/enrolments", headers=await bearer(coordinator))
    assert listing.status_code == 200 and "Sedia" not in listing.text and "interpreter" not in listing.text
    assert "Sedia" not in json.dumps(
        (await client.get("/api/me/enrolments", headers=await bearer(person))).json()
    )
    # The audit trail says who changed them, never what.
    from training_hub.core.tables import AuditEvent

    [audit] = await AuditEvent.select().where(AuditEvent.action == "accessibility_needs.updated")
    assert "Sedia" not in json.dumps(audit, default=str) and audit["actor"] == tutor.id


async def test_capacity_endpoint(client):
    cooperative = await make_cooperative()
    trainer, worker = await make_person(roles="trainer"), await make_person(cooperative=cooperative)
    course = await make_course(capacity=1, trainers=[trainer])
    await make_enrolment(await make_person(cooperative=cooperative), course)
    waiting = await make_enrolment(worker, course, status="waitlisted")
    response = await client.post(
        f"/api/courses/{course.id}/capacity", json={"capacity": 2}, headers=await bearer(trainer)
    )
    assert response.json() == {"capacity": 2, "promoted": [waiting.id]}
    problem(
        await client.post(
            f"/api/courses/{course.id}/capacity", json={"capacity": 1}, headers=await bearer(trainer)
        ),
        422,
        "validation-failed",
    )
    problem(
        await client.post(
            f"/api/courses/{course.id}/capacity", json={"capacity": 9}, headers=await bearer(worker)
        ),
        403,
        "permission-denied",
    )


# Every refusal of point 1 of the issue, through the API ------------------------------------------------


async def refusal_case(case: str):
    """(actor, course, body, expected text) for one refusal; each is a 409 enrolment-refused."""
    cooperative = await make_cooperative()
    worker = await make_person(cooperative=cooperative, area="anziani")
    now = utcnow()
    body: dict = {}
    actor = worker
    if case == "not published":
        course = await make_course(status=CourseStatus.CANCELLED.value)
        text = "Il corso è stato annullato."
    elif case == "window not open yet":
        course = await make_course(enrolment_opens_at=now + timedelta(days=3))
        text = "Le iscrizioni apriranno il"
    elif case == "window closed":
        course = await make_course(enrolment_closes_at=now - timedelta(minutes=1))
        text = "Le iscrizioni si sono chiuse il"
    elif case == "course started":
        course = await make_course(enrolment_closes_at=None, starts_at=now - timedelta(hours=1))
        text = "già iniziato"
    elif case == "other cooperatives only":
        from training_hub.core.tables import CourseEligibleCooperative

        course = await make_course()
        other = await make_cooperative()
        await CourseEligibleCooperative.insert(
            CourseEligibleCooperative(course=course.id, cooperative=other.id)
        )
        # The worker cannot even see a course meant for other cooperatives (the catalogue's rule):
        # the refusal is for whoever can see it and enrols them, the office here.
        actor = await make_person(roles="admin")
        body = {"person_id": worker.id}
        text = "riservato ad alcune cooperative"
    elif case == "other areas only":
        from training_hub.core.tables import CourseEligibleArea

        course = await make_course()
        await CourseEligibleArea.insert(CourseEligibleArea(course=course.id, area="minori"))
        text = "aree di lavoro"
    elif case == "earlier course missing":
        path = await make_path("internal_training", sequential=True)
        await make_course(path, position=1, title="Analisi dei fabbisogni")
        course = await make_course(path, position=2)
        text = "«Analisi dei fabbisogni»"
    elif case == "already enrolled":
        course = await make_course(capacity=1)
        await make_enrolment(worker, course, status="waitlisted")
        text = "già iscritta"
    elif case == "inactive person":
        course = await make_course()
        actor = await make_person(roles="coordinator", cooperative=cooperative)
        gone = await make_person(cooperative=cooperative, active=False)
        body = {"person_id": gone.id}
        text = "disattivata"
    else:  # pragma: no cover
        raise AssertionError(case)
    return actor, course, body, text


REFUSALS = [
    "not published",
    "window not open yet",
    "window closed",
    "course started",
    "other cooperatives only",
    "other areas only",
    "earlier course missing",
    "already enrolled",
    "inactive person",
]


@pytest.mark.parametrize("case", REFUSALS)
async def test_each_refusal_is_a_409_that_changes_nothing(client, case):
    actor, course, body, text = await refusal_case(case)
    before = (await Enrolment.count(), await Outbox.count())
    response = await client.post(
        f"/api/courses/{course.id}/enrolments", json=body, headers=await bearer(actor)
    )
    detail = problem(response, 409, "enrolment-refused")["detail"]
    assert text in detail, detail
    assert (await Enrolment.count(), await Outbox.count()) == before


async def test_the_endpoints_are_in_the_openapi_schema(client):
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    assert {
        "/api/courses/{course_id}/enrolments",
        "/api/enrolments/{enrolment_id}/cancel",
        "/api/enrolments/{enrolment_id}/approve",
        "/api/enrolments/{enrolment_id}/reject",
        "/api/me/enrolments",
        "/api/courses/{course_id}/capacity",
        "/api/people/{person_id}/accessibility-needs",
    } <= set(paths)
    assert set(paths["/api/courses/{course_id}/enrolments"]) == {"get", "post"}
