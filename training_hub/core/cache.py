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

The bounded, least-recently-used, time-limited store itself is cachetools' ``TTLCache``; this module
only adds the generation check. Its clock is :func:`monotonic`, which reads ``time.monotonic`` at each
call, so a test can move it by patching ``time.monotonic``.
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


def monotonic() -> float:
    """The caches' clock: ``time.monotonic`` as it is at the time of the call (tests patch it)."""
    return time.monotonic()


class ReadCache(Generic[T]):
    """Values computed from the database, keyed by everything they depend on (who asks included).

    ``ttl`` (seconds) bounds how stale an entry may be for writes made by other processes; 0 turns
    the cache off. At most ``size`` entries are kept, the least recently used going first.
    """

    def __init__(self, *, ttl: float, size: int = 512) -> None:
        self.ttl = ttl
        self.size = size
        # key → (generation, value); TTLCache drops an entry ``ttl`` seconds after it was put.
        self._items: TTLCache[Hashable, tuple[int, T]] = TTLCache(maxsize=size, ttl=max(ttl, 0), timer=monotonic)
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> T:
        """The cached value, or :data:`MISSING` (then compute it after :func:`data_generation`)."""
        entry = self._items.get(key)
        if entry is not None and entry[0] == _generation:
            self.hits += 1
            return entry[1]
        self.misses += 1
        return MISSING

    def put(self, key: Hashable, value: T, *, generation: int) -> None:
        """Keep ``value``, computed from what the database held at ``generation`` (read before asking)."""
        if self.ttl <= 0 or generation != _generation:
            return
        self._items[key] = (generation, value)

    def clear(self) -> None:
        self._items.clear()
