from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Boolean
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-04T18:50:06:497002"
VERSION = "1.38.0"
DESCRIPTION = (
    "Course: safety_course_type and final_test_required; e_learning delivery mode"
)


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="training_hub", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Course",
        tablename="course",
        column_name="final_test_required",
        db_column_name="final_test_required",
        column_class_name="Boolean",
        column_class=Boolean,
        params={
            "default": False,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="Course",
        tablename="course",
        column_name="safety_course_type",
        db_column_name="safety_course_type",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 60,
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.alter_column(
        table_class_name="Course",
        tablename="course",
        column_name="delivery_mode",
        db_column_name="delivery_mode",
        params={
            "choices": Enum(
                "DeliveryMode",
                {
                    "IN_PRESENCE": "in_presence",
                    "ONLINE": "online",
                    "BLENDED": "blended",
                    "E_LEARNING": "e_learning",
                },
            )
        },
        old_params={
            "choices": Enum(
                "DeliveryMode",
                {
                    "IN_PRESENCE": "in_presence",
                    "ONLINE": "online",
                    "BLENDED": "blended",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
