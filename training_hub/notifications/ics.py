"""The iCalendar attachment of a notification (an invitation, RFC 5545 / iTIP RFC 5546).

A confirmed seat carries ``METHOD:REQUEST`` with one VEVENT per scheduled session; a moved session a
new REQUEST with the raised SEQUENCE (clients replace the event with the same UID); a cancelled
session or seat ``METHOD:CANCEL``. Times are written with ``TZID=Europe/Rome`` and the VTIMEZONE that
defines it, which is what Outlook and Google need to show the right hour across DST changes. The
VTIMEZONE is the calendar feeds' own (yearly rules, which Outlook reads; not the list of transitions
that generating it from tzdata gives), and the UID and SEQUENCE are the session's, as in the feeds, so
an invitation and a subscribed feed describe the same event.

Pure functions over plain data; the subscription feeds are the calendars feature's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from training_hub.core.icalendar import PRODID, VTIMEZONE_ROME, ical_instant
from training_hub.core.timeutil import utcnow


@dataclass(frozen=True)
class IcsEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    sequence: int = 0
    url: str | None = None


def mail_address(value: str) -> tuple[str, str]:
    """``"Name <a@b.it>"`` → ("Name", "a@b.it")."""
    name, address = parseaddr(value)
    return name, address


def _timezone() -> Timezone:
    return Timezone.from_ical(VTIMEZONE_ROME)


def build_invitation(
    events: list[IcsEvent],
    *,
    method: str,
    organizer: str,
    attendee_email: str | None = None,
    attendee_name: str | None = None,
    now: datetime | None = None,
) -> str:
    """A VCALENDAR with ``method`` (REQUEST or CANCEL) and one VEVENT per event; "" when there is none."""
    if not events:
        return ""
    method = method.upper()
    stamp = now or utcnow()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(_timezone())
    organizer_name, organizer_address = mail_address(organizer)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", ical_instant(item.starts_at))  # UTC in the fall-back night's repeated hour
        event.add("dtend", ical_instant(item.ends_at))
        event.add("sequence", item.sequence)
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
        event.add("transp", "OPAQUE")
        org = vCalAddress(f"mailto:{organizer_address}")
        if organizer_name:
            org.params["cn"] = vText(organizer_name)
        event["organizer"] = org
        if attendee_email:
            attendee = vCalAddress(f"mailto:{attendee_email}")
            if attendee_name:
                attendee.params["cn"] = vText(attendee_name)
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            attendee.params["partstat"] = vText("ACCEPTED")
            attendee.params["rsvp"] = vText("FALSE")
            event.add("attendee", attendee, encode=False)
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
