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
