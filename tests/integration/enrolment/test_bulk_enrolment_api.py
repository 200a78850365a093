"""Bulk enrolment through the API: results per person, dry run, roles, other cooperatives, races."""

from __future__ import annotations

import asyncio

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_path,
    make_person,
    make_session,
)
from tests.support import bearer
from training_hub.core.db import fetch_all
from training_hub.core.tables import AuditEvent, CourseEligibleArea, Enrolment, Outbox

URL = "/api/courses/{}/enrolments/bulk"


async def _statuses(course_id: int) -> list[dict]:
    return await fetch_all("SELECT person, status FROM enrolment WHERE course = {} ORDER BY id", course_id)


async def test_office_enrols_several_people_each_with_the_seat_rules_result(client, admin, cooperative):
    course = await make_course(capacity=3)
    await make_session(course)
    already = await make_person(cooperative=cooperative)
    await make_enrolment(already, course)
    people = [await make_person(cooperative=cooperative, full_name=f"Persona {n}") for n in range(4)]
    gone = await make_person(cooperative=cooperative, active=False)
    ids = [p.id for p in people] + [already.id, gone.id, 999999]
    headers = await bearer(admin)

    dry = await client.post(URL.format(course.id) + "?dry_run=true", json={"person_ids": ids}, headers=headers)
    assert dry.status_code == 200, dry.text
    assert await Enrolment.count().where(Enrolment.course == course.id) == 1  # nothing written
    outcomes = [(r["person_id"], r["outcome"], r["waitlist_position"]) for r in dry.json()["results"]]
    assert outcomes[:4] == [(people[0].id, "confirmed", None), (people[1].id, "confirmed", None),
                            (people[2].id, "waitlisted", 1), (people[3].id, "waitlisted", 2)]
    reasons = {r["person_id"]: r["reason"] for r in dry.json()["results"] if r["outcome"] == "refused"}
    assert "già iscritta" in reasons[already.id]
    assert "disattivata" in reasons[gone.id]
    assert reasons[999999] == "Persona non trovata."

    done = await client.post(URL.format(course.id), json={"person_ids": ids}, headers=headers)
    assert done.status_code == 200, done.text
    assert [(r["outcome"], r["waitlist_position"]) for r in done.json()["results"]] == [
        (o, p) for _, o, p in outcomes
    ]
    rows = {r["person"]: r["status"] for r in await _statuses(course.id)}
    assert [rows[p.id] for p in people] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert gone.id not in rows
    audit = await AuditEvent.count().where(AuditEvent.action == "enrolment.created")
    assert audit == 4
    assert await Outbox.count().where(Outbox.recipient.is_in([p.id for p in people])) == 4
    again = await client.post(URL.format(course.id), json={"person_ids": [people[0].id]}, headers=headers)
    assert again.json()["results"][0]["outcome"] == "refused"


async def test_eligibility_reasons_match_the_single_enrolment(client, admin, cooperative):
    course = await make_course()
    await CourseEligibleArea.insert(CourseEligibleArea(course=course.id, area="anziani"))
    fits = await make_person(cooperative=cooperative, area="anziani")
    other_area = await make_person(cooperative=cooperative, area="minori")
    result = await client.post(URL.format(course.id), json={"person_ids": [fits.id, other_area.id]},
                               headers=await bearer(admin))
    lines = result.json()["results"]
    assert lines[0]["outcome"] == "confirmed"
    assert lines[1]["outcome"] == "refused" and "aree di lavoro" in lines[1]["reason"]
    single = await client.post(f"/api/courses/{course.id}/enrolments", json={"person_id": other_area.id},
                               headers=await bearer(admin))
    assert single.status_code == 409 and single.json()["detail"] == lines[1]["reason"]


async def test_coordinator_enrols_only_their_own_cooperative(client, coordinator, cooperative):
    course = await make_course()
    mine = await make_person(cooperative=cooperative)
    theirs = await make_person(cooperative=await make_cooperative(), full_name="Estraneo Segreto")
    response = await client.post(URL.format(course.id), json={"person_ids": [mine.id, theirs.id, 888888]},
                                 headers=await bearer(coordinator))
    assert response.status_code == 200
    lines = response.json()["results"]
    assert lines[0]["outcome"] == "confirmed"
    assert lines[1]["outcome"] == lines[2]["outcome"] == "refused"
    assert lines[1]["reason"] == lines[2]["reason"] and "Puoi iscrivere solo" in lines[1]["reason"]
    assert "Estraneo" not in response.text  # the other cooperative's person is not named
    assert [r["person"] for r in await _statuses(course.id)] == [mine.id]


async def test_wrong_roles_and_bad_input(client, trainer, cooperative, admin):
    course = await make_course()
    worker = await make_person(cooperative=cooperative)
    for person in (worker, trainer):
        refused = await client.post(URL.format(course.id), json={"person_ids": [worker.id]},
                                    headers=await bearer(person))
        assert refused.status_code == 403
    headers = await bearer(admin)
    empty = await client.post(URL.format(course.id), json={"person_ids": []}, headers=headers)
    assert empty.status_code == 422
    too_many = await client.post(URL.format(course.id), json={"person_ids": list(range(1, 202))}, headers=headers)
    assert too_many.status_code == 422
    draft = await make_course(status="draft")
    closed = await client.post(URL.format(draft.id), json={"person_ids": [worker.id]}, headers=headers)
    assert closed.status_code in (404, 409)
    assert await Enrolment.count() == 0


async def test_internal_course_of_another_cooperative_is_not_found_for_a_coordinator(client, coordinator):
    other = await make_cooperative()
    internal = await make_course(path=await make_path(kind="internal_training", owner_cooperative=other.id))
    response = await client.post(URL.format(internal.id), json={"person_ids": [coordinator.id]},
                                 headers=await bearer(coordinator))
    assert response.status_code == 404


async def test_concurrent_bulk_enrolments_never_overbook(client, admin, cooperative):
    course = await make_course(capacity=4)
    await make_session(course)
    groups = [[(await make_person(cooperative=cooperative)).id for _ in range(3)] for _ in range(6)]
    headers = await bearer(admin)
    responses = await asyncio.gather(*[
        client.post(URL.format(course.id), json={"person_ids": group}, headers=headers) for group in groups
    ])
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
    rows = await _statuses(course.id)
    assert sum(1 for r in rows if r["status"] == "confirmed") == 4
    assert sum(1 for r in rows if r["status"] == "waitlisted") == 14
    positions = sorted(line["waitlist_position"] for r in responses for line in r.json()["results"]
                       if line["outcome"] == "waitlisted")
    assert positions == list(range(1, 15))
    confirmed = [line for r in responses for line in r.json()["results"] if line["outcome"] == "confirmed"]
    assert len(confirmed) == 4


async def test_the_same_people_in_concurrent_requests_are_enrolled_once(client, admin, cooperative):
    course = await make_course(capacity=10)
    people = [(await make_person(cooperative=cooperative)).id for _ in range(3)]
    headers = await bearer(admin)
    responses = await asyncio.gather(*[
        client.post(URL.format(course.id), json={"person_ids": people}, headers=headers) for _ in range(4)
    ])
    assert all(r.status_code == 200 for r in responses)
    assert len(await _statuses(course.id)) == 3
    outcomes = sorted(line["outcome"] for r in responses for line in r.json()["results"])
    assert outcomes.count("confirmed") == 3 and outcomes.count("refused") == 9


async def test_statements_do_not_grow_with_the_number_of_people(client, admin, cooperative, count_queries):
    headers = await bearer(admin)

    async def enrol(n: int) -> int:
        course = await make_course(capacity=n // 2)
        await make_session(course)
        ids = [(await make_person(cooperative=cooperative)).id for _ in range(n)]
        with count_queries() as counted:
            response = await client.post(URL.format(course.id), json={"person_ids": ids}, headers=headers)
        assert response.status_code == 200
        return counted.count

    few, many = await enrol(4), await enrol(40)
    assert few == many, (few, many)
