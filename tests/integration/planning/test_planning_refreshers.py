"""Refreshers falling due come from the scadenzario into the needs by themselves (safety/needs.py)."""

from datetime import date

from tests.factories import make_person
from tests.integration.safety.tracker_setup import external, give_role
from tests.support import bearer, login


async def test_a_preposto_due_next_year_is_a_need_of_her_cooperative(client, cooperative, coordinator):
    people = [await make_person("worker", cooperative=cooperative) for _ in range(2)]
    for person in people:
        await give_role(person, "preposto", since=date(2024, 1, 1))
        await external(person, "preposto", date(2025, 3, 10), hours=12)  # refresher due in 2027
    listed = (await client.get(f"/api/cooperatives/{cooperative.id}/training-needs",
                               headers=await bearer(coordinator))).json()
    automatic = [n for n in listed if n["automatic"]]
    assert [(n["course_type"], n["people"], n["source"], n["reason"]) for n in automatic] == [
        ("preposto_aggiornamento", 2, "scadenzario", "legal_duty")]
    assert automatic[0]["id"] is None
    await login(client, coordinator.email)
    page = await client.get(f"/cooperatives/{cooperative.id}/training-needs")
    assert "Aggiornamento preposti" in page.text and "2 persone" in page.text and "prima scadenza: " in page.text
    assert people[0].full_name not in page.text  # counted, never named
