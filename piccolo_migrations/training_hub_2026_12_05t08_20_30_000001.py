"""One reminder per person, requirement, due date and stage (a composite unique index Piccolo's column
options cannot express; the same SQL on SQLite and PostgreSQL): the periodic job claims a reminder by
inserting its row with ON CONFLICT DO NOTHING, so two runs at once send it once."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-05T08:20:30:000001"
VERSION = "1.38.0"
DESCRIPTION = "one safety reminder per person, requirement, due date and stage"

INDEXES = [
    "CREATE UNIQUE INDEX IF NOT EXISTS safety_reminder_once "
    "ON safety_reminder (person, requirement, due_on, stage)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="training_hub", description=DESCRIPTION)

    async def create_indexes():
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
