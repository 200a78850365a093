"""iCalendar building: pure functions over plain data, no database (pretix's ``presale/ical.py`` is the model).

A feed is assembled from pieces that are each serialised once and then reused as bytes:

* the calendar's header (PRODID, VERSION, CALSCALE, METHOD, NAME/X-WR-CALNAME, X-WR-TIMEZONE,
  REFRESH-INTERVAL and X-PUBLISHED-TTL; RFC 5545 and RFC 7986);
* one VTIMEZONE for Europe/Rome, written with RRULE-based STANDARD and DAYLIGHT rules (last Sunday of
  March and of October). Outlook mis-reads zones described only as a list of historical transitions,
  which is what generating the component from tzdata produces; the rules are what Google, Outlook,
  Apple Calendar and Thunderbird all understand;
* one VEVENT per session (:func:`build_vevent`). Its bytes depend only on the :class:`FeedSession`
  given, the link visibility, the base URL and the language, so a cached copy stays byte-identical
  until the session (or its course, path, place or trainer) changes. That is why DTSTAMP is the
  session's ``updated_at`` rather than the time of the request: a feed that has not changed is
  served with the same bytes and the same ETag.

Times: DTSTART/DTEND are Europe/Rome wall-clock times with ``TZID=Europe/Rome`` (a 09:00 lesson stays
at 09:00 on both sides of a DST change); DTSTAMP, CREATED and LAST-MODIFIED are UTC. Line folding and
escaping are icalendar's.

What never goes in: special-category data (accessibility needs, anything about disability) and the
name of any participant. The only names are the trainers'. A cooperative's feed may say how many of
its workers attend, except on inclusion paths, where even a count could point at a person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vDuration

from training_hub.core.i18n import N_, gettext, ngettext
from training_hub.core.icalendar import PRODID, TZID, VTIMEZONE_ROME, ical_instant
from training_hub.core.labels import PATH_KIND_LABELS
from training_hub.core.text import one_line

REFRESH_INTERVAL = timedelta(hours=1)
# Bump when the bytes of a feed change for the same data (a new property, a new wording): every
# ETag and every cache key carries it, so clients and caches notice.
FORMAT_VERSION = "1"


@dataclass(frozen=True, slots=True)
class FeedSession:
    """Everything a VEVENT shows about one session, as plain values (hashable: it is a cache key)."""

    id: int
    uid: str
    sequence: int
    cancelled: bool
    starts_at: datetime  # UTC instants
    ends_at: datetime
    created_at: datetime
    updated_at: datetime
    course_id: int
    course_title: str
    path_title: str
    path_kind: str
    topics: str = ""
    trainer_names: tuple[str, ...] = ()
    location_name: str | None = None
    location_address: str | None = None
    location_comune: str | None = None
    online_url: str | None = None
    # Only in a cooperative's feed: how many of its workers attend (None: not shown).
    cooperative_attendees: int | None = None


@dataclass(frozen=True, slots=True)
class AllDayEvent:
    """An all-day event a feature above the calendars adds to a personal feed (``core/events.py``
    ``personal_feed_events``), as plain values: a due date, say. ``stamp`` is when what the event shows
    last changed (DTSTAMP and LAST-MODIFIED): the bytes stay the same while the data does."""

    uid: str
    day: date
    summary: str
    stamp: datetime
    description: str = ""
    url: str = ""
    category: str = ""


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(microsecond=0)


def _rome(value: datetime) -> datetime:
    return ical_instant(value)  # Rome time, or UTC in the ambiguous hour of the fall-back night


def course_url(base_url: str, course_id: int) -> str:
    return f"{base_url}/courses/{course_id}"


def location_text(session: FeedSession) -> str:
    """The place as a calendar app shows it: name, address and comune, or "Online"."""
    parts: list[str] = []
    for part in (session.location_name, session.location_address, session.location_comune):
        part = (part or "").strip()
        if part and not any(part.lower() in earlier.lower() for earlier in parts):
            parts.append(part)
    if session.online_url:
        parts.append(gettext(N_("Online")))
    return ", ".join(parts)


def summary_text(session: FeedSession) -> str:
    if session.cancelled:
        return gettext(N_("Annullato: %(title)s")) % {"title": session.course_title}
    return session.course_title


def description_text(session: FeedSession, *, show_online_link: bool, base_url: str) -> str:
    lines: list[str] = []
    if session.cancelled:
        lines.append(gettext(N_("Questa lezione è stata annullata.")))
    lines.append(gettext(N_("Percorso: %(title)s")) % {"title": session.path_title})
    if session.trainer_names:
        lines.append(
            ngettext("Formatore: %(names)s", "Formatori: %(names)s", len(session.trainer_names))
            % {"names": ", ".join(session.trainer_names)}
        )
    if session.topics.strip():
        lines.append(gettext(N_("Argomenti: %(topics)s")) % {"topics": session.topics.strip()})
    if session.online_url and not session.cancelled:  # a cancelled lesson's link is nobody's business
        if show_online_link:
            lines.append(gettext(N_("Collegamento online: %(url)s")) % {"url": session.online_url})
        else:
            lines.append(gettext(N_("Lezione online: il collegamento è visibile solo agli iscritti confermati.")))
    if session.cooperative_attendees is not None:
        lines.append(
            ngettext(
                "Partecipa %(count)d persona della cooperativa.",
                "Partecipano %(count)d persone della cooperativa.",
                session.cooperative_attendees,
            )
            % {"count": session.cooperative_attendees}
        )
    lines.append(gettext(N_("Scheda del corso: %(url)s")) % {"url": course_url(base_url, session.course_id)})
    return "\n".join(lines)


def build_vevent(session: FeedSession, *, show_online_link: bool, base_url: str) -> bytes:
    """One session as a serialised VEVENT (``BEGIN:VEVENT`` … ``END:VEVENT``, CRLF line endings).

    Texts are in the current language (Italian by default); the caller keys any cache on it.
    """
    event = Event()
    event.add("uid", session.uid)
    event.add("dtstamp", _utc(session.updated_at))
    event.add("created", _utc(session.created_at))
    event.add("last-modified", _utc(session.updated_at))
    event.add("sequence", session.sequence)
    event.add("dtstart", _rome(session.starts_at))
    event.add("dtend", _rome(session.ends_at))
    event.add("summary", summary_text(session))
    location = location_text(session)
    if location:
        event.add("location", location)
    event.add("description", description_text(session, show_online_link=show_online_link, base_url=base_url))
    event.add("url", course_url(base_url, session.course_id))
    event.add("categories", [gettext(PATH_KIND_LABELS.get(session.path_kind, N_("Altro")))])
    event.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    # A cancelled lesson no longer makes the person busy.
    event.add("transp", "TRANSPARENT" if session.cancelled else "OPAQUE")
    if session.online_url and show_online_link and not session.cancelled:
        event.add("conference", session.online_url, parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    return event.to_ical()


def build_all_day_vevent(item: AllDayEvent) -> bytes:
    """An all-day event (``DTSTART;VALUE=DATE``, the next day as DTEND, RFC 5545 3.6.1) that keeps the
    person free (TRANSPARENT): a reminder, not an appointment."""
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", _utc(item.stamp))
    event.add("last-modified", _utc(item.stamp))
    event.add("dtstart", item.day)
    event.add("dtend", item.day + timedelta(days=1))
    event.add("summary", one_line(item.summary))
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    if item.category:
        event.add("categories", [item.category])
    event.add("transp", "TRANSPARENT")
    return event.to_ical()


_END = b"END:VCALENDAR\r\n"


def build_calendar(
    name: str,
    events: Iterable[bytes],
    *,
    description: str | None = None,
    refresh_interval: timedelta = REFRESH_INTERVAL,
) -> bytes:
    """A whole VCALENDAR from already serialised VEVENTs (see :func:`build_vevent`)."""
    name = one_line(name)  # a title stored with a line break must not break the file (nor forge a line)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("description", description)
        calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", TZID)
    calendar.add("refresh-interval", refresh_interval, parameters={"VALUE": "DURATION"})
    # Outlook reads the older X-PUBLISHED-TTL; an X- property has no type, so it is written out here.
    calendar.add("x-published-ttl", vDuration(refresh_interval).to_ical().decode())
    header = calendar.to_ical()
    assert header.endswith(_END)
    return b"".join((header[: -len(_END)], VTIMEZONE_ROME, *events, _END))


def slug(text: str, max_length: int = 40) -> str:
    """ASCII, lower case, dashes: for file names (``Sicurezza sul lavoro`` → ``sicurezza-sul-lavoro``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:max_length].rstrip("-")


def feed_filename(kind: str, identifier: int | None = None, title: str = "") -> str:
    """``training-hub-<kind>[-<id>][-<slug>].ics``: what a browser saves a feed or a download as."""
    parts = ["training-hub", kind]
    if identifier is not None:
        parts.append(str(identifier))
    if title and (text := slug(title)):
        parts.append(text)
    return "-".join(parts) + ".ics"
