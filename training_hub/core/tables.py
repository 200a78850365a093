"""Every Piccolo table of Training Hub (the domain model of DESIGN.md).

Instants are ``Timestamptz`` and always UTC; Europe/Rome is only for entering and showing them.
Constraints Piccolo cannot declare (composite and partial unique indexes) live in the raw migration
``constraints`` in ``piccolo_migrations/``.
"""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    Bytea,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Role(StrEnum):
    ADMIN = "admin"
    TRAINER = "trainer"
    COORDINATOR = "coordinator"
    WORKER = "worker"
    TUTOR = "tutor"


class Area(StrEnum):
    """The areas of work of the consortium's cooperatives, as the brochure lists them."""

    MINORI = "minori"
    ANZIANI = "anziani"
    DISABILI = "disabili"
    PSICHIATRIA = "psichiatria"
    RIABILITAZIONE = "riabilitazione"
    VARIE = "varie"


class Province(StrEnum):
    """The twelve provinces of Lombardy (ISTAT sigle automobilistiche; L.R. Lombardia 32/2015 art. 1)."""

    BG = "BG"
    BS = "BS"
    CO = "CO"
    CR = "CR"
    LC = "LC"
    LO = "LO"
    MN = "MN"
    MI = "MI"
    MB = "MB"
    PV = "PV"
    SO = "SO"
    VA = "VA"


class PathKind(StrEnum):
    INTERNAL_TRAINING = "internal_training"
    INCLUSION = "inclusion"
    MARKETING = "marketing"
    OTHER = "other"


class DeliveryMode(StrEnum):
    IN_PRESENCE = "in_presence"
    ONLINE = "online"
    BLENDED = "blended"
    E_LEARNING = "e_learning"  # asynchronous; a safety course type may forbid it (safety/course_types.py)


class CourseStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class EnrolmentStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


LIVE_ENROLMENT_STATUSES = (EnrolmentStatus.PENDING, EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED)


class EnrolledVia(StrEnum):
    SELF = "self"
    COORDINATOR = "coordinator"
    TUTOR = "tutor"
    ADMIN = "admin"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    LEFT_EARLY = "left_early"
    ABSENT = "absent"
    EXCUSED = "excused"


class RecordedVia(StrEnum):
    TRAINER = "trainer"
    CHECK_IN = "check_in"
    IMPORT = "import"


class FeedKind(StrEnum):
    PERSONAL = "personal"
    COOPERATIVE = "cooperative"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Cooperative(Table):
    name = Varchar(length=200, unique=True)
    tax_code = Varchar(length=16, null=True, default=None)
    province = Varchar(length=2, choices=Province, index=True)
    comune = Varchar(length=100, default="")
    # Comma-separated Area values, e.g. "minori,disabili": a short fixed list, only shown and edited.
    areas = Varchar(length=200, default="")
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    # What the funds ask of the beneficiary (funding/checks.py says how each is validated).
    ateco = Varchar(length=8, default="")
    inps_number = Varchar(length=10, default="")
    vat_number = Varchar(length=11, default="")
    size = Varchar(length=10, default="")  # funding/codes.py COMPANY_SIZES
    # The risk class of the workers' specific course (safety/roles.py RISK_CLASSES): derived from the
    # ATECO division where the Accordo's Allegato IV classifies it, set by hand otherwise ("": not set).
    risk_class = Varchar(length=10, default="")


class CooperativeHeadcount(Table):
    """How many people work for a cooperative in a calendar year, as the office enters it.

    The RLS refresher hours depend on it (art. 37 c. 11 D.Lgs. 81/2008) and the bilancio sociale divides
    training hours by it (D.M. 4 luglio 2019). Only totals: never who is disadvantaged.
    """

    cooperative = ForeignKey(references=Cooperative, null=False, on_delete=OnDelete.cascade, index=True)
    year = Integer()
    total = Integer(default=0)
    women = Integer(default=0)
    men = Integer(default=0)
    # Workers counted under L. 381/1991 art. 4 (a figure the cooperative publishes anyway): a count only.
    disadvantaged = Integer(default=0)
    updated_at = Timestamptz(default=TimestamptzNow())


class Person(Table):
    full_name = Varchar(length=200)
    # Stored lower-cased by the accounts service, so uniqueness is case-insensitive.
    email = Varchar(length=254, unique=True)
    codice_fiscale = Varchar(length=16, null=True, default=None, unique=True)
    cooperative = ForeignKey(references=Cooperative, null=True, on_delete=OnDelete.restrict, index=True)
    area = Varchar(length=20, null=True, default=None, choices=Area)
    # Comma-separated Role values; a person can hold several roles.
    roles = Varchar(length=100, default=Role.WORKER.value)
    password_hash = Varchar(length=255, null=True, default=None)
    active = Boolean(default=True)
    language = Varchar(length=5, default="it")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class AccessibilityNeeds(Table):
    """Special-category data (GDPR art. 9), kept apart from Person: no diagnoses, only what to arrange.

    Shown only to admins and to the trainers of a course the person is enrolled in; never in a feed,
    a third-party export or a log.
    """

    person = ForeignKey(references=Person, null=False, unique=True, on_delete=OnDelete.cascade)
    step_free_access = Boolean(default=False)
    interpreter = Boolean(default=False)
    easy_read = Boolean(default=False)
    companion = Boolean(default=False)
    notes = Text(default="")
    recorded_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    updated_at = Timestamptz(default=TimestamptzNow())


class TutorLink(Table):
    """A tutor follows a person on an inclusion pathway."""

    tutor = ForeignKey(references=Person, null=False, on_delete=OnDelete.cascade, index=True)
    person = ForeignKey(references=Person, null=False, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class Location(Table):
    name = Varchar(length=200)
    address = Varchar(length=300, default="")
    comune = Varchar(length=100, default="")
    province = Varchar(length=2, null=True, default=None, choices=Province, index=True)
    capacity = Integer(null=True, default=None)
    step_free_access = Boolean(default=False)
    is_online = Boolean(default=False)
    notes = Text(default="")
    cooperative = ForeignKey(references=Cooperative, null=True, on_delete=OnDelete.restrict)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    # The comune's patron saint, for the scheduling warning: day as "MM-DD" ("" = the built-in table of
    # holidays.py by comune), and the saint's name.
    patron_day = Varchar(length=5, default="")
    patron_saint = Varchar(length=100, default="")
    # Set by every edit (null: never edited): calendar feeds show the address, so an edit changes them.
    updated_at = Timestamptz(null=True, default=None)


class TrainingPath(Table):
    kind = Varchar(length=20, choices=PathKind, index=True)
    title = Varchar(length=200)
    description = Text(default="")
    objectives = Text(default="")
    # NULL: the consortium's own path; otherwise one cooperative's internal path, visible to its members.
    owner_cooperative = ForeignKey(references=Cooperative, null=True, on_delete=OnDelete.restrict, index=True)
    sequential = Boolean(default=False)
    created_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Course(Table):
    """One edition of a course inside a training path."""

    path = ForeignKey(references=TrainingPath, null=False, on_delete=OnDelete.restrict, index=True)
    position = Integer(default=0)
    title = Varchar(length=200)
    description = Text(default="")
    capacity = Integer(default=20)
    delivery_mode = Varchar(length=20, choices=DeliveryMode, default=DeliveryMode.IN_PRESENCE.value)
    location = ForeignKey(references=Location, null=True, on_delete=OnDelete.restrict)
    enrolment_opens_at = Timestamptz(null=True, default=None)
    enrolment_closes_at = Timestamptz(null=True, default=None)
    cancellation_deadline = Timestamptz(null=True, default=None)
    requires_approval = Boolean(default=False)
    attendance_threshold = Integer(default=70)
    funder_plan_code = Varchar(length=60, null=True, default=None)
    # A code of training_hub.safety.course_types (null: not a safety course). A safety course needs a
    # final learning test (art. 37 c. 2 D.Lgs. 81/2008, as amended by L. 215/2021); any other course
    # may ask for one with ``final_test_required``.
    safety_course_type = Varchar(length=60, null=True, default=None, index=True)
    final_test_required = Boolean(default=False)
    status = Varchar(length=20, choices=CourseStatus, default=CourseStatus.DRAFT.value, index=True)
    # First and last scheduled instant, kept by the catalogue service so the catalogue can sort and
    # filter by date without aggregating sessions on every request.
    starts_at = Timestamptz(null=True, default=None, index=True)
    ends_at = Timestamptz(null=True, default=None)
    copied_from = ForeignKey(references="self", null=True, on_delete=OnDelete.set_null)
    cancelled_reason = Text(default="")
    created_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class CourseTrainer(Table):
    course = ForeignKey(references=Course, null=False, on_delete=OnDelete.cascade, index=True)
    person = ForeignKey(references=Person, null=False, on_delete=OnDelete.restrict, index=True)


class CourseEligibleCooperative(Table):
    """Rows restrict a course to these cooperatives; no rows means every cooperative."""

    course = ForeignKey(references=Course, null=False, on_delete=OnDelete.cascade, index=True)
    cooperative = ForeignKey(references=Cooperative, null=False, on_delete=OnDelete.cascade)


class CourseEligibleArea(Table):
    """Rows restrict a course to these areas of work; no rows means every area."""

    course = ForeignKey(references=Course, null=False, on_delete=OnDelete.cascade, index=True)
    area = Varchar(length=20, choices=Area)


class Session(Table, tablename="course_session"):
    """One lesson of a course."""

    course = ForeignKey(references=Course, null=False, on_delete=OnDelete.cascade, index=True)
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz()
    location = ForeignKey(references=Location, null=True, on_delete=OnDelete.restrict, index=True)
    online_url = Varchar(length=500, null=True, default=None)
    trainer = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null, index=True)
    topics = Text(default="")
    status = Varchar(length=20, choices=SessionStatus, default=SessionStatus.SCHEDULED.value)
    # Raised on every change of time or place: calendar clients replace the event they hold.
    sequence = Integer(default=0)
    # The iCalendar UID, fixed at creation for the life of the session.
    uid = Varchar(length=120, unique=True)
    cancelled_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Enrolment(Table):
    person = ForeignKey(references=Person, null=False, on_delete=OnDelete.restrict, index=True)
    course = ForeignKey(references=Course, null=False, on_delete=OnDelete.restrict, index=True)
    status = Varchar(length=20, choices=EnrolmentStatus, index=True)
    enrolled_via = Varchar(length=20, choices=EnrolledVia, default=EnrolledVia.SELF.value)
    enrolled_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    # When the person joined the waiting list: the list is served first come, first served by it.
    waitlisted_at = Timestamptz(null=True, default=None)
    confirmed_at = Timestamptz(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    decided_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    decision_reason = Text(default="")
    cancelled_at = Timestamptz(null=True, default=None)
    cancelled_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    cancel_reason = Text(default="")
    certificate_code = Varchar(length=32, null=True, default=None, unique=True)
    updated_at = Timestamptz(default=TimestamptzNow())


class Attendance(Table):
    session = ForeignKey(references=Session, null=False, on_delete=OnDelete.cascade, index=True)
    enrolment = ForeignKey(references=Enrolment, null=False, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=20, choices=AttendanceStatus)
    minutes = Integer(default=0)
    arrived_at = Timestamptz(null=True, default=None)
    left_at = Timestamptz(null=True, default=None)
    recorded_via = Varchar(length=20, choices=RecordedVia, default=RecordedVia.TRAINER.value)
    recorded_by = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    recorded_at = Timestamptz(default=TimestamptzNow())


class FeedToken(Table):
    """A calendar feed's secret URL. Only a hash of the secret is stored; rotating revokes the old one."""

    person = ForeignKey(references=Person, null=False, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=20, choices=FeedKind, default=FeedKind.PERSONAL.value)
    cooperative = ForeignKey(references=Cooperative, null=True, on_delete=OnDelete.cascade)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    revoked_at = Timestamptz(null=True, default=None)
    # The token sealed with AES-GCM under a key derived from the secret key (calendars/tokens.py), so its
    # owner can be shown the URL again; "" for a token that can no longer be shown.
    token_sealed = Text(default="")


class ApiToken(Table):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    person = ForeignKey(references=Person, null=False, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(index=True)
    revoked_at = Timestamptz(null=True, default=None)


class LoginFailure(Table):
    """Failed logins, counted per e-mail and per client address to slow down password guessing."""

    email = Varchar(length=254, index=True)
    client = Varchar(length=64, index=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)


class KeyValue(Table):
    """Shared key-value store (server-side web sessions, caches) so several workers see the same data."""

    key = Varchar(length=255, unique=True)
    value = Bytea()
    expires_at = Timestamptz(null=True, default=None, index=True)
    # A web session's person: read with the session in one statement, and gone with them.
    person = ForeignKey(references=Person, null=True, default=None, on_delete=OnDelete.cascade, index=True)


class AuditEvent(Table):
    at = Timestamptz(default=TimestamptzNow(), index=True)
    actor = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    action = Varchar(length=60, index=True)
    entity = Varchar(length=40)
    entity_id = Integer(null=True, default=None)
    # What changed; never special-category data.
    data = JSON(default={})
    reason = Text(default="")
    # Whom and which course the event concerns, for the office's audit log filters (plain ids: the
    # trail outlives what it names).
    person_id = Integer(null=True, default=None, index=True)
    course_id = Integer(null=True, default=None, index=True)


class Outbox(Table):
    """Notifications waiting to be sent, written in the same transaction as the change they announce."""

    # The id is 64-bit on PostgreSQL (raw migration 2026-12-05T05:31:00:000001: Piccolo cannot express it):
    # every notice ever sent takes one, and 2**31 must not be a date on the calendar.
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    kind = Varchar(length=40)
    recipient = ForeignKey(references=Person, null=True, on_delete=OnDelete.set_null)
    to_email = Varchar(length=254)
    subject = Varchar(length=300)
    body = Text()
    # Optional iCalendar attachment (METHOD:REQUEST for a confirmed enrolment).
    ics = Text(default="")
    # Stops the same notice being queued twice (for instance a reminder for one session and person).
    dedupe_key = Varchar(length=200, null=True, default=None, unique=True)
    status = Varchar(length=20, choices=OutboxStatus, default=OutboxStatus.PENDING.value, index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(default=TimestamptzNow(), index=True)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    # Connection-level failures are retried until then (created, or resent by the office, plus
    # ``notifications_retry_days``); None on rows queued before the rule: created_at plus the days.
    retry_until = Timestamptz(null=True, default=None)


# Satisfaction surveys (reports feature) ------------------------------------------------------------
# Anonymity by construction: a response is stored apart from the person. See training_hub/surveys/__init__.py.


class SurveyStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class QuestionKind(StrEnum):
    RATING = "rating"  # 1 to 5
    TEXT = "text"  # free comments


class SurveyQuestion(Table):
    """The office's editable question set, asked in every course's survey."""

    code = Varchar(length=40, unique=True)
    text = Varchar(length=300)
    kind = Varchar(length=10, choices=QuestionKind, default=QuestionKind.RATING.value)
    position = Integer(default=0)
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Survey(Table):
    """One course's satisfaction survey, opened when its last session has ended."""

    course = ForeignKey(references=Course, null=False, unique=True, on_delete=OnDelete.cascade)
    opens_at = Timestamptz()
    closes_at = Timestamptz(index=True)
    reminded_at = Timestamptz(null=True, default=None)
    status = Varchar(length=10, choices=SurveyStatus, default=SurveyStatus.OPEN.value, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class SurveyInvitation(Table):
    """Who was asked, and whether they answered: a flag only, never when, never which response."""

    survey = ForeignKey(references=Survey, null=False, on_delete=OnDelete.cascade, index=True)
    person = ForeignKey(references=Person, null=False, on_delete=OnDelete.cascade, index=True)
    answered = Boolean(default=False)


class SurveyResponse(Table):
    """One anonymous response: a random id, the survey, nothing about the person or the time."""

    id = UUID(primary_key=True)
    survey = ForeignKey(references=Survey, null=False, on_delete=OnDelete.cascade, index=True)


class SurveyAnswer(Table):
    response = ForeignKey(references=SurveyResponse, null=False, on_delete=OnDelete.cascade, index=True)
    question = ForeignKey(references=SurveyQuestion, null=False, on_delete=OnDelete.restrict, index=True)
    rating = Integer(null=True, default=None)
    comment = Text(default="")
