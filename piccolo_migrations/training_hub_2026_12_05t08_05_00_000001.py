"""One headcount per cooperative and year, one row per person and safety role (composite unique indexes
Piccolo's column options cannot express; the same SQL on SQLite and PostgreSQL)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-05T08:05:00:000001"
VERSION = "1.38.0"
DESCRIPTION = "one headcount per cooperative and year, one row per person and safety role"

INDEXES = [
    "CREATE UNIQUE INDEX IF NOT EXISTS cooperative_headcount_year ON cooperative_headcount (cooperative, year)",
    "CREATE UNIQUE INDEX IF NOT EXISTS safety_role_person_role ON safety_role (person, role)",
    "CREATE INDEX IF NOT EXISTS external_training_person_type ON external_training (person, course_type)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="training_hub", description=DESCRIPTION)

    async def create_indexes():
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
