"""GDPR rights through HTTP: export (art. 15 and 20) as JSON and PDF, erasure (art. 17) keeping only
what the law requires and saying so; who may do what; special-category data only to the person."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from tests.factories import make_cooperative, make_course, make_enrolment, make_person, make_session
from tests.integration.inclusion.inclusion_setup import make_cast, make_pathway
from tests.support import as_user, bearer, login, post_form
from training_hub.calendars.tokens import current_feed_url
from training_hub.core.tables import (
    AccessibilityNeeds,
    Attendance,
    AuditEvent,
    Enrolment,
    FeedToken,
    Person,
    SurveyInvitation,
)
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.inclusion.outcomes import OutcomeInput, record_outcome

NEEDS = "Rampa al secondo piano, interprete LIS"


async def _someone_with_a_history():
    coop = await make_cooperative(name="Cooperativa Aurora")
    person = await make_person(cooperative=coop, full_name="Zoë Ørsted", codice_fiscale="RSTZOE80A41F205X")
    held = await make_course(title="Primo soccorso — Łukasz", status="completed")
    past = utcnow() - timedelta(days=400)
    session = await make_session(held, starts_at=past)
    enrolment = await make_enrolment(person, held)
    await Attendance.insert(Attendance(session=session.id, enrolment=enrolment.id, status="present", minutes=180))
    future = await make_course(title="Corso di dicembre")
    await make_session(future, starts_at=utcnow() + timedelta(days=30))
    await make_enrolment(person, future)
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=person.id, interpreter=True, notes=NEEDS))
    return person, held, future, session


async def test_the_office_exports_a_person_without_needs_and_leaves_an_audit_row(client):
    person, held, future, _ = await _someone_with_a_history()
    admin = await make_person("admin")

    response = await client.get(f"/api/people/{person.id}/export", headers=await bearer(admin))

    assert response.status_code == 200
    data = response.json()
    assert data["profile"]["full_name"] == "Zoë Ørsted" and data["profile"]["cooperative"] == "Cooperativa Aurora"
    assert [e["course"] for e in data["enrolments"]] == ["Primo soccorso — Łukasz", "Corso di dicembre"]
    assert data["attendance"] == [{"course": "Primo soccorso — Łukasz", "starts_at": data["attendance"][0]["starts_at"],
                                   "ends_at": data["attendance"][0]["ends_at"], "status": "present", "minutes": 180}]
    assert data["accessibility_needs"] is None and NEEDS not in response.text
    audit = await AuditEvent.select().where(AuditEvent.action == "person.data_exported")
    assert [(row["actor"], row["entity_id"]) for row in audit] == [(admin.id, person.id)]
    assert NEEDS not in str(audit)


async def test_the_person_gets_their_own_needs_and_no_audit_row(client):
    person, *_ = await _someone_with_a_history()
    data = (await client.get(f"/api/people/{person.id}/export", headers=await bearer(person))).json()
    assert data["accessibility_needs"]["notes"] == NEEDS and data["accessibility_needs"]["interpreter"] is True
    assert await AuditEvent.count().where(AuditEvent.action == "person.data_exported") == 0


async def test_nobody_else_can_export_or_erase(client):
    person, *_ = await _someone_with_a_history()
    coordinator = await make_person("coordinator", cooperative=person.cooperative)
    for role in ("worker", "trainer", "tutor"):
        other = await make_person(role)
        assert (await client.get(f"/api/people/{person.id}/export", headers=await bearer(other))).status_code == 404
    assert (await client.get(f"/api/people/{person.id}/export", headers=await bearer(coordinator))).status_code == 404
    assert (await client.post(f"/api/people/{person.id}/erase", headers=await bearer(coordinator))).status_code == 403
    assert (await client.post(f"/api/people/{person.id}/erase", headers=await bearer(person))).status_code == 403
    admin = await make_person("admin")
    assert (await client.post(f"/api/people/{admin.id}/erase", headers=await bearer(admin))).status_code == 403
    assert (await client.get("/api/people/999999/export", headers=await bearer(admin))).status_code == 404


async def test_the_pdf_says_what_the_json_says(client):
    person, *_ = await _someone_with_a_history()
    await login(client, person.email)
    data = (await client.get(f"/people/{person.id}/data.json")).json()
    response = await client.get(f"/people/{person.id}/data.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "private, no-store"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for value in (data["profile"]["full_name"], data["profile"]["codice_fiscale"], "Primo soccorso — Łukasz",
                  "Corso di dicembre", "Presente", "3 h", NEEDS):
        assert value in text, value
    day = to_rome(utcnow() - timedelta(days=400)).strftime("%d/%m/%Y")
    assert day in text


async def test_erasure_keeps_the_name_for_the_registers_and_says_until_when(client):
    person, held, future, session = await _someone_with_a_history()
    await current_feed_url(as_user(person), "personal")
    admin = await make_person("admin")

    response = await client.post(f"/api/people/{person.id}/erase", headers=await bearer(admin))

    assert response.status_code == 200, response.text
    report = response.json()
    last_day = to_rome(session.ends_at).date()
    assert report["kept"] == [{
        "what": "nome e codice fiscale, registro, presenze e test finale del corso «Primo soccorso — Łukasz»",
        "course_id": held.id, "until": last_day.replace(year=last_day.year + 10).isoformat(),
        "why": report["kept"][0]["why"],
    }]
    assert "art. 2220 c.c." in report["kept"][0]["why"] and "Accordo" not in report["kept"][0]["why"]
    assert "nome e codice fiscale" not in report["erased"]
    row = await Person.select().where(Person.id == person.id).first()
    assert row["full_name"] == "Zoë Ørsted" and row["codice_fiscale"] == "RSTZOE80A41F205X"
    assert row["email"] == f"cancellato-{person.id}@cancellato.invalid"
    assert row["password_hash"] is None and row["active"] is False
    assert not await AccessibilityNeeds.exists().where(AccessibilityNeeds.person == person.id)
    assert not await FeedToken.exists().where(FeedToken.person == person.id)
    statuses = {e["course"]: e["status"] for e in await Enrolment.select(Enrolment.course, Enrolment.status)
                .where(Enrolment.person == person.id)}
    assert statuses == {held.id: "confirmed", future.id: "cancelled"}  # the seat went back
    assert await Attendance.count().where(Attendance.session == session.id) == 1
    # The audit row names the kept course, never a content.
    audit = await AuditEvent.select().where(AuditEvent.action == "person.erased").first()
    assert audit["data"] in ({"kept_courses": [held.id]}, f'{{"kept_courses": [{held.id}]}}')
    # Logging in with the old address no longer works.
    assert (await client.post("/api/auth/tokens", json={"email": person.email, "password": "demo-password"})).status_code == 401


async def test_erasure_of_someone_with_no_records_to_keep_takes_the_name_too(client):
    person = await make_person(full_name="Mario Bianchi", codice_fiscale="BNCMRA80A01F205X")
    course = await make_course()
    await make_session(course)
    await make_enrolment(person, course, status="waitlisted")
    survey_course = await make_course(status="completed")
    from training_hub.core.tables import Survey

    survey = await Survey.insert(Survey(course=survey_course.id, opens_at=utcnow(), closes_at=utcnow()))
    await SurveyInvitation.insert(SurveyInvitation(survey=survey[0]["id"], person=person.id, answered=True))
    admin = await make_person("admin")

    report = (await client.post(f"/api/people/{person.id}/erase", headers=await bearer(admin))).json()

    assert report["kept"] == [] and report["erased"][0] == "nome e codice fiscale"
    row = await Person.select(Person.full_name, Person.codice_fiscale).where(Person.id == person.id).first()
    assert row == {"full_name": "Persona cancellata", "codice_fiscale": None}
    assert not await SurveyInvitation.exists().where(SurveyInvitation.person == person.id)


async def test_an_open_inclusion_pathway_stops_the_erasure_and_a_closed_one_is_deleted(client):
    cast = await make_cast()
    pathway_id = await make_pathway(cast)
    response = await client.post(f"/api/people/{cast.person.id}/erase", headers=await bearer(cast.admin))
    assert response.status_code == 409
    assert "percorso di inclusione in corso" in response.json()["detail"]
    assert (await Person.select(Person.active).where(Person.id == cast.person.id).first())["active"] is True

    await record_outcome(as_user(cast.promoter), pathway_id, OutcomeInput(outcome="concluso",
                                                                          outcome_on=to_rome(utcnow()).date().isoformat(),
                                                                          reason=""))
    assert (await client.post(f"/api/people/{cast.person.id}/erase", headers=await bearer(cast.admin))).status_code == 200
    from training_hub.inclusion.tables import InclusionPathway

    assert not await InclusionPathway.exists().where(InclusionPathway.person == cast.person.id)


async def test_the_office_page_asks_for_confirmation_then_shows_the_report(client):
    person, held, *_ = await _someone_with_a_history()
    admin = await make_person("admin")
    await login(client, admin.email)
    record = await client.get(f"/admin/people/{person.id}")
    assert f'href="/people/{person.id}/privacy"' in record.text
    page = await client.get(f"/people/{person.id}/privacy")
    assert page.status_code == 200 and "Cancella i dati" in page.text and "/data.pdf" in page.text

    refused = await post_form(client, f"/people/{person.id}/privacy/erase", {})
    assert refused.status_code == 400 and 'aria-invalid="true"' in refused.text
    assert (await Person.select(Person.active).where(Person.id == person.id).first())["active"] is True

    done = await post_form(client, f"/people/{person.id}/privacy/erase", {"confirm": "yes"})
    assert done.status_code == 200
    assert "Conservati per obbligo di legge" in done.text and "Primo soccorso — Łukasz" in done.text
    without_csrf = await client.post(f"/people/{person.id}/privacy/erase", data={"confirm": "yes"})
    assert without_csrf.status_code == 403


async def test_a_safety_dossier_hold_is_named_with_both_sources(client):
    """The safety feature's hold (retention_holds hook) joins the course-records rule: one line, both reasons."""
    from tests.integration.safety.safety_setup import ended_safety_course

    setup = await ended_safety_course()
    name, person = next(iter(setup.people.items()))
    admin = await make_person("admin")

    report = (await client.post(f"/api/people/{person.id}/erase", headers=await bearer(admin))).json()

    assert [line["course_id"] for line in report["kept"]] == [setup.course.id]
    assert report["kept"][0]["until"] == "2036-11-17"
    why = report["kept"][0]["why"]
    assert why.startswith("art. 2220 c.c.") and why.endswith("Accordo Stato-Regioni 17/04/2025, Rep. Atti n. 59/CSR, punto 7")
    row = await Person.select(Person.full_name).where(Person.id == person.id).first()
    assert row["full_name"] == name
