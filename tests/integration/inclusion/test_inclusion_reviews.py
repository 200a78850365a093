"""Overdue reviews remind the tutors once per due date, and the e-mail says nothing about the person."""

from __future__ import annotations

from datetime import timedelta

from tests.integration.inclusion.inclusion_setup import (
    REFERRING_SERVICE,
    SECRETS,
    make_cast,
    make_pathway,
    today,
)
from tests.support import as_user, bearer, rome
from training_hub.core.tables import Outbox
from training_hub.inclusion.outcomes import OutcomeInput, record_outcome
from training_hub.inclusion.reviews import ReviewInput, add_review, remind_overdue_reviews


async def test_an_overdue_review_reminds_each_tutor_once(client):
    cast = await make_cast()
    pathway_id = await make_pathway(cast, next_review_on=(today() - timedelta(days=1)).isoformat())
    now = rome(today(), 9)
    assert await remind_overdue_reviews(now) == 2
    assert await remind_overdue_reviews(now) == 0
    assert await remind_overdue_reviews(now + timedelta(days=3)) == 0
    messages = await Outbox.select().order_by(Outbox.recipient)
    assert sorted(m["recipient"] for m in messages) == sorted([cast.promoter.id, cast.host_tutor.id])
    for message in messages:
        assert message["kind"] == "inclusion_review_due"
        assert f"http://testserver.local/inclusion-pathways/{pathway_id}" in message["body"]
        assert (today() - timedelta(days=1)).strftime("%d/%m/%Y") in message["body"]
        for text in (*SECRETS, cast.person.full_name, "inclusione", "Tirocinio", "tirocinio", cast.host.name):
            assert text not in message["body"] and text not in message["subject"], text
    # The page shows the review as overdue to the tutor.
    page = await client.get(f"/inclusion-pathways/{pathway_id}", headers=await bearer(cast.promoter))
    assert "non è ancora registrata" in page.text


async def test_a_review_due_today_is_not_overdue_yet():
    cast = await make_cast()
    await make_pathway(cast, next_review_on=today().isoformat())
    assert await remind_overdue_reviews(rome(today(), 18)) == 0
    assert await Outbox.count() == 0


async def test_a_new_due_date_gets_its_own_reminder_and_a_concluded_pathway_none():
    cast = await make_cast()
    pathway_id = await make_pathway(cast, next_review_on=(today() - timedelta(days=1)).isoformat())
    assert await remind_overdue_reviews(rome(today(), 9)) == 2
    await add_review(as_user(cast.host_tutor), pathway_id, ReviewInput(
        held_on=today(), participants="Paolo Sala", next_review_on=today() + timedelta(days=1)))
    assert await remind_overdue_reviews(rome(today() + timedelta(days=1), 9)) == 0
    assert await remind_overdue_reviews(rome(today() + timedelta(days=2), 9)) == 2
    assert await remind_overdue_reviews(rome(today() + timedelta(days=2), 10)) == 0
    await add_review(as_user(cast.admin), pathway_id, ReviewInput(
        held_on=today(), participants="Ufficio", next_review_on=today() + timedelta(days=3)))
    await record_outcome(as_user(cast.admin), pathway_id, OutcomeInput("assunzione", today()))
    assert await remind_overdue_reviews(rome(today() + timedelta(days=10), 9)) == 0
    assert await Outbox.count() == 4
    assert REFERRING_SERVICE not in str(await Outbox.select(Outbox.body))


async def test_an_inactive_tutor_gets_no_reminder_and_the_other_one_still_does():
    cast = await make_cast()
    await make_pathway(cast, next_review_on=(today() - timedelta(days=2)).isoformat())
    from training_hub.core.tables import Person

    await Person.update({Person.active: False}).where(Person.id == cast.host_tutor.id)
    assert await remind_overdue_reviews(rome(today(), 9)) == 1
    assert [row["recipient"] for row in await Outbox.select(Outbox.recipient)] == [cast.promoter.id]
