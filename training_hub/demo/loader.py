"""Loading the demo into an empty database: ``training-hub demo`` and ``training-hub serve --demo``.

Writes the consortium (:mod:`.consortium`), the coming courses where :mod:`.plan` places them
(:mod:`.courses`), a few enrolments (the demo worker has two confirmed seats and a place on a waiting
list; one small course is full, so its waiting list shows; the tutor's people wait for approval), and
the past editions with registers and surveys (:mod:`.history`).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from training_hub.core.security import hash_password
from training_hub.core.tables import (
    Cooperative,
    Course,
    CourseEligibleArea,
    CourseStatus,
    CourseTrainer,
    EnrolledVia,
    Enrolment,
    EnrolmentStatus,
    Location,
    Person,
    Session,
    TrainingPath,
    TutorLink,
)
from training_hub.core.timeutil import to_rome, utcnow
from training_hub.demo.audit_trail import load_audit_demo
from training_hub.demo.consortium import (
    COOPERATIVES,
    DEMO_LOGINS,
    DEMO_PASSWORD,
    EXTRA_TRAINERS,
    FIRST_NAMES,
    HOME_COOPERATIVE,
    LAST_NAMES,
    LOCATIONS,
    partita_iva,
)
from training_hub.demo.courses import PATHS
from training_hub.demo.funding import load_funding_demo
from training_hub.demo.history import load_past_editions
from training_hub.demo.office import load_office_demo
from training_hub.demo.outbox import load_outbox_demo
from training_hub.demo.plan import plan_demo
from training_hub.demo.planning import load_planning_demo
from training_hub.demo.safety import load_safety_demo
from training_hub.demo.safety_records import load_safety_records_demo
from training_hub.inclusion.demo_data import load_inclusion_demo


def session_uid() -> str:
    return f"{uuid.uuid4()}@training-hub"


async def database_is_empty() -> bool:
    return not await Person.exists()


async def load_demo_data(today: date | None = None) -> dict[str, Any]:
    """Fill an empty database. Returns counts of what was created."""
    today = today or to_rome(utcnow()).date()
    password_hash = hash_password(DEMO_PASSWORD)
    cooperatives: dict[str, int] = {}
    for index, (name, province, comune, areas) in enumerate(COOPERATIVES):
        coop = Cooperative(
            name=name, province=province, comune=comune, areas=",".join(areas), tax_code=partita_iva(index + 1)
        )
        await coop.save()
        cooperatives[name] = coop.id
    home_coop = cooperatives[HOME_COOPERATIVE]

    people: dict[str, int] = {}
    for email, (full_name, role) in DEMO_LOGINS.items():
        cooperative = home_coop if role in ("coordinator", "worker", "tutor") else None
        area = "anziani" if role == "worker" else None
        roles = "trainer,coordinator" if role == "coordinator" else role
        person = Person(
            full_name=full_name, email=email, roles=roles, cooperative=cooperative, area=area,
            password_hash=password_hash,
            codice_fiscale="RSSLCU90A01F205P" if role == "worker" else None,
        )
        await person.save()
        people[email] = person.id
    for email, full_name in EXTRA_TRAINERS.items():
        person = Person(full_name=full_name, email=email, roles="trainer", password_hash=password_hash)
        await person.save()
        people[email] = person.id

    workers: list[int] = []
    inclusion_participants: list[int] = []
    counter = 0
    for name, _province, _comune, areas in COOPERATIVES:
        for slot in range(6):
            first = FIRST_NAMES[counter % len(FIRST_NAMES)]
            last = LAST_NAMES[(counter * 7 + 3) % len(LAST_NAMES)]
            counter += 1
            person = Person(
                full_name=f"{first} {last}",
                email=f"{first}.{last}.{counter}@cooperative.demo.test".lower(),
                roles="worker",
                cooperative=cooperatives[name],
                area=areas[slot % len(areas)],
                password_hash=password_hash,
            )
            await person.save()
            workers.append(person.id)
            if name == HOME_COOPERATIVE and slot >= 4:
                inclusion_participants.append(person.id)
    for participant in inclusion_participants:
        await TutorLink.insert(TutorLink(tutor=people["tutor@demo.test"], person=participant))

    locations: dict[str, int] = {}
    for key, name, address, comune, province, capacity, step_free, online in LOCATIONS:
        location = Location(
            name=name, address=address, comune=comune, province=province, capacity=capacity,
            step_free_access=step_free, is_online=online,
        )
        await location.save()
        locations[key] = location.id

    plan = plan_demo(today)
    courses: dict[str, int] = {}
    session_count = 0
    for demo_path in PATHS:
        path = TrainingPath(
            kind=demo_path.kind, title=demo_path.title, description=demo_path.description,
            objectives=demo_path.objectives, sequential=demo_path.sequential,
            owner_cooperative=cooperatives[demo_path.owner] if demo_path.owner else None,
            created_by=people["admin@demo.test"],
        )
        await path.save()
        for position, demo in enumerate(demo_path.courses, start=1):
            planned = plan[demo.title]
            instants = planned.sessions
            course = Course(
                path=path.id, position=position, title=demo.title, description=demo.description,
                capacity=demo.capacity, delivery_mode=demo.delivery_mode,
                location=locations[demo.location],
                enrolment_opens_at=planned.enrolment_opens_at,
                enrolment_closes_at=planned.enrolment_closes_at,
                cancellation_deadline=planned.cancellation_deadline,
                requires_approval=demo.requires_approval,
                attendance_threshold=demo.threshold,
                funder_plan_code=demo.funder_code,
                status=CourseStatus.PUBLISHED.value,
                starts_at=instants[0][0], ends_at=instants[-1][1],
                created_by=people[demo.trainer],
            )
            await course.save()
            courses[demo.title] = course.id
            await CourseTrainer.insert(CourseTrainer(course=course.id, person=people[demo.trainer]))
            for area in demo.areas:
                await CourseEligibleArea.insert(CourseEligibleArea(course=course.id, area=area))
            is_online = demo.location == "online"
            for index, ((starts_at, ends_at), (_s, _e, topics)) in enumerate(
                    zip(instants, demo.sessions, strict=True)):
                place = dict(demo.elsewhere).get(index, demo.location)
                await Session.insert(
                    Session(
                        course=course.id, starts_at=starts_at, ends_at=ends_at,
                        location=None if is_online else locations[place],
                        online_url="https://meet.jit.si/consorzio-light-formazione" if is_online else None,
                        trainer=people[demo.trainer], topics=topics, uid=session_uid(),
                    )
                )
                session_count += 1

    # Enrolments: the demo worker has two confirmed seats and one place on a waiting list; the small
    # "Bilancio sociale" course is full, so its waiting list is visible.
    def enrol(person_id: int, course_title: str, status: str, *, via: str = "self", by: int | None = None) -> Enrolment:
        stamp = utcnow()
        return Enrolment(
            person=person_id, course=courses[course_title], status=status, enrolled_via=via,
            enrolled_by=by or person_id,
            confirmed_at=stamp if status == EnrolmentStatus.CONFIRMED.value else None,
            waitlisted_at=stamp if status == EnrolmentStatus.WAITLISTED.value else None,
        )

    worker = people["worker@demo.test"]
    rows = [
        enrol(worker, "Analisi dei fabbisogni formativi", EnrolmentStatus.CONFIRMED.value),
        enrol(worker, "Formazione generale dei lavoratori", EnrolmentStatus.CONFIRMED.value),
    ]
    for person_id in workers[:6]:
        rows.append(enrol(person_id, "Bilancio sociale e rendicontazione", EnrolmentStatus.CONFIRMED.value))
    for person_id in workers[6:8]:
        rows.append(enrol(person_id, "Bilancio sociale e rendicontazione", EnrolmentStatus.WAITLISTED.value))
    rows.append(enrol(worker, "Bilancio sociale e rendicontazione", EnrolmentStatus.WAITLISTED.value))
    for person_id in workers[10:22]:
        rows.append(enrol(person_id, "Analisi dei fabbisogni formativi", EnrolmentStatus.CONFIRMED.value))
        rows.append(enrol(person_id, "Formazione generale dei lavoratori", EnrolmentStatus.CONFIRMED.value))
    for person_id in inclusion_participants:
        rows.append(
            enrol(person_id, "Laboratorio di competenze per il lavoro", EnrolmentStatus.PENDING.value,
                  via=EnrolledVia.TUTOR.value, by=people["tutor@demo.test"])
        )
    for row in rows:  # one by one: the waiting list is ordered by arrival
        await row.save()
    await load_past_editions(today, plan=plan)  # past courses, registers and surveys
    await load_inclusion_demo(today)  # the demo tutor's two pathways
    await load_audit_demo(people["admin@demo.test"], people["tutor@demo.test"])  # rows for /admin/audit
    await load_outbox_demo(worker, "worker@demo.test")  # a notice the mail server refused: /admin/notifications
    await _invite_a_new_colleague(people["admin@demo.test"], home_coop)  # the office's invitations
    await load_funding_demo(today)  # a Fon.Coop plan with two actions, an online report, a short-notice change
    await load_safety_demo(today, password_hash=password_hash)  # safety courses over: tests, attestati
    await load_office_demo()  # a message to participants, a bulk enrolment, a corrected register
    await load_safety_records_demo(today)  # risk classes, headcounts, safety roles, attestati from elsewhere
    await load_planning_demo(today)  # needs, an approved plan with linked editions, budgets (one expiring)

    return {
        "cooperatives": len(cooperatives),
        "people": len(people) + len(workers),
        "courses": len(courses),
        "sessions": session_count,
        "enrolments": len(rows),
    }


async def _invite_a_new_colleague(admin_id: int, cooperative_id: int) -> None:
    """A worker the office has just added: no password yet, an invitation in the outbox (the log shows
    it in demo mode) and a "send the link again" button on her page."""
    from training_hub.accounts.links import send_invitation
    from training_hub.core.identity import CurrentUser

    invited = Person(full_name="Chiara Invitata", email="invitata@cooperative.demo.test", roles="worker",
                     cooperative=cooperative_id, area="minori")
    await invited.save()
    office = CurrentUser(id=admin_id, email="admin@demo.test", full_name="Ufficio formazione",
                         roles=frozenset({"admin"}), cooperative_id=None, language="it")
    await send_invitation(office, invited.id)
