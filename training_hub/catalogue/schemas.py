"""API input and output of the catalogue: paths, courses, sessions, locations.

Field names are the contract of ``DESIGN.md`` ("Interfaces"); outside tools rely on them. Instants are
:class:`~training_hub.web.schemas.Instant` (ISO 8601 with the Europe/Rome offset); instants in request
bodies are strings (without an offset they mean Rome time) that the services parse.
"""

from __future__ import annotations

import msgspec

from training_hub.core.schemas import Instant

UNSET = msgspec.UNSET
UnsetType = msgspec.UnsetType


# Bodies ------------------------------------------------------------------------------------------


class PathIn(msgspec.Struct):
    kind: str
    title: str
    description: str = ""
    objectives: str = ""
    sequential: bool = False
    owner_cooperative_id: int | None = None


class PathPatch(msgspec.Struct):
    kind: str | UnsetType = UNSET
    title: str | UnsetType = UNSET
    description: str | UnsetType = UNSET
    objectives: str | UnsetType = UNSET
    sequential: bool | UnsetType = UNSET
    owner_cooperative_id: int | None | UnsetType = UNSET


class CourseIn(msgspec.Struct):
    path_id: int
    title: str
    capacity: int
    description: str = ""
    delivery_mode: str = "in_presence"
    location_id: int | None = None
    requires_approval: bool = False
    enrolment_opens_at: str | None = None
    enrolment_closes_at: str | None = None
    cancellation_deadline: str | None = None
    attendance_threshold: int = 70
    funder_plan_code: str | None = None
    trainer_ids: list[int] | None = None
    eligible_cooperative_ids: list[int] = msgspec.field(default_factory=list)
    eligible_areas: list[str] = msgspec.field(default_factory=list)
    position: int | None = None
    safety_course_type: str | None = None


class CoursePatch(msgspec.Struct):
    path_id: int | UnsetType = UNSET
    title: str | UnsetType = UNSET
    capacity: int | UnsetType = UNSET
    description: str | UnsetType = UNSET
    delivery_mode: str | UnsetType = UNSET
    location_id: int | None | UnsetType = UNSET
    requires_approval: bool | UnsetType = UNSET
    enrolment_opens_at: str | None | UnsetType = UNSET
    enrolment_closes_at: str | None | UnsetType = UNSET
    cancellation_deadline: str | None | UnsetType = UNSET
    attendance_threshold: int | UnsetType = UNSET
    funder_plan_code: str | None | UnsetType = UNSET
    trainer_ids: list[int] | UnsetType = UNSET
    eligible_cooperative_ids: list[int] | UnsetType = UNSET
    eligible_areas: list[str] | UnsetType = UNSET
    position: int | UnsetType = UNSET
    safety_course_type: str | None | UnsetType = UNSET


class SessionIn(msgspec.Struct):
    starts_at: str
    ends_at: str
    location_id: int | None = None
    online_url: str | None = None
    topics: str = ""
    trainer_id: int | None = None
    confirm_warnings: bool = False


class SessionPatch(msgspec.Struct):
    starts_at: str | UnsetType = UNSET
    ends_at: str | UnsetType = UNSET
    location_id: int | None | UnsetType = UNSET
    online_url: str | None | UnsetType = UNSET
    topics: str | UnsetType = UNSET
    trainer_id: int | None | UnsetType = UNSET
    confirm_warnings: bool = False


class SeriesIn(msgspec.Struct):
    """Weekly on ``weekdays`` (0 = Monday … 6 = Sunday) from ``first_day`` (a date), from ``start_time``
    to ``end_time`` (HH:MM, Rome), ``count`` times or ``until`` a date; ``topics`` one per session."""

    first_day: str
    weekdays: list[int]
    start_time: str
    end_time: str
    count: int | None = None
    until: str | None = None
    location_id: int | None = None
    online_url: str | None = None
    topics: list[str] = msgspec.field(default_factory=list)
    trainer_id: int | None = None
    confirm_warnings: bool = False


class CopyIn(msgspec.Struct):
    """``first_day``: where the copied sessions start (a date); without it the copy has no sessions."""

    first_day: str | None = None
    confirm_warnings: bool = False


class CancelIn(msgspec.Struct):
    reason: str = ""


class PublishIn(msgspec.Struct):
    """Publishing answers 409 with its warnings (``issues``) until they are confirmed."""

    confirm_warnings: bool = False


class LocationIn(msgspec.Struct):
    name: str
    address: str = ""
    comune: str = ""
    province: str | None = None
    capacity: int | None = None
    step_free_access: bool = False
    is_online: bool = False
    notes: str = ""
    active: bool = True
    patron_day: str = ""
    patron_saint: str = ""


class LocationPatch(msgspec.Struct):
    name: str | UnsetType = UNSET
    address: str | UnsetType = UNSET
    comune: str | UnsetType = UNSET
    province: str | None | UnsetType = UNSET
    capacity: int | None | UnsetType = UNSET
    step_free_access: bool | UnsetType = UNSET
    is_online: bool | UnsetType = UNSET
    notes: str | UnsetType = UNSET
    active: bool | UnsetType = UNSET
    patron_day: str | UnsetType = UNSET
    patron_saint: str | UnsetType = UNSET


# Answers -----------------------------------------------------------------------------------------


class Location(msgspec.Struct):
    id: int
    name: str
    address: str
    comune: str
    province: str | None
    capacity: int | None
    step_free_access: bool
    is_online: bool
    notes: str
    active: bool
    patron_day: str
    patron_saint: str


class Place(msgspec.Struct):
    """Where a course or a session takes place (a location, as a course shows it)."""

    id: int
    name: str
    comune: str
    province: str | None
    step_free_access: bool
    is_online: bool
    address: str
    capacity: int | None


class PersonRef(msgspec.Struct):
    id: int
    full_name: str


class CooperativeRef(msgspec.Struct):
    id: int
    name: str


class PathRef(msgspec.Struct):
    """The path a course belongs to; ``description`` only in a course's detail."""

    id: int
    title: str
    kind: str
    owner_cooperative_id: int | None
    description: str | UnsetType = UNSET


class _CourseBase(msgspec.Struct):
    id: int
    title: str
    description: str
    status: str
    path: PathRef
    position: int
    delivery_mode: str
    location: Place | None
    starts_at: Instant | None
    ends_at: Instant | None
    capacity: int
    seats_taken: int
    seats_left: int
    waitlist_length: int
    pending_count: int
    requires_approval: bool
    enrolment_opens_at: Instant | None
    enrolment_closes_at: Instant | None
    trainers: list[PersonRef]


class CourseSummary(_CourseBase):
    """A course in a listing (the catalogue, a path, "I miei corsi")."""

    eligible_areas: list[str]
    session_count: int


class Session(msgspec.Struct):
    """One session; ``online_url`` only for who may join (otherwise null)."""

    id: int
    course_id: int
    starts_at: Instant
    ends_at: Instant
    minutes: int
    location: Place | None
    is_online: bool
    online_url: str | None
    topics: str
    trainer: PersonRef | None
    status: str
    sequence: int
    uid: str
    cancelled_at: Instant | None
    updated_at: Instant | None


class SafetyCourseRef(msgspec.Struct):
    """The safety course type a course is an edition of (safety/course_types.py)."""

    code: str
    title: str
    legal_reference: str
    min_hours: int
    refresher: bool
    delivery_modes: list[str]
    min_attendance_percent: int
    final_test_min_questions: int


class CourseDetail(_CourseBase):
    """A course with its sessions (cancelled ones included), seats, waiting list and status, and what
    the caller may do with it."""

    cancellation_deadline: Instant | None
    attendance_threshold: int
    funder_plan_code: str | None
    copied_from: int | None
    cancelled_reason: str
    created_by: int | None
    updated_at: Instant | None
    eligible_areas: list[str]
    eligible_cooperatives: list[CooperativeRef]
    sessions: list[Session]
    can_manage: bool
    is_trainer: bool
    enrolment_status: str | None
    can_see_online_link: bool
    session_count: int
    scheduled_minutes: int
    safety_course_type: str | None = None
    safety_course: SafetyCourseRef | None = None
    final_test_required: bool = False


class CataloguePage(msgspec.Struct):
    items: list[CourseSummary]
    total: int
    page: int
    page_size: int


class TrainingPath(msgspec.Struct):
    id: int
    kind: str
    title: str
    description: str
    objectives: str
    owner_cooperative_id: int | None
    owner_cooperative_name: str | None
    sequential: bool
    created_by: int | None


class PathSummary(TrainingPath):
    """A path in the list, with the ids of the courses the caller may see, in order."""

    course_ids: list[int]


class PathDetail(TrainingPath):
    courses: list[CourseSummary]
    can_manage: bool
    can_add_course: bool


class PublicCourse(msgspec.Struct):
    """A course of the public catalogue (no login): the consortium's published courses open to everyone,
    nothing about people (no seats, participants, trainers or online links)."""

    id: int
    title: str
    description: str
    path_id: int
    path_title: str
    path_kind: str
    delivery_mode: str
    starts_at: Instant | None
    ends_at: Instant | None
    enrolment_opens_at: Instant | None
    enrolment_closes_at: Instant | None
    comune: str
    url: str
