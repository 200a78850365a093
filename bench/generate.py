"""A consortium at scale, loaded with bulk inserts (well under a minute on SQLite or PostgreSQL).

Default scale: 50 cooperatives, 20,000 people, 2,000 courses, 20,000 sessions, plus the five demo
logins. Later features add their own sections (enrolments, attendance) in ``SECTIONS``.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from piccolo.table import Table

from training_hub.core.db import write_transaction
from training_hub.core.security import hash_password
from training_hub.core.tables import (
    Area,
    Cooperative,
    Course,
    CourseStatus,
    CourseTrainer,
    DeliveryMode,
    Location,
    PathKind,
    Person,
    Province,
    Session,
    TrainingPath,
)
from training_hub.core.timeutil import rome_wall_clock, utcnow
from training_hub.demo.consortium import DEMO_LOGINS, DEMO_PASSWORD, FIRST_NAMES, LAST_NAMES

CHUNK = 500


@dataclass(frozen=True)
class Scale:
    cooperatives: int = 50
    people: int = 20_000
    courses: int = 2_000
    sessions: int = 20_000
    locations: int = 60
    trainers: int = 80

    @classmethod
    def small(cls) -> Scale:
        return cls(cooperatives=10, people=1_000, courses=200, sessions=2_000, locations=12, trainers=10)


async def bulk_insert(rows: Sequence[Table]) -> None:
    if not rows:
        return
    table = type(rows[0])
    for start in range(0, len(rows), CHUNK):
        await table.insert(*rows[start : start + CHUNK])


async def ids_of(table: type[Table]) -> list[int]:
    return [row["id"] for row in await table.select(table.id).order_by(table.id)]


async def generate_core(scale: Scale, data: dict[str, Any], rng: random.Random) -> None:
    provinces = [p.value for p in Province]
    areas = [a.value for a in Area]
    await bulk_insert(
        [
            Cooperative(
                name=f"Cooperativa Sociale Bench {n:03d}",
                province=provinces[n % len(provinces)],
                comune="Milano",
                areas=",".join(rng.sample(areas, 2)),
            )
            for n in range(scale.cooperatives)
        ]
    )
    cooperative_ids = await ids_of(Cooperative)
    password_hash = hash_password(DEMO_PASSWORD)
    people = [
        Person(
            full_name=full_name,
            email=email,
            roles=role,
            cooperative=cooperative_ids[0] if role in ("coordinator", "worker", "tutor") else None,
            area="anziani" if role == "worker" else None,
            password_hash=password_hash,
        )
        for email, (full_name, role) in DEMO_LOGINS.items()
    ]
    for n in range(scale.trainers):
        people.append(Person(full_name=f"Formatore {n}", email=f"trainer{n}@bench.test", roles="trainer",
                             password_hash=password_hash))
    for n in range(scale.people - len(people)):
        people.append(
            Person(
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                email=f"person{n}@bench.test",
                roles="worker",
                cooperative=rng.choice(cooperative_ids),
                area=rng.choice(areas),
                password_hash=password_hash,
            )
        )
    await bulk_insert(people)
    rows = await Person.select(Person.id, Person.email).order_by(Person.id)
    by_email = {row["email"]: row["id"] for row in rows}
    data["people"] = {email: by_email[email] for email in DEMO_LOGINS}
    data["trainer_ids"] = [by_email[f"trainer{n}@bench.test"] for n in range(scale.trainers)] + [
        by_email["trainer@demo.test"]
    ]
    data["worker_ids"] = [row["id"] for row in rows if row["email"].startswith("person")]
    data["cooperative_ids"] = cooperative_ids

    await bulk_insert(
        [
            Location(name=f"Aula {n}", address=f"Via Bench, {n}", comune="Milano",
                     province=provinces[n % len(provinces)], capacity=40, step_free_access=n % 5 != 0)
            for n in range(scale.locations)
        ]
    )
    location_ids = await ids_of(Location)
    kinds = [PathKind.INTERNAL_TRAINING.value, PathKind.INCLUSION.value, PathKind.MARKETING.value, PathKind.OTHER.value]
    await bulk_insert(
        [TrainingPath(kind=kinds[n % 4], title=f"Percorso {n}", description="Percorso di prova")
         for n in range(max(4, scale.courses // 20))]
    )
    path_ids = await ids_of(TrainingPath)

    today = utcnow().date()
    per_course = max(1, scale.sessions // scale.courses)
    now = utcnow()
    courses: list[Course] = []
    schedule: list[tuple[list[tuple[Any, Any]], int, int]] = []
    for n in range(scale.courses):
        first_day = today + timedelta(days=3 + (n % 120))
        instants = []
        for week in range(per_course):
            day = _weekday(first_day + timedelta(weeks=week))
            instants.append((rome_wall_clock(day, time(9, 0)), rome_wall_clock(day, time(13, 0))))
        trainer = data["trainer_ids"][n % len(data["trainer_ids"])]
        location = location_ids[n % len(location_ids)]
        courses.append(
            Course(
                path=path_ids[n % len(path_ids)], position=n, title=f"Corso {n}: competenze per il lavoro sociale",
                description="Un corso generato per le misure di prestazione.", capacity=20 + n % 10,
                delivery_mode=DeliveryMode.IN_PRESENCE.value, location=location,
                enrolment_opens_at=now - timedelta(days=1), enrolment_closes_at=instants[0][0] - timedelta(days=1),
                cancellation_deadline=instants[0][0] - timedelta(days=2),
                status=CourseStatus.PUBLISHED.value, starts_at=instants[0][0], ends_at=instants[-1][1],
            )
        )
        schedule.append((instants, trainer, location))
    await bulk_insert(courses)
    course_ids = await ids_of(Course)
    data["course_ids"] = course_ids
    await bulk_insert([CourseTrainer(course=cid, person=schedule[i][1]) for i, cid in enumerate(course_ids)])
    sessions = [
        Session(course=cid, starts_at=start, ends_at=end, location=schedule[i][2], trainer=schedule[i][1],
                topics="Argomenti della lezione", uid=f"{uuid.uuid4()}@training-hub")
        for i, cid in enumerate(course_ids)
        for start, end in schedule[i][0]
    ]
    await bulk_insert(sessions)


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


Section = Callable[[Scale, dict[str, Any], random.Random], Awaitable[None]]
# Later features append their sections (enrolments, attendance…): each receives the data so far.
SECTIONS: list[Section] = [generate_core]

from bench.reports_data import generate_reports_data  # noqa: E402 - it uses the helpers above

SECTIONS.append(generate_reports_data)


async def generate(scale: Scale, seed: int = 1998) -> dict[str, Any]:
    rng = random.Random(seed)
    data: dict[str, Any] = {}
    async with write_transaction():
        for section in SECTIONS:
            await section(scale, data, rng)
    return data


from bench.safety_data import generate_safety_data  # noqa: E402 - appended like the reports' section

SECTIONS.append(generate_safety_data)
