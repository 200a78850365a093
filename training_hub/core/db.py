"""Database engines and the two transaction helpers every service uses.

``TRAINING_HUB_DATABASE_URL`` picks the engine:

* ``sqlite:///relative/path.sqlite3`` or ``sqlite:////absolute/path`` — the embedded default. WAL mode
  (readers never wait for the writer), a busy timeout (writers queue instead of failing), and
  IMMEDIATE transactions where a transaction reads and then writes, so two writers cannot both read
  the same state and then both decide on it.
* ``postgresql://user@host:port/db`` — production. An asyncpg pool, opened at start-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import sqlite3
import threading
import weakref
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiosqlite
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.engine.sqlite import (
    SQLiteEngine,
    SQLiteTransaction,
    TransactionType,
    convert_int_out,
    dict_factory,
)

from training_hub.core.cache import data_changed
from training_hub.core.folding import SQLITE_FUNCTION, fold

SQLITE_BUSY_TIMEOUT_SECONDS = 30.0

def _int_out(value: bytes) -> int:
    """Piccolo's INTEGER converter reads every value through ``Decimal`` (so that "1.0" reads as 1):
    about 2 µs a value, and a page of 30 rows reads a hundred and more. ``int`` reads the bytes SQLite
    hands over directly; ``Decimal`` stays the fallback, so every value reads as before."""
    try:
        return int(value)
    except ValueError:
        return convert_int_out(value)


def _boolean_out(value: bytes) -> bool:
    return value == b"1"


def _timestamptz_out(value: bytes) -> datetime:
    return datetime.fromisoformat(value.decode()).replace(tzinfo=UTC)


# Registered over Piccolo's (process-wide, read by every SQLite connection): same values, less work.
sqlite3.register_converter("INTEGER", _int_out)
sqlite3.register_converter("BOOLEAN", _boolean_out)
sqlite3.register_converter("TIMESTAMPTZ", _timestamptz_out)

# aiosqlite logs every statement with its parameters and its result at DEBUG: with
# TRAINING_HUB_LOG_LEVEL=DEBUG, password hashes and special-category data (accessibility needs,
# inclusion records) would reach the log. Its own level keeps it quiet whatever the root level is.
logging.getLogger("aiosqlite").setLevel(logging.INFO)

# Primary keys are PostgreSQL ``integer``s: a larger id typed in a form or a body cannot exist, and
# passing it to the driver would fail with an error instead of a "does not exist".
MAX_ID = 2**31 - 1


def is_possible_id(value: int) -> bool:
    return 0 < value <= MAX_ID


def form_id(value: Any) -> int | None:
    """A number typed as an id in a form, a query string or a body; None when it is not one at all.

    Only ASCII digits ("²".isdigit() is true but int() refuses it) and a bounded length. A number can
    still be beyond what the database holds: check ``is_possible_id`` before querying with it.
    """
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 18 or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def as_bool(value: Any) -> bool:
    """A boolean read by hand-written SQL: SQLite answers EXISTS and computed booleans as 0/1,
    PostgreSQL as bool."""
    return bool(value) and value not in ("0", "f", "false")


def unique_violation_column(exc: BaseException, table: str) -> str | None:
    """The column of ``table`` whose UNIQUE constraint ``exc`` reports; None for any other error.

    A service checks uniqueness before it writes, for a clear message; two requests at the same
    instant can both pass that check, and the database's constraint decides. This tells the service
    which rule the loser broke, so it answers with the same message instead of a 500.
    """
    if isinstance(exc, sqlite3.IntegrityError):
        found = re.search(rf"UNIQUE constraint failed: {re.escape(table)}\.(\w+)", str(exc))
        return found.group(1) if found else None
    import asyncpg

    if isinstance(exc, asyncpg.exceptions.UniqueViolationError):
        # Piccolo's ``unique=True`` is a column constraint, which PostgreSQL names <table>_<column>_key.
        name = getattr(exc, "constraint_name", None) or ""
        prefix, suffix = f"{table}_", "_key"
        if name.startswith(prefix) and name.endswith(suffix):
            return name[len(prefix):-len(suffix)]
    return None


_MODIFYING_WORD = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def _only_reads(querystring: Any) -> bool:
    """Piccolo's selects, counts and exists start with SELECT; the reports' statements with a WITH
    that modifies nothing. Anything else may write (and a doubt counts as a write)."""
    text = str(querystring.template).lstrip()
    head = text[:6].upper()
    return head == "SELECT" or (head[:4] == "WITH" and _MODIFYING_WORD.search(text) is None)


class _EndOfTransactionMarksChange:
    """A transaction that, once committed or rolled back, marks this process's cached reads stale
    (see cache.py): a reader that ran while it was open may have cached what it is replacing."""

    __slots__ = ()

    async def __aexit__(self, *exc_info: object) -> bool:
        try:
            return await super().__aexit__(*exc_info)  # type: ignore[misc]
        finally:
            data_changed()


class TrackedSQLiteTransaction(_EndOfTransactionMarksChange, SQLiteTransaction):
    pass


class TrackedPostgresTransaction(_EndOfTransactionMarksChange, PostgresTransaction):
    async def __aenter__(self) -> PostgresTransaction:
        if self._parent is not None:
            return self._parent
        self.connection = await self.get_connection()
        self.transaction = self.connection.transaction()
        try:
            await self.begin()
        except BaseException:
            # Piccolo would keep the connection out of the pool for good when BEGIN fails (a frozen
            # database times it out): twenty of those and the pool is empty even once it is back.
            self.connection.terminate()
            if self.engine.pool:
                await self.engine.pool.release(self.connection)
            raise
        self.context = self.engine.current_transaction.set(self)
        return self

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        if (exception is not None and self._parent is None and not self._rolled_back
                and is_database_unavailable(exception)):
            # A ROLLBACK sent to a database that does not answer would wait a command timeout more:
            # close the connection instead (the server rolls back what it had when it notices).
            self.connection.terminate()
            self._rolled_back = True
        return await super().__aexit__(exception_type, exception, traceback)

    async def get_connection(self) -> Any:
        if self.engine.pool:
            return await self.engine.pool.acquire(timeout=_settings().db_acquire_timeout)
        return await self.engine.get_new_connection()


class _TracksWrites:
    """Every statement that may write, and every transaction's end, advances the data generation
    that short-lived read caches check (cache.py). It happens here, below every service, so a new
    writer cannot forget it."""

    async def run_querystring(self, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().run_querystring(querystring, *args, **kwargs)  # type: ignore[misc]
        finally:
            if not _only_reads(querystring):
                data_changed()

    async def run_ddl(self, ddl: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().run_ddl(ddl, *args, **kwargs)  # type: ignore[misc]
        finally:
            data_changed()


class TrackedPostgresEngine(_TracksWrites, PostgresEngine):
    """Piccolo's PostgreSQL engine with a bounded wait for a pooled connection: with the database frozen,
    every connection of the pool may be stuck, and a request must not queue behind them forever."""

    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        return TrackedPostgresTransaction(engine=self, allow_nested=allow_nested)

    async def _run_in_pool(self, query: str, args: Any = None) -> Any:
        if not self.pool:
            raise ValueError("A pool isn't currently running.")
        async with self.pool.acquire(timeout=_settings().db_acquire_timeout) as connection:
            try:
                return await connection.fetch(query, *(args or []))
            except Exception as exc:
                if is_database_unavailable(exc):
                    # Handing a timed-out connection back to the pool waits for asyncpg's cancel request,
                    # itself stuck on a frozen database: close it at once instead.
                    connection.terminate()
                raise


class PooledSQLiteEngine(_TracksWrites, SQLiteEngine):
    """Piccolo's SQLite engine, keeping a few connections open between queries.

    Piccolo opens (and threads) a new aiosqlite connection for every query run outside a transaction,
    which costs more than the query itself on a page that runs five of them. Autocommit queries here
    borrow an open connection instead. Transactions still get a connection of their own, as Piccolo
    expects to close it when the transaction ends.
    """

    def __init__(self, path: str, pool_size: int = 8, **kwargs: Any) -> None:
        kwargs.setdefault("timeout", SQLITE_BUSY_TIMEOUT_SECONDS)
        super().__init__(path=path, **kwargs)
        self.pool_size = pool_size
        self._idle: list[aiosqlite.Connection] = []
        self.in_use = 0  # connections lent to a query right now (for /metrics)
        self._wal_checked = False
        self._reader: sqlite3.Connection | None = None
        self._reader_thread: int | None = None

    def _read_in_loop(self, query: str, args: list[Any]) -> list[dict[str, Any]] | None:
        """Run a plain SELECT on a read-only connection in the event loop's own thread.

        A hop to an aiosqlite thread costs about 100 µs; the indexed lookups that make up a page cost
        a few. In WAL mode readers never wait for writers, so a read cannot block on a lock here (if it
        ever would, it returns None and the caller takes the threaded path). Writes, and anything in a
        transaction, always go through aiosqlite.
        """
        if threading.get_ident() != (self._reader_thread or threading.get_ident()):
            return None
        if self._reader is None:
            if not os.path.exists(self.path):
                return None
            reader = sqlite3.connect(
                self.path,
                detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES,
                isolation_level=None,
                timeout=0,
            )
            reader.row_factory = dict_factory
            reader.execute("PRAGMA query_only = 1")
            reader.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)  # core/folding.py
            self._reader, self._reader_thread = reader, threading.get_ident()
        try:
            return self._reader.execute(query, args).fetchall()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return None
            raise

    def transaction(
        self, transaction_type: TransactionType = TransactionType.deferred, allow_nested: bool = True
    ) -> SQLiteTransaction:
        return TrackedSQLiteTransaction(engine=self, transaction_type=transaction_type, allow_nested=allow_nested)

    async def get_connection(self) -> aiosqlite.Connection:
        pending = aiosqlite.connect(**self.connection_kwargs)
        thread = getattr(pending, "_thread", None)
        if thread is not None:
            # An idle pooled connection must not keep the process alive at exit.
            thread.daemon = True
        connection = await pending
        connection.row_factory = dict_factory  # type: ignore[assignment]
        await connection.execute("PRAGMA foreign_keys = 1")
        if not self._wal_checked:
            # journal_mode is stored in the file: set once, every later connection inherits it.
            await connection.execute("PRAGMA journal_mode = WAL")
            self._wal_checked = True
        await connection.execute("PRAGMA synchronous = NORMAL")
        await connection.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)  # core/folding.py
        return connection

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> Any:
        if query_type == "select" or (query_type == "generic" and query.lstrip()[:6].upper() == "SELECT"):
            rows = self._read_in_loop(query, args or [])
            if rows is not None:
                return rows
        connection = self._idle.pop() if self._idle else await self.get_connection()
        healthy = False
        self.in_use += 1
        try:
            # One round trip to the connection's thread (execute + fetch + close in one call).
            rows = await connection.execute_fetchall(query, args or [])
            healthy = True
            return list(rows)
        finally:
            self.in_use -= 1
            if healthy and len(self._idle) < self.pool_size:
                self._idle.append(connection)
            else:
                await connection.close()

    async def close_idle_connections(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = self._reader_thread = None
        idle, self._idle = self._idle, []
        for connection in idle:
            with contextlib.suppress(Exception):
                await connection.close()


def _sqlite_path(url: str) -> str:
    # sqlite:///file.sqlite3 -> file.sqlite3 (relative); sqlite:////abs/file -> /abs/file
    path = url.split("://", 1)[1]
    path = path[1:] if path.startswith("/") else path
    return path or "training_hub.sqlite3"


def engine_from_url(url: str) -> Engine:
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("sqlite", "sqlite3"):
        return PooledSQLiteEngine(path=_sqlite_path(url))
    if scheme in ("postgresql", "postgres", "postgresql+asyncpg"):
        dsn = urlunsplit(("postgresql",) + tuple(urlsplit(url))[1:])
        return TrackedPostgresEngine(config={"dsn": dsn}, extensions=())
    raise ValueError(f"TRAINING_HUB_DATABASE_URL: schema {scheme!r} non supportato (sqlite, postgresql).")


def get_engine() -> Engine:
    """The engine the tables are bound to (piccolo_conf.DB)."""
    from piccolo.engine.finder import engine_finder

    engine = engine_finder()
    assert engine is not None, "piccolo_conf.py non trovato"
    return engine


def pool_usage(engine: Engine) -> dict[str, int]:
    """How many database connections the process has lent out and keeps idle (``/metrics``)."""
    if isinstance(engine, PooledSQLiteEngine):
        return {"in_use": engine.in_use, "idle": len(engine._idle)}
    pool = getattr(engine, "pool", None)
    if pool is None:
        return {"in_use": 0, "idle": 0}
    idle = pool.get_idle_size()
    return {"in_use": pool.get_size() - idle, "idle": idle}


def is_sqlite(engine: Engine | None = None) -> bool:
    return (engine or get_engine()).engine_type == "sqlite"


_sqlite_writer_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


@contextlib.asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """A transaction for read-then-write work.

    On SQLite it begins IMMEDIATE: the write lock is taken at BEGIN, so whatever the transaction
    reads cannot change under it. Writers of this process first queue on an ``asyncio.Lock``:
    SQLite's busy handler polls, sleeping up to 100 ms between tries, so many requests fighting for
    the lock inside one server would mostly sleep (and one could starve past the timeout); the
    asyncio lock hands the database over in arrival order. Writers of other processes wait on the
    busy timeout. A nested call joins the outer transaction.

    On PostgreSQL it is a plain transaction, and the service locks the rows it decides on with
    :func:`lock_for_update` (``SELECT … FOR UPDATE``, Piccolo's ``lock_rows``).
    """
    engine = get_engine()
    if engine.engine_type != "sqlite":
        async with engine.transaction():
            yield
        return
    if engine.current_transaction.get() is not None:
        async with engine.transaction(transaction_type=TransactionType.immediate):
            yield
        return
    loop = asyncio.get_running_loop()
    lock = _sqlite_writer_locks.get(loop)
    if lock is None:
        lock = _sqlite_writer_locks.setdefault(loop, asyncio.Lock())
    async with lock, engine.transaction(transaction_type=TransactionType.immediate):
        yield


def in_transaction() -> bool:
    return get_engine().current_transaction.get() is not None


def lock_for_update(query: Any) -> Any:
    """Add ``FOR UPDATE`` to a select on PostgreSQL; SQLite's IMMEDIATE transaction already serialises."""
    if is_sqlite():
        return query
    return query.lock_rows("UPDATE")


async def _keep_session_state(connection: Any) -> None:
    """What a pooled PostgreSQL connection needs before its next use, beyond the rollback of an
    unfinished transaction that asyncpg always does: nothing. asyncpg's default also resets session
    settings, advisory locks, LISTENs and open cursors, none of which Training Hub ever uses, in a
    second round trip after *every* query run outside a transaction."""


def _settings() -> Any:
    from training_hub.core.settings import get_settings

    return get_settings()


# Client-side TCP keepalives: a connection to a database behind a network partition is found dead in
# about a minute (30 s idle, then 3 probes 10 s apart) instead of the kernel's two hours.
_KEEPALIVE = (("TCP_KEEPIDLE", 30), ("TCP_KEEPINTVL", 10), ("TCP_KEEPCNT", 3))


async def _keepalive(connection: Any) -> None:
    import socket

    sock = connection._transport.get_extra_info("socket") if connection._transport else None
    if sock is None or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    for name, value in _KEEPALIVE:
        if hasattr(socket, name):
            sock.setsockopt(socket.IPPROTO_TCP, getattr(socket, name), value)


def pool_options(*, bounded: bool = True) -> dict[str, Any]:
    """asyncpg pool options bounding every wait on PostgreSQL (see Settings: connect, command and
    server-side statement timeouts, TCP keepalives on both sides). ``bounded=False`` (the command line:
    migrations, the demo, cron jobs) keeps the connect timeout and keepalives but no statement limits:
    an ALTER TABLE on a large table may rightly take minutes."""
    settings = _settings()
    if not bounded:
        return {"min_size": 1, "max_size": 20, "reset": _keep_session_state, "init": _keepalive,
                "timeout": settings.db_connect_timeout}
    return {
        "min_size": 1,
        "max_size": 20,
        "reset": _keep_session_state,
        "init": _keepalive,
        "timeout": settings.db_connect_timeout,
        "command_timeout": settings.db_command_timeout,
        "server_settings": {
            "statement_timeout": str(int(settings.db_statement_timeout * 1000)),
            "idle_in_transaction_session_timeout": str(int(settings.db_command_timeout * 2000)),
            "tcp_keepalives_idle": "30",
            "tcp_keepalives_interval": "10",
            "tcp_keepalives_count": "3",
        },
    }


async def start_engine(engine: Engine, *, bounded: bool = True) -> bool:
    """Open the PostgreSQL pool unless one is open already; True when this call opened it. The server's
    pool is ``bounded`` (see :func:`pool_options`)."""
    if isinstance(engine, PostgresEngine) and engine.pool is None:
        await engine.start_connection_pool(**pool_options(bounded=bounded))
        return True
    return False


def is_database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot be reached or does not answer in time (an outage, to be
    answered 503), as opposed to a bug or bad input."""
    import asyncpg

    if isinstance(exc, (ConnectionError, TimeoutError, asyncio.TimeoutError)):
        return True
    if isinstance(exc, OSError):  # refused, unreachable, DNS, "Multiple exceptions" (::1 and 127.0.0.1)
        return exc.filename is None  # a file that is missing or unreadable is a bug, not an outage
    if isinstance(exc, (asyncpg.exceptions.PostgresConnectionError, asyncpg.exceptions.OperatorInterventionError,
                        asyncpg.exceptions.TooManyConnectionsError, asyncpg.exceptions.CannotConnectNowError)):
        return True
    if isinstance(exc, asyncpg.exceptions.InterfaceError) and not isinstance(exc, asyncpg.exceptions.DataError):
        text = str(exc).lower()
        return "closed" in text or "closing" in text or "connection" in text
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        return "locked" in text or "unable to open" in text or "disk i/o" in text or "busy" in text
    return False


async def stop_engine(engine: Engine, *, started: bool = True) -> None:
    """Close what :func:`start_engine` opened (``started``); idle SQLite connections always."""
    if isinstance(engine, PostgresEngine) and started and engine.pool is not None:
        # Gracefully if the database answers; with it frozen, pool.close() would wait forever for
        # the goodbye of every connection: after the shutdown timeout the sockets are just closed.
        pool = engine.pool
        try:
            await asyncio.wait_for(pool.close(), _settings().shutdown_timeout_seconds)
        except (TimeoutError, OSError):
            pool.terminate()
        engine.pool = None
    elif isinstance(engine, PooledSQLiteEngine):
        await engine.close_idle_connections()


async def ping(engine: Engine, timeout: float = 2.5) -> None:
    """Raise if the database does not answer ``SELECT 1`` within ``timeout`` seconds."""
    if isinstance(engine, SQLiteEngine):
        # Open the file read-write without creating it: a missing file or folder means "down".
        async def check() -> None:
            uri = f"file:{engine.path}?mode=rw"
            async with aiosqlite.connect(uri, uri=True) as connection:
                await connection.execute("SELECT 1")

        await asyncio.wait_for(check(), timeout)
        return
    await asyncio.wait_for(engine.run_querystring(_select_one()), timeout)


def _select_one() -> Any:
    from piccolo.querystring import QueryString

    return QueryString("SELECT 1")


async def fetch_all(sql: str, *args: Any) -> list[dict[str, Any]]:
    """Run hand-written SQL (``{}`` placeholders) on the current engine.

    For hot paths only (authentication, feeds, the catalogue): Piccolo's query builder costs about
    150 µs per query to assemble, more than the query itself. Keep such SQL portable (SQLite and
    PostgreSQL) and covered by tests on both.
    """
    from piccolo.querystring import QueryString

    return await get_engine().run_querystring(QueryString(sql, *args))


async def fetch_one(sql: str, *args: Any) -> dict[str, Any] | None:
    rows = await fetch_all(sql, *args)
    return rows[0] if rows else None
