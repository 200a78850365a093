"""Indexes for calendar feeds (portable SQL, SQLite and PostgreSQL).

* ``enrolment (person, status, course)``: a personal feed starts from the person's confirmed
  enrolments; with separate indexes SQLite may pick the one on ``status`` and walk every confirmed
  enrolment of the consortium instead of the person's few.
* ``course_session (course, updated_at, sequence)``: a feed's version (ETag) aggregates its sessions'
  count, latest ``updated_at`` and sequences from the index alone, without reading the rows.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-25T02:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "calendar feed indexes"

INDEXES = [
    "CREATE INDEX IF NOT EXISTS enrolment_person_status_course ON enrolment (person, status, course)",
    "CREATE INDEX IF NOT EXISTS course_session_feed_version ON course_session (course, updated_at, sequence)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="training_hub", description=DESCRIPTION)

    async def create_indexes():
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl(statement)

    async def drop_indexes():
        engine = engine_finder()
        for statement in INDEXES:
            name = statement.split(" EXISTS ", 1)[1].split(" ", 1)[0]
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create_indexes)
    manager.add_raw_backwards(drop_indexes)
    return manager
