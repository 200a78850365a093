"""Plans and their actions, the checks before sending, and the fund data forms (who fills what)."""

from decimal import Decimal

from tests.factories import make_cooperative, make_course, make_person
from tests.integration.funding.funding_setup import plan_setup
from tests.support import bearer, login, post_form
from training_hub.core.tables import AuditEvent, Cooperative, Course
from training_hub.funding.tables import FundedAction, FundedPlan, ParticipantFundData

PLAN = {"fund": "foncoop", "channel": "Avviso 2/2026", "code": "FC-2026-0042", "title": "Cura e relazione",
        "starts_on": "2026-09-01", "ends_on": "30/06/2027", "aid_regime": "de_minimis"}


async def test_the_office_creates_a_plan_and_links_courses_as_actions(client):
    admin = await make_person("admin")
    headers = await bearer(admin)
    response = await client.post("/api/funded-plans", headers=headers, json=PLAN)
    assert response.status_code == 201, response.text
    plan = response.json()
    assert plan["ends_on"] == "2027-06-30" and plan["trained_threshold"] == 70 and plan["actions"] == []
    course = await make_course(title="Comunicare con le famiglie")
    added = await client.post(f"/api/funded-plans/{plan['id']}/courses", headers=headers,
                              json={"course_id": course.id, "action_code": "A1"})
    assert added.status_code == 201
    detail = (await client.get(f"/api/funded-plans/{plan['id']}", headers=headers)).json()
    assert [(a["course_id"], a["action_code"]) for a in detail["actions"]] == [(course.id, "A1")]
    # The register prints the plan's code: the course carries it now.
    assert (await Course.select(Course.funder_plan_code).where(Course.id == course.id).first())[
        "funder_plan_code"] == "FC-2026-0042"
    again = await client.post(f"/api/funded-plans/{plan['id']}/courses", headers=headers, json={"course_id": course.id})
    assert again.status_code == 409
    assert (await client.post("/api/funded-plans", headers=headers, json=PLAN)).status_code == 409


async def test_bad_plans_are_refused_field_by_field_and_only_admins_create(client):
    admin = await make_person("admin")
    bad = {**PLAN, "fund": "fondo_x", "code": "A\x07B", "ends_on": "2026-01-01", "trained_threshold": 150}
    response = await client.post("/api/funded-plans", headers=await bearer(admin), json=bad)
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"fund", "code", "ends_on", "trained_threshold"}
    coordinator = await make_person("coordinator", cooperative=await make_cooperative())
    assert (await client.post("/api/funded-plans", headers=await bearer(coordinator), json=PLAN)).status_code == 403
    assert await FundedPlan.count() == 0
    # The page shows the message next to the field and keeps what was typed.
    await login(client, admin.email)
    page = await post_form(client, "/funded-plans/", {**PLAN, "title": ""})
    assert page.status_code == 422 and "Campo obbligatorio." in page.text and "FC-2026-0042" in page.text


async def test_checks_list_every_missing_datum_per_row(client):
    setup = await plan_setup(participants=2, complete=False)
    complete = await plan_setup(participants=1, code="COMPLETO")
    admin = await make_person("admin")
    findings = (await client.get(f"/api/funded-plans/{setup.plan.id}/checks", headers=await bearer(admin))).json()
    person_fields = {(f["person_id"], f["field"]) for f in findings if "person_id" in f}
    for person in setup.people:
        assert {(person.id, "codice_fiscale"), (person.id, "job_grade"), (person.id, "hire_date")} <= person_fields
    company_fields = {f["field"] for f in findings if "cooperative_id" in f}
    assert {"inps_number", "vat_number", "ateco", "size"} <= company_fields
    assert all(f["message"] for f in findings)
    assert (await client.get(f"/api/funded-plans/{complete.plan.id}/checks", headers=await bearer(admin))).json() == []
    # The page groups them per person with a link to the form that fixes them.
    await login(client, admin.email)
    page = await client.get(f"/funded-plans/{setup.plan.id}/checks")
    assert "Manca l&#39;inquadramento." in page.text or "Manca l'inquadramento." in page.text
    assert f"/fund-data/people/{setup.people[0].id}" in page.text
    assert f"/fund-data/cooperatives/{setup.cooperative.id}" in page.text


async def test_a_coordinator_fills_her_people_data_but_never_the_cost(client):
    setup = await plan_setup(participants=1, complete=False)
    person = setup.people[0]
    coordinator = await make_person("coordinator", cooperative=setup.cooperative)
    headers = await bearer(coordinator)
    before = (await client.get(f"/api/people/{person.id}/fund-data", headers=headers)).json()
    assert "hourly_cost" not in before and {m["field"] for m in before["missing"]} >= {"job_grade", "citizenship"}
    response = await client.put(f"/api/people/{person.id}/fund-data", headers=headers, json={
        "family_name": "Rossi", "given_names": "Anna", "citizenship": "ro", "education_level": "diploma",
        "contract_type": "tempo_indeterminato", "job_grade": "operaio_qualificato", "ccnl": "Cooperative sociali",
        "hire_date": "01/03/2019", "hourly_cost": "99.00"})
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["citizenship"] == "RO" and "hourly_cost" not in after
    assert {m["field"] for m in after["missing"]} == {"codice_fiscale"}
    row = await ParticipantFundData.select().where(ParticipantFundData.person == person.id).first()
    assert row["hourly_cost"] is None  # a coordinator's cost is ignored
    audit = await AuditEvent.select(AuditEvent.data).where(AuditEvent.action == "fund_data.updated").first()
    assert "Rossi" not in str(audit["data"])
    # Another cooperative's person does not exist for her; bad values are refused field by field.
    stranger = await make_person("worker", cooperative=await make_cooperative())
    assert (await client.get(f"/api/people/{stranger.id}/fund-data", headers=headers)).status_code == 404
    bad = await client.put(f"/api/people/{person.id}/fund-data", headers=headers,
                           json={"citizenship": "XX", "job_grade": "capo", "hire_date": "31/02/2020"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"citizenship", "job_grade", "hire_date"}
    # The admin sets the cost, and only she sees it.
    admin = await make_person("admin")
    saved = await client.put(f"/api/people/{person.id}/fund-data", headers=await bearer(admin),
                             json={**{k: after[k] for k in ("family_name", "given_names", "citizenship", "education_level",
                                                            "contract_type", "job_grade", "ccnl")},
                                   "hire_date": "2019-03-01", "hourly_cost": "18,50"})
    assert saved.json()["hourly_cost"] == "18.50"
    row = await ParticipantFundData.select().where(ParticipantFundData.person == person.id).first()
    assert Decimal(str(row["hourly_cost"])) == Decimal("18.50")


async def test_the_fund_data_pages_show_what_is_missing_and_save(client):
    setup = await plan_setup(participants=1, complete=False)
    person = setup.people[0]
    coordinator = await make_person("coordinator", cooperative=setup.cooperative)
    await login(client, coordinator.email)
    form = await client.get(f"/fund-data/people/{person.id}?back=/funded-plans/{setup.plan.id}/checks")
    assert form.status_code == 200 and "Cosa manca" in form.text and "hourly_cost" not in form.text
    wrong = await post_form(client, f"/fund-data/people/{person.id}", {"citizenship": "ZZ", "hire_date": "ieri"})
    assert wrong.status_code == 422 and 'aria-invalid="true"' in wrong.text and "ZZ" in wrong.text
    saved = await post_form(client, f"/fund-data/people/{person.id}",
                            {"family_name": "Neri", "given_names": "Paola", "citizenship": "IT", "job_grade": "impiegato",
                             "back": f"/funded-plans/{setup.plan.id}/checks"})
    assert saved.status_code in (302, 303) and saved.headers["location"] == f"/funded-plans/{setup.plan.id}/checks"
    company = await post_form(client, f"/fund-data/cooperatives/{setup.cooperative.id}",
                              {"ateco": "881000", "inps_number": "4912345678", "vat_number": "01234567897",
                               "size": "media"})
    assert company.status_code in (302, 303)
    row = await Cooperative.select().where(Cooperative.id == setup.cooperative.id).first()
    assert (row["ateco"], row["inps_number"], row["size"]) == ("88.10.00", "4912345678", "media")
    bad = await post_form(client, f"/fund-data/cooperatives/{setup.cooperative.id}", {"vat_number": "01234567890"})
    assert bad.status_code == 422
    other = await make_cooperative()
    assert (await client.get(f"/fund-data/cooperatives/{other.id}")).status_code == 404


async def test_coordinators_see_only_plans_with_their_people(client):
    setup = await plan_setup(participants=1)
    other = await plan_setup(participants=1, code="ALTRO-PIANO")
    coordinator = await make_person("coordinator", cooperative=setup.cooperative)
    listed = (await client.get("/api/funded-plans", headers=await bearer(coordinator))).json()
    assert [p["id"] for p in listed] == [setup.plan.id]
    assert (await client.get(f"/api/funded-plans/{other.plan.id}", headers=await bearer(coordinator))).status_code == 404
    assert (await client.get("/api/funded-plans", headers=await bearer(setup.people[0]))).json() == []
    await login(client, coordinator.email)
    page = await client.get("/funded-plans")
    assert setup.plan.code in page.text and "ALTRO-PIANO" not in page.text and "Registra un piano" not in page.text
    assert await FundedAction.count() == 2


async def test_one_course_raced_into_two_plans_lands_in_one(client):
    import asyncio

    admin = await make_person("admin")
    headers = await bearer(admin)
    first = (await client.post("/api/funded-plans", headers=headers, json=PLAN)).json()
    second = (await client.post("/api/funded-plans", headers=headers, json={**PLAN, "code": "FC-2026-0043"})).json()
    course = await make_course()
    responses = await asyncio.gather(*[
        client.post(f"/api/funded-plans/{plan['id']}/courses", headers=headers, json={"course_id": course.id})
        for plan in (first, second)])
    assert sorted(r.status_code for r in responses) == [201, 409]
    assert await FundedAction.count().where(FundedAction.course == course.id) == 1
