"""Seats are never given twice: real races through the HTTP client on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from collections import Counter

import pytest

from tests.factories import make_cooperative, make_course, make_person, make_session
from tests.support import bearer
from training_hub.core.tables import Course, Enrolment, EnrolmentStatus
from training_hub.seats.state import waitlist_position


async def _workers(n: int) -> list:
    cooperative = await make_cooperative()
    return [await make_person(cooperative=cooperative) for _ in range(n)]


async def _waitlist(course_id: int) -> list[dict]:
    return (
        await Enrolment.select(Enrolment.id, Enrolment.person)
        .where((Enrolment.course == course_id) & (Enrolment.status == EnrolmentStatus.WAITLISTED))
        .order_by(Enrolment.waitlisted_at)
        .order_by(Enrolment.id)
    )


async def test_200_concurrent_enrolments_fill_20_seats_and_a_waiting_list_of_180(client):
    course = await make_course(capacity=20)
    await make_session(course)
    workers = await _workers(200)
    headers = [await bearer(worker) for worker in workers]

    responses = await asyncio.gather(
        *(client.post(f"/api/courses/{course.id}/enrolments", json={}, headers=h) for h in headers)
    )

    assert Counter(r.status_code for r in responses) == {201: 200}, [
        r.text for r in responses if r.status_code != 201
    ][:3]
    bodies = [r.json() for r in responses]
    assert Counter(b["status"] for b in bodies) == {"confirmed": 20, "waitlisted": 180}
    assert sorted(b["waitlist_position"] for b in bodies if b["status"] == "waitlisted") == list(
        range(1, 181)
    )
    assert all(b["waitlist_position"] is None for b in bodies if b["status"] == "confirmed")
    # The positions given in the answers are the order of the list in the database.
    waiting = await _waitlist(course.id)
    answered = {b["id"]: b["waitlist_position"] for b in bodies if b["status"] == "waitlisted"}
    assert [answered[row["id"]] for row in waiting] == list(range(1, 181))
    assert (
        await Enrolment.count().where(
            (Enrolment.course == course.id) & (Enrolment.status == EnrolmentStatus.CONFIRMED)
        )
        == 20
    )

    # Cancelling five confirmed seats at once promotes exactly positions 1..5.
    by_id = {b["id"]: (worker, h) for b, worker, h in zip(bodies, workers, headers, strict=True)}
    confirmed_ids = [b["id"] for b in bodies if b["status"] == "confirmed"][:5]
    first_five = [row["id"] for row in waiting[:5]]
    cancels = await asyncio.gather(
        *(
            client.post(f"/api/enrolments/{eid}/cancel", json={}, headers=by_id[eid][1])
            for eid in confirmed_ids
        )
    )
    assert [r.status_code for r in cancels] == [200] * 5
    assert sorted(p for r in cancels for p in r.json()["promoted"]) == sorted(first_five)
    rows = await Enrolment.select(Enrolment.id, Enrolment.status).where(Enrolment.course == course.id)
    status = {row["id"]: row["status"] for row in rows}
    assert Counter(status.values()) == {"confirmed": 20, "waitlisted": 175, "cancelled": 5}
    assert all(status[eid] == "confirmed" for eid in first_five)
    assert [row["id"] for row in await _waitlist(course.id)] == [row["id"] for row in waiting[5:]]
    positions = [await waitlist_position(row["id"]) for row in waiting[5:8]]
    assert positions == [1, 2, 3]


@pytest.mark.parametrize("seed", [4, 1998, 2026])
async def test_random_concurrent_enrol_cancel_and_capacity_changes_keep_the_invariants(client, seed, admin):
    rng = random.Random(seed)
    admin_headers = await bearer(admin)
    course = await make_course(capacity=5)
    await make_session(course)
    workers = await _workers(40)
    headers = {worker.id: await bearer(worker) for worker in workers}
    statuses: Counter[int] = Counter()

    async def enrol(worker) -> None:
        response = await client.post(
            f"/api/courses/{course.id}/enrolments", json={}, headers=headers[worker.id]
        )
        statuses[response.status_code] += 1
        assert response.status_code in (201, 409), response.text  # 409: already enrolled in an earlier round

    async def cancel_someone() -> None:
        await asyncio.sleep(rng.random() / 200)
        rows = await Enrolment.select(Enrolment.id, Enrolment.person).where(
            (Enrolment.course == course.id) & Enrolment.status.is_in(["confirmed", "waitlisted"])
        )
        if rows:
            row = rng.choice(rows)
            response = await client.post(
                f"/api/enrolments/{row['id']}/cancel", json={}, headers=headers[row["person"]]
            )
            statuses[response.status_code] += 1
            assert response.status_code in (200, 409), response.text  # 409: cancelled by a parallel call

    async def change_capacity() -> None:
        await asyncio.sleep(rng.random() / 200)
        response = await client.post(
            f"/api/courses/{course.id}/capacity", json={"capacity": rng.randint(3, 12)}, headers=admin_headers
        )
        statuses[response.status_code] += 1
        assert response.status_code in (200, 422), response.text  # 422: below the confirmed seats

    previous_waitlist: list[int] = []
    for round_number in range(5):
        tasks = [enrol(worker) for worker in rng.sample(workers, 15)]
        tasks += [cancel_someone() for _ in range(6)] + [change_capacity() for _ in range(3)]
        rng.shuffle(tasks)
        await asyncio.gather(*tasks)

        capacity = (await Course.select(Course.capacity).where(Course.id == course.id).first())["capacity"]
        rows = await Enrolment.select().where(Enrolment.course == course.id).order_by(Enrolment.id)
        live = [row for row in rows if row["status"] in ("pending", "confirmed", "waitlisted")]
        confirmed = [row for row in live if row["status"] == "confirmed"]
        waiting = [
            row["id"]
            for row in sorted(
                (row for row in live if row["status"] == "waitlisted"),
                key=lambda r: (r["waitlisted_at"], r["id"]),
            )
        ]
        assert len(confirmed) <= capacity, round_number
        # Nobody waits while a seat is free (the window is open and the course has not started).
        assert not waiting or len(confirmed) == capacity, round_number
        # Nobody has two live enrolments.
        assert len({row["person"] for row in live}) == len(live), round_number
        # First come, first served: people still waiting keep their relative order, newcomers queue
        # behind everyone who was already waiting, and the positions are 1..n in that order.
        still_waiting = [eid for eid in previous_waitlist if eid in waiting]
        assert waiting[: len(still_waiting)] == still_waiting, round_number
        assert [await waitlist_position(eid) for eid in waiting] == list(range(1, len(waiting) + 1))
        previous_waitlist = waiting
    assert statuses[201] > 20 and statuses[200] > 5  # the rounds really enrolled, cancelled and resized
