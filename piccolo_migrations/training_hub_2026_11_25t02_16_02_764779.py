"""Survey constraints Piccolo's column options cannot express (same SQL on SQLite and PostgreSQL).

One invitation per person and survey; the "not answered yet" list is read by (survey, answered).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-25T02:16:02:764779"
VERSION = "1.38.0"
DESCRIPTION = "survey constraints"

INDEXES = [
    "CREATE UNIQUE INDEX IF NOT EXISTS survey_invitation_pair ON survey_invitation (survey, person)",
    "CREATE INDEX IF NOT EXISTS survey_invitation_survey_answered ON survey_invitation (survey, answered)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="training_hub", description=DESCRIPTION)

    async def create_indexes():
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
