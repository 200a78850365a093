"""Importing a videoconference's participant report into a session's attendance (DESIGN.md "Online
attendance evidence").

``import_report`` reads the file (``online_reports``), matches it to the session's confirmed enrolments
and computes minutes (``online_minutes``). With ``dry_run`` nothing is written: the trainer sees rows,
unmatched accounts and anomalies first. Without it, and only when no anomaly blocks (a reversed
connection, an e-mail shared by two enrolments, a report of another session), every enrolment's
attendance is recorded in one transaction (``recorded_via = import``) with the connections themselves,
which the fund's register prints in place of signatures. A file that cannot be read records nothing.

Who: those who take the course's attendance, in the same window as a roll call (from 15 minutes before
the start to 7 days after the end; later only admins, as a correction).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from training_hub.attendance.access import CONFIRMED, SCHEDULED, load_session, require_attendance_taker
from training_hub.attendance.rules import recording_state, session_minutes
from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, lock_for_update, write_transaction
from training_hub.core.errors import (
    AttendanceClosed,
    AttendanceNotOpen,
    InvalidState,
    Issue,
    ValidationFailed,
)
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import Attendance, AttendanceStatus, RecordedVia, Session
from training_hub.core.timeutil import to_utc, utcnow
from training_hub.funding.online_minutes import EnrolmentContact, EnrolmentMinutes, compute_online_attendance
from training_hub.funding.online_reports import parse_report
from training_hub.funding.tables import OnlineConnection

MAX_REPORT_BYTES = 2 * 1024 * 1024
# Arriving or leaving within this of the start or end is being there (the classroom's tolerance).
ON_TIME = timedelta(minutes=10)
REFUSED = N_("Solo i formatori del corso e l'ufficio formazione importano le presenze.")


def _status(row: EnrolmentMinutes, start: datetime, end: datetime) -> str:
    if row.minutes <= 0 or not row.intervals:
        return AttendanceStatus.ABSENT.value
    if to_utc(row.intervals[0].start) > start + ON_TIME:
        return AttendanceStatus.LATE.value
    if to_utc(row.intervals[-1].end) < end - ON_TIME:
        return AttendanceStatus.LEFT_EARLY.value
    return AttendanceStatus.PRESENT.value


async def import_report(user: CurrentUser, session_id: int, content: bytes, *, layout: str | None = None,
                        dry_run: bool = True, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    session = await load_session(session_id)
    await require_attendance_taker(user, session["course_id"], REFUSED)
    if session["status"] != SCHEDULED:
        raise InvalidState(N_("L'incontro è stato annullato: non si registrano presenze."))
    if not content:
        raise ValidationFailed(N_("Scegli il file del report."), field="file")
    if len(content) > MAX_REPORT_BYTES:
        raise ValidationFailed(N_("Il file è troppo grande (al massimo 2 MB)."), field="file")
    start, end = to_utc(session["starts_at"]), to_utc(session["ends_at"])
    report = parse_report(content, session_start=start, session_end=end, layout=layout or None)
    enrolments = [EnrolmentContact(row["id"], row["email"], row["person_id"]) for row in await fetch_all(
        "SELECT e.id, p.id AS person_id, p.email FROM enrolment e JOIN person p ON p.id = e.person "
        "WHERE e.course = {} AND e.status = {} ORDER BY p.full_name, e.id", session["course_id"], CONFIRMED)]
    result = compute_online_attendance(report.rows, session_start=start, session_end=end, enrolments=enrolments)
    out = {**result.as_dict(), "layout": report.layout, "recorded": False,
           "session_minutes": session_minutes(start, end)}
    names = {row["id"]: row for row in await fetch_all(
        "SELECT e.id, p.full_name FROM enrolment e JOIN person p ON p.id = e.person WHERE e.course = {}",
        session["course_id"])}
    statuses = {row.enrolment_id: _status(row, start, end) for row in result.rows}
    for row in out["rows"]:
        row["full_name"] = names.get(row["enrolment_id"], {}).get("full_name", "")
        row["status"] = statuses[row["enrolment_id"]]
    if dry_run:
        return out
    if not result.can_record:
        raise ValidationFailed(
            N_("Il report ha problemi che impediscono di registrare: non è stato registrato nulla."), field="file",
            issues=[Issue(anomaly.code, anomaly.message, field="file", params=anomaly.params)
                    for anomaly in result.blocking])
    state = recording_state(start, end, now)
    if state == "not_open":
        raise AttendanceNotOpen(N_("Le presenze si registrano da 15 minuti prima dell'inizio dell'incontro."))
    if state == "closed" and not user.is_admin:
        raise AttendanceClosed(
            N_("Sono passati più di 7 giorni dalla fine dell'incontro: le correzioni spettano all'ufficio formazione."))
    async with write_transaction():
        await lock_for_update(Session.select(Session.id).where(Session.id == session_id))
        existing = {row["enrolment"]: row["id"] for row in await Attendance.select(
            Attendance.id, Attendance.enrolment).where(Attendance.session == session_id)}
        await OnlineConnection.delete().where(OnlineConnection.session == session_id)
        new_rows, connections = [], []
        for row in result.rows:
            first = row.intervals[0].start if row.intervals else None
            last = row.intervals[-1].end if row.intervals else None
            values = {Attendance.status: _status(row, start, end), Attendance.minutes: row.minutes,
                      Attendance.arrived_at: first, Attendance.left_at: last,
                      Attendance.recorded_via: RecordedVia.IMPORT.value, Attendance.recorded_by: user.id,
                      Attendance.recorded_at: now}
            if row.enrolment_id in existing:
                await Attendance.update(values).where(Attendance.id == existing[row.enrolment_id])
            else:
                new_rows.append(Attendance(session=session_id, enrolment=row.enrolment_id,
                                           **{column._meta.name: value for column, value in values.items()}))
            identity = ", ".join(row.platform_identities)[:254]
            connections.extend(OnlineConnection(session=session_id, enrolment=row.enrolment_id, joined_at=interval.start,
                                                left_at=interval.end, platform_identity=identity, layout=report.layout,
                                                imported_by=user.id, imported_at=now) for interval in row.intervals)
        if new_rows:
            await Attendance.insert(*new_rows)
        if connections:
            await OnlineConnection.insert(*connections)
        # Counts only: no e-mail, no name in the audit trail.
        await record_audit_event("attendance.imported", actor_id=user.id, entity="session", entity_id=session_id,
                                 data={"layout": report.layout, "rows": len(result.rows),
                                       "unmatched": len(result.unmatched), "anomalies": len(result.anomalies),
                                       "correction": state == "closed"})
    out["recorded"] = True
    return out
