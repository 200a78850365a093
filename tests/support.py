"""Helpers shared by the tests: database reset, query counting, logging in, Rome times, acting users.

The people most tests need (``admin``, ``trainer``, ``cooperative`` and its ``coordinator``) are
fixtures in ``tests/conftest.py``.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

import httpx
from litestar.testing import AsyncTestClient
from piccolo.engine.base import Engine
from piccolo.table import sort_table_classes

from training_hub.accounts.service import issue_api_token
from training_hub.core.identity import CurrentUser
from training_hub.core.tables import Person
from training_hub.core.timeutil import rome_wall_clock

CSRF_COOKIE = "th_csrf"
BASE_URL = "http://testserver.local"


class InLoopTestClient(AsyncTestClient):  # type: ignore[type-arg]
    """Litestar's async test client, running the app on the test's own event loop.

    The stock client calls the app through a blocking portal in another thread: requests cannot
    overlap (so a race test would test nothing) and the app would use the database pool from a loop
    it does not belong to. Here requests go through ``httpx.ASGITransport`` on the current loop, so
    ``asyncio.gather`` really interleaves them. The session fixture opens the database pool (the app's
    lifespan is not run).
    """

    def __init__(self, app: Any) -> None:
        super().__init__(app=app, base_url=BASE_URL)
        self._transport = httpx.ASGITransport(app=app, client=("testclient", 50000))
        self.follow_redirects = False  # tests look at each redirect themselves

    async def __aenter__(self) -> InLoopTestClient:
        return self

    async def __aexit__(self, *args: Any) -> None:
        await self.aclose()


async def reset_database(engine: Engine) -> None:
    """An empty database at the latest migration."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    if engine.engine_type == "sqlite":
        await engine.close_idle_connections()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(engine.path + suffix)
    else:
        await engine.run_ddl("DROP SCHEMA IF EXISTS public CASCADE")
        await engine.run_ddl("CREATE SCHEMA public")
    result = await run_forwards(app_name="training_hub", migration_id="all", fake=False)
    assert result.success, result.message


def _tables() -> list[Any]:
    from piccolo.conf.apps import Finder

    return sort_table_classes(Finder().get_table_classes())


async def wipe_tables(engine: Engine) -> None:
    tables = _tables()
    if engine.engine_type == "sqlite":
        for table in reversed(tables):
            await table.delete(force=True)
    else:
        names = ", ".join(table._meta.tablename for table in tables)
        await engine.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


class QueryCounter:
    """Counts the SQL statements the application runs inside a ``with`` block."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    @contextlib.contextmanager
    def __call__(self):
        # Patched on the class: PostgresEngine uses __slots__, so instances cannot be patched.
        engine_class = type(self.engine)
        original = engine_class.run_querystring
        self.statements = []

        async def counting(engine, querystring, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.statements.append(str(querystring))
            return await original(engine, querystring, *args, **kwargs)

        engine_class.run_querystring = counting  # type: ignore[method-assign]
        try:
            yield self
        finally:
            engine_class.run_querystring = original  # type: ignore[method-assign]

    @property
    def count(self) -> int:
        return len(self.statements)


async def bearer(person: Person | int) -> dict[str, str]:
    """Authorization header for the API, without going through the password check."""
    person_id = person if isinstance(person, int) else person.id
    token, _ = await issue_api_token(person_id)
    return {"Authorization": f"Bearer {token}"}


async def csrf_token(client: Any) -> str:
    """The CSRF token of this browser (a GET sets the cookie the first time)."""
    if CSRF_COOKIE not in client.cookies:
        await client.get("/login")
    return client.cookies[CSRF_COOKIE]


async def post_form(client: Any, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
    """Submit a form as a browser does, CSRF token included."""
    payload = dict(data or {})
    payload["_csrf_token"] = await csrf_token(client)
    return await client.post(url, data=payload, **kwargs)


async def login(client: Any, email: str, password: str = "demo-password") -> Any:
    response = await post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code in (200, 303), response.text
    return response


def extract_csrf(html: str) -> str:
    match = re.search(r'name="_csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def rome(day: date, hour: int, minute: int = 0) -> datetime:
    """The instant a wall clock in Rome shows ``hour:minute`` on ``day`` (as a UTC-aware datetime)."""
    return rome_wall_clock(day, time(hour, minute))


def as_user(person: Person | dict[str, Any], **changes: Any) -> CurrentUser:
    """The CurrentUser a request by ``person`` (a row object or a row dict) would carry, for calling
    services directly; ``changes`` override fields (``roles=frozenset({"admin"})``…)."""
    row = person if isinstance(person, dict) else {
        "id": person.id, "email": person.email, "full_name": person.full_name, "roles": person.roles,
        "cooperative": person.cooperative, "language": person.language,
    }
    user = CurrentUser.from_row(row)
    return replace(user, **changes) if changes else user
