"""API input and output of attendance: roll calls and each participant's progress."""

from __future__ import annotations

import msgspec

from training_hub.core.schemas import Instant


class AttendanceEntryIn(msgspec.Struct):
    enrolment_id: int
    status: str
    minutes: int | None = None
    arrived_at: str | None = None
    left_at: str | None = None
    reason: str | None = None


class RollLine(msgspec.Struct):
    """One participant of a session's roll call; ``status`` is null until recorded."""

    enrolment_id: int
    person_id: int
    full_name: str
    status: str | None
    minutes: int | None
    arrived_at: Instant | None
    left_at: Instant | None
    recorded_via: str | None
    recorded_by: str | None
    recorded_at: Instant | None


class SessionRoll(msgspec.Struct):
    session_id: int
    course_id: int
    starts_at: Instant
    ends_at: Instant
    scheduled_minutes: int
    recording: str
    items: list[RollLine]


class Progress(msgspec.Struct):
    """A participant's attendance in a course (cancelled sessions excluded)."""

    enrolment_id: int
    person_id: int
    full_name: str
    attended_minutes: int
    scheduled_minutes: int
    remaining_minutes: int
    percent: float
    threshold: int
    required_minutes: int
    certificate_eligible: bool
    at_risk: bool
    course_finished: bool
