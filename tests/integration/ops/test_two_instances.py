"""Two real ``training-hub serve`` processes on one PostgreSQL (DESIGN "Run it like production").

Checks, with the figures printed for the closing note (``pytest -s``):

1. a write through instance A shows in instance B's cached catalogue within a second (the catalogue
   cache is set to 60 s here, so only LISTEN/NOTIFY can explain it);
2. 100 queued e-mails, both instances sending into one SMTP sink: 100 delivered, none twice;
3. the hourly jobs ran once although both instances started their loop.

PostgreSQL only: SQLite is one file for one process, and keeps the caches' time limits.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
import pytest

from training_hub.core.backup import postgres_dsn

TEST_URL = os.environ["TRAINING_HUB_DATABASE_URL"]
pytestmark = pytest.mark.skipif(TEST_URL.startswith("sqlite"), reason="several instances need PostgreSQL")
ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """The smallest SMTP server smtplib talks to: counts each message by its Subject."""

    def __init__(self) -> None:
        self.subjects: Counter[str] = Counter()
        self.server: asyncio.AbstractServer | None = None
        self.port = 0

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async def reply(line: str) -> None:
            writer.write((line + "\r\n").encode())
            await writer.drain()

        await reply("220 sink")
        try:
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    await reply("250 sink")
                elif verb == b"DATA":
                    await reply("354 go on")
                    subject = ""
                    while (data := await reader.readline()) not in (b".\r\n", b""):
                        if data.lower().startswith(b"subject:") and not subject:
                            subject = data.decode(errors="replace")[8:].strip()
                    self.subjects[subject] += 1
                    await reply("250 queued")
                elif verb == b"QUIT":
                    await reply("221 bye")
                    break
                else:
                    await reply("250 ok")
        finally:
            writer.close()

    async def __aenter__(self) -> SmtpSink:
        self.server = await asyncio.start_server(self._session, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()


async def _wait_ready(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"the server exited: {process.stdout.read() if process.stdout else ''}")
            try:
                if (await client.get(f"{base}/readyz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise AssertionError(f"{base} not ready in {timeout} s")


@pytest.fixture
async def scratch_database():
    name = f"th_two_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(postgres_dsn(TEST_URL).rsplit("/", 1)[0] + "/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_dsn(TEST_URL).rsplit("/", 1)[0] + "/" + name
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def test_two_instances_share_caches_outbox_and_hourly_jobs(scratch_database, tmp_path):
    async with SmtpSink() as sink:
        env = {
            **os.environ,
            "TRAINING_HUB_DATABASE_URL": scratch_database,
            "TRAINING_HUB_MODE": "dev",
            "TRAINING_HUB_SECRET_KEY": "two-instances-secret-key-0123456789-abcdefghij",
            "TRAINING_HUB_SMTP_URL": f"smtp://127.0.0.1:{sink.port}",
            "TRAINING_HUB_NOTIFICATIONS_INTERVAL": "1",
            "TRAINING_HUB_CATALOGUE_CACHE_SECONDS": "60",
            "TRAINING_HUB_FEED_VERSION_TTL": "60",
            "TRAINING_HUB_LOG_LEVEL": "WARNING",
        }
        ports = [_free_port(), _free_port()]
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        processes: list[subprocess.Popen] = []
        try:
            # A loads the demo data (and migrates); B starts once the schema is there.
            for index, extra in enumerate((["--demo"], [])):
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "training_hub.cli", "serve", "--host", "127.0.0.1",
                     "--port", str(ports[index]), *extra],
                    cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                ))
                await _wait_ready(bases[index], processes[index])
            async with httpx.AsyncClient(timeout=10) as client:
                # 3. the hourly jobs: both loops started, one run.
                database = await asyncpg.connect(scratch_database)
                try:
                    await asyncio.sleep(1)
                    runs = await database.fetchval("SELECT value FROM key_value WHERE key = 'job:housekeeping'")
                    assert bytes(runs) == b"1"

                    # 1. a write on A, seen by B's cached catalogue.
                    login = {"email": "admin@demo.test", "password": "demo-password"}
                    token = (await client.post(f"{bases[0]}/api/auth/tokens", json=login)).json()["token"]
                    headers = {"Authorization": f"Bearer {token}"}
                    listing = (await client.get(f"{bases[1]}/api/courses", headers=headers)).json()
                    course_id = listing["items"][0]["id"]
                    again = await client.get(f"{bases[1]}/api/courses", headers=headers)
                    assert again.json() == listing
                    new_title = f"Titolo cambiato su A {uuid.uuid4().hex[:6]}"
                    changed = await client.patch(f"{bases[0]}/api/courses/{course_id}", json={"title": new_title},
                                                 headers=headers)
                    assert changed.status_code == 200, changed.text
                    written = time.monotonic()
                    seen_after = None
                    while time.monotonic() - written < 5:
                        titles = [c["title"] for c in
                                  (await client.get(f"{bases[1]}/api/courses", headers=headers)).json()["items"]]
                        if new_title in titles:
                            seen_after = time.monotonic() - written
                            break
                        await asyncio.sleep(0.02)
                    print(f"\nB saw A's write after {seen_after} s")
                    assert seen_after is not None and seen_after < 1.0

                    # 2. 100 e-mails, two senders, each delivered once.
                    now = datetime.now(UTC)
                    await database.executemany(
                        "INSERT INTO outbox (created_at, kind, to_email, subject, body, ics, status, attempts, "
                        "next_attempt_at, last_error) VALUES ($1, 'prova', $2, $3, 'corpo', '', 'pending', 0, $1, '')",
                        [(now, f"p{n}@example.test", f"Prova {n:03d}") for n in range(100)],
                    )
                    started = time.monotonic()
                    while sum(sink.subjects[f"Prova {n:03d}"] for n in range(100)) < 100 and time.monotonic() - started < 30:
                        await asyncio.sleep(0.1)
                    await asyncio.sleep(2)  # room for a duplicate to arrive, if any would
                    delivered = {s: c for s, c in sink.subjects.items() if s.startswith("Prova ")}
                    print(f"delivered {len(delivered)} distinct, {sum(delivered.values())} in all, "
                          f"in {time.monotonic() - started - 2:.1f} s")
                    assert len(delivered) == 100 and set(delivered.values()) == {1}
                    sent = await database.fetchval("SELECT COUNT(*) FROM outbox WHERE kind = 'prova' AND status = 'sent'")
                    assert sent == 100
                finally:
                    await database.close()
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
