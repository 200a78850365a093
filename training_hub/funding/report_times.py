"""Reading the dates, times and durations written in videoconference reports.

The platforms write local wall-clock times without an offset, in the format of the organiser's locale:
Microsoft Teams ``12/2/26, 8:58:40 AM`` (en-US, month first) or ``2/12/26, 08:58:40`` (day first),
Zoom ``12/02/2026 08:57:12 AM``, Google Meet only a time of day (``8:59 AM``). The generic layout
uses ISO 8601 (``2026-12-02T09:00:00+01:00``) or the Italian ``02/12/2026 09:00``.

* **Day or month first** is decided once per file, never per value: if only one reading gives real
  dates for every value it is that one; otherwise the reading that puts the values on the session's
  day wins; a file that stays ambiguous is refused rather than guessed.
* **No offset means Europe/Rome** (the training office's clock, as everywhere in Training Hub). On the
  night clocks go back, 02:30 happens twice: of the two instants the one nearer the session is taken;
  a time that does not exist (the spring-forward gap) moves forward like ``core.timeutil`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from training_hub.core.timeutil import ROME, parse_instant

# Values within this many days of the session's date count as "on the session's day" when choosing
# between day-first and month-first: a session may run across midnight, a report may be downloaded late.
SESSION_DAY_SLACK = timedelta(days=1)

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_CLOCK = r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*([AaPp])\.?\s*[Mm]\.?)?"
_SLASHED = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2}),?\s*" + _CLOCK + "$")
_TIME_ONLY = re.compile("^" + _CLOCK + "$")
_DURATION_UNITS = {
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600, "ora": 3600, "ore": 3600,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60, "minuto": 60, "minuti": 60,
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1, "secondo": 1, "secondi": 1,
}
_DURATION_PART = re.compile(r"(\d+)\s*([a-z]+)\.?")
_DURATION_CLOCK = re.compile(r"^(\d+):(\d{2}):(\d{2})$")


class UnreadableStamp(ValueError):
    """A value that is no date and time in any format the layouts use."""


class AmbiguousDayOrder(ValueError):
    """Every value reads as a date both day-first and month-first, and the session's day does not decide."""


@dataclass(frozen=True)
class Stamp:
    """A value as written: either a complete instant (ISO with an offset) or Rome wall-clock parts."""

    text: str
    instant: datetime | None = None  # already UTC (ISO with an offset)
    first: int = 0  # the two numbers of a slashed date, in the order written
    second: int = 0
    year: int = 0
    clock: time | None = None
    day_first_only: bool = False  # written with dots (22.09.26): a European date, always day first
    time_only: bool = False

    @property
    def slashed(self) -> bool:
        return self.instant is None and not self.time_only and not self.day_first_only


def clean(text: str) -> str:
    return _SPACES.sub(" ", text or "").strip()


def _clock(hour: str, minute: str, second: str | None, meridiem: str | None) -> time:
    h, m, s = int(hour), int(minute), int(second or 0)
    if meridiem:
        if not 1 <= h <= 12:
            raise UnreadableStamp
        h = h % 12 + (12 if meridiem.lower() == "p" else 0)
    if h > 23 or m > 59 or s > 59:
        raise UnreadableStamp
    return time(h, m, s)


def read_stamp(text: str) -> Stamp:
    """The parts of one written value (:class:`UnreadableStamp` if it is none of the known forms)."""
    value = clean(text)
    if _ISO.match(value):
        has_offset = value.endswith("Z") or re.search(r"[+-]\d{2}:?\d{2}$", value[10:]) is not None
        if has_offset:
            try:
                return Stamp(value, instant=parse_instant(value))
            except ValueError as exc:
                raise UnreadableStamp from exc
        day_text, clock_text = value.replace("T", " ").split(" ")
        try:
            day = date.fromisoformat(day_text)
        except ValueError as exc:
            raise UnreadableStamp from exc
        match = _TIME_ONLY.match(clock_text.split(".")[0])
        if not match:
            raise UnreadableStamp
        return Stamp(value, first=day.day, second=day.month, year=day.year, clock=_clock(*match.groups()),
                     day_first_only=True)
    match = _SLASHED.match(value)
    if match:
        first, separator, second, year, *clock = match.groups()
        full_year = int(year) + (2000 if len(year) == 2 else 0)
        return Stamp(value, first=int(first), second=int(second), year=full_year, clock=_clock(*clock),
                     day_first_only=separator == ".")
    match = _TIME_ONLY.match(value)
    if match:
        return Stamp(value, clock=_clock(*match.groups()), time_only=True)
    raise UnreadableStamp


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def day_order(stamps: list[Stamp], session_day: date, *, fixed: str | None = None) -> str:
    """``"day"`` or ``"month"``: which number comes first in the file's slashed dates.

    ``fixed`` is a layout's documented order (the generic layout is Italian: day first).
    """
    slashed = [stamp for stamp in stamps if stamp.slashed]
    if fixed or not slashed:
        return fixed or "day"
    readings = {
        "day": [_real_date(s.year, s.second, s.first) for s in slashed],
        "month": [_real_date(s.year, s.first, s.second) for s in slashed],
    }
    possible = [order for order, days in readings.items() if all(days)]
    if len(possible) == 1:
        return possible[0]
    if not possible:
        raise UnreadableStamp
    if all(s.first == s.second for s in slashed):
        return "day"

    def on_session_day(days: list[date | None]) -> int:
        return sum(1 for day in days if day and abs(day - session_day) <= SESSION_DAY_SLACK)

    scores = {order: on_session_day(days) for order, days in readings.items()}
    if scores["day"] != scores["month"]:
        return max(scores, key=lambda order: scores[order])
    raise AmbiguousDayOrder


def local_parts(stamp: Stamp, order: str, session_day: date) -> datetime:
    """The Rome wall-clock time a stamp means (naive)."""
    assert stamp.clock is not None
    if stamp.time_only:
        return datetime.combine(session_day, stamp.clock)
    if stamp.day_first_only or order == "day":
        day = _real_date(stamp.year, stamp.second, stamp.first)
    else:
        day = _real_date(stamp.year, stamp.first, stamp.second)
    if day is None:
        raise UnreadableStamp
    return datetime.combine(day, stamp.clock)


def rome_candidates(wall: datetime) -> list[datetime]:
    """The UTC instants a Rome wall-clock time may mean: two on the fall-back night, else one.

    zoneinfo gives a wall time the offset before the change with ``fold=0`` and the one after with
    ``fold=1``: on the fall-back night (02:30 happens twice) the first is larger and both instants
    are real; in the spring-forward gap (02:30 never happens) the first is smaller and, read with the
    offset before the change, the time moves forward by the gap, as ``core.timeutil`` does.
    """
    before = wall.replace(tzinfo=ROME).utcoffset()
    after = wall.replace(tzinfo=ROME, fold=1).utcoffset()
    assert before is not None and after is not None
    first = (wall - before).replace(tzinfo=UTC)
    if before > after:
        return [first, (wall - after).replace(tzinfo=UTC)]
    return [first]


def distance_to(instant: datetime, start: datetime, end: datetime) -> timedelta:
    if instant < start:
        return start - instant
    if instant > end:
        return instant - end
    return timedelta(0)


def resolve_interval(
    joined: list[datetime], left: list[datetime], start: datetime, end: datetime
) -> tuple[datetime, datetime]:
    """Of the candidate instants of a join and a leave, the pair in order and nearest the session."""
    pairs = [(join, leave) for join in joined for leave in left]
    ordered = [pair for pair in pairs if pair[0] <= pair[1]] or pairs
    return min(ordered, key=lambda pair: distance_to(pair[0], start, end) + distance_to(pair[1], start, end))


def parse_duration(text: str, *, bare_unit_seconds: int = 60) -> int | None:
    """Seconds in ``1h 27m 51s``, ``1 hr 5 min``, ``45 min``, ``1:05:00`` or a bare number (Zoom's
    minutes); ``None`` when the text is none of these (a duration is a cross-check, never required)."""
    value = clean(text).lower()
    if not value:
        return None
    if value.isdigit():
        return int(value) * bare_unit_seconds
    match = _DURATION_CLOCK.match(value)
    if match:
        hours, minutes, seconds = (int(part) for part in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    total, consumed = 0, 0
    for part in _DURATION_PART.finditer(value):
        unit = _DURATION_UNITS.get(part.group(2))
        if unit is None:
            return None
        total += int(part.group(1)) * unit
        consumed += len(part.group(0).replace(" ", ""))
    return total if consumed and consumed == len(value.replace(" ", "")) else None
