"""What every feature's rules need to know about one course, read once per request and passed down.

:class:`CourseFacts` is the one description of a course that the access rules (the catalogue's: who
sees it, who manages it, who teaches it), the enrolment rules (open, eligible, who decides) and the
seat decisions read. It is loaded by :func:`load_course_facts` — two statements whatever the course:
the course row with its path, its seat counts and how the person asking relates to it, then its
people and cooperatives — and handed from the controller to every service that needs it, so a page
never reads the course row twice. A caller that shows more of the course (the catalogue's course page)
asks for its own columns in the same statement (:func:`read_course`).

The facts are a snapshot taken outside any lock: good for deciding who may do what and for showing
the seats; a seat decision locks the course and counts again (:mod:`training_hub.seats.locking`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from training_hub.core.db import as_bool, fetch_all, fetch_one
from training_hub.core.errors import NotFound
from training_hub.core.i18n import N_
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import EnrolmentStatus, Role, SessionStatus
from training_hub.seats.state import SeatState, seat_columns, waitlist_ahead_sql


@dataclass(frozen=True)
class CourseViewer:
    """How the person the facts were read for relates to the course."""

    person_id: int
    enrolment_id: int | None = None  # their latest enrolment in the course, whatever its status
    enrolment_status: str | None = None
    waitlist_position: int | None = None  # when that enrolment is waiting for a seat
    follows_enrolled: bool = False  # a tutor: someone they follow is enrolled (any status)

    @property
    def live_enrolment_id(self) -> int | None:
        """Their enrolment while it holds or waits for a seat, or waits for a decision."""
        live = (EnrolmentStatus.PENDING, EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED)
        return self.enrolment_id if self.enrolment_status in live else None


@dataclass(frozen=True)
class CourseFacts:
    """One course as the rules see it: its status and dates, its path, its people, its seats."""

    id: int
    title: str
    status: str
    capacity: int
    requires_approval: bool
    enrolment_opens_at: datetime | None
    enrolment_closes_at: datetime | None
    cancellation_deadline: datetime | None
    starts_at: datetime | None
    ends_at: datetime | None
    position: int
    path_id: int
    path_title: str
    path_kind: str
    owner_cooperative_id: int | None  # the path's owner: None for the consortium's paths
    sequential: bool  # the path's courses are taken in order
    created_by: int | None
    trainer_ids: frozenset[int] = frozenset()  # the course's trainers
    session_trainer_ids: frozenset[int] = frozenset()  # whoever teaches one of its sessions (cancelled too)
    scheduled_session_trainer_ids: frozenset[int] = frozenset()  # … one of its scheduled sessions
    eligible_cooperative_ids: frozenset[int] = frozenset()  # empty: every cooperative
    seats: SeatState = SeatState()
    viewer: CourseViewer | None = None

    def viewer_for(self, user: CurrentUser) -> CourseViewer | None:
        """How ``user`` relates to the course, if the facts were read for them."""
        return self.viewer if self.viewer is not None and self.viewer.person_id == user.id else None

    @property
    def seats_left(self) -> int:
        return self.seats.left(self.capacity)


def cancellation_deadline_of(course: Any) -> datetime | None:
    """The last moment a seat may be given back: the course's cancellation deadline, or its start
    without one. ``course``: a CourseFacts, or a row with the same fields (a dict, an asyncpg Record)."""
    if isinstance(course, Mapping) or hasattr(course, "keys"):
        return course["cancellation_deadline"] or course["starts_at"]
    return course.cancellation_deadline or course.starts_at


class LoadedCourse(NamedTuple):
    """The facts, and the raw row and links they were built from (with the caller's own columns)."""

    facts: CourseFacts
    row: Mapping[str, Any]
    links: list[dict[str, Any]]


COURSE_COLUMNS = (
    '"course"."id" AS id, "course"."title" AS title, "course"."status" AS status, "course"."capacity" AS capacity, '
    '"course"."requires_approval" AS requires_approval, "course"."enrolment_opens_at" AS enrolment_opens_at, '
    '"course"."enrolment_closes_at" AS enrolment_closes_at, '
    '"course"."cancellation_deadline" AS cancellation_deadline, "course"."starts_at" AS starts_at, '
    '"course"."ends_at" AS ends_at, "course"."position" AS position, "course"."path" AS path, '
    '"course"."created_by" AS created_by, p.title AS path_title, p.kind AS path_kind, '
    "p.owner_cooperative AS path_owner, p.sequential AS path_sequential, "
    + seat_columns('"course"."id"')
)
# Someone the tutor follows is enrolled in the course (whatever the status): asked only for tutors.
FOLLOWED_ENROLLED_SQL = (
    "(SELECT COUNT(*) FROM enrolment fe JOIN tutor_link t ON t.person = fe.person "
    'WHERE fe.course = "course"."id" AND t.tutor = {})'
)
# The course's people and cooperatives, with names for whoever shows them.
LINKS_SQL = (
    "SELECT 'trainer' AS kind, pe.id AS ref, pe.full_name AS label FROM course_trainer ct "
    "JOIN person pe ON pe.id = ct.person WHERE ct.course = {} "
    "UNION ALL SELECT 'session_' || s.status, s.trainer, NULL FROM course_session s "
    "WHERE s.course = {} AND s.trainer IS NOT NULL "
    "UNION ALL SELECT 'cooperative', co.id, co.name FROM course_eligible_cooperative ec "
    "JOIN cooperative co ON co.id = ec.cooperative WHERE ec.course = {} "
    "UNION ALL SELECT 'area', NULL, a.area FROM course_eligible_area a WHERE a.course = {}"
)


def _facts_statement(viewer: CurrentUser | None, columns: str, joins: str) -> tuple[str, list[Any]]:
    tutor = viewer is not None and viewer.has_role(Role.TUTOR)
    followed = FOLLOWED_ENROLLED_SQL if tutor else "0"
    extra = f", {columns}" if columns else ""
    sql = (
        f"SELECT {COURSE_COLUMNS}, me.id AS viewer_enrolment_id, me.status AS viewer_enrolment_status, "
        f"{waitlist_ahead_sql('me')} AS viewer_ahead, {followed} AS viewer_follows{extra} "
        'FROM "course" JOIN training_path p ON p.id = "course"."path" '
        "LEFT JOIN enrolment me ON me.id = "
        '(SELECT MAX(x.id) FROM enrolment x WHERE x.course = "course"."id" AND x.person = {}) '
        f'{joins} WHERE "course"."id" = {{}}'
    )
    args: list[Any] = [viewer.id] if tutor else []
    return sql, [*args, viewer.id if viewer is not None else 0]


def facts_from(row: Mapping[str, Any], links: Iterable[Mapping[str, Any]], viewer: CurrentUser | None) -> CourseFacts:
    refs: dict[str, set[int]] = defaultdict(set)
    for link in links:
        if link["ref"] is not None:
            refs[link["kind"]].add(link["ref"])
    status = row["viewer_enrolment_status"]
    return CourseFacts(
        id=row["id"], title=row["title"], status=row["status"], capacity=int(row["capacity"] or 0),
        requires_approval=as_bool(row["requires_approval"]), enrolment_opens_at=row["enrolment_opens_at"],
        enrolment_closes_at=row["enrolment_closes_at"], cancellation_deadline=row["cancellation_deadline"],
        starts_at=row["starts_at"], ends_at=row["ends_at"], position=int(row["position"] or 0),
        path_id=row["path"], path_title=row["path_title"], path_kind=row["path_kind"],
        owner_cooperative_id=row["path_owner"], sequential=as_bool(row["path_sequential"]),
        created_by=row["created_by"],
        trainer_ids=frozenset(refs["trainer"]),
        session_trainer_ids=frozenset(refs[f"session_{SessionStatus.SCHEDULED.value}"]
                                      | refs[f"session_{SessionStatus.CANCELLED.value}"]),
        scheduled_session_trainer_ids=frozenset(refs[f"session_{SessionStatus.SCHEDULED.value}"]),
        eligible_cooperative_ids=frozenset(refs["cooperative"]),
        seats=SeatState.from_row(row),
        viewer=None if viewer is None else CourseViewer(
            person_id=viewer.id, enrolment_id=row["viewer_enrolment_id"], enrolment_status=status,
            waitlist_position=int(row["viewer_ahead"] or 0) + 1 if status == EnrolmentStatus.WAITLISTED else None,
            follows_enrolled=bool(row["viewer_follows"]),
        ),
    )


async def read_course(
    course_id: int, *, viewer: CurrentUser | None = None, columns: str = "", joins: str = ""
) -> LoadedCourse | None:
    """The facts of a course for ``viewer`` (two statements), None when it does not exist.

    ``columns`` and ``joins``: more of the course row for the caller to show, read in the same
    statement (constant SQL, no placeholders; the course is ``"course"``, its path ``p``)."""
    sql, args = _facts_statement(viewer, columns, joins)
    row = await fetch_one(sql, *args, course_id)
    if row is None:
        return None
    links = await fetch_all(LINKS_SQL, course_id, course_id, course_id, course_id)
    return LoadedCourse(facts_from(row, links, viewer), row, links)


async def find_course_facts(course_id: int, *, viewer: CurrentUser | None = None) -> CourseFacts | None:
    loaded = await read_course(course_id, viewer=viewer)
    return loaded.facts if loaded is not None else None


async def load_course_facts(course_id: int, *, viewer: CurrentUser | None = None) -> CourseFacts:
    """The facts of a course as ``viewer`` relates to it (none: as nobody in particular); NotFound when it
    does not exist. Whether ``viewer`` may see it is the catalogue's rule (``catalogue.access``)."""
    facts = await find_course_facts(course_id, viewer=viewer)
    if facts is None:
        raise NotFound(N_("Corso non trovato."))
    return facts
