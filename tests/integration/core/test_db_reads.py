"""Reads see what was committed before them, whichever connection serves them.

On SQLite plain SELECTs run on a read-only connection in the event loop's thread (db.PooledSQLiteEngine)
while writes go through aiosqlite threads: these tests pin down that such a read never misses a write
the caller has just committed, and never sees one that is not committed yet. On PostgreSQL the same
tests check the ordinary pool.
"""

from __future__ import annotations

import asyncio

import pytest

from training_hub.core.db import fetch_one, get_engine, is_sqlite, write_transaction
from training_hub.core.tables import KeyValue

SQL = "SELECT value FROM key_value WHERE key = {}"


@pytest.fixture
def reads(monkeypatch):
    """How many reads the SQLite in-loop reader served (always 0 on PostgreSQL)."""
    served = []
    engine = get_engine()
    if is_sqlite(engine):
        original = engine._read_in_loop

        def spy(query, args):  # type: ignore[no-untyped-def]
            rows = original(query, args)
            if rows is not None:
                served.append(query)
            return rows

        monkeypatch.setattr(engine, "_read_in_loop", spy)
    return served


async def value(key: str) -> bytes | None:
    row = await fetch_one(SQL, key)
    return bytes(row["value"]) if row else None


async def test_a_committed_transaction_is_read_back_at_once(reads):
    assert await value("k1") is None  # the reader is open (and has read) before the write
    async with write_transaction():
        await KeyValue.insert(KeyValue(key="k1", value=b"one"))
        assert await value("k1") == b"one"  # inside: the transaction's own connection
    assert await value("k1") == b"one"
    async with write_transaction():
        await KeyValue.update({KeyValue.value: b"two"}).where(KeyValue.key == "k1")
    assert await value("k1") == b"two"
    if is_sqlite():
        assert len(reads) == 3  # every read outside the transaction came from the in-loop reader


async def test_an_autocommit_write_is_read_back_at_once(reads):
    assert await value("k2") is None
    await KeyValue.insert(KeyValue(key="k2", value=b"0"))
    assert await value("k2") == b"0"
    for n in range(1, 4):
        await KeyValue.update({KeyValue.value: str(n).encode()}).where(KeyValue.key == "k2")
        assert await value("k2") == str(n).encode()
    await KeyValue.delete().where(KeyValue.key == "k2")
    assert await value("k2") is None
    if is_sqlite():
        assert len(reads) == 6


async def test_another_tasks_open_transaction_is_invisible_until_it_commits(reads):
    inserted, checked = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with write_transaction():
            await KeyValue.insert(KeyValue(key="k3", value=b"new"))
            inserted.set()
            await checked.wait()

    task = asyncio.create_task(writer())
    await inserted.wait()
    assert await value("k3") is None  # not committed yet: not seen, and the read did not wait
    checked.set()
    await task
    assert await value("k3") == b"new"
    if is_sqlite():
        assert len(reads) == 2


async def test_a_failed_read_leaves_no_stale_snapshot_behind(reads):
    assert await value("k4") is None
    with pytest.raises(Exception):  # noqa: B017 - the engine's own error type
        await fetch_one("SELECT no_such_column FROM key_value")
    async with write_transaction():
        await KeyValue.insert(KeyValue(key="k4", value=b"after"))
    assert await value("k4") == b"after"


async def test_reads_leave_the_data_generation_alone_and_writes_advance_it():
    from training_hub.core.cache import data_generation
    from training_hub.core.db import fetch_all

    start = data_generation()
    await KeyValue.select(KeyValue.key)
    await KeyValue.count()
    await KeyValue.exists().where(KeyValue.key == "x")
    await fetch_all("SELECT key FROM key_value WHERE key = {}", "x")
    await fetch_all("WITH k AS (SELECT key FROM key_value) SELECT COUNT(*) AS n FROM k")
    assert data_generation() == start
    await fetch_all("WITH x AS (SELECT {} AS k) DELETE FROM key_value WHERE key IN (SELECT k FROM x)", "x")
    assert data_generation() > start
    start = data_generation()
    await KeyValue.insert(KeyValue(key="g", value=b"1"))
    after_insert = data_generation()
    assert after_insert > start
    await KeyValue.delete().where(KeyValue.key == "nothing")  # may write: counted as a write
    assert data_generation() > after_insert
    inside = data_generation()
    async with write_transaction():
        await KeyValue.select(KeyValue.key)
    assert data_generation() > inside  # a transaction's end always counts
