"""Enrolment: seats, waiting lists and approvals that never overbook.

Seats, locks and the waiting list are the seats feature's (``training_hub.seats``): read the locking
note in ``seats/locking.py`` before changing anything that decides on seats. Every decision here runs
in one ``write_transaction()`` that starts with ``seats.locking.lock_course`` and counts the seats
after it with ``seats.state.seat_state``; a freed seat goes to the waiting list at once
(``seats.waitlist.promote_waitlist``) in the same transaction. Notifications are queued in the outbox
in that transaction too. Reasons (of a cancellation, an approval, a rejection) are free text that could
carry health details: they are kept on the enrolment row and sent to the person, never copied into the
audit trail, which records who decided what and when.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NoReturn

from training_hub.catalogue.access import teaches as catalogue_teaches
from training_hub.catalogue.access import visible_courses_sql
from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, fetch_one, write_transaction
from training_hub.core.errors import (
    DomainError,
    EnrolmentRefused,
    InvalidState,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from training_hub.core.i18n import N_, format_date, format_time, gettext
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import (
    AccessibilityNeeds,
    CourseStatus,
    EnrolmentStatus,
    Role,
)
from training_hub.core.timeutil import utcnow
from training_hub.enrolment.access import (
    LIVE_STATUSES_SQL,
    CourseFacts,
    as_bool,
    eligibility_refusal,
    enrolment_channel,
    follows,
    load_course_for,
    load_person,
    may_act_for_person,
    may_decide_approvals,
    may_manage_course,
    may_see_participants,
    opening_refusal,
    overlap_issues,
    sees_whole_list,
    teaches,
    visible_course,
)
from training_hub.notifications.compose import course_sessions, scheduled
from training_hub.notifications.enrolment_notices import queue_enrolment_notice
from training_hub.seats.capacity import change_capacity as change_seats
from training_hub.seats.capacity import parse_capacity
from training_hub.seats.locking import lock_course, precise_now
from training_hub.seats.state import count_sql, seat_state, waitlist_ahead_sql, waitlist_position
from training_hub.seats.waitlist import cancellation_deadline_of, promote_waitlist

STATUS_LABELS = {
    EnrolmentStatus.PENDING.value: N_("In attesa di approvazione"),
    EnrolmentStatus.CONFIRMED.value: N_("Confermata"),
    EnrolmentStatus.WAITLISTED.value: N_("In lista d'attesa"),
    EnrolmentStatus.CANCELLED.value: N_("Annullata"),
    EnrolmentStatus.REJECTED.value: N_("Respinta"),
}
VIA_LABELS = {
    "self": N_("Da sé"),
    "coordinator": N_("Dal coordinatore"),
    "tutor": N_("Dal tutor"),
    "admin": N_("Dall'ufficio formazione"),
}
LIVE = (EnrolmentStatus.PENDING.value, EnrolmentStatus.CONFIRMED.value, EnrolmentStatus.WAITLISTED.value)
MAX_REASON = 1000


class OverlapWarning(EnrolmentRefused):
    """The person has another session at the same time: a warning that can be confirmed.

    Same problem type as every refusal (``enrolment-refused``); ``issues`` lists the overlaps, all with
    severity ``warning``, and the request succeeds when repeated with ``confirm_warnings``.
    """

    only_warnings = True


def status_label(status: str) -> str:
    return gettext(STATUS_LABELS.get(status, status))


_cancel_deadline = cancellation_deadline_of


# Writing ------------------------------------------------------------------------------------------

INSERT_ENROLMENT_SQL = (
    "INSERT INTO enrolment (person, course, status, enrolled_via, enrolled_by, created_at, waitlisted_at, "
    "confirmed_at, decided_at, decided_by, decision_reason, cancelled_at, cancelled_by, cancel_reason, "
    "certificate_code, updated_at) "
    "VALUES ({}, {}, {}, {}, {}, {}, {}, {}, NULL, NULL, '', NULL, NULL, '', NULL, {}) RETURNING id"
)


@dataclass(frozen=True)
class EnrolmentResult:
    id: int
    status: str
    waitlist_position: int | None
    course_id: int
    person_id: int
    promoted: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "waitlist_position": self.waitlist_position}


async def enrol_person(
    actor: CurrentUser,
    course_id: int,
    person_id: int | None = None,
    *,
    confirm_warnings: bool = False,
    now: datetime | None = None,
) -> EnrolmentResult:
    """Enrol ``person_id`` (default: the actor) in a course: a seat, a waiting-list place or a request.

    Refusals, each before anything is written: NotFound (a course the actor cannot see),
    PermissionDenied (who may enrol whom), EnrolmentRefused (not published, window closed, not
    eligible, already enrolled) and OverlapWarning (another session at the same time; repeat with
    ``confirm_warnings=True``). Courses requiring approval give a pending request, unless the actor is
    one who approves (an admin, the owning coordinator): their enrolment is the approval.
    """
    now = now or utcnow()
    course = await visible_course(actor, course_id)
    target_id = person_id if person_id is not None else actor.id
    person = await load_person(target_id)
    via = await enrolment_channel(actor, target_id, person)
    assert person is not None
    refusal = opening_refusal(course, now) or await eligibility_refusal(course, person)
    if refusal is not None:
        raise refusal
    sessions = await course_sessions(course_id)
    if not confirm_warnings:
        issues = await overlap_issues(target_id, course_id, sessions)
        if issues:
            raise OverlapWarning(
                N_("La persona ha già un altro incontro alla stessa ora: conferma per iscriverla comunque."),
                issues=issues,
            )
    needs_approval = course.requires_approval and not may_decide_approvals(actor, course)

    async with write_transaction():
        locked = await lock_course(course_id)
        refusal = opening_refusal(locked, now)
        if refusal is not None:
            raise refusal
        state = await seat_state(course_id, target_id)
        if state.existing is not None:
            raise EnrolmentRefused(
                N_("La persona è già iscritta a questo corso o in attesa di conferma."), field="person_id"
            )
        waitlisted_at = confirmed_at = position = None
        if needs_approval:
            status, kind = EnrolmentStatus.PENDING.value, "enrolment_pending"
        elif state.confirmed < int(locked["capacity"] or 0):
            status, kind, confirmed_at = EnrolmentStatus.CONFIRMED.value, "enrolment_confirmed", now
        else:
            status, kind = EnrolmentStatus.WAITLISTED.value, "enrolment_waitlisted"
            waitlisted_at, position = precise_now(), state.waitlisted + 1
        values = (target_id, course_id, status, via, actor.id, now, waitlisted_at, confirmed_at, now)
        rows = await fetch_all(INSERT_ENROLMENT_SQL, *values)
        enrolment_id = rows[0]["id"]
        await queue_enrolment_notice(
            kind,
            person,
            locked["title"],
            sessions=sessions,
            position=position,
            deadline=_cancel_deadline(locked),
            ics_method="REQUEST" if kind == "enrolment_confirmed" else None,
        )
    return EnrolmentResult(enrolment_id, status, position, course_id, target_id)


# Reading one enrolment ----------------------------------------------------------------------------

ENROLMENT_SQL = (
    "SELECT e.id, e.person, e.course, e.status, e.enrolled_via, e.waitlisted_at, p.full_name, p.email, "
    "p.active, p.cooperative FROM enrolment e JOIN person p ON p.id = e.person WHERE e.id = {}"
)


async def _enrolment_for(actor: CurrentUser, enrolment_id: int) -> tuple[dict[str, Any], CourseFacts]:
    row = await fetch_one(ENROLMENT_SQL, enrolment_id)
    course = await load_course_for(actor, row["course"]) if row else None
    if row is None or course is None:
        raise NotFound(N_("Iscrizione non trovata."))
    return row, course


async def _refuse_without_leaking(
    actor: CurrentUser,
    row: dict[str, Any],
    course: CourseFacts,
    message: str = N_("Non puoi modificare questa iscrizione."),
) -> NoReturn:
    """403 for whoever sees the enrolment on the participant list anyway (the course's managers and
    trainers, the person's coordinator), 404 for everyone else: an enrolment id never reveals that the enrolment exists."""
    if sees_whole_list(actor, course) or (
        actor.has_role(Role.COORDINATOR)
        and actor.cooperative_id is not None
        and row["cooperative"] == actor.cooperative_id
    ):
        raise PermissionDenied(message)
    raise NotFound(N_("Iscrizione non trovata."))


def _person_of(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["person"],
        "full_name": row["full_name"],
        "email": row["email"],
        "active": row["active"],
        "cooperative": row["cooperative"],
    }


def _clean_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if len(text) > MAX_REASON:
        raise ValidationFailed(
            N_("Il motivo può avere al massimo %(n)d caratteri."), field="reason", n=MAX_REASON
        )
    return text


# Cancelling ---------------------------------------------------------------------------------------


async def cancel_enrolment(
    actor: CurrentUser, enrolment_id: int, reason: str = "", *, now: datetime | None = None
) -> EnrolmentResult:
    """Cancel an enrolment (a seat, a waiting-list place or a request); a freed seat is promoted at once.

    The person, their coordinator, their tutor and admins may cancel. After the cancellation deadline
    (or, without one, once the course has started) a confirmed seat can only be cancelled by the
    training office, and the office must say why; withdrawing from the waiting list or a request is
    always possible.
    """
    now = now or utcnow()
    row, course = await _enrolment_for(actor, enrolment_id)
    if not await may_act_for_person(actor, _person_of(row)):
        await _refuse_without_leaking(actor, row, course)
    reason = _clean_reason(reason)
    _check_cancellable(actor, row["status"], course, now, reason)
    async with write_transaction():
        locked = await lock_course(course.id)
        current = await fetch_one("SELECT status FROM enrolment WHERE id = {}", enrolment_id)
        assert current is not None
        # Checked again under the lock: a waiting-list place may have become a seat meanwhile.
        late = _check_cancellable(actor, current["status"], locked, now, reason)
        await fetch_all(
            "UPDATE enrolment SET status = 'cancelled', cancelled_at = {}, cancelled_by = {}, "
            "cancel_reason = {}, "
            "updated_at = {} WHERE id = {}",
            now,
            actor.id,
            reason,
            now,
            enrolment_id,
        )
        promoted: list[int] = []
        if current["status"] == EnrolmentStatus.CONFIRMED:
            promoted = await promote_waitlist(course.id, actor_id=actor.id, now=now)
        sessions = await course_sessions(course.id) if current["status"] == EnrolmentStatus.CONFIRMED else []
        await queue_enrolment_notice(
            "enrolment_cancelled",
            _person_of(row),
            locked["title"],
            sessions=sessions,
            reason=reason if actor.id != row["person"] else "",
            ics_method="CANCEL" if sessions else None,
        )
        if actor.id != row["person"] or late:
            await record_audit_event(
                "enrolment.cancelled",
                actor_id=actor.id,
                entity="enrolment",
                entity_id=enrolment_id,
                data={
                    "course_id": course.id,
                    "person_id": row["person"],
                    "from": current["status"],
                    "late": late,
                },
            )
    return EnrolmentResult(
        enrolment_id, EnrolmentStatus.CANCELLED.value, None, course.id, row["person"], promoted
    )


async def release_enrolments_of_deactivated(
    actor: CurrentUser, person_id: int, *, now: datetime | None = None
) -> int:
    """Someone deactivated (they left their cooperative) keeps no seat, waiting-list place or request
    in a course that has not started yet: each is cancelled as :func:`cancel_enrolment` does, so a
    freed seat goes to the next in line at once. Courses under way or held keep the enrolment (its
    attendance and certificate). One the actor may not cancel (a seat past its cancellation deadline,
    for a coordinator) stays, for the training office. Returns how many were cancelled."""
    now = now or utcnow()
    rows = await fetch_all(
        "SELECT e.id AS id FROM enrolment e JOIN course c ON c.id = e.course "
        f"WHERE e.person = {{}} AND e.status IN {LIVE_STATUSES_SQL} "
        "AND (c.starts_at IS NULL OR c.starts_at > {}) ORDER BY e.id",
        person_id,
        now,
    )
    released = 0
    for row in rows:
        try:
            # Stored and sent like any reason: in Italian, the consortium's language.
            await cancel_enrolment(actor, row["id"], "Persona non più attiva.", now=now)
        except DomainError:
            continue
        released += 1
    return released


def _is_late(status: str, deadline: datetime | None, now: datetime) -> bool:
    """A confirmed seat past the cancellation deadline: only the office may cancel it, with a reason."""
    return status == EnrolmentStatus.CONFIRMED and deadline is not None and now >= deadline


def _cancel_refusal(
    actor: CurrentUser, status: str, course: dict[str, Any] | CourseFacts, now: datetime
) -> DomainError | None:
    """Why ``actor`` may not cancel an enrolment in ``status`` now; None when they may."""
    if status not in LIVE:
        return InvalidState(N_("L'iscrizione è già %(status)s."), status=status_label(status).lower())
    deadline = _cancel_deadline(course)
    if _is_late(status, deadline, now) and not actor.is_admin:
        assert deadline is not None
        return EnrolmentRefused(
            N_(
                "Il termine per annullare l'iscrizione è scaduto il %(date)s alle %(time)s: "
                "per annullarla ora "
                "rivolgiti all'ufficio formazione."
            ),
            date=format_date(deadline),
            time=format_time(deadline),
        )
    return None


def _check_cancellable(
    actor: CurrentUser, status: str, course: dict[str, Any] | CourseFacts, now: datetime, reason: str
) -> bool:
    """Raise when the cancellation is refused; whether it is late (then a reason is required)."""
    refusal = _cancel_refusal(actor, status, course, now)
    if refusal is not None:
        raise refusal
    late = _is_late(status, _cancel_deadline(course), now)
    if late and not reason:
        raise ValidationFailed(
            N_("Il termine per annullare è scaduto: indica il motivo dell'annullamento."), field="reason"
        )
    return late


# Approvals ----------------------------------------------------------------------------------------


async def _pending_for_decision(actor: CurrentUser, enrolment_id: int) -> tuple[dict[str, Any], CourseFacts]:
    row, course = await _enrolment_for(actor, enrolment_id)
    if not may_decide_approvals(actor, course):
        await _refuse_without_leaking(
            actor,
            row,
            course,
            N_(
                "Solo l'ufficio formazione (e il coordinatore, per i corsi interni della sua "
                "cooperativa) può decidere sulle richieste di iscrizione."
            ),
        )
    if row["status"] != EnrolmentStatus.PENDING:
        raise InvalidState(
            N_("La richiesta è già stata decisa: ora l'iscrizione è %(status)s."),
            status=status_label(row["status"]).lower(),
        )
    return row, course


async def _still_pending(enrolment_id: int) -> None:
    current = await fetch_one("SELECT status FROM enrolment WHERE id = {}", enrolment_id)
    if current is None or current["status"] != EnrolmentStatus.PENDING:
        raise InvalidState(N_("La richiesta è già stata decisa da qualcun altro."))


async def approve_enrolment(
    actor: CurrentUser, enrolment_id: int, reason: str = "", *, now: datetime | None = None
) -> EnrolmentResult:
    """Approve a pending request: a seat if one is free, otherwise the end of the waiting list.

    Possible until the course starts, also after the enrolment window has closed: the office decides.
    """
    now = now or utcnow()
    row, course = await _pending_for_decision(actor, enrolment_id)
    reason = _clean_reason(reason)
    sessions = await course_sessions(course.id)
    async with write_transaction():
        locked = await lock_course(course.id)
        await _still_pending(enrolment_id)
        if locked["status"] != CourseStatus.PUBLISHED or (
            locked["starts_at"] is not None and now >= locked["starts_at"]
        ):
            raise InvalidState(
                N_("Il corso è già iniziato o non è più aperto: la richiesta non può essere approvata.")
            )
        state = await seat_state(course.id)
        position = None
        if state.confirmed < int(locked["capacity"] or 0):
            status, kind = EnrolmentStatus.CONFIRMED.value, "enrolment_approved"
            await fetch_all(
                "UPDATE enrolment SET status = 'confirmed', confirmed_at = {}, decided_at = {}, "
                "decided_by = {}, "
                "decision_reason = {}, updated_at = {} WHERE id = {}",
                now,
                now,
                actor.id,
                reason,
                now,
                enrolment_id,
            )
        else:
            status, kind = EnrolmentStatus.WAITLISTED.value, "enrolment_approved_waitlisted"
            position = state.waitlisted + 1
            await fetch_all(
                "UPDATE enrolment SET status = 'waitlisted', waitlisted_at = {}, decided_at = {}, "
                "decided_by = {}, "
                "decision_reason = {}, updated_at = {} WHERE id = {}",
                precise_now(),
                now,
                actor.id,
                reason,
                now,
                enrolment_id,
            )
        await queue_enrolment_notice(
            kind,
            _person_of(row),
            locked["title"],
            sessions=sessions if kind == "enrolment_approved" else None,
            position=position,
            deadline=_cancel_deadline(locked),
            ics_method="REQUEST" if kind == "enrolment_approved" else None,
        )
        await record_audit_event(
            "enrolment.approved",
            actor_id=actor.id,
            entity="enrolment",
            entity_id=enrolment_id,
            data={"course_id": course.id, "person_id": row["person"], "status": status},
        )
    return EnrolmentResult(enrolment_id, status, position, course.id, row["person"])


async def reject_enrolment(
    actor: CurrentUser, enrolment_id: int, reason: str, *, now: datetime | None = None
) -> EnrolmentResult:
    """Reject a pending request; the reason is required and is sent to the person."""
    now = now or utcnow()
    row, course = await _pending_for_decision(actor, enrolment_id)
    reason = _clean_reason(reason)
    if not reason:
        raise ValidationFailed(N_("Indica il motivo: verrà comunicato alla persona."), field="reason")
    async with write_transaction():
        locked = await lock_course(course.id)
        await _still_pending(enrolment_id)
        await fetch_all(
            "UPDATE enrolment SET status = 'rejected', decided_at = {}, decided_by = {}, "
            "decision_reason = {}, "
            "updated_at = {} WHERE id = {}",
            now,
            actor.id,
            reason,
            now,
            enrolment_id,
        )
        await queue_enrolment_notice("enrolment_rejected", _person_of(row), locked["title"], reason=reason)
        await record_audit_event(
            "enrolment.rejected",
            actor_id=actor.id,
            entity="enrolment",
            entity_id=enrolment_id,
            data={"course_id": course.id, "person_id": row["person"]},
        )
    return EnrolmentResult(enrolment_id, EnrolmentStatus.REJECTED.value, None, course.id, row["person"])


# Capacity -----------------------------------------------------------------------------------------


async def change_capacity(
    actor: CurrentUser, course_id: int, capacity: Any, *, now: datetime | None = None
) -> dict[str, Any]:
    """Set the number of seats; raising it promotes the waiting list at once, in the same transaction.

    Admins, the course's trainers and the owning coordinator may do it. The capacity cannot go below
    the seats already confirmed (cancel some first), nor above the seats of a room the course meets in
    (the catalogue's rules for ``capacity``). This is also the model for the catalogue's
    ``PATCH /api/courses/{id}``: lock, update, ``promote_waitlist`` — one transaction.
    """
    now = now or utcnow()
    errors: dict[str, str] = {}
    capacity = parse_capacity(capacity, errors)
    if capacity is None:
        raise ValidationFailed(errors["capacity"], field="capacity")
    course = await visible_course(actor, course_id)
    if not may_manage_course(actor, course):
        raise PermissionDenied(
            N_("Solo l'ufficio formazione e i formatori del corso possono cambiare i posti.")
        )
    async with write_transaction():
        locked = await lock_course(course_id)
        promoted = await change_seats(locked, capacity, actor_id=actor.id, now=now)
    return {"capacity": capacity, "promoted": promoted}


# Lists --------------------------------------------------------------------------------------------

COURSE_ENROLMENTS_SQL = (
    "SELECT e.id, e.person, e.status, e.enrolled_via, e.created_at, e.waitlisted_at, e.confirmed_at, "
    "e.decided_at, e.decision_reason, e.cancelled_at, e.cancel_reason, p.full_name, p.email, p.cooperative, "
    "co.name AS cooperative_name, b.full_name AS enrolled_by_name "
    "FROM enrolment e JOIN person p ON p.id = e.person "
    "LEFT JOIN cooperative co ON co.id = p.cooperative LEFT JOIN person b ON b.id = e.enrolled_by "
    "WHERE e.course = {} ORDER BY e.id"
)
NEEDS_SQL = (
    "SELECT n.person, n.step_free_access, n.interpreter, n.easy_read, n.companion, n.notes "
    "FROM accessibility_needs n JOIN enrolment e ON e.person = n.person "
    f"WHERE e.course = {{}} AND e.status IN {LIVE_STATUSES_SQL}"
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


def _needs_out(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "step_free_access": as_bool(row["step_free_access"]),
        "interpreter": as_bool(row["interpreter"]),
        "easy_read": as_bool(row["easy_read"]),
        "companion": as_bool(row["companion"]),
        "notes": row["notes"] or "",
    }


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
    shows_needs = actor.is_admin or catalogue_teaches(actor, course)
    rows = await fetch_all(COURSE_ENROLMENTS_SQL, course_id)
    needs = {}
    if shows_needs:
        needs = {row["person"]: _needs_out(row) for row in await fetch_all(NEEDS_SQL, course_id)}
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


def _person_enrolment_out(row: dict[str, Any], now: datetime) -> dict[str, Any]:
    deadline = _cancel_deadline(row)
    live = row["status"] in LIVE
    late = _is_late(row["status"], deadline, now)
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
    return _upcoming_first([_person_enrolment_out(row, now) for row in rows])


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
    return _upcoming_first([_person_enrolment_out(row, now) for row in rows])


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
        by_person.setdefault(row["person"], []).append(_person_enrolment_out(row, now))
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


async def open_courses(
    actor: CurrentUser, *, now: datetime | None = None, limit: int = 300
) -> list[dict[str, Any]]:
    """Published courses open for enrolment that the actor can see, soonest first (for the on-behalf form).

    "Open" is :func:`opening_refusal`'s rule and "can see" the catalogue's (``visible_courses_sql``), so
    every course offered here can be enrolled in by the actor, eligibility of the person aside.
    """
    now = now or utcnow()
    sql = (
        'SELECT "course".id, "course".title, "course".starts_at FROM course '
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
    return await fetch_all(sql, *args, limit)


# Accessibility needs (special-category data) ------------------------------------------------------


@dataclass
class NeedsInput:
    step_free_access: bool = False
    interpreter: bool = False
    easy_read: bool = False
    companion: bool = False
    notes: str = ""


NEEDS_NOTES_MAX = 500


async def _teaches_persons_course(actor: CurrentUser, person_id: int) -> bool:
    """Does the actor teach a course the person holds a live enrolment in (the catalogue's trainer rule)?

    One check per course of the person's live enrolments (a handful), so that the rule of who teaches
    a course stays the catalogue's alone.
    """
    if not actor.has_role(Role.TRAINER):
        return False
    rows = await fetch_all(
        f"SELECT DISTINCT course FROM enrolment WHERE person = {{}} AND status IN {LIVE_STATUSES_SQL}",
        person_id,
    )
    for row in rows:
        if await teaches(actor, row["course"]):
            return True
    return False


async def may_record_needs(actor: CurrentUser, person_id: int) -> bool:
    """The person themself, their tutor, admins."""
    if actor.id == person_id or actor.is_admin:
        return True
    return actor.has_role(Role.TUTOR) and await follows(actor.id, person_id)


async def may_see_needs(actor: CurrentUser, person_id: int) -> bool:
    """Who records them, and the trainers of a course the person is enrolled in. Nobody else."""
    if await may_record_needs(actor, person_id):
        return True
    return await _teaches_persons_course(actor, person_id)


async def get_accessibility_needs(actor: CurrentUser, person_id: int) -> dict[str, Any]:
    """The person's needs (all false when none are recorded); NotFound for anyone not allowed.

    The answer for someone without access is the same as for a person who does not exist, so the
    existence of needs (or of the person) is never revealed.
    """
    person = await load_person(person_id)
    if person is None or not await may_see_needs(actor, person_id):
        raise NotFound(N_("Persona non trovata."))
    row = await fetch_one(
        "SELECT person, step_free_access, interpreter, easy_read, companion, notes, updated_at "
        "FROM accessibility_needs WHERE person = {}",
        person_id,
    )
    needs = _needs_out(row) or _needs_out(
        {"step_free_access": False, "interpreter": False, "easy_read": False, "companion": False, "notes": ""}
    )
    assert needs is not None
    return {
        "person_id": person_id,
        "full_name": person["full_name"],
        **needs,
        "updated_at": row["updated_at"] if row else None,
        "can_edit": await may_record_needs(actor, person_id),
    }


async def set_accessibility_needs(actor: CurrentUser, person_id: int, data: NeedsInput) -> dict[str, Any]:
    """Record what to arrange for the person (no diagnoses). The audit notes who and when, never what."""
    person = await load_person(person_id)
    if person is None or not await may_record_needs(actor, person_id):
        if person is not None and await may_see_needs(actor, person_id):
            raise PermissionDenied(N_("Puoi consultare queste informazioni ma non modificarle."))
        raise NotFound(N_("Persona non trovata."))
    notes = (data.notes or "").strip()
    if len(notes) > NEEDS_NOTES_MAX:
        raise ValidationFailed(
            N_("Le note possono avere al massimo %(n)d caratteri."), field="notes", n=NEEDS_NOTES_MAX
        )
    values = {
        AccessibilityNeeds.step_free_access: bool(data.step_free_access),
        AccessibilityNeeds.interpreter: bool(data.interpreter),
        AccessibilityNeeds.easy_read: bool(data.easy_read),
        AccessibilityNeeds.companion: bool(data.companion),
        AccessibilityNeeds.notes: notes,
        AccessibilityNeeds.recorded_by: actor.id,
        AccessibilityNeeds.updated_at: utcnow(),
    }
    async with write_transaction():
        await AccessibilityNeeds.insert(
            AccessibilityNeeds(
                person=person_id, **{column._meta.name: value for column, value in values.items()}
            )
        ).on_conflict(target=AccessibilityNeeds.person, action="DO UPDATE", values=list(values))
        await record_audit_event(
            "accessibility_needs.updated", actor_id=actor.id, entity="person", entity_id=person_id
        )
    return await get_accessibility_needs(actor, person_id)


STEP_FREE_SQL = (
    "SELECT s.id, s.starts_at, s.ends_at, l.name AS location_name, "
    "(SELECT COUNT(*) FROM enrolment e JOIN accessibility_needs n ON n.person = e.person "
    " WHERE e.course = s.course AND e.status IN ('confirmed', 'pending') "
    " AND n.step_free_access = {}) AS people "
    "FROM course_session s JOIN location l ON l.id = s.location "
    "WHERE s.course = {} AND s.status = 'scheduled' AND l.step_free_access = {} AND l.is_online = {} "
    "ORDER BY s.starts_at"
)


async def step_free_warnings(course_id: int) -> list[dict[str, Any]]:
    """Sessions held where there is no step-free access while a confirmed or pending participant needs it.

    For the course's trainers and admins only (callers check); it says how many people, not who.
    """
    rows = await fetch_all(STEP_FREE_SQL, True, course_id, False, False)
    return [{**row, "people": int(row["people"])} for row in rows if int(row["people"])]


# The course page's panel --------------------------------------------------------------------------

async def course_panel_context(
    user: CurrentUser, course: int | CourseFacts, *, now: datetime | None = None
) -> dict[str, Any]:
    """Everything the "how to enrol" panel of the course page shows, for this user.

    ``course``: the course's facts as the page read them for ``user`` (no further statement for a
    worker), or its id (then read here). The catalogue's course page calls it and passes the result to
    its template as ``enrolment_panel``; ``templates/enrolment/_course_panel.html`` renders it
    (included with ``ignore missing``). NotFound when the user cannot see the course.
    """
    now = now or utcnow()
    if not isinstance(course, CourseFacts) or course.viewer_for(user) is None:
        course = await visible_course(user, course if isinstance(course, int) else course.id)
    viewer = course.viewer_for(user)
    mine = None
    if viewer is not None and viewer.live_enrolment_id is not None:
        deadline = _cancel_deadline(course)
        mine = {"id": viewer.enrolment_id, "status": viewer.enrolment_status,
                "waitlist_position": viewer.waitlist_position, "cancellation_deadline": deadline,
                "can_cancel": not _is_late(viewer.enrolment_status or "", deadline, now)}
    refusal = opening_refusal(course, now)
    seats_taken = course.seats.confirmed
    manager = may_manage_course(user, course)
    trainer_or_admin = user.is_admin or catalogue_teaches(user, course)
    context: dict[str, Any] = {
        "course_id": course.id,
        "title": course.title,
        "status": course.status,
        "capacity": course.capacity,
        "seats_taken": seats_taken,
        "seats_left": max(0, course.capacity - seats_taken),
        "waitlist_length": course.seats.waitlisted,
        "pending_count": course.seats.pending if may_decide_approvals(user, course) else 0,
        "requires_approval": course.requires_approval,
        "enrolment_opens_at": course.enrolment_opens_at,
        "enrolment_closes_at": course.enrolment_closes_at,
        "cancellation_deadline": _cancel_deadline(course),
        "open": refusal is None,
        "closed_reason": refusal.detail if refusal else None,
        "mine": mine,
        "mine_status_label": status_label(mine["status"]) if mine else None,
        "can_enrol_self": refusal is None and mine is None,
        "people_to_enrol": await people_to_enrol(user)
        if refusal is None and user.has_role(Role.COORDINATOR, Role.TUTOR)
        else [],
        "can_see_participants": may_see_participants(user, course),
        "can_manage": manager,
        "step_free_warnings": await step_free_warnings(course.id) if trainer_or_admin else [],
    }
    return context


async def enrolment_preview(
    actor: CurrentUser, course_id: int, person_id: int | None = None, *, now: datetime | None = None
) -> dict[str, Any]:
    """What the confirmation page shows before anything is written: the course, its sessions, the seats,
    and whether the enrolment would be refused or warned about (the same checks as :func:`enrol_person`).

    NotFound / PermissionDenied exactly as enrolling would raise them.
    """
    now = now or utcnow()
    course = await visible_course(actor, course_id)
    target_id = person_id if person_id is not None else actor.id
    person = await load_person(target_id)
    via = await enrolment_channel(actor, target_id, person)
    assert person is not None
    refusal = opening_refusal(course, now) or await eligibility_refusal(course, person)
    sessions = await course_sessions(course_id)
    warnings = [] if refusal else await overlap_issues(target_id, course_id, sessions)
    return {
        "course": course,
        "sessions": scheduled(sessions),
        "person": {"id": person["id"], "full_name": person["full_name"]},
        "on_behalf": via != "self",
        "seats_left": course.seats_left,
        "waitlist_length": course.seats.waitlisted,
        "needs_approval": course.requires_approval and not may_decide_approvals(actor, course),
        "refusal": refusal.detail if refusal else None,
        "warnings": [issue.text for issue in warnings],
        "cancellation_deadline": _cancel_deadline(course),
    }


async def cancel_preview(
    actor: CurrentUser, enrolment_id: int, *, now: datetime | None = None
) -> dict[str, Any]:
    """What the cancel confirmation page shows; the same refusals as :func:`cancel_enrolment` up front."""
    now = now or utcnow()
    row, course = await _enrolment_for(actor, enrolment_id)
    if not await may_act_for_person(actor, _person_of(row)):
        await _refuse_without_leaking(actor, row, course)
    late = _is_late(row["status"], _cancel_deadline(course), now)
    refusal = _cancel_refusal(actor, row["status"], course, now)
    return {
        "enrolment": {
            "id": row["id"],
            "status": row["status"],
            "status_label": status_label(row["status"]),
            "waitlist_position": await waitlist_position(enrolment_id),
        },
        "course": course,
        "person": {"id": row["person"], "full_name": row["full_name"]},
        "on_behalf": actor.id != row["person"],
        "late": late,
        "reason_required": late and actor.is_admin,
        "refusal": refusal.detail if refusal else None,
        "frees_a_seat": row["status"] == EnrolmentStatus.CONFIRMED,
    }


async def decision_preview(actor: CurrentUser, enrolment_id: int) -> dict[str, Any]:
    """The pending request a decider is about to approve or reject."""
    row, course = await _pending_for_decision(actor, enrolment_id)
    return {
        "enrolment": {"id": row["id"], "enrolled_via": row["enrolled_via"]},
        "course": course,
        "person": {"id": row["person"], "full_name": row["full_name"]},
        "seats_left": course.seats_left,
        "waitlist_length": course.seats.waitlisted,
    }
