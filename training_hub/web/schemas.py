"""How the API writes :class:`~training_hub.core.schemas.Instant` (the plugin's one ``type_encoders``
entry) and how OpenAPI describes it; the shared types themselves live in ``core/schemas.py``.

Services return plain dicts with UTC datetimes; a controller hands them to :func:`to_struct` with the
response type it declares, so the OpenAPI document shows that type and the JSON is exactly its fields.

Why :class:`Instant` and not ``datetime``: msgspec writes a ``datetime`` itself (in UTC, ``…Z``) and
never asks Litestar's ``type_encoders``. A field typed ``Instant`` is a ``datetime`` to everyone else,
but msgspec does not know it, so the plugin's one ``type_encoders`` entry (:data:`TYPE_ENCODERS`)
writes it in Europe/Rome (``2026-10-30T09:00:00+01:00``, :func:`~training_hub.core.timeutil.iso_rome`).
Dates (``date``) need nothing: msgspec writes them as ``YYYY-MM-DD``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from litestar.openapi.spec import OpenAPIFormat, OpenAPIType, Schema
from litestar.plugins import OpenAPISchemaPlugin
from litestar.typing import FieldDefinition

from training_hub.core.schemas import Instant
from training_hub.core.timeutil import ROME, iso_rome


def encode_instant(value: datetime) -> str:
    """``2026-10-30T09:00:00+01:00``: :func:`~training_hub.core.timeutil.iso_rome`, without redoing what
    :meth:`Instant.of` did."""
    if value.tzinfo is ROME and not value.microsecond:
        return value.isoformat()
    return iso_rome(value) or ""


TYPE_ENCODERS: dict[Any, Callable[[Any], Any]] = {Instant: encode_instant}


class InstantSchemaPlugin(OpenAPISchemaPlugin):
    """Tells the OpenAPI document what an :class:`Instant` is (Litestar would show an empty schema)."""

    @staticmethod
    def is_plugin_supported_type(value: Any) -> bool:
        return value is Instant

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        return Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE_TIME,
                      description="ISO 8601, Europe/Rome", examples=["2026-10-30T09:00:00+01:00"])
