"""Which errors mean "the database is down" (503) and which are bugs (500): core/db.is_database_unavailable."""

import sqlite3

import asyncpg
import pytest

from training_hub.core.db import is_database_unavailable


@pytest.mark.parametrize("exc", [
    ConnectionRefusedError(111, "Connect call failed"),
    OSError("Multiple exceptions: [Errno 111] Connect call failed ('::1', 5432), [Errno 111] …"),
    TimeoutError(),
    asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),
    asyncpg.exceptions.QueryCanceledError("canceling statement due to statement timeout"),
    asyncpg.exceptions.TooManyConnectionsError("sorry, too many clients already"),
    asyncpg.exceptions.InterfaceError("connection is closed"),
    sqlite3.OperationalError("database is locked"),
    sqlite3.OperationalError("unable to open database file"),
])
def test_outages(exc):
    assert is_database_unavailable(exc)


@pytest.mark.parametrize("exc", [
    FileNotFoundError(2, "No such file or directory", "/fonts/missing.ttf"),
    sqlite3.OperationalError("no such table: course"),
    asyncpg.exceptions.UndefinedColumnError("column x does not exist"),
    asyncpg.exceptions.DataError("invalid input"),
    ValueError("bug"),
])
def test_bugs_and_bad_input_are_not_outages(exc):
    assert not is_database_unavailable(exc)


def test_the_servers_pool_bounds_every_wait_the_command_lines_only_connecting():
    from training_hub.core.db import pool_options

    server = pool_options()
    assert server["timeout"] == 3.0 and server["command_timeout"] == 10.0
    assert server["server_settings"]["statement_timeout"] == "8000"
    assert server["server_settings"]["tcp_keepalives_idle"] == "30"
    command_line = pool_options(bounded=False)
    assert command_line["timeout"] == 3.0
    assert "command_timeout" not in command_line and "server_settings" not in command_line
