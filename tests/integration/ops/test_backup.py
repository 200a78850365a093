"""``training-hub backup`` / ``restore`` on the engine the suite runs on: a round trip whose checksums
match, a restore that refuses a non-empty database, and a changed row that the check names."""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

import asyncpg
import pytest
from click.testing import CliRunner

from tests.factories import make_course, make_enrolment, make_person
from training_hub.core.backup import (
    BackupError,
    backup,
    checksums,
    compare,
    manifest_path,
    postgres_dsn,
    restore,
    sqlite_path,
)

SOURCE_URL = os.environ["TRAINING_HUB_DATABASE_URL"]
ON_SQLITE = SOURCE_URL.startswith("sqlite")


@pytest.fixture
async def empty_target(tmp_path: Path):
    """An empty database of the suite's engine, dropped afterwards."""
    if ON_SQLITE:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"th_restore_{uuid.uuid4().hex[:10]}"
    admin_dsn = postgres_dsn(SOURCE_URL).rsplit("/", 1)[0] + "/postgres"
    connection = await asyncpg.connect(admin_dsn)
    await connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_dsn.rsplit("/", 1)[0] + "/" + name
    finally:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()


async def _some_data() -> None:
    course = await make_course(title="Corso da salvare — Łukasz")
    for n in range(3):
        await make_enrolment(await make_person(full_name=f"Zoë Ørsted {n}"), course)


async def test_a_backup_restores_into_an_empty_database_with_equal_checksums(tmp_path, empty_target):
    await _some_data()
    file = tmp_path / "training-hub.backup"

    manifest = await backup(SOURCE_URL, file)

    assert file.stat().st_size > 0 and manifest_path(file).exists()
    assert manifest["tables"]["person"]["rows"] == 3
    assert manifest["tables"]["enrolment"]["rows"] == 3
    restored = await restore(empty_target, file)
    assert restored == manifest
    assert compare(manifest["tables"], await checksums(empty_target)) == []
    assert compare(manifest["tables"], await checksums(SOURCE_URL)) == []


async def test_a_changed_row_after_the_restore_is_named_by_the_check(tmp_path, empty_target):
    await _some_data()
    file = tmp_path / "b.backup"
    manifest = await backup(SOURCE_URL, file)
    await restore(empty_target, file)

    sql = "UPDATE person SET full_name = 'Qualcun altro' WHERE full_name = 'Zoë Ørsted 1'"
    if ON_SQLITE:
        with sqlite3.connect(sqlite_path(empty_target)) as connection:
            connection.execute(sql)
    else:
        connection = await asyncpg.connect(empty_target)
        await connection.execute(sql)
        await connection.close()

    assert compare(manifest["tables"], await checksums(empty_target)) == ["person"]


async def test_restore_refuses_a_database_that_is_not_empty_and_backup_never_overwrites(tmp_path):
    await _some_data()
    file = tmp_path / "b.backup"
    await backup(SOURCE_URL, file)

    with pytest.raises(BackupError, match="non è vuoto"):
        await restore(SOURCE_URL, file)
    with pytest.raises(BackupError, match="esiste già"):
        await backup(SOURCE_URL, file)


async def test_restore_needs_the_manifest_and_the_same_engine(tmp_path, empty_target):
    await _some_data()
    file = tmp_path / "b.backup"
    await backup(SOURCE_URL, file)
    other = manifest_path(file).read_text().replace(f'"engine": "{"sqlite" if ON_SQLITE else "postgresql"}"',
                                                     '"engine": "oracle"')
    manifest_path(file).write_text(other)
    with pytest.raises(BackupError, match="oracle"):
        await restore(empty_target, file)
    manifest_path(file).unlink()
    with pytest.raises(BackupError, match="manifest"):
        await restore(empty_target, file)


def test_the_command_line_says_what_it_saved(tmp_path, monkeypatch):
    """The CLI's own wording and exit code (on a SQLite file of its own, so it runs on both suites)."""
    from training_hub.cli import main

    source = tmp_path / "src.sqlite3"
    with sqlite3.connect(source) as connection:
        connection.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
        connection.executemany("INSERT INTO note (text) VALUES (?)", [("uno",), ("due",)])
    monkeypatch.setenv("TRAINING_HUB_DATABASE_URL", f"sqlite:///{source}")
    from training_hub.core.settings import get_settings

    get_settings.cache_clear()
    try:
        runner = CliRunner()
        saved = runner.invoke(main, ["backup", str(tmp_path / "b.sqlite3")])
        assert saved.exit_code == 0, saved.output
        assert "1 tabelle, 2 righe" in saved.output
        again = runner.invoke(main, ["restore", str(tmp_path / "b.sqlite3")])
        assert again.exit_code == 1 and "non è vuoto" in again.output
        monkeypatch.setenv("TRAINING_HUB_DATABASE_URL", f"sqlite:///{tmp_path / 'new.sqlite3'}")
        get_settings.cache_clear()
        restored = runner.invoke(main, ["restore", str(tmp_path / "b.sqlite3")])
        assert restored.exit_code == 0, restored.output
        assert "checksum uguali" in restored.output
    finally:
        get_settings.cache_clear()
