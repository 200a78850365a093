"""Enrolment pages: confirmation pages without JavaScript, refusals next to the fields, who sees what."""

from __future__ import annotations

import html
import re
from datetime import time, timedelta

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
from tests.integration.enrolment.test_enrolment_api import REFUSALS, refusal_case
from tests.support import as_user, login, post_form
from training_hub.core.tables import AccessibilityNeeds, Course, CourseStatus, Enrolment, Outbox, TutorLink
from training_hub.core.timeutil import rome_wall_clock, utcnow


def main_text(page: str) -> str:
    """The page's main content with HTML entities decoded (autoescaped values write an apostrophe as one)."""
    return html.unescape(page[page.index("<main") : page.index("</main>")])


async def statuses(course) -> list[str]:
    rows = (
        await Enrolment.select(Enrolment.status).where(Enrolment.course == course.id).order_by(Enrolment.id)
    )
    return [row["status"] for row in rows]


async def test_enrol_and_cancel_with_confirmation_pages(client):
    await make_person(cooperative=await make_cooperative(), email="luca@example.test")
    course = await make_course(title="Comunicare i valori", capacity=5)
    day = (utcnow() + timedelta(days=30)).date()
    await make_session(course, starts_at=rome_wall_clock(day, time(9, 30)), minutes=210)
    await login(client, "luca@example.test")

    confirm = await client.get(f"/courses/{course.id}/enrol")
    assert confirm.status_code == 200
    page = main_text(confirm.text)
    assert "Comunicare i valori" in page and "Conferma l'iscrizione" in page
    assert f"{day:%d/%m/%Y}" in page and "09:30–13:00" in page
    assert 'name="_csrf_token"' in page
    assert await Enrolment.count() == 0  # looking at the page changes nothing

    done = await post_form(client, f"/courses/{course.id}/enrol", {})
    assert done.status_code == 303 and done.headers["location"] == "/my/enrolments"
    mine = main_text((await client.get("/my/enrolments")).text)
    assert "Iscrizione confermata." in mine and "Confermata" in mine and "Comunicare i valori" in mine
    enrolment_id = (await Enrolment.select(Enrolment.id).first())["id"]

    cancel_page = await client.get(f"/enrolments/{enrolment_id}/cancel")
    assert cancel_page.status_code == 200 and "Sì, annulla l'iscrizione" in main_text(cancel_page.text)
    assert await statuses(course) == ["confirmed"]
    cancelled = await post_form(client, f"/enrolments/{enrolment_id}/cancel", {})
    assert cancelled.status_code == 303 and cancelled.headers["location"] == "/my/enrolments"
    assert await statuses(course) == ["cancelled"]
    assert "Annullata" in main_text((await client.get("/my/enrolments")).text)


async def test_waiting_list_position_is_shown(client):
    cooperative = await make_cooperative()
    course = await make_course(capacity=1)
    await make_enrolment(await make_person(cooperative=cooperative), course)
    await make_person(cooperative=cooperative, email="second@example.test")
    await login(client, "second@example.test")
    assert "Entra in lista d'attesa" in main_text((await client.get(f"/courses/{course.id}/enrol")).text)
    await post_form(client, f"/courses/{course.id}/enrol", {"next": f"/courses/{course.id}"})
    page = main_text((await client.get("/my/enrolments")).text)
    assert "sei in lista d'attesa, in posizione 1" in page and "Posizione in lista d'attesa: 1" in page


async def test_refusals_on_the_pages(client):
    await make_person(cooperative=await make_cooperative(), email="w@example.test")
    now = utcnow()
    closed = await make_course(enrolment_closes_at=now - timedelta(hours=2))
    draft = await make_course(status=CourseStatus.DRAFT.value)
    await login(client, "w@example.test")

    page = await client.get(f"/courses/{closed.id}/enrol")
    assert page.status_code == 200
    assert (
        "Le iscrizioni si sono chiuse il" in page.text
        and f'/courses/{closed.id}/enrol" novalidate' not in page.text
    )
    posted = await post_form(client, f"/courses/{closed.id}/enrol", {})
    assert posted.status_code == 409
    assert 'role="alert"' in posted.text and "Le iscrizioni si sono chiuse il" in posted.text
    assert (await client.get(f"/courses/{draft.id}/enrol")).status_code == 404
    assert (await post_form(client, f"/courses/{draft.id}/enrol", {})).status_code == 404
    assert await Enrolment.count() == 0


async def test_cancelling_after_the_deadline_is_refused_on_the_page(client):
    worker = await make_person(cooperative=await make_cooperative(), email="late@example.test")
    course = await make_course(cancellation_deadline=utcnow() - timedelta(hours=1))
    enrolment = await make_enrolment(worker, course)
    await login(client, "late@example.test")
    page = await client.get(f"/enrolments/{enrolment.id}/cancel")
    assert (
        "Il termine per annullare l'iscrizione è scaduto" in main_text(page.text)
        and "Sì, annulla" not in page.text
    )
    assert "Termine per annullare scaduto il" in (await client.get("/my/enrolments")).text
    posted = await post_form(client, f"/enrolments/{enrolment.id}/cancel", {})
    assert posted.status_code == 409 and "ufficio formazione" in posted.text
    assert await statuses(course) == ["confirmed"]


async def test_the_office_cancels_late_with_a_reason(client):
    await make_person(roles="admin", email="office@example.test")
    worker = await make_person(cooperative=await make_cooperative())
    course = await make_course(cancellation_deadline=utcnow() - timedelta(hours=1))
    enrolment = await make_enrolment(worker, course)
    await login(client, "office@example.test")
    page = await client.get(f"/enrolments/{enrolment.id}/cancel")
    assert 'name="reason"' in page.text and "required" in page.text
    missing = await post_form(client, f"/enrolments/{enrolment.id}/cancel", {"reason": ""})
    assert missing.status_code == 422
    assert 'aria-invalid="true"' in missing.text and 'id="reason-error"' in missing.text
    done = await post_form(
        client,
        f"/enrolments/{enrolment.id}/cancel",
        {"reason": "Cambio di turno comunicato dal coordinatore"},
    )
    assert done.status_code == 303 and done.headers["location"] == f"/courses/{course.id}/participants"
    assert await statuses(course) == ["cancelled"]


async def test_overlap_warning_needs_the_box_ticked(client):
    worker = await make_person(cooperative=await make_cooperative(), email="busy@example.test")
    start = utcnow() + timedelta(days=12)
    booked, clashing = await make_course(title="Primo soccorso"), await make_course()
    await make_session(booked, starts_at=start)
    await make_session(clashing, starts_at=start)
    await make_enrolment(worker, booked)
    await login(client, "busy@example.test")
    page = await client.get(f"/courses/{clashing.id}/enrol")
    assert "Primo soccorso" in page.text and 'name="confirm_warnings"' in page.text
    refused = await post_form(client, f"/courses/{clashing.id}/enrol", {})
    assert refused.status_code == 409 and 'id="confirm_warnings-error"' in refused.text
    assert await statuses(clashing) == []
    accepted = await post_form(client, f"/courses/{clashing.id}/enrol", {"confirm_warnings": "on"})
    assert accepted.status_code == 303 and await statuses(clashing) == ["confirmed"]


async def test_coordinator_page_lists_the_cooperative_and_enrols_on_behalf(client, count_queries):
    cooperative, other = await make_cooperative(), await make_cooperative()
    await make_person(roles="coordinator", cooperative=cooperative, email="coord@example.test")
    worker = await make_person(cooperative=cooperative, full_name="Chiara Galli")
    stranger = await make_person(cooperative=other, full_name="Mario Estraneo")
    course = await make_course(title="Bilancio sociale")
    elsewhere = await make_course(title="Corso altrui")
    await make_enrolment(stranger, elsewhere)
    await login(client, "coord@example.test")

    page = await client.get("/coordinator/enrolments")
    assert page.status_code == 200
    assert (
        "Chiara Galli" in page.text and "Mario Estraneo" not in page.text and "Bilancio sociale" in page.text
    )
    missing = await post_form(client, "/coordinator/enrolments", {"person_id": "", "course_id": ""})
    assert missing.status_code == 422
    assert 'id="person_id-error"' in missing.text and 'id="course_id-error"' in missing.text
    forged = await post_form(
        client, "/coordinator/enrolments", {"person_id": stranger.id, "course_id": course.id}
    )
    assert forged.status_code == 403 and "Puoi iscrivere solo" in forged.text
    chosen = await post_form(
        client, "/coordinator/enrolments", {"person_id": worker.id, "course_id": course.id}
    )
    # Nothing is written before the confirmation page: it says what the person gets.
    assert chosen.status_code == 303 and chosen.headers["location"].startswith(f"/courses/{course.id}/enrol?")
    confirm = await client.get(chosen.headers["location"])
    assert "Iscrivi Chiara Galli" in confirm.text and "Conferma l'iscrizione" in confirm.text
    assert "Nessuna iscrizione per ora." in (await client.get("/coordinator/enrolments")).text
    done = await post_form(client, f"/courses/{course.id}/enrol",
                           {"person_id": worker.id, "next": "/coordinator/enrolments"})
    assert done.status_code == 303 and done.headers["location"] == "/coordinator/enrolments"
    listing = main_text((await client.get("/coordinator/enrolments")).text)
    assert "Iscrizione di Chiara Galli confermata." in listing and "Confermata" in listing

    with count_queries() as few:
        await client.get("/coordinator/enrolments")
    for n in range(8):
        await make_enrolment(await make_person(cooperative=cooperative), await make_course())
    with count_queries() as many:
        await client.get("/coordinator/enrolments")
    assert many.count == few.count


async def test_tutor_enrols_the_people_they_follow_and_records_needs(client):
    cooperative = await make_cooperative()
    tutor = await make_person(roles="tutor", cooperative=cooperative, email="tutor@example.test")
    followed = await make_person(cooperative=cooperative, full_name="Sara Pozzi")
    await TutorLink.insert(TutorLink(tutor=tutor.id, person=followed.id))
    course = await make_course(title="Laboratorio di competenze", requires_approval=True)
    await login(client, "tutor@example.test")
    page = await client.get("/tutor/people")
    assert "Sara Pozzi" in page.text and f"/people/{followed.id}/accessibility" in page.text
    chosen = await post_form(client, "/tutor/people", {"person_id": followed.id, "course_id": course.id})
    assert chosen.status_code == 303
    confirm = await client.get(chosen.headers["location"])
    assert "Invia la richiesta" in confirm.text
    done = await post_form(client, f"/courses/{course.id}/enrol", {"person_id": followed.id, "next": "/tutor/people"})
    assert done.status_code == 303
    after = main_text((await client.get("/tutor/people")).text)
    assert "Richiesta di iscrizione per Sara Pozzi inviata" in after and "In attesa di approvazione" in after

    form = await client.get(f"/people/{followed.id}/accessibility")
    assert form.status_code == 200 and 'name="step_free_access"' in form.text
    too_long = await post_form(client, f"/people/{followed.id}/accessibility", {"notes": "x" * 501})
    assert too_long.status_code == 422 and 'id="notes-error"' in too_long.text
    saved = await post_form(
        client,
        f"/people/{followed.id}/accessibility",
        {"step_free_access": "on", "companion": "on", "notes": "Arriva con la madre"},
    )
    assert saved.status_code == 303
    row = await AccessibilityNeeds.select().where(AccessibilityNeeds.person == followed.id).first()
    assert (row["step_free_access"], row["interpreter"], row["companion"], row["notes"]) == (
        True,
        False,
        True,
        "Arriva con la madre",
    )


async def test_participants_page_shows_needs_only_to_trainers_and_admins(client, other_client, count_queries):
    cooperative, other = await make_cooperative(), await make_cooperative(name="Cooperativa Altra")
    trainer = await make_person(roles="trainer", email="trainer@example.test")
    await make_person(roles="trainer", email="other.trainer@example.test")
    await make_person(roles="admin", email="admin@example.test")
    await make_person(roles="coordinator", cooperative=cooperative, email="coord@example.test")
    await make_person(cooperative=cooperative, email="worker@example.test")
    stairs = await make_location(step_free_access=False, name="Aula al primo piano")
    course = await make_course(capacity=1, trainers=[trainer])
    await make_session(course, location=stairs.id)
    needing = await make_person(cooperative=cooperative, full_name="Anna Riva")
    await AccessibilityNeeds.insert(
        AccessibilityNeeds(person=needing.id, step_free_access=True, notes="Deambulatore")
    )
    await make_enrolment(needing, course)
    waiting = await make_person(cooperative=other, full_name="Marco Sala")
    await make_enrolment(waiting, course, status="waitlisted")

    for email in ("trainer@example.test", "admin@example.test"):
        await login(other_client, email)
        page = await other_client.get(f"/courses/{course.id}/participants")
        assert page.status_code == 200
        text = main_text(page.text)
        assert "Deambulatore" in text and "Accesso senza barriere architettoniche" in text
        assert "Aula al primo piano" in text  # the step-free warning
        assert "Marco Sala" in text and '<th scope="col">' in text
        # Only the office (and the person's coordinator) may cancel someone else's seat.
        assert ("/cancel?next=" in text) == (email == "admin@example.test")
        await post_form(other_client, "/logout")

    await login(client, "coord@example.test")
    page = await client.get(f"/courses/{course.id}/participants")
    assert page.status_code == 200
    text = main_text(page.text)
    assert "Anna Riva" in text and "Marco Sala" not in text
    assert "Deambulatore" not in text and "barriere" not in text and "Aula al primo piano" not in text
    assert "Deambulatore" not in (await client.get(f"/people/{needing.id}/accessibility")).text
    assert (await client.get(f"/people/{needing.id}/accessibility")).status_code == 404
    await post_form(client, "/logout")

    await login(client, "other.trainer@example.test")
    page = await client.get(f"/courses/{course.id}/participants")
    assert page.status_code == 403 and "Deambulatore" not in page.text
    assert (await client.get(f"/people/{needing.id}/accessibility")).status_code == 404
    await post_form(client, "/logout")

    await login(client, "worker@example.test")
    assert (await client.get(f"/courses/{course.id}/participants")).status_code == 403
    assert (await client.get(f"/people/{needing.id}/accessibility")).status_code == 404
    for url in ("/my/enrolments", f"/courses/{course.id}/enrol", "/"):
        assert "Deambulatore" not in (await client.get(url)).text
    await post_form(client, "/logout")

    # The page costs the same number of queries with 2 or 12 participants.
    await login(client, "trainer@example.test")
    with count_queries() as few:
        await client.get(f"/courses/{course.id}/participants")
    for _ in range(10):
        person = await make_person(cooperative=cooperative)
        await AccessibilityNeeds.insert(AccessibilityNeeds(person=person.id, interpreter=True))
        await make_enrolment(person, course, status="waitlisted")
    with count_queries() as many:
        await client.get(f"/courses/{course.id}/participants")
    assert many.count == few.count


async def test_capacity_form_promotes_and_shows_errors_next_to_the_field(client):
    trainer = await make_person(roles="trainer", email="t@example.test")
    cooperative = await make_cooperative()
    course = await make_course(capacity=2, trainers=[trainer])
    await make_enrolment(await make_person(cooperative=cooperative), course)
    await make_enrolment(await make_person(cooperative=cooperative), course)
    await make_enrolment(await make_person(cooperative=cooperative), course, status="waitlisted")
    await login(client, "t@example.test")
    bad = await post_form(client, f"/courses/{course.id}/capacity", {"capacity": "zero"})
    assert bad.status_code == 422 and 'id="capacity-error"' in bad.text and 'aria-invalid="true"' in bad.text
    below = await post_form(client, f"/courses/{course.id}/capacity", {"capacity": "1"})
    assert below.status_code == 422 and "iscritti confermati" in below.text
    none = await post_form(client, f"/courses/{course.id}/capacity", {"capacity": "0"})
    assert none.status_code == 422 and "da 1 a 1000" in none.text  # the catalogue's range
    done = await post_form(client, f"/courses/{course.id}/capacity", {"capacity": "3"})
    assert done.status_code == 303
    assert await statuses(course) == ["confirmed", "confirmed", "confirmed"]
    assert "1 persona è passata dalla lista" in (await client.get(f"/courses/{course.id}/participants")).text


async def test_approvals_page_approve_and_reject_with_a_reason(client):
    cooperative = await make_cooperative()
    await make_person(roles="admin", email="office@example.test")
    course = await make_course(title="Laboratorio", requires_approval=True)
    first = await make_enrolment(
        await make_person(cooperative=cooperative, full_name="Elisa Villa"), course, status="pending"
    )
    second = await make_enrolment(
        await make_person(cooperative=cooperative, full_name="Paolo Bassi"), course, status="pending"
    )
    await login(client, "office@example.test")
    page = await client.get("/admin/approvals")
    assert "Elisa Villa" in page.text and "Paolo Bassi" in page.text and "2 richieste in attesa" in page.text
    approved = await post_form(client, f"/enrolments/{first.id}/approve", {"next": "/admin/approvals"})
    assert approved.status_code == 303 and approved.headers["location"] == "/admin/approvals"
    decide = await client.get(f"/enrolments/{second.id}/decide")
    assert decide.status_code == 200 and 'name="reason"' in decide.text
    missing = await post_form(client, f"/enrolments/{second.id}/reject", {"reason": ""})
    assert missing.status_code == 422 and 'id="reason-error"' in missing.text
    rejected = await post_form(
        client, f"/enrolments/{second.id}/reject", {"reason": "Non rientra nel progetto"}
    )
    assert rejected.status_code == 303
    assert await statuses(course) == ["confirmed", "rejected"]
    assert "Non ci sono richieste da esaminare." in (await client.get("/admin/approvals")).text


async def test_who_reaches_the_enrolment_back_office_pages(client):
    cooperative = await make_cooperative()
    await make_person(cooperative=cooperative, email="w@example.test")
    await make_person(roles="coordinator", cooperative=cooperative, email="c@example.test")
    internal = await make_course(
        await make_path("internal_training", owner_cooperative=cooperative.id), requires_approval=True
    )
    pending = await make_enrolment(await make_person(cooperative=cooperative), internal, status="pending")
    consortium = await make_course(requires_approval=True)
    foreign = await make_enrolment(await make_person(cooperative=cooperative), consortium, status="pending")
    await login(client, "w@example.test")
    nav = (await client.get("/my/enrolments")).text
    assert 'href="/my/enrolments"' in nav and 'href="/admin/approvals"' not in nav
    for url in (
        "/admin/approvals",
        "/coordinator/enrolments",
        "/tutor/people",
        f"/enrolments/{pending.id}/decide",
    ):
        assert (await client.get(url)).status_code == 403, url
    assert (await post_form(client, f"/enrolments/{pending.id}/approve", {})).status_code == 403
    await post_form(client, "/logout")
    await login(client, "c@example.test")
    assert 'href="/coordinator/enrolments"' in (await client.get("/cooperative")).text
    approvals = await client.get("/admin/approvals")
    assert approvals.status_code == 200 and f"/enrolments/{pending.id}/approve" in approvals.text
    assert f"/enrolments/{foreign.id}/approve" not in approvals.text
    assert (await post_form(client, f"/enrolments/{foreign.id}/approve", {})).status_code == 403
    assert (await post_form(client, f"/enrolments/{pending.id}/approve", {})).status_code == 303


async def test_forms_refuse_a_post_without_the_csrf_token(client):
    await make_person(cooperative=await make_cooperative(), email="w@example.test")
    course = await make_course()
    await login(client, "w@example.test")
    response = await client.post(f"/courses/{course.id}/enrol", data={})
    assert response.status_code == 403 and await Enrolment.count() == 0


async def test_every_enrolment_form_posts_with_a_csrf_token(client):
    cooperative = await make_cooperative()
    await make_person(
        roles="admin,coordinator,tutor,trainer", cooperative=cooperative, email="all@example.test"
    )
    course = await make_course(requires_approval=True)
    pending = await make_enrolment(await make_person(cooperative=cooperative), course, status="pending")
    await login(client, "all@example.test")
    for url in (
        "/my/enrolments",
        f"/courses/{course.id}/enrol",
        f"/courses/{course.id}/participants",
        "/coordinator/enrolments",
        "/tutor/people",
        "/admin/approvals",
        f"/enrolments/{pending.id}/decide",
        f"/enrolments/{pending.id}/cancel",
        "/my/accessibility",
    ):
        response = await client.get(url, follow_redirects=True)
        assert response.status_code == 200, url
        html = main_text(response.text)
        for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", html, flags=re.DOTALL):
            assert 'name="_csrf_token"' in form, (url, form[:80])
        assert " style=" not in html and "<script" not in html


async def test_pages_in_english(client):
    await make_person(cooperative=await make_cooperative(), email="en@example.test")
    course = await make_course(enrolment_closes_at=utcnow() - timedelta(days=1))
    await login(client, "en@example.test")
    client.cookies.set("lang", "en", domain="testserver.local")
    page = await client.get("/my/enrolments")
    assert "My enrolments" in page.text
    assert "Enrolment closed on" in (await client.get(f"/courses/{course.id}/enrol")).text


async def test_course_update_by_others_is_seen_by_the_next_request(client):
    """The enrol page reads the course afresh: a course cancelled meanwhile refuses on submit."""
    await make_person(cooperative=await make_cooperative(), email="w@example.test")
    course = await make_course()
    await login(client, "w@example.test")
    assert (await client.get(f"/courses/{course.id}/enrol")).status_code == 200
    await Course.update({Course.status: CourseStatus.CANCELLED.value}).where(Course.id == course.id)
    refused = await post_form(client, f"/courses/{course.id}/enrol", {})
    assert refused.status_code == 409 and await Enrolment.count() == 0


@pytest.mark.parametrize("case", REFUSALS)
async def test_each_refusal_is_shown_on_the_enrol_page(client, case):
    actor, course, body, text = await refusal_case(case)
    before = (await Enrolment.count(), await Outbox.count())
    await login(client, actor.email)
    query = f"?person_id={body['person_id']}" if body else ""
    shown = await client.get(f"/courses/{course.id}/enrol{query}")
    assert shown.status_code == 200 and text in main_text(shown.text)
    assert f'action="/courses/{course.id}/enrol"' not in shown.text  # no form to submit
    posted = await post_form(client, f"/courses/{course.id}/enrol", body)
    assert posted.status_code == 409
    page = main_text(posted.text)
    assert 'role="alert"' in page and text in page
    assert (await Enrolment.count(), await Outbox.count()) == before


async def test_bad_input_on_the_pages_is_a_clear_message(client):
    cooperative = await make_cooperative()
    await make_person(roles="admin", email="office@example.test")
    worker = await make_person(cooperative=cooperative)
    course = await make_course()
    enrolment = await make_enrolment(worker, course)
    await login(client, "office@example.test")
    page = await client.get(f"/courses/{course.id}/enrol?person_id=tre")
    assert page.status_code == 422 and "Scegli la persona da iscrivere." in page.text
    long = await post_form(client, f"/enrolments/{enrolment.id}/cancel", {"reason": "x" * 1001})
    assert long.status_code == 422 and 'id="reason-error"' in long.text and "1000" in long.text
    assert (await client.get("/enrolments/999999/cancel")).status_code == 404
    assert (await client.get("/courses/999999/participants")).status_code == 404
    # Characters that str.isdigit() calls digits but int() refuses, and an id that is no number at all:
    # a clear 422, never a 500, and never the office enrolling itself instead of the person meant.
    for odd in ("²", "٣x", "1 2"):
        assert (await client.get(f"/courses/{course.id}/enrol", params={"person_id": odd})).status_code == 422
        posted = await post_form(client, f"/courses/{course.id}/enrol", {"person_id": odd})
        assert posted.status_code == 422 and "Scegli la persona da iscrivere." in posted.text
        on_behalf = await post_form(
            client,
            "/coordinator/enrolments",
            {"cooperative_id": cooperative.id, "person_id": odd, "course_id": odd},
        )
        assert on_behalf.status_code == 422 and 'id="person_id-error"' in on_behalf.text
        assert (await client.get("/coordinator/enrolments", params={"cooperative_id": odd})).status_code == 200
    assert await statuses(course) == ["confirmed"]


def render_panel(**context) -> str:
    from training_hub.web.templating import build_environment

    return build_environment().get_template("enrolment/_course_panel.html").render(**context)


async def test_the_course_page_panel(client, trainer, cooperative, coordinator):
    """The panel the catalogue's course page includes, fed by course_panel_context()."""
    from training_hub.enrolment.panel import course_panel_context

    first, second, third = [
        await make_person(cooperative=cooperative, full_name=f"Persona {n}") for n in "ABC"
    ]
    stairs = await make_location(step_free_access=False)
    course = await make_course(capacity=1, trainers=[trainer])
    await make_session(course, location=stairs.id)
    await make_enrolment(first, course)
    waiting = await make_enrolment(second, course, status="waitlisted")
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=first.id, step_free_access=True))

    newcomer = render_panel(enrolment_panel=await course_panel_context(as_user(third), course.id))
    assert "Il corso è al completo." in newcomer and "1 persona in lista d'attesa." in html.unescape(newcomer)
    assert f'href="/courses/{course.id}/enrol?next=' in newcomer and "Mettiti in lista d" in newcomer
    assert "/participants" not in newcomer and "barriere" not in newcomer

    on_list = html.unescape(render_panel(enrolment_panel=await course_panel_context(as_user(second), course.id)))
    assert "In lista d'attesa" in on_list and "posizione 1 in lista d'attesa" in on_list
    assert f"/enrolments/{waiting.id}/cancel" in on_list and "/enrol?" not in on_list

    staff = html.unescape(render_panel(enrolment_panel=await course_panel_context(as_user(trainer), course.id)))
    assert f"/courses/{course.id}/participants" in staff and "accesso senza barriere" in staff

    coordinator_panel = render_panel(enrolment_panel=await course_panel_context(as_user(coordinator), course.id))
    assert 'name="person_id"' in coordinator_panel and "Persona C" in coordinator_panel
    assert "barriere" not in coordinator_panel

    await Course.update({Course.enrolment_closes_at: utcnow() - timedelta(hours=1)}).where(
        Course.id == course.id
    )
    closed = render_panel(enrolment_panel=await course_panel_context(as_user(third), course.id))
    assert "Le iscrizioni si sono chiuse il" in closed and "/enrol" not in closed

    # Without the context (a course page that forgot it) the panel still offers the way in.
    assert f'href="/courses/{course.id}/enrol"' in render_panel(course={"id": course.id})


async def test_personal_lists_cost_the_same_whatever_their_length(client, count_queries):
    cooperative = await make_cooperative()
    me = await make_person(roles="worker,tutor,admin", cooperative=cooperative, email="me@example.test")
    followed = await make_person(cooperative=cooperative)
    await TutorLink.insert(TutorLink(tutor=me.id, person=followed.id))
    await login(client, "me@example.test")
    pages = ("/my/enrolments", "/tutor/people", "/admin/approvals")

    async def costs() -> list[int]:
        result = []
        for url in pages:
            with count_queries() as counter:
                assert (await client.get(url)).status_code == 200
            result.append(counter.count)
        return result

    before = await costs()
    for n in range(6):
        course = await make_course(capacity=1, requires_approval=n % 2 == 0)
        await make_enrolment(me, course, status="waitlisted" if n % 2 else "pending")
        await make_enrolment(followed, course, status="pending")
    assert await costs() == before
