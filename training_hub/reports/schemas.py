"""API output of the report aggregates.

Every answer carries the ``period`` and the ``scope`` it was computed for. Durations are in minutes,
rates are fractions (0.75 = 75%), ratings are averages from 1 to 5.
"""

from __future__ import annotations

from datetime import date
from typing import Generic, TypeVar

import msgspec

from training_hub.core.schemas import Instant

T = TypeVar("T")

# A row of a survey table: fixed columns (title, course_id, survey_id, kind, status, invited,
# responses, visible; or trainer, trainer_id, responses, surveys) and one ``q_<code>`` average per
# rating question, which the office may add: hence a mapping, not a struct.
SurveyRow = dict[str, str | int | float | bool | None]


class PeriodOut(msgspec.Struct):
    """Both days included (Europe/Rome calendar days)."""

    first: date = msgspec.field(name="from")
    last: date = msgspec.field(name="to")


class ScopeOut(msgspec.Struct):
    view: str
    cooperative_id: int | None
    province: str | None
    kind: str | None
    trainer_id: int | None


class Summary(msgspec.Struct, kw_only=True):
    """Headline figures; the waiting-list ones are left out of the trainer view."""

    courses: int
    sessions: int
    delivered_minutes: int
    participants: int
    enrolments: int
    scheduled_minutes: int
    attended_minutes: int
    attendance_rate: float | None
    cohort: int
    completed: int
    dropped: int
    completion_rate: float | None
    dropout_rate: float | None
    courses_without_register: int
    full_courses_with_waitlist: int | msgspec.UnsetType = msgspec.UNSET
    waitlisted: int | msgspec.UnsetType = msgspec.UNSET
    survey_responses: int
    overall_rating: float | None


class SummaryReport(msgspec.Struct):
    period: PeriodOut
    scope: ScopeOut
    summary: Summary


class Report(msgspec.Struct, Generic[T]):
    """A table of the report: one item per row."""

    period: PeriodOut
    scope: ScopeOut
    items: list[T]


class QuestionRef(msgspec.Struct):
    code: str
    text: str


class SurveyReport(msgspec.Struct):
    period: PeriodOut
    scope: ScopeOut
    questions: list[QuestionRef]
    items: list[SurveyRow]


class MonthRow(msgspec.Struct):
    month: str  # YYYY-MM
    courses: int
    sessions: int
    delivered_minutes: int
    participants: int
    enrolments: int
    scheduled_minutes: int
    attended_minutes: int
    attendance_rate: float | None


class PathKindRow(msgspec.Struct):
    kind: str
    courses: int
    sessions: int
    delivered_minutes: int
    participants: int
    enrolments: int
    scheduled_minutes: int
    attended_minutes: int
    attendance_rate: float | None
    cohort: int
    completed: int
    dropped: int
    completion_rate: float | None
    dropout_rate: float | None


class ProvinceRow(msgspec.Struct):
    province: str  # "" when the cooperative has none
    participants: int
    enrolments: int
    scheduled_minutes: int
    attended_minutes: int
    attendance_rate: float | None


class AreaRow(msgspec.Struct):
    area: str  # "" when the person has none
    participants: int
    enrolments: int
    scheduled_minutes: int
    attended_minutes: int
    attendance_rate: float | None


class CooperativeRow(msgspec.Struct):
    cooperative: str
    cooperative_id: int | None
    participants: int
    enrolments: int
    scheduled_minutes: int
    attended_minutes: int
    attendance_rate: float | None


class WaitingListRow(msgspec.Struct):
    title: str
    course_id: int
    starts_at: Instant | None
    capacity: int
    confirmed: int
    waitlisted: int
    waitlisted_in_scope: int


class CourseRow(msgspec.Struct):
    title: str
    course_id: int
    kind: str
    starts_at: Instant | None
    ends_at: Instant | None
    sessions: int
    delivered_minutes: int
    participants: int
    scheduled_minutes: int
    attended_minutes: int
    attendance_rate: float | None


class WorkerRow(msgspec.Struct):
    full_name: str
    person_id: int
    area: str
    courses: int
    scheduled_minutes: int
    attended_minutes: int
    attendance_rate: float | None
