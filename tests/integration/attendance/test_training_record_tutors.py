"""Tutors see the training record of the people they follow (issue 14, item 8), and every read of
someone else's record is audited without its content."""

from __future__ import annotations

import json

from tests.factories import make_person
from tests.integration.attendance.attendance_setup import course_setup, past_start
from tests.support import login
from training_hub.core.tables import AuditEvent, TutorLink


async def test_a_tutor_reads_the_record_of_the_people_she_follows_and_is_audited(client):
    setup = await course_setup(sessions=1, participants=2, first_start=past_start())
    followed, other = setup.people
    tutor = await make_person("tutor", cooperative=setup.cooperative)
    await TutorLink.insert(TutorLink(tutor=tutor.id, person=followed.id))
    await login(client, tutor.email)
    page = await client.get(f"/people/{followed.id}/training")
    assert page.status_code == 200 and f"Percorso formativo di {followed.full_name}" in page.text
    assert (await client.get(f"/people/{followed.id}/training.csv")).status_code == 200
    assert (await client.get(f"/people/{other.id}/training")).status_code == 404
    # From the tutor's page of the people she follows.
    assert f'href="/people/{followed.id}/training"' in (await client.get("/tutor/people")).text
    reads = await AuditEvent.select().where(AuditEvent.action == "training_record.read")
    assert [(r["actor"], r["entity_id"]) for r in reads] == [(tutor.id, followed.id)] * 2
    assert setup.course.title not in json.dumps(reads, default=str)
    # One's own record is not audited; a tutor's role without the link opens nothing.
    await login(client, followed.email)
    assert (await client.get("/my/training")).status_code == 200
    assert await AuditEvent.count().where(AuditEvent.action == "training_record.read") == 2
    stranger = await make_person("tutor", cooperative=setup.cooperative)
    await login(client, stranger.email)
    assert (await client.get(f"/people/{followed.id}/training")).status_code == 404
