"""Who sees a course, who manages it, who teaches it: the catalogue's access rules.

Every feature asks these (the enrolment panel, attendance, surveys, calendars), so a course page and
what hangs from it never disagree. They read :class:`~training_hub.seats.facts.CourseFacts` — the course
as loaded once per request — or, for lists, run as SQL (:func:`visible_courses_sql`, the same rule).

Visibility. Admins see everything. Everyone else sees a course when it is not a draft and its audience
includes them: a cooperative's own path (``TrainingPath.owner_cooperative``) only for that cooperative's
members, and a course restricted to some cooperatives (``CourseEligibleCooperative``) only for their
members. Drafts are seen only by those who manage the course: its trainers, its author, the coordinators
of the cooperative owning the path, and admins. A session's own trainer may see the course too, and so
may whoever holds an enrolment in it, or a tutor one of whose people does. Areas of work restrict who the
course is meant for (shown, and used by the catalogue's area filter), not who may read it: coordinators
and tutors enrol people of every area. Whoever may not see a course gets the same 404 as for a course
that does not exist.

Managing (edit, schedule, publish, cancel): admins, the course's trainers (with the trainer role), its
author only while the course is a draft, and the coordinators of the cooperative that owns the course's
path. Once the office takes an author off the trainer list of a published course she no longer manages
it; and only admins, the course's trainers and the owning coordinators change the trainer list
(:func:`can_change_trainers`), so a draft's author cannot put herself back on it. Teaching: the trainers
of a cooperative's path may include its coordinators (:func:`trainer_candidates`).
"""

from __future__ import annotations

from typing import Any

from piccolo.columns.combination import WhereRaw

from training_hub.core.db import fetch_one
from training_hub.core.errors import NotFound, PermissionDenied
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser, parse_roles
from training_hub.core.tables import Course, CourseStatus, Person, Role, SessionStatus
from training_hub.seats.facts import CourseFacts, load_course_facts

# Statuses a course can have and still be read by its audience (drafts: only by who manages it).
PUBLIC_STATUSES = (CourseStatus.PUBLISHED.value, CourseStatus.COMPLETED.value, CourseStatus.CANCELLED.value)


def can_manage_course(user: CurrentUser, course: CourseFacts) -> bool:
    """Edit, schedule, publish, cancel: admins, the course's trainers (with the trainer role), its author
    while it is a draft, and the coordinators of the cooperative that owns the course's path."""
    if user.has_role(Role.TRAINER) and user.id == course.created_by and course.status == CourseStatus.DRAFT:
        return True
    return can_change_trainers(user, trainer_ids=course.trainer_ids, owner_cooperative_id=course.owner_cooperative_id)


def can_change_trainers(user: CurrentUser, *, trainer_ids: Any, owner_cooperative_id: int | None) -> bool:
    """Who changes a course's trainer list: admins, its trainers (with the trainer role) and the
    coordinators of the cooperative owning its path — never the author as such."""
    if user.is_admin:
        return True
    if user.has_role(Role.TRAINER) and user.id in trainer_ids:
        return True
    return bool(
        user.has_role(Role.COORDINATOR)
        and user.cooperative_id is not None
        and owner_cooperative_id == user.cooperative_id
    )


def in_audience(user: CurrentUser, course: CourseFacts) -> bool:
    """The course is meant for the user's cooperative (its path and its eligibility)."""
    owner = course.owner_cooperative_id
    if owner is not None and owner != user.cooperative_id:
        return False
    return not course.eligible_cooperative_ids or user.cooperative_id in course.eligible_cooperative_ids


def can_view_course(user: CurrentUser, course: CourseFacts, *, enrolled: bool | None = None) -> bool:
    """May the user read the course page? ``enrolled``: they hold an enrolment in it, or (a tutor) someone
    they follow does; by default what the facts say when they were read for ``user``."""
    if can_manage_course(user, course):
        return True
    if user.id in course.trainer_ids or user.id in course.session_trainer_ids:
        return True
    if course.status == CourseStatus.DRAFT:
        return False
    if enrolled is None:
        viewer = course.viewer_for(user)
        enrolled = viewer is not None and (viewer.enrolment_status is not None or viewer.follows_enrolled)
    return enrolled or in_audience(user, course)


def teaches(user: CurrentUser, course: CourseFacts) -> bool:
    """A trainer of the course — one of its trainers, or teaching one of its scheduled sessions — who
    still holds the trainer role (:func:`is_course_trainer` asks the database the same)."""
    return user.has_role(Role.TRAINER) and (
        user.id in course.trainer_ids or user.id in course.scheduled_session_trainer_ids)


# The same rules as SQL, for Piccolo queries (``WhereRaw``) and the hand-written hot paths alike. The
# fragments name the course table "course" (Piccolo's name for it): use ``FROM "course"`` unaliased.
_PUBLIC_STATUSES_SQL = ", ".join(f"'{status}'" for status in PUBLIC_STATUSES)


def managed_sql(user: CurrentUser) -> tuple[list[str], list[Any]]:
    """The management rule as SQL: conditions (to OR together) on ``"course"``, and their arguments."""
    parts: list[str] = []
    args: list[Any] = []
    if user.has_role(Role.TRAINER):
        parts += ['"course"."id" IN (SELECT course FROM course_trainer WHERE person = {})',
                  f'("course"."created_by" = {{}} AND "course"."status" = \'{CourseStatus.DRAFT.value}\')']
        args += [user.id, user.id]
    if user.has_role(Role.COORDINATOR) and user.cooperative_id is not None:
        parts.append('"course"."path" IN (SELECT id FROM training_path WHERE owner_cooperative = {})')
        args.append(user.cooperative_id)
    return parts, args


def visible_courses_sql(user: CurrentUser, *, path_alias: str | None = None) -> tuple[str, list[Any]] | None:
    """The visibility rule as an SQL condition on table ``"course"`` with ``{}`` placeholders, and its
    arguments; None for admins (everything). With ``path_alias`` the query already joins the course's
    training path under that name, and the rule reads the owner from it (a plain join: planners cannot
    get it wrong, even before statistics exist)."""
    if user.is_admin:
        return None
    coop = user.cooperative_id
    if path_alias:
        owner = f"{path_alias}.owner_cooperative"
        own_path = f"({owner} IS NULL)" if coop is None else f"({owner} IS NULL OR {owner} = {{}})"
    else:
        own_path = ('"course"."path" IN (SELECT id FROM training_path WHERE owner_cooperative IS NULL'
                    + (")" if coop is None else " OR owner_cooperative = {})"))
    if coop is None:
        audience = f'{own_path} AND "course"."id" NOT IN (SELECT course FROM course_eligible_cooperative)'
        args: list[Any] = []
    else:
        audience = (f'{own_path} AND ("course"."id" NOT IN (SELECT course FROM course_eligible_cooperative) '
                    'OR "course"."id" IN (SELECT course FROM course_eligible_cooperative WHERE cooperative = {}))')
        args = [coop, coop]
    parts = [f'("course"."status" IN ({_PUBLIC_STATUSES_SQL}) AND {audience})']
    if user.has_role(Role.TRAINER):
        parts.append('"course"."id" IN (SELECT course FROM course_session WHERE trainer = {})')
        args.append(user.id)
    managed, managed_args = managed_sql(user)
    return "(" + " OR ".join(parts + managed) + ")", args + managed_args


def catalogue_view_key(user: CurrentUser) -> tuple[Any, ...]:
    """What decides which published courses ``user`` sees: people with equal keys see the same
    catalogue (the workers of one cooperative, for instance). It is the visibility rule itself, so it
    names a person only where their own courses count."""
    rule = visible_courses_sql(user, path_alias="p")
    return ("all",) if rule is None else (rule[0], *rule[1])


def visible_courses_condition(user: CurrentUser) -> Any | None:
    """A ``where`` condition on ``Course`` selecting what ``user`` may read; None means everything.

    Use it as ``Course.select(...).where(condition)``; the same rule as :func:`visible_courses_sql`.
    """
    rule = visible_courses_sql(user)
    return WhereRaw(rule[0], *rule[1]) if rule is not None else None


def managed_courses_condition(user: CurrentUser) -> Any | None:
    """A ``where`` condition selecting the courses ``user`` manages; None means every course (admins)."""
    if user.is_admin:
        return None
    parts, args = managed_sql(user)
    return WhereRaw("(" + " OR ".join(parts) + ")", *args) if parts else Course.id == -1


async def is_course_trainer(user_id: int, course_id: int) -> bool:
    """Does the person teach the course (as one of its trainers or in one of its scheduled sessions)?"""
    row = await fetch_one(
        "SELECT 1 AS yes WHERE EXISTS (SELECT 1 FROM course_trainer WHERE course = {} AND person = {}) "
        "OR EXISTS (SELECT 1 FROM course_session WHERE course = {} AND trainer = {} AND status = {})",
        course_id, user_id, course_id, user_id, SessionStatus.SCHEDULED.value,
    )
    return row is not None


async def get_viewable_course(user: CurrentUser, course_id: int) -> CourseFacts:
    """The course's facts (as ``user`` relates to it) if they may read it; NotFound otherwise (never
    reveals that it exists)."""
    course = await load_course_facts(course_id, viewer=user)
    if can_view_course(user, course):
        return course
    raise NotFound(N_("Corso non trovato."))


MANAGE_REFUSED = N_("Solo i formatori del corso, il coordinatore e l'ufficio formazione possono modificarlo.")


async def get_manageable_course(user: CurrentUser, course_id: int) -> CourseFacts:
    """The course's facts if ``user`` manages it: 404 if they cannot even see it, else 403."""
    course = await get_viewable_course(user, course_id)
    if not can_manage_course(user, course):
        raise PermissionDenied(MANAGE_REFUSED)
    return course


async def trainer_candidates(path_owner_cooperative_id: int | None = None) -> list[dict[str, Any]]:
    """People who may teach a course: trainers, and for a cooperative's path its coordinators too."""
    condition = Person.roles.like("%trainer%")
    if path_owner_cooperative_id is not None:
        condition = condition | (
            Person.roles.like("%coordinator%") & (Person.cooperative == path_owner_cooperative_id)
        )
    rows = await Person.select(Person.id, Person.full_name, Person.roles, Person.cooperative).where(
        Person.active.eq(True) & condition
    ).order_by(Person.full_name)
    return [{"id": r["id"], "full_name": r["full_name"]} for r in rows
            if _may_teach(parse_roles(r["roles"]), r["cooperative"], path_owner_cooperative_id)]


def _may_teach(roles: frozenset[str], cooperative_id: int | None, path_owner: int | None) -> bool:
    if Role.TRAINER in roles:
        return True
    return Role.COORDINATOR in roles and path_owner is not None and cooperative_id == path_owner
