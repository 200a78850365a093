"""msgspec structs of the safety API (typed responses, so the OpenAPI schema documents them)."""

from __future__ import annotations

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
