"""Building blocks for tests: rows created straight in the database, with sensible defaults."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta
from typing import Any

from training_hub.core.security import hash_password
from training_hub.core.tables import (
    Cooperative,
    Course,
    CourseStatus,
    CourseTrainer,
    Enrolment,
    EnrolmentStatus,
    Location,
    PathKind,
    Person,
    Session,
    TrainingPath,
)
from training_hub.core.timeutil import utcnow

PASSWORD = "demo-password"
_counter = itertools.count(1)
_password_hash: str | None = None


def _hash() -> str:
    global _password_hash
    if _password_hash is None:
        _password_hash = hash_password(PASSWORD)
    return _password_hash


async def make_cooperative(**values: Any) -> Cooperative:
    n = next(_counter)
    row = Cooperative(**{"name": f"Cooperativa Prova {n}", "province": "MI", "comune": "Milano",
                         "areas": "anziani,minori", **values})
    await row.save()
    return row


async def make_person(roles: str = "worker", cooperative: Cooperative | int | None = None, **values: Any) -> Person:
    n = next(_counter)
    if isinstance(cooperative, Cooperative):
        cooperative = cooperative.id
    row = Person(**{
        "full_name": f"Persona Prova {n}",
        "email": f"persona{n}@example.test",
        "roles": roles,
        "cooperative": cooperative,
        "password_hash": _hash(),
        **values,
    })
    await row.save()
    return row


async def make_location(**values: Any) -> Location:
    n = next(_counter)
    row = Location(**{"name": f"Aula {n}", "address": "Via Roma, 1", "comune": "Milano", "province": "MI",
                      "capacity": 30, "step_free_access": True, **values})
    await row.save()
    return row


async def make_path(kind: str = PathKind.MARKETING.value, **values: Any) -> TrainingPath:
    n = next(_counter)
    row = TrainingPath(**{"kind": kind, "title": f"Percorso {n}", "description": "Descrizione", **values})
    await row.save()
    return row


async def make_course(
    path: TrainingPath | None = None,
    *,
    trainers: list[Person] | None = None,
    status: str = CourseStatus.PUBLISHED.value,
    **values: Any,
) -> Course:
    n = next(_counter)
    path = path or await make_path()
    now = utcnow()
    row = Course(**{
        "path": path.id,
        "title": f"Corso di prova {n}",
        "description": "Un corso per i test.",
        "capacity": 20,
        "status": status,
        "enrolment_opens_at": now - timedelta(days=1),
        "enrolment_closes_at": now + timedelta(days=30),
        "cancellation_deadline": now + timedelta(days=20),
        **values,
    })
    await row.save()
    for trainer in trainers or []:
        await CourseTrainer.insert(CourseTrainer(course=row.id, person=trainer.id))
    return row


async def make_session(
    course: Course,
    starts_at: datetime | None = None,
    minutes: int = 180,
    **values: Any,
) -> Session:
    starts_at = starts_at or utcnow() + timedelta(days=40)
    row = Session(**{
        "course": course.id,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=minutes),
        "topics": "Argomenti",
        "uid": f"{uuid.uuid4()}@training-hub",
        **values,
    })
    await row.save()
    first = await Session.select(Session.starts_at).where(Session.course == course.id).order_by(Session.starts_at).first()
    last = await Session.select(Session.ends_at).where(Session.course == course.id).order_by(
        Session.ends_at, ascending=False).first()
    await Course.update({Course.starts_at: first["starts_at"], Course.ends_at: last["ends_at"]}).where(
        Course.id == course.id)
    return row


async def make_enrolment(person: Person, course: Course, status: str = EnrolmentStatus.CONFIRMED.value,
                         **values: Any) -> Enrolment:
    now = utcnow()
    row = Enrolment(**{
        "person": person.id,
        "course": course.id,
        "status": status,
        "enrolled_by": person.id,
        "confirmed_at": now if status == EnrolmentStatus.CONFIRMED.value else None,
        "waitlisted_at": now if status == EnrolmentStatus.WAITLISTED.value else None,
        **values,
    })
    await row.save()
    return row
