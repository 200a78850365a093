"""Accessibility needs: what to arrange for a person (step-free access, an interpreter, easy-read
materials, a companion, notes) — never a diagnosis.

Special-category data (GDPR art. 9): recorded by the person themself, their tutor or the training
office; seen by those and by the trainers of a course the person is a confirmed participant of, while
the course still has sessions to hold — never through an enrolment the trainer made herself, nor by a
coordinator-trainer for her own cooperative's people (:func:`people_whose_needs_trainer_sees`). Anyone
else is told the person does not exist (the same 404), so even the existence of needs is never
revealed. The audit trail notes who changed them and when, and every read by someone other than the
person (``accessibility_needs.read``), never what; they never reach feeds, logs,
exports or reports. Trainers and the office are warned, with a number and not a name, when a session
is held where there is no step-free access and a participant needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from training_hub.core.audit import record_audit_event
from training_hub.core.db import as_bool, fetch_all, fetch_one, write_transaction
from training_hub.core.errors import NotFound, PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import AccessibilityNeeds, AuditEvent, EnrolmentStatus, Role, SessionStatus
from training_hub.core.timeutil import utcnow
from training_hub.enrolment.eligibility import follows, load_person, teaches_course
from training_hub.seats.state import LIVE_STATUSES_SQL

NEEDS_SQL = (
    "SELECT n.person, n.step_free_access, n.interpreter, n.easy_read, n.companion, n.notes "
    "FROM accessibility_needs n JOIN enrolment e ON e.person = n.person "
    f"WHERE e.course = {{}} AND e.status IN {LIVE_STATUSES_SQL}"
)


def needs_out(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "step_free_access": as_bool(row["step_free_access"]),
        "interpreter": as_bool(row["interpreter"]),
        "easy_read": as_bool(row["easy_read"]),
        "companion": as_bool(row["companion"]),
        "notes": row["notes"] or "",
    }


@dataclass
class NeedsInput:
    step_free_access: bool = False
    interpreter: bool = False
    easy_read: bool = False
    companion: bool = False
    notes: str = ""


NEEDS_NOTES_MAX = 500


# The trainer rule, as SQL: the courses in which the person is a confirmed participant, not enrolled by
# the viewer, with a scheduled session still to end. Trainer status the viewer could create herself
# (enrolling the person, even pending, in a course she teaches) never opens the person's needs.
TRAINER_NEEDS_SQL = (
    "SELECT DISTINCT e.person, e.course FROM enrolment e "
    "WHERE e.person IN ({people}) AND e.status = {{}} "
    "AND (e.enrolled_by IS NULL OR e.enrolled_by <> {{}}) "
    "AND EXISTS (SELECT 1 FROM course_session s WHERE s.course = e.course AND s.status = {{}} "
    "AND s.ends_at > {{}})"
)


async def people_whose_needs_trainer_sees(
    actor: CurrentUser,
    people: dict[int, int | None],
    *,
    course_id: int | None = None,
    teaches: bool | None = None,
) -> set[int]:
    """The one trainer rule of the needs: of ``people`` (person id → their cooperative), those whose
    needs ``actor`` sees because she teaches a course they take.

    Only confirmed participants count, only in a course with a scheduled session not yet ended, and
    never through an enrolment the actor made; a coordinator gets nothing from it for the people of
    her own cooperative (she could make herself their trainer). ``course_id`` limits it to one course
    (the participant list), whose ``teaches`` the caller may already know. One query, plus one check
    per other course when the caller does not know it.
    """
    if not actor.has_role(Role.TRAINER) or not people:
        return set()
    candidates = [
        pid for pid, coop in people.items()
        if pid != actor.id
        and not (actor.has_role(Role.COORDINATOR) and coop is not None and coop == actor.cooperative_id)
    ]
    if not candidates:
        return set()
    sql = TRAINER_NEEDS_SQL.format(people=", ".join("{}" for _ in candidates))
    args: list[Any] = [*candidates, EnrolmentStatus.CONFIRMED.value, actor.id, SessionStatus.SCHEDULED.value,
                       utcnow()]
    if course_id is not None:
        sql += " AND e.course = {}"
        args.append(course_id)
    rows = await fetch_all(sql, *args)
    seen: set[int] = set()
    verdicts: dict[int, bool] = {}
    for row in rows:
        course = row["course"]
        if course not in verdicts:
            verdicts[course] = (
                teaches if teaches is not None and course == course_id else await teaches_course(actor, course)
            )
        if verdicts[course]:
            seen.add(row["person"])
    return seen


async def may_record_needs(actor: CurrentUser, person_id: int) -> bool:
    """The person themself, their tutor, admins."""
    if actor.id == person_id or actor.is_admin:
        return True
    return actor.has_role(Role.TUTOR) and await follows(actor.id, person_id)


async def may_see_needs(actor: CurrentUser, person_id: int, cooperative_id: int | None = None) -> bool:
    """Who records them, and the trainers of a course the person takes (the trainer rule above)."""
    if await may_record_needs(actor, person_id):
        return True
    return person_id in await people_whose_needs_trainer_sees(actor, {person_id: cooperative_id})


async def audit_needs_reads(actor: CurrentUser, person_ids: list[int], *, course_id: int | None = None) -> None:
    """One audit row per person whose needs someone else read: who, whom, when; never the content."""
    others = [pid for pid in person_ids if pid != actor.id]
    if not others:
        return
    await AuditEvent.insert(
        *[
            AuditEvent(actor=actor.id, action=NEEDS_READ, entity="person", entity_id=pid, person_id=pid,
                       course_id=course_id, data={"course_id": course_id} if course_id is not None else {})
            for pid in others
        ]
    )


NEEDS_READ = "accessibility_needs.read"


async def get_accessibility_needs(actor: CurrentUser, person_id: int, *, audited: bool = True) -> dict[str, Any]:
    """The person's needs (all false when none are recorded); NotFound for anyone not allowed.

    The answer for someone without access is the same as for a person who does not exist, so the
    existence of needs (or of the person) is never revealed.
    """
    person = await load_person(person_id)
    if person is None or not await may_see_needs(actor, person_id, person["cooperative"]):
        raise NotFound(N_("Persona non trovata."))
    if audited:
        await audit_needs_reads(actor, [person_id])
    row = await fetch_one(
        "SELECT person, step_free_access, interpreter, easy_read, companion, notes, updated_at "
        "FROM accessibility_needs WHERE person = {}",
        person_id,
    )
    needs = needs_out(row) or needs_out(
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
        if person is not None and await may_see_needs(actor, person_id, person["cooperative"]):
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
    # What was just written, shown back: the change is audited above, not a read.
    return await get_accessibility_needs(actor, person_id, audited=False)


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
