"""Test set-up: one database for the whole run, emptied after every test.

``TRAINING_HUB_TEST_DATABASE_URL`` set to a PostgreSQL URL runs the suite on PostgreSQL (its ``public``
schema is dropped and rebuilt by the migrations); unset, a throw-away SQLite file is used. The
environment is fixed here, before any ``training_hub`` module reads it.
"""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import time_machine

# The tests are written against a fixed calendar (courses on 2 December 2026, a series across the end
# of October, a course that ended ten days ago): every run happens on the morning of 25 November 2026,
# with the clock ticking from there, whatever the machine's date. Monotonic clocks (time-to-live of the
# caches, asyncio) are not moved.
TEST_TODAY = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)
time_machine.travel(TEST_TODAY, tick=True).start()

_SQLITE_DIR = tempfile.mkdtemp(prefix="training-hub-tests-")
TEST_DATABASE_URL = os.environ.get("TRAINING_HUB_TEST_DATABASE_URL") or f"sqlite:///{Path(_SQLITE_DIR) / 'test.sqlite3'}"
os.environ["TRAINING_HUB_DATABASE_URL"] = TEST_DATABASE_URL
os.environ["TRAINING_HUB_MODE"] = "test"
os.environ["TRAINING_HUB_SECRET_KEY"] = "test-secret-key-that-is-long-enough-for-hmac-0123456789"
os.environ["TRAINING_HUB_BASE_URL"] = "http://testserver.local"
os.environ["TRAINING_HUB_LOGIN_MAX_FAILURES"] = "5"
os.environ.pop("TRAINING_HUB_SMTP_URL", None)

import pytest  # noqa: E402
import pytest_asyncio  # noqa: E402

from tests.factories import make_cooperative, make_person  # noqa: E402
from tests.support import InLoopTestClient, QueryCounter, reset_database, wipe_tables  # noqa: E402
from training_hub.core.db import get_engine, start_engine, stop_engine  # noqa: E402


@pytest_asyncio.fixture(scope="session", autouse=True)
async def database():
    from training_hub.hooks import connect_hooks

    connect_hooks()  # as create_app() and the command line do
    engine = get_engine()
    await reset_database(engine)
    started = await start_engine(engine)
    yield engine
    await stop_engine(engine, started=started)


@pytest_asyncio.fixture(autouse=True)
async def clean_tables(database):
    yield
    await wipe_tables(database)


@pytest.fixture(scope="session")
def app():
    from training_hub.app import create_app

    return create_app()


@pytest_asyncio.fixture
async def client(app):
    async with InLoopTestClient(app) as test_client:
        yield test_client


@pytest_asyncio.fixture
async def other_client(app):
    """A second browser, for tests with two people at once."""
    async with InLoopTestClient(app) as test_client:
        yield test_client


@pytest.fixture
def count_queries(database):
    return QueryCounter(database)


# People most tests need (plain factory rows, like ``make_person("admin")``) ---------------------------


@pytest_asyncio.fixture
async def admin():
    """Someone of the consortium's training office."""
    return await make_person("admin")


@pytest_asyncio.fixture
async def trainer():
    return await make_person("trainer")


@pytest_asyncio.fixture
async def cooperative():
    return await make_cooperative()


@pytest_asyncio.fixture
async def coordinator(cooperative):
    """The coordinator of the ``cooperative`` fixture."""
    return await make_person("coordinator", cooperative=cooperative)
