"""A session's times changed after its roll call: warn first, then re-clip the recorded minutes.

A session held 17:45–18:00 with a person marked present was edited to 17:00–17:30 and saved with no
warning; the person kept 15 minutes of a 30-minute session and dropped to 50%, "soglia non più
raggiungibile" (issue 13, item 2). Now, through the hooks of ``core/events.py`` (the catalogue moves
sessions and sits below attendance):

* **before saving** (:func:`rescheduling_warnings`, on ``session_times_checking``): a session with
  recorded attendance gets a warning to confirm, and one more per person whose share of the course's
  hours changes, naming them with the percent before and after — a trainer may see who attends;
* **when saving** (:func:`reclip_attendance`, on ``session_times_changed``, inside the same
  transaction): every recorded line is worked out again on the new times with the rules of
  ``rules.attended_minutes`` — present counts the whole new length, late and left-early keep their
  entry and exit instants clipped to the new times (typed minutes clipped to the new length), absent
  stays 0. An ``attendance.reclipped`` audit event says how many lines changed (nothing about who).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from training_hub.attendance.rules import attended_minutes, session_minutes
from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all
from training_hub.core.errors import Issue
from training_hub.core.i18n import N_
from training_hub.core.tables import Attendance, AttendanceStatus

LINES_SQL = (
    "SELECT a.id, a.enrolment, a.status, a.minutes, a.arrived_at, a.left_at, s.course, s.starts_at, s.ends_at, "
    "p.full_name FROM attendance a JOIN course_session s ON s.id = a.session "
    "JOIN enrolment e ON e.id = a.enrolment JOIN person p ON p.id = e.person WHERE a.session = {} ORDER BY p.full_name"
)
# The course's scheduled minutes and each enrolment's attended minutes, on the sessions held as planned.
COURSE_SQL = (
    "SELECT s.id, s.starts_at, s.ends_at FROM course_session s WHERE s.course = {} AND s.status = 'scheduled'"
)
ATTENDED_SQL = (
    "SELECT a.enrolment, SUM(a.minutes) AS minutes FROM attendance a JOIN course_session s ON s.id = a.session "
    "WHERE s.course = {} AND s.status = 'scheduled' GROUP BY a.enrolment"
)


def _new_minutes(line: dict[str, Any], starts_at: datetime, ends_at: datetime) -> int:
    """The line's minutes on the new times (typed minutes of a partial line without times: clipped)."""
    status = line["status"]
    if status in (AttendanceStatus.LATE.value, AttendanceStatus.LEFT_EARLY.value) and not (
            line["arrived_at"] or line["left_at"]):
        return attended_minutes(status, starts_at, ends_at, minutes=line["minutes"])
    return attended_minutes(status, starts_at, ends_at, arrived_at=line["arrived_at"], left_at=line["left_at"])


def _percent(attended: int, scheduled: int) -> float:
    """As the progress shows it: rounded down to one decimal (``rules.compute_progress``)."""
    return math.floor(attended * 1000 / scheduled) / 10 if scheduled > 0 else 0.0


def _shown(percent: float) -> str:
    return f"{percent:.1f}".replace(".", ",").replace(",0", "") + "%"


async def rescheduling_warnings(*, session_id: int, starts_at: datetime, ends_at: datetime, **_: Any) -> list[Issue]:
    """The warnings of moving a session with recorded attendance to ``starts_at``–``ends_at``."""
    lines = await fetch_all(LINES_SQL, session_id)
    if not lines:
        return []
    course_id = lines[0]["course"]
    sessions = await fetch_all(COURSE_SQL, course_id)
    scheduled = sum(session_minutes(s["starts_at"], s["ends_at"]) for s in sessions)
    old_length = session_minutes(lines[0]["starts_at"], lines[0]["ends_at"])
    new_scheduled = scheduled - old_length + session_minutes(starts_at, ends_at)
    attended = {row["enrolment"]: int(row["minutes"] or 0) for row in await fetch_all(ATTENDED_SQL, course_id)}
    issues = [Issue(code="attendance_recorded", severity="warning", message=N_(
        "L'incontro ha già le presenze di %(num)d persone: i minuti registrati saranno ricalcolati sui nuovi "
        "orari."), params={"num": len(lines)})]
    for line in lines:
        total = attended.get(line["enrolment"], 0)
        before = _percent(total, scheduled)
        after = _percent(total - int(line["minutes"] or 0) + _new_minutes(line, starts_at, ends_at), new_scheduled)
        if before != after:
            issues.append(Issue(code="attendance_percent_changes", severity="warning", message=N_(
                "%(name)s: la presenza al corso cambia da %(before)s a %(after)s."),
                params={"name": line["full_name"], "before": _shown(before), "after": _shown(after)}))
    return issues


async def reclip_attendance(*, session_id: int, starts_at: datetime, ends_at: datetime, actor_id: int | None = None,
                            **_: Any) -> int:
    """Work the session's recorded minutes out again on its new times; how many lines changed."""
    changed = 0
    for line in await fetch_all(LINES_SQL, session_id):
        minutes = _new_minutes(line, starts_at, ends_at)
        if minutes != line["minutes"]:
            await Attendance.update({Attendance.minutes: minutes}).where(Attendance.id == line["id"])
            changed += 1
    if changed:
        await record_audit_event("attendance.reclipped", actor_id=actor_id, entity="session", entity_id=session_id,
                                 data={"session_id": session_id, "lines_changed": changed})
    return changed
