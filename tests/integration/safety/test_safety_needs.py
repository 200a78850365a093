"""The refreshers falling due, grouped by cooperative and course type, for the training year (issue 19);
and the courses held here counting through their attestato."""

from datetime import date

from tests.factories import make_cooperative, make_person
from tests.integration.safety.tracker_setup import external, give_role, held_here, set_risk
from training_hub.core.timeutil import utcnow
from training_hub.safety.inputs import cooperative_scope, load_inputs
from training_hub.safety.needs import refreshers_due

TODAY = date(2026, 11, 25)


async def test_refreshers_due_grouped_by_cooperative_and_course_type(count_queries):
    north, south = await make_cooperative(name="Cooperativa Nord"), await make_cooperative(name="Cooperativa Sud")
    await set_risk(north, "medio", headcount=30)
    await set_risk(south, "basso", headcount=60)
    due_soon = await make_person(cooperative=north)  # specific course 10/02/2022 → due 10/02/2027
    overdue = await make_person(cooperative=north)  # 01/03/2021 → due 01/03/2026
    later = await make_person(cooperative=north)  # 10/06/2025 → due 10/06/2030: not within 12 months
    preposto = await make_person(cooperative=north)
    rls = await make_person(cooperative=south)
    for person, specific_on in ((due_soon, date(2022, 2, 10)), (overdue, date(2021, 3, 1)), (later, date(2025, 6, 10)),
                                (preposto, date(2024, 1, 10))):
        await give_role(person, "worker")
        await external(person, "lavoratori_generale", date(2019, 1, 1), 4)
        await external(person, "lavoratori_specifica_medio", specific_on, 8)
    await give_role(preposto, "preposto")
    await external(preposto, "preposto", date(2025, 6, 10), 12)  # due 10/06/2027
    await give_role(rls, "rls")
    await external(rls, "rls", date(2026, 3, 2), 32)  # due 02/03/2027, 8 hours above 50 workers

    with count_queries() as counter:
        needs = await refreshers_due(None, TODAY)
    assert counter.count == 4  # who holds a role; then roles, attestati, courses held here (one chunk)
    assert [(n.cooperative_id, n.course_type, n.people, n.person_ids, n.overdue, n.earliest_due_on, n.hours)
            for n in needs] == [
        (north.id, "lavoratori_aggiornamento", 2, (due_soon.id, overdue.id), 1, date(2026, 3, 1), 6),
        (north.id, "preposto_aggiornamento", 1, (preposto.id,), 0, date(2027, 6, 10), 6),
        (south.id, "rls_aggiornamento", 1, (rls.id,), 0, date(2027, 3, 2), 8),
    ]
    with count_queries() as counter:
        only_south = await refreshers_due(south.id, TODAY)
    assert counter.count == 3
    assert [(n.cooperative_id, n.course_type) for n in only_south] == [(south.id, "rls_aggiornamento")]
    in_three_months = await refreshers_due(north.id, TODAY, months=3)
    assert [(n.course_type, n.person_ids) for n in in_three_months] == [
        ("lavoratori_aggiornamento", (due_soon.id, overdue.id))]


async def test_a_course_held_here_counts_only_with_attendance_and_a_passed_test():
    cooperative = await make_cooperative()
    await set_risk(cooperative, "medio")
    passed, short, failed, waiting = [await make_person(cooperative=cooperative) for _ in range(4)]
    for person in (passed, short, failed, waiting):
        await give_role(person, "antincendio", "2")
    await held_here([(passed, 480, True), (short, 420, True), (failed, 480, False)], "antincendio_2",
                    date(2026, 11, 10), hours=8)
    people = {p.person_id: p for p in await load_inputs(cooperative_scope(cooperative.id), today=TODAY,
                                                        now=utcnow())}
    # 90% of 8 hours is 432 minutes: 420 is not enough; a failed test gives no attestato either.
    assert [(t.course_type, t.completed_on, t.hours) for t in people[passed.id].trainings] == [
        ("antincendio_2", date(2026, 11, 10), 8)]
    assert people[short.id].trainings == people[failed.id].trainings == people[waiting.id].trainings == []


async def test_everyone_read_in_chunks_is_everyone_read_at_once():
    from training_hub.safety.inputs import EVERYONE, iter_inputs

    cooperatives = [await make_cooperative() for _ in range(3)]
    for n in range(7):
        person = await make_person(cooperative=cooperatives[n % 3])
        await give_role(person, "worker")
        await external(person, "lavoratori_generale", date(2020, 1, 1 + n), 4)
    await make_person(cooperative=cooperatives[0])  # no role: not read
    at_once = await load_inputs(EVERYONE, today=TODAY, now=utcnow())
    chunks = [chunk async for chunk in iter_inputs(EVERYONE, today=TODAY, now=utcnow(), chunk=3)]
    assert [len(chunk) for chunk in chunks] == [3, 3, 1]
    assert [person for chunk in chunks for person in chunk] == at_once
