"""Who sees which course: drafts, a cooperative's internal courses, restricted courses, online links.

A worker never sees drafts or another cooperative's internal courses, neither through the pages nor
through the API; the refusal is a 404 so ids of private courses reveal nothing.
"""

from datetime import date

import pytest

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_path,
    make_person,
    make_session,
)
from tests.support import as_user, bearer, login, rome
from training_hub.catalogue.access import can_manage_course, can_view_course, is_course_trainer
from training_hub.core.tables import CourseEligibleCooperative, TutorLink
from training_hub.seats.facts import load_course_facts


@pytest.fixture
async def world():
    ours = await make_cooperative(name="Cooperativa Sociale Spazio Aperto")
    theirs = await make_cooperative(name="Cooperativa Sociale Il Melograno", province="CO", comune="Como")
    trainer = await make_person("trainer", email="trainer@example.test")
    worker = await make_person("worker", cooperative=ours, email="worker@example.test")
    coordinator = await make_person("coordinator", cooperative=theirs, email="coord@example.test")
    admin = await make_person("admin", email="admin@example.test")
    room = await make_location(capacity=40)
    consortium = await make_path("marketing")
    internal_theirs = await make_path("internal_training", owner_cooperative=theirs.id, title="Interna Melograno")
    internal_ours = await make_path("internal_training", owner_cooperative=ours.id, title="Interna Spazio Aperto")

    async def course(path, title, status="published", **values):
        row = await make_course(path, trainers=[trainer], title=title, status=status, location=room.id, **values)
        await make_session(row, rome(date(2026, 12, 3), 9), minutes=120, location=room.id)
        return row

    courses = {
        "public": await course(consortium, "Corso pubblico"),
        "draft": await course(consortium, "Corso in bozza", status="draft"),
        "theirs": await course(internal_theirs, "Corso interno altrui"),
        "theirs_draft": await course(internal_theirs, "Bozza interna altrui", status="draft"),
        "ours": await course(internal_ours, "Corso interno nostro"),
        "restricted": await course(consortium, "Corso riservato al Melograno"),
    }
    await CourseEligibleCooperative.insert(
        CourseEligibleCooperative(course=courses["restricted"].id, cooperative=theirs.id))
    return {"worker": worker, "trainer": trainer, "coordinator": coordinator, "admin": admin, "ours": ours,
            "theirs": theirs, "courses": courses, "room": room}


async def titles(client, headers=None, url="/api/courses?include_past=true"):
    response = await client.get(url, headers=headers or {})
    assert response.status_code == 200, response.text
    return sorted(item["title"] for item in response.json()["items"])


async def test_worker_sees_only_public_and_own_cooperative_courses_in_the_api(client, world):
    headers = await bearer(world["worker"])
    assert await titles(client, headers) == ["Corso interno nostro", "Corso pubblico"]
    for key in ("draft", "theirs", "theirs_draft", "restricted"):
        response = await client.get(f"/api/courses/{world['courses'][key].id}", headers=headers)
        assert response.status_code == 404, key
        assert response.json()["type"] == "urn:training-hub:problem:not-found"
    assert (await client.get(f"/api/courses/{world['courses']['ours'].id}", headers=headers)).status_code == 200


async def test_worker_sees_the_same_through_the_pages(client, world):
    await login(client, "worker@example.test")
    page = (await client.get("/courses")).text
    assert "Corso pubblico" in page and "Corso interno nostro" in page
    for hidden in ("Corso in bozza", "Corso interno altrui", "Bozza interna altrui", "Corso riservato al Melograno"):
        assert hidden not in page
    for key in ("draft", "theirs", "restricted"):
        response = await client.get(f"/courses/{world['courses'][key].id}")
        assert response.status_code == 404
        assert "Corso non trovato" in response.text
    paths = await client.get("/api/paths", headers=await bearer(world["worker"]))
    assert "Interna Melograno" not in {p["title"] for p in paths.json()}
    internal = await client.get(f"/paths/{world['courses']['theirs'].path}")
    assert internal.status_code == 404


async def test_coordinator_sees_own_cooperative_drafts_and_restricted_courses(client, world):
    headers = await bearer(world["coordinator"])
    assert await titles(client, headers) == ["Corso interno altrui", "Corso pubblico", "Corso riservato al Melograno"]
    draft = await client.get(f"/api/courses/{world['courses']['theirs_draft'].id}", headers=headers)
    assert draft.status_code == 200 and draft.json()["can_manage"] is True
    assert (await client.get(f"/api/courses/{world['courses']['draft'].id}", headers=headers)).status_code == 404


async def test_trainer_and_admin_see_drafts_they_manage(client, world):
    trainer = await bearer(world["trainer"])
    response = await client.get(f"/api/courses/{world['courses']['theirs_draft'].id}", headers=trainer)
    assert response.status_code == 200  # they teach it
    stranger = await make_person("trainer")
    assert (await client.get(f"/api/courses/{world['courses']['draft'].id}",
                             headers=await bearer(stranger))).status_code == 404
    admin = await bearer(world["admin"])
    assert len(await titles(client, admin)) == 4  # every published course
    assert (await client.get(f"/api/courses/{world['courses']['draft'].id}", headers=admin)).status_code == 200


async def test_visibility_rules_as_functions(world):
    worker = as_user(world["worker"])
    access = await load_course_facts(world["courses"]["theirs"].id)
    assert not can_view_course(worker, access)
    assert can_view_course(worker, access, enrolled=True)
    draft = await load_course_facts(world["courses"]["draft"].id)
    assert not can_view_course(worker, draft, enrolled=True)
    assert can_manage_course(as_user(world["trainer"]), draft)
    assert not can_manage_course(as_user(world["coordinator"]), draft)
    assert can_manage_course(as_user(world["coordinator"]),
                                     await load_course_facts(world["courses"]["theirs_draft"].id))
    assert await is_course_trainer(world["trainer"].id, world["courses"]["draft"].id)
    assert not await is_course_trainer(world["worker"].id, world["courses"]["draft"].id)


async def test_online_link_only_for_confirmed_enrolled_trainers_and_admins(client, world):
    path = await make_path("marketing")
    course = await make_course(path, trainers=[world["trainer"]], title="Social media", delivery_mode="online")
    await make_session(course, rome(date(2026, 12, 10), 17), minutes=120,
                       online_url="https://meet.example.test/segreto")
    waiting = await make_person("worker", cooperative=world["ours"])
    await make_enrolment(waiting, course, status="waitlisted")

    async def link_in_api(person):
        body = (await client.get(f"/api/courses/{course.id}", headers=await bearer(person))).json()
        return body["sessions"][0]["online_url"]

    assert await link_in_api(world["worker"]) is None
    assert await link_in_api(waiting) is None
    assert await link_in_api(world["trainer"]) == "https://meet.example.test/segreto"
    assert await link_in_api(world["admin"]) == "https://meet.example.test/segreto"
    await make_enrolment(world["worker"], course)
    assert await link_in_api(world["worker"]) == "https://meet.example.test/segreto"

    listing = await client.get("/api/courses", headers=await bearer(world["worker"]))
    assert "segreto" not in listing.text
    other = await make_person("worker", cooperative=world["ours"], email="other@example.test")
    await login(client, "other@example.test")
    page = await client.get(f"/courses/{course.id}")
    assert "segreto" not in page.text and "il collegamento è visibile agli iscritti" in page.text
    assert "segreto" not in (await client.get("/courses")).text
    assert other.id


async def test_worker_cannot_create_or_change_courses(client, world):
    headers = await bearer(world["worker"])
    public = world["courses"]["public"]
    created = await client.post("/api/courses", headers=headers,
                                json={"path_id": public.path, "title": "Nuovo", "capacity": 10})
    assert created.status_code == 403
    assert (await client.patch(f"/api/courses/{public.id}", headers=headers, json={"title": "X"})).status_code == 403
    assert (await client.post(f"/api/courses/{public.id}/publish", headers=headers)).status_code == 403
    assert (await client.post(f"/api/courses/{public.id}/sessions", headers=headers, json={
        "starts_at": "2026-12-20T09:00", "ends_at": "2026-12-20T10:00"})).status_code == 403
    # Another cooperative's internal course: as if it did not exist.
    theirs = world["courses"]["theirs"]
    assert (await client.patch(f"/api/courses/{theirs.id}", headers=headers, json={"title": "X"})).status_code == 404
    await login(client, "worker@example.test")
    assert (await client.get("/trainer/courses")).status_code == 403
    assert (await client.get(f"/trainer/courses/{public.id}/edit")).status_code == 403


async def test_coordinator_works_only_on_own_cooperative_internal_courses(client, world):
    headers = await bearer(world["coordinator"])
    public = world["courses"]["public"]
    refused = await client.post("/api/courses", headers=headers,
                                json={"path_id": public.path, "title": "Nel percorso del consorzio", "capacity": 10})
    assert refused.status_code == 403
    assert (await client.patch(f"/api/courses/{public.id}", headers=headers, json={"title": "X"})).status_code == 403
    own_path = world["courses"]["theirs"].path
    created = await client.post("/api/courses", headers=headers, json={
        "path_id": own_path, "title": "Accoglienza dei nuovi operatori", "capacity": 12,
        "trainer_ids": [world["coordinator"].id]})
    assert created.status_code == 201, created.text
    ours_path = world["courses"]["ours"].path
    other = await client.post("/api/courses", headers=headers,
                              json={"path_id": ours_path, "title": "Altrui", "capacity": 12})
    assert other.status_code == 422  # that path is not visible to them: "does not exist"
    path = await client.post("/api/paths", headers=headers, json={"kind": "internal_training", "title": "Nostro"})
    assert path.status_code == 201 and path.json()["owner_cooperative_id"] == world["theirs"].id
    stolen = await client.post("/api/paths", headers=headers, json={
        "kind": "internal_training", "title": "Di altri", "owner_cooperative_id": world["ours"].id})
    assert stolen.status_code == 403


async def test_a_session_trainer_reads_the_course_and_its_path(client, world):
    guest = await make_person("trainer")
    course = world["courses"]["theirs"]
    await make_session(course, rome(date(2026, 12, 10), 9), minutes=120, trainer=guest.id)
    headers = await bearer(guest)
    assert (await client.get(f"/api/courses/{course.id}", headers=headers)).status_code == 200
    path = await client.get(f"/api/paths/{course.path}", headers=headers)
    assert path.status_code == 200 and [c["id"] for c in path.json()["courses"]] == [course.id]
    assert course.path in {p["id"] for p in (await client.get("/api/paths", headers=headers)).json()}


async def test_a_tutor_reads_the_courses_of_the_people_they_follow(client):
    ours, theirs = await make_cooperative(), await make_cooperative()
    tutor = await make_person("tutor", cooperative=ours, email="tutor@example.test")
    stranger = await make_person("tutor", cooperative=ours)
    followed = await make_person("worker", cooperative=theirs)
    await TutorLink.insert(TutorLink(tutor=tutor.id, person=followed.id))
    # A course for the followed person's cooperative only: outside the tutor's own audience.
    course = await make_course(trainers=[await make_person("trainer")], title="Percorso di inserimento")
    await CourseEligibleCooperative.insert(CourseEligibleCooperative(course=course.id, cooperative=theirs.id))
    await make_session(course, rome(date(2026, 12, 10), 9))
    assert (await client.get(f"/api/courses/{course.id}", headers=await bearer(tutor))).status_code == 404
    await make_enrolment(followed, course)
    assert (await client.get(f"/api/courses/{course.id}", headers=await bearer(tutor))).status_code == 200
    assert (await client.get(f"/api/courses/{course.id}", headers=await bearer(stranger))).status_code == 404
    await login(client, "tutor@example.test")
    page = await client.get(f"/courses/{course.id}")
    assert page.status_code == 200 and "Percorso di inserimento" in page.text
    session = (await client.get(f"/api/courses/{course.id}", headers=await bearer(tutor))).json()["sessions"][0]
    assert (await client.get(f"/calendar/sessions/{session['id']}.ics")).status_code == 200
