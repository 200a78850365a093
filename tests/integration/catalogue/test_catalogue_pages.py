"""Catalogue pages through HTTP: the catalogue, course and path pages, the trainer's pages, locations."""

from datetime import date

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_path,
    make_person,
    make_session,
)
from tests.support import bearer, login, post_form, rome
from training_hub.core.tables import (
    Course,
    CourseEligibleArea,
    CourseEligibleCooperative,
    CourseTrainer,
    Location,
    Outbox,
    Session,
    TrainingPath,
)


async def published_course(trainer, title="Comunicare i valori", day=date(2026, 12, 2), **values):
    location = values.pop("location", None) or await make_location(
        name="Centro civico Longuelo", address="Via Lochis, 10", comune="Bergamo", province="BG", capacity=30,
        step_free_access=True)
    path = values.pop("path", None) or await make_path("marketing", title="Marketing dell'impresa sociale")
    course = await make_course(path, trainers=[trainer], title=title, location=location.id, **values)
    await make_session(course, rome(day, 9, 30), minutes=210, location=location.id, topics="Identità e valori")
    return course


async def test_catalogue_page_lists_published_courses_in_italian(client):
    coop = await make_cooperative()
    trainer = await make_person("trainer", full_name="Paolo Greco")
    worker = await make_person("worker", cooperative=coop, email="w@example.test")
    await published_course(trainer)
    await published_course(trainer, title="Bozza nascosta", status="draft")
    await login(client, "w@example.test")
    response = await client.get("/courses")
    assert response.status_code == 200
    text = response.text
    assert "Comunicare i valori" in text and "Bozza nascosta" not in text
    assert "02/12/2026, 09:30–13:00" in text
    assert "Centro civico Longuelo, Bergamo (BG)" in text
    assert "Paolo Greco" in text
    assert "20 posti liberi" in text
    assert "1 corso trovato" in text
    assert 'aria-current="page"' in text and ">Catalogo<" in text
    assert worker.id


async def test_course_page_shows_sessions_place_and_calendar_links(client):
    coop = await make_cooperative()
    trainer = await make_person("trainer", full_name="Paolo Greco")
    await make_person("worker", cooperative=coop, email="w@example.test")
    course = await published_course(trainer)
    await login(client, "w@example.test")
    response = await client.get(f"/courses/{course.id}")
    assert response.status_code == 200
    text = response.text
    assert "mercoledì 2 dicembre 2026" in text and "09:30–13:00" in text
    assert "Via Lochis, 10" in text and "Accessibile senza barriere architettoniche" in text
    assert f'href="/calendar/courses/{course.id}.ics"' in text
    session = await Session.select(Session.id).where(Session.course == course.id).first()
    assert f'href="/calendar/sessions/{session["id"]}.ics"' in text
    assert "enrolment-panel-title" in text and f'href="/courses/{course.id}/enrol' in text
    assert "Gestisci il corso" not in text


async def test_blank_and_odd_choices_in_the_course_form_are_skipped_or_field_errors(client):
    trainer, path, room = await trainer_setup(client)
    coop = await make_cooperative()
    base = {"path_id": str(path.id), "title": "Primo soccorso", "capacity": "12", "delivery_mode": "in_presence"}
    odd = await post_form(client, "/trainer/courses/new", {
        **base, "trainer_ids": [" ", "abc"], "eligible_cooperative_ids": [" ", str(coop.id), "x"]})
    assert odd.status_code == 422
    assert 'id="trainer_ids-error"' in odd.text and 'id="eligible_cooperative_ids-error"' in odd.text
    assert not await Course.exists()
    blanks = await post_form(client, "/trainer/courses/new", {
        **base, "trainer_ids": [" ", str(trainer.id)], "eligible_cooperative_ids": [" ", str(coop.id), ""]})
    assert blanks.status_code == 303, blanks.text
    course = await Course.select(Course.id).first()
    assert [r["cooperative"] for r in await CourseEligibleCooperative.select()] == [coop.id]
    assert [r["person"] for r in await CourseTrainer.select().where(CourseTrainer.course == course["id"])] == [trainer.id]


async def trainer_setup(client):
    trainer = await make_person("trainer", full_name="Marco Bianchi", email="t@example.test")
    path = await make_path("other", title="Sicurezza sul lavoro")
    room = await make_location(name="Aula La Bussola", comune="Brescia", province="BS", capacity=20,
                               step_free_access=False)
    await login(client, "t@example.test")
    return trainer, path, room


async def test_trainer_creates_a_course_through_the_form(client):
    trainer, path, room = await trainer_setup(client)
    form = (await client.get(f"/trainer/courses/new?path_id={path.id}")).text
    assert 'name="_csrf_token"' in form and '<label for="title">' in form
    bad = await post_form(client, "/trainer/courses/new", {"path_id": str(path.id), "title": "", "capacity": "molti",
                                                           "delivery_mode": "in_presence",
                                                           "enrolment_opens_at": "2026-12-10T09:00",
                                                           "enrolment_closes_at": "2026-12-01T09:00"})
    assert bad.status_code == 422
    assert 'id="title-error">Indica il titolo del corso.' in bad.text
    assert 'id="capacity-error">I posti sono un numero intero da 1 a 1000.' in bad.text
    assert "La chiusura delle iscrizioni deve venire dopo l&#39;apertura." in bad.text
    assert 'aria-invalid="true"' in bad.text
    assert not await Course.exists()
    good = await post_form(client, "/trainer/courses/new", {
        "path_id": str(path.id), "title": "Formazione generale dei lavoratori", "capacity": "18",
        "delivery_mode": "in_presence", "location_id": str(room.id), "trainer_ids": str(trainer.id),
        "attendance_threshold": "90", "funder_plan_code": "FONCOOP-SIC-2026-003",
        "enrolment_opens_at": "2026-11-25T09:00", "enrolment_closes_at": "2026-12-10T18:00",
        "eligible_areas": ["anziani", "minori"],
    })
    assert good.status_code == 303, good.text
    course = await Course.select().first()
    assert good.headers["location"] == f"/trainer/courses/{course['id']}"
    assert course["status"] == "draft" and course["attendance_threshold"] == 90
    assert course["enrolment_opens_at"] == rome(date(2026, 11, 25), 9)
    assert sorted(r["area"] for r in await CourseEligibleArea.select()) == ["anziani", "minori"]
    manage = await client.get(good.headers["location"])
    assert "Corso creato in bozza" in manage.text and "Nessun incontro" in manage.text
    edit = await client.get(f"/trainer/courses/{course['id']}/edit")
    assert 'value="2026-11-25T09:00"' in edit.text and 'value="anziani" checked' in edit.text


async def test_adding_a_session_shows_conflicts_before_saving(client):
    trainer, path, room = await trainer_setup(client)
    course = await make_course(path, trainers=[trainer], status="draft", location=room.id, capacity=20)
    busy = await make_course(path, trainers=[trainer], location=room.id)
    await make_session(busy, rome(date(2026, 12, 7), 10), minutes=60, location=room.id)
    new = await client.get(f"/trainer/courses/{course.id}/sessions/new")
    assert new.status_code == 200 and "Verifica i conflitti" in new.text
    data = {"day": "2026-12-07", "start_time": "09:00", "end_time": "12:00", "location_id": str(room.id),
            "topics": "Rischio e danno"}
    checked = await post_form(client, f"/trainer/courses/{course.id}/sessions/new", {**data, "action": "check"})
    assert checked.status_code == 200
    assert "Conflitti da risolvere" in checked.text
    assert "07/12/2026: Marco Bianchi ha già un incontro dalle 10:00 alle 11:00" in checked.text
    assert "Aula La Bussola" in checked.text
    saved = await post_form(client, f"/trainer/courses/{course.id}/sessions/new", {**data, "action": "save"})
    assert saved.status_code == 409
    assert not await Session.exists().where(Session.course == course.id)
    # 15 February in Brescia: Santi Faustino e Giovita, a warning to confirm.
    data.update(day="2027-02-15")
    warned = await post_form(client, f"/trainer/courses/{course.id}/sessions/new", {**data, "action": "save"})
    assert warned.status_code == 409
    assert "Da confermare" in warned.text and "festa del patrono (Santi Faustino e Giovita)" in warned.text
    assert "Confermo nonostante gli avvisi" in warned.text
    confirmed = await post_form(client, f"/trainer/courses/{course.id}/sessions/new",
                                {**data, "action": "save", "confirm_warnings": "on"})
    assert confirmed.status_code == 303
    row = await Session.select(Session.starts_at, Session.topics).where(Session.course == course.id).first()
    assert row["starts_at"] == rome(date(2027, 2, 15), 9) and row["topics"] == "Rischio e danno"


async def test_session_form_puts_errors_next_to_the_fields(client):
    trainer, path, room = await trainer_setup(client)
    course = await make_course(path, trainers=[trainer], status="draft", location=room.id)
    missing_day = await post_form(client, f"/trainer/courses/{course.id}/sessions/new",
                                  {"day": "", "start_time": "09:00", "end_time": "12:00", "location_id": str(room.id)})
    assert missing_day.status_code == 422
    assert 'id="day-error">Indica il giorno dell&#39;incontro.' in missing_day.text
    backwards = await post_form(client, f"/trainer/courses/{course.id}/sessions/new",
                                {"day": "2026-12-09", "start_time": "12:00", "end_time": "09:00",
                                 "location_id": str(room.id), "action": "save"})
    assert backwards.status_code == 409
    assert 'id="end_time-error">' in backwards.text and "non è dopo l&#39;inizio" in backwards.text


async def test_series_page_creates_weekly_sessions(client):
    trainer, path, room = await trainer_setup(client)
    course = await make_course(path, trainers=[trainer], status="draft", location=room.id)
    page = await client.get(f"/trainer/courses/{course.id}/sessions/series")
    assert "<legend>Ogni settimana il</legend>" in page.text
    response = await post_form(client, f"/trainer/courses/{course.id}/sessions/series", {
        "first_day": "2027-01-11", "weekdays": ["0", "3"], "start_time": "14:00", "end_time": "16:00", "count": "4",
        "location_id": str(room.id), "topics": "Uno\nDue\nTre\nQuattro", "action": "save"})
    assert response.status_code == 303, response.text
    rows = await Session.select(Session.starts_at, Session.topics).where(Session.course == course.id).order_by(
        Session.starts_at)
    assert [r["starts_at"] for r in rows] == [rome(date(2027, 1, 11), 14), rome(date(2027, 1, 14), 14),
                                             rome(date(2027, 1, 18), 14), rome(date(2027, 1, 21), 14)]
    assert [r["topics"] for r in rows] == ["Uno", "Due", "Tre", "Quattro"]
    manage = await client.get(f"/trainer/courses/{course.id}")
    assert "lunedì 11 gennaio 2027" in manage.text and "Serie di incontri aggiunta." in manage.text
    empty = await post_form(client, f"/trainer/courses/{course.id}/sessions/series", {
        "first_day": "", "start_time": "14:00", "end_time": "16:00", "location_id": str(room.id)})
    assert empty.status_code == 422
    assert 'id="first_day-error"' in empty.text and 'id="weekdays-error"' in empty.text
    assert 'id="count-error"' in empty.text


async def test_publishing_a_course_already_held_says_it_will_not_be_in_the_catalogue(client):
    trainer, path, room = await trainer_setup(client)
    course = await make_course(path, trainers=[trainer], status="draft", location=room.id, title="Corso recuperato")
    await make_session(course, rome(date(2026, 11, 10), 9), location=room.id)
    published = await post_form(client, f"/trainer/courses/{course.id}/publish")
    assert published.status_code == 303
    text = (await client.get(published.headers["location"])).text
    assert "I suoi incontri sono già tutti passati: non compare nel catalogo." in text
    assert "ora è nel catalogo" not in text


async def test_publish_edit_session_cancel_and_copy_from_the_pages(client):
    trainer, path, room = await trainer_setup(client)
    course = await make_course(path, trainers=[trainer], status="draft", location=room.id, title="Primo soccorso")
    refused = await post_form(client, f"/trainer/courses/{course.id}/publish")
    assert refused.status_code == 303
    assert "Aggiungi almeno un incontro prima di pubblicare." in (await client.get(refused.headers["location"])).text
    first = await make_session(course, rome(date(2026, 12, 9), 9), location=room.id)
    await make_session(course, rome(date(2026, 12, 16), 9), location=room.id)
    published = await post_form(client, f"/trainer/courses/{course.id}/publish")
    assert published.status_code == 303
    assert "Corso pubblicato: ora è nel catalogo." in (await client.get(published.headers["location"])).text
    assert (await Course.select(Course.status).where(Course.id == course.id).first())["status"] == "published"
    worker = await make_person("worker")
    await make_enrolment(worker, course)

    edit = await client.get(f"/trainer/sessions/{first.id}/edit")
    assert 'value="2026-12-09"' in edit.text and 'value="09:00"' in edit.text and "riceverà un avviso" in edit.text
    moved = await post_form(client, f"/trainer/sessions/{first.id}/edit", {
        "day": "2026-12-10", "start_time": "09:00", "end_time": "12:00", "location_id": str(room.id),
        "action": "save"})
    assert moved.status_code == 303
    row = await Session.select(Session.starts_at, Session.sequence).where(Session.id == first.id).first()
    assert row["starts_at"] == rome(date(2026, 12, 10), 9) and row["sequence"] == 1
    assert await Outbox.count().where(Outbox.recipient == worker.id) == 1

    confirm = await client.get(f"/trainer/sessions/{first.id}/cancel")
    assert "1 persona iscritta riceverà un avviso." in confirm.text
    cancelled = await post_form(client, f"/trainer/sessions/{first.id}/cancel", {"reason": "Aula allagata"})
    assert cancelled.status_code == 303
    manage = (await client.get(f"/trainer/courses/{course.id}")).text
    assert "Incontro annullato." in manage and "badge-error" in manage

    copy = await post_form(client, f"/trainer/courses/{course.id}/copy", {"first_day": "2027-03-03"})
    assert copy.status_code == 303
    new_id = int(copy.headers["location"].rsplit("/", 1)[1])
    new = await Course.select().where(Course.id == new_id).first()
    assert new["status"] == "draft" and new["title"] == "Primo soccorso" and new["copied_from"] == course.id
    copied = await Session.select(Session.starts_at).where(Session.course == new_id)
    assert [r["starts_at"] for r in copied] == [rome(date(2027, 3, 3), 9)]  # the cancelled one is not copied

    cancel_course = await post_form(client, f"/trainer/courses/{course.id}/cancel", {"reason": "Troppo pochi iscritti"})
    assert cancel_course.status_code == 303
    public = await client.get(f"/courses/{course.id}")
    assert "Questo corso è stato annullato." in public.text and "Troppo pochi iscritti" in public.text
    assert await Outbox.count().where(Outbox.kind == "course_cancelled") == 1


async def test_my_courses_lists_what_the_trainer_manages(client):
    trainer, path, _room = await trainer_setup(client)
    await make_course(path, trainers=[trainer], status="draft", title="La mia bozza")
    await make_course(path, trainers=[await make_person("trainer")], title="Di un collega")
    response = await client.get("/trainer/courses")
    assert response.status_code == 200
    assert "La mia bozza" in response.text and "Di un collega" not in response.text
    assert "Bozza" in response.text and ">I miei corsi<" in response.text


async def test_admin_manages_locations(client):
    await make_person("admin", email="a@example.test")
    await login(client, "a@example.test")
    assert "Sedi" in (await client.get("/admin/locations")).text
    bad = await post_form(client, "/admin/locations/new", {"name": "", "capacity": "-3", "active": "on"})
    assert bad.status_code == 422
    assert 'id="name-error"' in bad.text and 'id="comune-error"' in bad.text and 'id="capacity-error"' in bad.text
    good = await post_form(client, "/admin/locations/new", {
        "name": "Casa del Volontariato", "address": "Via Grandi, 21", "comune": "Como", "province": "CO",
        "capacity": "25", "step_free_access": "on", "active": "on"})
    assert good.status_code == 303
    row = await Location.select().first()
    assert row["comune"] == "Como" and row["capacity"] == 25 and row["step_free_access"] is True
    assert row["patron_day"] == "" and row["patron_saint"] == ""


async def test_the_office_enters_a_comunes_patron_saint_and_scheduling_warns_of_it(client, trainer):
    await make_person("admin", email="a@example.test")
    await login(client, "a@example.test")
    base = {"name": "Centro civico", "address": "Via XXV Aprile", "comune": "Segrate", "province": "MI",
            "capacity": "30", "active": "on"}
    form = (await client.get("/admin/locations/new")).text
    assert 'name="patron_day"' in form and 'name="patron_saint"' in form and "<legend>Festa del patrono</legend>" in form
    bad = await post_form(client, "/admin/locations/new", {**base, "patron_day": "31/02", "patron_saint": "San Rocco"})
    assert bad.status_code == 422
    assert 'id="patron_day-error">Scrivi il giorno del patrono come gg/mm, per esempio 07/12.' in bad.text
    assert 'value="31/02"' in bad.text and not await Location.exists()
    half = await post_form(client, "/admin/locations/new", {**base, "patron_day": "16/8"})
    assert 'id="patron_saint-error">Indica anche il nome del santo patrono.' in half.text
    good = await post_form(client, "/admin/locations/new", {**base, "patron_day": "16/8", "patron_saint": "San Rocco"})
    assert good.status_code == 303
    row = await Location.select().first()
    assert (row["patron_day"], row["patron_saint"]) == ("08-16", "San Rocco")
    assert 'value="16/08"' in (await client.get(f"/admin/locations/{row['id']}")).text

    course = await make_course(await make_path("marketing"), trainers=[trainer], status="draft", location=row["id"])
    check = await client.post(f"/api/courses/{course.id}/sessions", headers=await bearer(trainer), json={
        "starts_at": "2027-08-16T09:00", "ends_at": "2027-08-16T12:00", "location_id": row["id"]})
    assert check.status_code == 409
    assert [(i["code"], i["message"]) for i in check.json()["issues"]] == [
        ("patron_saint", "16/08/2027 a Segrate è la festa del patrono (San Rocco).")]


async def test_the_locations_api_takes_the_patron_day_as_month_and_day(client):
    headers = await bearer(await make_person("admin"))
    created = await client.post("/api/locations", headers=headers, json={
        "name": "Sala civica", "comune": "Rozzano", "province": "MI", "patron_day": "09-30",
        "patron_saint": "San Girolamo"})
    assert created.status_code == 201, created.text
    assert (created.json()["patron_day"], created.json()["patron_saint"]) == ("09-30", "San Girolamo")
    wrong = await client.patch(f"/api/locations/{created.json()['id']}", headers=headers, json={"patron_day": "30-09"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "patron_day"
    cleared = await client.patch(f"/api/locations/{created.json()['id']}", headers=headers,
                                 json={"patron_day": "", "patron_saint": ""})
    assert cleared.status_code == 200 and cleared.json()["patron_day"] == ""


async def test_trainer_cannot_manage_locations_or_someone_elses_course(client):
    _trainer, path, _room = await trainer_setup(client)
    assert (await client.get("/admin/locations")).status_code == 403
    other = await make_course(path, trainers=[await make_person("trainer")], status="draft")
    assert (await client.get(f"/trainer/courses/{other.id}")).status_code == 404
    theirs = await make_course(path, trainers=[await make_person("trainer")])
    assert (await client.get(f"/trainer/courses/{theirs.id}/edit")).status_code == 403
    assert (await post_form(client, f"/trainer/courses/{theirs.id}/publish")).status_code == 403


async def test_path_pages_and_form(client):
    trainer, path, room = await trainer_setup(client)
    second = await make_course(path, trainers=[trainer], title="Secondo", position=2)
    first = await make_course(path, trainers=[trainer], title="Primo", position=1)
    await make_session(first, rome(date(2026, 12, 9), 9), location=room.id)
    await make_session(second, rome(date(2026, 12, 2), 9), location=room.id)
    page = await client.get(f"/paths/{path.id}")
    assert page.text.index("Primo") < page.text.index("Secondo")
    assert f'href="/calendar/paths/{path.id}.ics"' in page.text
    created = await post_form(client, "/trainer/paths/new", {"kind": "marketing", "title": "Comunicazione",
                                                             "description": "Raccontare la cooperativa"})
    assert created.status_code == 303
    new = await TrainingPath.select().where(TrainingPath.title == "Comunicazione").first()
    assert new["owner_cooperative"] is None and new["created_by"] == trainer.id
    edit = await post_form(client, f"/trainer/paths/{new['id']}/edit", {"kind": "marketing", "title": ""})
    assert edit.status_code == 422 and 'id="title-error"' in edit.text
    index = await client.get("/paths")
    assert "Comunicazione" in index.text and "Marketing sociale" in index.text


async def test_catalogue_in_english_keeps_the_office_date_format(client, trainer):
    coop = await make_cooperative()
    await make_person("worker", cooperative=coop, email="w@example.test")
    await published_course(trainer)
    await login(client, "w@example.test")
    client.cookies.set("lang", "en", domain="testserver.local")
    response = await client.get("/courses")
    assert '<html lang="en">' in response.text
    assert "Search titles and descriptions" in response.text and "20 seats left" in response.text
    assert "02/12/2026, 09:30–13:00" in response.text


async def test_editing_topics_of_an_online_session_keeps_its_place_and_sequence(client):
    trainer, path, _room = await trainer_setup(client)
    virtual = await make_location(name="Aula virtuale", comune="", province=None, capacity=None, is_online=True)
    course = await make_course(path, trainers=[trainer], delivery_mode="online", location=virtual.id)
    session = await make_session(course, rome(date(2026, 12, 10), 17), minutes=120, location=virtual.id,
                                 online_url="https://meet.example.test/corso")
    await make_enrolment(await make_person("worker"), course)
    edit = await client.get(f"/trainer/sessions/{session.id}/edit")
    assert 'value="https://meet.example.test/corso"' in edit.text
    assert f'<option value="{virtual.id}" selected>' in edit.text
    response = await post_form(client, f"/trainer/sessions/{session.id}/edit", {
        "day": "2026-12-10", "start_time": "17:00", "end_time": "19:00", "location_id": str(virtual.id),
        "online_url": "https://meet.example.test/corso", "topics": "Il piano editoriale", "action": "save"})
    assert response.status_code == 303, response.text
    row = await Session.select().where(Session.id == session.id).first()
    assert (row["topics"], row["sequence"], row["location"]) == ("Il piano editoriale", 0, virtual.id)
    assert await Outbox.count() == 0


async def test_course_form_with_a_made_up_path_shows_the_error_next_to_the_field(client):
    trainer, path, room = await trainer_setup(client)
    course = await make_course(path, trainers=[trainer], status="draft", location=room.id, title="Primo soccorso")
    for bad in ("abc", "99999", "99999999999999999999"):
        response = await post_form(client, f"/trainer/courses/{course.id}/edit", {
            "path_id": bad, "title": "Primo soccorso", "capacity": "10", "delivery_mode": "in_presence"})
        assert response.status_code == 422, (bad, response.status_code)
        assert 'id="path_id-error"' in response.text and "Il percorso indicato non esiste." in response.text
    assert (await Course.select(Course.path).where(Course.id == course.id).first())["path"] == path.id


async def test_catalogue_reports_impossible_dates_next_to_the_filters(client):
    await make_person("worker", email="w@example.test")
    await login(client, "w@example.test")
    response = await client.get("/courses?starts_after=0001-01-01&starts_before=9999-12-31")
    assert response.status_code == 200
    assert 'id="starts_after-error"' in response.text and 'id="starts_before-error"' in response.text


async def test_odd_numbers_in_trainer_pages_are_not_errors(client):
    await trainer_setup(client)
    for number in ("²", "٣", "99999999999999999999", "-1"):
        response = await client.get(f"/trainer/courses?page_number={number}")
        assert response.status_code == 200, number
    await make_cooperative()
    await make_person("admin", email="a@example.test")
    await login(client, "a@example.test")
    for owner in ("²", "99999999999", "nessuna"):
        response = await post_form(client, "/trainer/paths/new", {"kind": "marketing", "title": "Comunicare",
                                                                  "owner_cooperative_id": owner})
        assert response.status_code == 422, owner
        assert 'id="owner_cooperative_id-error"' in response.text
    assert await TrainingPath.count() == 1  # only the one trainer_setup made


async def test_deleting_a_draft_or_its_session_asks_first(client):
    trainer, path, room = await trainer_setup(client)
    course = await make_course(path, trainers=[trainer], status="draft", location=room.id, title="Bozza da buttare")
    first = await make_session(course, rome(date(2026, 12, 9), 9), location=room.id)
    await make_session(course, rome(date(2026, 12, 16), 9), location=room.id)
    manage = (await client.get(f"/trainer/courses/{course.id}")).text
    assert f'href="/trainer/courses/{course.id}/delete"' in manage
    assert f'href="/trainer/sessions/{first.id}/delete"' in manage
    assert f'action="/trainer/courses/{course.id}/delete"' not in manage  # no one-tap deletion
    ask = await client.get(f"/trainer/sessions/{first.id}/delete")
    assert ask.status_code == 200 and "<h1>Eliminare l'incontro del 09/12/2026?</h1>" in ask.text
    assert await Session.count().where(Session.course == course.id) == 2  # asking deletes nothing
    assert (await post_form(client, f"/trainer/sessions/{first.id}/delete")).status_code == 303
    assert await Session.count().where(Session.course == course.id) == 1
    ask = await client.get(f"/trainer/courses/{course.id}/delete")
    assert "Eliminare la bozza «Bozza da buttare»?" in ask.text and "Torna indietro senza eliminare" in ask.text
    assert await Course.exists().where(Course.id == course.id)
    gone = await post_form(client, f"/trainer/courses/{course.id}/delete")
    assert gone.status_code == 303 and gone.headers["location"] == "/trainer/courses"
    assert not await Course.exists().where(Course.id == course.id)
    # A published course is cancelled, never deleted: its page sends back to the course.
    published = await make_course(path, trainers=[trainer], location=room.id)
    back = await client.get(f"/trainer/courses/{published.id}/delete")
    assert back.status_code in (302, 303) and back.headers["location"] == f"/trainer/courses/{published.id}"
