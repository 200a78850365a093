"""One training plan per cooperative and year, a course linked to a plan line once (composite unique
indexes Piccolo's column options cannot express; the same SQL on SQLite and PostgreSQL)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-05T08:09:30:000001"
VERSION = "1.38.0"
DESCRIPTION = "one training plan per cooperative and year, a course linked to a plan line once"

INDEXES = [
    "CREATE UNIQUE INDEX IF NOT EXISTS training_plan_cooperative_year ON training_plan (cooperative, year)",
    "CREATE UNIQUE INDEX IF NOT EXISTS plan_line_course_line_course ON plan_line_course (line, course)",
    "CREATE INDEX IF NOT EXISTS training_need_cooperative_year ON training_need (cooperative, year)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="training_hub", description=DESCRIPTION)

    async def create_indexes():
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
