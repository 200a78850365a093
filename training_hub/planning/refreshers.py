"""The refreshers falling due, as the scadenzario computes them (``safety/needs.py``): the one place the
training year reads them, so a change of that interface is one change here."""

from __future__ import annotations

from datetime import date
from typing import Any

from training_hub.safety.needs import refreshers_due as safety_refreshers_due

REFRESHER_MONTHS = 12  # refreshers falling due in the next 12 months appear as needs by themselves


async def refreshers_due(cooperative_id: int | None, today: date, months: int = REFRESHER_MONTHS) -> list[dict[str, Any]]:
    """One row per cooperative and refresher course type: ``cooperative_id``, ``course_type``, ``people``,
    ``hours`` (each person's, None when the tracker cannot tell), ``overdue`` (how many are already late)
    and ``due_on`` (the earliest due date). No names: the needs list counts people."""
    return [{"cooperative_id": row.cooperative_id, "course_type": row.course_type, "people": row.people,
             "hours": row.hours, "overdue": row.overdue, "due_on": row.earliest_due_on}
            for row in await safety_refreshers_due(cooperative_id, today, months)]
