"""The training year through the API: needs, plan lines, approval, budgets (who may do what, bad input)."""


from tests.factories import make_cooperative, make_person
from tests.support import bearer
from training_hub.planning.tables import Budget, TrainingNeed

NEED = {"topic": "Comunicazione con le famiglie", "people": 6, "reason": "development", "source": "interview",
        "area": "anziani", "job_role": "OSS", "priority": "high", "quarter": 2, "year": 2027}


async def test_a_coordinator_records_edits_and_deletes_her_cooperatives_needs(client, cooperative, coordinator):
    headers = await bearer(coordinator)
    created = await client.post(f"/api/cooperatives/{cooperative.id}/training-needs", headers=headers, json=NEED)
    assert created.status_code == 201, created.text
    need = created.json()
    assert need["people"] == 6 and need["quarter"] == 2 and need["automatic"] is False
    listed = (await client.get(f"/api/cooperatives/{cooperative.id}/training-needs?year=2027", headers=headers)).json()
    assert [n["id"] for n in listed] == [need["id"]]
    changed = await client.put(f"/api/training-needs/{need['id']}", headers=headers,
                               json={**NEED, "quarter": None, "month_from": 3, "month_to": 5})
    assert changed.status_code == 200 and changed.json()["month_to"] == 5 and changed.json()["quarter"] is None
    assert (await client.delete(f"/api/training-needs/{need['id']}", headers=headers)).status_code == 204
    assert await TrainingNeed.count() == 0


async def test_needs_refuse_bad_input_field_by_field_and_other_cooperatives(client, cooperative, coordinator):
    headers = await bearer(coordinator)
    bad = {**NEED, "topic": "A\x07B", "people": 0, "reason": "boh", "source": "scadenzario", "quarter": 2,
           "month_from": 1, "course_type": "nessuno"}
    response = await client.post(f"/api/cooperatives/{cooperative.id}/training-needs", headers=headers, json=bad)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"topic", "people", "reason", "source", "quarter",
                                                                 "course_type"}
    other = await make_cooperative()
    assert (await client.post(f"/api/cooperatives/{other.id}/training-needs", headers=headers,
                              json=NEED)).status_code == 404
    worker = await make_person("worker", cooperative=cooperative)
    assert (await client.post(f"/api/cooperatives/{cooperative.id}/training-needs", headers=await bearer(worker),
                              json=NEED)).status_code == 403
    assert await TrainingNeed.count() == 0


async def test_a_plan_is_drafted_approved_and_reopened_by_a_change(client, cooperative, coordinator, admin):
    headers = await bearer(coordinator)
    line = {"cooperative_id": cooperative.id, "title": "Comunicare con le famiglie", "hours": 7.5,
            "participants": 6, "quarter": 2, "estimated_cost_cents": 123450}
    added = await client.post("/api/training-plans/2027/lines", headers=headers, json=line)
    assert added.status_code == 201, added.text
    plan = (await client.get("/api/training-plans/2027", headers=headers)).json()
    assert plan["status"] == "draft" and plan["lines"][0]["planned_minutes"] == 450
    assert plan["total"]["planned_cost_cents"] == 123450
    # Only the office approves.
    assert (await client.post(f"/api/training-plans/2027/approve?cooperative_id={cooperative.id}",
                              headers=headers)).status_code == 403
    office = await bearer(admin)
    approved = await client.post(f"/api/training-plans/2027/approve?cooperative_id={cooperative.id}", headers=office)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    # A change to an approved plan's line puts it back to draft.
    line_id = added.json()["id"]
    assert (await client.put(f"/api/training-plan-lines/{line_id}", headers=headers,
                             json={**line, "participants": 8})).status_code == 200
    assert (await client.get("/api/training-plans/2027", headers=headers)).json()["status"] == "draft"


async def test_budgets_refuse_spent_or_committed_above_the_amount(client, admin, coordinator):
    office = await bearer(admin)
    bad = {"title": "Conto formativo", "source": "foncoop", "kind": "fund_account", "amount_cents": 100000,
           "committed_cents": 100001, "spent_cents": 200000}
    response = await client.post("/api/budgets", headers=office, json=bad)
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"committed", "spent"}
    ok = await client.post("/api/budgets", headers=office, json={
        "title": "Fondimpresa 2025", "source": "fondimpresa", "kind": "fund_account", "amount_cents": 500000,
        "committed_cents": 100000, "credited_on": "2025-03-10"})
    assert ok.status_code == 201, ok.text
    assert ok.json()["expires_on"] == "2027-03-10" and ok.json()["uncommitted_cents"] == 400000
    assert (await client.post("/api/budgets", headers=await bearer(coordinator), json=bad)).status_code == 403
    assert await Budget.count() == 1
