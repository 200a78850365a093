"""Piccolo AppConfig: the tables and the one migrations folder at the top of the repository.

Most tables live in ``core/tables.py``; a feature whose tables nothing below it reads keeps them in its
own ``tables.py`` (the final learning test: ``assessment/tables.py``).
"""

from pathlib import Path

from piccolo.conf.apps import AppConfig, table_finder

APP_CONFIG = AppConfig(
    app_name="training_hub",
    migrations_folder_path=str(Path(__file__).resolve().parent.parent / "piccolo_migrations"),
    table_classes=table_finder(
        modules=[
            "training_hub.core.tables",
            "training_hub.assessment.tables",
            "training_hub.inclusion.tables",
            "training_hub.accounts.tables",
            "training_hub.funding.tables",
            "training_hub.enrolment.tables",
            "training_hub.safety.tables",
            "training_hub.planning.tables",
        ],
        exclude_imported=True,
    ),
    migration_dependencies=[],
    commands=[],
)
