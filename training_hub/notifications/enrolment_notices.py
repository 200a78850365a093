"""The message a person gets about their own enrolment (confirmed, waiting, promoted, approved, …).

Written by :func:`compose` (texts in Italian), with the course's sessions attached as a calendar
invitation when the person holds a seat, and queued in the outbox inside the caller's transaction —
the seat decision and its message commit or roll back together. Plain data in (the person, the course's
title, its sessions), so the seats and the enrolment features both send through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from training_hub.core.db import as_bool
from training_hub.notifications.compose import compose, invitation, scheduled
from training_hub.notifications.outbox import queue_message


async def queue_enrolment_notice(
    kind: str,
    person: Mapping[str, Any],
    course_title: str,
    *,
    sessions: list[dict[str, Any]] | None = None,
    position: int | None = None,
    reason: str = "",
    deadline: datetime | None = None,
    ics_method: str | None = None,
) -> None:
    """Queue one message of ``kind`` (a key of ``compose.TEXTS``) to ``person`` (``id``, ``full_name``,
    ``email``, ``active``); nothing for a person without an address or no longer active.
    ``ics_method``: attach the scheduled sessions as an invitation (REQUEST) or a cancellation (CANCEL)."""
    if not person.get("email") or not as_bool(person.get("active", True)):
        return
    listed = scheduled(sessions or [])
    subject, body = compose(
        kind,
        full_name=person["full_name"],
        course_title=course_title,
        sessions=listed if kind != "enrolment_cancelled" else None,
        position=position,
        reason=reason,
        deadline=deadline,
    )
    ics = ""
    if ics_method and listed:
        ics = invitation(course_title, listed, method=ics_method, to_email=person["email"],
                         full_name=person["full_name"])
    await queue_message(kind, recipient_id=person["id"], to_email=person["email"], subject=subject, body=body,
                        ics=ics)
