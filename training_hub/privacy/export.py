"""A person's data as they can take it away (GDPR art. 15, access, and art. 20, portability).

One function gathers it (:func:`personal_data`); the JSON answer and the PDF are two renderings of the
same dict, so they cannot say different things. What it holds: the profile, the enrolments, the
attendance, the final tests' results, the attestati codes, the survey invitations (whether answered,
never the answers: they are anonymous by construction and cannot be traced back), the tutors, the
safety roles and the attestati obtained elsewhere (the scan's file name, never its bytes: the person
downloads the scan from the record page).

Accessibility needs are special-category data: they are included only when the person asks for their
own data, never in what the office downloads (the file leaves the system; the office reads needs on
the page, where each read is audited). Inclusion pathway records are not in this export: the tutor and
the office give the person their documents (``inclusion/documents.py``). Every export of someone else's
data leaves an audit row naming who and when, never the content.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from training_hub.assessment.tables import FinalTestAttempt
from training_hub.core.audit import record_audit_event
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import (
    AccessibilityNeeds,
    Attendance,
    Enrolment,
    Person,
    SurveyInvitation,
    TutorLink,
)
from training_hub.core.timeutil import utcnow
from training_hub.privacy.access import ensure_may_export
from training_hub.safety.tables import ExternalTraining, SafetyRole


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


async def personal_data(actor: CurrentUser, person_id: int) -> dict[str, Any]:
    """Everything Training Hub holds about ``person_id`` that the asker may take away."""
    await ensure_may_export(actor, person_id)
    person = await Person.select(
        Person.id, Person.full_name, Person.email, Person.codice_fiscale, Person.area, Person.roles,
        Person.language, Person.active, Person.created_at, Person.cooperative.name,
    ).where(Person.id == person_id).first()
    enrolments = await Enrolment.select(
        Enrolment.id, Enrolment.course, Enrolment.course.title, Enrolment.status, Enrolment.enrolled_via,
        Enrolment.created_at, Enrolment.confirmed_at, Enrolment.cancelled_at, Enrolment.certificate_code,
    ).where(Enrolment.person == person_id).order_by(Enrolment.created_at)
    attendance = await Attendance.select(
        Attendance.enrolment.course.title, Attendance.session.starts_at, Attendance.session.ends_at,
        Attendance.status, Attendance.minutes,
    ).where(Attendance.enrolment.person == person_id).order_by(Attendance.session.starts_at)
    tests = await FinalTestAttempt.select(
        FinalTestAttempt.enrolment.course.title, FinalTestAttempt.submitted_at, FinalTestAttempt.score_percent,
        FinalTestAttempt.passed, FinalTestAttempt.recorded_via,
    ).where(FinalTestAttempt.enrolment.person == person_id).order_by(FinalTestAttempt.submitted_at)
    invitations = await SurveyInvitation.select(
        SurveyInvitation.survey.course.title, SurveyInvitation.answered,
    ).where(SurveyInvitation.person == person_id)
    tutors = await TutorLink.select(TutorLink.tutor.full_name).where(TutorLink.person == person_id)
    safety_roles = await SafetyRole.select(SafetyRole.role, SafetyRole.level, SafetyRole.since) \
        .where(SafetyRole.person == person_id).order_by(SafetyRole.since)
    external = await ExternalTraining.select(  # never the scan column
        ExternalTraining.course_type, ExternalTraining.completed_on, ExternalTraining.minutes,
        ExternalTraining.provider, ExternalTraining.certificate_number, ExternalTraining.scan_filename,
    ).where(ExternalTraining.person == person_id).order_by(ExternalTraining.completed_on)
    data: dict[str, Any] = {
        "generated_at": utcnow().isoformat(timespec="seconds"),
        "profile": {
            "id": person["id"],
            "full_name": person["full_name"],
            "email": person["email"],
            "codice_fiscale": person["codice_fiscale"],
            "cooperative": person["cooperative.name"],
            "area": person["area"],
            "roles": [role for role in (person["roles"] or "").split(",") if role],
            "language": person["language"],
            "active": bool(person["active"]),
            "created_at": _iso(person["created_at"]),
        },
        "enrolments": [
            {
                "course_id": row["course"], "course": row["course.title"], "status": row["status"],
                "enrolled_via": row["enrolled_via"], "created_at": _iso(row["created_at"]),
                "confirmed_at": _iso(row["confirmed_at"]), "cancelled_at": _iso(row["cancelled_at"]),
                "certificate_code": row["certificate_code"],
            }
            for row in enrolments
        ],
        "attendance": [
            {
                "course": row["enrolment.course.title"], "starts_at": _iso(row["session.starts_at"]),
                "ends_at": _iso(row["session.ends_at"]), "status": row["status"], "minutes": row["minutes"],
            }
            for row in attendance
        ],
        "final_tests": [
            {
                "course": row["enrolment.course.title"], "submitted_at": _iso(row["submitted_at"]),
                "score_percent": row["score_percent"], "passed": bool(row["passed"]),
                "on_paper": row["recorded_via"] != "app",
            }
            for row in tests
        ],
        "survey_invitations": [
            {"course": row["survey.course.title"], "answered": bool(row["answered"])} for row in invitations
        ],
        "tutors": [row["tutor.full_name"] for row in tutors],
        "safety_roles": [{"role": row["role"], "level": row["level"], "since": row["since"].isoformat()}
                         for row in safety_roles],
        "external_trainings": [
            {"course_type": row["course_type"], "completed_on": row["completed_on"].isoformat(),
             "hours": row["minutes"] / 60, "provider": row["provider"] or "",
             "certificate_number": row["certificate_number"] or "", "scan_filename": row["scan_filename"] or ""}
            for row in external
        ],
        "accessibility_needs": None,
    }
    if actor.id == person_id:
        needs = await AccessibilityNeeds.select(
            AccessibilityNeeds.step_free_access, AccessibilityNeeds.interpreter, AccessibilityNeeds.easy_read,
            AccessibilityNeeds.companion, AccessibilityNeeds.notes,
        ).where(AccessibilityNeeds.person == person_id).first()
        data["accessibility_needs"] = needs
    else:
        await record_audit_event("person.data_exported", actor_id=actor.id, entity="person", entity_id=person_id)
    return data

