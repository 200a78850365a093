"""Notices to everyone enrolled in a course: a session moved, a session cancelled, the course cancelled.

The catalogue decides the change (under the course's lock) and calls these with plain data — the
course's id and title, the session rows before and after (start, end and place, as
``catalogue`` reads them: ``location_name``, ``location_address``, ``location_comune``,
``location_online``) — so this feature, below the catalogue, never imports it. Texts are written in
Italian, the consortium's language, whatever the language of who made the change. Everyone with a
live enrolment is told once (a ``dedupe_key`` per change and person); confirmed participants also get
the calendar event updated or cancelled (METHOD:REQUEST with a higher SEQUENCE, or METHOD:CANCEL), so
an event they accepted follows the change. Messages are queued in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from training_hub.core import i18n
from training_hub.core.db import fetch_all
from training_hub.core.settings import get_settings
from training_hub.core.tables import EnrolmentStatus
from training_hub.core.wording import elide
from training_hub.notifications.compose import SIGNATURE, course_sessions, first_name, invitation
from training_hub.notifications.outbox import OutgoingMessage, queue_messages
from training_hub.notifications.sessions import load_invitation_session, session_invitation

_RECIPIENTS_SQL = (
    "SELECT e.person AS person, e.status AS status, p.email AS email, p.full_name AS full_name "
    "FROM enrolment e JOIN person p ON p.id = e.person "
    "WHERE e.course = {} AND e.status IN ('pending', 'confirmed', 'waitlisted') AND p.active = {} ORDER BY e.id"
)


def course_link_text(course_id: int) -> str:
    return i18n.gettext("Dettagli del corso: %(url)s") % {"url": f"{get_settings().base_url}/courses/{course_id}"}


def when_text(row: Mapping[str, Any]) -> str:
    return i18n.gettext("%(day)s dalle %(start)s alle %(end)s") % {
        "day": i18n.format_date(row["starts_at"]), "start": i18n.format_time(row["starts_at"]),
        "end": i18n.format_time(row["ends_at"])}


def place_text(row: Mapping[str, Any]) -> str:
    if row.get("location_name") and not row.get("location_online"):
        place = row["location_name"]
        if row.get("location_address"):
            place += ", " + row["location_address"]
        if row.get("location_comune"):
            place += ", " + row["location_comune"]
        return place
    return i18n.gettext("online")


def greeted(body: str, full_name: str) -> str:
    """A notice's body as every message reads: "Ciao <name>," first, the office's signature last, and
    Italian articles elided before the dates ("previsto per l'11/12/2026")."""
    with i18n.language("it"):
        greeting = i18n.gettext("Ciao %(name)s,") % {"name": first_name(full_name)}
        return f"{greeting}\n\n{elide(body.rstrip())}\n\n{i18n.gettext(SIGNATURE)}\n"


async def notify_enrolled(
    course_id: int, kind: str, subject: str, body: str, dedupe: str, *,
    invitation_for: Callable[[Mapping[str, Any]], str] | None = None,
) -> int:
    """Queue a notice for everyone with a live enrolment: the recipients in one query, the messages in
    one insert per hundred, whatever the number of people (this runs under the course's lock).
    Confirmed participants also get ``invitation_for(person)`` attached. How many were queued."""
    rows = await fetch_all(_RECIPIENTS_SQL, course_id, True)
    return await queue_messages([
        OutgoingMessage(kind, recipient_id=row["person"], to_email=row["email"], subject=subject,
                        body=greeted(body, row["full_name"]),
                        ics=invitation_for(row) if invitation_for and row["status"] == EnrolmentStatus.CONFIRMED else "",
                        dedupe_key=f"{dedupe}:{row['person']}")
        for row in rows if row["email"]
    ])


async def notify_session_moved(course: Mapping[str, Any], before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """``course``: ``id`` and ``title``; ``before`` and ``after``: the session's rows (``after`` with its
    new ``sequence``)."""
    with i18n.language("it"):
        subject = i18n.gettext("Incontro spostato: %(course)s") % {"course": course["title"]}
        body = i18n.gettext(
            "L'incontro del corso «%(course)s» previsto per il %(before)s (%(before_place)s) è stato spostato.\n"
            "Nuova data: %(after)s\nLuogo: %(after_place)s"
        ) % {"course": course["title"], "before": when_text(before), "before_place": place_text(before),
             "after": when_text(after), "after_place": place_text(after)}
        body += "\n\n" + i18n.gettext("Se hai collegato il calendario, l'incontro si aggiorna da solo.")
        body += "\n" + course_link_text(course["id"])
    session = await load_invitation_session(after["id"])
    await notify_enrolled(course["id"], "session_moved", subject, body,
                          dedupe=f"session_moved:{after['id']}:{after['sequence']}",
                          invitation_for=lambda person: session_invitation(session, person=person))


async def notify_session_cancelled(course: Mapping[str, Any], row: Mapping[str, Any], reason: str) -> None:
    with i18n.language("it"):
        subject = i18n.gettext("Incontro annullato: %(course)s") % {"course": course["title"]}
        body = i18n.gettext("L'incontro del corso «%(course)s» del %(when)s (%(place)s) è stato annullato.") % {
            "course": course["title"], "when": when_text(row), "place": place_text(row)}
        if reason:
            body += "\n" + i18n.gettext("Motivo: %(reason)s") % {"reason": reason}
        body += "\n\n" + course_link_text(course["id"])
    session = await load_invitation_session(row["id"])
    await notify_enrolled(course["id"], "session_cancelled", subject, body, dedupe=f"session_cancelled:{row['id']}",
                          invitation_for=lambda person: session_invitation(session, person=person, cancelled=True))


async def notify_course_cancelled(course_id: int, title: str, reason: str, cancelled_session_ids: Collection[int]) -> int:
    """Everyone with a live enrolment, once; confirmed participants also get the cancellation of the
    sessions just cancelled for their calendar (METHOD:CANCEL). How many were told."""
    with i18n.language("it"):
        subject = i18n.gettext("Corso annullato: %(course)s") % {"course": title}
        body = i18n.gettext("Il corso «%(course)s» è stato annullato.") % {"course": title}
        if reason:
            body += "\n" + i18n.gettext("Motivo: %(reason)s") % {"reason": reason}
        body += "\n\n" + course_link_text(course_id)
    sessions = [s for s in await course_sessions(course_id) if s["id"] in cancelled_session_ids]

    def calendar_cancel(person: Mapping[str, Any]) -> str:
        return invitation(title, sessions, method="CANCEL", to_email=person["email"],
                          full_name=person["full_name"]) if sessions else ""

    return await notify_enrolled(course_id, "course_cancelled", subject, body, dedupe=f"course_cancelled:{course_id}",
                                 invitation_for=calendar_cancel)
