"""Every feature's controllers, found by convention: each feature package's ``api.py`` and
``pages.py`` export ``ROUTES``, a list of controllers (or route handlers)."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from typing import Any

import training_hub

# A feature may also keep controllers in the modules named after the first two (safety: the person's
# record, built beside the scadenzario's status pages in issue 16; planning: the social report).
ROUTE_MODULES = ("api", "pages", "records_api", "record_pages", "social_pages")


def all_route_handlers() -> list[Any]:
    handlers: list[Any] = []
    for feature in sorted(pkgutil.iter_modules(training_hub.__path__), key=lambda info: info.name):
        if not feature.ispkg:
            continue
        for module_name in ROUTE_MODULES:
            name = f"training_hub.{feature.name}.{module_name}"
            if importlib.util.find_spec(name) is not None:
                handlers.extend(importlib.import_module(name).ROUTES)
    return handlers
