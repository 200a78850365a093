"""The schedule change log (DESIGN.md "Schedule changes"; Fon.Coop form C3).

Every change of a session's time or place is written here by the ``session_rescheduled`` hook, inside
the catalogue's transaction: old and new times and places, when, by whom, and ``short_notice`` when it
leaves fewer than five working days before the old or the new start (``short_notice.py``). The log is
kept for every course (a course may become a plan's action later); the page and the API show it to
those who manage the course.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from training_hub.catalogue.access import get_manageable_course
from training_hub.core.db import fetch_all, fetch_one
from training_hub.core.i18n import gettext
from training_hub.core.identity import CurrentUser
from training_hub.funding.short_notice import is_short_notice
from training_hub.funding.tables import ScheduleChange


async def _place(location_id: int | None, online_url: str | None) -> str:
    if location_id:
        row = await fetch_one("SELECT name, comune FROM location WHERE id = {}", location_id)
        if row:
            return f"{row['name']}, {row['comune']}" if row["comune"] else row["name"]
    return gettext("Online") if online_url else ""


async def log_schedule_change(*, actor_id: int | None, session_id: int, course_id: int, changed_at: datetime,
                              old: dict[str, Any], new: dict[str, Any]) -> None:
    old_place = await _place(old.get("location_id"), old.get("online_url"))
    new_place = await _place(new.get("location_id"), new.get("online_url"))
    await ScheduleChange.insert(ScheduleChange(
        session=session_id, course=course_id, changed_at=changed_at, changed_by=actor_id or None,
        old_starts_at=old["starts_at"], old_ends_at=old["ends_at"],
        new_starts_at=new["starts_at"], new_ends_at=new["ends_at"],
        old_place=old_place[:300], new_place=new_place[:300],
        short_notice=is_short_notice(changed_at, old["starts_at"], new["starts_at"]),
    ))


async def schedule_changes(user: CurrentUser, course_id: int) -> list[dict[str, Any]]:
    """The course's changes, newest first, for those who manage the course (404/403 otherwise)."""
    await get_manageable_course(user, course_id)
    return await fetch_all(
        "SELECT sc.id, sc.session AS session_id, sc.changed_at, sc.old_starts_at, sc.old_ends_at, sc.new_starts_at, "
        "sc.new_ends_at, sc.old_place, sc.new_place, sc.short_notice, p.full_name AS changed_by_name "
        "FROM schedule_change sc LEFT JOIN person p ON p.id = sc.changed_by WHERE sc.course = {} "
        "ORDER BY sc.changed_at DESC, sc.id DESC",
        course_id,
    )
