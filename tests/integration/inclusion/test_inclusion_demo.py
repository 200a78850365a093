"""The demo: the demo tutor follows two people with pathways at different stages."""

from __future__ import annotations

from datetime import date, timedelta

from tests.support import bearer
from training_hub.core.tables import Person
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.demo import load_demo_data
from training_hub.inclusion.rules import check_duration


async def test_the_demo_tutor_follows_two_pathways_one_running_one_concluded(client):
    await load_demo_data()
    tutor = await Person.objects().where(Person.email == "tutor@demo.test").first()
    headers = await bearer(tutor)
    items = (await client.get("/api/inclusion-pathways", headers=headers)).json()
    assert len(items) == 2
    by_stage = {item["stage"]: item for item in items}
    assert set(by_stage) == {"in_corso", "concluso"}
    today = to_rome(utcnow()).date()
    running = (await client.get(f"/api/inclusion-pathways/{by_stage['in_corso']['id']}", headers=headers)).json()
    assert today < date.fromisoformat(running["next_review_on"]) <= today + timedelta(days=7)
    assert running["reviews"] and running["objectives"] and not running["review_overdue"]
    concluded = (await client.get(f"/api/inclusion-pathways/{by_stage['concluso']['id']}", headers=headers)).json()
    assert concluded["outcome"] == "assunzione"
    assert len(concluded["competences"]) == 2 and len(concluded["reviews"]) == 2
    # The demo data pass the application's own rules.
    for pathway in (running, concluded):
        assert check_duration(pathway["pathway_type"], pathway["eligibility"]["category"],
                              date.fromisoformat(pathway["starts_on"]),
                              date.fromisoformat(pathway["ends_on"]),
                              pathway["derogation_reason"]) == {}
    # The demo coordinator, worker and trainer see nothing of it.
    for email in ("coordinator@demo.test", "worker@demo.test", "trainer@demo.test"):
        other = await Person.objects().where(Person.email == email).first()
        response = await client.get(f"/api/inclusion-pathways/{running['id']}", headers=await bearer(other))
        assert response.status_code == 404, email
