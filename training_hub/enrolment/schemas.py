"""API input and output of enrolment: enrolling, the participant list, one's own enrolments,
accessibility needs."""

from __future__ import annotations

import msgspec

from training_hub.core.schemas import Instant


class EnrolIn(msgspec.Struct, forbid_unknown_fields=True):
    person_id: int | None = None
    confirm_warnings: bool = False


class ReasonIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: str = ""


class CapacityIn(msgspec.Struct, forbid_unknown_fields=True):
    capacity: int


class NeedsIn(msgspec.Struct, forbid_unknown_fields=True):
    step_free_access: bool = False
    interpreter: bool = False
    easy_read: bool = False
    companion: bool = False
    notes: str = ""


class EnrolmentOut(msgspec.Struct):
    id: int
    status: str
    waitlist_position: int | None


class CancelledEnrolment(EnrolmentOut):
    """The cancelled enrolment, and the enrolments the freed seat went to."""

    promoted: list[int]


class CapacityOut(msgspec.Struct):
    capacity: int
    promoted: list[int]


class Needs(msgspec.Struct):
    """What to arrange for a participant (restricted data: admins and the course's trainers only)."""

    step_free_access: bool
    interpreter: bool
    easy_read: bool
    companion: bool
    notes: str


class Participant(msgspec.Struct):
    """One enrolment of the participant list; ``accessibility`` only for who may see it."""

    id: int
    person_id: int
    full_name: str
    email: str
    cooperative_id: int | None
    cooperative_name: str | None
    status: str
    waitlist_position: int | None
    enrolled_via: str
    created_at: Instant
    confirmed_at: Instant | None
    decided_at: Instant | None
    decision_reason: str
    cancelled_at: Instant | None
    cancel_reason: str
    accessibility: Needs | None | msgspec.UnsetType = msgspec.UNSET


class CourseEnrolments(msgspec.Struct):
    course_id: int
    capacity: int
    seats_taken: int
    waitlist_length: int
    items: list[Participant]


class OwnEnrolment(msgspec.Struct):
    """One of the caller's enrolments, with the course it is for."""

    id: int
    person_id: int
    full_name: str
    course_id: int
    course_title: str
    course_status: str
    starts_at: Instant | None
    ends_at: Instant | None
    status: str
    waitlist_position: int | None
    enrolled_via: str
    created_at: Instant
    cancellation_deadline: Instant | None
    can_cancel: bool
    decision_reason: str


class AccessibilityNeedsOut(msgspec.Struct):
    person_id: int
    full_name: str
    step_free_access: bool
    interpreter: bool
    easy_read: bool
    companion: bool
    notes: str
    updated_at: Instant | None
    can_edit: bool


class BulkEnrolIn(msgspec.Struct, forbid_unknown_fields=True):
    """People to enrol in one step, in the order their seats are decided."""

    person_ids: list[int]
    confirm_warnings: bool = False


class BulkLineOut(msgspec.Struct):
    """What one person got (or would get): ``outcome`` is ``confirmed``, ``waitlisted``, ``pending``,
    ``refused`` (``reason`` says why) or ``overlap`` (left out: repeat with ``confirm_warnings``)."""

    person_id: int
    full_name: str
    outcome: str
    status: str | None
    waitlist_position: int | None
    reason: str | None
    enrolment_id: int | None


class BulkEnrolOut(msgspec.Struct):
    course_id: int
    dry_run: bool
    seats_left: int
    waitlist_length: int
    results: list[BulkLineOut]


class CourseMessageIn(msgspec.Struct, forbid_unknown_fields=True):
    """A message to the course's participants: ``to`` is ``confirmed``, ``waitlisted`` or ``all``.
    Variables: {nome}, {nome_completo}, {corso}, {data_inizio}, {link_corso}; any other is refused."""

    subject: str
    body: str
    to: str = "confirmed"


class CourseMessageQueued(msgspec.Struct):
    id: int
    queued: int


class CourseMessageOut(msgspec.Struct):
    id: int
    audience: str
    subject: str
    body: str
    recipients: int
    created_at: Instant
    sent_by_name: str | None
