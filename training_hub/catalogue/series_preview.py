"""What a series will create, before it is saved: every date, with its conflicts and warnings beside it.

"Verifica i conflitti" on a series listed the warnings but never the dates it would create (issue 13,
item 11), so a trainer could not see that the 8 December fell on a holiday or that the series ran into
January. The preview expands the series exactly as saving does (``sessions._validated_series``), runs
the same checks (``place_sessions`` without writing) and puts each finding next to the date it names;
findings about no single date (a room too small) stay above the list.
"""

from __future__ import annotations

from typing import Any

from training_hub.catalogue.access import get_manageable_course
from training_hub.catalogue.sessions import (
    SeriesInput,
    _course_for_scheduling,
    _validated_series,
    place_sessions,
)
from training_hub.core.i18n import format_date
from training_hub.core.identity import CurrentUser


async def preview_series(user: CurrentUser, course_id: int, data: SeriesInput) -> dict[str, Any]:
    """``sessions``: each date to be created (``starts_at``, ``ends_at``, ``topics``, ``issues``);
    ``general``: findings about no single date; ``issues``: all of them, as the check returns them."""
    await get_manageable_course(user, course_id)
    course = await _course_for_scheduling(course_id)
    planned = await _validated_series(course, data)
    issues = await place_sessions(course_id, planned, confirm_warnings=False, viewer=user, dry_run=True)
    days = [format_date(session["starts_at"]) for session in planned]
    sessions = [{"starts_at": session["starts_at"], "ends_at": session["ends_at"], "topics": session["topics"],
                 "issues": [i for i in issues if i.params.get("day") == day]}  # type: ignore[union-attr]
                for session, day in zip(planned, days, strict=True)]
    general = [i for i in issues if i.params.get("day") not in set(days)]  # type: ignore[union-attr]
    return {"sessions": sessions, "general": general, "issues": issues}
