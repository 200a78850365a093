"""The demo's training year: needs of two cooperatives, an approved plan with linked editions, budgets
with one Fondimpresa account expiring within 90 days with money uncommitted."""

from tests.support import login
from training_hub.core.tables import Outbox
from training_hub.demo import load_demo_data
from training_hub.planning.budgets import REMINDER_KIND, notify_expiring_budgets
from training_hub.planning.tables import PlanLineCourse, TrainingNeed, TrainingPlan


async def test_the_demo_has_needs_an_approved_plan_and_an_expiring_budget(client):
    await load_demo_data()
    assert len({row["cooperative"] for row in await TrainingNeed.select(TrainingNeed.cooperative)}) == 2
    plans = await TrainingPlan.select(TrainingPlan.cooperative, TrainingPlan.status, TrainingPlan.year)
    assert sorted(p["status"] for p in plans) == ["approved", "draft"]
    assert await PlanLineCourse.count() >= 2
    await login(client, "coordinator@demo.test")
    start = await client.get("/planning")
    assert start.status_code == 200
    approved = next(p for p in plans if p["status"] == "approved")
    page = await client.get(f"/training-plans/{approved['year']}?cooperative_id={approved['cooperative']}")
    assert page.status_code == 200 and "Approvato" in page.text and "Relazione d&#39;aiuto" in page.text
    await login(client, "admin@demo.test")
    budgets = await client.get("/budgets")
    assert "Risorse in scadenza" in budgets.text and "8.500,00 €" in budgets.text
    assert (await client.get(f"/training-plans/{approved['year']}")).status_code == 200
    assert await notify_expiring_budgets() >= 1
    assert await Outbox.count().where(Outbox.kind == REMINDER_KIND) >= 1
