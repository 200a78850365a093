"""Time: instants are stored in UTC, entered and shown in Europe/Rome.

Durations are always computed from the stored instants, so a lesson across the night of a DST change
counts the hours that really passed (a DST day is 23 or 25 hours long).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ROME = ZoneInfo("Europe/Rome")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def to_rome(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(ROME)


def to_utc(instant: datetime) -> datetime:
    """A naive datetime means Europe/Rome wall-clock time; an aware one is converted."""
    if instant.tzinfo is None:
        instant = rome_wall_clock(instant.date(), instant.time())
    return instant.astimezone(UTC)


def rome_wall_clock(day: date, at: time) -> datetime:
    """The instant a Rome clock shows ``at`` on ``day``.

    On the spring-forward night a wall-clock time that does not exist (02:30) is moved forward by the
    gap; on the fall-back night the first of the two 02:30s is taken (fold=0).
    """
    local = datetime.combine(day, at).replace(tzinfo=ROME)
    # A non-existent time does not survive a round trip through UTC; normalise it.
    round_trip = local.astimezone(UTC).astimezone(ROME)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        local = round_trip
    return local


def parse_instant(value: str) -> datetime:
    """ISO 8601; without an offset the value is Europe/Rome wall-clock time. Returns UTC."""
    text = value.strip().replace(" ", "T", 1)
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    return to_utc(parsed).replace(microsecond=0)


def iso_rome(instant: datetime | None) -> str | None:
    """Output form of every API instant: ISO 8601 with the Europe/Rome offset."""
    if instant is None:
        return None
    return to_rome(instant).replace(microsecond=0).isoformat()


def minutes_between(start: datetime, end: datetime) -> int:
    # Through UTC: Python subtracts two datetimes sharing a tzinfo as wall-clock times, which is an
    # hour off across a DST change.
    return int((to_utc(end) - to_utc(start)).total_seconds() // 60)


def rome_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The UTC instants where a Rome calendar day starts and the next one starts."""
    start = datetime.combine(day, time(0)).replace(tzinfo=ROME).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0)).replace(tzinfo=ROME).astimezone(UTC)
    return start, end
