"""Issue 12 item 16: the office sees pending and failed notices and resends a failed one."""

import smtplib

from tests.factories import make_person
from tests.support import login, post_form
from training_hub.core.tables import AuditEvent, Outbox
from training_hub.notifications import sender
from training_hub.notifications.outbox import queue_message


class Refusing:
    async def send(self, message) -> None:
        raise smtplib.SMTPRecipientsRefused({"x": (550, b"5.1.1 User unknown")})


async def test_the_office_lists_failed_notices_and_resends_one(client, admin):
    person = await make_person(full_name="Giulia Ferri", email="giulia@example.test")
    for subject in ("Iscrizione confermata: Inclusione lavorativa", "Altro"):
        await queue_message("enrolment_confirmed", recipient_id=person.id, to_email=person.email, subject=subject,
                            body="Ciao")
    first = (await Outbox.select(Outbox.id).order_by(Outbox.id).first())["id"]
    await sender.process_outbox(limit=1, transport=Refusing())
    await login(client, admin.email)
    response = await client.get("/admin/notifications")
    assert response.status_code == 200
    html = response.text
    assert "1 notifica da inviare." in html and "1 notifica non consegnata." in html
    assert "Giulia Ferri" in html and "SMTPRecipientsRefused" in html
    assert "Inclusione lavorativa" not in html  # subjects are not listed
    assert f'action="/admin/notifications/{first}/resend"' in html
    resent = await post_form(client, f"/admin/notifications/{first}/resend")
    assert resent.status_code == 303
    row = await Outbox.select().where(Outbox.id == first).first()
    assert row["status"] == "pending" and row["retry_until"] is not None and row["last_error"] == ""
    assert await AuditEvent.exists().where(AuditEvent.action == "notifications.resend")
    again = await post_form(client, f"/admin/notifications/{first}/resend")  # no longer failed
    assert again.status_code == 404
    assert "Notifiche e-mail" in (await client.get("/admin")).text


async def test_only_the_office_sees_the_outbox(client, coordinator):
    await login(client, coordinator.email)
    assert (await client.get("/admin/notifications")).status_code == 403
    assert (await post_form(client, "/admin/notifications/1/resend")).status_code == 403
