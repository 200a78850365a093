"""What the pages show before a decision: the course page's "how to enrol" panel, and the previews of
enrolling, cancelling and deciding on a request.

Each runs the same checks as the action it precedes (``eligibility.py``, ``actions.py``), so a page never
offers what the action would refuse, and says why otherwise. The panel reads the course's facts as the
course page loaded them (no statement of its own for a worker).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from training_hub.catalogue.access import teaches as catalogue_teaches
from training_hub.catalogue.path_order import path_requirements
from training_hub.core.audit import record_audit_event
from training_hub.core.db import as_bool, fetch_one
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import EnrolmentStatus, Role
from training_hub.core.timeutil import utcnow
from training_hub.enrolment.actions import (
    enrolment_for,
    pending_for_decision,
    person_of,
    refuse_without_leaking,
)
from training_hub.enrolment.eligibility import (
    cancel_refusal,
    eligibility_refusal,
    enrolment_channel,
    is_late,
    load_person,
    may_act_for_person,
    may_decide_approvals,
    may_manage_course,
    may_see_participants,
    opening_refusal,
    overlap_issues,
    status_label,
    visible_course,
)
from training_hub.enrolment.lists import people_to_enrol
from training_hub.enrolment.messages import may_message, messages_sent
from training_hub.enrolment.needs import may_see_needs, step_free_warnings
from training_hub.notifications.compose import course_sessions, scheduled
from training_hub.seats.facts import CourseFacts, cancellation_deadline_of
from training_hub.seats.state import waitlist_position


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
        deadline = cancellation_deadline_of(course)
        mine = {"id": viewer.enrolment_id, "status": viewer.enrolment_status,
                "waitlist_position": viewer.waitlist_position, "cancellation_deadline": deadline,
                "can_cancel": not is_late(viewer.enrolment_status or "", deadline, now)}
    refusal = opening_refusal(course, now)
    # An ordered path: what the user must take first, with its next edition (catalogue/path_order.py).
    missing = [] if refusal is not None or mine is not None or not course.sequential else [
        requirement.as_dict() for requirement in await path_requirements(
            user.id, course_id=course.id, path_id=course.path_id, position=course.position,
            starts_at=course.starts_at, now=now) if requirement.blocking]
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
        "cancellation_deadline": cancellation_deadline_of(course),
        "open": refusal is None,
        "closed_reason": refusal.detail if refusal else None,
        "mine": mine,
        "mine_status_label": status_label(mine["status"]) if mine else None,
        "can_enrol_self": refusal is None and mine is None and not missing,
        "prerequisites": missing,
        "people_to_enrol": await people_to_enrol(user)
        if refusal is None and user.has_role(Role.COORDINATOR, Role.TUTOR)
        else [],
        "can_see_participants": may_see_participants(user, course),
        "can_manage": manager,
        "step_free_warnings": await step_free_warnings(course.id) if trainer_or_admin else [],
        # The messages sent to the participants: the course's trainers and the office (``messages.py``).
        "can_message": may_message(user, course),
        "messages_sent": await messages_sent(course.id) if may_message(user, course) else 0,
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
    listed = scheduled(sessions)
    needs_approval = course.requires_approval and not may_decide_approvals(actor, course)
    return {
        "course": course,
        "sessions": listed,
        "person": {"id": person["id"], "full_name": person["full_name"]},
        "on_behalf": via != "self",
        "seats_left": course.seats_left,
        "waitlist_length": course.seats.waitlisted,
        "needs_approval": needs_approval,
        # Said before confirming: the place on the waiting list this enrolment would get now.
        "waitlist_position_next": course.seats.waitlisted + 1
        if not needs_approval and course.seats_left <= 0 else None,
        "refusal": refusal.detail if refusal else None,
        "warnings": [issue.text for issue in warnings],
        "cancellation_deadline": cancellation_deadline_of(course),
        **await barrier_warnings(actor, person, listed),
    }


def barrier_sessions(sessions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Scheduled sessions held in a place without step-free access (online ones never are)."""
    return [s for s in sessions if s.get("location_name") and not as_bool(s.get("is_online"))
            and not as_bool(s.get("step_free_access"))]


async def barrier_warnings(
    actor: CurrentUser, person: dict[str, Any], sessions: list[dict[str, Any]]
) -> dict[str, Any]:
    """``barrier_sessions``: sessions in a place with barriers (a fact about the place, shown to anyone
    enrolling); ``needs_step_free``: the person asked for step-free access — told only to whoever may
    see their needs (themself, their tutor, the office), so a coordinator never learns it from here.
    Reading someone else's need for the warning leaves an audit row (who, whose, never what)."""
    barriers = barrier_sessions(sessions)
    needs_step_free = False
    if barriers and await may_see_needs(actor, person["id"]):
        row = await fetch_one("SELECT step_free_access FROM accessibility_needs WHERE person = {}", person["id"])
        needs_step_free = bool(row and as_bool(row["step_free_access"]))
        if needs_step_free and actor.id != person["id"]:
            await record_audit_event("accessibility_needs.read", actor_id=actor.id, entity="person",
                                     entity_id=person["id"], data={"purpose": "enrolment_warning"})
    return {"barrier_sessions": barriers, "needs_step_free": needs_step_free}


async def cancel_preview(
    actor: CurrentUser, enrolment_id: int, *, now: datetime | None = None
) -> dict[str, Any]:
    """What the cancel confirmation page shows; the same refusals as :func:`cancel_enrolment` up front."""
    now = now or utcnow()
    row, course = await enrolment_for(actor, enrolment_id)
    if not await may_act_for_person(actor, person_of(row)):
        await refuse_without_leaking(actor, row, course)
    late = is_late(row["status"], cancellation_deadline_of(course), now)
    refusal = cancel_refusal(actor, row["status"], course, now)
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
    row, course = await pending_for_decision(actor, enrolment_id)
    return {
        "enrolment": {"id": row["id"], "enrolled_via": row["enrolled_via"]},
        "course": course,
        "person": {"id": row["person"], "full_name": row["full_name"]},
        "seats_left": course.seats_left,
        "waitlist_length": course.seats.waitlisted,
    }


# The catalogue marks the courses a person is already in -------------------------------------------

_MY_STATUSES_SQL = (
    "SELECT course, status FROM enrolment WHERE person = {} AND status IN ({}, {}, {})"
)
_my_statuses_cache: Any = None


async def my_course_statuses(user: CurrentUser) -> dict[int, str]:
    """The person's live enrolments, course → status (confirmed, waitlisted, pending), for the catalogue
    to mark the courses they are already in. Reused until anything is written (``core.cache``), so a
    catalogue page seen again still reads nothing but the session."""
    from training_hub.core.cache import MISSING, ReadCache, data_generation
    from training_hub.core.db import fetch_all
    from training_hub.core.settings import get_settings

    global _my_statuses_cache
    if _my_statuses_cache is None:
        _my_statuses_cache = ReadCache(ttl=get_settings().catalogue_cache_seconds, size=2048)
    hit = _my_statuses_cache.get(user.id)
    if hit is not MISSING:
        return hit
    generation = data_generation()
    rows = await fetch_all(_MY_STATUSES_SQL, user.id, EnrolmentStatus.CONFIRMED.value,
                           EnrolmentStatus.WAITLISTED.value, EnrolmentStatus.PENDING.value)
    statuses = {int(row["course"]): str(row["status"]) for row in rows}
    _my_statuses_cache.put(user.id, statuses, generation=generation)
    return statuses
