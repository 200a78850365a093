"""Outbox ids 64-bit on PostgreSQL (issue 12 item 18), which Piccolo's column options cannot express for
a primary key. SQLite's INTEGER PRIMARY KEY is 64-bit already: nothing to do there.

A sequence ``AS integer`` stops at 2**31 - 1 whatever the column's type, so both change.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-05T05:31:00:000001"
VERSION = "1.38.0"
DESCRIPTION = "outbox ids 64-bit"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="training_hub", description=DESCRIPTION)

    async def widen():
        engine = engine_finder()
        if engine.engine_type != "postgres":
            return
        await engine.run_ddl("ALTER TABLE outbox ALTER COLUMN id TYPE BIGINT")
        await engine.run_ddl("ALTER SEQUENCE IF EXISTS outbox_id_seq AS BIGINT MAXVALUE 9223372036854775807")

    manager.add_raw(widen)
    return manager
