"""Issue 13.16: on a phone the participants tables stack (one block per person), so the accessibility
needs are not left in a column scrolled out of sight; each needs cell names its column."""

import re

from tests.factories import make_cooperative, make_course, make_enrolment, make_person, make_session
from tests.support import login
from training_hub.core.tables import AccessibilityNeeds


async def test_participants_tables_stack_with_the_needs_labelled(client):
    cooperative = await make_cooperative()
    trainer = await make_person(roles="trainer", email="trainer@example.test")
    course = await make_course(capacity=1, trainers=[trainer])
    await make_session(course)
    anna = await make_person(cooperative=cooperative, full_name="Anna Riva")
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=anna.id, step_free_access=True, notes="Deambulatore"))
    await make_enrolment(anna, course)
    await make_enrolment(await make_person(cooperative=cooperative), course, status="waitlisted")

    await login(client, "trainer@example.test")
    html = (await client.get(f"/courses/{course.id}/participants")).text
    assert '<table class="stack" aria-labelledby="confirmed-title">' in html
    assert '<table class="stack" aria-labelledby="waitlist-title">' in html
    cells = re.findall(r'<td data-label="Necessità di accessibilità">(.*?)</td>', html, re.S)
    assert len(cells) == 2 and "Deambulatore" in cells[0]
