"""The public catalogue: what anyone may read without logging in (``/courses``, ``/courses/{id}``,
``GET /api/public/courses``, ``/sitemap.xml``).

Only the consortium's published courses open to everyone: a path owned by no cooperative, no
restriction to some cooperatives, status ``published``, not yet over. Never drafts, cancelled or
completed courses, a cooperative's internal courses or restricted ones — the same rule as the anonymous
calendar feeds. And nothing about people: no participant counts, seats, waiting lists, trainers or
online links, so no inclusion course can point at anyone. Whoever wants more logs in ("Accedi per
iscriverti"). A fixed number of queries whatever the number of courses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from training_hub.core.db import fetch_all, fetch_one, is_possible_id
from training_hub.core.errors import NotFound
from training_hub.core.i18n import N_
from training_hub.core.tables import CourseStatus, SessionStatus
from training_hub.core.timeutil import utcnow

PUBLIC_PAGE_SIZE = 50

# The rule, on ``course c`` joined with ``training_path tp``; its one argument is now.
PUBLIC_COURSE_SQL = (
    f"c.status = '{CourseStatus.PUBLISHED.value}' AND tp.owner_cooperative IS NULL "
    "AND NOT EXISTS (SELECT 1 FROM course_eligible_cooperative ec WHERE ec.course = c.id) "
    "AND (c.ends_at IS NULL OR c.ends_at >= {})"
)
_COLUMNS = (
    "c.id, c.title, c.description, c.delivery_mode, c.starts_at, c.ends_at, c.enrolment_opens_at, "
    "c.enrolment_closes_at, c.updated_at, tp.id AS path_id, tp.title AS path_title, tp.kind AS path_kind, "
    "l.comune AS comune, l.name AS location_name"
)
_FROM = "FROM course c JOIN training_path tp ON tp.id = c.path LEFT JOIN location l ON l.id = c.location"


def _course_out(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "title": row["title"],
        "description": row["description"] or "",
        "path_id": row["path_id"],
        "path_title": row["path_title"],
        "path_kind": row["path_kind"],
        "delivery_mode": row["delivery_mode"],
        "starts_at": row["starts_at"],
        "ends_at": row["ends_at"],
        "enrolment_opens_at": row["enrolment_opens_at"],
        "enrolment_closes_at": row["enrolment_closes_at"],
        "comune": row["comune"] or "",
        "location_name": row["location_name"] or "",
        "updated_at": row["updated_at"],
        "url": f"/courses/{row['id']}",
    }


async def public_courses(page: int = 1, *, now: datetime | None = None,
                         page_size: int = PUBLIC_PAGE_SIZE) -> tuple[list[dict[str, Any]], int]:
    """One page of the public catalogue, soonest first, and how many courses it has in all."""
    now = now or utcnow()
    page = max(1, min(page, 10_000))
    total = await fetch_one(f"SELECT COUNT(*) AS n {_FROM} WHERE {PUBLIC_COURSE_SQL}", now)
    rows = await fetch_all(
        f"SELECT {_COLUMNS} {_FROM} WHERE {PUBLIC_COURSE_SQL} "
        "ORDER BY c.starts_at IS NULL, c.starts_at, c.id LIMIT {} OFFSET {}",
        now, page_size, (page - 1) * page_size,
    )
    return [_course_out(row) for row in rows], int(total["n"]) if total else 0


async def public_course(course_id: int, *, now: datetime | None = None) -> dict[str, Any]:
    """One course of the public catalogue with its scheduled sessions (times and place, never a link);
    the same NotFound for any course outside it."""
    now = now or utcnow()
    row = None
    if is_possible_id(course_id):
        row = await fetch_one(f"SELECT {_COLUMNS} {_FROM} WHERE c.id = {{}} AND {PUBLIC_COURSE_SQL}", course_id, now)
    if row is None:
        raise NotFound(N_("Corso non trovato."))
    sessions = await fetch_all(
        "SELECT s.starts_at, s.ends_at, s.topics, CASE WHEN s.online_url IS NOT NULL THEN 1 ELSE 0 END AS online, "
        "l.name AS location_name, l.address AS location_address, l.comune AS comune "
        "FROM course_session s JOIN course c ON c.id = s.course "
        # A session without place nor link takes the course's place.
        "LEFT JOIN location l ON l.id = CASE WHEN s.location IS NULL AND s.online_url IS NULL "
        "THEN c.location ELSE s.location END "
        "WHERE s.course = {} AND s.status = {} ORDER BY s.starts_at",
        course_id, SessionStatus.SCHEDULED.value,
    )
    return {**_course_out(row), "sessions": [
        {"starts_at": s["starts_at"], "ends_at": s["ends_at"], "topics": s["topics"] or "",
         "online": bool(int(s["online"])), "location_name": s["location_name"] or "",
         "location_address": s["location_address"] or "", "comune": s["comune"] or ""}
        for s in sessions
    ]}


async def sitemap_entries(*, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every course of the public catalogue with when it last changed (for ``/sitemap.xml``)."""
    rows = await fetch_all(f"SELECT c.id, c.updated_at {_FROM} WHERE {PUBLIC_COURSE_SQL} ORDER BY c.id",
                           now or utcnow())
    return [{"url": f"/courses/{row['id']}", "updated_at": row["updated_at"]} for row in rows]
