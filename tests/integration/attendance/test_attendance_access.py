"""Who takes attendance: the links the course pages show and the answers of the routes agree.

The rule (``attendance.rules.may_take_attendance``): admins, and whoever teaches the course and may
teach it — a trainer, or the coordinator who teaches her own cooperative's internal course (there she
is its trainer). A coordinator who only manages her cooperative's course follows its participants'
progress but takes no roll call and gets no register.
"""

from datetime import timedelta

from tests.factories import (
    make_cooperative,
    make_course,
    make_enrolment,
    make_path,
    make_person,
    make_session,
)
from tests.support import login
from training_hub.core.tables import PathKind
from training_hub.core.timeutil import utcnow

REGISTER_LINKS = ("register.pdf", "register.csv", "register.xlsx")


async def _internal_course(coordinator_teaches: bool):
    cooperative = await make_cooperative()
    coordinator = await make_person("coordinator", cooperative=cooperative, full_name="Elena Colombo")
    trainer = await make_person("trainer")
    path = await make_path(PathKind.INTERNAL_TRAINING.value, owner_cooperative=cooperative.id)
    course = await make_course(path, trainers=[coordinator] if coordinator_teaches else [trainer])
    session = await make_session(course, utcnow() - timedelta(minutes=10), minutes=120)
    worker = await make_person("worker", cooperative=cooperative)
    await make_enrolment(worker, course)
    return course, session, coordinator


async def _links_and_answers(client, course, session) -> tuple[dict[str, bool], dict[str, int]]:
    page = (await client.get(f"/courses/{course.id}")).text
    links = {
        **{name: f'href="/courses/{course.id}/{name}"' in page for name in REGISTER_LINKS},
        "roll call": f'href="/sessions/{session.id}/attendance"' in page,
        "check-in": f'href="/sessions/{session.id}/check-in"' in page,
    }
    answers = {
        **{name: (await client.get(f"/courses/{course.id}/{name}")).status_code for name in REGISTER_LINKS},
        "roll call": (await client.get(f"/sessions/{session.id}/attendance")).status_code,
        "check-in": (await client.get(f"/sessions/{session.id}/check-in")).status_code,
    }
    return links, answers


async def test_a_coordinator_teaching_her_cooperatives_course_gets_the_links_and_the_register(client):
    course, session, coordinator = await _internal_course(coordinator_teaches=True)
    await login(client, coordinator.email)
    links, answers = await _links_and_answers(client, course, session)
    assert all(links.values()), links
    assert set(answers.values()) == {200}, answers
    manage = (await client.get(f"/trainer/courses/{course.id}")).text
    assert f'href="/sessions/{session.id}/attendance"' in manage


async def test_a_coordinator_managing_without_teaching_gets_neither_links_nor_register(client):
    course, session, coordinator = await _internal_course(coordinator_teaches=False)
    await login(client, coordinator.email)
    links, answers = await _links_and_answers(client, course, session)
    assert not any(links.values()), links
    assert set(answers.values()) == {403}, answers
    manage = await client.get(f"/trainer/courses/{course.id}")
    assert manage.status_code == 200  # she manages the course
    assert f'href="/sessions/{session.id}/attendance"' not in manage.text
    # She still follows her cooperative's participants.
    assert (await client.get(f"/courses/{course.id}/attendance")).status_code == 200


async def test_a_coordinator_listed_on_another_cooperatives_course_takes_no_attendance(client):
    # The catalogue never lists her there; if the data says so anyway, the rule still refuses.
    course, session, _coordinator = await _internal_course(coordinator_teaches=True)
    outsider = await make_person("coordinator", cooperative=await make_cooperative())
    consortium_course = await make_course(trainers=[outsider])
    other_session = await make_session(consortium_course, utcnow() - timedelta(minutes=10), minutes=120)
    await login(client, outsider.email)
    links, answers = await _links_and_answers(client, consortium_course, other_session)
    assert not any(links.values()), links
    assert set(answers.values()) == {403}, answers


async def test_links_and_routes_agree_for_trainers_workers_and_admins(client):
    course, session, _coordinator = await _internal_course(coordinator_teaches=False)
    trainer = await make_person("trainer")
    teaching = await make_course(trainers=[trainer])
    teaching_session = await make_session(teaching, utcnow() - timedelta(minutes=10), minutes=120)
    await login(client, trainer.email)
    links, answers = await _links_and_answers(client, teaching, teaching_session)
    assert all(links.values()) and set(answers.values()) == {200}, (links, answers)

    admin = await make_person("admin")
    await login(client, admin.email)
    links, answers = await _links_and_answers(client, course, session)
    assert all(links.values()) and set(answers.values()) == {200}, (links, answers)

    worker = await make_person("worker")
    await login(client, worker.email)
    links, answers = await _links_and_answers(client, teaching, teaching_session)
    assert not any(links.values()) and set(answers.values()) == {403}, (links, answers)
