"""The demo shows the office's tools: a message to participants, a bulk enrolment, a corrected register."""

from __future__ import annotations

import json

from tests.support import login
from training_hub.core.tables import AuditEvent
from training_hub.demo import load_demo_data
from training_hub.enrolment.tables import CourseMessage


async def test_demo_has_a_message_a_bulk_enrolment_and_a_correction(client):
    await load_demo_data()
    message = await CourseMessage.select().first()
    assert message is not None and message["recipients"] > 0
    assert await AuditEvent.count().where(AuditEvent.action == "enrolment.created") >= 1
    correction = await AuditEvent.select(AuditEvent.data).where(AuditEvent.action == "attendance.corrected").first()
    assert correction is not None
    await login(client, "trainer@demo.test")
    page = await client.get(f"/courses/{message['course']}/messages")
    assert page.status_code == 200 and "Materiali per il primo incontro di {corso}" in page.text
    await login(client, "admin@demo.test")
    data = correction["data"] if isinstance(correction["data"], dict) else json.loads(correction["data"])
    history = await client.get(f"/sessions/{data['session_id']}/attendance/history")
    assert history.status_code == 200 and "Certificato di servizio" in history.text
    assert (await client.get("/enrol-people")).status_code == 200
