"""Types every feature's ``schemas.py`` shares: instants, pages of results, check findings, and turning
a service's rows into response structs (msgspec only: nothing here knows about HTTP).

Services return plain dicts with UTC datetimes; a controller hands them to :func:`to_struct` with the
response type it declares, so the OpenAPI document shows that type and the JSON is exactly its fields.

Why :class:`Instant` and not ``datetime``: msgspec writes a ``datetime`` itself (in UTC, ``…Z``) and
never asks Litestar's ``type_encoders``. A field typed ``Instant`` is a ``datetime`` to everyone else,
but msgspec does not know it, so the web plugin's one ``type_encoders`` entry
(``training_hub.web.schemas.TYPE_ENCODERS``) writes it in Europe/Rome (``2026-10-30T09:00:00+01:00``).
Dates (``date``) need nothing: msgspec writes them as ``YYYY-MM-DD``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

import msgspec

from training_hub.core.timeutil import parse_instant, to_rome

T = TypeVar("T")


class Instant(datetime):
    """An instant the API writes in ISO 8601 with the Europe/Rome offset (see the module's docstring).

    Made with :meth:`of`, which already holds it in Rome time to the second, so writing it out is
    ``isoformat()`` and nothing more.
    """

    __slots__ = ()

    @classmethod
    def of(cls, value: datetime) -> Instant:
        """``value`` (UTC, any offset, or naive meaning UTC as stored) in Rome time, to the second."""
        rome = to_rome(value)
        return cls(rome.year, rome.month, rome.day, rome.hour, rome.minute, rome.second, 0, rome.tzinfo,
                   fold=rome.fold)


def _decode(kind: type, value: Any) -> Any:
    if kind is Instant:
        if isinstance(value, datetime):
            return Instant.of(value)
        if isinstance(value, str):  # a row a service already wrote out in ISO 8601
            return Instant.of(parse_instant(value))
    raise NotImplementedError(kind)


def to_struct(value: Any, kind: type[T]) -> T:
    """A service's dict (or list of dicts) as the response struct ``kind``, in one C-level pass.

    Keys the struct does not name are left out (a service may return more than the API shows);
    numbers and booleans are normalised the same way on SQLite and PostgreSQL (``strict=False``:
    SQLite's 0/1 for a flag becomes false/true).
    """
    return msgspec.convert(value, kind, strict=False, dec_hook=_decode)


class Page(msgspec.Struct, Generic[T]):
    """One page of a listing and how many items match in all."""

    items: list[T]
    total: int


class Issue(msgspec.Struct):
    """One finding of a check (a scheduling conflict or warning), as in problem+json ``issues``."""

    code: str
    severity: str
    message: str
    field: str | msgspec.UnsetType = msgspec.UNSET


class Issues(msgspec.Struct):
    issues: list[Issue]
