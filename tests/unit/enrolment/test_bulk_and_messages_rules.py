"""Rules of bulk enrolment, course messages and deactivation, on the services."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_path,
    make_person,
    make_session,
)
from tests.support import as_user
from training_hub.core.db import fetch_all
from training_hub.core.errors import ValidationFailed
from training_hub.core.tables import CourseEligibleArea, CourseEligibleCooperative
from training_hub.core.timeutil import utcnow
from training_hub.enrolment.bulk import PEOPLE_SQL, allocate, clean_person_ids, eligibility_refusals
from training_hub.enrolment.deactivation import deactivation_preview
from training_hub.enrolment.eligibility import eligibility_refusal
from training_hub.enrolment.messages import fill, unknown_variables, validate_message
from training_hub.seats.facts import load_course_facts


def test_allocate_fills_free_seats_in_order_then_the_waiting_list():
    assert allocate([7, 8, 9, 10], free=2, waitlisted=3, needs_approval=False) == {
        7: ("confirmed", None), 8: ("confirmed", None), 9: ("waitlisted", 4), 10: ("waitlisted", 5)}
    assert allocate([1, 2], free=0, waitlisted=0, needs_approval=False) == {
        1: ("waitlisted", 1), 2: ("waitlisted", 2)}
    assert allocate([1, 2], free=5, waitlisted=0, needs_approval=True) == {1: ("pending", None), 2: ("pending", None)}
    assert allocate([], free=5, waitlisted=0, needs_approval=False) == {}


def test_person_ids_are_cleaned_in_order_once_each():
    assert clean_person_ids(["3", 1, 3, " 2 "]) == [3, 1, 2]
    for bad in ([], ["x"], [0], [-4], list(range(1, 202)), [2**31]):
        with pytest.raises(ValidationFailed):
            clean_person_ids(bad)


@pytest.mark.parametrize("sequential", [False, True])
async def test_batch_eligibility_gives_the_single_enrolments_reasons(sequential):
    owner, other = await make_cooperative(), await make_cooperative()
    path = await make_path(sequential=sequential)
    course = await make_course(path=path, position=2)
    await CourseEligibleCooperative.insert(CourseEligibleCooperative(course=course.id, cooperative=owner.id))
    await CourseEligibleArea.insert(CourseEligibleArea(course=course.id, area="anziani"))
    people = [
        await make_person(cooperative=owner, area="anziani"),  # eligible (unless the path is in order)
        await make_person(cooperative=owner, area="anziani", active=False),
        await make_person(cooperative=other, area="anziani"),
        await make_person(cooperative=owner, area="minori"),
        await make_person(cooperative=owner, area="anziani"),
    ]
    await make_enrolment(people[4], course)
    if sequential:
        await make_course(path=path, position=1, title="Il primo corso")
    facts = await load_course_facts(course.id)
    ids = [p.id for p in people]
    rows = await fetch_all(PEOPLE_SQL.replace("{ids}", ", ".join("{}" for _ in ids)), *ids)
    batch = await eligibility_refusals(facts, rows)
    single = {}
    for row in rows:
        refusal = await eligibility_refusal(facts, row)
        if refusal is not None:
            single[row["id"]] = refusal.detail
    assert batch == single
    assert len(batch) == (5 if sequential else 4)


def test_message_variables_are_only_the_known_ones_and_filled_as_text():
    assert unknown_variables("Ciao {nome}, corso {corso} {link_corso}") == []
    assert unknown_variables("{necessita} {nome.__class__} { nome }") == ["necessita", "nome.__class__"]
    assert fill("Ciao {nome}, {corso}{ignoto}", {"nome": "Anna {corso}", "corso": "X"}) == "Ciao Anna {corso}, X{ignoto}"
    with pytest.raises(ValidationFailed) as refused:
        validate_message("Oggetto {disabilita}", "Testo", "confirmed")
    assert set(refused.value.errors) == {"subject"}
    with pytest.raises(ValidationFailed) as refused:
        validate_message("Riga\tcon tab", "x" * 5001, "tutti")
    assert set(refused.value.errors) == {"subject", "body", "to"}
    assert validate_message(" Avviso ", "Riga 1\r\nRiga 2", "all") == ("Avviso", "Riga 1\nRiga 2", "all")


async def test_deactivation_preview_says_what_stays_and_why():
    cooperative = await make_cooperative()
    coordinator = await make_person("coordinator", cooperative=cooperative)
    leaving = await make_person(cooperative=cooperative)
    late = await make_course(title="Oltre il termine", cancellation_deadline=utcnow() - timedelta(days=1))
    await make_session(late, utcnow() + timedelta(days=3))
    await make_enrolment(leaving, late)
    early = await make_course(title="In tempo")
    await make_session(early, utcnow() + timedelta(days=30))
    await make_enrolment(leaving, early, status="waitlisted")
    preview = await deactivation_preview(as_user(coordinator), leaving.id)
    assert [e["course_title"] for e in preview["to_cancel"]] == ["In tempo"]
    assert preview["to_cancel"][0]["waitlist_position"] == 1
    assert [e["course_title"] for e in preview["kept"]] == ["Oltre il termine"]
    assert "ufficio formazione" in preview["kept"][0]["why"]
    office = await deactivation_preview(as_user(await make_person("admin")), leaving.id)
    assert len(office["to_cancel"]) == 2 and office["kept"] == []
