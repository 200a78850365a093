"""Enrolment rules, called on the service: seats, waiting list, refusals, who may enrol whom, approvals."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_path,
    make_person,
    make_session,
)
from tests.support import as_user
from training_hub.core.db import write_transaction
from training_hub.core.errors import (
    EnrolmentRefused,
    InvalidState,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from training_hub.core.tables import (
    AuditEvent,
    Course,
    CourseEligibleArea,
    CourseEligibleCooperative,
    CourseStatus,
    Enrolment,
    Outbox,
    TutorLink,
)
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.enrolment import actions
from training_hub.enrolment.actions import (
    approve_enrolment,
    cancel_enrolment,
    change_capacity,
    enrol_person,
    reject_enrolment,
)
from training_hub.enrolment.eligibility import OverlapWarning
from training_hub.enrolment.lists import (
    list_course_enrolments,
    my_enrolments,
    open_courses,
    pending_approvals,
)
from training_hub.enrolment.needs import get_accessibility_needs, step_free_warnings
from training_hub.enrolment.panel import course_panel_context
from training_hub.seats.locking import lock_course
from training_hub.seats.state import waitlist_position
from training_hub.seats.waitlist import promote_waitlist


async def enrolments_of(course) -> list[dict]:
    return await Enrolment.select().where(Enrolment.course == course.id).order_by(Enrolment.id)


async def outbox() -> list[dict]:
    return await Outbox.select().order_by(Outbox.id)


@pytest.fixture
def coop(cooperative):
    """The cooperative of the tests' workers (and of the ``coordinator`` fixture)."""
    return cooperative


# Seats and the waiting list ---------------------------------------------------------------------


async def test_a_free_seat_is_confirmed_and_announced_with_the_sessions_as_an_invitation(coop):
    worker = await make_person(cooperative=coop, full_name="Luca Rossi")
    course = await make_course(capacity=2, title="Comunicare i valori")
    session = await make_session(course)
    result = await enrol_person(as_user(worker), course.id)
    assert (result.status, result.waitlist_position) == ("confirmed", None)
    [row] = await enrolments_of(course)
    assert row["status"] == "confirmed" and row["enrolled_via"] == "self" and row["enrolled_by"] == worker.id
    assert row["confirmed_at"] is not None
    [message] = await outbox()
    assert message["kind"] == "enrolment_confirmed" and message["recipient"] == worker.id
    assert message["subject"] == "Iscrizione confermata: Comunicare i valori"
    assert message["body"].startswith("Ciao Luca,")
    assert to_rome(session.starts_at).strftime("%d/%m/%Y, %H:%M") in message["body"]
    assert "METHOD:REQUEST" in message["ics"] and f"UID:{session.uid}" in message["ics"]


async def test_a_full_course_puts_people_on_the_waiting_list_in_arrival_order(coop):
    course = await make_course(capacity=1)
    people = [await make_person(cooperative=coop) for _ in range(4)]
    results = [await enrol_person(as_user(person), course.id) for person in people]
    assert [(r.status, r.waitlist_position) for r in results] == [
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
        ("waitlisted", 3),
    ]
    assert [await waitlist_position(r.id) for r in results] == [None, 1, 2, 3]
    kinds = [row["kind"] for row in await outbox()]
    assert kinds == ["enrolment_confirmed"] + ["enrolment_waitlisted"] * 3
    assert "in posizione 3" in (await outbox())[-1]["body"]


async def test_cancelling_a_seat_promotes_the_first_in_line_at_once(coop):
    course = await make_course(capacity=1)
    await make_session(course)
    first, second, third = [await make_person(cooperative=coop) for _ in range(3)]
    seat = await enrol_person(as_user(first), course.id)
    waiting = [await enrol_person(as_user(p), course.id) for p in (second, third)]
    result = await cancel_enrolment(as_user(first), seat.id)
    assert result.promoted == [waiting[0].id]
    statuses = {row["person"]: row["status"] for row in await enrolments_of(course)}
    assert statuses == {first.id: "cancelled", second.id: "confirmed", third.id: "waitlisted"}
    assert await waitlist_position(waiting[1].id) == 1
    promoted = [row for row in await outbox() if row["kind"] == "enrolment_promoted"]
    assert [row["recipient"] for row in promoted] == [second.id]
    assert "METHOD:REQUEST" in promoted[0]["ics"]
    cancelled = [row for row in await outbox() if row["kind"] == "enrolment_cancelled"]
    assert [row["recipient"] for row in cancelled] == [first.id]
    assert "METHOD:CANCEL" in cancelled[0]["ics"]


async def test_withdrawing_from_the_waiting_list_frees_no_seat_and_moves_the_others_up(coop):
    course = await make_course(capacity=1)
    people = [await make_person(cooperative=coop) for _ in range(3)]
    results = [await enrol_person(as_user(p), course.id) for p in people]
    result = await cancel_enrolment(as_user(people[1]), results[1].id)
    assert result.promoted == []
    assert await waitlist_position(results[2].id) == 1


async def test_no_promotion_once_the_enrolment_window_has_closed(coop, admin):
    course = await make_course(capacity=1)
    first, second = [await make_person(cooperative=coop) for _ in range(2)]
    seat = await enrol_person(as_user(first), course.id)
    waiting = await enrol_person(as_user(second), course.id)
    await Course.update({Course.enrolment_closes_at: utcnow() - timedelta(minutes=1)}).where(
        Course.id == course.id
    )
    result = await cancel_enrolment(as_user(first), seat.id)
    assert result.promoted == []
    assert await waitlist_position(waiting.id) == 1
    # Raising the capacity does not promote either.
    changed = await change_capacity(as_user(admin), course.id, 5)
    assert changed["promoted"] == []


async def test_no_promotion_once_the_course_has_started(coop, admin):
    course = await make_course(capacity=1, enrolment_closes_at=None, cancellation_deadline=None)
    people = [await make_person(cooperative=coop) for _ in range(2)]
    seat = await enrol_person(as_user(people[0]), course.id)
    await enrol_person(as_user(people[1]), course.id)
    await Course.update({Course.starts_at: utcnow() - timedelta(hours=1)}).where(Course.id == course.id)
    result = await cancel_enrolment(as_user(admin), seat.id, "Corso spostato dal coordinatore")
    assert result.promoted == []
    assert [row["status"] for row in await enrolments_of(course)] == ["cancelled", "waitlisted"]


async def test_raising_the_capacity_promotes_in_order_and_lowering_below_the_seats_is_refused(coop, admin):
    course = await make_course(capacity=1)
    people = [await make_person(cooperative=coop) for _ in range(4)]
    results = [await enrol_person(as_user(p), course.id) for p in people]
    changed = await change_capacity(as_user(admin), course.id, 3)
    assert changed == {"capacity": 3, "promoted": [results[1].id, results[2].id]}
    assert await waitlist_position(results[3].id) == 1
    with pytest.raises(ValidationFailed) as refused:
        await change_capacity(as_user(admin), course.id, 2)
    assert refused.value.field == "capacity"
    assert (await Course.select(Course.capacity).where(Course.id == course.id).first())["capacity"] == 3
    [audit] = await AuditEvent.select().where(AuditEvent.action == "course.capacity_changed")
    assert (audit["data"] if isinstance(audit["data"], dict) else json.loads(audit["data"])) == {
        "from": 1,
        "to": 3,
    }


async def test_only_managers_change_the_capacity(coop):
    trainer, other_trainer = await make_person(roles="trainer"), await make_person(roles="trainer")
    worker = await make_person(cooperative=coop)
    course = await make_course(capacity=1, trainers=[trainer])
    assert (await change_capacity(as_user(trainer), course.id, 4))["capacity"] == 4
    for outsider in (other_trainer, worker):
        with pytest.raises(PermissionDenied):
            await change_capacity(as_user(outsider), course.id, 10)
    with pytest.raises(ValidationFailed):
        await change_capacity(as_user(trainer), course.id, "tanti")
    with pytest.raises(ValidationFailed):
        await change_capacity(as_user(trainer), course.id, -1)


async def test_promote_waitlist_is_for_callers_holding_the_course_lock(coop):
    course = await make_course(capacity=1)
    people = [await make_person(cooperative=coop) for _ in range(3)]
    results = [await enrol_person(as_user(p), course.id) for p in people]
    with pytest.raises(RuntimeError):
        await promote_waitlist(course.id, actor_id=None)
    # What the catalogue's PATCH does: lock, raise the capacity, promote — one transaction.
    async with write_transaction():
        await lock_course(course.id)
        await Course.update({Course.capacity: 2}).where(Course.id == course.id)
        promoted = await promote_waitlist(course.id, actor_id=None)
    assert promoted == [results[1].id]
    assert await waitlist_position(results[2].id) == 1


async def test_a_rolled_back_decision_leaves_no_seat_and_no_message(coop):
    course = await make_course(capacity=5)
    people = [await make_person(cooperative=coop) for _ in range(2)]
    await enrol_person(as_user(people[0]), course.id, confirm_warnings=True)
    await make_enrolment(people[1], course, status="waitlisted")
    with pytest.raises(ZeroDivisionError):
        async with write_transaction():
            await lock_course(course.id)
            await promote_waitlist(course.id, actor_id=None)
            1 / 0  # noqa: B018 - the caller fails after the promotion
    assert [row["status"] for row in await enrolments_of(course)] == ["confirmed", "waitlisted"]
    assert [row["kind"] for row in await outbox()] == ["enrolment_confirmed"]


# Refusals: each is clear and changes nothing ------------------------------------------------------


async def assert_refused(actor, course, error, person_id=None, *, contains: str = ""):
    before = (await Enrolment.count(), await Outbox.count())
    with pytest.raises(error) as raised:
        await enrol_person(actor, course.id, person_id)
    assert (await Enrolment.count(), await Outbox.count()) == before
    if contains:
        assert contains in raised.value.detail
    return raised.value


async def test_draft_courses_are_invisible_to_workers_and_refused_to_the_office(coop):
    worker, admin = await make_person(cooperative=coop), await make_person(roles="admin")
    course = await make_course(status=CourseStatus.DRAFT.value)
    await assert_refused(as_user(worker), course, NotFound)
    await assert_refused(as_user(admin), course, EnrolmentRefused, worker.id, contains="non è pubblicato")


async def test_cancelled_and_completed_courses_are_refused(coop):
    worker = await make_person(cooperative=coop)
    for status, reason in ((CourseStatus.CANCELLED.value, "Il corso è stato annullato."),
                           (CourseStatus.COMPLETED.value, "Il corso è concluso.")):
        course = await make_course(status=status)
        await assert_refused(as_user(worker), course, EnrolmentRefused, contains=reason)


async def test_the_enrolment_window_must_be_open(coop):
    worker = await make_person(cooperative=coop)
    now = utcnow()
    not_yet = await make_course(enrolment_opens_at=now + timedelta(days=2))
    error = await assert_refused(
        as_user(worker), not_yet, EnrolmentRefused, contains="Le iscrizioni apriranno il"
    )
    assert error.code == "enrolment-refused" and error.status_code == 409
    closed = await make_course(enrolment_closes_at=now - timedelta(hours=1))
    await assert_refused(
        as_user(worker), closed, EnrolmentRefused, contains="Le iscrizioni si sono chiuse il"
    )
    started = await make_course(enrolment_closes_at=None, starts_at=now - timedelta(hours=1))
    await assert_refused(as_user(worker), started, EnrolmentRefused, contains="già iniziato")


async def test_eligibility_by_cooperative_and_area(coop):
    other = await make_cooperative()
    worker = await make_person(cooperative=coop, area="anziani")
    course = await make_course()
    await CourseEligibleCooperative.insert(CourseEligibleCooperative(course=course.id, cooperative=other.id))
    with pytest.raises(NotFound):  # a course meant for other cooperatives is not shown to this one
        await enrol_person(as_user(worker), course.id)
    office = await make_person(roles="admin")
    with pytest.raises(EnrolmentRefused, match="riservato ad alcune cooperative"):
        await enrol_person(as_user(office), course.id, worker.id)
    assert await Enrolment.count() == 0
    await CourseEligibleCooperative.insert(CourseEligibleCooperative(course=course.id, cooperative=coop.id))
    await CourseEligibleArea.insert(CourseEligibleArea(course=course.id, area="minori"))
    await assert_refused(as_user(worker), course, EnrolmentRefused, contains="aree di lavoro")
    await CourseEligibleArea.insert(CourseEligibleArea(course=course.id, area="anziani"))
    assert (await enrol_person(as_user(worker), course.id)).status == "confirmed"


async def test_a_cooperatives_internal_course_is_invisible_to_other_cooperatives(coop, admin):
    other = await make_cooperative()
    outsider, member = await make_person(cooperative=other), await make_person(cooperative=coop)
    course = await make_course(await make_path("internal_training", owner_cooperative=coop.id))
    await assert_refused(as_user(outsider), course, NotFound)
    await assert_refused(
        as_user(admin), course, EnrolmentRefused, outsider.id, contains="riservato alle persone"
    )
    assert (await enrol_person(as_user(member), course.id)).status == "confirmed"


async def test_a_sequential_path_needs_the_earlier_courses_confirmed(coop):
    worker = await make_person(cooperative=coop)
    path = await make_path("internal_training", sequential=True)
    first = await make_course(path, position=1, title="Analisi dei fabbisogni")
    second_a = await make_course(path, position=2, title="Progettare (Milano)")
    second_b = await make_course(path, position=2, title="Progettare (Brescia)")
    third = await make_course(path, position=3)
    await make_course(path, position=1, status=CourseStatus.CANCELLED.value)  # does not count
    await assert_refused(as_user(worker), second_a, EnrolmentRefused, contains="«Analisi dei fabbisogni»")
    waitlisted = await make_enrolment(worker, first, status="waitlisted")
    await assert_refused(as_user(worker), second_a, EnrolmentRefused, contains="«Analisi dei fabbisogni»")
    await Enrolment.update({Enrolment.status: "confirmed"}).where(Enrolment.id == waitlisted.id)
    assert (await enrol_person(as_user(worker), second_b.id)).status == "confirmed"
    # One edition of position 2 is enough for position 3.
    assert (await enrol_person(as_user(worker), third.id)).status == "confirmed"


async def test_a_second_live_enrolment_is_refused_but_one_after_a_cancellation_is_fine(coop):
    worker = await make_person(cooperative=coop)
    course = await make_course()
    first = await enrol_person(as_user(worker), course.id)
    await assert_refused(as_user(worker), course, EnrolmentRefused, contains="già iscritta")
    await cancel_enrolment(as_user(worker), first.id)
    assert (await enrol_person(as_user(worker), course.id)).status == "confirmed"


async def test_an_inactive_person_cannot_be_enrolled(coop, coordinator):
    gone = await make_person(cooperative=coop, active=False)
    await assert_refused(
        as_user(coordinator), await make_course(), EnrolmentRefused, gone.id, contains="disattivata"
    )


async def test_overlapping_sessions_are_a_warning_that_can_be_confirmed(coop):
    worker = await make_person(cooperative=coop)
    start = utcnow() + timedelta(days=10)
    booked = await make_course(title="Primo soccorso")
    await make_session(booked, starts_at=start, minutes=240)
    await enrol_person(as_user(worker), booked.id)
    clashing = await make_course()
    await make_session(clashing, starts_at=start + timedelta(hours=2), minutes=120)
    error = await assert_refused(as_user(worker), clashing, OverlapWarning)
    assert error.code == "enrolment-refused"
    [issue] = error.issues
    assert issue.severity == "warning" and "«Primo soccorso»" in issue.text
    result = await enrol_person(as_user(worker), clashing.id, confirm_warnings=True)
    assert result.status == "confirmed"
    # Back to back is not an overlap, and cancelled sessions do not count.
    later = await make_course()
    await make_session(later, starts_at=start + timedelta(hours=4), minutes=60)
    await make_session(later, starts_at=start, minutes=60, status="cancelled")
    assert (await enrol_person(as_user(worker), later.id)).status == "confirmed"


# Who may enrol whom -------------------------------------------------------------------------------


async def test_coordinators_enrol_the_people_of_their_cooperative_only(coop, coordinator):
    other = await make_cooperative()
    mine, theirs = await make_person(cooperative=coop), await make_person(cooperative=other)
    course = await make_course()
    result = await enrol_person(as_user(coordinator), course.id, mine.id)
    assert result.person_id == mine.id
    row = (await enrolments_of(course))[0]
    assert (row["enrolled_via"], row["enrolled_by"], row["person"]) == (
        "coordinator",
        coordinator.id,
        mine.id,
    )
    denied = await assert_refused(as_user(coordinator), course, PermissionDenied, theirs.id)
    nobody = await assert_refused(as_user(coordinator), course, PermissionDenied, 999_999)
    assert denied.detail == nobody.detail  # whether the person exists is not revealed


async def test_tutors_enrol_the_people_they_follow(coop):
    tutor = await make_person(roles="tutor", cooperative=coop)
    followed, stranger = await make_person(cooperative=coop), await make_person(cooperative=coop)
    await TutorLink.insert(TutorLink(tutor=tutor.id, person=followed.id))
    course = await make_course()
    await enrol_person(as_user(tutor), course.id, followed.id)
    assert (await enrolments_of(course))[0]["enrolled_via"] == "tutor"
    await assert_refused(as_user(tutor), course, PermissionDenied, stranger.id)


async def test_workers_and_trainers_cannot_enrol_someone_else_but_admins_can(coop):
    worker, colleague = await make_person(cooperative=coop), await make_person(cooperative=coop)
    trainer, admin = await make_person(roles="trainer"), await make_person(roles="admin")
    course = await make_course(trainers=[trainer])
    await assert_refused(as_user(worker), course, PermissionDenied, colleague.id)
    await assert_refused(as_user(trainer), course, PermissionDenied, colleague.id)
    await assert_refused(as_user(admin), course, NotFound, 999_999)
    await enrol_person(as_user(admin), course.id, colleague.id)
    assert (await enrolments_of(course))[0]["enrolled_via"] == "admin"


# Cancelling ---------------------------------------------------------------------------------------


async def test_after_the_deadline_only_the_office_cancels_a_seat_and_must_say_why(coop, coordinator):
    worker, admin = await make_person(cooperative=coop), await make_person(roles="admin")
    course = await make_course(capacity=1)
    seat = await enrol_person(as_user(worker), course.id)
    waiting_person = await make_person(cooperative=coop)
    waiting = await enrol_person(as_user(waiting_person), course.id)
    await Course.update({Course.cancellation_deadline: utcnow() - timedelta(hours=1)}).where(
        Course.id == course.id
    )
    for actor in (worker, coordinator):
        with pytest.raises(EnrolmentRefused) as refused:
            await cancel_enrolment(as_user(actor), seat.id)
        assert "scaduto" in refused.value.detail
    with pytest.raises(ValidationFailed) as no_reason:
        await cancel_enrolment(as_user(admin), seat.id, "  ")
    assert no_reason.value.field == "reason"
    assert (await enrolments_of(course))[0]["status"] == "confirmed"
    # Leaving the waiting list is always possible.
    await cancel_enrolment(as_user(waiting_person), waiting.id)
    result = await cancel_enrolment(as_user(admin), seat.id, "Trasferito ad altro servizio")
    row = (await enrolments_of(course))[0]
    assert (row["status"], row["cancelled_by"], row["cancel_reason"]) == (
        "cancelled",
        admin.id,
        "Trasferito ad altro servizio",
    )
    assert result.status == "cancelled"
    [audit] = await AuditEvent.select().where(AuditEvent.action == "enrolment.cancelled")
    # The reason stays on the enrolment; the audit says who, when and that it was late, not why.
    data = audit["data"] if isinstance(audit["data"], dict) else json.loads(audit["data"])
    assert audit["actor"] == admin.id and audit["reason"] == "" and data["late"] is True
    assert "Trasferito" not in json.dumps(data)


async def test_who_may_cancel(coop, trainer, coordinator):
    other = await make_cooperative()
    worker = await make_person(cooperative=coop)
    colleague, foreign_coordinator = (
        await make_person(cooperative=coop),
        await make_person(roles="coordinator", cooperative=other),
    )
    course = await make_course(trainers=[trainer])
    seat = await enrol_person(as_user(worker), course.id)
    with pytest.raises(NotFound):
        await cancel_enrolment(as_user(colleague), seat.id)
    with pytest.raises(NotFound):
        await cancel_enrolment(as_user(foreign_coordinator), seat.id)
    with pytest.raises(PermissionDenied):
        await cancel_enrolment(as_user(trainer), seat.id)
    with pytest.raises(NotFound):
        await cancel_enrolment(as_user(worker), 999_999)
    await cancel_enrolment(as_user(coordinator), seat.id, "Turno di lavoro")
    with pytest.raises(InvalidState):
        await cancel_enrolment(as_user(worker), seat.id)
    message = next(row for row in await outbox() if row["kind"] == "enrolment_cancelled")
    assert "Motivo: Turno di lavoro" in message["body"]


# Approvals ----------------------------------------------------------------------------------------


async def test_a_course_requiring_approval_makes_requests_that_the_office_decides(coop, admin):
    course = await make_course(capacity=1, requires_approval=True)
    people = [await make_person(cooperative=coop) for _ in range(3)]
    requests = [await enrol_person(as_user(p), course.id) for p in people]
    assert [(r.status, r.waitlist_position) for r in requests] == [("pending", None)] * 3
    assert [row["kind"] for row in await outbox()] == ["enrolment_pending"] * 3
    first = await approve_enrolment(as_user(admin), requests[0].id)
    second = await approve_enrolment(as_user(admin), requests[1].id, "Posto in lista")
    assert (first.status, second.status, second.waitlist_position) == ("confirmed", "waitlisted", 1)
    with pytest.raises(ValidationFailed):
        await reject_enrolment(as_user(admin), requests[2].id, " ")
    rejected = await reject_enrolment(as_user(admin), requests[2].id, "Il percorso non è adatto")
    assert rejected.status == "rejected"
    rows = await enrolments_of(course)
    assert [(r["status"], r["decided_by"]) for r in rows] == [
        ("confirmed", admin.id),
        ("waitlisted", admin.id),
        ("rejected", admin.id),
    ]
    assert rows[2]["decision_reason"] == "Il percorso non è adatto"
    with pytest.raises(InvalidState):
        await approve_enrolment(as_user(admin), requests[2].id)
    kinds = [row["kind"] for row in await outbox()][3:]
    assert kinds == ["enrolment_approved", "enrolment_approved_waitlisted", "enrolment_rejected"]
    assert "Motivo: Il percorso non è adatto" in (await outbox())[-1]["body"]


async def test_coordinators_approve_only_their_cooperatives_internal_courses(coop, coordinator):
    worker = await make_person(cooperative=coop)
    internal = await make_course(
        await make_path("internal_training", owner_cooperative=coop.id), requires_approval=True
    )
    consortium = await make_course(requires_approval=True)
    own = await enrol_person(as_user(worker), internal.id)
    theirs = await enrol_person(as_user(worker), consortium.id)
    assert (await approve_enrolment(as_user(coordinator), own.id)).status == "confirmed"
    with pytest.raises(PermissionDenied):
        await approve_enrolment(as_user(coordinator), theirs.id)
    with pytest.raises(NotFound):
        await approve_enrolment(as_user(worker), theirs.id)
    # The owning coordinator's own enrolment of a worker is the approval itself.
    colleague = await make_person(cooperative=coop)
    assert (await enrol_person(as_user(coordinator), internal.id, colleague.id)).status == "confirmed"


async def test_pending_list_for_deciders(coop):
    admin, coordinator = (
        await make_person(roles="admin"),
        await make_person(roles="coordinator", cooperative=coop),
    )
    worker = await make_person(cooperative=coop)
    internal = await make_course(
        await make_path("internal_training", owner_cooperative=coop.id), requires_approval=True
    )
    consortium = await make_course(requires_approval=True)
    await enrol_person(as_user(worker), internal.id)
    await enrol_person(as_user(worker), consortium.id)
    assert {r["course"] for r in await pending_approvals(as_user(admin))} == {
        internal.id,
        consortium.id,
    }
    assert [r["course"] for r in await pending_approvals(as_user(coordinator))] == [internal.id]
    with pytest.raises(PermissionDenied):
        await pending_approvals(as_user(worker))


# Lists ---------------------------------------------------------------------------------------------


async def test_participant_list_for_managers_and_coordinators(coop):
    other = await make_cooperative()
    trainer, other_trainer = await make_person(roles="trainer"), await make_person(roles="trainer")
    coordinator = await make_person(roles="coordinator", cooperative=other)
    course = await make_course(capacity=1, trainers=[trainer])
    mine = await make_person(cooperative=coop)
    theirs = [await make_person(cooperative=other) for _ in range(2)]
    for person in (mine, *theirs):
        await enrol_person(as_user(person), course.id)
    full = await list_course_enrolments(as_user(trainer), course.id)
    assert [e["person_id"] for e in full.confirmed] == [mine.id]
    assert [(e["person_id"], e["waitlist_position"]) for e in full.waitlist] == [
        (theirs[0].id, 1),
        (theirs[1].id, 2),
    ]
    assert full.shows_needs and full.can_manage
    limited = await list_course_enrolments(as_user(coordinator), course.id)
    assert limited.confirmed == [] and [e["waitlist_position"] for e in limited.waitlist] == [1, 2]
    assert not limited.shows_needs and "accessibility" not in limited.waitlist[0]
    for outsider in (other_trainer, mine):
        with pytest.raises(PermissionDenied):
            await list_course_enrolments(as_user(outsider), course.id)


async def test_my_enrolments_show_status_and_position(coop):
    course = await make_course(capacity=1, title="Bilancio sociale")
    first, me = await make_person(cooperative=coop), await make_person(cooperative=coop)
    await enrol_person(as_user(first), course.id)
    await enrol_person(as_user(me), course.id)
    [item] = await my_enrolments(as_user(me))
    assert (item["course_title"], item["status"], item["waitlist_position"], item["can_cancel"]) == (
        "Bilancio sociale",
        "waitlisted",
        1,
        True,
    )


async def test_step_free_warnings_name_sessions_not_people(coop, trainer):
    from training_hub.core.tables import AccessibilityNeeds

    course = await make_course(trainers=[trainer])
    stairs, ramp = (
        await make_location(step_free_access=False, name="Aula al primo piano"),
        await make_location(),
    )
    first = await make_session(course, location=stairs.id)
    await make_session(course, location=ramp.id)
    assert await step_free_warnings(course.id) == []
    person = await make_person(cooperative=coop)
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=person.id, step_free_access=True))
    await enrol_person(as_user(person), course.id)
    [warning] = await step_free_warnings(course.id)
    assert (warning["id"], warning["location_name"], warning["people"]) == (
        first.id,
        "Aula al primo piano",
        1,
    )
    panel = await course_panel_context(as_user(trainer), course.id)
    assert len(panel["step_free_warnings"]) == 1
    assert (await course_panel_context(as_user(person), course.id))["step_free_warnings"] == []


# Edge cases: rules shared with the catalogue, checks under the lock --------------------------------


async def test_a_sessions_trainer_is_one_of_the_courses_trainers_the_catalogues_rule(coop):
    from training_hub.core.tables import AccessibilityNeeds

    session_trainer = await make_person(roles="trainer")
    former_trainer = await make_person(roles="worker")  # still listed on the course, no longer a trainer
    course = await make_course(trainers=[former_trainer])
    await make_session(course, trainer=session_trainer.id)
    person = await make_person(cooperative=coop)
    await AccessibilityNeeds.insert(AccessibilityNeeds(person=person.id, interpreter=True))
    seat = await enrol_person(as_user(person), course.id)
    listing = await list_course_enrolments(as_user(session_trainer), course.id)
    assert listing.shows_needs and listing.only_cooperative_id is None and not listing.can_manage
    assert listing.confirmed[0]["accessibility"]["interpreter"] is True
    assert (await get_accessibility_needs(as_user(session_trainer), person.id))["interpreter"]
    # They see the enrolment, so refusing to let them cancel it hides nothing: a 403, not a 404.
    with pytest.raises(PermissionDenied):
        await cancel_enrolment(as_user(session_trainer), seat.id)
    # Special-category data follows the role: without it, no needs, whatever the course's links say.
    with pytest.raises(NotFound):
        await get_accessibility_needs(as_user(former_trainer), person.id)


async def test_the_capacity_follows_the_catalogues_rules(coop, trainer):
    small = await make_location(name="Aula piccola", capacity=10)
    course = await make_course(capacity=5, trainers=[trainer])
    await make_session(course, location=small.id)
    with pytest.raises(ValidationFailed) as none:
        await change_capacity(as_user(trainer), course.id, 0)
    assert none.value.field == "capacity"
    with pytest.raises(ValidationFailed) as too_many:
        await change_capacity(as_user(trainer), course.id, 11)
    assert too_many.value.field == "capacity" and "Aula piccola" in too_many.value.detail
    assert (await Course.select(Course.capacity).where(Course.id == course.id).first())["capacity"] == 5
    assert (await change_capacity(as_user(trainer), course.id, 10))["capacity"] == 10


async def test_a_place_that_became_a_seat_meanwhile_is_checked_again_under_the_lock(coop, monkeypatch):
    worker = await make_person(cooperative=coop)
    course = await make_course(cancellation_deadline=utcnow() - timedelta(hours=1))
    waiting = await make_enrolment(worker, course, status="waitlisted")
    original = lock_course

    async def promoted_while_waiting_for_the_lock(course_id):
        await Enrolment.update({Enrolment.status: "confirmed"}).where(Enrolment.id == waiting.id)
        return await original(course_id)

    monkeypatch.setattr(actions, "lock_course", promoted_while_waiting_for_the_lock)
    with pytest.raises(EnrolmentRefused):
        await cancel_enrolment(as_user(worker), waiting.id)
    # Refused and rolled back (the simulated promotion with it, as it ran inside the transaction).
    assert [row["status"] for row in await enrolments_of(course)] == ["waitlisted"]


async def test_deciding_checks_who_decides_before_the_reason(coop):
    other = await make_cooperative()
    worker = await make_person(cooperative=coop)
    foreign_coordinator = await make_person(roles="coordinator", cooperative=other)
    course = await make_course(requires_approval=True)
    request = await enrol_person(as_user(worker), course.id)
    for outsider in (worker, foreign_coordinator):
        # The same 404 as for an id that matches nothing, whatever the reason says.
        for reason in ("", "x" * 2000):
            with pytest.raises(NotFound):
                await reject_enrolment(as_user(outsider), request.id, reason)
            with pytest.raises(NotFound):
                await approve_enrolment(as_user(outsider), request.id, reason)
    with pytest.raises(NotFound):
        await cancel_enrolment(as_user(foreign_coordinator), request.id, "x" * 2000)
    assert [row["status"] for row in await enrolments_of(course)] == ["pending"]


async def test_the_on_behalf_form_offers_only_courses_the_actor_can_enrol_in(coop, admin, coordinator):
    other = await make_cooperative()
    worker = await make_person(cooperative=coop)
    open_to_all = await make_course(title="Aperto a tutti")
    for_others = await make_course(title="Solo per un'altra cooperativa")
    await CourseEligibleCooperative.insert(CourseEligibleCooperative(course=for_others.id, cooperative=other.id))
    own = await make_course(await make_path("internal_training", owner_cooperative=coop.id), title="Interno")
    await make_course(await make_path("internal_training", owner_cooperative=other.id), title="Interno altrui")
    await make_course(title="Chiuso", enrolment_closes_at=utcnow() - timedelta(minutes=1))
    offered = await open_courses(as_user(coordinator))
    assert {row["id"] for row in offered} == {open_to_all.id, own.id}
    # Whatever is offered can be enrolled in; what is not offered is not visible.
    for row in offered:
        await enrol_person(as_user(coordinator), row["id"], worker.id)
    with pytest.raises(NotFound):
        await enrol_person(as_user(coordinator), for_others.id, worker.id)
    assert len(await open_courses(as_user(admin))) == 4
