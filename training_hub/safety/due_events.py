"""A person's due dates in their personal calendar feed: one all-day event per requirement with a due
date ("Scadenza aggiornamento preposti" on 10/06/2027), through the hooks of ``core/events.py`` (the
calendars sit below safety and never import it; ``hooks.py`` connects these receivers).

* :func:`due_date_version_sql` gives the feed's version what the due dates depend on — the person's
  roles and external attestati, the cooperative's risk class and headcounts, the attendance and test
  results of their safety courses (the courses themselves are already in the feed's version), the
  Accordo's date of entry into force — as FROM items joined into the feed's one statement: a change to
  any of them changes the ETag, and a poll still costs one statement.
* :func:`due_date_events` builds the events, only when the version says the person holds a role.

UIDs are stable per person and requirement (``safety-due-<person>-<requirement>@training-hub``): when a
refresher moves the due date, the same event moves. The events say the requirement, the hours and a
link, nothing else: no special-category data, no names of other people. An event keeps the person free
(TRANSPARENT).
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from training_hub.calendars.ical import AllDayEvent
from training_hub.core.i18n import N_, format_number, gettext
from training_hub.core.settings import get_settings
from training_hub.safety import due
from training_hub.safety.inputs import load_inputs, person_scope
from training_hub.safety.reminders import due_title
from training_hub.safety.status import current_policy, person_rows, today_in_rome

_VERSION_FRAGMENTS = (
    "(SELECT COUNT(*) AS safety_events, SUM(sr.id) AS safety_role_ids, MAX(sr.recorded_at) AS safety_roles_updated"
    " FROM safety_role sr WHERE sr.person = {person}) sfr",
    "(SELECT COUNT(*) AS safety_external, SUM(sx.id) AS safety_external_ids, SUM(sx.minutes) AS safety_external_minutes,"
    " MAX(sx.recorded_at) AS safety_external_updated FROM external_training sx WHERE sx.person = {person}) sfx",
    "(SELECT MAX(sc.risk_class) AS safety_risk_class, COUNT(sh.id) AS safety_headcounts,"
    " SUM(sh.total) AS safety_headcount_total, MAX(sh.updated_at) AS safety_headcount_updated"
    " FROM person sp JOIN cooperative sc ON sc.id = sp.cooperative"
    " LEFT JOIN cooperative_headcount sh ON sh.cooperative = sc.id WHERE sp.id = {person}) sfc",
    "(SELECT COUNT(sa.id) AS safety_attendance, SUM(sa.minutes) AS safety_attended,"
    " MAX(sa.recorded_at) AS safety_attendance_updated FROM enrolment se JOIN course sco ON sco.id = se.course"
    " JOIN attendance sa ON sa.enrolment = se.id WHERE se.person = {person} AND sco.safety_course_type IS NOT NULL) sfa",
    "(SELECT COUNT(st.id) AS safety_tests, MAX(st.updated_at) AS safety_tests_updated"
    " FROM enrolment te JOIN final_test_attempt st ON st.enrolment = te.id WHERE te.person = {person}) sft",
)
CATEGORY = N_("Formazione obbligatoria")


async def due_date_version_sql() -> list[str]:
    """The FROM items of the personal feed's version (see the module docstring)."""
    policy = current_policy()
    # The settings the dates depend on (plain dates and numbers, never user input).
    settings = f"(SELECT '{policy.asr_2025_in_force.isoformat()}' AS safety_policy) sfp"
    return [*_VERSION_FRAGMENTS, settings]


def _stamp(line: due.RequirementStatus, policy: due.Policy) -> datetime:
    """DTSTAMP / LAST-MODIFIED: the end of the training the due date runs from (stable bytes)."""
    return datetime.combine(line.last_completed_on or policy.asr_2025_in_force, time(0), UTC)


async def due_date_events(*, person_id: int, now: datetime, **_: Any) -> list[AllDayEvent]:
    """The person's due dates as all-day events, worded in the current language."""
    today = today_in_rome(now)
    policy = current_policy()
    base_url = get_settings().base_url
    events = []
    for person in await load_inputs(person_scope(person_id), today=today, now=now):
        for row in person_rows(person, today, policy):
            line = row.status
            if line.due_on is None:
                continue
            description = gettext(N_("Formazione obbligatoria: %(requirement)s.")) % {
                "requirement": gettext(due.REQUIREMENT_LABELS[line.requirement])}
            if line.hours_due is not None:
                description += " " + gettext(N_("Ore da frequentare: %(hours)s.")) % {
                    "hours": format_number(line.hours_due, 0 if float(line.hours_due).is_integer() else 1)}
            description += "\n" + gettext(N_("La tua formazione e le prossime edizioni: %(url)s")) % {
                "url": f"{base_url}/my/safety"}
            events.append(AllDayEvent(
                uid=f"safety-due-{person_id}-{line.requirement}@training-hub",
                day=line.due_on,
                summary=due_title(line.requirement, line.status),
                stamp=_stamp(line, policy),
                description=description,
                url=f"{base_url}/my/safety",
                category=gettext(CATEGORY),
            ))
    return events
