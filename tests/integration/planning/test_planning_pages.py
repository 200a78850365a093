"""The training year's pages: needs, the plan with planned against delivered, lines, budgets (forms with
messages next to the field, fixing mistakes, who sees what) and the statements the plan page runs."""

from datetime import date, timedelta

from tests.factories import make_cooperative, make_course, make_person
from tests.support import login, post_form
from training_hub.planning.tables import Budget, PlanLine, PlanLineCourse, TrainingNeed, TrainingPlan

NEED_FORM = {"topic": "Gestione dei conflitti", "people": "5", "reason": "development", "source": "questionnaire",
             "priority": "medium", "year": "2027", "quarter": "3"}


async def test_a_coordinator_records_a_need_fixes_it_and_deletes_it_on_the_pages(client, cooperative, coordinator):
    await login(client, coordinator.email)
    hub = await client.get("/cooperative")
    assert 'href="/planning"' in hub.text
    start = await client.get("/planning")
    assert start.status_code == 200 and f"/cooperatives/{cooperative.id}/training-needs" in start.text
    wrong = await post_form(client, f"/cooperatives/{cooperative.id}/training-needs",
                            {**NEED_FORM, "people": "zero", "month_from": "4"})
    assert wrong.status_code == 422 and 'aria-invalid="true"' in wrong.text
    assert "Indica quante persone" in wrong.text and "Gestione dei conflitti" in wrong.text
    saved = await post_form(client, f"/cooperatives/{cooperative.id}/training-needs", NEED_FORM)
    assert saved.status_code in (200, 303)
    need = await TrainingNeed.select().first()
    listing = await client.get(f"/cooperatives/{cooperative.id}/training-needs?year=2027")
    assert "Gestione dei conflitti" in listing.text and "3° trimestre" in listing.text
    fixed = await post_form(client, f"/training-needs/{need['id']}", {**NEED_FORM, "quarter": "", "month_from": "9",
                                                                      "month_to": "11"})
    assert fixed.status_code in (200, 303)
    assert (await TrainingNeed.select(TrainingNeed.month_to).first())["month_to"] == 11
    await post_form(client, f"/training-needs/{need['id']}/delete")
    assert await TrainingNeed.count() == 0
    # Another cooperative's needs do not exist for her.
    other = await make_cooperative()
    assert (await client.get(f"/cooperatives/{other.id}/training-needs")).status_code == 404


async def test_the_plan_page_adds_lines_refuses_expired_money_and_the_office_approves(client, cooperative, coordinator,
                                                                                      admin):
    expired = Budget(title="Avviso chiuso", source="foncoop", kind="call", amount_cents=100000,
                     expires_on=date(2027, 3, 31), cooperative=cooperative.id)
    await expired.save()
    await login(client, coordinator.email)
    line = {"cooperative_id": str(cooperative.id), "title": "Primo soccorso", "hours": "12", "participants": "8",
            "estimated_cost": "1.234,50", "quarter": "2", "budget_id": str(expired.id)}
    refused = await post_form(client, "/training-plans/2027/lines", line)
    assert refused.status_code == 422 and "scadono il 31/03/2027, prima del 2° trimestre 2027" in refused.text
    assert await PlanLine.count() == 0
    added = await post_form(client, "/training-plans/2027/lines", {**line, "quarter": "1"})
    assert added.status_code in (200, 303)
    plan = await client.get(f"/training-plans/2027?cooperative_id={cooperative.id}")
    assert "Primo soccorso" in plan.text and "1.234,50 €" in plan.text and "Bozza" in plan.text
    assert "Approva il piano" not in plan.text  # only the office approves
    await login(client, admin.email)
    approved = await post_form(client, "/training-plans/2027/approve", {"cooperative_id": str(cooperative.id)})
    assert approved.status_code in (200, 303)
    assert (await TrainingPlan.select(TrainingPlan.status).first())["status"] == "approved"
    consortium = await client.get("/training-plans/2027")
    assert consortium.status_code == 200 and cooperative.name in consortium.text


async def test_a_line_links_editions_without_losing_the_approval(client, cooperative, coordinator, admin):
    await login(client, admin.email)
    await post_form(client, "/training-plans/2027/lines", {"cooperative_id": str(cooperative.id), "title": "Corso",
                                                           "hours": "8", "participants": "5", "quarter": "1"})
    await post_form(client, "/training-plans/2027/approve", {"cooperative_id": str(cooperative.id)})
    line = await PlanLine.select().first()
    course = await make_course(title="Edizione di gennaio")
    linked = await post_form(client, f"/training-plan-lines/{line['id']}/courses", {"course_id": str(course.id)})
    assert linked.status_code in (200, 303)
    again = await post_form(client, f"/training-plan-lines/{line['id']}/courses", {"course_id": str(course.id)})
    assert again.status_code == 409 and "già collegato" in again.text
    cost = await post_form(client, f"/training-plan-lines/{line['id']}/cost", {"actual_cost": "900,00"})
    assert cost.status_code in (200, 303)
    assert (await TrainingPlan.select(TrainingPlan.status).first())["status"] == "approved"
    page = await client.get(f"/training-plan-lines/{line['id']}")
    assert "Edizione di gennaio" in page.text and "900,00 €" in page.text
    await post_form(client, f"/training-plan-lines/{line['id']}/courses/{course.id}/unlink")
    assert await PlanLineCourse.count() == 0
    edited = await post_form(client, f"/training-plan-lines/{line['id']}", {"title": "Corso", "hours": "10",
                                                                           "participants": "5", "quarter": "1"})
    assert edited.status_code in (200, 303)
    assert (await TrainingPlan.select(TrainingPlan.status).first())["status"] == "draft"


async def test_budgets_page_shows_the_warning_and_refuses_spent_above_amount(client, admin, coordinator):
    soon = date(2026, 11, 25) + timedelta(days=60)
    await Budget(title="Fondimpresa 2024", source="fondimpresa", kind="fund_account", amount_cents=1000000,
                 committed_cents=250000, credited_on=soon.replace(year=soon.year - 2), expires_on=soon).save()
    await login(client, admin.email)
    assert 'href="/planning"' in (await client.get("/admin")).text
    page = await client.get("/budgets")
    assert "Risorse in scadenza" in page.text and "7.500,00 €" in page.text and "Scade entro 90 giorni" in page.text
    wrong = await post_form(client, "/budgets", {"title": "Dote", "source": "regione", "kind": "dote",
                                                  "amount": "1.000,00", "spent": "1.000,01"})
    assert wrong.status_code == 422 and "La spesa non può superare l&#39;importo del budget." in wrong.text
    assert await Budget.count() == 1
    await login(client, coordinator.email)
    seen = await client.get("/budgets")
    assert seen.status_code == 200 and "Registra un budget" not in seen.text


async def test_the_plan_page_runs_the_same_statements_whatever_the_number_of_lines(client, cooperative, admin,
                                                                                   count_queries):
    await login(client, admin.email)

    async def add(n: int) -> None:
        for i in range(n):
            await post_form(client, "/training-plans/2027/lines", {"cooperative_id": str(cooperative.id),
                                                                   "title": f"Corso {i}", "hours": "4",
                                                                   "participants": "3", "quarter": "2"})
            line = await PlanLine.select(PlanLine.id).order_by(PlanLine.id, ascending=False).first()
            course = await make_course()
            await PlanLineCourse(line=line["id"], course=course.id).save()

    await add(1)
    with count_queries():
        assert (await client.get(f"/training-plans/2027?cooperative_id={cooperative.id}")).status_code == 200
    one = count_queries.count
    await add(6)
    with count_queries():
        assert (await client.get(f"/training-plans/2027?cooperative_id={cooperative.id}")).status_code == 200
    assert count_queries.count == one
    with count_queries():
        assert (await client.get("/training-plans/2027")).status_code == 200
    print("plan page statements:", one, "consortium page:", count_queries.count)
    assert count_queries.count <= one


async def test_a_line_is_built_from_a_need_the_form_comes_filled(client, cooperative, coordinator):
    need = TrainingNeed(cooperative=cooperative.id, year=2027, topic="Primo soccorso in struttura", people=7,
                        reason="legal_duty", source="risk_assessment", course_type="primo_soccorso_bc", quarter=3,
                        job_role="OSS")
    await need.save()
    await login(client, coordinator.email)
    needs_page = await client.get(f"/cooperatives/{cooperative.id}/training-needs?year=2027")
    assert f"need_id={need.id}" in needs_page.text
    form = await client.get(f"/training-plans/2027?cooperative_id={cooperative.id}&need_id={need.id}")
    assert form.status_code == 200
    assert 'value="Primo soccorso in struttura"' in form.text and 'value="7"' in form.text
    assert f'<option value="{need.id}" selected>' in form.text
    stranger = await make_person("coordinator", cooperative=await make_cooperative())
    await login(client, stranger.email)
    assert (await client.get(f"/training-plans/2027?need_id={need.id}")).status_code == 404
