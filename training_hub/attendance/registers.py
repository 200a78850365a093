"""The course register: what the PDF prints and the CSV and XLSX list (see :mod:`.documents`).

Rules kept here, and why:

* Only those who take the course's attendance and admins download it — the same rule as the roll
  call (:func:`~training_hub.attendance.access.can_take_attendance`), and the same rule that decides
  whether the course pages show the register links.
* Registers are funder-ready (DESIGN): per session the date, times, topics, trainer and place, each
  participant's status and minutes, then each participant's totals against the course's threshold.
  Cancelled sessions are left out. People who attended and later left the course stay on the
  sessions they attended: their rows are history, and a funder audits what happened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from training_hub.attendance.access import (
    CONFIRMED,
    ENROLMENT_COLUMNS,
    SCHEDULED,
    SESSIONS_SQL,
    by_name,
    load_course,
    place_of,
    require_attendance_taker,
)
from training_hub.attendance.progress import progress_by_enrolment
from training_hub.attendance.rules import Progress, session_minutes
from training_hub.core.db import fetch_all
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import CourseStatus
from training_hub.core.timeutil import to_utc, utcnow

# The register also lists people who attended and later left the course: their rows are history.
_REGISTER_ENROLMENTS_SQL = (
    "SELECT " + ENROLMENT_COLUMNS + "FROM enrolment e JOIN person p ON p.id = e.person "
    "LEFT JOIN cooperative co ON co.id = p.cooperative WHERE e.course = {} AND (e.status = {} OR e.id IN "
    "(SELECT a.enrolment FROM attendance a JOIN course_session s ON s.id = a.session WHERE s.course = {}))"
)
_COURSE_ATTENDANCE_SQL = (
    "SELECT a.id, a.session AS session_id, a.enrolment AS enrolment_id, a.status, a.minutes, a.arrived_at, "
    "a.left_at, a.recorded_via, a.recorded_at FROM attendance a JOIN course_session s ON s.id = a.session "
    "WHERE s.course = {}"
)
_COURSE_TRAINERS_SQL = (
    "SELECT p.id, p.full_name FROM course_trainer ct JOIN person p ON p.id = ct.person WHERE ct.course = {}"
)


@dataclass
class RegisterLine:
    number: int
    enrolment_id: int
    full_name: str
    codice_fiscale: str
    cooperative: str
    status: str | None  # labelled by the documents, always in Italian
    arrived_at: datetime | None
    left_at: datetime | None
    minutes: int | None


@dataclass
class RegisterSession:
    id: int
    starts_at: datetime
    ends_at: datetime
    minutes: int
    topics: str
    trainer_name: str
    place: str
    lines: list[RegisterLine] = field(default_factory=list)


@dataclass
class RegisterTotal:
    full_name: str
    codice_fiscale: str
    cooperative: str
    progress: Progress


@dataclass
class RegisterData:
    course_id: int
    course_title: str
    path_title: str
    path_kind: str
    funder_plan_code: str
    threshold: int
    trainers: list[str]
    sessions: list[RegisterSession]
    totals: list[RegisterTotal]
    generated_at: datetime


async def register_data(actor: CurrentUser, course_id: int, *, now: datetime | None = None) -> RegisterData:
    """Everything the register prints (PDF) or lists (CSV, XLSX); cancelled sessions are left out."""
    now = now or utcnow()
    course = await load_course(course_id)
    await require_attendance_taker(
        actor, course_id, N_("Il registro presenze è riservato ai formatori del corso e all'ufficio formazione.")
    )
    sessions = await fetch_all(SESSIONS_SQL, course_id)
    enrolments = by_name(await fetch_all(_REGISTER_ENROLMENTS_SQL, course_id, CONFIRMED, course_id))
    attendance = await fetch_all(_COURSE_ATTENDANCE_SQL, course_id)
    trainers = sorted((row["full_name"] for row in await fetch_all(_COURSE_TRAINERS_SQL, course_id)), key=str.casefold)
    by_pair = {(row["session_id"], row["enrolment_id"]): row for row in attendance}
    register_sessions = []
    for session in sessions:
        if session["status"] != SCHEDULED:
            continue
        lines = []
        for enrolment in enrolments:
            row = by_pair.get((session["id"], enrolment["enrolment_id"]))
            if row is None and enrolment["enrolment_status"] != CONFIRMED:
                continue  # no longer enrolled and never recorded here: not part of this session
            lines.append(RegisterLine(
                number=len(lines) + 1,
                enrolment_id=enrolment["enrolment_id"],
                full_name=enrolment["full_name"],
                codice_fiscale=enrolment["codice_fiscale"] or "",
                cooperative=enrolment["cooperative_name"] or "",
                status=row["status"] if row else None,
                arrived_at=row["arrived_at"] if row else None,
                left_at=row["left_at"] if row else None,
                minutes=int(row["minutes"]) if row else None,
            ))
        register_sessions.append(RegisterSession(
            id=session["id"],
            starts_at=session["starts_at"],
            ends_at=session["ends_at"],
            minutes=session_minutes(session["starts_at"], session["ends_at"]),
            topics=session["topics"] or "",
            trainer_name=session["trainer_name"] or ", ".join(trainers),
            place=place_of(session),
            lines=lines,
        ))
    progress = progress_by_enrolment(
        [row["enrolment_id"] for row in enrolments], sessions, attendance,
        course["attendance_threshold"], now, course["status"] == CourseStatus.COMPLETED.value,
    )
    totals = [
        RegisterTotal(row["full_name"], row["codice_fiscale"] or "", row["cooperative_name"] or "",
                      progress[row["enrolment_id"]])
        for row in enrolments
    ]
    return RegisterData(
        course_id=course_id,
        course_title=course["title"],
        path_title=course["path_title"],
        path_kind=course["path_kind"],
        funder_plan_code=course["funder_plan_code"] or "",
        threshold=course["attendance_threshold"],
        trainers=trainers,
        sessions=register_sessions,
        totals=totals,
        generated_at=to_utc(now),
    )

