"""The catalogue's JSON API through HTTP: paths, courses, sessions, publishing, the 409 conflicts."""

from datetime import UTC, date

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_path,
    make_person,
    make_session,
)
from tests.support import bearer, rome
from training_hub.core.tables import Course, Outbox, Session


async def staff():
    coop = await make_cooperative(name="Cooperativa Sociale Ticino", province="PV", comune="Pavia")
    trainer = await make_person("trainer", full_name="Marco Bianchi")
    admin = await make_person("admin")
    worker = await make_person("worker", cooperative=coop, area="anziani")
    return coop, trainer, admin, worker


async def test_trainer_creates_schedules_and_publishes_a_course(client):
    _coop, trainer, _admin, worker = await staff()
    path = await make_path("marketing", title="Marketing dell'impresa sociale")
    room = await make_location(name="Aula Ticino", comune="Pavia", province="PV", capacity=25)
    headers = await bearer(trainer)
    created = await client.post("/api/courses", headers=headers, json={
        "path_id": path.id, "title": "Bilancio sociale", "capacity": 20, "location_id": room.id,
        "enrolment_opens_at": "2026-11-20T09:00", "enrolment_closes_at": "2026-12-10T18:00",
        "funder_plan_code": "FONCOOP-2026-1",
    })
    assert created.status_code == 201, created.text
    course = created.json()
    assert course["status"] == "draft"
    assert course["trainers"] == [{"id": trainer.id, "full_name": "Marco Bianchi"}]
    assert course["enrolment_opens_at"] == "2026-11-20T09:00:00+01:00"
    assert course["sessions"] == [] and course["seats_taken"] == 0 and course["waitlist_length"] == 0

    # A draft is invisible to workers, through the API as well.
    worker_headers = await bearer(worker)
    assert (await client.get(f"/api/courses/{course['id']}", headers=worker_headers)).status_code == 404

    session = await client.post(f"/api/courses/{course['id']}/sessions", headers=headers, json={
        "starts_at": "2026-12-14T09:30", "ends_at": "2026-12-14T13:00", "location_id": room.id,
        "topics": "Le linee guida",
    })
    assert session.status_code == 201, session.text
    body = session.json()
    assert body["starts_at"] == "2026-12-14T09:30:00+01:00" and body["ends_at"] == "2026-12-14T13:00:00+01:00"
    assert body["sequence"] == 0 and body["uid"].endswith("@training-hub") and body["minutes"] == 210

    published = await client.post(f"/api/courses/{course['id']}/publish", headers=headers)
    assert published.status_code == 200, published.text
    assert published.json()["status"] == "published"

    detail = await client.get(f"/api/courses/{course['id']}", headers=worker_headers)
    assert detail.status_code == 200
    data = detail.json()
    assert data["capacity"] == 20 and data["seats_taken"] == 0 and data["status"] == "published"
    assert [s["topics"] for s in data["sessions"]] == ["Le linee guida"]
    assert data["starts_at"] == "2026-12-14T09:30:00+01:00"
    listing = await client.get("/api/courses", headers=worker_headers)
    assert listing.json()["total"] == 1
    assert listing.json()["items"][0]["title"] == "Bilancio sociale"


async def scheduled_course(trainer, *, status="draft", capacity=20, location=None, **values):
    path = values.pop("path", None) or await make_path("marketing")
    location = location or await make_location(name="Aula Ticino", comune="Pavia", province="PV", capacity=25)
    course = await make_course(path, trainers=[trainer], status=status, capacity=capacity, location=location.id,
                               **values)
    return course, location


async def test_conflicts_are_listed_all_at_once_with_409(client):
    _coop, trainer, _admin, _worker = await staff()
    course, room = await scheduled_course(trainer)
    other, _ = await scheduled_course(trainer, location=room)
    await make_session(other, rome(date(2026, 12, 8), 9), minutes=120, location=room.id, trainer=trainer.id)
    small = await make_location(name="Saletta", comune="Milano", capacity=8)
    headers = await bearer(trainer)
    # Same trainer and the small room on a national holiday, from 07:00: errors and warnings together.
    response = await client.post(f"/api/courses/{course.id}/sessions", headers=headers, json={
        "starts_at": "2026-12-08T07:00", "ends_at": "2026-12-08T12:00", "location_id": small.id,
    })
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "urn:training-hub:problem:schedule-conflict"
    assert problem["title"] == "Conflitti di calendario"
    assert [(i["code"], i["severity"]) for i in problem["issues"]] == [
        ("trainer_busy", "error"), ("room_too_small", "error"), ("holiday", "warning"), ("outside_hours", "warning")]
    assert problem["issues"][0]["message"].startswith("08/12/2026: ")
    assert not await Session.exists().where(Session.course == course.id)


async def test_room_double_booking_is_refused(client):
    _coop, trainer, _admin, _worker = await staff()
    someone_else = await make_person("trainer")
    course, room = await scheduled_course(trainer)
    other, _ = await scheduled_course(someone_else, location=room)
    await make_session(other, rome(date(2026, 12, 2), 10), minutes=120, location=room.id)
    response = await client.post(f"/api/courses/{course.id}/sessions", headers=await bearer(trainer), json={
        "starts_at": "2026-12-02T09:00", "ends_at": "2026-12-02T11:00", "location_id": room.id})
    assert response.status_code == 409
    assert [i["code"] for i in response.json()["issues"]] == ["room_busy"]


async def test_end_before_start_is_a_conflict_not_a_crash(client):
    _coop, trainer, _admin, _worker = await staff()
    course, room = await scheduled_course(trainer)
    response = await client.post(f"/api/courses/{course.id}/sessions", headers=await bearer(trainer), json={
        "starts_at": "2026-12-02T13:00", "ends_at": "2026-12-02T09:00", "location_id": room.id})
    assert response.status_code == 409
    issue = response.json()["issues"][0]
    assert issue["code"] == "end_before_start" and issue["field"] == "ends_at"


async def test_warnings_need_confirmation(client):
    _coop, trainer, _admin, _worker = await staff()
    course, room = await scheduled_course(trainer)
    body = {"starts_at": "2026-12-09T09:00", "ends_at": "2026-12-09T12:00", "location_id": room.id}  # San Siro, Pavia
    headers = await bearer(trainer)
    first = await client.post(f"/api/courses/{course.id}/sessions", headers=headers, json=body)
    assert first.status_code == 409
    assert [(i["code"], i["severity"]) for i in first.json()["issues"]] == [("patron_saint", "warning")]
    assert first.json()["issues"][0]["message"] == "09/12/2026 a Pavia è la festa del patrono (San Siro)."
    confirmed = await client.post(f"/api/courses/{course.id}/sessions", headers=headers,
                                  json={**body, "confirm_warnings": True})
    assert confirmed.status_code == 201


async def test_sunday_and_san_francesco_are_warnings(client):
    _coop, trainer, _admin, _worker = await staff()
    course, room = await scheduled_course(trainer)
    headers = await bearer(trainer)
    sunday = await client.post(f"/api/courses/{course.id}/sessions/check", headers=headers, json={
        "starts_at": "2027-10-03T09:00", "ends_at": "2027-10-03T12:00", "location_id": room.id})
    assert sunday.status_code == 200
    assert [i["code"] for i in sunday.json()["issues"]] == ["sunday"]
    francesco = await client.post(f"/api/courses/{course.id}/sessions/check", headers=headers, json={
        "starts_at": "2027-10-04T09:00", "ends_at": "2027-10-04T12:00", "location_id": room.id})
    assert francesco.json()["issues"][0]["message"] == "04/10/2027 è festa nazionale (San Francesco d'Assisi)."
    assert not await Session.exists().where(Session.course == course.id)


async def test_more_than_ten_hours_and_late_evening_are_warnings(client):
    _coop, trainer, _admin, _worker = await staff()
    course, room = await scheduled_course(trainer)
    await make_session(course, rome(date(2026, 12, 2), 8), minutes=300, location=room.id)
    response = await client.post(f"/api/courses/{course.id}/sessions/check", headers=await bearer(trainer), json={
        "starts_at": "2026-12-02T14:00", "ends_at": "2026-12-02T22:30", "location_id": room.id})
    assert [i["code"] for i in response.json()["issues"]] == ["too_many_hours", "outside_hours"]
    assert "13 h 30 min" in response.json()["issues"][0]["message"]


async def test_a_trainers_day_across_courses_is_a_warning_to_confirm(client):
    _coop, trainer, _admin, _worker = await staff()
    morning, room = await scheduled_course(trainer)
    await make_session(morning, rome(date(2026, 12, 2), 8), minutes=360, location=room.id)
    afternoon, _ = await scheduled_course(trainer)
    body = {"starts_at": "2026-12-02T14:00", "ends_at": "2026-12-02T19:00", "location_id": room.id}
    refused = await client.post(f"/api/courses/{afternoon.id}/sessions", headers=await bearer(trainer), json=body)
    assert refused.status_code == 409, refused.text
    assert [i["code"] for i in refused.json()["issues"]] == ["trainer_too_many_hours"]
    assert "11 h di incontri" in refused.json()["issues"][0]["message"]
    assert await Session.count().where(Session.course == afternoon.id) == 0
    confirmed = await client.post(f"/api/courses/{afternoon.id}/sessions", headers=await bearer(trainer),
                                  json={**body, "confirm_warnings": True})
    assert confirmed.status_code == 201, confirmed.text


async def test_a_session_in_the_past_is_a_warning_to_confirm(client):
    _coop, trainer, _admin, _worker = await staff()
    course, room = await scheduled_course(trainer)
    body = {"starts_at": "2026-11-18T09:00", "ends_at": "2026-11-18T12:00", "location_id": room.id}
    refused = await client.post(f"/api/courses/{course.id}/sessions", headers=await bearer(trainer), json=body)
    assert refused.status_code == 409
    assert [i["code"] for i in refused.json()["issues"]] == ["past"]
    assert await Session.count().where(Session.course == course.id) == 0
    kept = await client.post(f"/api/courses/{course.id}/sessions", headers=await bearer(trainer),
                             json={**body, "confirm_warnings": True})
    assert kept.status_code == 201  # a course held before it was entered can still be recorded


async def test_series_across_the_october_dst_change_keeps_local_time(client):
    _coop, trainer, _admin, _worker = await staff()
    course, room = await scheduled_course(trainer)
    # The clocks go back on Sunday 31 October 2027.
    response = await client.post(f"/api/courses/{course.id}/sessions/series", headers=await bearer(trainer), json={
        "first_day": "2027-10-19", "weekdays": [1], "start_time": "09:00", "end_time": "12:00", "count": 4,
        "location_id": room.id, "topics": ["Uno", "Due", "Tre", "Quattro"],
    })
    assert response.status_code == 201, response.text
    items = response.json()["items"]
    assert [s["starts_at"] for s in items] == [
        "2027-10-19T09:00:00+02:00", "2027-10-26T09:00:00+02:00",
        "2027-11-02T09:00:00+01:00", "2027-11-09T09:00:00+01:00"]
    assert [s["topics"] for s in items] == ["Uno", "Due", "Tre", "Quattro"]
    stored = await Session.select(Session.starts_at).where(Session.course == course.id).order_by(Session.starts_at)
    assert [r["starts_at"].astimezone(UTC).hour for r in stored] == [7, 7, 8, 8]
    assert len({s["uid"] for s in items}) == 4
    row = await Course.select(Course.starts_at, Course.ends_at).where(Course.id == course.id).first()
    assert row["starts_at"] == rome(date(2027, 10, 19), 9) and row["ends_at"] == rome(date(2027, 11, 9), 12)


async def test_series_with_a_holiday_lists_it_and_saves_nothing_until_confirmed(client):
    _coop, trainer, _admin, _worker = await staff()
    course, room = await scheduled_course(trainer)
    body = {"first_day": "2026-11-30", "weekdays": [1], "start_time": "09:00", "end_time": "12:00",
            "until": "2026-12-22", "location_id": room.id}
    headers = await bearer(trainer)
    refused = await client.post(f"/api/courses/{course.id}/sessions/series", headers=headers, json=body)
    assert refused.status_code == 409
    assert [i["message"] for i in refused.json()["issues"]] == ["08/12/2026 è festa nazionale (Immacolata Concezione)."]
    assert not await Session.exists().where(Session.course == course.id)
    saved = await client.post(f"/api/courses/{course.id}/sessions/series", headers=headers,
                              json={**body, "confirm_warnings": True})
    assert saved.status_code == 201 and saved.json()["total"] == 4


async def test_bad_series_input_is_422_with_fields(client):
    _coop, trainer, _admin, _worker = await staff()
    course, room = await scheduled_course(trainer)
    response = await client.post(f"/api/courses/{course.id}/sessions/series", headers=await bearer(trainer), json={
        "first_day": "31/02/2026", "weekdays": [9], "start_time": "25:00", "end_time": "12:00",
        "location_id": room.id})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"first_day", "weekdays", "start_time", "count"}
    # More days than a series may have: said, not silently cut at the 60th session.
    too_long = await client.post(f"/api/courses/{course.id}/sessions/series", headers=await bearer(trainer), json={
        "first_day": "2027-01-11", "weekdays": [0, 1, 2, 3, 4], "start_time": "09:00", "end_time": "12:00",
        "until": "2027-06-30", "location_id": room.id, "confirm_warnings": True})
    assert too_long.status_code == 422
    assert too_long.json()["errors"] == [{"field": "until", "message":
                                          "Una serie ha al massimo 60 incontri: scegli una data di fine più vicina."}]
    assert await Session.count() == 0


async def test_bad_session_input_is_422(client):
    _coop, trainer, _admin, _worker = await staff()
    course, _room = await scheduled_course(trainer)
    response = await client.post(f"/api/courses/{course.id}/sessions", headers=await bearer(trainer), json={
        "starts_at": "domani", "ends_at": "2026-12-02T09:00", "online_url": "javascript:alert(1)"})
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(errors) == {"starts_at", "online_url"}
    missing = await client.post(f"/api/courses/{course.id}/sessions", headers=await bearer(trainer), json={
        "starts_at": "2026-12-02T09:00", "ends_at": "2026-12-02T12:00"})
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"field": "location_id",
                                         "message": "Un corso in presenza si svolge in una sede: sceglila."}]


async def test_moving_a_session_raises_sequence_and_notifies_enrolled(client):
    _coop, trainer, _admin, worker = await staff()
    waiting = await make_person("worker")
    gone = await make_person("worker")
    course, room = await scheduled_course(trainer, status="published", title="Primo soccorso")
    first = await make_session(course, rome(date(2026, 12, 2), 9), minutes=180, location=room.id)
    await make_session(course, rome(date(2026, 12, 16), 9), minutes=180, location=room.id)
    await make_enrolment(worker, course)
    await make_enrolment(waiting, course, status="waitlisted")
    await make_enrolment(gone, course, status="cancelled")
    headers = await bearer(trainer)
    topics_only = await client.patch(f"/api/sessions/{first.id}", headers=headers, json={"topics": "Nuovi argomenti"})
    assert topics_only.status_code == 200
    assert topics_only.json()["sequence"] == 0
    assert await Outbox.count() == 0
    moved = await client.patch(f"/api/sessions/{first.id}", headers=headers,
                               json={"starts_at": "2026-12-03T14:00", "ends_at": "2026-12-03T17:30"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["sequence"] == 1 and moved.json()["starts_at"] == "2026-12-03T14:00:00+01:00"
    assert moved.json()["uid"] == first.uid
    notices = await Outbox.select(Outbox.recipient, Outbox.kind, Outbox.subject, Outbox.body).order_by(Outbox.id)
    assert {n["recipient"] for n in notices} == {worker.id, waiting.id}
    assert notices[0]["kind"] == "session_moved"
    assert notices[0]["subject"] == "Incontro spostato: Primo soccorso"
    assert "02/12/2026 dalle 09:00 alle 12:00" in notices[0]["body"]
    assert "03/12/2026 dalle 14:00 alle 17:30" in notices[0]["body"]
    row = await Course.select(Course.starts_at).where(Course.id == course.id).first()
    assert row["starts_at"] == rome(date(2026, 12, 3), 14)


async def test_cancelling_a_session_keeps_it_and_notifies(client):
    _coop, trainer, _admin, worker = await staff()
    course, room = await scheduled_course(trainer, status="published", title="Primo soccorso")
    first = await make_session(course, rome(date(2026, 12, 2), 9), minutes=180, location=room.id)
    second = await make_session(course, rome(date(2026, 12, 16), 9), minutes=180, location=room.id)
    await make_enrolment(worker, course)
    headers = await bearer(trainer)
    response = await client.post(f"/api/sessions/{first.id}/cancel", headers=headers, json={"reason": "Sede chiusa"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled" and response.json()["sequence"] == 1
    assert response.json()["cancelled_at"] is not None
    detail = (await client.get(f"/api/courses/{course.id}", headers=headers)).json()
    assert [s["status"] for s in detail["sessions"]] == ["cancelled", "scheduled"]
    assert detail["starts_at"] == "2026-12-16T09:00:00+01:00"
    notice = await Outbox.select(Outbox.subject, Outbox.body).first()
    assert notice["subject"] == "Incontro annullato: Primo soccorso"
    assert "Motivo: Sede chiusa" in notice["body"]
    again = await client.post(f"/api/sessions/{first.id}/cancel", headers=headers)
    assert again.status_code == 409
    last = await client.post(f"/api/sessions/{second.id}/cancel", headers=headers)
    assert last.status_code == 409
    assert "annulla il corso" in last.json()["detail"]


async def test_moving_into_a_conflict_is_refused_and_changes_nothing(client):
    _coop, trainer, _admin, _worker = await staff()
    course, room = await scheduled_course(trainer)
    first = await make_session(course, rome(date(2026, 12, 2), 9), minutes=180, location=room.id)
    await make_session(course, rome(date(2026, 12, 3), 9), minutes=180, location=room.id)
    response = await client.patch(f"/api/sessions/{first.id}", headers=await bearer(trainer),
                                  json={"starts_at": "2026-12-03T10:00", "ends_at": "2026-12-03T12:00"})
    assert response.status_code == 409
    # The other session is this course's own: said as such, not as its trainer or room being busy.
    assert [(i["code"], i["message"]) for i in response.json()["issues"]] == [
        ("course_overlap", "03/12/2026: il corso ha già un incontro dalle 09:00 alle 12:00.")]
    row = await Session.select(Session.starts_at, Session.sequence).where(Session.id == first.id).first()
    assert row["starts_at"] == rome(date(2026, 12, 2), 9) and row["sequence"] == 0
    # Into another course's session of the same trainer in the same room: both clashes are named.
    other, _ = await scheduled_course(trainer, location=room)
    await make_session(other, rome(date(2026, 12, 4), 9), minutes=180, location=room.id)
    response = await client.patch(f"/api/sessions/{first.id}", headers=await bearer(trainer),
                                  json={"starts_at": "2026-12-04T10:00", "ends_at": "2026-12-04T12:00"})
    assert response.status_code == 409
    assert {i["code"] for i in response.json()["issues"]} == {"trainer_busy", "room_busy"}
