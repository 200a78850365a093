"""Fault-injection figures for issue 12 (items 14, 15, 18), outside the test suite.

    .venv/bin/python -m bench.robustness --database-url postgresql://postgres@127.0.0.1:5432/th_bench_robust
    .venv/bin/python -m bench.robustness --database-url … --code /work/main     # the same against other code

The database's schema is dropped and rebuilt. One uvicorn server runs against PostgreSQL through a TCP
proxy of this process, which can pass traffic, *stop* the database (close every connection, refuse new
ones: what a stopped PostgreSQL does) or *freeze* it (accept connections and forward nothing: a network
partition). Printed: status and seconds of requests in each state, /readyz, and the time from SIGTERM to
the process's exit with the database frozen. Then the outbox ids one notifications run takes when every
reminder of tomorrow is already queued (30 reminders), times 4 workers × 2 runs a minute.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

CAP_SECONDS = 40.0  # a request or a shutdown still waiting after this is reported as "> 40 s"


class Proxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.mode = "pass"
        self.server: asyncio.base_events.Server | None = None
        self.port = 0
        self.links: set[asyncio.StreamWriter] = set()

    async def start(self, port: int = 0) -> None:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", port or self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                if self.mode == "freeze":
                    continue  # swallowed: the other side waits forever
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.links.add(writer)
        if self.mode == "freeze":
            await asyncio.Event().wait()
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        self.links.add(up_writer)
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def set(self, mode: str) -> None:
        if mode == "stop":
            self.server.close()
            for link in list(self.links):
                link.transport.abort()  # the server went away: connections reset
            self.links.clear()
        elif mode == "pass" and self.mode == "stop":
            self.mode = mode
            await self.start(self.port)
        self.mode = mode


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def timed(client, method: str, url: str, **kwargs) -> tuple[str, float]:
    import httpx

    begun = time.perf_counter()
    try:
        response = await asyncio.wait_for(client.request(method, url, **kwargs), CAP_SECONDS)
        outcome = str(response.status_code)
        if response.status_code == 503:
            outcome += f" Retry-After={response.headers.get('retry-after')}"
    except (TimeoutError, asyncio.TimeoutError):
        outcome = f"no answer in {CAP_SECONDS:.0f} s"
    except httpx.HTTPError as exc:
        outcome = type(exc).__name__
    return outcome, time.perf_counter() - begun


async def prepare(database_url: str) -> None:
    from tests.support import reset_database
    from training_hub.core.db import get_engine

    await reset_database(get_engine())


async def outbox_ids_per_minute(before: bool) -> tuple[int, int]:
    """(ids taken by the first run, ids taken by each later run) with 30 reminders due tomorrow."""
    from datetime import time as clock
    from datetime import timedelta

    from tests.factories import make_cooperative, make_course, make_enrolment, make_person, make_session
    from training_hub.core.db import fetch_one, get_engine, start_engine, stop_engine
    from training_hub.core.timeutil import rome_wall_clock, to_rome, utcnow
    from training_hub.notifications import sessions

    engine = get_engine()
    started = await start_engine(engine)
    try:
        tomorrow = to_rome(utcnow()).date() + timedelta(days=1)
        course = await make_course(title="Primo soccorso", enrolment_closes_at=None, cancellation_deadline=None)
        await make_session(course, starts_at=rome_wall_clock(tomorrow, clock(9, 30)))
        cooperative = await make_cooperative()
        for _ in range(30):
            await make_enrolment(await make_person(cooperative=cooperative), course)
        if before:  # what main did: every reminder of tomorrow, re-inserted with ON CONFLICT DO NOTHING
            sessions.TOMORROW_SQL = sessions.TOMORROW_SQL.replace(
                "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = 'reminder:' || s.id || ':' || p.id) ", "")

        async def last_id() -> int:
            row = await fetch_one("SELECT last_value, is_called FROM outbox_id_seq")
            return int(row["last_value"]) if row["is_called"] else 0

        first_before = await last_id()
        await sessions.queue_due_reminders()
        first = await last_id() - first_before
        later_before = await last_id()
        runs = 8  # 4 workers, every 30 seconds: one minute
        for _ in range(runs):
            await sessions.queue_due_reminders()
        return first, (await last_id() - later_before)
    finally:
        await stop_engine(engine, started=started)


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--code", default="", help="run the server from this checkout (PYTHONPATH)")
    parser.add_argument("--shutdown-timeout", default="10")
    args = parser.parse_args(argv)
    parts = urlsplit(args.database_url)
    import httpx

    await prepare(args.database_url)
    proxy = Proxy((parts.hostname or "127.0.0.1", parts.port or 5432))
    await proxy.start()
    proxied = urlunsplit(parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{proxy.port}"))
    port = free_port()
    env = dict(os.environ, TRAINING_HUB_DATABASE_URL=proxied, TRAINING_HUB_MODE="production",
               TRAINING_HUB_SECRET_KEY=secrets.token_urlsafe(48), TRAINING_HUB_LOG_LEVEL="ERROR",
               TRAINING_HUB_NOTIFICATIONS_INTERVAL="0")
    if args.code:
        env["PYTHONPATH"] = str(Path(args.code).resolve())
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "training_hub.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "critical", "--no-access-log",
         "--timeout-graceful-shutdown", args.shutdown_timeout],
        env=env, cwd=args.code or None,
    )
    base = f"http://127.0.0.1:{port}"
    login = {"json": {"email": "nessuno@example.test", "password": "sbagliata-123456"}}
    try:
        async with httpx.AsyncClient(base_url=base, timeout=None) as client:
            for _ in range(150):
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
            else:
                raise SystemExit("server did not start")
            print("database up:     POST /api/auth/tokens %s in %.3f s" % await timed(client, "POST", "/api/auth/tokens", **login))
            await proxy.set("stop")
            for attempt in range(3):
                print(f"stopped #{attempt + 1}:      POST /api/auth/tokens %s in %.3f s" % await timed(client, "POST", "/api/auth/tokens", **login))
            print("stopped:         GET /readyz %s in %.3f s" % await timed(client, "GET", "/readyz"))
            await proxy.set("pass")
            print("restarted:       GET /readyz %s in %.3f s" % await timed(client, "GET", "/readyz"))
            print("restarted:       POST /api/auth/tokens %s in %.3f s" % await timed(client, "POST", "/api/auth/tokens", **login))
            await proxy.set("freeze")
            for attempt in range(3):
                print(f"frozen #{attempt + 1}:       POST /api/auth/tokens %s in %.3f s" % await timed(client, "POST", "/api/auth/tokens", **login))
            print("frozen:          GET /readyz %s in %.3f s" % await timed(client, "GET", "/readyz"))
            pending = asyncio.create_task(timed(client, "POST", "/api/auth/tokens", **login))  # in flight at SIGTERM
            await asyncio.sleep(0.2)
            begun = time.perf_counter()
            server.send_signal(signal.SIGTERM)
            while server.poll() is None and time.perf_counter() - begun < CAP_SECONDS * 2:
                await asyncio.sleep(0.05)
            took = time.perf_counter() - begun
            if server.poll() is None:
                print(f"SIGTERM, frozen: still running after {took:.1f} s (killed)")
            else:
                print(f"SIGTERM, frozen: exited in {took:.1f} s")
            pending.cancel()
    finally:
        if server.poll() is None:
            server.kill()
        await proxy.set("stop")
    before = bool(args.code)
    first, per_minute = await outbox_ids_per_minute(before)
    label = "main's reminders SQL" if before else "this branch"
    print(f"outbox ids ({label}): first run {first}, then {per_minute} per minute (4 workers x 2 runs, 30 reminders)")


if __name__ == "__main__":
    asyncio.run(main())
