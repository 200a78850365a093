"""How a course and a session are read and shown: the SQL of the hot paths and the rows they make.

Reading is the hot path (the catalogue, the course page): hand-written, portable SQL through
``db.fetch_all``, a fixed number of round trips whatever the page shows (see docs/DEVELOPING.md). The
listing, the course page and the scheduling all build their dictionaries here, so a course and a
session look the same wherever they appear; the online link of a session is shown only when the caller
says so (``session_out``'s ``show_online_url``: confirmed participants, trainers, managers, admins).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from training_hub.core.db import fetch_all, fetch_one
from training_hub.core.tables import Area
from training_hub.core.timeutil import minutes_between
from training_hub.seats.state import SeatState, seat_columns

COURSE_FROM = ('FROM "course" JOIN training_path p ON p.id = "course"."path" '
               'LEFT JOIN location l ON l.id = "course"."location"')
COURSE_COLUMNS = (
    '"course"."id" AS id, "course"."title" AS title, "course"."description" AS description, '
    '"course"."status" AS status, "course"."capacity" AS capacity, "course"."delivery_mode" AS delivery_mode, '
    '"course"."starts_at" AS starts_at, "course"."ends_at" AS ends_at, '
    '"course"."requires_approval" AS requires_approval, "course"."path" AS path, "course"."position" AS position, '
    '"course"."enrolment_opens_at" AS enrolment_opens_at, "course"."enrolment_closes_at" AS enrolment_closes_at, '
    "p.title AS path_title, p.kind AS path_kind, p.owner_cooperative AS path_owner, "
    "l.id AS location_id, l.name AS location_name, l.comune AS location_comune, l.province AS location_province, "
    "l.step_free_access AS location_step_free, l.is_online AS location_online, "
    # Scheduled sessions held somewhere else than the course's venue: the course's venue is shown
    # only when every session shares it (issue 13, item 4); otherwise each session's.
    "(SELECT COUNT(*) FROM course_session vs WHERE vs.course = \"course\".\"id\" AND vs.status = 'scheduled' "
    "AND vs.location IS NOT NULL AND (\"course\".\"location\" IS NULL OR vs.location <> \"course\".\"location\")) "
    "AS venues_elsewhere, "
    + seat_columns('"course"."id"')
)
SESSION_COUNT = """(SELECT COUNT(*) FROM course_session s WHERE s.course = "course"."id" AND s.status = 'scheduled')"""
AREA_ORDER = {area.value: index for index, area in enumerate(Area)}


def placeholders(count: int) -> str:
    return ", ".join(["{}"] * count)


def location_from(row: Mapping[str, Any]) -> dict[str, Any] | None:
    if row.get("location_id") is None:
        return None
    return {
        "id": row["location_id"],
        "name": row.get("location_name"),
        "comune": row.get("location_comune") or "",
        "province": row.get("location_province"),
        "step_free_access": bool(row.get("location_step_free")),
        "is_online": bool(row.get("location_online")),
        "address": row.get("location_address", ""),
        "capacity": row.get("location_capacity"),
    }


def course_base(row: Mapping[str, Any], trainers: list[dict[str, Any]]) -> dict[str, Any]:
    """A course row (``COURSE_COLUMNS``, the seats included) as the catalogue and the course page show it."""
    seats = SeatState.from_row(row)
    return {
        "id": row["id"],
        "title": row["title"],
        "description": row["description"],
        "status": row["status"],
        "path": {"id": row["path"], "title": row["path_title"], "kind": row["path_kind"],
                 "owner_cooperative_id": row.get("path_owner")},
        "position": row.get("position", 0),
        "delivery_mode": row["delivery_mode"],
        "location": location_from(row),
        # Sessions held elsewhere than ``location``: then lists say so and the course page shows each venue.
        "venues_elsewhere": int(row.get("venues_elsewhere") or 0),
        "starts_at": row["starts_at"],
        "ends_at": row["ends_at"],
        "capacity": row["capacity"],
        "seats_taken": seats.confirmed,
        "seats_left": seats.left(row["capacity"]),
        "waitlist_length": seats.waitlisted,
        "pending_count": seats.pending,
        "requires_approval": bool(row["requires_approval"]),
        "enrolment_opens_at": row.get("enrolment_opens_at"),
        "enrolment_closes_at": row.get("enrolment_closes_at"),
        "trainers": trainers,
    }


def session_out(row: Mapping[str, Any], *, show_online_url: bool) -> dict[str, Any]:
    """A session as pages and the API show it; the online link only when ``show_online_url``."""
    return {
        "id": row["id"],
        "course_id": row["course"],
        "starts_at": row["starts_at"],
        "ends_at": row["ends_at"],
        "minutes": minutes_between(row["starts_at"], row["ends_at"]),
        "location": location_from(row),
        "is_online": bool(row.get("online_url")) or bool(row.get("location_online")),
        "online_url": row.get("online_url") if show_online_url else None,
        "topics": row.get("topics", ""),
        "trainer": {"id": row["trainer"], "full_name": row["trainer_name"]} if row.get("trainer") else None,
        "status": row["status"],
        "sequence": row["sequence"],
        "uid": row["uid"],
        "cancelled_at": row.get("cancelled_at"),
        "updated_at": row.get("updated_at"),
    }


SESSION_SQL = (
    "SELECT s.id AS id, s.course AS course, s.starts_at AS starts_at, s.ends_at AS ends_at, "
    "s.online_url AS online_url, s.topics AS topics, s.status AS status, s.sequence AS sequence, s.uid AS uid, "
    "s.cancelled_at AS cancelled_at, s.updated_at AS updated_at, s.created_at AS created_at, s.trainer AS trainer, "
    "t.full_name AS trainer_name, l.id AS location_id, l.name AS location_name, l.comune AS location_comune, "
    "l.province AS location_province, l.address AS location_address, l.step_free_access AS location_step_free, "
    "l.is_online AS location_online, l.capacity AS location_capacity "
    "FROM course_session s LEFT JOIN person t ON t.id = s.trainer LEFT JOIN location l ON l.id = s.location "
)


async def session_row(session_id: int) -> dict[str, Any] | None:
    return await fetch_one(SESSION_SQL + "WHERE s.id = {}", session_id)


async def list_sessions_rows(course_id: int) -> list[dict[str, Any]]:
    """Every session of a course (cancelled ones too) in order, as rows for :func:`session_out`."""
    return await fetch_all(SESSION_SQL + "WHERE s.course = {} ORDER BY s.starts_at, s.id", course_id)
