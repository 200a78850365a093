"""The demo's safety records (issue 16 item 6): every status can be seen on a new database."""

from tests.support import login
from training_hub.core.settings import get_settings
from training_hub.core.tables import Cooperative, CooperativeHeadcount, Person
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.demo import load_demo_data
from training_hub.safety.due import policy_from_settings, safety_status
from training_hub.safety.roles import RoleHeld
from training_hub.safety.tables import ExternalTraining, SafetyRole
from training_hub.safety.trainings import CompletedTraining


async def test_demo_records_give_every_status(client):
    await load_demo_data()
    today = to_rome(utcnow()).date()
    luca = await Person.select(Person.id, Person.cooperative).where(Person.email == "worker@demo.test").first()
    home = await Cooperative.select(Cooperative.risk_class, Cooperative.ateco).where(Cooperative.id == luca["cooperative"]).first()
    assert home == {"risk_class": "medio", "ateco": "88.10.00"}
    residential = await Cooperative.select(Cooperative.risk_class).where(Cooperative.ateco == "87.30.00").first()
    assert residential == {"risk_class": "alto"}
    assert await Cooperative.count().where(Cooperative.risk_class == "") == 0
    years = {row["year"] for row in await CooperativeHeadcount.select(CooperativeHeadcount.year)}
    assert years == {today.year - 1, today.year}
    for row in await CooperativeHeadcount.select():
        assert row["women"] + row["men"] <= row["total"] and row["disadvantaged"] <= row["total"]

    roles = [RoleHeld(row["role"], row["since"], row["level"]) for row in
             await SafetyRole.select().where(SafetyRole.person == luca["id"])]
    done = [CompletedTraining(row["course_type"], row["completed_on"], row["minutes"] / 60) for row in
            await ExternalTraining.select(ExternalTraining.course_type, ExternalTraining.completed_on,
                                          ExternalTraining.minutes).where(ExternalTraining.person == luca["id"])]
    statuses = {s.requirement: s.status for s in safety_status(
        roles, done, risk_class="medio", headcount=56, today=today, policy=policy_from_settings(get_settings()))}
    assert set(statuses.values()) == {"missing", "overdue", "due_soon", "valid"}, statuses
    assert statuses["antincendio"] == "due_soon" and statuses["primo_soccorso"] == "overdue"
    assert statuses["preposto"] == "valid"
    assert await SafetyRole.count().where(SafetyRole.role == "rls") == 1

    await login(client, "coordinator@demo.test")
    page = await client.get(f"/people/{luca['id']}/safety-record")
    assert page.status_code == 200 and "Ente Bilaterale Lombardia" in page.text and "Scarica il PDF" in page.text
    scan = await ExternalTraining.select(ExternalTraining.id).where(ExternalTraining.course_type == "preposto").first()
    pdf = await client.get(f"/people/{luca['id']}/safety-record/attestati/{scan['id']}/scan.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
