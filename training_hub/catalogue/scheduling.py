"""Scheduling checks and weekly series: pure functions over plain data.

:func:`check_schedule` takes the sessions being placed and what is already booked (loaded by the
service) and returns every finding at once as :class:`~training_hub.core.errors.Issue` objects:

* errors (block saving): end not after start, two sessions of the course at once, a trainer in two
  sessions at once, a room in two sessions at once, a room smaller than the course;
* warnings (can be confirmed): Sunday, national holiday, the patron saint of the location's comune,
  more than 10 hours in one day (of the course, or of a trainer across all the courses they teach),
  a session outside 08:00–22:00, a session placed in the past.

Hours are always counted from the UTC instants, so a session over the night of a DST change counts
the hours that really pass. Days are Europe/Rome calendar days.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from training_hub.catalogue.holidays import is_sunday, national_holiday, patron_saint
from training_hub.core.errors import Issue
from training_hub.core.i18n import N_, format_date, format_hours, format_time, gettext
from training_hub.core.timeutil import minutes_between, rome_day_bounds, rome_wall_clock, to_rome

MAX_MINUTES_PER_DAY = 10 * 60
EARLIEST = time(8, 0)
LATEST = time(22, 0)
MAX_SERIES_SESSIONS = 60

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class PlannedSession:
    """A session about to be created or changed (instants in UTC)."""

    starts_at: datetime
    ends_at: datetime
    location_id: int | None
    trainer_ids: frozenset[int]
    session_id: int | None = None  # set when an existing session is being changed


@dataclass(frozen=True)
class LocationInfo:
    id: int
    name: str
    comune: str
    capacity: int | None
    is_online: bool
    patron_day: str = ""  # "MM-DD" entered for the location, else the built-in table by comune
    patron_saint: str = ""


@dataclass(frozen=True)
class BookedSession:
    """A scheduled session already in the database that the planned ones could clash with."""

    session_id: int
    course_id: int
    course_title: str | None  # None: a course the user may not read, never named ("un altro corso")
    starts_at: datetime
    ends_at: datetime
    location_id: int | None
    trainer_ids: frozenset[int]


@dataclass
class ScheduleContext:
    course_id: int
    course_capacity: int
    locations: dict[int, LocationInfo] = field(default_factory=dict)
    trainer_names: dict[int, str] = field(default_factory=dict)
    booked: list[BookedSession] = field(default_factory=list)
    now: datetime | None = None  # set: a session starting before it is a warning


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals: a session ending at 13:00 does not clash with one starting at 13:00."""
    return a_start < b_end and b_start < a_end


def _day(instant: datetime) -> str:
    return format_date(instant)


def _rome_days(start: datetime, end: datetime) -> list[date]:
    first, last = to_rome(start).date(), to_rome(end - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _minutes_within_day(start: datetime, end: datetime, day: date) -> int:
    day_start, day_end = rome_day_bounds(day)
    lower, upper = max(start, day_start), min(end, day_end)
    return max(0, minutes_between(lower, upper))


def outside_working_hours(start: datetime, end: datetime) -> bool:
    local_start, local_end = to_rome(start), to_rome(end)
    if local_start.time() < EARLIEST:
        return True
    if local_end.date() != local_start.date():
        return True
    return local_end.time() > LATEST


def check_schedule(planned: list[PlannedSession], context: ScheduleContext) -> list[Issue]:
    """Every problem of placing ``planned`` given ``context``; errors first, then warnings."""
    found: dict[tuple[str, str], Issue] = {}

    def add(code: str, message: str, severity: str, field_name: str | None, **params: str) -> None:
        issue = Issue(code=code, message=message, severity=severity, field=field_name, params=params)
        found.setdefault((code, issue.text), issue)

    changing = {p.session_id for p in planned if p.session_id is not None}
    booked = [b for b in context.booked if b.session_id not in changing]
    valid: list[PlannedSession] = []
    for index, session in enumerate(planned):
        start, end = session.starts_at, session.ends_at
        day = _day(start)
        if end <= start:
            add("end_before_start", N_("%(day)s: la fine dell'incontro (%(end)s) non è dopo l'inizio (%(start)s)."),
                ERROR, "ends_at", day=day, start=format_time(start), end=format_time(end))
            continue
        location = context.locations.get(session.location_id) if session.location_id else None

        if context.now is not None and start < context.now:
            add("past", N_("%(day)s alle %(start)s è già passato: l'incontro risulterebbe già svolto."),
                WARNING, "starts_at", day=day, start=format_time(start))
        for other in booked:
            if not overlaps(start, end, other.starts_at, other.ends_at):
                continue
            if other.course_id == context.course_id:
                # Another session of this very course: saying its trainer or room is busy would
                # name this course as the "other" one.
                add("course_overlap", N_("%(day)s: il corso ha già un incontro dalle %(start)s alle %(end)s."),
                    ERROR, "starts_at", day=_day(other.starts_at), start=format_time(other.starts_at),
                    end=format_time(other.ends_at))
                continue
            named = other.course_title is not None
            for trainer_id in sorted(session.trainer_ids & other.trainer_ids):
                add("trainer_busy",
                    N_("%(day)s: %(trainer)s ha già un incontro dalle %(start)s alle %(end)s (corso «%(course)s»).")
                    if named else
                    N_("%(day)s: %(trainer)s ha già un incontro dalle %(start)s alle %(end)s (un altro corso)."),
                    ERROR, "trainer_id", day=_day(other.starts_at),
                    trainer=context.trainer_names.get(trainer_id, f"#{trainer_id}"),
                    start=format_time(other.starts_at), end=format_time(other.ends_at),
                    **({"course": other.course_title} if named else {}))
            if location and not location.is_online and other.location_id == location.id:
                add("room_busy",
                    N_("%(day)s: la sede «%(location)s» è già occupata dalle %(start)s alle %(end)s "
                       "(corso «%(course)s»).")
                    if named else
                    N_("%(day)s: la sede «%(location)s» è già occupata dalle %(start)s alle %(end)s "
                       "(un altro corso)."),
                    ERROR, "location_id", day=_day(other.starts_at), location=location.name,
                    start=format_time(other.starts_at), end=format_time(other.ends_at),
                    **({"course": other.course_title} if named else {}))
        for earlier in valid:
            if overlaps(start, end, earlier.starts_at, earlier.ends_at):
                add("sessions_overlap", N_("Gli incontri del %(day)s e del %(other)s si sovrappongono."),
                    ERROR, "starts_at", day=day, other=_day(earlier.starts_at))

        if location and location.capacity is not None and location.capacity < context.course_capacity:
            add("room_too_small",
                N_("La sede «%(location)s» ha %(room)s posti, meno dei %(capacity)s posti del corso."),
                ERROR, "location_id", location=location.name, room=str(location.capacity),
                capacity=str(context.course_capacity))

        for local_day in _rome_days(start, end):
            shown = format_date(local_day)
            if is_sunday(local_day):
                add("sunday", N_("%(day)s è domenica."), WARNING, "starts_at", day=shown)
            holiday = national_holiday(local_day)
            if holiday:
                add("holiday", N_("%(day)s è festa nazionale (%(holiday)s)."), WARNING, "starts_at",
                    day=shown, holiday=gettext(holiday))
            saint = location and patron_saint(local_day, location.comune, own_day=location.patron_day,
                                              own_saint=location.patron_saint)
            if saint:
                add("patron_saint", N_("%(day)s a %(comune)s è la festa del patrono (%(saint)s)."), WARNING,
                    "starts_at", day=shown, comune=location.comune or location.name, saint=saint)
            minutes = _minutes_within_day(start, end, local_day)
            minutes += sum(_minutes_within_day(o.starts_at, o.ends_at, local_day)
                           for o in booked if o.course_id == context.course_id)
            minutes += sum(_minutes_within_day(o.starts_at, o.ends_at, local_day)
                           for o in planned[:index] if o.ends_at > o.starts_at)
            if minutes > MAX_MINUTES_PER_DAY:
                add("too_many_hours",
                    N_("%(day)s: il corso arriva a %(hours)s in un giorno, più delle 10 ore consigliate."),
                    WARNING, "ends_at", day=shown, hours=format_hours(minutes))
            for trainer_id in sorted(session.trainer_ids):
                # The trainer's own day, across every course they teach (the course's day is counted
                # above: a trainer teaching only this course gets that warning alone).
                theirs = [o for o in booked if trainer_id in o.trainer_ids]
                if all(o.course_id == context.course_id for o in theirs):
                    continue
                minutes = _minutes_within_day(start, end, local_day)
                minutes += sum(_minutes_within_day(o.starts_at, o.ends_at, local_day) for o in theirs)
                minutes += sum(_minutes_within_day(o.starts_at, o.ends_at, local_day)
                               for o in planned[:index] if o.ends_at > o.starts_at and trainer_id in o.trainer_ids)
                if minutes > MAX_MINUTES_PER_DAY:
                    add("trainer_too_many_hours",
                        N_("%(day)s: %(trainer)s arriva a %(hours)s di incontri in un giorno, contando gli altri "
                           "corsi, più delle 10 ore consigliate."),
                        WARNING, "trainer_id", day=shown, hours=format_hours(minutes),
                        trainer=context.trainer_names.get(trainer_id, f"#{trainer_id}"))
        if outside_working_hours(start, end):
            add("outside_hours",
                N_("%(day)s: l'incontro (%(start)s–%(end)s) esce dalla fascia oraria 08:00–22:00."),
                WARNING, "starts_at", day=day, start=format_time(start), end=format_time(end))
        valid.append(session)

    issues = list(found.values())
    return [i for i in issues if i.severity == ERROR] + [i for i in issues if i.severity == WARNING]


def has_errors(issues: Iterable[Issue]) -> bool:
    return any(issue.severity == ERROR for issue in issues)


# Weekly series ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesRule:
    """Weekly on ``weekdays`` (0 = Monday) from ``first_day``, ``count`` times or until ``until``."""

    first_day: date
    weekdays: frozenset[int]
    start_time: time
    end_time: time
    count: int | None = None
    until: date | None = None


def expand_series(rule: SeriesRule) -> list[tuple[datetime, datetime]]:
    """The (start, end) UTC instants of a series, each at the same Rome wall-clock times.

    A series crossing a DST change keeps its local times: a 09:00 lesson stays at 09:00 in Rome,
    which is 07:00 UTC in summer and 08:00 UTC in winter. Never more than MAX_SERIES_SESSIONS.
    """
    if not rule.weekdays or (rule.count is None and rule.until is None):
        return []
    limit = min(rule.count or MAX_SERIES_SESSIONS, MAX_SERIES_SESSIONS)
    out: list[tuple[datetime, datetime]] = []
    day = rule.first_day
    # Walk day by day; a year is the longest a series may run.
    for _ in range(366):
        if rule.until is not None and day > rule.until:
            break
        if day.weekday() in rule.weekdays:
            start = rome_wall_clock(day, rule.start_time)
            end = rome_wall_clock(day, rule.end_time)
            out.append((start, end))
            if len(out) >= limit:
                break
        day += timedelta(days=1)
    return out
