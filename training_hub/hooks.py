"""Where the features' reactions to the hooks of ``core/events.py`` are connected, once, at start-up.

This module sits at the top of the layers (beside ``cli`` and ``web``), so it may import any feature:
it is the one place that knows both who announces an event and who reacts to it.
"""

from __future__ import annotations

from training_hub.core import events


def connect_hooks() -> None:
    """Connect every receiver; calling it again changes nothing."""
    from training_hub.enrolment.actions import release_enrolments_of_deactivated

    events.person_deactivated.connect(release_enrolments_of_deactivated)
    from training_hub.attendance.rescheduling import reclip_attendance, rescheduling_warnings

    events.session_times_checking.connect(rescheduling_warnings)
    events.session_times_changed.connect(reclip_attendance)
