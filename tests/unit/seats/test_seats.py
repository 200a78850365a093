"""The seats feature's helpers, called directly: one way to count seats, for one course or many."""

from tests.factories import make_course, make_enrolment, make_person
from training_hub.seats.state import enrolment_counts


async def test_counts_for_many_courses_at_once():
    trainer = await make_person("trainer", full_name="Zeno Rossi")
    first = await make_course(trainers=[trainer])
    second = await make_course(trainers=[trainer])
    await make_enrolment(await make_person(), first)
    await make_enrolment(await make_person(), first, status="waitlisted")
    counts = await enrolment_counts([first.id, second.id])
    assert counts[first.id] == {"confirmed": 1, "waitlisted": 1} and second.id not in counts
