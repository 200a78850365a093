"""Piccolo's configuration: the engine comes from TRAINING_HUB_DATABASE_URL (see training_hub/db.py)."""

import os

from piccolo.conf.apps import AppRegistry

from training_hub.core.db import engine_from_url

DB = engine_from_url(os.environ.get("TRAINING_HUB_DATABASE_URL", "sqlite:///training_hub.sqlite3"))

APP_REGISTRY = AppRegistry(apps=["training_hub.piccolo_app"])
