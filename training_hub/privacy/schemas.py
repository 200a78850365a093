"""Typed answers of the privacy API (GDPR export and erasure)."""

from __future__ import annotations

from datetime import date

import msgspec


class Profile(msgspec.Struct):
    id: int
    full_name: str
    email: str
    codice_fiscale: str | None
    cooperative: str | None
    area: str | None
    roles: list[str]
    language: str
    active: bool
    created_at: str | None


class EnrolmentRecord(msgspec.Struct):
    course_id: int
    course: str
    status: str
    enrolled_via: str
    created_at: str | None
    confirmed_at: str | None
    cancelled_at: str | None
    certificate_code: str | None


class AttendanceRecord(msgspec.Struct):
    course: str
    starts_at: str | None
    ends_at: str | None
    status: str
    minutes: int


class FinalTestRecord(msgspec.Struct):
    course: str
    submitted_at: str | None
    score_percent: float
    passed: bool
    on_paper: bool


class SurveyInvitationRecord(msgspec.Struct):
    course: str
    answered: bool


class Needs(msgspec.Struct):
    step_free_access: bool
    interpreter: bool
    easy_read: bool
    companion: bool
    notes: str


class SafetyRoleRecord(msgspec.Struct):
    role: str
    level: str | None
    since: str


class ExternalTrainingRecord(msgspec.Struct):
    """An attestato obtained elsewhere; ``scan_filename`` names the scan ("" without one), never its bytes."""

    course_type: str
    completed_on: str
    hours: float
    provider: str
    certificate_number: str
    scan_filename: str


class PersonalData(msgspec.Struct):
    """GDPR art. 15 and 20. ``accessibility_needs`` only in the person's own export."""

    generated_at: str
    profile: Profile
    enrolments: list[EnrolmentRecord]
    attendance: list[AttendanceRecord]
    final_tests: list[FinalTestRecord]
    survey_invitations: list[SurveyInvitationRecord]
    tutors: list[str]
    accessibility_needs: Needs | None
    safety_roles: list[SafetyRoleRecord] = msgspec.field(default_factory=list)
    external_trainings: list[ExternalTrainingRecord] = msgspec.field(default_factory=list)


class KeptRecord(msgspec.Struct):
    what: str
    course_id: int | None  # None: not a course's records (the attestati obtained elsewhere)
    until: date
    why: str


class ErasureReport(msgspec.Struct):
    """What an erasure removed, and what it kept, until when and why (GDPR art. 17.3.b)."""

    erased: list[str]
    kept: list[KeptRecord]


def report_out(report: dict) -> ErasureReport:
    """The erasure's report in the reader's language."""
    from training_hub.core.i18n import gettext

    return ErasureReport(
        erased=[gettext(item) for item in report["erased"]],
        kept=[KeptRecord(what=gettext(item["what"]) % {"title": item["title"]}, course_id=item["course_id"],
                         until=item["until"], why=item["why"]) for item in report["kept"]],
    )
