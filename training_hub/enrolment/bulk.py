"""Bulk enrolment: the training office and coordinators enrol several people in one course in one step.

Three steps, each its own function: :func:`bulk_candidates` (the people the actor may enrol, picked by
cooperative, area, role or name), :func:`bulk_preview` (what each person would get — a seat, a place
on the waiting list with its position, a request to approve, or a refusal with its reason — before
anything is written) and :func:`enrol_many` (the same decisions, taken for real).

Rules are those of a single enrolment (``eligibility.py``, ``actions.enrol_person``): who may enrol
whom (the office anyone; a coordinator the people of their own cooperative — anyone else, or an id that
matches nobody, gets the same refusal), opening, eligibility, overlaps (a warning: such a person is
left out unless the actor confirms). Seats are decided in ONE transaction under the course lock, in
the order the people were listed: the free seats first, then the waiting list in that order
(``seats.locking``). The statements are a fixed number whatever the number of people: people,
eligibility and overlaps are read for everyone at once, and under the lock the count, the live
enrolments, then one insert each for the enrolments, the messages (in batches of a hundred) and the
audit rows (one row per enrolment, never anything about needs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from training_hub.core.db import as_bool, fetch_all, write_transaction
from training_hub.core.errors import PermissionDenied, ValidationFailed
from training_hub.core.i18n import N_, format_date, format_time, gettext
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import Area, AuditEvent, EnrolledVia, EnrolmentStatus, Role
from training_hub.core.timeutil import utcnow
from training_hub.enrolment.eligibility import (
    ON_BEHALF_REFUSED,
    OVERLAP_SQL,
    eligibility_refusal,
    may_decide_approvals,
    opening_refusal,
    visible_course,
)
from training_hub.notifications.compose import compose, course_sessions, invitation, scheduled
from training_hub.notifications.outbox import OutgoingMessage, queue_messages
from training_hub.seats.facts import CourseFacts, cancellation_deadline_of
from training_hub.seats.locking import lock_course, precise_now
from training_hub.seats.state import LIVE_STATUSES_SQL, seat_state

BULK_MAX = 200
CANDIDATES_MAX = 500

REFUSED = "refused"
OVERLAP = "overlap"

ALREADY_ENROLLED = N_("La persona è già iscritta a questo corso o in attesa di conferma.")
OVERLAP_MESSAGE = N_("Ha già un altro incontro alla stessa ora (%(when)s, «%(title)s»).")


def _placeholders(values: list[Any]) -> str:
    return ", ".join("{}" for _ in values)


@dataclass
class BulkLine:
    """What one person gets (or would get): ``outcome`` is an enrolment status, ``refused`` or
    ``overlap`` (a warning: enrolled only when the actor confirms)."""

    person_id: int
    full_name: str
    cooperative_name: str | None
    outcome: str
    waitlist_position: int | None = None
    reason: str | None = None
    enrolment_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "full_name": self.full_name,
            "cooperative_name": self.cooperative_name,
            "outcome": self.outcome,
            "status": self.outcome if self.outcome in {s.value for s in EnrolmentStatus} else None,
            "waitlist_position": self.waitlist_position,
            "reason": self.reason,
            "enrolment_id": self.enrolment_id,
        }


@dataclass
class BulkResult:
    course: CourseFacts
    lines: list[BulkLine]
    seats_left: int
    waitlist_length: int
    needs_approval: bool
    written: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for line in self.lines:
            self.counts[line.outcome] = self.counts.get(line.outcome, 0) + 1

    @property
    def has_overlaps(self) -> bool:
        return any(line.outcome == OVERLAP for line in self.lines)

    @property
    def will_enrol(self) -> int:
        return sum(1 for line in self.lines if line.outcome not in (REFUSED, OVERLAP))


# Who may act, and on whom --------------------------------------------------------------------------


def _ensure_bulk_actor(actor: CurrentUser) -> None:
    if actor.is_admin:
        return
    if actor.has_role(Role.COORDINATOR) and actor.cooperative_id is not None:
        return
    raise PermissionDenied(N_("Solo l'ufficio formazione e i coordinatori possono iscrivere più persone insieme."))


def clean_person_ids(values: Any) -> list[int]:
    """The ids as given, in order and once each; 422 for none, too many or something not an id."""
    if not isinstance(values, list | tuple):
        values = [values]
    ids: list[int] = []
    for value in values:
        try:
            person_id = int(str(value).strip())
        except (TypeError, ValueError):
            raise ValidationFailed(N_("Le persone vanno indicate con il loro numero."), field="person_ids") from None
        if person_id <= 0 or person_id > 2**31 - 1:
            raise ValidationFailed(N_("Le persone vanno indicate con il loro numero."), field="person_ids")
        if person_id not in ids:
            ids.append(person_id)
    if not ids:
        raise ValidationFailed(N_("Scegli almeno una persona da iscrivere."), field="person_ids")
    if len(ids) > BULK_MAX:
        raise ValidationFailed(
            N_("Puoi iscrivere al massimo %(n)d persone alla volta."), field="person_ids", n=BULK_MAX
        )
    return ids


PEOPLE_SQL = (
    "SELECT p.id, p.full_name, p.email, p.cooperative, p.area, p.active, p.roles, co.name AS cooperative_name "
    "FROM person p LEFT JOIN cooperative co ON co.id = p.cooperative WHERE p.id IN ({ids})"
)


def _may_enrol(actor: CurrentUser, person: dict[str, Any] | None) -> bool:
    if person is None:
        return False
    if actor.is_admin or person["id"] == actor.id:
        return True
    return actor.cooperative_id is not None and person["cooperative"] == actor.cooperative_id


def _via(actor: CurrentUser, person: dict[str, Any]) -> str:
    if person["id"] == actor.id:
        return EnrolledVia.SELF.value
    return EnrolledVia.ADMIN.value if actor.is_admin else EnrolledVia.COORDINATOR.value


# Eligibility of many people at once ----------------------------------------------------------------

BATCH_ELIGIBILITY_SQL = (
    "SELECT p.id, "
    "(SELECT COUNT(*) FROM course_eligible_cooperative WHERE course = {course}) AS cooperative_rules, "
    "(SELECT COUNT(*) FROM course_eligible_cooperative WHERE course = {course} AND cooperative = p.cooperative) "
    "AS cooperative_ok, "
    "(SELECT COUNT(*) FROM course_eligible_area WHERE course = {course}) AS area_rules, "
    "(SELECT COUNT(*) FROM course_eligible_area WHERE course = {course} AND area = p.area) AS area_ok, "
    "(SELECT COUNT(*) FROM enrolment WHERE course = {course} AND person = p.id "
    f"AND status IN {LIVE_STATUSES_SQL}) AS live "
    "FROM person p WHERE p.id IN ({ids})"
)


async def eligibility_refusals(course: CourseFacts, people: list[dict[str, Any]]) -> dict[int, str]:
    """The first reason each person cannot take ``course`` (as :func:`eligibility_refusal` gives it),
    for everyone in one statement; people without a reason are left out.

    A path to take in order asks :func:`eligibility_refusal` person by person, so that rule stays in one
    place."""
    if not people:
        return {}
    if course.sequential:
        refusals = {}
        for person in people:
            refusal = await eligibility_refusal(course, person)
            if refusal is not None:
                refusals[person["id"]] = refusal.detail
        return refusals
    ids = [person["id"] for person in people]
    sql = BATCH_ELIGIBILITY_SQL.replace("{course}", str(int(course.id))).replace("{ids}", _placeholders(ids))
    rows = {row["id"]: row for row in await fetch_all(sql, *ids)}
    refusals: dict[int, str] = {}
    for person in people:
        row = rows[person["id"]]
        message = None
        if not as_bool(person["active"]):
            message = N_("L'utenza di questa persona è disattivata.")
        elif course.owner_cooperative_id is not None and person["cooperative"] != course.owner_cooperative_id:
            message = N_("Il corso è riservato alle persone della cooperativa che lo organizza.")
        elif int(row["live"]):
            message = ALREADY_ENROLLED
        elif int(row["cooperative_rules"]) and not int(row["cooperative_ok"]):
            message = N_("Il corso è riservato ad alcune cooperative e la persona non fa parte di queste.")
        elif int(row["area_rules"]) and not int(row["area_ok"]):
            message = N_("Il corso è riservato ad alcune aree di lavoro e quella della persona non è tra queste.")
        if message is not None:
            refusals[person["id"]] = gettext(message)
    return refusals


async def overlaps_of(people_ids: list[int], course_id: int, sessions: list[dict[str, Any]]) -> dict[int, str]:
    """For each person with a confirmed session of another course at the same time as one of this course's,
    the first such overlap (one statement for everyone)."""
    listed = scheduled(sessions)
    if not listed or not people_ids:
        return {}
    first, last = min(s["starts_at"] for s in listed), max(s["ends_at"] for s in listed)
    sql = OVERLAP_SQL.replace(
        "SELECT s.starts_at", "SELECT e.person, s.starts_at"
    ).replace("e.person = {}", f"e.person IN ({_placeholders(people_ids)})")
    found: dict[int, str] = {}
    for other in await fetch_all(sql, *people_ids, course_id, last, first):
        if other["person"] in found:
            continue
        if any(s["starts_at"] < other["ends_at"] and other["starts_at"] < s["ends_at"] for s in listed):
            when = f"{format_date(other['starts_at'])} {format_time(other['starts_at'])}"
            found[other["person"]] = gettext(OVERLAP_MESSAGE) % {"when": when, "title": other["title"]}
    return found


# Assessing and allocating --------------------------------------------------------------------------


@dataclass
class _Assessed:
    course: CourseFacts
    people: dict[int, dict[str, Any]]
    lines: dict[int, BulkLine]  # refused (and overlap) lines by person
    candidates: list[int]  # in the order given: may be enrolled
    overlaps: dict[int, str]
    sessions: list[dict[str, Any]]
    needs_approval: bool


async def _assess(actor: CurrentUser, course_id: int, person_ids: list[int], now: datetime) -> _Assessed:
    _ensure_bulk_actor(actor)
    course = await visible_course(actor, course_id)
    refusal = opening_refusal(course, now)
    if refusal is not None:
        raise refusal
    rows = await fetch_all(PEOPLE_SQL.replace("{ids}", _placeholders(person_ids)), *person_ids)
    people = {row["id"]: row for row in rows}
    lines: dict[int, BulkLine] = {}
    allowed: list[dict[str, Any]] = []
    for person_id in person_ids:
        person = people.get(person_id)
        if not _may_enrol(actor, person):
            # The same answer for someone of another cooperative and for an id that matches nobody.
            message = N_("Persona non trovata.") if actor.is_admin and person is None else ON_BEHALF_REFUSED
            lines[person_id] = BulkLine(person_id, person["full_name"] if person and actor.is_admin else "",
                                        None, REFUSED, reason=gettext(message))
            continue
        assert person is not None
        allowed.append(person)
    refusals = await eligibility_refusals(course, allowed)
    sessions = await course_sessions(course_id)
    eligible = [p["id"] for p in allowed if p["id"] not in refusals]
    overlaps = await overlaps_of(eligible, course_id, sessions)
    for person in allowed:
        if person["id"] in refusals:
            lines[person["id"]] = BulkLine(person["id"], person["full_name"], person["cooperative_name"], REFUSED,
                                           reason=refusals[person["id"]])
    return _Assessed(course, people, lines, eligible, overlaps, sessions,
                     course.requires_approval and not may_decide_approvals(actor, course))


def allocate(
    candidates: list[int], *, free: int, waitlisted: int, needs_approval: bool
) -> dict[int, tuple[str, int | None]]:
    """Seats in the order given: the ``free`` seats first, then the waiting list after the ``waitlisted``
    people already on it; every request pending when the course needs approval."""
    outcome: dict[int, tuple[str, int | None]] = {}
    for person_id in candidates:
        if needs_approval:
            outcome[person_id] = (EnrolmentStatus.PENDING.value, None)
        elif free > 0:
            outcome[person_id] = (EnrolmentStatus.CONFIRMED.value, None)
            free -= 1
        else:
            waitlisted += 1
            outcome[person_id] = (EnrolmentStatus.WAITLISTED.value, waitlisted)
    return outcome


def _lines(person_ids: list[int], assessed: _Assessed, decided: dict[int, tuple[str, int | None]],
           ids: dict[int, int] | None = None) -> list[BulkLine]:
    result = []
    for person_id in person_ids:
        if person_id in assessed.lines:
            result.append(assessed.lines[person_id])
            continue
        person = assessed.people[person_id]
        if person_id in decided:
            status, position = decided[person_id]
            result.append(BulkLine(person_id, person["full_name"], person["cooperative_name"], status, position,
                                   assessed.overlaps.get(person_id), (ids or {}).get(person_id)))
        else:
            result.append(BulkLine(person_id, person["full_name"], person["cooperative_name"], OVERLAP,
                                   reason=assessed.overlaps.get(person_id)))
    return result


def _to_decide(assessed: _Assessed, confirm_warnings: bool) -> list[int]:
    return [p for p in assessed.candidates if confirm_warnings or p not in assessed.overlaps]


async def bulk_preview(
    actor: CurrentUser, course_id: int, person_ids: Any, *, confirm_warnings: bool = False,
    now: datetime | None = None,
) -> BulkResult:
    """What :func:`enrol_many` would do with these people now, written nowhere. The seats are counted
    outside the lock: the confirmation decides again, and may differ if others enrolled meanwhile."""
    now = now or utcnow()
    ids = clean_person_ids(person_ids)
    assessed = await _assess(actor, course_id, ids, now)
    course = assessed.course
    decided = allocate(_to_decide(assessed, confirm_warnings), free=course.seats_left,
                       waitlisted=course.seats.waitlisted, needs_approval=assessed.needs_approval)
    return BulkResult(course, _lines(ids, assessed, decided), course.seats_left, course.seats.waitlisted,
                      assessed.needs_approval)


INSERT_HEAD = (
    "INSERT INTO enrolment (person, course, status, enrolled_via, enrolled_by, created_at, waitlisted_at, "
    "confirmed_at, decided_at, decided_by, decision_reason, cancelled_at, cancelled_by, cancel_reason, "
    "certificate_code, updated_at) VALUES "
)
INSERT_ROW = "({}, {}, {}, {}, {}, {}, {}, {}, NULL, NULL, '', NULL, NULL, '', NULL, {})"
NOTICE_KINDS = {
    EnrolmentStatus.CONFIRMED.value: "enrolment_confirmed",
    EnrolmentStatus.WAITLISTED.value: "enrolment_waitlisted",
    EnrolmentStatus.PENDING.value: "enrolment_pending",
}
_BATCH = 100


async def enrol_many(
    actor: CurrentUser, course_id: int, person_ids: Any, *, confirm_warnings: bool = False,
    now: datetime | None = None,
) -> BulkResult:
    """Enrol the people listed, in that order: each gets what the seat rules give (a seat, a place on
    the waiting list, a request to approve) or a refusal with its reason; people with an overlapping
    session are left out unless ``confirm_warnings``. One transaction under the course lock decides
    every seat; each person gets their usual message, and each enrolment an audit row."""
    now = now or utcnow()
    ids = clean_person_ids(person_ids)
    assessed = await _assess(actor, course_id, ids, now)
    to_decide = _to_decide(assessed, confirm_warnings)
    async with write_transaction():
        locked = await lock_course(course_id)
        refusal = opening_refusal(locked, now)
        if refusal is not None:
            raise refusal
        state = await seat_state(course_id)
        capacity = int(locked["capacity"] or 0)
        if to_decide:
            live = await fetch_all(
                f"SELECT person FROM enrolment WHERE course = {{}} AND status IN {LIVE_STATUSES_SQL} "
                f"AND person IN ({_placeholders(to_decide)})", course_id, *to_decide)
            for row in live:  # enrolled meanwhile (another request got the lock first)
                person = assessed.people[row["person"]]
                assessed.lines[row["person"]] = BulkLine(row["person"], person["full_name"],
                                                         person["cooperative_name"], REFUSED,
                                                         reason=gettext(ALREADY_ENROLLED))
            to_decide = [p for p in to_decide if p not in assessed.lines]
        decided = allocate(to_decide, free=max(0, capacity - state.confirmed), waitlisted=state.waitlisted,
                           needs_approval=assessed.needs_approval)
        enrolment_ids = await _write(actor, course_id, locked, assessed, decided, now)
    lines = _lines(ids, assessed, decided, enrolment_ids)
    return BulkResult(assessed.course, lines, max(0, capacity - state.confirmed), state.waitlisted,
                      assessed.needs_approval, written=True)


async def _write(actor: CurrentUser, course_id: int, locked: dict[str, Any], assessed: _Assessed,
                 decided: dict[int, tuple[str, int | None]], now: datetime) -> dict[int, int]:
    if not decided:
        return {}
    order = list(decided)
    base = precise_now()
    enrolment_ids: dict[int, int] = {}
    for first in range(0, len(order), _BATCH):
        batch = order[first:first + _BATCH]
        args: list[Any] = []
        for index, person_id in enumerate(batch, start=first):
            status, _ = decided[person_id]
            waiting = base + timedelta(microseconds=index) if status == EnrolmentStatus.WAITLISTED else None
            confirmed = now if status == EnrolmentStatus.CONFIRMED else None
            args += [person_id, course_id, status, _via(actor, assessed.people[person_id]), actor.id, now,
                     waiting, confirmed, now]
        rows = await fetch_all(INSERT_HEAD + ", ".join([INSERT_ROW] * len(batch)) + " RETURNING id, person", *args)
        enrolment_ids.update({row["person"]: row["id"] for row in rows})
    await queue_messages(_notices(locked, assessed, decided))
    await AuditEvent.insert(*[
        AuditEvent(actor=actor.id, action="enrolment.created", entity="enrolment", entity_id=enrolment_ids[p],
                   data={"course_id": course_id, "person_id": p, "status": decided[p][0], "bulk": True})
        for p in order
    ])
    return enrolment_ids


def _notices(locked: dict[str, Any], assessed: _Assessed, decided: dict[int, tuple[str, int | None]]
             ) -> list[OutgoingMessage]:
    """The message each person gets, as :func:`queue_enrolment_notice` writes it for one enrolment."""
    listed = scheduled(assessed.sessions)
    messages = []
    for person_id, (status, position) in decided.items():
        person = assessed.people[person_id]
        if not person["email"] or not as_bool(person["active"]):
            continue
        kind = NOTICE_KINDS[status]
        subject, body = compose(kind, full_name=person["full_name"], course_title=locked["title"],
                                sessions=listed, position=position, deadline=cancellation_deadline_of(locked))
        ics = ""
        if kind == "enrolment_confirmed" and listed:
            ics = invitation(locked["title"], listed, method="REQUEST", to_email=person["email"],
                             full_name=person["full_name"])
        messages.append(OutgoingMessage(kind, person_id, person["email"], subject, body, ics))
    return messages


# Choosing the people -------------------------------------------------------------------------------


async def bulk_candidates(
    actor: CurrentUser,
    course_id: int,
    *,
    cooperative_id: int | None = None,
    area: str | None = None,
    role: str | None = None,
    q: str | None = None,
) -> dict[str, Any]:
    """The active people the actor may enrol, filtered, with their current enrolment in the course.

    Coordinators see only their own cooperative (asking for another is a 403); at most
    :data:`CANDIDATES_MAX` people, ``truncated`` says when more matched."""
    _ensure_bulk_actor(actor)
    course = await visible_course(actor, course_id)
    if not actor.is_admin:
        if cooperative_id not in (None, actor.cooperative_id):
            raise PermissionDenied(N_("Puoi iscrivere solo le persone della tua cooperativa."))
        cooperative_id = actor.cooperative_id
    if area and area not in {a.value for a in Area}:
        raise ValidationFailed(N_("Area di lavoro sconosciuta."), field="area")
    if role and role not in {r.value for r in Role}:
        raise ValidationFailed(N_("Ruolo sconosciuto."), field="role")
    sql = (
        "SELECT p.id, p.full_name, p.area, p.roles, co.name AS cooperative_name, "
        "(SELECT MIN(e.status) FROM enrolment e WHERE e.course = {} AND e.person = p.id "
        f"AND e.status IN {LIVE_STATUSES_SQL}) AS enrolment_status "
        "FROM person p LEFT JOIN cooperative co ON co.id = p.cooperative WHERE p.active = {} "
    )
    args: list[Any] = [course_id, True]
    if cooperative_id is not None:
        sql += "AND p.cooperative = {} "
        args.append(cooperative_id)
    if area:
        sql += "AND p.area = {} "
        args.append(area)
    if role:
        sql += "AND (',' || p.roles || ',') LIKE {} "
        args.append(f"%,{role},%")
    if q and q.strip():
        sql += "AND (LOWER(p.full_name) LIKE {} OR LOWER(p.email) LIKE {}) "
        needle = f"%{q.strip().lower()}%"
        args += [needle, needle]
    sql += "ORDER BY p.full_name, p.id LIMIT {}"
    rows = await fetch_all(sql, *args, CANDIDATES_MAX + 1)
    return {
        "course": course,
        "people": rows[:CANDIDATES_MAX],
        "truncated": len(rows) > CANDIDATES_MAX,
        "cooperative_id": cooperative_id,
    }
