"""The eligibility never leaves the record: a grep of the feeds, the e-mails queued, the logs and every
export for its texts finds nothing (the one document meant to carry it, the individual record, is the
control that proves the grep would find it)."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import make_course, make_enrolment, make_session
from tests.integration.attendance.attendance_setup import put_attendance
from tests.integration.inclusion.inclusion_setup import (
    ELIGIBILITY_PROTOCOL,
    SECRETS,
    make_cast,
    make_pathway,
    today,
)
from tests.support import as_user, bearer, rome
from training_hub.calendars.tokens import current_feed_url
from training_hub.core.tables import AuditEvent, Outbox
from training_hub.inclusion.outcomes import CompetenceInput, OutcomeInput, add_competence, record_outcome
from training_hub.inclusion.reviews import ReviewInput, add_review, remind_overdue_reviews


def readable(response) -> str:
    """A response as text, whatever its format (PDF text, every XLSX cell, or the body)."""
    content_type = response.headers.get("content-type", "")
    if content_type.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    if "spreadsheetml" in content_type:
        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                         for cell in row if cell is not None)
    return response.text


async def test_nothing_outside_the_record_carries_the_eligibility(client, caplog):
    caplog.set_level(logging.DEBUG)
    cast = await make_cast()
    pathway_id = await make_pathway(cast, next_review_on=(today() - timedelta(days=1)).isoformat())
    # Training during the pathway, over and attended: registers, a certificate, a training record.
    course = await make_course(trainers=[cast.trainer], title="Laboratorio di competenze", status="completed")
    session = await make_session(course, rome(today() - timedelta(days=20), 9), minutes=240)
    enrolment = await make_enrolment(cast.person, course)
    await put_attendance(session, enrolment, "present", 240)
    # The whole life of the pathway: reminders, a review, a competence, an outcome.
    assert await remind_overdue_reviews(rome(today(), 9)) == 2
    tutor = as_user(cast.promoter)
    await add_review(tutor, pathway_id, ReviewInput(held_on=today(), participants="Sara Ricci",
                                                    next_review_on=today() + timedelta(days=30)))
    await add_competence(tutor, pathway_id, CompetenceInput("Uso del trapano", "corso", course.id, "", today()))
    await record_outcome(tutor, pathway_id, OutcomeInput("concluso", today()))
    month = today().strftime("%Y-%m")

    person, admin, trainer = await bearer(cast.person), await bearer(cast.admin), await bearer(cast.trainer)
    outputs = {
        "personal feed": await client.get((await current_feed_url(as_user(cast.person), "personal"))
                                          .removeprefix("http://testserver.local")),
        "course feed": await client.get(f"/calendar/courses/{course.id}.ics"),
        "register.pdf": await client.get(f"/courses/{course.id}/register.pdf", headers=trainer),
        "register.csv": await client.get(f"/courses/{course.id}/register.csv", headers=trainer),
        "register.xlsx": await client.get(f"/courses/{course.id}/register.xlsx", headers=trainer),
        "certificate": await client.get(f"/enrolments/{enrolment.id}/certificate.pdf", headers=person),
        "training record (office)": await client.get(f"/people/{cast.person.id}/training.csv", headers=admin),
        "training record (own)": await client.get("/my/training.csv", headers=person),
        "office report": await client.get("/reports/", headers=admin),
        "office report xlsx (every table)": await client.get("/reports/export.xlsx", headers=admin),
        "public report": await client.get("/public/activity"),
        "public report pdf": await client.get("/public/activity.pdf"),
        "project": await client.get(f"/inclusion-pathways/{pathway_id}/project.pdf", headers=admin),
        "statement of competences": await client.get(f"/inclusion-pathways/{pathway_id}/competences.pdf",
                                                     headers=admin),
        "attendance sheet": await client.get(f"/inclusion-pathways/{pathway_id}/attendance-sheet.pdf?month={month}",
                                             headers=admin),
        "own view": await client.get(f"/api/inclusion-pathways/{pathway_id}", headers=person),
        "own list": await client.get("/api/inclusion-pathways", headers=person),
        "tutor's list": await client.get("/api/inclusion-pathways", headers=await bearer(cast.promoter)),
        "api me": await client.get("/api/me", headers=person),
        "directory": await client.get(f"/api/people/{cast.person.id}", headers=admin),
    }
    for name, response in outputs.items():
        assert response.status_code == 200, (name, response.status_code)
        text = readable(response)
        assert text.strip(), name
        for secret in SECRETS:
            assert secret not in text, (name, secret)
    assert "Uso del trapano" in readable(outputs["statement of competences"])  # the documents were read

    outbox = await Outbox.select(Outbox.subject, Outbox.body)
    assert len(outbox) >= 2
    audit = await AuditEvent.select(AuditEvent.data, AuditEvent.reason)
    for secret in SECRETS:
        assert secret not in str(outbox), secret
        assert secret not in str(audit), secret
        assert secret not in caplog.text, secret
    # The control: the individual record does carry it, so the grep above would have found a leak.
    record = await client.get(f"/inclusion-pathways/{pathway_id}/record.pdf", headers=admin)
    assert ELIGIBILITY_PROTOCOL in readable(record)
