"""Schedule changes made at short notice: fewer than five working days before the session.

Fon.Coop asks to be told, on form **C3**, of every change of a funded course's calendar or venue made
"sotto i 5 gg lavorativi" (Fon.Coop, *Manuale di comunicazione* of the plans in management, table
"Comunicare con Fon.Coop": "Variazioni calendario e sedi (da inviare solo se sotto i 5 gg lavorativi)
— C3"). Fondimpresa and the regional calls ask for advance notice of changes too; the same flag serves.

How the days are counted (our reading of "5 giorni lavorativi prima", the conservative one):

* working days are Monday to Friday that are not Italian national holidays (``catalogue.holidays``:
  4 October is one again from 2026); a comune's patron saint is a local holiday and does not count
  here, because the fund's rule is national;
* neither the day of the change nor the day of the session is counted (the day an act is done does
  not count towards a term, art. 2963 c.c.; a day "before" the session is not the session's day);
  days are Europe/Rome calendar days.

So a change on Monday 23 November 2026 for a session on Monday 30 November leaves four working days
(24–27) — short notice; made on Friday 20 November it leaves five — in time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from training_hub.catalogue.holidays import national_holiday
from training_hub.core.timeutil import to_rome

# Fon.Coop, Manuale di comunicazione (plans in management), form C3: changes of calendar or venue
# made fewer than this many working days before the session must be reported.
SHORT_NOTICE_WORKING_DAYS = 5


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a national holiday."""
    return day.weekday() < 5 and national_holiday(day) is None


def working_days_between(changed_at: datetime, starts_at: datetime) -> int:
    """Working days strictly between the (Rome) day of the change and the day of the session.

    Zero when the session is on the same day or the next one; zero, too, when the session is already
    past (a change made after the start has had no notice at all).
    """
    first = to_rome(changed_at).date() + timedelta(days=1)
    last = to_rome(starts_at).date() - timedelta(days=1)
    count = 0
    day = first
    while day <= last:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def is_short_notice(changed_at: datetime, old_start: datetime | None, new_start: datetime | None) -> bool:
    """True when the change leaves fewer than five working days before the old or the new start.

    Both count: moving a session away from tomorrow disrupts tomorrow's participants as much as
    moving one to tomorrow disrupts the new day's.
    """
    return any(
        start is not None and working_days_between(changed_at, start) < SHORT_NOTICE_WORKING_DAYS
        for start in (old_start, new_start)
    )
