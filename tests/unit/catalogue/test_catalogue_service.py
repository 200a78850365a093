"""The catalogue service's helpers that other features import, called directly."""

from datetime import date

import pytest

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_location,
    make_path,
    make_person,
    make_session,
)
from tests.support import as_user, rome
from training_hub.catalogue.access import managed_courses_condition, visible_courses_condition
from training_hub.catalogue.courses import CourseInput, create_course
from training_hub.catalogue.sessions import SessionInput, create_session, move_session, recompute_course_dates
from training_hub.core.errors import NotFound, PermissionDenied, ScheduleConflict, ValidationFailed
from training_hub.core.tables import Course, Outbox, Session


async def test_visible_and_managed_conditions_work_in_piccolo_queries(trainer):
    ours, theirs = await make_cooperative(), await make_cooperative()
    worker = await make_person("worker", cooperative=ours)
    coordinator = await make_person("coordinator", cooperative=theirs)
    public = await make_course(await make_path(), trainers=[trainer], title="Pubblico")
    await make_course(await make_path(), trainers=[trainer], title="Bozza", status="draft")
    await make_course(await make_path("internal_training", owner_cooperative=theirs.id), title="Interno altrui")

    async def titles(condition):
        query = Course.select(Course.title).order_by(Course.title)
        if condition is not None:
            query = query.where(condition)
        return [row["title"] for row in await query]

    assert await titles(visible_courses_condition(as_user(worker))) == ["Pubblico"]
    assert await titles(visible_courses_condition(as_user(coordinator))) == ["Interno altrui", "Pubblico"]
    assert await titles(managed_courses_condition(as_user(trainer))) == ["Bozza", "Pubblico"]
    assert await titles(managed_courses_condition(as_user(coordinator))) == ["Interno altrui"]
    assert await titles(managed_courses_condition(as_user(worker))) == []
    assert public.id


async def test_recompute_course_dates_ignores_cancelled_sessions():
    course = await make_course()
    early = await make_session(course, rome(date(2026, 12, 1), 9))
    await make_session(course, rome(date(2026, 12, 15), 9), minutes=120)
    await Session.update({Session.status: "cancelled"}).where(Session.id == early.id)
    await recompute_course_dates(course.id)
    row = await Course.select(Course.starts_at, Course.ends_at).where(Course.id == course.id).first()
    assert row["starts_at"] == rome(date(2026, 12, 15), 9) and row["ends_at"] == rome(date(2026, 12, 15), 11)


async def test_scheduling_services_refuse_clearly(trainer):
    outsider = await make_person("trainer")
    room = await make_location(capacity=10)
    course = await make_course(trainers=[trainer], capacity=20, location=room.id, status="draft")
    user = as_user(trainer)
    with pytest.raises(ScheduleConflict) as conflict:
        await create_session(user, course.id, SessionInput(
            starts_at="2026-12-02T09:00", ends_at="2026-12-02T12:00", location_id=room.id))
    assert [i.code for i in conflict.value.issues] == ["room_too_small"]
    with pytest.raises(ValidationFailed) as invalid:
        await create_session(user, course.id, SessionInput(starts_at="", ends_at="x"))
    assert set(invalid.value.errors) == {"starts_at", "ends_at", "location_id"}
    with pytest.raises(NotFound):
        await create_session(as_user(outsider), course.id, SessionInput("2026-12-02T09:00",
                                                                                       "2026-12-02T10:00"))
    with pytest.raises(PermissionDenied):
        await create_course(as_user(await make_person("worker")), CourseInput(
            path_id=course.path, title="X", capacity=10))


async def test_move_notification_is_italian_with_rome_dates_and_times(trainer):
    room = await make_location(name="Sala Il Torrazzo", address="Via Dante, 134", comune="Cremona", capacity=30)
    course = await make_course(trainers=[trainer], title="Primo soccorso", location=room.id)
    session = await make_session(course, rome(date(2026, 11, 25), 9, 30), minutes=210, location=room.id)
    await make_session(course, rome(date(2026, 12, 2), 9, 30), minutes=210, location=room.id)
    person = await make_person()
    await make_enrolment(person, course)
    await move_session(as_user(trainer), session.id, SessionInput(
        starts_at="2026-11-26T14:00", ends_at="2026-11-26T17:30", location_id=room.id))
    notice = await Outbox.select().first()
    assert notice["kind"] == "session_moved" and notice["recipient"] == person.id
    assert "25/11/2026 dalle 09:30 alle 13:00 (Sala Il Torrazzo, Via Dante, 134, Cremona)" in notice["body"]
    assert "Nuova data: 26/11/2026 dalle 14:00 alle 17:30" in notice["body"]
    assert f"/courses/{course.id}" in notice["body"]
