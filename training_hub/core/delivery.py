"""What "delivered" means, in one place for every figure that counts it: the reports' hours delivered
(``reports/queries.py``) and the training plan's planned against delivered (``planning/delivered.py``),
which sit on one layer and may not import each other.

* **Sessions held**: scheduled (not cancelled) sessions of published or completed courses that are
  over; sessions still to come are planned, not delivered, and count nowhere.
* A session counts in a period when it *starts* in it (Rome midnights as UTC instants).
* Its length is the time between the stored instants, in whole minutes (``core/sql.minutes_between_sql``).
"""

from __future__ import annotations

from datetime import datetime

from training_hub.core.sql import Sql
from training_hub.core.tables import CourseStatus, SessionStatus

HELD_COURSE_STATUSES = (CourseStatus.PUBLISHED.value, CourseStatus.COMPLETED.value)


def held_sessions_sql(start: datetime, end: datetime, now: datetime, session: str = "s") -> Sql:
    """Conditions on ``course_session {session}``: not cancelled, started in [start, end), over at ``now``.
    The course's own condition is ``{course}.status IN HELD_COURSE_STATUSES``."""
    return Sql().add(
        f"{session}.status = {{}} AND {session}.starts_at >= {{}} AND {session}.starts_at < {{}} "
        f"AND {session}.ends_at <= {{}}",
        SessionStatus.SCHEDULED.value, start, end, now,
    )
