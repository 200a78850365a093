"""Backups that a restore can be checked against: ``training-hub backup FILE`` and
``training-hub restore FILE``.

- SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot while the
  server keeps running; the checksums are read from the copy itself.
- PostgreSQL: ``pg_dump --format=custom`` (restored with ``pg_restore``), taken from the snapshot of a
  REPEATABLE READ transaction that computes the checksums at the same time (``pg_export_snapshot`` and
  ``pg_dump --snapshot``): the dump and its checksums describe the same instant, whatever is written
  meanwhile.

Beside ``FILE`` goes ``FILE.manifest.json``: the engine, when, and per table the row count and a SHA-256
of its rows. A restore goes only into an empty database, then recomputes the checksums there and fails,
naming the tables, when anything differs. A row's digest covers its values by column name; a table's
checksum is the digest of its rows' sorted digests, so it does not depend on the order rows come back in.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit


class BackupError(RuntimeError):
    """The backup or restore could not be done; the message says why, in Italian, for the operator."""


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


def manifest_path(file: Path) -> Path:
    return file.with_name(file.name + ".manifest.json")


def _is_sqlite(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("sqlite", "sqlite3")


def sqlite_path(url: str) -> str:
    path = url.split("://", 1)[1]
    path = path[1:] if path.startswith("/") else path
    return path or "training_hub.sqlite3"


def postgres_dsn(url: str) -> str:
    return urlunsplit(("postgresql",) + tuple(urlsplit(url))[1:])


def _digest_rows(rows: list[dict[str, Any]]) -> TableSum:
    digests = sorted(
        hashlib.sha256(repr(sorted(row.items())).encode()).hexdigest() for row in rows
    )
    return TableSum(rows=len(rows), sha256=hashlib.sha256("\n".join(digests).encode()).hexdigest())


# SQLite ------------------------------------------------------------------------------------------


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def sqlite_checksums(path: str) -> dict[str, TableSum]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    try:
        return {
            table: _digest_rows([dict(row) for row in connection.execute(f'SELECT * FROM "{table}"')])
            for table in _sqlite_tables(connection)
        }
    finally:
        connection.close()


def _sqlite_copy(source_path: str, target_path: str) -> None:
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


# PostgreSQL --------------------------------------------------------------------------------------


async def _postgres_tables(connection: Any) -> list[str]:
    rows = await connection.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )
    return [row["tablename"] for row in rows]


async def _postgres_checksums_in(connection: Any) -> dict[str, TableSum]:
    sums = {}
    for table in await _postgres_tables(connection):
        rows = await connection.fetch(f'SELECT * FROM "{table}"')
        sums[table] = _digest_rows([dict(row) for row in rows])
    return sums


async def postgres_checksums(dsn: str) -> dict[str, TableSum]:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            return await _postgres_checksums_in(connection)
    finally:
        await connection.close()


async def _run(*command: str) -> None:
    try:
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
        )
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} non trovato: installa il client di PostgreSQL.") from exc
    _, stderr = await process.communicate()
    if process.returncode != 0:
        raise BackupError(f"{command[0]} non riuscito: {stderr.decode(errors='replace').strip()}")


async def _postgres_backup(dsn: str, file: Path) -> dict[str, TableSum]:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await connection.fetchval("SELECT pg_export_snapshot()")
            dump = asyncio.create_task(_run(
                "pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                f"--file={file}", f"--dbname={dsn}",
            ))
            try:
                sums = await _postgres_checksums_in(connection)
            finally:
                await dump  # the snapshot must outlive pg_dump's start: keep the transaction open
            return sums
    finally:
        await connection.close()


# The commands ------------------------------------------------------------------------------------


def _write_manifest(file: Path, engine: str, sums: dict[str, TableSum]) -> dict[str, Any]:
    manifest = {
        "engine": engine,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "tables": {table: {"rows": s.rows, "sha256": s.sha256} for table, s in sums.items()},
    }
    manifest_path(file).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


async def backup(url: str, file: Path) -> dict[str, Any]:
    """Write a backup of the database at ``url`` to ``file`` (and its manifest); return the manifest."""
    file = Path(file)
    if file.exists():
        raise BackupError(f"{file} esiste già: scegli un altro nome, non sovrascrivo un backup.")
    if _is_sqlite(url):
        source = sqlite_path(url)
        if not os.path.exists(source):
            raise BackupError(f"Il database {source} non esiste.")
        await asyncio.to_thread(_sqlite_copy, source, str(file))
        sums = await asyncio.to_thread(sqlite_checksums, str(file))
        return _write_manifest(file, "sqlite", sums)
    sums = await _postgres_backup(postgres_dsn(url), file)
    return _write_manifest(file, "postgresql", sums)


def compare(expected: dict[str, Any], actual: dict[str, TableSum]) -> list[str]:
    """The tables whose rows differ between a manifest and a database (empty when equal)."""
    names = sorted(set(expected) | set(actual))
    return [
        name for name in names
        if name not in expected or name not in actual
        or (expected[name]["rows"], expected[name]["sha256"]) != (actual[name].rows, actual[name].sha256)
    ]


async def checksums(url: str) -> dict[str, TableSum]:
    if _is_sqlite(url):
        return await asyncio.to_thread(sqlite_checksums, sqlite_path(url))
    return await postgres_checksums(postgres_dsn(url))


async def restore(url: str, file: Path) -> dict[str, Any]:
    """Restore ``file`` into the empty database at ``url`` and check it against the manifest.

    Returns the manifest; raises :class:`BackupError` when the target is not empty, the backup is of
    another engine, or the restored rows differ (naming the tables).
    """
    file = Path(file)
    try:
        manifest = json.loads(manifest_path(file).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"Manca {manifest_path(file).name}: senza non posso verificare il ripristino.") from exc
    engine = "sqlite" if _is_sqlite(url) else "postgresql"
    if manifest.get("engine") != engine:
        raise BackupError(f"Il backup è di un database {manifest.get('engine')}, la destinazione è {engine}.")
    if _is_sqlite(url):
        target = sqlite_path(url)
        if os.path.exists(target) and os.path.getsize(target) > 0:
            connection = sqlite3.connect(target)
            try:
                if _sqlite_tables(connection):
                    raise BackupError(f"Il database {target} non è vuoto: il ripristino va in un database nuovo.")
            finally:
                connection.close()
        await asyncio.to_thread(_sqlite_copy, str(file), target)
    else:
        import asyncpg

        dsn = postgres_dsn(url)
        connection = await asyncpg.connect(dsn)
        try:
            if await _postgres_tables(connection):
                raise BackupError("Il database di destinazione non è vuoto: il ripristino va in un database nuovo.")
        finally:
            await connection.close()
        await _run("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={dsn}", str(file))
    differing = compare(manifest["tables"], await checksums(url))
    if differing:
        raise BackupError("Ripristino non conforme al backup nelle tabelle: " + ", ".join(differing))
    return manifest
