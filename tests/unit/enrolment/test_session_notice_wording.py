"""Issue 13.6: the "session moved" e-mail greets and signs off like the others, in elided Italian."""

from datetime import date, timedelta

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_person,
    make_session,
)
from tests.support import rome
from training_hub.catalogue.sessions import SessionInput, cancel_session, update_session
from training_hub.core.tables import Outbox
from training_hub.web.auth import user_for_person_id


async def test_a_moved_session_greets_by_name_signs_off_and_elides(trainer):
    cooperative = await make_cooperative()
    course = await make_course(title="Bilancio sociale", trainers=[trainer])
    session = await make_session(course, starts_at=rome(date(2026, 12, 11), 9, 15), minutes=120)
    await make_session(course, starts_at=rome(date(2026, 12, 18), 9, 15), minutes=120)
    giulia = await make_person(cooperative=cooperative, full_name="Giulia Riva")
    marco = await make_person(cooperative=cooperative, full_name="Marco Sala")
    await make_enrolment(giulia, course)
    await make_enrolment(marco, course, status="waitlisted")
    user = await user_for_person_id(trainer.id)
    moved_to = rome(date(2026, 12, 8), 14)
    await update_session(user, session.id, SessionInput(
        starts_at=moved_to, ends_at=moved_to + timedelta(hours=2), location_id=(await make_location()).id,
        topics=""), confirm_warnings=True)

    rows = {row["recipient"]: row for row in await Outbox.select().where(Outbox.kind == "session_moved")}
    body = rows[giulia.id]["body"]
    assert body.startswith("Ciao Giulia,\n\n")
    assert rows[marco.id]["body"].startswith("Ciao Marco,\n\n")
    assert body.rstrip().endswith("Ufficio formazione – Consorzio Sociale Light")
    assert "previsto per l'11/12/2026 dalle 09:15 alle 11:15" in body
    assert "il 11/12" not in body
    assert "Nuova data: 8/12/2026" not in body  # a bare date stays as the office writes it
    assert "Nuova data: 08/12/2026 dalle 14:00 alle 16:00" in body


async def test_a_cancelled_session_greets_and_signs_off_too(trainer):
    cooperative = await make_cooperative()
    course = await make_course(title="Bilancio sociale", trainers=[trainer])
    session = await make_session(course, starts_at=rome(date(2026, 12, 1), 9), minutes=120)
    await make_session(course, starts_at=rome(date(2026, 12, 18), 9), minutes=120)
    await make_enrolment(await make_person(cooperative=cooperative, full_name="Giulia Riva"), course)
    await cancel_session(await user_for_person_id(trainer.id), session.id, reason="Formatore malato")

    (row,) = await Outbox.select().where(Outbox.kind == "session_cancelled")
    assert row["body"].startswith("Ciao Giulia,\n\n")
    assert "dell'1/12/2026 dalle 09:00" in row["body"]
    assert row["body"].rstrip().endswith("Ufficio formazione – Consorzio Sociale Light")
