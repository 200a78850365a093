"""A personal calendar feed with 200 sessions, as calendar apps poll it: the full feed and its 304.

The person is created here, in the bench process (same database as the server): confirmed enrolments
in 20 generated courses of 10 sessions each. Their feed URL comes from ``/api/me`` like any client's.
Goals on one worker: the full feed at least 1/5 of /healthz's rate, the 304 at least 1/2.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from icalendar import Calendar

from bench.framework import BenchContext, Probe
from training_hub.core.security import hash_password
from training_hub.core.tables import Enrolment, EnrolmentStatus, Person, Session
from training_hub.core.timeutil import utcnow
from training_hub.demo import DEMO_PASSWORD

EMAIL = "feed-reader@bench.test"
SESSIONS = 200


async def _person_with_sessions(ctx: BenchContext) -> None:
    if await Person.exists().where(Person.email == EMAIL):
        return
    person = Person(full_name="Lettrice Calendario", email=EMAIL, roles="worker",
                    cooperative=ctx.data["cooperative_ids"][0], password_hash=hash_password(DEMO_PASSWORD))
    await person.save()
    chosen, total = [], 0
    for course_id in ctx.data["course_ids"]:
        count = await Session.count().where(Session.course == course_id)
        if total + count > SESSIONS:
            continue
        chosen.append(course_id)
        total += count
        if total == SESSIONS:
            break
    now = utcnow()
    await Enrolment.insert(*[
        Enrolment(person=person.id, course=course_id, status=EnrolmentStatus.CONFIRMED.value, enrolled_by=person.id,
                  confirmed_at=now)
        for course_id in chosen
    ])


async def probes(ctx: BenchContext) -> list[Probe]:
    await _person_with_sessions(ctx)
    if ctx.engine == "PostgreSQL":
        # Fresh bulk-loaded tables have no planner statistics yet (autovacuum has not run), and
        # PostgreSQL would plan the feed's joins as sequential scans; a production database has them.
        await Session.raw("ANALYZE")
    headers = await ctx.bearer(EMAIL)
    async with httpx.AsyncClient(base_url=ctx.base_url) as client:
        me = (await client.get("/api/me", headers=headers)).json()
        path = urlsplit(me["calendar_url"]).path  # the server's base URL may name another port
        first = await client.get(path)
        first.raise_for_status()
    events = len(Calendar.from_ical(first.content).events)
    etag = first.headers["etag"]
    note = f"{events} sessions, {len(first.content) // 1024} KB"
    return [
        Probe(name=f"personal feed, {events} sessions (full)", path=path, note=note),
        Probe(name="personal feed, 304 revalidation", path=path, headers={"If-None-Match": etag}, expect=(304,),
              note="If-None-Match"),
    ]


def _alternate(database_url: str | None, rounds: int = 8, window: float = 1.5) -> None:
    """``python -m bench.scenarios.calendars [postgresql://…]``: /healthz, the 304 and the full feed
    measured in short alternating windows on one server, median ratios printed (on a shared, noisy
    machine the harness's single windows swing; this is how bench/RESULTS.md's calendar medians were
    taken). ``TRAINING_HUB_FEED_VERSION_TTL=0`` in the environment measures polls that recompute."""
    import asyncio
    import os
    import secrets
    import statistics
    import tempfile

    from bench import run
    from bench.framework import run_timed

    workdir = run.HERE / ".work"
    workdir.mkdir(exist_ok=True)
    database_url = database_url or f"sqlite:///{tempfile.mkdtemp(dir=workdir)}/bench.sqlite3"
    os.environ["TRAINING_HUB_DATABASE_URL"] = database_url
    os.environ.setdefault("TRAINING_HUB_MODE", "dev")
    os.environ.setdefault("TRAINING_HUB_SECRET_KEY", secrets.token_urlsafe(48))
    data = asyncio.run(run.prepare_database("default"))
    port = run._free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = run.start_server(database_url, port, 1)

    async def measure() -> None:
        engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
        full, revalidation = await probes(BenchContext(base_url=base_url, engine=engine, data=data))
        health = Probe(name="/healthz", path="/healthz")
        rates: dict[str, list[float]] = {"healthz": [], "304": [], "full": []}
        for probe in (health, full, revalidation):
            await run_timed(base_url, probe, duration=1.0, concurrency=8)
        for _ in range(rounds):
            for key, probe in (("healthz", health), ("304", revalidation), ("full", full)):
                rates[key].append((await run_timed(base_url, probe, duration=window, concurrency=8)).rate)
        healthz = statistics.median(rates["healthz"])
        for key in ("304", "full"):
            median = statistics.median(rates[key])
            print(f"{engine} {key}: {median:.0f}/s, /healthz {healthz:.0f}/s, ratio {median / healthz:.2f}")

    try:
        asyncio.run(run.wait_until_up(base_url))
        asyncio.run(measure())
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    import sys

    _alternate(sys.argv[1] if len(sys.argv) > 1 else None)
