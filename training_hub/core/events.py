"""Hooks: how something below reacts to something above without importing it.

A feature low in the layers (the directory, say) announces what happened — "this person was
deactivated" — and features above it (enrolment gives back the person's seats) react. The lower one
never imports the higher, so the layers of DESIGN.md hold; the connection is made once, at start-up,
by :func:`training_hub.hooks.connect_hooks` (pretix's signals and indico's blinker work the same way).

Receivers are coroutines called in the order they were connected, inside the sender's transaction
when it has one; an exception stops the sender, as a direct call would.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

Receiver = Callable[..., Awaitable[Any]]


class Hook:
    """A named event with keyword arguments, and the coroutines that react to it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._receivers: list[Receiver] = []

    def connect(self, receiver: Receiver) -> Receiver:
        """Add ``receiver`` (once: connecting it again changes nothing). Usable as a decorator."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def disconnect(self, receiver: Receiver) -> None:
        if receiver in self._receivers:
            self._receivers.remove(receiver)

    @property
    def receivers(self) -> tuple[Receiver, ...]:
        return tuple(self._receivers)

    async def send(self, **kwargs: Any) -> list[Any]:
        """Call every receiver with ``kwargs``; their results, in order."""
        return [await receiver(**kwargs) for receiver in self._receivers]

    def __repr__(self) -> str:
        return f"Hook({self.name!r}, receivers={len(self._receivers)})"


# A person was deactivated (they left their cooperative): actor=CurrentUser, person_id=int.
person_deactivated = Hook("person_deactivated")

# An e-mail of the accounts to one person (a password-reset or invitation link, a login-throttle
# warning), queued in the notifications outbox inside the sender's transaction: kind=str, person_id=int,
# to_email=str, subject=str, body=str, dedupe_key=str | None.
account_mail = Hook("account_mail")
# The same for many people at once (an import's invitations): messages=list of dicts with the keyword
# arguments of account_mail, queued a hundred per statement.
account_mail_batch = Hook("account_mail_batch")

# A session's time or place changed (catalogue.sessions.update_session), inside its transaction:
# actor_id=int, session_id=int, course_id=int, changed_at=datetime, old=dict, new=dict — each dict with
# starts_at, ends_at, location_id, online_url. The funding feature logs it (Fon.Coop form C3).
session_rescheduled = Hook("session_rescheduled")

# A course's register PDF is asked for (attendance): actor=CurrentUser, course_id=int. A receiver may
# answer the bytes of a register in a funder's layout (funding: courses that are a plan's action), or None.
course_register_pdf = Hook("course_register_pdf")

# Before anything erases or anonymises a person's records (GDPR erasure) or removes a course's
# (housekeeping), it asks who must keep them: person_id=int | None, course_id=int | None, now=datetime.
# Each receiver returns a list of holds (objects with ``course_id`` and ``until``); what is held stays
# until that date (safety/retention.py: the course dossier, 10 years, Accordo Stato-Regioni 2025 p. 7).
retention_holds = Hook("retention_holds")

# A session's times are about to change (the check before saving, or the save itself): session_id=int,
# starts_at=datetime, ends_at=datetime (the new times). Receivers return a list of core.errors.Issue
# (warnings to confirm), e.g. attendance already recorded on the old times.
session_times_checking = Hook("session_times_checking")

# A session's times changed (inside the saving transaction): session_id=int, starts_at=datetime,
# ends_at=datetime (the new times), actor_id=int. Attendance re-clips its recorded minutes.
session_times_changed = Hook("session_times_changed")

# The personal calendar feed (calendars) also shows all-day events owned by features above it (safety:
# the due dates of a person's refreshers). Two hooks, so that a feed's poll stays one statement:
# personal_feed_version_sql, no arguments: each receiver returns a list of FROM items (a parenthesised
# SELECT and its alias) in which "{person}" stands for the person's id; the feed's version joins them, so
# their columns are part of its ETag. A column named "<feature>_events" is non-zero when the person has
# such events; columns named "*_updated" are instants that count for Last-Modified.
personal_feed_version_sql = Hook("personal_feed_version_sql")
# personal_feed_events, when the version said there are some: person_id=int, now=datetime; each
# receiver returns a list of calendars.ical.AllDayEvent, worded in the current language, never
# special-category data.
personal_feed_events = Hook("personal_feed_events")
