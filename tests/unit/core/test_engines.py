"""Only the engines the suite runs on are offered: SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from training_hub.core.db import PooledSQLiteEngine, TrackedPostgresEngine, engine_from_url


# Piccolo asks a new PostgreSQL engine for the server's version; the URL here names no real database.
@pytest.mark.filterwarnings("ignore:.*Unable to fetch server version.*")
def test_sqlite_and_postgresql_urls_pick_their_engines():
    assert isinstance(engine_from_url("sqlite:///x.sqlite3"), PooledSQLiteEngine)
    assert isinstance(engine_from_url("postgresql://postgres@127.0.0.1:5432/x"), TrackedPostgresEngine)


@pytest.mark.parametrize("url", ["cockroachdb://root@127.0.0.1:26257/x", "mysql://root@127.0.0.1/x"])
def test_engines_nobody_tests_are_refused_with_a_clear_message(url):
    with pytest.raises(ValueError, match="non supportato"):
        engine_from_url(url)
