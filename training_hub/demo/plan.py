"""When and where every demo course meets: one calendar under the scheduling rules.

Dates follow the day the demo is loaded, so they are placed by :class:`DemoCalendar` under the rules
the application applies to a trainer scheduling the same sessions (no clash of trainer or room, no
Sunday, holiday or patron saint, within the hours): every course can be opened and saved unchanged.
The coming courses and the past editions share the calendar, so none clashes with another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from training_hub.catalogue.holidays import national_holiday, patron_saint
from training_hub.catalogue.scheduling import EARLIEST, LATEST, MAX_MINUTES_PER_DAY, overlaps
from training_hub.core.timeutil import minutes_between, rome_wall_clock, to_rome
from training_hub.demo.consortium import LOCATIONS
from training_hub.demo.courses import PAST_COURSES, PATHS

# The office's year-end closure: no course on these days, no enrolment deadline either.
OFFICE_CLOSED = {(12, 24), (12, 31)}
ENROLMENT_OPENS = time(9, 0)  # enrolment opens at 09:00 of a working day
DEADLINES = time(12, 0)  # closes, and free cancellation ends, at noon of a working day
LOCATION_COMUNI = {key: comune for key, _n, _a, comune, _p, _c, _s, _o in LOCATIONS}
LOCATION_CAPACITIES = {key: capacity for key, _n, _a, _c, _p, capacity, _s, _o in LOCATIONS}
PHYSICAL_LOCATIONS = {key for key, *_rest, online in LOCATIONS if not online}


def is_working_day(day: date, comune: str | None = None) -> bool:
    """Monday to Friday, no national holiday, not in the office's year-end closure and, for a session in
    ``comune``, not its patron saint's day: the days scheduling raises no warning about."""
    return (day.weekday() < 5 and (day.month, day.day) not in OFFICE_CLOSED and not national_holiday(day)
            and not patron_saint(day, comune))


def _working_days_from(start: date) -> date:
    """The first working day (see :func:`is_working_day`) on or after ``start``."""
    day = start
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _working_day_before(day: date) -> date:
    """The last working day before ``day``."""
    day -= timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def _at(day: date, hhmm: str) -> datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return rome_wall_clock(day, time(hours, minutes))


@dataclass(frozen=True)
class DemoSlot:
    """One session of the demo calendar (instants in UTC)."""

    course: str
    starts_at: datetime
    ends_at: datetime
    location: str  # a key of LOCATIONS
    trainer: str  # a demo e-mail

    @property
    def day(self) -> date:
        return to_rome(self.starts_at).date()


@dataclass(frozen=True)
class PlannedCourse:
    """Where and when a demo course meets, and its enrolment window."""

    title: str
    location: str
    trainer: str
    capacity: int
    sessions: list[tuple[datetime, datetime]]
    enrolment_opens_at: datetime
    enrolment_closes_at: datetime
    cancellation_deadline: datetime


class DemoCalendar:
    """Places the demo's courses, one after the other, by the rules scheduling applies to a trainer
    (``training_hub.catalogue.scheduling.check_schedule``), errors and warnings alike: no trainer and
    no room in two sessions at once, working days only (no Sunday, national holiday or patron saint of
    the location's comune), 08:00-22:00, at most 10 hours a day for a trainer. Besides, a trainer
    teaches in one town a day (online lessons aside): nobody is in Cremona at 13:00 and in Milano at 14:00.

    A course's sessions are weekly from its first day; a session that cannot be held on its day moves
    to the next day that fits, and a course whose first day does not fit starts on the next one.
    """

    MAX_SHIFT_DAYS = 60

    def __init__(self) -> None:
        self.slots: list[DemoSlot] = []

    def _fits(self, candidate: DemoSlot, pending: list[DemoSlot]) -> bool:
        location, trainer, day = candidate.location, candidate.trainer, candidate.day
        if not is_working_day(day, LOCATION_COMUNI[location]):
            return False
        physical = location in PHYSICAL_LOCATIONS
        minutes = minutes_between(candidate.starts_at, candidate.ends_at)
        for other in (*self.slots, *pending):
            same_trainer = other.trainer == trainer
            if overlaps(candidate.starts_at, candidate.ends_at, other.starts_at, other.ends_at) and (
                    same_trainer or (physical and other.location == location)):
                return False
            if same_trainer and other.day == day:
                minutes += minutes_between(other.starts_at, other.ends_at)
                if (physical and other.location in PHYSICAL_LOCATIONS
                        and LOCATION_COMUNI[other.location] != LOCATION_COMUNI[location]):
                    return False
        return minutes <= MAX_MINUTES_PER_DAY

    def _attempt(self, title: str, first_day: date, times: list[tuple[str, str]], location: str,
                 trainer: str) -> list[DemoSlot] | None:
        """The course's sessions starting on ``first_day``, or None when that day does not fit."""
        pending: list[DemoSlot] = []
        day = first_day
        for start, end in times:
            for _ in range(self.MAX_SHIFT_DAYS):
                slot = DemoSlot(title, _at(day, start), _at(day, end), location, trainer)
                if self._fits(slot, pending):
                    break
                if not pending:
                    return None
                day += timedelta(days=1)
            else:
                return None
            pending.append(slot)
            day = slot.day + timedelta(weeks=1)
        return pending

    def place(self, title: str, target: date, times: list[tuple[str, str]], location: str, trainer: str, *,
              backwards: bool = False, ends_before: date | None = None) -> list[tuple[datetime, datetime]]:
        """Book a weekly course starting on ``target`` or, when it does not fit, on the first day after
        it that does (``backwards``: before it, for editions already held, over by ``ends_before``)."""
        for start, end in times:
            if not (EARLIEST <= time.fromisoformat(start) < time.fromisoformat(end) <= LATEST):
                raise ValueError(f"{title}: {start}-{end} is outside 08:00-22:00")
        step = timedelta(days=-1 if backwards else 1)
        for shift in range(self.MAX_SHIFT_DAYS):
            slots = self._attempt(title, target + shift * step, times, location, trainer)
            if slots and (ends_before is None or slots[-1].day < ends_before):
                self.slots.extend(slots)
                return [(slot.starts_at, slot.ends_at) for slot in slots]
        raise RuntimeError(f"No room in the demo calendar for {title!r} near {target}")


def _course_plan(title: str, location: str, trainer: str, capacity: int,
                 sessions: list[tuple[datetime, datetime]], opens_on: date) -> PlannedCourse:
    """Enrolment opens at 09:00 of the working day ``opens_on`` (or the one before), closes at noon of
    the working day before the first session; free cancellation ends at noon of the working day before
    that. The room holds the course's seats, as the course form requires."""
    room = LOCATION_CAPACITIES[location]
    if room is not None and room < capacity:
        raise ValueError(f"{title}: {capacity} seats in a room of {room}")
    closes_on = _working_day_before(to_rome(sessions[0][0]).date())
    opens_on = opens_on if is_working_day(opens_on) else _working_day_before(opens_on)
    return PlannedCourse(
        title=title, location=location, trainer=trainer, capacity=capacity, sessions=sessions,
        enrolment_opens_at=rome_wall_clock(opens_on, ENROLMENT_OPENS),
        enrolment_closes_at=rome_wall_clock(closes_on, DEADLINES),
        cancellation_deadline=rome_wall_clock(_working_day_before(closes_on), DEADLINES),
    )


def plan_demo(today: date) -> dict[str, PlannedCourse]:
    """When and where every demo course meets, by title: the courses of the coming weeks (``PATHS``,
    open for enrolment since a week ago) and the editions held in the past weeks (``PAST_COURSES`` of
    ``courses``), all in one calendar so that none clashes with another."""
    calendar = DemoCalendar()
    plan: dict[str, PlannedCourse] = {}
    for demo_path in PATHS:
        for demo in demo_path.courses:
            sessions = calendar.place(demo.title, today + timedelta(weeks=demo.weeks_ahead),
                                      [(start, end) for start, end, _topics in demo.sessions],
                                      demo.location, demo.trainer)
            plan[demo.title] = _course_plan(demo.title, demo.location, demo.trainer, demo.capacity, sessions,
                                            today - timedelta(days=7))
    for past in PAST_COURSES:
        sessions = calendar.place(past.title, today - timedelta(weeks=past.weeks_ago), past.sessions,
                                  past.location, past.trainer, backwards=True, ends_before=today)
        plan[past.title] = _course_plan(past.title, past.location, past.trainer, past.capacity, sessions,
                                        to_rome(sessions[0][0]).date() - timedelta(days=30))
    return plan
