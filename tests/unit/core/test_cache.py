"""ReadCache: an entry lives while nothing was written in this process, and at most ``ttl`` seconds."""

from training_hub.core import cache


def test_an_entry_is_reused_until_this_process_writes():
    pages: cache.ReadCache[str] = cache.ReadCache(ttl=60)
    pages.put("k", "v", generation=cache.data_generation())
    assert pages.get("k") == "v"
    cache.data_changed()
    assert pages.get("k") is cache.MISSING


def test_an_entry_computed_across_a_write_is_not_kept():
    pages: cache.ReadCache[str] = cache.ReadCache(ttl=60)
    before = cache.data_generation()
    cache.data_changed()  # a write landed while the value was computed
    pages.put("k", "stale", generation=before)
    assert pages.get("k") is cache.MISSING


def test_an_entry_expires_after_its_time_to_live(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: now[0])
    pages: cache.ReadCache[str] = cache.ReadCache(ttl=10)
    pages.put("k", "v", generation=cache.data_generation())
    now[0] += 9.9
    assert pages.get("k") == "v"
    now[0] += 0.2
    assert pages.get("k") is cache.MISSING


def test_zero_seconds_turns_the_cache_off_and_size_bounds_it():
    off: cache.ReadCache[str] = cache.ReadCache(ttl=0)
    off.put("k", "v", generation=cache.data_generation())
    assert off.get("k") is cache.MISSING
    small: cache.ReadCache[int] = cache.ReadCache(ttl=60, size=2)
    generation = cache.data_generation()
    small.put("a", 1, generation=generation)
    small.put("b", 2, generation=generation)
    assert small.get("a") == 1  # "a" is now the most recently used
    small.put("c", 3, generation=generation)
    assert small.get("b") is cache.MISSING and small.get("a") == 1 and small.get("c") == 3


def test_byte_cache_is_bounded_by_bytes_and_refuses_one_huge_entry():
    from training_hub.calendars.cache import ByteLRU

    events = ByteLRU(max_bytes=90)
    events.put("a", b"x" * 20)
    events.put("b", b"x" * 20)
    assert events.get("a") == b"x" * 20  # "a" is now the most recently used
    events.put("c", b"x" * 20)
    events.put("d", b"x" * 20)
    events.put("e", b"x" * 20)  # 100 bytes asked for: the least recently used ("b") goes
    assert events.get("b") is None and events.get("a") is not None
    assert events.size == 80 and len(events) == 4
    events.put("huge", b"x" * 23)  # more than a quarter of the room: not kept
    assert events.get("huge") is None and len(events) == 4
    assert (events.hits, events.misses) == (2, 2)


def test_version_memo_entries_expire_after_their_own_time_to_live(monkeypatch):
    from training_hub.calendars.cache import VersionMemo

    now = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: now[0])
    memo = VersionMemo(max_entries=10)
    memo.put("short", 1, 5)
    memo.put("long", 2, 60)
    memo.put("off", 3, 0)
    assert (memo.get("short"), memo.get("long"), memo.get("off")) == (1, 2, None)
    now[0] += 5.1
    assert memo.get("short") is None and memo.get("long") == 2
    now[0] += 55
    assert memo.get("long") is None and len(memo) == 0
