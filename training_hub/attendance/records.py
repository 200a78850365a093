"""A person's training record and a cooperative's overview of the courses its workers attend.

Rules kept here, and why:

* Training record (``/my/training``, ``/people/{id}/training``): a person's current and completed
  courses with hours per year and per kind of path. The person, admins, coordinators of the
  person's cooperative (they follow their cooperative's hours) and the person's tutors (they enrol and
  follow them); anyone else is told the person does not exist. Every read by someone other than the
  person leaves an audit row (``training_record.read``: who, whom, when — never the content), since
  a record may show an inclusion pathway. Cancelled courses are left out; hours count only held (non-cancelled) sessions.
* Cooperative overview (``/cooperative/attendance``): the courses a cooperative's workers attend
  now, each participant's progress, the people at risk first, so a coordinator can step in before
  the threshold is out of reach. Coordinators see their own cooperative; admins the one they choose.
  Finished courses are left to each person's training record.

Both count hours as the register and the certificate do (:mod:`.progress`), with a fixed number of
queries whatever the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from training_hub.attendance.access import CONFIRMED, SCHEDULED, by_name
from training_hub.attendance.progress import progress_by_enrolment, progress_from_totals
from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, fetch_one, is_possible_id
from training_hub.core.errors import NotFound, PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import CourseStatus, Role
from training_hub.core.timeutil import to_rome, to_utc, utcnow

_PERSON_SQL = "SELECT id, full_name, codice_fiscale, cooperative, active FROM person WHERE id = {}"
_PERSON_ENROLMENTS_SQL = (
    "SELECT e.id AS enrolment_id, e.certificate_code, c.id AS course_id, c.title, c.status AS course_status, "
    "c.attendance_threshold, tp.title AS path_title, tp.kind AS path_kind "
    "FROM enrolment e JOIN course c ON c.id = e.course JOIN training_path tp ON tp.id = c.path "
    "WHERE e.person = {} AND e.status = {} AND c.status != {}"
)
_PERSON_SESSIONS_SQL = (
    "SELECT s.id, s.course AS course_id, s.starts_at, s.ends_at, s.status FROM course_session s "
    "WHERE s.course IN (SELECT e.course FROM enrolment e WHERE e.person = {} AND e.status = {})"
)
_PERSON_ATTENDANCE_SQL = (
    "SELECT a.session AS session_id, a.enrolment AS enrolment_id, a.status, a.minutes "
    "FROM attendance a JOIN enrolment e ON e.id = a.enrolment WHERE e.person = {} AND e.status = {}"
)


async def training_record(actor: CurrentUser, person_id: int, *, now: datetime | None = None) -> dict[str, Any]:
    """A person's courses (current and completed) with hours per year and per kind of path.

    The person themselves, admins, coordinators of the person's cooperative and the person's tutors;
    a read of someone else's record is audited.
    """
    now = to_utc(now or utcnow())
    person = await fetch_one(_PERSON_SQL, person_id) if is_possible_id(person_id) else None
    allowed = person is not None and (
        actor.is_admin
        or person_id == actor.id
        or (actor.has_role(Role.COORDINATOR) and actor.cooperative_id is not None
            and person["cooperative"] == actor.cooperative_id)
        or (actor.has_role(Role.TUTOR) and await fetch_one(
            "SELECT 1 AS yes FROM tutor_link WHERE tutor = {} AND person = {}", actor.id, person_id) is not None)
    )
    if not allowed:
        raise NotFound(N_("Persona non trovata."))
    if person_id != actor.id:
        await record_audit_event("training_record.read", actor_id=actor.id, entity="person", entity_id=person_id)
    enrolments = await fetch_all(_PERSON_ENROLMENTS_SQL, person_id, CONFIRMED, CourseStatus.CANCELLED.value)
    sessions = await fetch_all(_PERSON_SESSIONS_SQL, person_id, CONFIRMED)
    attendance = await fetch_all(_PERSON_ATTENDANCE_SQL, person_id, CONFIRMED)
    sessions_by_course: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for session in sessions:
        sessions_by_course[session["course_id"]].append(session)
    attendance_by_enrolment: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in attendance:
        attendance_by_enrolment[row["enrolment_id"]].append(row)
    session_index = {s["id"]: s for s in sessions if s["status"] == SCHEDULED}
    items = []
    by_year: dict[int, int] = defaultdict(int)
    by_kind: dict[str, int] = defaultdict(int)
    for enrolment in enrolments:
        course_sessions = sessions_by_course.get(enrolment["course_id"], [])
        rows = attendance_by_enrolment.get(enrolment["enrolment_id"], [])
        progress = progress_by_enrolment(
            [enrolment["enrolment_id"]], course_sessions, rows, enrolment["attendance_threshold"], now,
            enrolment["course_status"] == CourseStatus.COMPLETED.value,
        )[enrolment["enrolment_id"]]
        for row in rows:
            session = session_index.get(row["session_id"])
            if session is not None and row["minutes"]:
                by_year[to_rome(session["starts_at"]).year] += int(row["minutes"])
                by_kind[enrolment["path_kind"]] += int(row["minutes"])
        held = [s for s in course_sessions if s["status"] == SCHEDULED]
        items.append({
            **enrolment,
            "progress": progress,
            "completed": progress.finished,
            "first_day": min((s["starts_at"] for s in held), default=None),
            "last_day": max((s["ends_at"] for s in held), default=None),
        })
    far_future = datetime.max.replace(tzinfo=now.tzinfo)
    items.sort(key=lambda item: (item["first_day"] or far_future, item["title"].casefold()))
    return {
        "person": {"id": person["id"], "full_name": person["full_name"], "cooperative_id": person["cooperative"]},
        "current": [item for item in items if not item["completed"]],
        "completed": [item for item in items if item["completed"]],
        "items": items,
        "by_year": sorted(by_year.items()),
        "by_kind": sorted(by_kind.items()),
        "total_minutes": sum(by_year.values()),
    }


# A cooperative's overview ------------------------------------------------------------------------

_COOP_ENROLMENTS_SQL = (
    "SELECT e.id AS enrolment_id, e.course AS course_id, p.id AS person_id, p.full_name, c.title, "
    "c.status AS course_status, c.attendance_threshold FROM enrolment e JOIN person p ON p.id = e.person "
    "JOIN course c ON c.id = e.course WHERE p.cooperative = {} AND e.status = {} AND c.status != {}"
)
_COOP_SESSIONS_SQL = (
    "SELECT s.id, s.course AS course_id, s.starts_at, s.ends_at, s.status FROM course_session s "
    "WHERE s.course IN (SELECT e.course FROM enrolment e JOIN person p ON p.id = e.person "
    "WHERE p.cooperative = {} AND e.status = {})"
)
_COOP_MINUTES_SQL = (
    "SELECT a.enrolment AS enrolment_id, SUM(a.minutes) AS minutes FROM attendance a "
    "JOIN course_session s ON s.id = a.session JOIN enrolment e ON e.id = a.enrolment "
    "JOIN person p ON p.id = e.person WHERE p.cooperative = {} AND e.status = {} AND s.status = {} "
    "GROUP BY a.enrolment"
)
_COOP_RECORDED_AHEAD_SQL = (
    "SELECT a.session AS session_id, a.enrolment AS enrolment_id FROM attendance a "
    "JOIN course_session s ON s.id = a.session JOIN enrolment e ON e.id = a.enrolment "
    "JOIN person p ON p.id = e.person WHERE p.cooperative = {} AND e.status = {} AND s.status = {} "
    "AND s.ends_at > {}"
)


async def cooperative_progress(
    actor: CurrentUser, *, cooperative_id: int | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """The courses a cooperative's workers are attending now, each participant's progress, the
    people at risk first. Coordinators see their own cooperative; admins the one they choose."""
    now = to_utc(now or utcnow())
    if actor.is_admin:
        if cooperative_id is None:
            return {"cooperative_id": None, "courses": []}
    elif actor.has_role(Role.COORDINATOR) and actor.cooperative_id is not None:
        if cooperative_id not in (None, actor.cooperative_id):
            raise PermissionDenied(N_("Puoi vedere solo la frequenza della tua cooperativa."))
        cooperative_id = actor.cooperative_id
    else:
        raise PermissionDenied(N_("Questa pagina è per i coordinatori delle cooperative e l'ufficio formazione."))
    if not is_possible_id(cooperative_id):
        raise NotFound(N_("Cooperativa non trovata."))
    enrolments = await fetch_all(_COOP_ENROLMENTS_SQL, cooperative_id, CONFIRMED, CourseStatus.CANCELLED.value)
    sessions = await fetch_all(_COOP_SESSIONS_SQL, cooperative_id, CONFIRMED)
    attended = {
        row["enrolment_id"]: int(row["minutes"] or 0)
        for row in await fetch_all(_COOP_MINUTES_SQL, cooperative_id, CONFIRMED, SCHEDULED)
    }
    recorded = {
        (row["session_id"], row["enrolment_id"])
        for row in await fetch_all(_COOP_RECORDED_AHEAD_SQL, cooperative_id, CONFIRMED, SCHEDULED, now)
    }
    sessions_by_course: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for session in sessions:
        sessions_by_course[session["course_id"]].append(session)
    courses: dict[int, dict[str, Any]] = {}
    for row in by_name(enrolments):
        course_sessions = sessions_by_course.get(row["course_id"], [])
        progress = progress_from_totals(
            [row["enrolment_id"]], course_sessions, attended, recorded, row["attendance_threshold"], now,
            row["course_status"] == CourseStatus.COMPLETED.value,
        )[row["enrolment_id"]]
        if progress.finished:
            continue  # finished courses are in each person's training record
        held = [s for s in course_sessions if s["status"] == SCHEDULED]
        course = courses.setdefault(row["course_id"], {
            "id": row["course_id"],
            "title": row["title"],
            "first_day": min((s["starts_at"] for s in held), default=None),
            "last_day": max((s["ends_at"] for s in held), default=None),
            "rows": [],
        })
        course["rows"].append({**row, "progress": progress})
    ordered = sorted(courses.values(), key=lambda c: (c["first_day"] is None, c["first_day"] or now, c["title"]))
    for course in ordered:
        course["rows"].sort(key=lambda r: not r["progress"].at_risk)  # stable: at risk first, then by name
        course["at_risk"] = sum(1 for r in course["rows"] if r["progress"].at_risk)
    return {"cooperative_id": cooperative_id, "courses": ordered}
