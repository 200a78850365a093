"""Constraints Piccolo's column options cannot express: composite and partial unique indexes.

The same SQL works on SQLite and PostgreSQL (both support partial indexes).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-25T01:36:19:374506"
VERSION = "1.38.0"
DESCRIPTION = "composite and partial unique indexes"

INDEXES = [
    # One live enrolment per person and course; cancelled and rejected ones are history.
    "CREATE UNIQUE INDEX IF NOT EXISTS enrolment_one_live ON enrolment (person, course) "
    "WHERE status IN ('pending', 'confirmed', 'waitlisted')",
    # The waiting list is read in arrival order.
    "CREATE INDEX IF NOT EXISTS enrolment_course_status_waitlisted ON enrolment (course, status, waitlisted_at)",
    "CREATE UNIQUE INDEX IF NOT EXISTS attendance_one_per_session ON attendance (session, enrolment)",
    "CREATE UNIQUE INDEX IF NOT EXISTS course_trainer_pair ON course_trainer (course, person)",
    "CREATE UNIQUE INDEX IF NOT EXISTS course_eligible_cooperative_pair "
    "ON course_eligible_cooperative (course, cooperative)",
    "CREATE UNIQUE INDEX IF NOT EXISTS course_eligible_area_pair ON course_eligible_area (course, area)",
    "CREATE UNIQUE INDEX IF NOT EXISTS tutor_link_pair ON tutor_link (tutor, person)",
    "CREATE INDEX IF NOT EXISTS course_session_course_starts ON course_session (course, starts_at)",
    "CREATE INDEX IF NOT EXISTS course_status_starts ON course (status, starts_at)",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="training_hub", description=DESCRIPTION)

    async def create_indexes():
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
