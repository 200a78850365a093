"""Every feature's controllers, in one list the plugin registers. Each module exports ``ROUTES``."""

from __future__ import annotations

import importlib
from typing import Any

FEATURE_MODULES = (
    "training_hub.home.pages",
    "training_hub.accounts.pages",
    "training_hub.accounts.api",
    "training_hub.directory.pages",
    "training_hub.directory.api",
)


def all_route_handlers() -> list[Any]:
    handlers: list[Any] = []
    for name in FEATURE_MODULES:
        handlers.extend(importlib.import_module(name).ROUTES)
    return handlers
