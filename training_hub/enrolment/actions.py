"""Enrol, cancel, approve, reject, change the seats: the enrolment's decisions, which never overbook.

Every decision runs in one ``write_transaction()`` that starts with the course lock
(``seats.locking.lock_course``; read the locking note there before changing anything here) and counts
the seats after it (``seats.state.seat_state``); a freed seat goes to the waiting list at once
(``seats.waitlist.promote_waitlist``) in the same transaction, and the capacity changes only through
``seats.capacity.change_capacity``. What only reads (visibility, who may enrol whom, eligibility,
overlaps: ``eligibility.py``) is checked before the transaction to keep the lock short; what can change
meanwhile (the course's status and window, an existing enrolment) again under it.

Messages to the person are queued in the outbox in the same transaction (a rolled-back decision
announces nothing). Reasons (of a cancellation, an approval, a rejection) are free text that could
carry health details: they are kept on the enrolment row and sent to the person, never copied into the
audit trail, which records who decided what and when. An enrolment id never reveals that the enrolment
exists to someone who may not see it (404, as for one that does not exist).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NoReturn

from training_hub.core.audit import record_audit_event
from training_hub.core.db import fetch_all, fetch_one, write_transaction
from training_hub.core.errors import (
    EnrolmentRefused,
    InvalidState,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import CourseStatus, EnrolmentStatus, Role
from training_hub.core.timeutil import utcnow
from training_hub.enrolment.eligibility import (
    OverlapWarning,
    check_cancellable,
    eligibility_refusal,
    enrolment_channel,
    load_course_for,
    load_person,
    may_act_for_person,
    may_decide_approvals,
    may_manage_course,
    opening_refusal,
    overlap_issues,
    sees_whole_list,
    status_label,
    visible_course,
)
from training_hub.notifications.compose import course_sessions
from training_hub.notifications.enrolment_notices import queue_enrolment_notice
from training_hub.seats.capacity import change_capacity as change_seats
from training_hub.seats.capacity import parse_capacity
from training_hub.seats.facts import CourseFacts, cancellation_deadline_of
from training_hub.seats.locking import lock_course, precise_now
from training_hub.seats.state import seat_state
from training_hub.seats.waitlist import promote_waitlist

MAX_REASON = 1000


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
            deadline=cancellation_deadline_of(locked),
            ics_method="REQUEST" if kind == "enrolment_confirmed" else None,
        )
    return EnrolmentResult(enrolment_id, status, position, course_id, target_id)


# Reading one enrolment ----------------------------------------------------------------------------

ENROLMENT_SQL = (
    "SELECT e.id, e.person, e.course, e.status, e.enrolled_via, e.waitlisted_at, p.full_name, p.email, "
    "p.active, p.cooperative FROM enrolment e JOIN person p ON p.id = e.person WHERE e.id = {}"
)


async def enrolment_for(actor: CurrentUser, enrolment_id: int) -> tuple[dict[str, Any], CourseFacts]:
    row = await fetch_one(ENROLMENT_SQL, enrolment_id)
    course = await load_course_for(actor, row["course"]) if row else None
    if row is None or course is None:
        raise NotFound(N_("Iscrizione non trovata."))
    return row, course


async def refuse_without_leaking(
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


def person_of(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["person"],
        "full_name": row["full_name"],
        "email": row["email"],
        "active": row["active"],
        "cooperative": row["cooperative"],
    }


def clean_reason(reason: str | None) -> str:
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
    row, course = await enrolment_for(actor, enrolment_id)
    if not await may_act_for_person(actor, person_of(row)):
        await refuse_without_leaking(actor, row, course)
    reason = clean_reason(reason)
    check_cancellable(actor, row["status"], course, now, reason)
    async with write_transaction():
        locked = await lock_course(course.id)
        current = await fetch_one("SELECT status FROM enrolment WHERE id = {}", enrolment_id)
        assert current is not None
        # Checked again under the lock: a waiting-list place may have become a seat meanwhile.
        late = check_cancellable(actor, current["status"], locked, now, reason)
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
            person_of(row),
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


# Approvals ----------------------------------------------------------------------------------------


async def pending_for_decision(actor: CurrentUser, enrolment_id: int) -> tuple[dict[str, Any], CourseFacts]:
    row, course = await enrolment_for(actor, enrolment_id)
    if not may_decide_approvals(actor, course):
        await refuse_without_leaking(
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
    row, course = await pending_for_decision(actor, enrolment_id)
    reason = clean_reason(reason)
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
            person_of(row),
            locked["title"],
            sessions=sessions if kind == "enrolment_approved" else None,
            position=position,
            deadline=cancellation_deadline_of(locked),
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
    row, course = await pending_for_decision(actor, enrolment_id)
    reason = clean_reason(reason)
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
        await queue_enrolment_notice("enrolment_rejected", person_of(row), locked["title"], reason=reason)
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
