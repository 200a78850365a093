"""Safety courses (issue 15 item 2): a course carries a safety course type; its threshold is then 90%;
a delivery mode the type forbids is 422 on the field; publishing with fewer scheduled hours than the
type's minimum is 409 with both figures; the course form offers the types."""

from datetime import date

from tests.factories import make_course, make_location, make_path, make_person, make_session
from tests.support import bearer, login, post_form, rome
from training_hub.core.tables import Course


async def _setup():
    trainer = await make_person("trainer", full_name="Marco Bianchi")
    room = await make_location(name="Aula Ticino", comune="Pavia", province="PV", capacity=25)
    path = await make_path(kind="other")
    return trainer, room, path


def _body(path, room, **values):
    return {"path_id": path.id, "title": "Preposti 2027", "capacity": 15, "location_id": room.id,
            "delivery_mode": "in_presence", "attendance_threshold": 70, **values}


async def test_a_safety_course_gets_90_percent_and_its_type(client):
    trainer, room, path = await _setup()
    response = await client.post("/api/courses", headers=await bearer(trainer),
                                 json=_body(path, room, safety_course_type="preposto"))
    assert response.status_code == 201, response.text
    course = response.json()
    assert course["safety_course_type"] == "preposto"
    assert course["attendance_threshold"] == 90
    assert course["safety_course"]["min_hours"] == 12
    assert "Rep. Atti n. 59/CSR" in course["safety_course"]["legal_reference"]
    # A higher figure stays; an ordinary course keeps what it is given.
    higher = await client.post("/api/courses", headers=await bearer(trainer),
                               json=_body(path, room, safety_course_type="preposto", attendance_threshold=95))
    assert higher.json()["attendance_threshold"] == 95
    plain = await client.post("/api/courses", headers=await bearer(trainer), json=_body(path, room))
    assert (plain.json()["attendance_threshold"], plain.json()["safety_course"]) == (70, None)


async def test_e_learning_refused_where_the_type_forbids_it(client):
    trainer, room, path = await _setup()
    headers = await bearer(trainer)
    for code in ("preposto", "datore_lavoro", "lavoratori_specifica_medio", "lavoratori_specifica_alto"):
        refused = await client.post("/api/courses", headers=headers,
                                    json=_body(path, room, safety_course_type=code, delivery_mode="e_learning"))
        assert refused.status_code == 422, code
        errors = refused.json()["errors"]
        assert [e["field"] for e in errors] == ["delivery_mode"]
        assert "Parte IV punto 3.5" in errors[0]["message"] and "e-learning" not in errors[0]["message"]
    assert await Course.count() == 0
    for code in ("lavoratori_generale", "lavoratori_specifica_basso", "lavoratori_aggiornamento"):
        allowed = await client.post("/api/courses", headers=headers,
                                    json=_body(path, room, safety_course_type=code, delivery_mode="e_learning"))
        assert allowed.status_code == 201, (code, allowed.text)


async def test_changing_an_existing_course_to_a_forbidden_mode_is_refused(client):
    trainer, room, path = await _setup()
    course = await make_course(path, trainers=[trainer], status="draft", safety_course_type="preposto",
                               attendance_threshold=90)
    response = await client.patch(f"/api/courses/{course.id}", headers=await bearer(trainer),
                                  json={"delivery_mode": "e_learning"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == (
        "Il corso «Formazione preposti» non si può svolgere in questa modalità (Accordo Stato-Regioni 2025, Parte IV "
        "punto 3.5): è ammesso solo in presenza, in videoconferenza sincrona o mista (presenza e videoconferenza).")
    row = await Course.select(Course.delivery_mode).where(Course.id == course.id).first()
    assert row["delivery_mode"] == "in_presence"


async def test_unknown_type_refused_on_its_field(client):
    trainer, room, path = await _setup()
    refused = await client.post("/api/courses", headers=await bearer(trainer),
                                json=_body(path, room, safety_course_type="corso_inventato"))
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["safety_course_type"]


async def test_publish_needs_the_types_minimum_hours(client):
    trainer, room, path = await _setup()
    course = await make_course(path, trainers=[trainer], status="draft", safety_course_type="preposto",
                               attendance_threshold=90)
    # 8 hours in two sessions, one across the night the clocks go back (25/10/2026 counts its real length).
    await make_session(course, rome(date(2026, 12, 9), 9), minutes=240, location=room.id)
    await make_session(course, rome(date(2026, 12, 16), 9), minutes=240, location=room.id)
    headers = await bearer(trainer)
    refused = await client.post(f"/api/courses/{course.id}/publish", headers=headers)
    assert refused.status_code == 409
    assert refused.json()["detail"] == ("Il corso «Formazione preposti» richiede almeno 12 ore; gli incontri in calendario ne "
                                        "fanno 8. Aggiungi gli incontri che mancano prima di pubblicare.")
    assert (await Course.select(Course.status).where(Course.id == course.id).first())["status"] == "draft"
    await make_session(course, rome(date(2026, 12, 23), 9), minutes=210, location=room.id)
    short = await client.post(f"/api/courses/{course.id}/publish", headers=headers)
    assert short.status_code == 409 and "ne fanno 11,5." in short.json()["detail"]
    await make_session(course, rome(date(2027, 1, 13), 9), minutes=30, location=room.id)
    published = await client.post(f"/api/courses/{course.id}/publish", headers=headers)
    assert published.status_code == 200, published.text


async def test_hours_count_the_real_length_of_a_dst_night(client):
    trainer, room, path = await _setup()
    course = await make_course(path, trainers=[trainer], status="draft", safety_course_type="antincendio_1",
                               attendance_threshold=90)
    # 22:00 → 01:00 wall clock on the night of 25/10/2026 is 4 real hours (the clocks go back).
    await make_session(course, rome(date(2026, 10, 24), 22), minutes=240, location=room.id)
    assert (await client.post(f"/api/courses/{course.id}/publish", headers=await bearer(trainer))).status_code == 200


async def test_copy_keeps_the_type(client):
    trainer, room, path = await _setup()
    course = await make_course(path, trainers=[trainer], safety_course_type="preposto_aggiornamento",
                               attendance_threshold=90, final_test_required=True)
    copy = await client.post(f"/api/courses/{course.id}/copy", headers=await bearer(trainer))
    assert copy.status_code == 201
    assert (copy.json()["safety_course_type"], copy.json()["final_test_required"]) == ("preposto_aggiornamento", True)


async def test_course_form_offers_types_and_shows_the_refusal(client):
    trainer, room, path = await _setup()
    await login(client, trainer.email)
    form = await client.get(f"/trainer/courses/new?path_id={path.id}")
    assert 'name="safety_course_type"' in form.text and "Formazione preposti" in form.text
    refused = await post_form(client, "/trainer/courses/new", {
        "path_id": path.id, "title": "Preposti", "capacity": "12", "delivery_mode": "e_learning",
        "safety_course_type": "preposto", "attendance_threshold": "70"})
    assert refused.status_code == 422
    assert "Parte IV punto 3.5" in refused.text
    assert '<option value="preposto" selected>' in refused.text
    created = await post_form(client, "/trainer/courses/new", {
        "path_id": path.id, "title": "Preposti", "capacity": "12", "delivery_mode": "in_presence",
        "safety_course_type": "preposto", "attendance_threshold": "70"})
    assert created.status_code == 303
    page = await client.get(created.headers["location"])
    assert "Corso sulla sicurezza" in page.text and "almeno 12 ore" in page.text
