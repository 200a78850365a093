"""Progress: how far each participant of a course is towards the certificate.

Rules kept here, and why:

* The arithmetic is :func:`training_hub.attendance.rules.compute_progress` (pure); this module
  feeds it the course's sessions and minutes with a fixed number of queries whatever the number of
  participants (one aggregate for the minutes, the recorded pairs only for sessions not over yet).
* Who sees whose progress: those who take the course's attendance and admins see every participant;
  coordinators their cooperative's participants (they follow their cooperative's hours); anyone
  else only their own. A coordinator asking about a course she may not even see (another
  cooperative's internal course) is told it does not exist, as in the catalogue.

:func:`progress_from_totals` and :func:`progress_by_enrolment` are shared with the register, the
certificate and the training record, so every document counts hours the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from typing import Any

from training_hub.assessment.results import test_results_by_enrolment
from training_hub.attendance.access import (
    CONFIRMED,
    ENROLMENT_COLUMNS,
    SCHEDULED,
    SESSIONS_SQL,
    by_name,
    can_take_attendance,
    load_course,
    session_out,
)
from training_hub.attendance.rules import Progress, compute_progress, session_minutes
from training_hub.catalogue.access import get_viewable_course
from training_hub.core.db import fetch_all
from training_hub.core.errors import PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import CourseStatus, Role
from training_hub.core.timeutil import to_utc, utcnow

_CONFIRMED_ENROLMENTS_SQL = (
    "SELECT " + ENROLMENT_COLUMNS + "FROM enrolment e JOIN person p ON p.id = e.person "
    "LEFT JOIN cooperative co ON co.id = p.cooperative WHERE e.course = {} AND e.status = {}"
)
_COURSE_MINUTES_SQL = (
    "SELECT a.enrolment AS enrolment_id, SUM(a.minutes) AS minutes FROM attendance a "
    "JOIN course_session s ON s.id = a.session WHERE s.course = {} AND s.status = {} GROUP BY a.enrolment"
)
_COURSE_RECORDED_AHEAD_SQL = (
    "SELECT a.session AS session_id, a.enrolment AS enrolment_id FROM attendance a "
    "JOIN course_session s ON s.id = a.session WHERE s.course = {} AND s.status = {} AND s.ends_at > {}"
)


def progress_from_totals(
    enrolment_ids: list[int],
    sessions: list[dict[str, Any]],
    attended: dict[int, int],
    recorded: set[tuple[int, int]],
    threshold: int,
    now: datetime,
    completed: bool,
) -> dict[int, Progress]:
    """Progress per enrolment from the course's sessions, the minutes attended in its scheduled
    sessions, and which (session, enrolment) pairs are already recorded (only those of sessions not
    over yet matter: they no longer count as remaining)."""
    now = to_utc(now)
    held = [s for s in sessions if s["status"] == SCHEDULED]
    lengths = {s["id"]: session_minutes(s["starts_at"], s["ends_at"]) for s in held}
    scheduled = sum(lengths.values())
    upcoming = [s["id"] for s in held if to_utc(s["ends_at"]) > now] if not completed else []
    finished = completed or (bool(held) and not upcoming)
    out = {}
    for enrolment_id in enrolment_ids:
        remaining = sum(lengths[sid] for sid in upcoming if (sid, enrolment_id) not in recorded)
        out[enrolment_id] = compute_progress(
            scheduled, attended.get(enrolment_id, 0), remaining, threshold, finished=finished
        )
    return out


def progress_by_enrolment(
    enrolment_ids: list[int],
    sessions: list[dict[str, Any]],
    attendance: list[dict[str, Any]],
    threshold: int,
    now: datetime,
    completed: bool,
) -> dict[int, Progress]:
    """The same, from attendance rows (``session_id``, ``enrolment_id``, ``minutes``)."""
    scheduled_ids = {s["id"] for s in sessions if s["status"] == SCHEDULED}
    attended: dict[int, int] = defaultdict(int)
    recorded: set[tuple[int, int]] = set()
    for row in attendance:
        if row["session_id"] in scheduled_ids:
            attended[row["enrolment_id"]] += int(row["minutes"] or 0)
            recorded.add((row["session_id"], row["enrolment_id"]))
    return progress_from_totals(enrolment_ids, sessions, attended, recorded, threshold, now, completed)


def progress_out(progress: Progress) -> dict[str, Any]:
    return {
        "attended_minutes": progress.attended_minutes,
        "scheduled_minutes": progress.scheduled_minutes,
        "remaining_minutes": progress.remaining_minutes,
        "percent": progress.percent,
        "threshold": progress.threshold,
        "required_minutes": progress.required_minutes,
        "certificate_eligible": progress.eligible,
        "at_risk": progress.at_risk,
        "course_finished": progress.finished,
    }


async def course_progress(actor: CurrentUser, course_id: int, *, now: datetime | None = None) -> dict[str, Any]:
    """Per enrolment of the course: minutes attended and scheduled, percent, eligibility, at risk.

    Trainers and admins see every participant; coordinators their cooperative's; a participant
    themselves. A fixed number of queries whatever the number of participants.
    """
    now = now or utcnow()
    course = await load_course(course_id)
    manager = await can_take_attendance(actor, course_id)
    enrolments = by_name(await fetch_all(_CONFIRMED_ENROLMENTS_SQL, course_id, CONFIRMED))
    coordinator_of = actor.cooperative_id if actor.has_role(Role.COORDINATOR) else None
    if not manager:
        enrolments = [
            row for row in enrolments
            if row["person_id"] == actor.id or (coordinator_of is not None and row["cooperative_id"] == coordinator_of)
        ]
        if not enrolments:
            if coordinator_of is None:
                raise PermissionDenied(N_("Puoi vedere la frequenza solo dei corsi che segui o che tieni."))
            # An empty list for a course the coordinator may see; for one they may not (another
            # cooperative's internal course), the same "not found" as its catalogue page.
            await get_viewable_course(actor, course_id)
    sessions = await fetch_all(SESSIONS_SQL, course_id)
    # One aggregate for the minutes; the pairs recorded ahead only for sessions not over yet.
    attended = {
        row["enrolment_id"]: int(row["minutes"] or 0)
        for row in await fetch_all(_COURSE_MINUTES_SQL, course_id, SCHEDULED)
    }
    recorded = {
        (row["session_id"], row["enrolment_id"])
        for row in await fetch_all(_COURSE_RECORDED_AHEAD_SQL, course_id, SCHEDULED, to_utc(now))
    }
    progress = progress_from_totals(
        [row["enrolment_id"] for row in enrolments], sessions, attended, recorded,
        course["attendance_threshold"], now, course["status"] == CourseStatus.COMPLETED.value,
    )
    # The certificate also needs the final test passed where the course has one (safety courses):
    # the summary says "attestato disponibile" only when the attestato would be issued.
    tests = await test_results_by_enrolment(course_id)
    rows = [{**row, "progress": _with_test(progress[row["enrolment_id"]], tests.test_passed(row["enrolment_id"]))}
            for row in enrolments]
    held = [s for s in sessions if s["status"] == SCHEDULED]
    return {
        "course": course,
        "sessions": [session_out(s) for s in sessions],
        "scheduled_minutes": sum(session_minutes(s["starts_at"], s["ends_at"]) for s in held),
        "rows": rows,
        "can_manage": manager,
        "scope": "all" if manager else ("cooperative" if coordinator_of is not None else "own"),
    }


def _with_test(progress: Progress, passed: bool | None) -> Progress:
    return replace(progress, eligible=False) if passed is False and progress.eligible else progress


def course_progress_out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "enrolment_id": row["enrolment_id"],
        "person_id": row["person_id"],
        "full_name": row["full_name"],
        **progress_out(row["progress"]),
    }

