"""Where the features' reactions to the hooks of ``core/events.py`` are connected, once, at start-up.

This module sits at the top of the layers (beside ``cli`` and ``web``), so it may import any feature:
it is the one place that knows both who announces an event and who reacts to it.
"""

from __future__ import annotations

from training_hub.core import events


def connect_hooks() -> None:
    """Connect every receiver; calling it again changes nothing."""
    from training_hub.enrolment.deactivation import release_enrolments_of_deactivated

    events.person_deactivated.connect(release_enrolments_of_deactivated)
    events.account_mail.connect(queue_account_mail)
    events.account_mail_batch.connect(queue_account_mail_batch)

    from training_hub.funding.registers import funded_register_for
    from training_hub.funding.schedule import log_schedule_change

    events.session_rescheduled.connect(log_schedule_change)
    events.course_register_pdf.connect(funded_register_for)

    from training_hub.safety.retention import dossier_holds

    events.retention_holds.connect(dossier_holds)

    from training_hub.attendance.rescheduling import reclip_attendance, rescheduling_warnings

    events.session_times_checking.connect(rescheduling_warnings)
    events.session_times_changed.connect(reclip_attendance)

    from training_hub.safety.due_events import due_date_events, due_date_version_sql

    events.personal_feed_version_sql.connect(due_date_version_sql)
    events.personal_feed_events.connect(due_date_events)


async def queue_account_mail(
    *, kind: str, person_id: int, to_email: str, subject: str, body: str, dedupe_key: str | None = None
) -> bool:
    """The accounts' e-mails (reset and invitation links, login warnings) go through the outbox."""
    from training_hub.notifications.outbox import queue_message

    return await queue_message(kind, recipient_id=person_id, to_email=to_email, subject=subject, body=body,
                               dedupe_key=dedupe_key)


async def queue_account_mail_batch(*, messages: list[dict]) -> int:
    from training_hub.notifications.outbox import OutgoingMessage, queue_messages

    return await queue_messages([
        OutgoingMessage(m["kind"], m["person_id"], m["to_email"], m["subject"], m["body"],
                        dedupe_key=m.get("dedupe_key"))
        for m in messages
    ])
