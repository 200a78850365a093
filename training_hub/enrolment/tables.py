"""Tables of the enrolment feature that nothing below it reads: the messages sent to a course's
participants (the course's history of who wrote what to whom and to how many).

Instants are UTC, like every table (``core/tables.py``).
"""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from training_hub.core.tables import Course, Person


class MessageAudience(StrEnum):
    CONFIRMED = "confirmed"  # the confirmed participants
    WAITLISTED = "waitlisted"  # the waiting list
    ALL = "all"  # confirmed, waiting list and requests waiting for approval


class CourseMessage(Table):
    """A message the course's trainer or the training office sent to its participants through the
    outbox: the text as written (variables not filled in), who sent it, to whom and to how many."""

    course = ForeignKey(references=Course, null=False, on_delete=OnDelete.cascade, index=True)
    sent_by = ForeignKey(references=Person, null=True, default=None, on_delete=OnDelete.set_null)
    audience = Varchar(length=12, choices=MessageAudience, default=MessageAudience.CONFIRMED.value)
    subject = Varchar(length=200)
    body = Text()
    recipients = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
