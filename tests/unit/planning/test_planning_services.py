"""The training year's services: who may do what, each bad input, approvals, the expiry notices, and
delivered figures that agree with the reports'."""

import asyncio
from datetime import date

import pytest
import time_machine

from tests.factories import make_cooperative, make_course, make_enrolment, make_person, make_session
from tests.support import as_user, rome
from training_hub.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from training_hub.core.tables import Outbox, SessionStatus
from training_hub.planning import budgets, needs, plans, refreshers
from training_hub.planning.tables import Budget, PlanLine, PlanLineCourse, TrainingNeed, TrainingPlan
from training_hub.reports.period import Period
from training_hub.reports.queries import course_list, participant_side
from training_hub.reports.scope import Scope


def need(**changes):
    values = {"topic": "Gestione dei conflitti", "people": 4, "reason": "development", "source": "interview"}
    return needs.NeedInput(**{**values, **changes})


def line(**changes):
    values = {"title": "Gestione dei conflitti", "hours": "8", "participants": 4, "quarter": 2}
    return plans.LineInput(**{**values, **changes})


def budget(**changes):
    values = {"title": "Conto formativo", "source": "foncoop", "kind": "fund_account", "amount": "10.000,00"}
    return budgets.BudgetInput(**{**values, **changes})


async def test_only_coordinators_of_the_cooperative_and_the_office_touch_its_needs(cooperative, coordinator, admin):
    mine = as_user(coordinator)
    need_id = await needs.create_need(mine, cooperative.id, need())
    assert await needs.create_need(as_user(admin), cooperative.id, need(topic="Dall'ufficio"))
    for role in ("worker", "trainer", "tutor"):
        someone = as_user(await make_person(role, cooperative=cooperative))
        with pytest.raises(PermissionDenied):
            await needs.create_need(someone, cooperative.id, need())
        with pytest.raises(PermissionDenied):
            await needs.needs_view(someone, cooperative.id)
    stranger = as_user(await make_person("coordinator", cooperative=await make_cooperative()))
    with pytest.raises(NotFound):
        await needs.create_need(stranger, cooperative.id, need())
    with pytest.raises(NotFound):
        await needs.update_need(stranger, need_id, need(topic="Cambiato"))
    with pytest.raises(NotFound):
        await needs.delete_need(stranger, need_id)
    assert await TrainingNeed.count() == 2


@pytest.mark.parametrize(("changes", "field"), [
    ({"topic": ""}, "topic"), ({"topic": "a\x00b"}, "topic"), ({"people": 0}, "people"),
    ({"people": "tanti"}, "people"), ({"reason": "capriccio"}, "reason"), ({"source": "sogno"}, "source"),
    ({"source": "scadenzario"}, "source"), ({"priority": "urgentissima"}, "priority"), ({"quarter": 5}, "quarter"),
    ({"quarter": 1, "month_from": 2, "month_to": 3}, "quarter"), ({"month_from": 5}, "month_to"),
    ({"month_from": 6, "month_to": 2}, "month_to"), ({"month_to": 13, "month_from": 1}, "month_to"),
    ({"area": "marte"}, "area"), ({"course_type": "pilota_di_droni"}, "course_type"), ({"year": 1999}, "year"),
])
async def test_each_bad_need_is_named_by_its_field_and_changes_nothing(cooperative, coordinator, changes, field):
    with pytest.raises(ValidationFailed) as caught:
        await needs.create_need(as_user(coordinator), cooperative.id, need(**changes))
    assert field in caught.value.errors
    assert await TrainingNeed.count() == 0


async def test_refreshers_falling_due_appear_as_needs_by_themselves(cooperative, coordinator, monkeypatch):
    calls = []

    async def due(cooperative_id, today, months=12):
        calls.append((cooperative_id, today, months))
        return [{"cooperative_id": cooperative_id, "course_type": "preposto_aggiornamento", "people": 3, "hours": 6}]

    monkeypatch.setattr(refreshers, "refreshers_due", due)
    view = await needs.needs_view(as_user(coordinator), cooperative.id)
    assert calls == [(cooperative.id, date(2026, 11, 25), 12)]
    [refresher] = view["refreshers"]
    assert refresher["automatic"] and refresher["id"] is None and refresher["source"] == "scadenzario"
    assert refresher["reason"] == "legal_duty" and refresher["people"] == 3 and refresher["topic"] == "Aggiornamento preposti"


@pytest.mark.parametrize(("changes", "field"), [
    ({"hours": "0"}, "hours"), ({"hours": "otto"}, "hours"), ({"hours": ""}, "hours"), ({"hours": "2001"}, "hours"),
    ({"participants": 0}, "participants"), ({"quarter": 5}, "quarter"), ({"quarter": None}, "quarter"),
    ({"estimated_cost": "mille"}, "estimated_cost"), ({"title": "", "course_type": ""}, "title"),
    ({"course_type": "volo"}, "course_type"), ({"need_id": 999999}, "need_id"), ({"budget_id": 999999}, "budget_id"),
    ({"target_group": "x" * 201}, "target_group"),
])
async def test_each_bad_plan_line_is_named_by_its_field_and_changes_nothing(cooperative, coordinator, changes, field):
    with pytest.raises(ValidationFailed) as caught:
        await plans.add_line(as_user(coordinator), cooperative.id, 2027, line(**changes))
    assert field in caught.value.errors
    assert await PlanLine.count() == 0 and await TrainingPlan.count() == 0


async def test_a_line_cannot_be_paid_with_money_expired_before_its_quarter_nor_another_cooperatives(
        cooperative, coordinator, admin):
    office = as_user(admin)
    expiring = await budgets.create_budget(office, budget(cooperative_id=cooperative.id, expires_on="30/06/2027"))
    theirs = await budgets.create_budget(office, budget(cooperative_id=(await make_cooperative()).id))
    consortium = await budgets.create_budget(office, budget(title="Fondi propri", source="own", kind="own_funds"))
    mine = as_user(coordinator)
    with pytest.raises(ValidationFailed) as caught:
        await plans.add_line(mine, cooperative.id, 2027, line(budget_id=expiring, quarter=3))
    assert "30/06/2027" in caught.value.field_errors["budget_id"]
    with pytest.raises(ValidationFailed) as caught:
        await plans.add_line(mine, cooperative.id, 2027, line(budget_id=theirs))
    assert "budget_id" in caught.value.errors
    assert await plans.add_line(mine, cooperative.id, 2027, line(budget_id=expiring, quarter=2))
    assert await plans.add_line(mine, cooperative.id, 2027, line(budget_id=consortium, quarter=4))
    # The expiry is corrected afterwards: the office cannot approve a plan paying with expired money.
    await Budget.update({Budget.expires_on: date(2027, 3, 1)}).where(Budget.id == expiring)
    with pytest.raises(Conflict):
        await plans.approve_plan(office, cooperative.id, 2027)


async def test_approvals_belong_to_the_office_and_a_change_reopens_the_plan(cooperative, coordinator, admin):
    mine, office = as_user(coordinator), as_user(admin)
    with pytest.raises(Conflict):
        await plans.approve_plan(office, cooperative.id, 2027)  # nothing to approve
    line_id = await plans.add_line(mine, cooperative.id, 2027, line())
    with pytest.raises(PermissionDenied):
        await plans.approve_plan(mine, cooperative.id, 2027)
    await plans.approve_plan(office, cooperative.id, 2027)
    with pytest.raises(Conflict):
        await plans.approve_plan(office, cooperative.id, 2027)
    course = await make_course()
    await plans.link_course(mine, line_id, course.id)  # following the year keeps the approval
    await plans.set_actual_cost(office, line_id, "750,00")
    assert (await plans.plan_view(mine, 2027))["status"] == "approved"
    with pytest.raises(PermissionDenied):
        await plans.set_actual_cost(mine, line_id, "1,00")
    await plans.add_line(mine, cooperative.id, 2027, line(title="Un altro corso"))
    view = await plans.plan_view(mine, 2027)
    assert view["status"] == "draft" and view["approved_at"] is None and len(view["lines"]) == 2
    await plans.approve_plan(office, cooperative.id, 2027)
    await plans.delete_line(mine, line_id)
    assert (await plans.plan_view(mine, 2027))["status"] == "draft"


async def test_another_cooperatives_coordinator_sees_nothing_of_the_plan(cooperative, coordinator):
    line_id = await plans.add_line(as_user(coordinator), cooperative.id, 2027, line())
    stranger = as_user(await make_person("coordinator", cooperative=await make_cooperative()))
    with pytest.raises(NotFound):
        await plans.open_line(stranger, line_id)
    with pytest.raises(NotFound):
        await plans.plan_view(stranger, 2027, cooperative.id)
    with pytest.raises(NotFound):
        await plans.link_course(stranger, line_id, (await make_course()).id)
    assert (await plans.plan_view(stranger, 2027))["lines"] == []  # her own cooperative's, empty
    with pytest.raises(PermissionDenied):
        await plans.plan_view(as_user(await make_person("worker", cooperative=cooperative)), 2027)


async def test_two_first_lines_at_once_make_one_plan(cooperative, coordinator):
    mine = as_user(coordinator)
    await asyncio.gather(*(plans.add_line(mine, cooperative.id, 2027, line(title=f"Corso {i}")) for i in range(3)))
    assert await TrainingPlan.count() == 1 and await PlanLine.count() == 3


@pytest.mark.parametrize(("changes", "field"), [
    ({"committed": "10.000,01"}, "committed"), ({"spent": "20.000"}, "spent"), ({"amount": ""}, "amount"),
    ({"amount": "diecimila"}, "amount"), ({"source": "lotteria"}, "source"), ({"kind": ""}, "kind"),
    ({"title": ""}, "title"), ({"cooperative_id": 999999}, "cooperative_id"),
    ({"credited_on": "10/03/2025", "expires_on": "01/03/2025"}, "expires_on"),
    ({"source": "fondimpresa", "credited_on": "10/03/2025", "expires_on": "11/03/2027"}, "expires_on"),
    ({"expires_on": "31/02/2027"}, "expires_on"),
])
async def test_each_bad_budget_is_named_by_its_field_and_changes_nothing(admin, changes, field):
    with pytest.raises(ValidationFailed) as caught:
        await budgets.create_budget(as_user(admin), budget(**changes))
    assert field in caught.value.errors
    assert await Budget.count() == 0


async def test_budgets_are_the_offices_and_coordinators_see_their_own_and_the_consortiums(
        cooperative, coordinator, admin):
    office = as_user(admin)
    with pytest.raises(PermissionDenied):
        await budgets.create_budget(as_user(coordinator), budget())
    fondimpresa = await budgets.create_budget(office, budget(source="fondimpresa", credited_on="10/03/2025",
                                                             cooperative_id=cooperative.id))
    consortium = await budgets.create_budget(office, budget(title="Fondi propri", source="own", kind="own_funds"))
    theirs = await budgets.create_budget(office, budget(cooperative_id=(await make_cooperative()).id))
    seen = await budgets.list_budgets(as_user(coordinator))
    assert {b["id"] for b in seen} == {fondimpresa, consortium}
    assert (await budgets.open_budget(office, fondimpresa))["expires_on"] == date(2027, 3, 10)  # the fund's rule
    with pytest.raises(NotFound):
        await budgets.open_budget(as_user(coordinator), theirs)
    with pytest.raises(PermissionDenied):
        await budgets.update_budget(as_user(coordinator), fondimpresa, budget())


async def test_the_office_is_told_once_at_90_and_once_at_30_days_before_uncommitted_money_expires(admin):
    second = await make_person("admin")
    office = as_user(admin)
    expiring = await budgets.create_budget(office, budget(expires_on=date(2027, 1, 20), committed="2.500,00"))
    await budgets.create_budget(office, budget(title="Tutto impegnato", expires_on=date(2027, 1, 20),
                                               committed="10.000,00"))
    await budgets.create_budget(office, budget(title="Lontano", expires_on=date(2027, 6, 30)))
    counts = await asyncio.gather(budgets.notify_expiring_budgets(), budgets.notify_expiring_budgets())
    assert sum(counts) == 2  # one e-mail to each of the two admins, whatever the race
    assert await budgets.notify_expiring_budgets() == 0
    rows = await Outbox.select(Outbox.recipient, Outbox.subject, Outbox.body).where(
        Outbox.kind == budgets.REMINDER_KIND)
    assert {r["recipient"] for r in rows} == {admin.id, second.id}
    assert "7.500,00 €" in rows[0]["subject"] and f"/budgets/{expiring}" in rows[0]["body"]
    with time_machine.travel(rome(date(2026, 12, 25), 8), tick=False):
        assert await budgets.notify_expiring_budgets() == 2  # the 30-day notice
        assert await budgets.notify_expiring_budgets() == 0


async def test_delivered_hours_and_participants_agree_with_the_reports(cooperative, coordinator, admin):
    people = [await make_person("worker", cooperative=cooperative) for _ in range(3)]
    outsider = await make_person("worker", cooperative=await make_cooperative())
    first, second = await make_course(title="Prima edizione"), await make_course(title="Seconda edizione")
    await make_session(first, rome(date(2026, 10, 20), 9), minutes=180)
    await make_session(first, rome(date(2026, 10, 25), 1), minutes=240)  # 01:00-05:00 on the DST night: 5 hours
    await make_session(first, rome(date(2026, 10, 27), 9), minutes=120, status=SessionStatus.CANCELLED.value)
    await make_session(first, rome(date(2026, 12, 15), 9), minutes=120)  # still to come: planned, not delivered
    await make_session(second, rome(date(2026, 11, 3), 14), minutes=90)
    await make_session(second, rome(date(2025, 11, 3), 14), minutes=60)  # another year
    for person in people[:2]:
        await make_enrolment(person, first)
    await make_enrolment(people[2], second)
    await make_enrolment(outsider, second)
    mine = as_user(coordinator)
    line_a = await plans.add_line(mine, cooperative.id, 2026, line(quarter=4))
    line_b = await plans.add_line(mine, cooperative.id, 2026, line(title="Seconda riga", quarter=4))
    await plans.link_course(mine, line_a, first.id)
    await plans.link_course(mine, line_b, first.id)
    await plans.link_course(mine, line_b, second.id)
    view = await plans.plan_view(mine, 2026)

    scope = Scope("cooperative", cooperative_id=cooperative.id)
    period = Period(date(2026, 1, 1), date(2026, 12, 31))
    per_course = {row["id"]: row for row in await course_list(scope, period)}
    by_line = {x["id"]: x for x in view["lines"]}
    assert by_line[line_a]["delivered_minutes"] == per_course[first.id]["delivered_minutes"] == 180 + 300
    assert by_line[line_b]["delivered_minutes"] == sum(r["delivered_minutes"] for r in per_course.values())
    assert by_line[line_b]["delivered_participants"] == 3
    cooperative_row = next(r for r in await participant_side(scope, period) if r["dim"] == "cooperative")
    assert view["total"]["delivered_participants"] == cooperative_row["participants"] == 3
    # A course linked to two lines counts once for the cooperative.
    assert view["cooperatives"][0]["delivered_minutes"] == sum(r["delivered_minutes"] for r in per_course.values())
    assert view["total"]["planned_minutes"] == 960 and view["total"]["delivered_cost_cents"] is None
    consortium = await plans.plan_view(as_user(admin), 2026)
    assert consortium["cooperative_id"] is None and consortium["total"]["delivered_minutes"] == 180 + 300 + 90
    assert await PlanLineCourse.count() == 3

