"""The application factory: ``uvicorn --factory training_hub.app:create_app``."""

from __future__ import annotations

from litestar import Litestar

from training_hub.core.settings import get_settings
from training_hub.hooks import connect_hooks
from training_hub.plugin import TrainingHubPlugin


def create_app() -> Litestar:
    get_settings()  # refuse to start, with a clear message, when the environment is incomplete
    connect_hooks()
    return Litestar(plugins=[TrainingHubPlugin()])
