"""Messages to a course's participants: the course's trainers or the training office write a subject and
a body, choose who gets it (confirmed, waiting list, or all), and every recipient gets their own copy
through the outbox; the course keeps the message with who sent it and to how many.

Template variables fill in what a message may say about the person and the course, and nothing else:
the person's first name and full name, the course's title, its first day and a link to it. Any other
``{…}`` is refused before sending — so no variable can ever put accessibility needs, inclusion records
or other special-category data into a message. Variables are replaced as plain text (never
``str.format``, which could reach attributes).

Sending is one transaction: the message row, one outbox row per recipient (inserted a hundred at a
time) and one audit row (course, audience, how many; never the text).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from training_hub.catalogue.access import teaches as catalogue_teaches
from training_hub.core import i18n
from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, fetch_one, write_transaction
from training_hub.core.errors import FieldMessage, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_, format_date, gettext
from training_hub.core.identity import CurrentUser
from training_hub.core.parsing import multi_line, single_line
from training_hub.core.settings import get_settings
from training_hub.enrolment.eligibility import visible_course
from training_hub.enrolment.tables import CourseMessage, MessageAudience
from training_hub.notifications.compose import SIGNATURE, first_name
from training_hub.notifications.outbox import OutgoingMessage, queue_messages
from training_hub.seats.facts import CourseFacts

SUBJECT_MAX = 200
BODY_MAX = 5000
HISTORY_LIMIT = 100

AUDIENCE_STATUSES = {
    MessageAudience.CONFIRMED.value: ("confirmed",),
    MessageAudience.WAITLISTED.value: ("waitlisted",),
    MessageAudience.ALL.value: ("confirmed", "waitlisted", "pending"),
}
AUDIENCE_LABELS = {
    MessageAudience.CONFIRMED.value: N_("Iscritti confermati"),
    MessageAudience.WAITLISTED.value: N_("Lista d'attesa"),
    MessageAudience.ALL.value: N_("Tutti (confermati, lista d'attesa, richieste in attesa)"),
}

# The only variables a message may use, and what each one becomes.
VARIABLES = ("nome", "nome_completo", "corso", "data_inizio", "link_corso")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def may_message(actor: CurrentUser, course: CourseFacts) -> bool:
    """The training office and whoever teaches the course."""
    return actor.is_admin or catalogue_teaches(actor, course)


def unknown_variables(text: str) -> list[str]:
    return [name for name in _PLACEHOLDER.findall(text) if name.strip() not in VARIABLES]


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each known ``{variable}`` replaced by its value, as plain text."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1).strip(), m.group(0)), text)


def validate_message(subject: Any, body: Any, audience: Any) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    subject_text = single_line(subject, "subject", errors, max_length=SUBJECT_MAX)
    body_text = multi_line(body, "body", errors, max_length=BODY_MAX)
    if "subject" not in errors and not subject_text:
        errors["subject"] = N_("Scrivi l'oggetto del messaggio.")
    if "body" not in errors and not body_text:
        errors["body"] = N_("Scrivi il testo del messaggio.")
    allowed = ", ".join("{%s}" % name for name in VARIABLES)
    for name, text in (("subject", subject_text), ("body", body_text)):
        unknown = unknown_variables(text)
        if unknown and name not in errors:
            errors[name] = FieldMessage(
                N_("Variabile sconosciuta «{%(name)s}»: puoi usare solo %(allowed)s."),
                name=unknown[0], allowed=allowed,
            )
    audience_text = str(audience or "").strip()
    if audience_text not in AUDIENCE_STATUSES:
        errors["to"] = N_("Scegli a chi inviare il messaggio.")
    if errors:
        raise ValidationFailed(N_("Controlla i campi evidenziati."), errors=errors)
    return subject_text, body_text, audience_text


RECIPIENTS_SQL = (
    "SELECT p.id, p.full_name, p.email FROM enrolment e JOIN person p ON p.id = e.person "
    "WHERE e.course = {} AND e.status IN ({statuses}) AND p.active = {} AND p.email <> '' ORDER BY p.id"
)


async def _recipients(course_id: int, audience: str) -> list[dict[str, Any]]:
    statuses = AUDIENCE_STATUSES[audience]
    sql = RECIPIENTS_SQL.replace("{statuses}", ", ".join("{}" for _ in statuses))
    return await fetch_all(sql, course_id, *statuses, True)


async def _ensure_may_message(actor: CurrentUser, course_id: int) -> CourseFacts:
    course = await visible_course(actor, course_id)
    if not may_message(actor, course):
        raise PermissionDenied(N_("Solo i formatori del corso e l'ufficio formazione scrivono ai partecipanti."))
    return course


async def audience_sizes(actor: CurrentUser, course_id: int) -> dict[str, int]:
    """How many people each choice of recipients reaches now (one statement)."""
    await _ensure_may_message(actor, course_id)
    row = await fetch_one(
        "SELECT "
        "SUM(CASE WHEN e.status = 'confirmed' THEN 1 ELSE 0 END) AS confirmed, "
        "SUM(CASE WHEN e.status = 'waitlisted' THEN 1 ELSE 0 END) AS waitlisted, "
        "COUNT(*) AS total FROM enrolment e JOIN person p ON p.id = e.person "
        "WHERE e.course = {} AND e.status IN ('confirmed', 'waitlisted', 'pending') AND p.active = {} "
        "AND p.email <> ''",
        course_id, True,
    )
    row = row or {}
    return {"confirmed": int(row.get("confirmed") or 0), "waitlisted": int(row.get("waitlisted") or 0),
            "all": int(row.get("total") or 0)}


def _compose(subject: str, body: str, person: dict[str, Any], course: CourseFacts) -> tuple[str, str]:
    base_url = get_settings().base_url
    values = {
        "nome": first_name(person["full_name"]),
        "nome_completo": person["full_name"],
        "corso": course.title,
        "data_inizio": format_date(course.starts_at) if course.starts_at else "",
        "link_corso": f"{base_url}/courses/{course.id}",
    }
    with i18n.language("it"):
        text = fill(body, values).rstrip() + "\n\n" + gettext(SIGNATURE) + "\n"
        footer = gettext(N_("Ricevi questo messaggio perché sei iscritto al corso «%(title)s»: %(url)s")) % {
            "title": course.title, "url": values["link_corso"]}
    return fill(subject, values), f"{text}\n{footer}\n"


async def send_course_message(
    actor: CurrentUser, course_id: int, subject: Any, body: Any, to: Any, *, now: datetime | None = None
) -> dict[str, Any]:
    """Queue the message for every recipient and keep it on the course; ``{"id", "queued"}``.

    PermissionDenied for anyone but the course's trainers and the office (NotFound for a course they
    cannot see); ValidationFailed (next to the field) for an empty or too long text, a control
    character in the subject, an unknown variable, an unknown audience."""
    course = await _ensure_may_message(actor, course_id)
    subject_text, body_text, audience = validate_message(subject, body, to)
    async with write_transaction():
        recipients = await _recipients(course_id, audience)
        row = CourseMessage(course=course_id, sent_by=actor.id, audience=audience, subject=subject_text,
                            body=body_text, recipients=len(recipients))
        if now is not None:
            row.created_at = now
        await row.save()
        outgoing = []
        for person in recipients:
            filled_subject, filled_body = _compose(subject_text, body_text, person, course)
            outgoing.append(OutgoingMessage("course_message", person["id"], person["email"], filled_subject,
                                            filled_body, dedupe_key=f"course_message:{row.id}:{person['id']}"))
        queued = await queue_messages(outgoing)
        await record_audit_event("course.message_sent", actor_id=actor.id, entity="course", entity_id=course_id,
                                 data={"message_id": row.id, "to": audience, "recipients": queued})
    return {"id": row.id, "queued": queued}


async def course_messages(actor: CurrentUser, course_id: int) -> list[dict[str, Any]]:
    """The messages sent to the course's participants, newest first, with who sent them (one statement)."""
    await _ensure_may_message(actor, course_id)
    rows = await fetch_all(
        "SELECT m.id, m.audience, m.subject, m.body, m.recipients, m.created_at, p.full_name AS sent_by_name "
        "FROM course_message m LEFT JOIN person p ON p.id = m.sent_by WHERE m.course = {} "
        "ORDER BY m.created_at DESC, m.id DESC LIMIT {}",
        course_id, HISTORY_LIMIT,
    )
    return [{**row, "audience_label": gettext(AUDIENCE_LABELS.get(row["audience"], row["audience"]))}
            for row in rows]


async def messages_sent(course_id: int) -> int:
    """How many messages the course's participants have been sent (for the course page's link)."""
    row = await fetch_one("SELECT COUNT(*) AS n FROM course_message WHERE course = {}", course_id)
    return int(row["n"]) if row else 0
