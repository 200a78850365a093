"""Who may enrol whom, in which course, and until when: the enrolment's rules that only read.

Everything here decides without writing, so the actions (``actions.py``) check it before taking the
course lock and again, where it can change, under it. Rules (DESIGN.md):

* **Seeing and managing a course** are the catalogue's rules (``catalogue.access``), read on the
  course's facts (``seats.facts.CourseFacts``, loaded once per request), so a course page and its
  enrolment panel never disagree. Whoever cannot see a course gets the same 404 as for a course that
  does not exist.
* **Enrolling someone.** Oneself always; an admin anyone; a tutor the people they follow (TutorLink);
  a coordinator the people of their own cooperative. Anything else is a 403 that does not say whether
  the person exists. Whoever may enrol someone may also cancel their enrolments.
* **Opening.** Published, the enrolment window open, not started yet.
* **Eligibility** (of the person enrolled, not of who acts): the course's cooperatives and areas
  (no rows: open to all), the owner cooperative of an internal path, and, on a path that must be taken
  in order, the earlier courses: the catalogue's rule (``catalogue.path_order``): an earlier position
  is done with an attestato or a confirmed enrolment in an edition held before this course, and blocks
  only while it has an edition the person could still take first.
* **Overlaps** with the person's other confirmed sessions are a warning to confirm, not a refusal.
* **Cancelling.** Until the cancellation deadline (or, without one, the start) anyone who may act for
  the person; after it a confirmed seat only by the training office, which must say why (withdrawing
  from the waiting list or a request is always possible).
* **Deciding on requests**: admins; coordinators for their own cooperative's internal courses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from training_hub.catalogue.access import can_manage_course, get_viewable_course, is_course_trainer
from training_hub.catalogue.access import teaches as catalogue_teaches
from training_hub.catalogue.path_order import blocking_requirement, requirement_message
from training_hub.core.db import as_bool, fetch_all, fetch_one
from training_hub.core.errors import (
    DomainError,
    EnrolmentRefused,
    InvalidState,
    Issue,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from training_hub.core.i18n import N_, format_date, format_time, gettext
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import CourseStatus, EnrolledVia, EnrolmentStatus, Role
from training_hub.seats.facts import CourseFacts, cancellation_deadline_of, find_course_facts
from training_hub.seats.state import LIVE, LIVE_STATUSES_SQL

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


class OverlapWarning(EnrolmentRefused):
    """The person has another session at the same time: a warning that can be confirmed.

    Same problem type as every refusal (``enrolment-refused``); ``issues`` lists the overlaps, all with
    severity ``warning``, and the request succeeds when repeated with ``confirm_warnings``.
    """

    only_warnings = True


def status_label(status: str) -> str:
    return gettext(STATUS_LABELS.get(status, status))


async def load_course(course_id: int) -> CourseFacts | None:
    """The course's facts as nobody in particular sees them; None when it does not exist."""
    return await find_course_facts(course_id)


async def teaches_course(user: CurrentUser, course_id: int) -> bool:
    """A trainer of the course: the catalogue's rule (its trainers and the trainers of its scheduled
    sessions), for a person who still holds the trainer role — asked in the database, for a course
    whose facts were not loaded (``catalogue.access.teaches`` reads them)."""
    return user.has_role(Role.TRAINER) and await is_course_trainer(user.id, course_id)


async def load_course_for(user: CurrentUser, course_id: int) -> CourseFacts | None:
    """The course as ``user`` relates to it (trainer, manager), without checking they may see it."""
    return await find_course_facts(course_id, viewer=user)


async def visible_course(user: CurrentUser, course_id: int) -> CourseFacts:
    """The course, or the same NotFound whether it does not exist or the user may not see it."""
    return await get_viewable_course(user, course_id)


def may_decide_approvals(user: CurrentUser, course: CourseFacts) -> bool:
    """Admins; coordinators for their own cooperative's internal courses."""
    if user.is_admin:
        return True
    return (
        user.has_role(Role.COORDINATOR)
        and course.owner_cooperative_id is not None
        and course.owner_cooperative_id == user.cooperative_id
    )


def may_manage_course(user: CurrentUser, course: CourseFacts) -> bool:
    """Who runs a course's list: the catalogue's managers (admins, its trainers, the owning coordinator)."""
    return can_manage_course(user, course)


def sees_whole_list(user: CurrentUser, course: CourseFacts) -> bool:
    """Everyone on the participant list, with accessibility needs for admins and trainers: the managers
    and whoever teaches the course (a session's trainer too: they take its attendance)."""
    return may_manage_course(user, course) or catalogue_teaches(user, course)


def may_see_participants(user: CurrentUser, course: CourseFacts) -> bool:
    """The participant list: managers and trainers see it all, coordinators their own cooperative's rows."""
    return sees_whole_list(user, course) or (
        user.has_role(Role.COORDINATOR) and user.cooperative_id is not None
    )


# People -------------------------------------------------------------------------------------------

PERSON_SQL = "SELECT id, full_name, email, cooperative, area, active, roles FROM person WHERE id = {}"


async def load_person(person_id: int) -> dict[str, Any] | None:
    return await fetch_one(PERSON_SQL, person_id)


async def follows(tutor_id: int, person_id: int) -> bool:
    return (
        await fetch_one(
            "SELECT 1 AS yes FROM tutor_link WHERE tutor = {} AND person = {}", tutor_id, person_id
        )
        is not None
    )


ON_BEHALF_REFUSED = N_(
    "Puoi iscrivere solo te stesso, le persone della tua cooperativa se sei coordinatore e le persone che "
    "segui se sei tutor."
)


async def enrolment_channel(actor: CurrentUser, person_id: int, person: dict[str, Any] | None) -> str:
    """How ``actor`` may enrol ``person_id`` (an EnrolledVia value), or PermissionDenied / NotFound.

    Only admins learn that a person does not exist; anyone else gets the same 403 for a person of
    another cooperative and for an id that matches nobody.
    """
    if person_id == actor.id and person is not None:
        return EnrolledVia.SELF.value
    if actor.is_admin:
        if person is None:
            raise NotFound(N_("Persona non trovata."), field="person_id")
        return EnrolledVia.ADMIN.value
    if person is not None:
        if actor.has_role(Role.TUTOR) and await follows(actor.id, person_id):
            return EnrolledVia.TUTOR.value
        if (
            actor.has_role(Role.COORDINATOR)
            and actor.cooperative_id is not None
            and person["cooperative"] == actor.cooperative_id
        ):
            return EnrolledVia.COORDINATOR.value
    raise PermissionDenied(ON_BEHALF_REFUSED, field="person_id")


async def may_act_for_person(actor: CurrentUser, person: dict[str, Any]) -> bool:
    """Whether ``actor`` may cancel or withdraw ``person``'s enrolments (the same people they may enrol)."""
    if actor.id == person["id"] or actor.is_admin:
        return True
    if (
        actor.has_role(Role.COORDINATOR)
        and actor.cooperative_id
        and person["cooperative"] == actor.cooperative_id
    ):
        return True
    return actor.has_role(Role.TUTOR) and await follows(actor.id, person["id"])


# Opening, eligibility, overlaps -------------------------------------------------------------------


def opening_refusal(course: Any, now: datetime) -> EnrolmentRefused | None:
    """Published, window open, not started. ``course`` is CourseFacts or a row with the same fields."""
    get = course.get if isinstance(course, dict) else lambda name: getattr(course, name)
    status = get("status")
    if status == CourseStatus.COMPLETED:
        return EnrolmentRefused(N_("Il corso è concluso."))
    if status == CourseStatus.CANCELLED:
        return EnrolmentRefused(N_("Il corso è stato annullato."))
    if status != CourseStatus.PUBLISHED:
        return EnrolmentRefused(N_("Il corso non è aperto alle iscrizioni: non è pubblicato."))
    opens, closes, starts = get("enrolment_opens_at"), get("enrolment_closes_at"), get("starts_at")
    if opens is not None and now < opens:
        return EnrolmentRefused(
            N_("Le iscrizioni apriranno il %(date)s alle %(time)s."),
            date=format_date(opens),
            time=format_time(opens),
        )
    if closes is not None and now >= closes:
        return EnrolmentRefused(
            N_("Le iscrizioni si sono chiuse il %(date)s alle %(time)s."),
            date=format_date(closes),
            time=format_time(closes),
        )
    if starts is not None and now >= starts:
        return EnrolmentRefused(N_("Il corso è già iniziato: non è più possibile iscriversi."))
    return None


ELIGIBILITY_SQL = (
    "SELECT "
    "(SELECT COUNT(*) FROM course_eligible_cooperative WHERE course = {}) AS cooperative_rules, "
    "(SELECT COUNT(*) FROM course_eligible_cooperative WHERE course = {} AND cooperative = {}) "
    "AS cooperative_ok, "
    "(SELECT COUNT(*) FROM course_eligible_area WHERE course = {}) AS area_rules, "
    "(SELECT COUNT(*) FROM course_eligible_area WHERE course = {} AND area = {}) AS area_ok, "
    "(SELECT COUNT(*) FROM enrolment WHERE course = {} AND person = {} "
    f"AND status IN {LIVE_STATUSES_SQL}) AS live"
)


async def eligibility_refusal(course: CourseFacts, person: dict[str, Any]) -> EnrolmentRefused | None:
    """The first reason ``person`` cannot take ``course`` (an already live enrolment included)."""
    if not as_bool(person["active"]):
        return EnrolmentRefused(N_("L'utenza di questa persona è disattivata."), field="person_id")
    cooperative, area = person["cooperative"], person["area"]
    if course.owner_cooperative_id is not None and cooperative != course.owner_cooperative_id:
        return EnrolmentRefused(
            N_("Il corso è riservato alle persone della cooperativa che lo organizza."), field="person_id"
        )
    row = await fetch_one(
        ELIGIBILITY_SQL,
        course.id,
        course.id,
        cooperative,
        course.id,
        course.id,
        area,
        course.id,
        person["id"],
    )
    assert row is not None
    if int(row["live"]):
        return EnrolmentRefused(
            N_("La persona è già iscritta a questo corso o in attesa di conferma."), field="person_id"
        )
    if int(row["cooperative_rules"]) and not int(row["cooperative_ok"]):
        return EnrolmentRefused(
            N_("Il corso è riservato ad alcune cooperative e la persona non fa parte di queste."),
            field="person_id",
        )
    if int(row["area_rules"]) and not int(row["area_ok"]):
        return EnrolmentRefused(
            N_("Il corso è riservato ad alcune aree di lavoro e quella della persona non è tra queste."),
            field="person_id",
        )
    if course.sequential:
        # Earlier positions done, or with no edition to take first (catalogue/path_order.py).
        earlier = await blocking_requirement(person["id"], course_id=course.id, path_id=course.path_id,
                                             position=course.position, starts_at=course.starts_at)
        if earlier is not None:
            message, params = requirement_message(earlier)
            return EnrolmentRefused(message, field="person_id", **params)
    return None


OVERLAP_SQL = (
    "SELECT s.starts_at, s.ends_at, c.title FROM course_session s "
    "JOIN enrolment e ON e.course = s.course AND e.person = {} AND e.status = 'confirmed' "
    "JOIN course c ON c.id = s.course "
    "WHERE s.course <> {} AND s.status = 'scheduled' AND s.starts_at < {} AND s.ends_at > {} "
    "ORDER BY s.starts_at"
)


async def overlap_issues(person_id: int, course_id: int, sessions: list[dict[str, Any]]) -> list[Issue]:
    """Warnings for the person's confirmed sessions of other courses that overlap this course's sessions."""
    scheduled = [s for s in sessions if s["status"] == "scheduled"]
    if not scheduled:
        return []
    first = min(s["starts_at"] for s in scheduled)
    last = max(s["ends_at"] for s in scheduled)
    issues: list[Issue] = []
    for other in await fetch_all(OVERLAP_SQL, person_id, course_id, last, first):
        if any(s["starts_at"] < other["ends_at"] and other["starts_at"] < s["ends_at"] for s in scheduled):
            issues.append(
                Issue(
                    code="overlap",
                    severity="warning",
                    message=N_(
                        "Il %(date)s dalle %(start)s alle %(end)s la persona ha già un incontro del corso "
                        "«%(title)s»."
                    ),
                    params={
                        "date": format_date(other["starts_at"]),
                        "start": format_time(other["starts_at"]),
                        "end": format_time(other["ends_at"]),
                        "title": other["title"],
                    },
                )
            )
    return issues


# Cancelling: until when, by whom ------------------------------------------------------------------


def is_late(status: str, deadline: datetime | None, now: datetime) -> bool:
    """A confirmed seat past the cancellation deadline: only the office may cancel it, with a reason."""
    return status == EnrolmentStatus.CONFIRMED and deadline is not None and now >= deadline


def cancel_refusal(
    actor: CurrentUser, status: str, course: dict[str, Any] | CourseFacts, now: datetime
) -> DomainError | None:
    """Why ``actor`` may not cancel an enrolment in ``status`` now; None when they may."""
    if status not in LIVE:
        return InvalidState(N_("L'iscrizione è già %(status)s."), status=status_label(status).lower())
    deadline = cancellation_deadline_of(course)
    if is_late(status, deadline, now) and not actor.is_admin:
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


def check_cancellable(
    actor: CurrentUser, status: str, course: dict[str, Any] | CourseFacts, now: datetime, reason: str
) -> bool:
    """Raise when the cancellation is refused; whether it is late (then a reason is required)."""
    refusal = cancel_refusal(actor, status, course, now)
    if refusal is not None:
        raise refusal
    late = is_late(status, cancellation_deadline_of(course), now)
    if late and not reason:
        raise ValidationFailed(
            N_("Il termine per annullare è scaduto: indica il motivo dell'annullamento."), field="reason"
        )
    return late
