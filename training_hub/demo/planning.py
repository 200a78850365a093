"""Demo training year (issue 19), written through the services as a coordinator and the office would:

* budgets: the home cooperative's Fondimpresa Conto Formazione credited almost two years ago, so its
  money expires within 90 days with some still uncommitted (the warning shows on /budgets, and the
  housekeeping's e-mail to the office); its Fon.Coop conto formativo; a regional dote of the second
  cooperative; the consortium's own funds;
* needs of the home cooperative (Spazio Aperto) and of Il Melograno, from a questionnaire, interviews and
  the risk assessment;
* the home cooperative's plan of the year, approved, whose lines are linked to demo courses (the editions
  already held give the planned-against-delivered table real figures); Il Melograno's plan in draft.

Called at the end of :func:`training_hub.demo.loader.load_demo_data`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from training_hub.core.db import fetch_all, fetch_one
from training_hub.core.identity import CurrentUser
from training_hub.core.timeutil import rome_day_bounds
from training_hub.planning import budgets, needs, plans, rules

HOME_COOPERATIVE = "Cooperativa Sociale Spazio Aperto"
SECOND_COOPERATIVE = "Cooperativa Sociale Il Melograno"


async def _user(email: str) -> CurrentUser | None:
    row = await fetch_one("SELECT id, email, full_name, roles, cooperative, language FROM person WHERE email = {}",
                          email)
    return CurrentUser.from_row(row) if row else None


async def load_planning_demo(today: date) -> dict[str, Any]:
    office = await _user("admin@demo.test")
    coordinator = await _user("coordinator@demo.test")
    home = await fetch_one("SELECT id FROM cooperative WHERE name = {}", HOME_COOPERATIVE)
    second = await fetch_one("SELECT id FROM cooperative WHERE name = {}", SECOND_COOPERATIVE)
    if office is None or coordinator is None or home is None or second is None:
        return {"budgets": 0}
    year = today.year

    # Fondimpresa: the money expires two years after the credit (rules.EXPIRY_RULES): credited so that
    # it expires in 60 days, with 8.500,00 € still uncommitted.
    expiring = await budgets.create_budget(office, budgets.BudgetInput(
        title=f"Fondimpresa Conto Formazione {year - 2}", source="fondimpresa", kind="fund_account",
        cooperative_id=home["id"], amount="18.000,00", committed="9.500,00", spent="6.200,00",
        credited_on=rules.add_years(today + timedelta(days=60), -2)))
    foncoop = await budgets.create_budget(office, budgets.BudgetInput(
        title=f"Fon.Coop conto formativo {year}", source="foncoop", kind="fund_account", cooperative_id=home["id"],
        amount="12.500,00", committed="4.000,00", credited_on=date(year, 2, 15), expires_on=date(year + 1, 12, 31)))
    dote = await budgets.create_budget(office, budgets.BudgetInput(
        title="Dote Lombardia formazione continua", source="regione", kind="dote", cooperative_id=second["id"],
        amount="6.000,00", committed="1.500,00", expires_on=date(year + 1, 6, 30)))
    own = await budgets.create_budget(office, budgets.BudgetInput(
        title=f"Fondi propri del consorzio {year}", source="own", kind="own_funds", amount="5.000,00"))

    home_needs = [
        needs.NeedInput(topic="Relazione d'aiuto con le famiglie", year=year, area="anziani", job_role="OSS",
                        people=8, reason="development", priority="high", quarter=2, source="questionnaire"),
        needs.NeedInput(topic="Movimentazione manuale dei carichi", year=year, area="anziani",
                        job_role="OSS e ausiliari", people=12, reason="legal_duty", priority="high", month_from=3,
                        month_to=5, source="risk_assessment"),
        needs.NeedInput(topic="Progettare la formazione interna", year=year, job_role="coordinatori di servizio",
                        people=4, reason="development", priority="medium", source="interview"),
    ]
    need_ids = [await needs.create_need(coordinator, home["id"], data) for data in home_needs]
    for data in (
        needs.NeedInput(topic="Inserimento lavorativo: affiancamento dei tutor", year=year, area="disabili",
                        job_role="tutor aziendali", people=5, reason="inclusion", priority="medium", quarter=4,
                        source="interview"),
        needs.NeedInput(topic="Lavoro educativo con gli adolescenti", year=year + 1, area="minori",
                        job_role="educatori", people=10, reason="development", priority="low", quarter=1,
                        source="questionnaire"),
    ):
        await needs.create_need(office, second["id"], data)

    # Editions of the year to link: those already held first, then the coming ones.
    start, end = rome_day_bounds(date(year, 1, 1))[0], rome_day_bounds(date(year, 12, 31))[1]
    courses = await fetch_all(
        "SELECT id, title, starts_at, status FROM course WHERE status IN ('published', 'completed') "
        "AND starts_at >= {} AND starts_at < {} ORDER BY CASE WHEN status = 'completed' THEN 0 ELSE 1 END, "
        "starts_at, id LIMIT 3", start, end)
    lines = [
        (plans.LineInput(title="Relazione d'aiuto con le famiglie", need_id=need_ids[0], target_group="OSS del servizio domiciliare",
                         hours="12", participants=8, estimated_cost="2.400,00", budget_id=expiring,
                         quarter=rules.quarter_of(today)), 0),  # before the Fondimpresa money expires
        (plans.LineInput(title="Progettare la formazione interna", need_id=need_ids[2],
                         target_group="Coordinatori di servizio", hours="16", participants=4,
                         estimated_cost="3.200,00", budget_id=foncoop, quarter=4), 1),
        (plans.LineInput(title="Movimentazione manuale dei carichi", need_id=need_ids[1], target_group="OSS e ausiliari",
                         hours="4", participants=12, estimated_cost="900,00", budget_id=own, quarter=2), 2),
    ]
    for data, course_index in lines:
        line_id = await plans.add_line(coordinator, home["id"], year, data)
        if course_index < len(courses):
            await plans.link_course(coordinator, line_id, courses[course_index]["id"])
    first_line = (await fetch_one("SELECT MIN(pl.id) AS id FROM plan_line pl")) or {}
    if first_line.get("id"):
        await plans.set_actual_cost(office, first_line["id"], "2.150,00")
    await plans.approve_plan(office, home["id"], year)
    await plans.add_line(office, second["id"], year, plans.LineInput(
        title="Affiancamento dei tutor aziendali", target_group="Tutor aziendali", hours="8", participants=5,
        estimated_cost="1.200,00", budget_id=dote, quarter=4))
    return {"budgets": 4, "needs": 5, "plan_lines": 4}
