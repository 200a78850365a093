"""A path taken in order: which earlier courses a person still needs, and what to take next.

The first rule asked for a confirmed enrolment in *every* earlier course of the path, so a new course
left at the end of "Formare i formatori" offered "Iscriviti" and then refused it, for good: it wanted a
later-dated course too, and a concluded edition nobody can join any more (issue 13, item 1). The rule
now, for each earlier *position* of the path (the editions of one course share a position):

* it is **done** when the person holds an attestato (certificate) of any of its editions, or a
  confirmed enrolment in an edition that is not cancelled and starts before this course — concluded,
  or still to be held (attendance is known only at the end, and waiting for the register would keep
  people out of the next course for weeks);
* otherwise it **blocks** only when it has an edition the person could take first: published, not
  started, its enrolment window not closed, starting before this course. Past, cancelled and
  later-dated editions never block — nobody can take them before this course;
* the earliest such edition is the **next edition to take**: the course page names it, with a link,
  before the button.

For the trainer publishing a course: an earlier position with no edition to take before this course
is a warning to confirm (:func:`publishing_warnings`) — people who have not done it will be let in.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from training_hub.core.db import as_bool, fetch_all, fetch_one
from training_hub.core.errors import Issue
from training_hub.core.i18n import N_, format_date
from training_hub.core.timeutil import to_utc, utcnow

# Every edition of the earlier positions, with what the person has in each (one statement).
EDITIONS_SQL = (
    "SELECT c.id, c.position, c.title, c.status, c.starts_at, c.enrolment_closes_at, "
    "e.status AS enrolment_status, e.certificate_code "
    "FROM course c LEFT JOIN enrolment e ON e.course = c.id AND e.person = {} "
    "WHERE c.path = {} AND c.position < {} AND c.id <> {} AND c.status <> 'draft' "
    "ORDER BY c.position, c.starts_at, c.id"
)


@dataclass(frozen=True)
class Requirement:
    """One earlier position of the path, as it stands for one person."""

    position: int
    title: str  # the title of the edition to take, else of the latest edition
    done: bool
    next_edition_id: int | None  # the edition to take before this course (None: none can be taken)
    next_edition_starts_at: datetime | None  # None: the edition has no sessions yet

    @property
    def blocking(self) -> bool:
        return not self.done and self.next_edition_id is not None

    def as_dict(self) -> dict[str, Any]:
        return {"position": self.position, "title": self.title, "done": self.done, "blocking": self.blocking,
                "next_edition_id": self.next_edition_id, "next_edition_starts_at": self.next_edition_starts_at}


def _before(edition_start: datetime | None, course_start: datetime | None) -> bool:
    """An edition held before the course; without a date on either side it is not known to be later."""
    if edition_start is None or course_start is None:
        return True
    return to_utc(edition_start) < to_utc(course_start)


def _takeable(row: dict[str, Any], course_start: datetime | None, now: datetime) -> bool:
    closes, starts = row["enrolment_closes_at"], row["starts_at"]
    return (row["status"] == "published" and (starts is None or to_utc(starts) > now)
            and (closes is None or to_utc(closes) > now) and _before(starts, course_start))


def _requirements(rows: list[dict[str, Any]], course_start: datetime | None, now: datetime) -> list[Requirement]:
    by_position: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_position[int(row["position"] or 0)].append(row)
    out = []
    for position in sorted(by_position):
        editions = by_position[position]
        done = any(
            row["certificate_code"]
            or (row["enrolment_status"] == "confirmed" and row["status"] != "cancelled"
                and (row["status"] == "completed" or _before(row["starts_at"], course_start)))
            for row in editions)
        takeable = [row for row in editions if _takeable(row, course_start, now)]
        shown = takeable[0] if takeable else editions[-1]
        out.append(Requirement(position, shown["title"], done, takeable[0]["id"] if takeable else None,
                               takeable[0]["starts_at"] if takeable else None))
    return out


async def path_requirements(
    person_id: int, *, course_id: int, path_id: int, position: int, starts_at: datetime | None,
    now: datetime | None = None,
) -> list[Requirement]:
    """The earlier positions of the course's ordered path, for ``person_id`` (see the module notes)."""
    rows = await fetch_all(EDITIONS_SQL, person_id, path_id, position, course_id)
    return _requirements(rows, starts_at, to_utc(now or utcnow()))


async def blocking_requirement(
    person_id: int, *, course_id: int, path_id: int, position: int, starts_at: datetime | None,
    now: datetime | None = None,
) -> Requirement | None:
    """The first earlier position the person must take before this course; None when nothing blocks."""
    for requirement in await path_requirements(person_id, course_id=course_id, path_id=path_id, position=position,
                                               starts_at=starts_at, now=now):
        if requirement.blocking:
            return requirement
    return None


async def publishing_warnings(
    *, course_id: int, path_id: int, position: int, starts_at: datetime | None, now: datetime | None = None,
) -> list[Issue]:
    """Earlier positions with no edition to take before this course: people who have not done them
    will be let in (a warning the trainer confirms when publishing)."""
    rows = await fetch_all(EDITIONS_SQL, 0, path_id, position, course_id)
    issues = []
    for requirement in _requirements(rows, starts_at, to_utc(now or utcnow())):
        if requirement.next_edition_id is None:
            issues.append(Issue(
                code="prerequisite_without_edition", severity="warning",
                message=N_("Il percorso va seguito in ordine, ma «%(title)s» non ha un'edizione in programma prima "
                           "di questo corso: chi non l'ha seguito potrà iscriversi comunque."),
                params={"title": requirement.title}))
    return issues


def requirement_message(requirement: Requirement) -> tuple[str, dict[str, Any]]:
    """What the refusal and the course page say about a blocking requirement (msgid and params)."""
    if requirement.next_edition_starts_at is None:
        return N_("Il percorso va seguito in ordine: prima serve «%(title)s»."), {"title": requirement.title}
    return (N_("Il percorso va seguito in ordine: prima serve «%(title)s» (prossima edizione: %(date)s)."),
            {"title": requirement.title, "date": format_date(requirement.next_edition_starts_at)})


COURSE_SQL = (
    "SELECT c.id, c.path, c.position, c.starts_at, p.sequential FROM course c "
    "JOIN training_path p ON p.id = c.path WHERE c.id = {}"
)


async def course_publishing_warnings(course_id: int, *, now: datetime | None = None) -> list[Issue]:
    """:func:`publishing_warnings` of a course by its id (none when its path is not taken in order)."""
    row = await fetch_one(COURSE_SQL, course_id)
    if row is None or not as_bool(row["sequential"]):
        return []
    return await publishing_warnings(course_id=course_id, path_id=row["path"], position=int(row["position"] or 0),
                                     starts_at=row["starts_at"], now=now)
