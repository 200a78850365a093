"""SQL statements per request, for each GET probe: the same request through the application in the
bench process, with the statements it sends to the database counted.

The server being measured is left alone (no counting on its hot path, no bench-only setting in the
application): after the timed probes, the bench process builds the same application with the same
settings (``TRAINING_HUB_*`` as given to the server, same secret key, same database) and sends each GET
probe's request, headers included, through ``httpx.ASGITransport`` twice. The count is taken from
``Engine.run_querystring`` — every Piccolo query and every hand-written ``fetch_all`` goes through it —
with the test suite's ``QueryCounter``. ``first`` is a cold process (empty read caches), ``steady`` the
second identical request, which is what the timed probe mostly measured.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass

import httpx

from bench.framework import Probe

SLOW_SECONDS = 1.0


@dataclass(frozen=True)
class StatementCount:
    first: int
    steady: int

    def __str__(self) -> str:
        return str(self.steady) if self.first == self.steady else f"{self.steady} ({self.first} cold)"


async def count_statements(probes: Sequence[Probe], base_url: str, settings: dict[str, str]) -> dict[str, StatementCount]:
    """Statements of each GET probe's request (keyed by probe name), in a fresh in-process app."""
    from tests.support import QueryCounter
    from training_hub.core.db import get_engine, start_engine, stop_engine
    from training_hub.core.settings import get_settings

    os.environ.update(settings)
    get_settings.cache_clear()
    from training_hub.app import create_app

    app = create_app()
    engine = get_engine()
    started = await start_engine(engine)
    counts: dict[str, StatementCount] = {}
    try:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url=base_url) as client:
            counter = QueryCounter(engine)
            for probe in probes:
                if probe.batch is not None or probe.method != "GET":
                    continue
                seen = []
                for _ in range(2):
                    began = time.perf_counter()
                    with counter():
                        response = await client.get(probe.path, headers=probe.headers)
                    if response.status_code not in probe.expect:
                        break
                    seen.append(counter.count)
                    if time.perf_counter() - began > SLOW_SECONDS:
                        seen.append(counter.count)  # a request of seconds reads no cache: once is enough
                        break
                if len(seen) == 2:
                    counts[probe.name] = StatementCount(*seen)
    finally:
        await stop_engine(engine, started=started)
    return counts


def count_in_subprocess(probes: Sequence[Probe], base_url: str, settings: dict[str, str]) -> dict[str, StatementCount]:
    """``count_statements`` in a fresh Python process: the application's read caches and settings are
    per process, so each pass (caches on, caches off) is counted from a cold start with its own settings."""
    import json
    import subprocess
    import sys

    payload = json.dumps({
        "base_url": base_url, "settings": settings,
        "probes": [{"name": p.name, "path": p.path, "method": p.method, "headers": p.headers,
                    "expect": list(p.expect), "batch": p.batch is not None} for p in probes],
    })
    done = subprocess.run([sys.executable, "-m", "bench.statements"], input=payload, capture_output=True,
                          text=True, env=dict(os.environ), timeout=600)
    if done.returncode != 0:
        print(f"  ! statement count failed: {done.stderr.strip().splitlines()[-1:]}", flush=True)
        return {}
    return {name: StatementCount(*pair) for name, pair in json.loads(done.stdout.strip().splitlines()[-1]).items()}


def _main() -> None:
    import asyncio
    import json
    import sys

    request = json.loads(sys.stdin.read())
    probes = [Probe(name=p["name"], path=p["path"], method=p["method"], headers=p["headers"],
                    expect=tuple(p["expect"]), batch=[] if p["batch"] else None) for p in request["probes"]]
    counts = asyncio.run(count_statements(probes, request["base_url"], request["settings"]))
    print(json.dumps({name: [count.first, count.steady] for name, count in counts.items()}))


if __name__ == "__main__":
    _main()
