"""msgspec structs of the safety API (typed responses, so the OpenAPI schema documents them)."""

from __future__ import annotations

from datetime import date
from typing import Any

import msgspec

from training_hub.core.i18n import gettext
from training_hub.safety.course_types import CourseType, HeadcountBand


class HeadcountHoursOut(msgspec.Struct):
    """Refresher hours for a headcount range (``max_workers`` null: no upper bound; ``hours`` null: set by
    the collective agreement)."""

    min_workers: int
    max_workers: int | None
    hours: int | None


class CourseTypeOut(msgspec.Struct):
    code: str
    title: str
    legal_reference: str
    min_hours: int
    refresher_of: list[str]
    refresh_years: int | None
    refresh_hours: int | None
    delivery_modes: list[str]
    min_attendance_percent: int
    requirement: str | None
    level: str | None
    refresh_hours_by_headcount: list[HeadcountHoursOut]
    final_test_min_questions: int
    final_test_pass_percent: int


def _band_out(band: HeadcountBand) -> HeadcountHoursOut:
    return HeadcountHoursOut(min_workers=band.min_workers, max_workers=band.max_workers, hours=band.hours)


def course_type_out(course: CourseType) -> CourseTypeOut:
    """A course type as the API shows it, the title in the request's language."""
    return CourseTypeOut(
        code=course.code,
        title=gettext(course.title),
        legal_reference=course.legal_reference,
        min_hours=course.min_hours,
        refresher_of=list(course.refresher_of),
        refresh_years=course.refresh_years,
        refresh_hours=course.refresh_hours,
        delivery_modes=list(course.delivery_modes),
        min_attendance_percent=course.min_attendance_percent,
        requirement=course.requirement,
        level=course.level,
        refresh_hours_by_headcount=[_band_out(band) for band in course.refresh_hours_by_headcount],
        final_test_min_questions=course.final_test_min_questions,
        final_test_pass_percent=course.test_pass_percent,
    )


class SafetyStatusOut(msgspec.Struct):
    """One requirement of a person: ``status`` missing | overdue | due_soon | valid; ``due_on`` null when
    it never expires (or the first course is missing with no deadline); ``hours_due`` the hours of the
    course to take (null when unknown); ``course_type`` that course's code."""

    requirement: str
    status: str
    last_completed_on: date | None
    due_on: date | None
    hours_due: float | None
    level: str | None = None
    course_type: str | None = None
    next_course_id: int | None = None


class CooperativeSafetyStatusOut(msgspec.Struct):
    """A row of a cooperative's tracker: one person and one requirement."""

    person_id: int
    full_name: str
    requirement: str
    status: str
    last_completed_on: date | None
    due_on: date | None
    hours_due: float | None
    level: str | None = None
    course_type: str | None = None
    next_course_id: int | None = None


def status_out(row: dict[str, Any], kind: type[Any]) -> Any:
    """A tracker row (``safety/status.py``) as the API shows it."""
    values = {name: row.get(name) for name in kind.__struct_fields__ if name != "next_course_id"}
    next_course = row.get("next_course")
    return kind(**values, next_course_id=next_course["course_id"] if next_course else None)
