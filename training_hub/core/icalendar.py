"""What every iCalendar file Training Hub writes shares: the producer's id and the one time zone.

Feeds (``calendars/``) and the invitations attached to e-mails (``notifications/``) both write
Europe/Rome times with a VTIMEZONE that says how Rome's clocks change (RFC 5545 §3.6.5): clients
that do not know the TZID still place every session right, on both sides of a DST change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from training_hub.core.timeutil import to_rome

PRODID = "-//Consorzio Sociale Light//Training Hub//IT"
TZID = "Europe/Rome"


def _rome_vtimezone() -> bytes:
    """Rome's rules since 1996 (EU directive 2000/84/EC): last Sunday of March and of October."""
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    daylight = TimezoneDaylight()
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0, 0))
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    daylight.add("tzname", "CEST")
    daylight.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0, 0))
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("tzname", "CET")
    standard.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    zone.add_component(daylight)
    zone.add_component(standard)
    return zone.to_ical()


VTIMEZONE_ROME = _rome_vtimezone()


def ical_instant(value: datetime) -> datetime:
    """An instant as a DTSTART/DTEND value: Rome wall-clock time with the TZID, except in the repeated hour
    of the fall-back night (02:00–02:59 on the last Sunday of October), where a TZID time is ambiguous and
    clients take the first of the two: such an instant is written in UTC (``…Z``), which is never wrong."""
    local = to_rome(value).replace(microsecond=0)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return local.astimezone(UTC)
    return local
