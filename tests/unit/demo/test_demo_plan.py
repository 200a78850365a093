"""The demo's calendar, planned for any day it may be loaded on, meets the scheduling checks.

``tests/integration/test_demo_rules.py`` loads the demo on a few days and checks it through the
service; this runs the same pure check (``check_schedule``, errors and warnings alike) over the plan
alone, for every day of sixteen months.
"""

from datetime import date, time, timedelta

from training_hub.catalogue.scheduling import (
    BookedSession,
    LocationInfo,
    PlannedSession,
    ScheduleContext,
    check_schedule,
)
from training_hub.core.timeutil import rome_day_bounds, rome_wall_clock, to_rome
from training_hub.demo.consortium import LOCATIONS
from training_hub.demo.plan import DemoCalendar, is_working_day, plan_demo

ROOMS = {key: LocationInfo(number, name, comune, capacity, online)
         for number, (key, name, _address, comune, _province, capacity, _step_free, online)
         in enumerate(LOCATIONS, start=1)}


def plan_problems(today: date) -> list[str]:
    """Everything the scheduling checks, the course form and enrolment would object to in the plan."""
    plan = plan_demo(today)
    emails = sorted({course.trainer for course in plan.values()})
    trainers = {email: number for number, email in enumerate(emails, start=1)}
    booked: list[BookedSession] = []
    planned_by_course: dict[int, list[PlannedSession]] = {}
    for course_id, course in enumerate(plan.values(), start=1):
        room = ROOMS[course.location]
        location_id = None if room.is_online else room.id  # online sessions have a link, no room
        teaching = frozenset({trainers[course.trainer]})
        planned_by_course[course_id] = []
        for starts_at, ends_at in course.sessions:
            session_id = len(booked) + 1
            booked.append(BookedSession(session_id, course_id, course.title, starts_at, ends_at, location_id,
                                        teaching))
            planned_by_course[course_id].append(PlannedSession(starts_at, ends_at, location_id, teaching,
                                                               session_id))
    problems = []
    day_starts, day_ends = rome_day_bounds(today)
    for course_id, course in enumerate(plan.values(), start=1):
        planned = planned_by_course[course_id]
        # What load_schedule_context would read: sessions of the same course, trainers or rooms, on the
        # days the course meets.
        window = (rome_day_bounds(to_rome(planned[0].starts_at).date())[0],
                  rome_day_bounds(to_rome(planned[-1].ends_at).date())[1])
        involved = [b for b in booked if b.starts_at < window[1] and b.ends_at > window[0] and (
            b.course_id == course_id or b.trainer_ids & planned[0].trainer_ids
            or (b.location_id is not None and b.location_id == planned[0].location_id))]
        context = ScheduleContext(course_id, course.capacity, locations={r.id: r for r in ROOMS.values()},
                                  trainer_names={n: e for e, n in trainers.items()}, booked=involved)
        problems += [f"{today} {course.title}: {issue.text}" for issue in check_schedule(planned, context)]
        starts_at, ends_at = course.sessions[0][0], course.sessions[-1][1]
        opens, closes = course.enrolment_opens_at, course.enrolment_closes_at
        if not opens < closes <= starts_at:
            problems.append(f"{today} {course.title}: enrolment window")
        if not course.cancellation_deadline < starts_at:
            problems.append(f"{today} {course.title}: cancellation deadline")
        if not (ends_at <= day_starts or day_ends <= starts_at):
            problems.append(f"{today} {course.title}: held on the day the demo is loaded")
        if day_ends <= starts_at and not opens <= day_starts < day_ends <= closes:
            problems.append(f"{today} {course.title}: not open for enrolment all day long")
    return problems


def test_the_demo_calendar_passes_the_scheduling_checks_whatever_the_day():
    # Loaded on every day of sixteen months: two Christmases, two October DST changes (San Francesco on
    # a Sunday, then on a Monday), Easter and the March DST change on the same Sunday (2027), every
    # patron saint of the demo's comuni, at every distance from the day of loading.
    problems: list[str] = []
    day = date(2026, 9, 1)
    while day < date(2028, 1, 1):
        problems += plan_problems(day)
        day += timedelta(days=1)
    assert not problems, "\n".join(problems[:40])


def _days(sessions):
    return [to_rome(start).date() for start, _end in sessions]


def test_the_calendar_moves_a_session_off_holidays_clashes_and_other_towns():
    calendar = DemoCalendar()
    # Thursday 24/12/2026 is the office's closure, then Christmas, Santo Stefano and a weekend.
    assert calendar.place("A", date(2026, 12, 24), [("09:00", "13:00")], "sede", "t@x") == [
        (rome_wall_clock(date(2026, 12, 28), time(9)), rome_wall_clock(date(2026, 12, 28), time(13)))]
    # The same trainer the same morning: the next day; a week later, Epifania is skipped.
    morning = [("10:00", "12:00"), ("10:00", "12:00")]
    assert _days(calendar.place("B", date(2026, 12, 28), morning, "spazio", "t@x")) == [
        date(2026, 12, 29), date(2027, 1, 5)]
    # Another trainer, the same room at the same time: the next day again.
    assert _days(calendar.place("C", date(2026, 12, 29), [("11:00", "13:00")], "spazio", "u@x")) == [
        date(2026, 12, 30)]
    # An afternoon in another town: not on a day the trainer teaches in Milano (28 and 29/12).
    assert _days(calendar.place("D", date(2026, 12, 28), [("15:00", "18:00")], "cremona", "t@x")) == [
        date(2026, 12, 30)]
    # Milano's patron saint (7/12), for a room in Milano only.
    assert not is_working_day(date(2026, 12, 7), "Milano") and is_working_day(date(2026, 12, 7), "Cremona")
    # An edition already held ends before the day given, moving back from its first day if need be.
    held = calendar.place("E", date(2026, 12, 25), [("09:00", "13:00")], "sede", "v@x", backwards=True,
                          ends_before=date(2027, 1, 1))
    assert _days(held) == [date(2026, 12, 23)]
