"""The demo shows this branch's features: the public catalogue without login, the audit log with
rows, the tutor's link to a followed person's training record, the public report's periods."""

from __future__ import annotations

from tests.support import login
from training_hub.demo import load_demo_data


async def test_the_demo_shows_the_public_catalogue_the_audit_log_and_the_tutors_records(client):
    await load_demo_data()
    catalogue = await client.get("/courses")
    assert catalogue.status_code == 200 and "Accedi per iscriverti" in catalogue.text
    api = (await client.get("/api/public/courses")).json()
    assert api["total"] > 0
    assert (await client.get(api["items"][0]["url"])).status_code == 200
    assert "/courses/" in (await client.get("/sitemap.xml")).text
    assert (await client.get("/public/activity")).status_code == 200

    await login(client, "tutor@demo.test")
    people = await client.get("/tutor/people")
    assert "/training" in people.text
    link = people.text.split('href="/people/', 1)[1].split('"', 1)[0]
    assert (await client.get("/people/" + link.replace("accessibility", "training"))).status_code == 200

    await login(client, "admin@demo.test")
    log = await client.get("/admin/audit")
    assert log.status_code == 200 and "Persona creata" in log.text and "Percorso formativo letto" in log.text
