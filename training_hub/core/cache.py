"""Short-lived, in-process caches of what pages read from the database, and when they go stale.

Every statement that may write, and the end of every transaction, advances this process's *data
generation* (the engines in ``db.py`` do it, so no writer can forget). A :class:`ReadCache` entry is
reused only while the generation it was computed in is still the current one, so within a worker a
cached answer is exactly what the database would say. Writes made by *other* processes (a second
worker, the command line) are not seen that way: an entry also expires after ``ttl`` seconds, which
bounds how long another worker can show a page from before the change. The calendar feeds' versions
follow the same rule (``TRAINING_HUB_FEED_VERSION_TTL``).

An entry records the generation read *before* the database was asked: a write committed while the
answer was being computed makes the entry stale at once, never a fresh-looking copy of old data.
Size, least-recently-used eviction and time to live are cachetools' (``TTLCache``).
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

from cachetools import TTLCache

T = TypeVar("T")

_generation = 0


def data_generation() -> int:
    """This process's data generation: it changes after anything here wrote to the database."""
    return _generation


def data_changed() -> None:
    """Something in this process wrote (or may have written): every cached read is stale."""
    global _generation
    _generation += 1


MISSING: Any = object()


def _monotonic() -> float:
    # Looked up at every call, so a test can move the clock by patching ``time.monotonic``.
    return time.monotonic()


class ReadCache(Generic[T]):
    """Values computed from the database, keyed by everything they depend on (who asks included).

    A ``cachetools.TTLCache``: at most ``size`` entries, the least recently used going first, each
    living ``ttl`` seconds at most (the bound on how stale an entry may be for writes made by other
    processes; 0 turns the cache off). On top of it, the data generation: the cache only ever holds
    entries computed in the current generation, and empties itself the first time it is used after
    this process wrote.
    """

    def __init__(self, *, ttl: float, size: int = 512) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: TTLCache[Hashable, T] = TTLCache(maxsize=size, ttl=max(ttl, 0.001), timer=_monotonic)
        self._generation = _generation
        self.hits = 0
        self.misses = 0

    def _current(self) -> TTLCache[Hashable, T]:
        if self._generation != _generation:
            self._entries.clear()
            self._generation = _generation
        return self._entries

    def get(self, key: Hashable) -> T:
        """The cached value, or :data:`MISSING` (then compute it after :func:`data_generation`)."""
        value = self._current().get(key, MISSING)
        if value is MISSING:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: Hashable, value: T, *, generation: int) -> None:
        """Keep ``value``, computed from what the database held at ``generation`` (read before asking)."""
        if self.ttl <= 0 or generation != _generation:
            return
        self._current()[key] = value

    def clear(self) -> None:
        self._entries.clear()
