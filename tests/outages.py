"""Fault injection for the database-outage tests (issue 12 items 14 and 15).

* :func:`stopped_database` — the engine points at a database that is not there: on PostgreSQL a pool
  aimed at a closed port (connections refused at once), on SQLite a file in a folder that does not exist.
* :func:`frozen_database` — PostgreSQL behind a network partition: a TCP proxy that accepts connections
  and never answers a byte, so only the client's timeouts can end the wait.

Both restore the real pool (or file) on exit.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import asyncpg

from training_hub.core.db import PooledSQLiteEngine, get_engine, is_sqlite, pool_options


def closed_port() -> int:
    """A local TCP port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.asynccontextmanager
async def _pool_at(port: int, **overrides: Any) -> AsyncIterator[None]:
    engine = get_engine()
    options = {**pool_options(), "min_size": 0, **overrides}
    dsn = engine.config["dsn"]
    fake = await asyncpg.create_pool(dsn=dsn, host="127.0.0.1", port=port, **options)
    real, engine.pool = engine.pool, fake
    try:
        yield
    finally:
        engine.pool = real
        fake.terminate()


@contextlib.asynccontextmanager
async def stopped_database() -> AsyncIterator[None]:
    engine = get_engine()
    if isinstance(engine, PooledSQLiteEngine):
        await engine.close_idle_connections()
        path, engine.path = engine.path, "/nonexistent-training-hub-outage/db.sqlite3"
        engine.connection_kwargs["database"] = engine.path
        try:
            yield
        finally:
            await engine.close_idle_connections()
            engine.path = path
            engine.connection_kwargs["database"] = path
        return
    async with _pool_at(closed_port()):
        yield


@contextlib.asynccontextmanager
async def frozen_database(connect_timeout: float = 0.5) -> AsyncIterator[list[Any]]:
    """PostgreSQL only: a proxy that accepts and never answers (yields the list of accepted sockets)."""
    assert not is_sqlite(), "a SQLite file cannot be partitioned from the server"
    accepted: list[Any] = []
    never = asyncio.Event()

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)
        await never.wait()

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with _pool_at(port, timeout=connect_timeout):
            yield accepted
    finally:
        never.set()
        for writer in accepted:
            writer.close()
        server.close()
