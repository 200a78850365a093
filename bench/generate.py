"""A consortium at scale, loaded with bulk inserts (well under a minute on SQLite or PostgreSQL).

Default scale: 50 cooperatives, 20,000 people, 2,000 courses, 20,000 sessions, plus the five demo
logins; ``small`` is a tenth of it and ``large`` ten times it (500 cooperatives, 200,000 people,
20,000 courses, 200,000 sessions). Later features add their own sections (enrolments, attendance) in
``SECTIONS``.

Rows are built as Piccolo table objects (their defaults filled in as the application would), then
written without Piccolo's per-row SQL: COPY on PostgreSQL (asyncpg's ``copy_records_to_table``), one
``executemany`` per batch on SQLite. The rows, and so the ids, are the same as with ``Table.insert``.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import Enum
from typing import Any

from piccolo.columns import UUID, Serial
from piccolo.columns.defaults.base import Default
from piccolo.querystring import QueryString
from piccolo.table import Table

from training_hub.core.db import get_engine, write_transaction
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

CHUNK = 500  # rows per statement where Piccolo writes them (outside a transaction)
BATCH = 20_000  # rows per COPY or executemany in the generator's transaction


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

    @classmethod
    def large(cls) -> Scale:
        """Ten times the default (issue 21): what the consortium would hold after years of growth."""
        return cls(cooperatives=500, people=200_000, courses=20_000, sessions=200_000, locations=600, trainers=800)

    @classmethod
    def named(cls, name: str) -> Scale:
        return {"small": cls.small, "default": cls, "large": cls.large}[name]()


@dataclass(frozen=True, slots=True)
class Row:
    """A row to insert: a table and the values given; the columns' defaults are filled at insertion.

    A Piccolo object would do the same, at about 40 µs each (``Table.__init__`` walks the class): three
    quarters of the generator's time in a profile of the default scale, hence these.
    """

    table: type[Table]
    values: dict[str, Any]


def make_row(table: type[Table], **values: Any) -> Row:
    return Row(table, values)


async def bulk_insert(rows: Sequence[Table | Row]) -> None:
    """Write ``rows`` (of one table: ``make_row`` rows or Piccolo objects) in order, so ids follow the list.

    Inside a transaction (the generator's) the values go straight to the driver: COPY on PostgreSQL,
    ``executemany`` on SQLite (Piccolo's adapters, registered on the sqlite3 module, convert dates,
    UUIDs and decimals as they do for its own inserts). Outside one, Piccolo's insert, in chunks.
    """
    if not rows:
        return
    table = rows[0].table if isinstance(rows[0], Row) else type(rows[0])
    transaction = get_engine().current_transaction.get()
    if transaction is None:
        objects = [table(**item.values) if isinstance(item, Row) else item for item in rows]
        for start in range(0, len(objects), CHUNK):
            await table.insert(*objects[start : start + CHUNK])
        return
    columns = [column for column in table._meta.columns if not _is_serial(column, rows[0])]
    names = [column._meta.db_column_name for column in columns]
    tablename = table._meta.tablename
    connection = transaction.connection
    is_postgres = get_engine().engine_type != "sqlite"
    quoted = ", ".join(f'"{name}"' for name in names)
    statement = f'INSERT INTO "{tablename}" ({quoted}) VALUES ({", ".join("?" * len(names))})'
    for start in range(0, len(rows), BATCH):
        records = _records(rows[start : start + BATCH], columns)
        if is_postgres:
            await connection.copy_records_to_table(tablename, records=records, columns=names)
        else:
            await connection.executemany(statement, records)


def _is_serial(column: Any, first: Table | Row) -> bool:
    """A serial primary key the database numbers (a given value, like a UUID key, is written)."""
    if isinstance(first, Row):
        return column._meta.primary_key and column._meta.name not in first.values and isinstance(column, Serial)
    return isinstance(getattr(first, column._meta.name), QueryString)


def _records(rows: Sequence[Table | Row], columns: list[Any]) -> list[tuple[Any, ...]]:
    if not isinstance(rows[0], Row):
        return [tuple(_plain(getattr(row, column._meta.name)) for column in columns) for row in rows]
    # Defaults once per batch (a timestamp's "now" is the batch's); a UUID's for every row, as it is unique.
    per_row = {column._meta.name for column in columns if isinstance(column, UUID)}
    defaults = {column._meta.name: _default(column) for column in columns}
    records = []
    for row in rows:
        values = row.values
        records.append(tuple(
            _plain(values[name]) if name in values
            else (_default(column) if name in per_row else defaults[name])
            for column, name in ((column, column._meta.name) for column in columns)
        ))
    return records


def _default(column: Any) -> Any:
    """The value Piccolo would give a column left out (``Table.__init__`` does the same)."""
    value = column.get_default_value()
    return value.python() if isinstance(value, Default) else value


def _plain(value: Any) -> Any:
    """A foreign key given as a row object is written as its id, a choice as its value."""
    if isinstance(value, Table):
        return value.id
    return value.value if isinstance(value, Enum) else value


async def ids_of(table: type[Table]) -> list[int]:
    return [row["id"] for row in await table.select(table.id).order_by(table.id)]


async def generate_core(scale: Scale, data: dict[str, Any], rng: random.Random) -> None:
    provinces = [p.value for p in Province]
    areas = [a.value for a in Area]
    await bulk_insert(
        [
            make_row(Cooperative,
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
        make_row(Person,
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
        people.append(make_row(Person, full_name=f"Formatore {n}", email=f"trainer{n}@bench.test", roles="trainer",
                             password_hash=password_hash))
    for n in range(scale.people - len(people)):
        people.append(
            make_row(Person,
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
            make_row(Location, name=f"Aula {n}", address=f"Via Bench, {n}", comune="Milano",
                     province=provinces[n % len(provinces)], capacity=40, step_free_access=n % 5 != 0)
            for n in range(scale.locations)
        ]
    )
    location_ids = await ids_of(Location)
    kinds = [PathKind.INTERNAL_TRAINING.value, PathKind.INCLUSION.value, PathKind.MARKETING.value, PathKind.OTHER.value]
    await bulk_insert(
        [make_row(TrainingPath, kind=kinds[n % 4], title=f"Percorso {n}", description="Percorso di prova")
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
            make_row(Course,
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
    await bulk_insert([make_row(CourseTrainer, course=cid, person=schedule[i][1]) for i, cid in enumerate(course_ids)])
    sessions = [
        make_row(Session, course=cid, starts_at=start, ends_at=end, location=schedule[i][2], trainer=schedule[i][1],
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
