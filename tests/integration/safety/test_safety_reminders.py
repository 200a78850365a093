"""Reminders of the refreshers falling due: 90 and 30 days before and on the day, to the person and to
their cooperative's coordinators, each once — run twice, or twice at once."""

import asyncio
from datetime import date, timedelta

import pytest

from tests.factories import make_cooperative, make_person
from tests.integration.safety.tracker_setup import external, give_role, set_risk
from tests.support import rome
from training_hub.core.tables import AccessibilityNeeds, Outbox
from training_hub.safety.reminders import DUE_DAY_GRACE_DAYS, reminder_stage, send_safety_reminders
from training_hub.safety.tables import SafetyReminder

DUE = date(2027, 2, 10)  # a preposto course ended on 10/02/2025 (before the Accordo: transitional date)


@pytest.mark.parametrize(("days_before", "stage"), [
    (91, None), (90, "90"), (31, "90"), (30, "30"), (1, "30"), (0, "0"),
    (-DUE_DAY_GRACE_DAYS, "0"), (-DUE_DAY_GRACE_DAYS - 1, None), (-400, None),
])
def test_reminder_stages(days_before, stage):
    assert reminder_stage(DUE, DUE - timedelta(days=days_before)) == stage


async def _preposto_due_on(day: date, *, specific: bool = False):
    cooperative = await make_cooperative(name="Cooperativa Girasole")
    await set_risk(cooperative, "medio", headcount=20)
    coordinator = await make_person("coordinator", cooperative=cooperative, email="coordinatrice@example.test")
    other = await make_person("coordinator", cooperative=await make_cooperative(), email="altra@example.test")
    person = await make_person(cooperative=cooperative, full_name="Paolo Conti", email="paolo@example.test")
    await give_role(person, "worker")
    await external(person, "lavoratori_generale", date(2024, 1, 1), 4)
    if specific:  # the workers' specific course, due five years later
        await external(person, "lavoratori_specifica_medio", day.replace(year=day.year - 5), 8)
    else:
        await external(person, "lavoratori_specifica_medio", date(2024, 1, 1), 8)
        await give_role(person, "preposto")
        await external(person, "preposto", day.replace(year=day.year - 2), 12)  # due two years later
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=person.id, notes="Diabete: pause frequenti"))
    return person, coordinator, other


async def _messages():
    return await Outbox.select(Outbox.to_email, Outbox.subject, Outbox.body, Outbox.kind).order_by(Outbox.id)


async def test_reminders_at_90_and_30_days_and_on_the_day_each_once():
    person, coordinator, other = await _preposto_due_on(date(2027, 6, 10))
    # 10/06/2025 + 2 years = 10/06/2027; 90 days before is 12/03/2027.
    assert await send_safety_reminders(rome(date(2027, 3, 11), 9)) == 0
    assert await send_safety_reminders(rome(date(2027, 3, 12), 9)) == 2
    assert await send_safety_reminders(rome(date(2027, 3, 12), 10)) == 0  # the next hour: nothing again
    assert await send_safety_reminders(rome(date(2027, 4, 20), 9)) == 0  # still the "90" stage
    messages = await _messages()
    assert {m["to_email"] for m in messages} == {"paolo@example.test", "coordinatrice@example.test"}
    to_person = next(m for m in messages if m["to_email"] == "paolo@example.test")
    assert to_person["subject"] == "Scadenza aggiornamento preposti: 10/06/2027"
    assert "«Preposto» scade il 10/06/2027, tra 90 giorni. Ore da frequentare: 6." in to_person["body"]
    assert "/my/safety" in to_person["body"]
    to_coordinator = next(m for m in messages if m["to_email"] == "coordinatrice@example.test")
    assert to_coordinator["subject"] == "Scadenza aggiornamento preposti: Paolo Conti, 10/06/2027"
    assert f"/cooperatives/{person.cooperative}/safety-status" in to_coordinator["body"]
    for message in messages:  # nothing special-category, whatever the person's record holds
        assert "Diabete" not in message["body"] and "pause" not in message["body"]

    assert await send_safety_reminders(rome(date(2027, 5, 11), 9)) == 2  # 30 days before
    assert await send_safety_reminders(rome(date(2027, 6, 10), 9)) == 2  # the day itself
    assert await send_safety_reminders(rome(date(2027, 6, 12), 9)) == 0
    stages = await SafetyReminder.select(SafetyReminder.stage, SafetyReminder.due_on).order_by(SafetyReminder.id)
    assert [(row["stage"], row["due_on"]) for row in stages] == [
        ("90", date(2027, 6, 10)), ("30", date(2027, 6, 10)), ("0", date(2027, 6, 10))]
    day_messages = [m for m in await _messages() if "scade oggi" in m["body"]]
    assert len(day_messages) == 2
    assert "altra@example.test" not in {m["to_email"] for m in await _messages()}


async def test_two_runs_at_once_send_each_reminder_once():
    await _preposto_due_on(date(2027, 1, 20), specific=True)  # 56 days after 25/11/2026: the "90" stage
    now = rome(date(2026, 11, 25), 9)
    results = await asyncio.gather(send_safety_reminders(now), send_safety_reminders(now),
                                   send_safety_reminders(now))
    assert sorted(results) == [0, 0, 2]
    assert len(await _messages()) == 2
    assert await SafetyReminder.count() == 1


async def test_a_refresher_taken_moves_the_due_date_and_starts_new_stages():
    person, _, _ = await _preposto_due_on(date(2027, 1, 20), specific=True)
    assert await send_safety_reminders(rome(date(2026, 11, 25), 9)) == 2
    await external(person, "lavoratori_aggiornamento", date(2026, 11, 24), 6)  # due 24/11/2031 now
    assert await send_safety_reminders(rome(date(2026, 11, 25), 10)) == 0
    assert await send_safety_reminders(rome(date(2031, 9, 1), 9)) == 2
    assert {row["due_on"] for row in await SafetyReminder.select(SafetyReminder.due_on)} == {
        date(2027, 1, 20), date(2031, 11, 24)}
