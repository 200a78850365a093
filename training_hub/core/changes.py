"""Writes made by other instances, seen within a second: PostgreSQL LISTEN/NOTIFY.

Several ``training-hub serve`` processes share one PostgreSQL. Each keeps short-lived caches
(``core/cache.py``) that its own writes make stale at once; another process's writes used to show only
when an entry's time limit ran out (up to ``TRAINING_HUB_CATALOGUE_CACHE_SECONDS``). Now every table
that pages read carries a statement-level trigger calling ``pg_notify('training_hub_changes', '')``:
PostgreSQL delivers it when the writing transaction commits (never for a rolled-back one) and folds
identical notifications of one transaction into one, so a write costs no extra round trip. Each process
keeps one connection LISTENing, outside the pool; a notification advances the process's data
generation, so every cached read there is stale at once, whoever wrote (another instance, the command
line, a restore).

Tables whose writes never change what a cache holds (web sessions, the outbox, the audit log,
throttling, API tokens) carry no trigger: a login on one instance must not empty every cache of the
others. If the listening connection drops or stops answering, the process marks everything stale,
falls back to the time limits meanwhile and reconnects with a backoff. SQLite (one file, normally one
process) keeps the time limits alone, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from training_hub.core.cache import data_changed

log = logging.getLogger("training_hub.changes")

CHANNEL = "training_hub_changes"
TRIGGER = "training_hub_changes"
# Written often, read by no cache: notifying their writes would only empty other instances' caches.
UNWATCHED_TABLES = frozenset({
    "key_value", "outbox", "audit_event", "login_failure", "api_token", "piccolo_migration",
})
KEEPALIVE_SECONDS = 15.0
PING_TIMEOUT_SECONDS = 5.0
MAX_BACKOFF_SECONDS = 30.0

_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION training_hub_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('{CHANNEL}', '');
  RETURN NULL;
END
$$
"""
_UNTRIGGERED_TABLES_SQL = f"""
SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'r'
  AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = '{TRIGGER}')
"""


async def install_triggers(connection: Any) -> list[str]:
    """Give every watched table the trigger (idempotent; tables added by a later migration get it at
    the next start). Serialised by an advisory lock: instances starting together do it once."""
    async with connection.transaction():
        await connection.execute(f"SELECT pg_advisory_xact_lock(hashtext('{TRIGGER}'))")
        await connection.execute(_FUNCTION_SQL)
        names = [row["name"] for row in await connection.fetch(_UNTRIGGERED_TABLES_SQL)]
        added = [name for name in names if name not in UNWATCHED_TABLES]
        for name in added:
            await connection.execute(
                f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{name}" '
                f"FOR EACH STATEMENT EXECUTE FUNCTION training_hub_notify_change()"
            )
    return added


class ChangeListener:
    """One LISTENing connection per process, kept alive in a background task."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.received = 0
        self.connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def _on_notification(self, *_: Any) -> None:
        self.received += 1
        data_changed()

    async def _listen_once(self) -> None:
        import asyncpg

        connection = await asyncpg.connect(self.dsn, timeout=PING_TIMEOUT_SECONDS)
        try:
            await install_triggers(connection)
            await connection.add_listener(CHANNEL, self._on_notification)
            data_changed()  # whatever was written while nobody here was listening
            self.connected.set()
            while True:
                await asyncio.sleep(KEEPALIVE_SECONDS)
                # A partitioned network never closes the socket: a ping that does not come back in
                # time ends this connection, and the loop opens another.
                await asyncio.wait_for(connection.fetchval("SELECT 1"), PING_TIMEOUT_SECONDS)
        finally:
            self.connected.clear()
            data_changed()  # from now until we listen again, only the time limits hold
            with contextlib.suppress(Exception):
                await asyncio.wait_for(connection.close(), PING_TIMEOUT_SECONDS)

    async def _run(self) -> None:
        backoff = 1.0
        while True:
            try:
                await self._listen_once()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the database is away: retry, the caches' limits hold
                log.warning("Ascolto delle modifiche interrotto (%s): nuovo tentativo tra %.0f s",
                            type(exc).__name__, backoff)
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="training-hub-changes")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


def listener_for(engine: Any) -> ChangeListener | None:
    """A listener for a PostgreSQL engine (None on SQLite)."""
    config = getattr(engine, "config", None) or {}
    dsn = config.get("dsn")
    return ChangeListener(dsn) if engine.engine_type == "postgres" and dsn else None
