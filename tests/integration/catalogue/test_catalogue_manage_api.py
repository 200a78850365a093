"""Changing courses through the API: edit, capacity, copy, cancel, complete, delete; paths; locations."""

import asyncio
from datetime import UTC, date, datetime, timedelta

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_path,
    make_person,
    make_session,
)
from tests.support import as_user, bearer, rome
from training_hub.calendars.tokens import current_feed_url
from training_hub.core.tables import Course, CourseTrainer, Enrolment, Location, Outbox, Session, TrainingPath
from training_hub.core.timeutil import utcnow


async def trainer_course(status="published", capacity=20, **values):
    trainer = await make_person("trainer", full_name="Marco Bianchi")
    room = await make_location(name="Aula Ticino", comune="Pavia", province="PV", capacity=25)
    course = await make_course(await make_path(), trainers=[trainer], status=status, capacity=capacity,
                               location=room.id, **values)
    return trainer, room, course


async def test_enrolment_and_cancellation_windows_end_with_the_course(client):
    trainer, room, course = await trainer_course(status="draft")
    headers = await bearer(trainer)
    # No sessions yet: the course has no end to compare with.
    early = await client.patch(f"/api/courses/{course.id}", headers=headers, json={"enrolment_closes_at": "2027-03-01T18:00"})
    assert early.status_code == 200, early.text
    await client.post(f"/api/courses/{course.id}/sessions", headers=headers, json={
        "starts_at": "2027-01-12T09:00", "ends_at": "2027-01-12T12:00", "location_id": room.id})
    late = await client.patch(f"/api/courses/{course.id}", headers=headers, json={
        "enrolment_opens_at": "2027-01-13T09:00", "enrolment_closes_at": "2027-01-20T18:00",
        "cancellation_deadline": "2027-01-13T09:00"})
    assert late.status_code == 422
    assert {(e["field"], e["message"]) for e in late.json()["errors"]} == {
        ("enrolment_opens_at", "Le iscrizioni non possono aprirsi dopo la fine del corso (12/01/2027 12:00)."),
        ("enrolment_closes_at", "Le iscrizioni non possono chiudersi dopo la fine del corso (12/01/2027 12:00)."),
        ("cancellation_deadline", "La disdetta non può durare oltre la fine del corso (12/01/2027 12:00)."),
    }
    # The window set before the session was placed is now past the end too: the next change says so.
    unchanged = await Course.select(Course.enrolment_closes_at).where(Course.id == course.id).first()
    assert unchanged["enrolment_closes_at"] == rome(date(2027, 3, 1), 18)
    fixed = await client.patch(f"/api/courses/{course.id}", headers=headers, json={
        "enrolment_opens_at": "2026-12-01T09:00", "enrolment_closes_at": "2027-01-12T09:00",
        "cancellation_deadline": "2027-01-11T09:00"})
    assert fixed.status_code == 200, fixed.text


async def test_patch_changes_only_what_is_sent(client):
    trainer, room, course = await trainer_course(title="Vecchio titolo", funder_plan_code="FONCOOP-1")
    headers = await bearer(trainer)
    response = await client.patch(f"/api/courses/{course.id}", headers=headers,
                                  json={"title": "Nuovo titolo", "enrolment_closes_at": "2026-12-20T18:00"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["title"] == "Nuovo titolo" and body["funder_plan_code"] == "FONCOOP-1"
    assert body["enrolment_closes_at"] == "2026-12-20T18:00:00+01:00"
    assert body["trainers"][0]["id"] == trainer.id and body["location"]["id"] == room.id
    bad = await client.patch(f"/api/courses/{course.id}", headers=headers, json={"capacity": 0, "title": " "})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"capacity", "title"}
    wrong_type = await client.patch(f"/api/courses/{course.id}", headers=headers, json={"capacity": "tanti"})
    assert wrong_type.status_code == 400 and wrong_type.headers["content-type"] == "application/problem+json"


async def test_capacity_cannot_go_below_confirmed_seats_or_above_a_room(client):
    trainer, room, course = await trainer_course(capacity=20, enrolment_closes_at=rome(date(2026, 12, 8), 18),
                                                 cancellation_deadline=rome(date(2026, 12, 7), 18))
    await make_session(course, rome(date(2026, 12, 9), 9), location=room.id)
    for _ in range(3):
        await make_enrolment(await make_person("worker"), course)
    headers = await bearer(trainer)
    below = await client.patch(f"/api/courses/{course.id}", headers=headers, json={"capacity": 2})
    assert below.status_code == 422
    assert below.json()["errors"] == [{"field": "capacity", "message":
                                       "Ci sono già 3 iscritti confermati: i posti non possono essere meno."}]
    above = await client.patch(f"/api/courses/{course.id}", headers=headers, json={"capacity": 30})
    assert above.status_code == 422
    assert "Aula Ticino" in above.json()["errors"][0]["message"]
    assert (await client.patch(f"/api/courses/{course.id}", headers=headers, json={"capacity": 25})).status_code == 200


async def test_publish_needs_sessions_and_a_trainer(client):
    trainer, room, course = await trainer_course(status="draft")
    headers = await bearer(trainer)
    refused = await client.post(f"/api/courses/{course.id}/publish", headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "sessions",
                                         "message": "Aggiungi almeno un incontro prima di pubblicare."}]
    await make_session(course, rome(date(2026, 12, 9), 9), location=room.id)
    assert (await client.post(f"/api/courses/{course.id}/publish", headers=headers)).status_code == 200
    again = await client.post(f"/api/courses/{course.id}/publish", headers=headers)
    assert again.status_code == 409 and again.json()["type"] == "urn:training-hub:problem:invalid-state"


async def test_copy_keeps_everything_but_the_dates(client):
    trainer, room, course = await trainer_course(title="Primo soccorso", attendance_threshold=90,
                                                 funder_plan_code="FONCOOP-SIC-2026-003", requires_approval=True)
    first = await make_session(course, rome(date(2026, 10, 20), 9), minutes=240, location=room.id, topics="Uno")
    await make_session(course, rome(date(2026, 10, 27), 9), minutes=240, location=room.id, topics="Due")
    await make_enrolment(await make_person("worker"), course)
    headers = await bearer(trainer)
    plain = await client.post(f"/api/courses/{course.id}/copy", headers=headers)
    assert plain.status_code == 201, plain.text
    copy = plain.json()
    assert copy["status"] == "draft" and copy["copied_from"] == course.id and copy["sessions"] == []
    assert (copy["title"], copy["capacity"], copy["attendance_threshold"], copy["funder_plan_code"],
            copy["requires_approval"]) == ("Primo soccorso", 20, 90, "FONCOOP-SIC-2026-003", True)
    assert copy["enrolment_opens_at"] is None and copy["seats_taken"] == 0
    assert copy["trainers"] == [{"id": trainer.id, "full_name": "Marco Bianchi"}]
    # With a first day: the sessions follow at the same local time and distance, across the DST change.
    dated = await client.post(f"/api/courses/{course.id}/copy", headers=headers, json={"first_day": "2027-03-23"})
    assert dated.status_code == 201, dated.text
    sessions = dated.json()["sessions"]
    assert [s["starts_at"] for s in sessions] == ["2027-03-23T09:00:00+01:00", "2027-03-30T09:00:00+02:00"]
    assert [s["topics"] for s in sessions] == ["Uno", "Due"]
    assert {s["uid"] for s in sessions}.isdisjoint({first.uid})


async def test_cancelling_a_course_cancels_its_future_sessions_and_tells_everyone(client):
    trainer, room, course = await trainer_course(title="Bilancio sociale")
    past = await make_session(course, utcnow() - timedelta(days=7), location=room.id)
    future = await make_session(course, rome(date(2027, 1, 13), 9), location=room.id)
    people = [await make_person("worker") for _ in range(3)]
    await make_enrolment(people[0], course)
    await make_enrolment(people[1], course, status="waitlisted")
    await make_enrolment(people[2], course, status="pending")
    response = await client.post(f"/api/courses/{course.id}/cancel", headers=await bearer(trainer),
                                 json={"reason": "Formatore malato"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled" and response.json()["cancelled_reason"] == "Formatore malato"
    rows = {r["id"]: r for r in await Session.select(Session.id, Session.status, Session.sequence)}
    assert rows[future.id]["status"] == "cancelled" and rows[future.id]["sequence"] == 1
    assert rows[past.id]["status"] == "scheduled"
    notices = await Outbox.select(Outbox.recipient, Outbox.subject, Outbox.body)
    assert {n["recipient"] for n in notices} == {p.id for p in people}
    assert notices[0]["subject"] == "Corso annullato: Bilancio sociale" and "Formatore malato" in notices[0]["body"]
    edit = await client.patch(f"/api/courses/{course.id}", headers=await bearer(trainer), json={"title": "X"})
    assert edit.status_code == 409


async def test_cancelling_a_course_ends_every_live_enrolment_and_cancels_calendar_events(client):
    trainer, room, course = await trainer_course(title="Bilancio sociale", capacity=1)
    future = await make_session(course, rome(date(2027, 1, 13), 9), location=room.id)
    seated, waiting, asking, left = [await make_person("worker") for _ in range(4)]
    await make_enrolment(seated, course)
    await make_enrolment(waiting, course, status="waitlisted")
    await make_enrolment(asking, course, status="pending")
    await make_enrolment(left, course, status="cancelled")
    response = await client.post(f"/api/courses/{course.id}/cancel", headers=await bearer(trainer),
                                 json={"reason": "Formatore malato"})
    assert response.status_code == 200, response.text
    rows = {r["person"]: r for r in await Enrolment.select(
        Enrolment.person, Enrolment.status, Enrolment.cancelled_by, Enrolment.cancel_reason, Enrolment.confirmed_at)}
    assert {rows[p.id]["status"] for p in (seated, waiting, asking, left)} == {"cancelled"}
    assert rows[seated.id]["cancelled_by"] == trainer.id and rows[seated.id]["cancel_reason"] == "Formatore malato"
    assert rows[seated.id]["confirmed_at"] is not None  # personal feeds keep showing the cancellation
    assert rows[left.id]["cancelled_by"] is None  # an enrolment cancelled before is left as it was
    assert response.json()["seats_taken"] == 0 and response.json()["waitlist_length"] == 0
    notices = {n["recipient"]: n for n in await Outbox.select(Outbox.recipient, Outbox.kind, Outbox.ics)}
    assert set(notices) == {seated.id, waiting.id, asking.id}
    assert {n["kind"] for n in notices.values()} == {"course_cancelled"}
    # The participant's calendar drops the event it accepted; the others never had one.
    assert "METHOD:CANCEL" in notices[seated.id]["ics"] and future.uid in notices[seated.id]["ics"]
    assert notices[waiting.id]["ics"] == "" and notices[asking.id]["ics"] == ""
    # A subscribed calendar shows the session as cancelled rather than letting it vanish.
    feed = await client.get(await current_feed_url(as_user(seated)))
    assert feed.status_code == 200 and future.uid in feed.text and "STATUS:CANCELLED" in feed.text
    # Nothing can bring a seat back: the course is no longer open to changes of capacity.
    raised = await client.patch(f"/api/courses/{course.id}", headers=await bearer(trainer), json={"capacity": 5})
    assert raised.status_code == 409
    assert (await Enrolment.select(Enrolment.status).where(Enrolment.person == waiting.id).first())["status"] == (
        "cancelled")


async def test_raising_the_capacity_promotes_the_waiting_list_at_once(client):
    trainer, room, course = await trainer_course(capacity=1)
    await make_session(course, utcnow() + timedelta(days=30), location=room.id)
    await make_enrolment(await make_person("worker"), course)
    first, second = await make_person("worker"), await make_person("worker")
    await make_enrolment(first, course, status="waitlisted", waitlisted_at=utcnow() - timedelta(hours=2))
    await make_enrolment(second, course, status="waitlisted", waitlisted_at=utcnow() - timedelta(hours=1))
    response = await client.patch(f"/api/courses/{course.id}", headers=await bearer(trainer), json={"capacity": 2})
    assert response.status_code == 200, response.text
    assert (response.json()["seats_taken"], response.json()["waitlist_length"]) == (2, 1)
    statuses = {r["person"]: r["status"] for r in await Enrolment.select(Enrolment.person, Enrolment.status)}
    assert (statuses[first.id], statuses[second.id]) == ("confirmed", "waitlisted")
    assert [n["recipient"] for n in await Outbox.select(Outbox.recipient)] == [first.id]


async def test_concurrent_moves_of_a_session_each_raise_its_sequence(client):
    trainer, room, course = await trainer_course()
    session = await make_session(course, rome(date(2027, 1, 13), 9), location=room.id)
    await make_session(course, rome(date(2027, 1, 20), 9), location=room.id)
    headers = await bearer(trainer)
    moves = await asyncio.gather(*[
        client.patch(f"/api/sessions/{session.id}", headers=headers,
                     json={"starts_at": f"2027-01-{day}T09:00", "ends_at": f"2027-01-{day}T12:00"})
        for day in (14, 15)])
    assert [m.status_code for m in moves] == [200, 200]
    row = await Session.select(Session.sequence).where(Session.id == session.id).first()
    assert row["sequence"] == 2  # two changes: calendar clients must see the second one too
    cancels = await asyncio.gather(*[client.post(f"/api/sessions/{session.id}/cancel", headers=headers)
                                     for _ in range(2)])
    assert sorted(c.status_code for c in cancels) == [200, 409]
    assert (await Session.select(Session.sequence).where(Session.id == session.id).first())["sequence"] == 3


async def test_a_consortium_trainer_edits_the_cooperative_course_they_teach(client, trainer):
    coop = await make_cooperative()
    path = await make_path("internal_training", owner_cooperative=coop.id)
    course = await make_course(path, trainers=[trainer], title="Progettare la formazione")
    response = await client.patch(f"/api/courses/{course.id}", headers=await bearer(trainer),
                                  json={"title": "Progettare la formazione interna"})
    assert response.status_code == 200, response.text
    assert response.json()["title"] == "Progettare la formazione interna"
    # Moving it to a path they cannot see is still refused.
    other = await make_path("internal_training", owner_cooperative=(await make_cooperative()).id)
    moved = await client.patch(f"/api/courses/{course.id}", headers=await bearer(trainer), json={"path_id": other.id})
    assert moved.status_code == 422 and moved.json()["errors"][0]["field"] == "path_id"


async def test_only_the_office_moves_a_course_between_consortium_and_cooperative_paths(client, admin, trainer):
    coop, elsewhere = await make_cooperative(), await make_cooperative()
    coordinator = await make_person("coordinator", cooperative=coop)
    outsider = await make_person("worker", cooperative=elsewhere)
    internal = await make_path("internal_training", owner_cooperative=coop.id)
    second_internal = await make_path("internal_training", owner_cooperative=coop.id)
    consortium = await make_path("marketing")
    course = await make_course(internal, trainers=[trainer], title="Procedure interne")
    # The trainer who teaches it could make the cooperative's internal course public: refused, unchanged.
    made_public = await client.patch(f"/api/courses/{course.id}", headers=await bearer(trainer),
                                     json={"path_id": consortium.id})
    assert made_public.status_code == 403, made_public.text
    assert (await Course.select(Course.path).where(Course.id == course.id).first())["path"] == internal.id
    assert (await client.get(f"/api/courses/{course.id}", headers=await bearer(outsider))).status_code == 404
    # Between two paths of the same cooperative, its coordinator moves it; the office moves it anywhere.
    inside = await client.patch(f"/api/courses/{course.id}", headers=await bearer(coordinator),
                                json={"path_id": second_internal.id})
    assert inside.status_code == 200 and inside.json()["path"]["id"] == second_internal.id
    by_office = await client.patch(f"/api/courses/{course.id}", headers=await bearer(admin),
                                   json={"path_id": consortium.id})
    assert by_office.status_code == 200 and by_office.json()["path"]["id"] == consortium.id
    # Nor is a consortium course taken into a cooperative's path by a trainer, even one of that
    # cooperative who can see its paths.
    member_trainer = await make_person("trainer", cooperative=coop)
    await CourseTrainer.insert(CourseTrainer(course=course.id, person=member_trainer.id))
    for someone in (trainer, member_trainer):
        back = await client.patch(f"/api/courses/{course.id}", headers=await bearer(someone),
                                  json={"path_id": internal.id})
        assert back.status_code == (403 if someone is member_trainer else 422), back.text
    assert (await Course.select(Course.path).where(Course.id == course.id).first())["path"] == consortium.id


async def test_impossible_ids_and_dates_are_field_errors(client):
    trainer, room, course = await trainer_course(status="draft")
    headers = await bearer(trainer)
    huge = await client.patch(f"/api/courses/{course.id}", headers=headers,
                              json={"path_id": 99999999999, "location_id": 99999999999})
    assert huge.status_code == 422
    assert {e["field"] for e in huge.json()["errors"]} == {"path_id", "location_id"}
    far = await client.patch(f"/api/courses/{course.id}", headers=headers,
                             json={"enrolment_opens_at": "0001-01-01T00:00", "enrolment_closes_at": "9999-12-31T23:59"})
    assert far.status_code == 422
    assert {e["field"] for e in far.json()["errors"]} == {"enrolment_opens_at", "enrolment_closes_at"}
    session = await client.post(f"/api/courses/{course.id}/sessions", headers=headers, json={
        "starts_at": "9999-12-31T23:00", "ends_at": "9999-12-31T23:30", "location_id": room.id})
    assert session.status_code == 422
    assert {e["field"] for e in session.json()["errors"]} == {"starts_at", "ends_at"}
    series = await client.post(f"/api/courses/{course.id}/sessions/series", headers=headers, json={
        "first_day": "9999-12-25", "weekdays": [0, 1, 2, 3, 4], "start_time": "09:00", "end_time": "10:00",
        "count": 20, "location_id": room.id})
    assert series.status_code == 422 and series.json()["errors"][0]["field"] == "first_day"
    copy = await client.post(f"/api/courses/{course.id}/copy", headers=headers, json={"first_day": "0001-01-01"})
    assert copy.status_code == 422 and copy.json()["errors"][0]["field"] == "first_day"
    catalogue = await client.get("/api/courses?starts_after=0001-01-01&starts_before=9999-12-31", headers=headers)
    assert catalogue.status_code == 422
    assert {e["field"] for e in catalogue.json()["errors"]} == {"starts_after", "starts_before"}
    assert await Session.count() == 0 and await Course.count() == 1


async def test_complete_only_after_the_last_session_and_drafts_are_deleted_not_cancelled(client):
    trainer, room, course = await trainer_course()
    await make_session(course, rome(date(2027, 1, 13), 9), location=room.id)
    headers = await bearer(trainer)
    early = await client.post(f"/api/courses/{course.id}/complete", headers=headers)
    assert early.status_code == 409
    await Session.update({Session.starts_at: utcnow() - timedelta(days=2),
                          Session.ends_at: utcnow() - timedelta(days=2) + timedelta(hours=3)}, force=True)
    await Course.update({Course.ends_at: utcnow() - timedelta(days=2)}, force=True)
    assert (await client.post(f"/api/courses/{course.id}/complete", headers=headers)).json()["status"] == "completed"

    _t, _r, draft = await trainer_course(status="draft")
    draft_headers = await bearer(_t)
    assert (await client.post(f"/api/courses/{draft.id}/cancel", headers=draft_headers)).status_code == 409
    assert (await client.delete(f"/api/courses/{draft.id}", headers=draft_headers)).status_code == 204
    assert not await Course.exists().where(Course.id == draft.id)
    assert (await client.delete(f"/api/courses/{course.id}", headers=headers)).status_code == 409


async def test_sessions_of_drafts_are_deleted_and_uids_never_change(client):
    trainer, room, course = await trainer_course(status="draft")
    session = await make_session(course, rome(date(2027, 1, 13), 9), location=room.id)
    headers = await bearer(trainer)
    moved = await client.patch(f"/api/sessions/{session.id}", headers=headers,
                               json={"starts_at": "2027-01-14T09:00", "ends_at": "2027-01-14T12:00"})
    assert moved.json()["uid"] == session.uid and moved.json()["sequence"] == 1
    assert (await client.delete(f"/api/sessions/{session.id}", headers=headers)).status_code == 204
    assert (await Course.select(Course.starts_at).where(Course.id == course.id).first())["starts_at"] is None


async def test_a_session_on_the_fall_back_night_counts_real_minutes(client):
    trainer, room, course = await trainer_course(status="draft")
    response = await client.post(f"/api/courses/{course.id}/sessions", headers=await bearer(trainer), json={
        "starts_at": "2026-10-25T01:00", "ends_at": "2026-10-25T10:30", "location_id": room.id})
    assert response.status_code == 409
    codes = {i["code"]: i["message"] for i in response.json()["issues"]}
    assert codes["too_many_hours"] == ("25/10/2026: il corso arriva a 10 h 30 min in un giorno, più delle 10 ore "
                                       "consigliate.")
    assert {"sunday", "outside_hours"} <= set(codes)
    saved = await client.post(f"/api/courses/{course.id}/sessions", headers=await bearer(trainer), json={
        "starts_at": "2026-10-25T01:00", "ends_at": "2026-10-25T10:30", "location_id": room.id,
        "confirm_warnings": True})
    assert saved.status_code == 201
    assert saved.json()["minutes"] == 630
    assert saved.json()["starts_at"] == "2026-10-25T01:00:00+02:00" and saved.json()["ends_at"] == "2026-10-25T10:30:00+01:00"
    stored = await Session.select(Session.starts_at, Session.ends_at).first()
    assert stored["starts_at"] == datetime(2026, 10, 24, 23, 0, tzinfo=UTC)


async def test_paths_api(client, admin, trainer):
    coop = await make_cooperative()
    worker = await make_person("worker", cooperative=coop)
    created = await client.post("/api/paths", headers=await bearer(trainer), json={
        "kind": "marketing", "title": "Comunicazione sociale", "objectives": "Raccontare"})
    assert created.status_code == 201
    path = created.json()
    assert path["owner_cooperative_id"] is None and path["created_by"] == trainer.id
    assert (await client.post("/api/paths", headers=await bearer(worker),
                              json={"kind": "marketing", "title": "X"})).status_code == 403
    assert (await client.post("/api/paths", headers=await bearer(trainer),
                              json={"kind": "nessuno", "title": ""})).status_code == 422
    patched = await client.patch(f"/api/paths/{path['id']}", headers=await bearer(trainer), json={"sequential": True})
    assert patched.status_code == 200 and patched.json()["sequential"] is True
    other_trainer = await make_person("trainer")
    assert (await client.patch(f"/api/paths/{path['id']}", headers=await bearer(other_trainer),
                               json={"title": "Mio"})).status_code == 403
    internal = await client.post("/api/paths", headers=await bearer(admin), json={
        "kind": "internal_training", "title": "Interna", "owner_cooperative_id": coop.id})
    assert internal.status_code == 201
    listing = await client.get("/api/paths", headers=await bearer(worker))
    assert {p["title"] for p in listing.json()} == {"Comunicazione sociale", "Interna"}
    outsider = await make_person("worker", cooperative=await make_cooperative())
    assert {p["title"] for p in (await client.get("/api/paths", headers=await bearer(outsider))).json()} == {
        "Comunicazione sociale"}
    assert (await client.get(f"/api/paths/{internal.json()['id']}", headers=await bearer(outsider))).status_code == 404
    assert await TrainingPath.count() == 2


async def test_locations_api(client, admin, trainer):
    body = {"name": "Casa del Volontariato", "address": "Via Grandi, 21", "comune": "Como", "province": "CO",
            "capacity": 25, "step_free_access": True}
    assert (await client.post("/api/locations", headers=await bearer(trainer), json=body)).status_code == 403
    created = await client.post("/api/locations", headers=await bearer(admin), json=body)
    assert created.status_code == 201 and created.json()["step_free_access"] is True
    bad = await client.post("/api/locations", headers=await bearer(admin),
                            json={"name": "", "province": "XX", "capacity": 0})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"name", "comune", "province", "capacity"}
    online = await client.post("/api/locations", headers=await bearer(admin), json={"name": "Aula virtuale",
                                                                                   "is_online": True})
    assert online.status_code == 201 and online.json()["province"] is None
    listing = await client.get("/api/locations", headers=await bearer(trainer))
    assert [l["name"] for l in listing.json()] == ["Aula virtuale", "Casa del Volontariato"]
    patched = await client.patch(f"/api/locations/{created.json()['id']}", headers=await bearer(admin),
                                 json={"capacity": 30})
    assert patched.json()["capacity"] == 30 and patched.json()["comune"] == "Como"
    assert await Location.count() == 2


async def test_trainer_courses_api_lists_drafts_of_the_trainer(client):
    trainer, _room, _course = await trainer_course(status="draft", title="Bozza mia")
    await make_course(await make_path(), trainers=[await make_person("trainer")], title="Di altri")
    response = await client.get("/api/trainer/courses", headers=await bearer(trainer))
    assert [c["title"] for c in response.json()["items"]] == ["Bozza mia"]
    worker = await make_person("worker")
    assert (await client.get("/api/trainer/courses", headers=await bearer(worker))).status_code == 403


async def test_course_trainers_must_be_able_to_teach(client):
    trainer, _room, course = await trainer_course()
    worker = await make_person("worker")
    response = await client.patch(f"/api/courses/{course.id}", headers=await bearer(trainer),
                                  json={"trainer_ids": [worker.id]})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "trainer_ids"
    assert await CourseTrainer.count() == 1


async def test_openapi_lists_the_catalogue_endpoints(client):
    schema = (await client.get("/schema/openapi.json")).json()
    for path in ("/api/paths", "/api/courses", "/api/courses/{course_id}", "/api/courses/{course_id}/sessions",
                 "/api/courses/{course_id}/sessions/series", "/api/courses/{course_id}/publish",
                 "/api/courses/{course_id}/cancel", "/api/courses/{course_id}/copy", "/api/sessions/{session_id}",
                 "/api/sessions/{session_id}/cancel", "/api/locations"):
        assert path in schema["paths"], path
    parameters = {p["name"] for p in schema["paths"]["/api/courses"]["get"]["parameters"]}
    assert {"kind", "province", "area", "q", "starts_after", "starts_before", "page", "page_size", "delivery_mode",
            "seats_available"} <= parameters
