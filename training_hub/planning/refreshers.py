"""The refreshers falling due, as the scadenzario computes them (``safety/needs.py``): the one place the
training year reads them, so a change of that interface is one change here."""

from __future__ import annotations

from datetime import date
from typing import Any

REFRESHER_MONTHS = 12  # refreshers falling due in the next 12 months appear as needs by themselves


async def refreshers_due(cooperative_id: int | None, today: date, months: int = REFRESHER_MONTHS) -> list[dict[str, Any]]:
    """One row per cooperative and refresher course type: ``cooperative_id``, ``course_type``, ``people``,
    ``hours`` (the refresher's hours per person)."""
    try:
        from training_hub.safety.needs import refreshers_due as due
    except ImportError:  # TEMPORARY until safety-status is merged
        return []
    rows = await due(cooperative_id, today, months)
    return [{"cooperative_id": row.cooperative_id, "course_type": row.course_type, "people": row.people,
             "hours": row.hours} for row in rows]
