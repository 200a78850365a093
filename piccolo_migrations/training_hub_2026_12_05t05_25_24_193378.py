from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Varchar

ID = "2026-12-05T05:25:24:193378"
VERSION = "1.38.0"
DESCRIPTION = "all twelve provinces of Lombardy"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="training_hub", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Cooperative",
        tablename="cooperative",
        column_name="province",
        db_column_name="province",
        params={
            "choices": Enum(
                "Province",
                {
                    "BG": "BG",
                    "BS": "BS",
                    "CO": "CO",
                    "CR": "CR",
                    "LC": "LC",
                    "LO": "LO",
                    "MN": "MN",
                    "MI": "MI",
                    "MB": "MB",
                    "PV": "PV",
                    "SO": "SO",
                    "VA": "VA",
                },
            )
        },
        old_params={
            "choices": Enum(
                "Province",
                {
                    "BG": "BG",
                    "BS": "BS",
                    "CO": "CO",
                    "CR": "CR",
                    "MN": "MN",
                    "MI": "MI",
                    "PV": "PV",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Location",
        tablename="location",
        column_name="province",
        db_column_name="province",
        params={
            "choices": Enum(
                "Province",
                {
                    "BG": "BG",
                    "BS": "BS",
                    "CO": "CO",
                    "CR": "CR",
                    "LC": "LC",
                    "LO": "LO",
                    "MN": "MN",
                    "MI": "MI",
                    "MB": "MB",
                    "PV": "PV",
                    "SO": "SO",
                    "VA": "VA",
                },
            )
        },
        old_params={
            "choices": Enum(
                "Province",
                {
                    "BG": "BG",
                    "BS": "BS",
                    "CO": "CO",
                    "CR": "CR",
                    "MN": "MN",
                    "MI": "MI",
                    "PV": "PV",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
