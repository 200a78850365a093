"""The benchmark machinery: a small keep-alive HTTP load generator, probes and their context.

Absolute rates on these machines mean little (shared, noisy cores); every figure is reported next to
``/healthz`` measured in the same run against the same server, and the ratio is what we compare.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

RequestSpec = tuple[str, str, dict[str, str], bytes]  # method, path, headers, body


@dataclass
class Probe:
    """One measured scenario.

    Timed probes repeat the same request for ``duration`` seconds over ``concurrency`` connections.
    Batch probes (``batch`` set) fire ``len(batch)`` distinct requests at once (for instance 200
    enrolments) and report how many completed per second; ``verify`` then checks the outcome.
    """

    name: str
    path: str = "/"
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    expect: tuple[int, ...] = (200,)
    batch: list[RequestSpec] | None = None
    verify: Callable[[], Awaitable[str]] | None = None
    note: str = ""
    # Connections for a batch probe (default: the run's --concurrency); N gives N requests at once.
    concurrency: int | None = None


@dataclass
class ProbeResult:
    name: str
    requests: int
    seconds: float
    errors: int
    statuses: dict[int, int]
    note: str = ""

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class Connection:
    """A minimal HTTP/1.1 keep-alive client: fast enough not to be the bottleneck in Python."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, bytes, dict[str, str]]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        response_headers: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                response_headers[name.strip().lower()] = value.strip()
        if "content-length" in response_headers:
            payload = await self.reader.readexactly(int(response_headers["content-length"]))
        elif response_headers.get("transfer-encoding") == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunks.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            payload = b"".join(chunk[:-2] for chunk in chunks)
        else:
            payload = b""
        if response_headers.get("connection") == "close":
            await self.close()
        return status, payload, response_headers

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except OSError:
                pass
        self.reader = self.writer = None


async def run_timed(base_url: str, probe: Probe, *, duration: float, concurrency: int) -> ProbeResult:
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    statuses: dict[int, int] = {}
    done = 0
    errors = 0
    deadline = time.perf_counter() + duration

    async def worker() -> None:
        nonlocal done, errors
        connection = Connection(host, port)
        try:
            while time.perf_counter() < deadline:
                status, _payload, _headers = await connection.request(probe.method, probe.path, probe.headers, probe.body)
                statuses[status] = statuses.get(status, 0) + 1
                if status in probe.expect:
                    done += 1
                else:
                    errors += 1
        finally:
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return ProbeResult(probe.name, done, time.perf_counter() - started, errors, statuses, probe.note)


async def run_batch(base_url: str, probe: Probe, *, concurrency: int) -> ProbeResult:
    assert probe.batch is not None
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    statuses: dict[int, int] = {}
    queue: asyncio.Queue[RequestSpec] = asyncio.Queue()
    for spec in probe.batch:
        queue.put_nowait(spec)

    async def worker() -> None:
        connection = Connection(host, port)
        try:
            while not queue.empty():
                method, path, headers, body = queue.get_nowait()
                status, _payload, _headers = await connection.request(method, path, headers, body)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(min(probe.concurrency or concurrency, len(probe.batch)))))
    seconds = time.perf_counter() - started
    good = sum(count for status, count in statuses.items() if status in probe.expect)
    note = probe.note
    if probe.verify is not None:
        note = (note + " " if note else "") + await probe.verify()
    return ProbeResult(probe.name, good, seconds, len(probe.batch) - good, statuses, note)


@dataclass
class BenchContext:
    """What a scenario gets: the server's address, logins, and the generated data's ids."""

    base_url: str
    engine: str
    data: dict[str, Any]
    _tokens: dict[str, str] = field(default_factory=dict)

    async def bearer(self, email: str, password: str = "demo-password") -> dict[str, str]:
        if email not in self._tokens:
            async with httpx.AsyncClient(base_url=self.base_url) as client:
                response = await client.post("/api/auth/tokens", json={"email": email, "password": password})
                response.raise_for_status()
                self._tokens[email] = response.json()["token"]
        return {"Authorization": f"Bearer {self._tokens[email]}"}

    async def session_cookie(self, email: str, password: str = "demo-password") -> dict[str, str]:
        """A logged-in browser's Cookie header (the login form, CSRF token included)."""
        async with httpx.AsyncClient(base_url=self.base_url, follow_redirects=False) as client:
            await client.get("/login")
            token = client.cookies["th_csrf"]
            response = await client.post(
                "/login", data={"email": email, "password": password, "_csrf_token": token}
            )
            assert response.status_code == 303, response.text
            cookies = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        return {"Cookie": cookies}
