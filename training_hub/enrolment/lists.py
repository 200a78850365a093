"""Lists of enrolments: a course's participants, one's own, a cooperative's, a tutor's people, the
requests waiting for a decision, and whom and where one may enrol.

Each list is one or two statements whatever its length. The participant list shows everyone to the
course's managers and trainers, only their own cooperative's people to other coordinators (positions
stay those of the whole list); accessibility needs only to admins and the course's trainers (special-
category data, see ``needs.py``). Waiting-list positions come from ``seats.state``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from training_hub.catalogue.access import teaches as catalogue_teaches
from training_hub.catalogue.access import visible_courses_sql
from training_hub.core.db import fetch_all
from training_hub.core.errors import PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import EnrolmentStatus, Role
from training_hub.core.timeutil import utcnow
from training_hub.enrolment.eligibility import (
    LIVE,
    is_late,
    may_decide_approvals,
    may_manage_course,
    may_see_participants,
    sees_whole_list,
    visible_course,
)
from training_hub.enrolment.needs import (
    NEEDS_SQL,
    audit_needs_reads,
    needs_out,
    people_whose_needs_trainer_sees,
    step_free_warnings,
)
from training_hub.seats.facts import CourseFacts, cancellation_deadline_of
from training_hub.seats.state import count_sql, waitlist_ahead_sql

COURSE_ENROLMENTS_SQL = (
    "SELECT e.id, e.person, e.status, e.enrolled_via, e.created_at, e.waitlisted_at, e.confirmed_at, "
    "e.decided_at, e.decision_reason, e.cancelled_at, e.cancel_reason, p.full_name, p.email, p.cooperative, "
    "co.name AS cooperative_name, b.full_name AS enrolled_by_name "
    "FROM enrolment e JOIN person p ON p.id = e.person "
    "LEFT JOIN cooperative co ON co.id = p.cooperative LEFT JOIN person b ON b.id = e.enrolled_by "
    "WHERE e.course = {} ORDER BY e.id"
)


@dataclass
class CourseEnrolments:
    course: CourseFacts
    confirmed: list[dict[str, Any]]
    waitlist: list[dict[str, Any]]
    pending: list[dict[str, Any]]
    closed: list[dict[str, Any]]  # cancelled and rejected
    seats_taken: int
    waitlist_length: int
    pending_count: int
    shows_needs: bool
    can_decide: bool
    can_manage: bool
    only_cooperative_id: int | None
    step_free_warnings: list[dict[str, Any]] = field(default_factory=list)

    def items(self) -> list[dict[str, Any]]:
        return self.confirmed + self.waitlist + self.pending + self.closed


def _enrolment_out(row: dict[str, Any], position: int | None) -> dict[str, Any]:
    return {
        "id": row["id"],
        "person_id": row["person"],
        "full_name": row["full_name"],
        "email": row["email"],
        "cooperative_id": row["cooperative"],
        "cooperative_name": row["cooperative_name"],
        "status": row["status"],
        "waitlist_position": position,
        "enrolled_via": row["enrolled_via"],
        "enrolled_by_name": row["enrolled_by_name"],
        "created_at": row["created_at"],
        "confirmed_at": row["confirmed_at"],
        "decided_at": row["decided_at"],
        "decision_reason": row["decision_reason"] or "",
        "cancelled_at": row["cancelled_at"],
        "cancel_reason": row["cancel_reason"] or "",
    }


async def list_course_enrolments(actor: CurrentUser, course_id: int) -> CourseEnrolments:
    """The participant list: confirmed, waiting list in order, pending requests, cancelled/rejected.

    Admins, the course's trainers (a session's trainer too) and the owning coordinator see everyone;
    other coordinators only the people of their cooperative (positions stay those of the whole list). Accessibility needs are
    included only for admins and the course's trainers. Two or three queries, whatever the size.
    """
    course = await visible_course(actor, course_id)
    if not may_see_participants(actor, course):
        raise PermissionDenied(
            N_(
                "Solo l'ufficio formazione, i formatori del corso e i coordinatori possono vedere "
                "gli iscritti."
            )
        )
    manager = may_manage_course(actor, course)
    only = None if sees_whole_list(actor, course) else actor.cooperative_id
    teaches = catalogue_teaches(actor, course)
    shows_needs = actor.is_admin or teaches
    rows = await fetch_all(COURSE_ENROLMENTS_SQL, course_id)
    needs = {}
    if shows_needs:
        needs = {row["person"]: needs_out(row) for row in await fetch_all(NEEDS_SQL, course_id)}
        if not actor.is_admin:
            allowed = await people_whose_needs_trainer_sees(
                actor, {r["person"]: r["cooperative"] for r in rows if r["person"] in needs},
                course_id=course_id, teaches=teaches,
            )
            needs = {person: value for person, value in needs.items() if person in allowed}
        await audit_needs_reads(actor, sorted(needs), course_id=course_id)
    waiting = sorted(
        (r for r in rows if r["status"] == EnrolmentStatus.WAITLISTED),
        key=lambda r: (r["waitlisted_at"], r["id"]),
    )
    positions = {row["id"]: index for index, row in enumerate(waiting, start=1)}
    groups: dict[str, list[dict[str, Any]]] = {"confirmed": [], "waitlisted": [], "pending": [], "closed": []}
    for row in sorted(rows, key=lambda r: (positions.get(r["id"], 0), r["id"])):
        if only is not None and row["cooperative"] != only:
            continue
        item = _enrolment_out(row, positions.get(row["id"]))
        item["may_cancel"] = row["status"] in LIVE and (
            actor.is_admin
            or (
                actor.has_role(Role.COORDINATOR)
                and actor.cooperative_id is not None
                and row["cooperative"] == actor.cooperative_id
            )
        )
        if shows_needs:
            item["accessibility"] = needs.get(row["person"]) if row["status"] in LIVE else None
        key = row["status"] if row["status"] in LIVE else "closed"
        groups[key].append(item)
    result = CourseEnrolments(
        course=course,
        confirmed=groups["confirmed"],
        waitlist=groups["waitlisted"],
        pending=groups["pending"],
        closed=groups["closed"],
        seats_taken=sum(1 for r in rows if r["status"] == EnrolmentStatus.CONFIRMED),
        waitlist_length=len(waiting),
        pending_count=sum(1 for r in rows if r["status"] == EnrolmentStatus.PENDING),
        shows_needs=shows_needs,
        can_decide=may_decide_approvals(actor, course),
        can_manage=manager,
        only_cooperative_id=only,
    )
    if shows_needs:
        result.step_free_warnings = await step_free_warnings(course_id)
    return result


PERSON_ENROLMENTS_SQL = (
    "SELECT e.id, e.person, e.course, e.status, e.enrolled_via, e.created_at, e.confirmed_at, "
    "e.decision_reason, "
    "e.cancelled_at, c.title, c.status AS course_status, c.starts_at, c.ends_at, c.cancellation_deadline, "
    f"p.full_name, {waitlist_ahead_sql('e')} AS ahead "
    "FROM enrolment e JOIN course c ON c.id = e.course JOIN person p ON p.id = e.person "
)


def person_enrolment_out(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    deadline = cancellation_deadline_of(row)
    live = row["status"] in LIVE
    late = is_late(row["status"], deadline, now)
    return {
        "id": row["id"],
        "person_id": row["person"],
        "full_name": row["full_name"],
        "course_id": row["course"],
        "course_title": row["title"],
        "course_status": row["course_status"],
        "starts_at": row["starts_at"],
        "ends_at": row["ends_at"],
        "status": row["status"],
        "waitlist_position": int(row["ahead"]) + 1 if row["status"] == EnrolmentStatus.WAITLISTED else None,
        "enrolled_via": row["enrolled_via"],
        "created_at": row["created_at"],
        "cancellation_deadline": deadline,
        "can_cancel": live and not late,
        "decision_reason": row["decision_reason"] or "",
    }


def _upcoming_first(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(items, key=lambda item: (item["status"] not in LIVE, item["starts_at"] or far, item["id"]))


async def my_enrolments(actor: CurrentUser, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """The actor's enrolments, live ones first by start date, with waiting-list positions (one query)."""
    now = now or utcnow()
    rows = await fetch_all(PERSON_ENROLMENTS_SQL + "WHERE e.person = {}", actor.id)
    return _upcoming_first([person_enrolment_out(row, now) for row in rows])


async def cooperative_enrolments(
    actor: CurrentUser, cooperative_id: int | None = None, *, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The enrolments of a cooperative's people: coordinators their own, admins any (one query)."""
    now = now or utcnow()
    if actor.is_admin:
        if cooperative_id is None:
            return []
    elif actor.has_role(Role.COORDINATOR) and actor.cooperative_id is not None:
        if cooperative_id not in (None, actor.cooperative_id):
            raise PermissionDenied(N_("Puoi vedere solo le iscrizioni della tua cooperativa."))
        cooperative_id = actor.cooperative_id
    else:
        raise PermissionDenied(
            N_("Solo i coordinatori e l'ufficio formazione vedono le iscrizioni di una cooperativa.")
        )
    rows = await fetch_all(PERSON_ENROLMENTS_SQL + "WHERE p.cooperative = {}", cooperative_id)
    return _upcoming_first([person_enrolment_out(row, now) for row in rows])


async def followed_people(actor: CurrentUser, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """A tutor's people with their enrolments (two queries)."""
    now = now or utcnow()
    people = await fetch_all(
        "SELECT p.id, p.full_name, p.email, p.active FROM tutor_link t JOIN person p ON p.id = t.person "
        "WHERE t.tutor = {} ORDER BY p.full_name, p.id",
        actor.id,
    )
    rows = await fetch_all(
        PERSON_ENROLMENTS_SQL + "WHERE e.person IN (SELECT person FROM tutor_link WHERE tutor = {})", actor.id
    )
    by_person: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_person.setdefault(row["person"], []).append(person_enrolment_out(row, now))
    return [{**person, "enrolments": _upcoming_first(by_person.get(person["id"], []))} for person in people]


async def pending_approvals(actor: CurrentUser) -> list[dict[str, Any]]:
    """Requests waiting for the actor's decision: all for admins, own internal courses for coordinators."""
    sql = (
        "SELECT e.id, e.person, e.course, e.created_at, e.enrolled_via, p.full_name, "
        "co.name AS cooperative_name, "
        "c.title, c.starts_at, c.capacity, b.full_name AS enrolled_by_name, "
        f"{count_sql('confirmed', 'c.id')} AS seats_taken "
        "FROM enrolment e JOIN person p ON p.id = e.person JOIN course c ON c.id = e.course "
        "JOIN training_path tp ON tp.id = c.path LEFT JOIN cooperative co ON co.id = p.cooperative "
        "LEFT JOIN person b ON b.id = e.enrolled_by WHERE e.status = 'pending' "
    )
    if actor.is_admin:
        rows = await fetch_all(sql + "ORDER BY e.created_at, e.id")
    elif actor.has_role(Role.COORDINATOR) and actor.cooperative_id is not None:
        rows = await fetch_all(
            sql + "AND tp.owner_cooperative = {} ORDER BY e.created_at, e.id", actor.cooperative_id
        )
    else:
        raise PermissionDenied(N_("Solo l'ufficio formazione e i coordinatori decidono sulle richieste."))
    return [{**row, "seats_taken": int(row["seats_taken"])} for row in rows]


async def people_to_enrol(actor: CurrentUser, cooperative_id: int | None = None) -> list[dict[str, Any]]:
    """Whom the actor may enrol on someone's behalf.

    Coordinators: the active people of their cooperative (admins: of ``cooperative_id``); tutors: the
    people they follow.
    """
    people: dict[int, dict[str, Any]] = {}
    scope = None
    if actor.is_admin and cooperative_id:
        scope = cooperative_id
    elif actor.has_role(Role.COORDINATOR) and actor.cooperative_id is not None:
        scope = actor.cooperative_id
    if scope is not None:
        for row in await fetch_all(
            "SELECT id, full_name FROM person WHERE cooperative = {} AND active = {} ORDER BY full_name, id",
            scope,
            True,
        ):
            people[row["id"]] = row
    if actor.has_role(Role.TUTOR):
        for row in await fetch_all(
            "SELECT p.id, p.full_name FROM tutor_link t JOIN person p ON p.id = t.person "
            "WHERE t.tutor = {} AND p.active = {} ORDER BY p.full_name, p.id",
            actor.id,
            True,
        ):
            people[row["id"]] = row
    return sorted(people.values(), key=lambda row: (row["full_name"], row["id"]))


COURSE_ID = '"course".id'


async def open_courses(
    actor: CurrentUser, *, now: datetime | None = None, limit: int = 300
) -> list[dict[str, Any]]:
    """Published courses open for enrolment that the actor can see, soonest first (for the on-behalf form).

    "Open" is :func:`opening_refusal`'s rule and "can see" the catalogue's (``visible_courses_sql``), so
    every course offered here can be enrolled in by the actor, eligibility of the person aside.
    """
    now = now or utcnow()
    sql = (
        'SELECT "course".id, "course".title, "course".starts_at, "course".capacity, "course".requires_approval, '
        f"{count_sql('confirmed', COURSE_ID)} AS seats_confirmed, "
        f"{count_sql('waitlisted', COURSE_ID)} AS seats_waitlisted FROM course "
        'JOIN training_path p ON p.id = "course".path '
        "WHERE \"course\".status = 'published' "
        'AND ("course".enrolment_opens_at IS NULL OR "course".enrolment_opens_at <= {}) '
        'AND ("course".enrolment_closes_at IS NULL OR "course".enrolment_closes_at > {}) '
        'AND ("course".starts_at IS NULL OR "course".starts_at > {}) '
    )
    args: list[Any] = [now, now, now]
    rule = visible_courses_sql(actor, path_alias="p")
    if rule is not None:
        sql += f"AND {rule[0]} "
        args += rule[1]
    sql += 'ORDER BY "course".starts_at, "course".id LIMIT {}'
    # With the free seats, shown next to each course wherever people are enrolled on someone's behalf.
    return [
        {**row, "seats_left": max(0, int(row["capacity"] or 0) - int(row["seats_confirmed"] or 0)),
         "seats_waitlisted": int(row["seats_waitlisted"] or 0)}
        for row in await fetch_all(sql, *args, limit)
    ]
