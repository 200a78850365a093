"""Bounded in-process caches for serialised calendar pieces.

Two byte caches, both keyed by *what the bytes were built from*, never by a name that could point
at stale data (and a short-lived memo of versions, see :class:`VersionMemo`):

* ``EVENTS``: one VEVENT per (:class:`~training_hub.calendars.ical.FeedSession`, link visibility,
  language, base URL). The FeedSession holds every value the VEVENT shows (sequence, ``updated_at``,
  course and path titles, place, trainers…), so a change anywhere makes a new key and the old entry
  simply ages out.
* ``FEEDS``: a whole feed body per ETag. The ETag is computed from the feed's version (see
  ``versions.feed_version``), so an entry is only ever reused for the very state it was built from.

Why this is safe with several workers (processes) or machines: nothing is ever invalidated, because
no key can outlive the data it describes. Each worker keeps its own copy and at worst builds a piece
once more than needed; no worker can serve another worker's stale bytes. Memory is bounded by bytes
(least recently used entries go first). The event loop is single-threaded and these methods never
await, so no lock is needed.

The stores are cachetools' (``LRUCache`` sized by ``len`` of the bytes, ``TLRUCache`` for entries that
each carry their own time to live); their clock is :func:`training_hub.core.cache.monotonic`.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from cachetools import LRUCache, TLRUCache

from training_hub.core.cache import data_generation, monotonic


class ByteLRU:
    """A least-recently-used mapping of keys to bytes, bounded by the total size of the values."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._items: LRUCache[Hashable, bytes] = LRUCache(maxsize=max_bytes, getsizeof=len)

    @property
    def size(self) -> int:
        """Bytes held."""
        return int(self._items.currsize)

    def get(self, key: Hashable) -> bytes | None:
        value = self._items.get(key)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: Hashable, value: bytes) -> None:
        if len(value) > self.max_bytes // 4:
            return  # one huge entry must not flush everything else
        self._items[key] = value

    def clear(self) -> None:
        self._items.clear()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)


def _expiry(_key: Hashable, entry: tuple[float, Any, int], now: float) -> float:
    return now + entry[0]


class VersionMemo:
    """A feed's computed version, reused for a few seconds by this worker (bounded, least recently used).

    Computing a version means looking at every session of the feed; a feed polled again within
    ``ttl`` seconds (several devices of one person, many subscribers of one course) reuses it. A change
    therefore reaches a client at most ``ttl`` seconds later than it could, well within the
    ``max-age=300`` the feed is served with. The secret token is looked up on every request all the
    same, so a revoked link answers 404 at once.

    An entry also dies with the data generation it was put in (``core/cache.py``): a write in this
    process, or another instance's write announced by PostgreSQL (``core/changes.py``), makes it stale
    at once. A write landing while the version was being computed can still be missed for ``ttl``.
    """

    def __init__(self, max_entries: int = 20_000) -> None:
        self.max_entries = max_entries
        # key → (ttl, value, generation): each entry expires ``ttl`` seconds after it was put.
        self._items: TLRUCache[Hashable, tuple[float, Any, int]] = TLRUCache(
            maxsize=max_entries, ttu=_expiry, timer=monotonic)

    def get(self, key: Hashable) -> Any | None:
        entry = self._items.get(key)
        return None if entry is None or entry[2] != data_generation() else entry[1]

    def put(self, key: Hashable, value: Any, ttl: float) -> None:
        if ttl <= 0:
            return
        self._items[key] = (ttl, value, data_generation())

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


# About 1 KB per event: room for some 20,000 sessions.
EVENTS = ByteLRU(max_bytes=24 * 1024 * 1024)
# A 200-session feed is about 200 KB: room for a couple of hundred recently polled feeds.
FEEDS = ByteLRU(max_bytes=48 * 1024 * 1024)
# Feed → (Feed, FeedVersion) for a few seconds (see VersionMemo).
VERSIONS = VersionMemo()
