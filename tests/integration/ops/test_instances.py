"""Several instances on one database: hourly jobs run once, other instances' writes reach the caches.

The end-to-end check with two real server processes is ``test_two_instances.py`` (PostgreSQL only);
these run on both engines inside the test process.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from training_hub.core.db import fetch_one
from training_hub.core.jobs import claim_periodic_run
from training_hub.core.timeutil import utcnow
from training_hub.housekeeping import run_hourly_jobs


async def test_an_hourly_job_is_claimed_once_across_racing_instances():
    now = utcnow()
    claims = await asyncio.gather(*(claim_periodic_run("prova", timedelta(hours=1), now) for _ in range(10)))
    assert claims.count(True) == 1
    # Later within the hour: nobody; after 54 minutes (90% of the period): the next run.
    assert await claim_periodic_run("prova", timedelta(hours=1), now + timedelta(minutes=50)) is False
    assert await claim_periodic_run("prova", timedelta(hours=1), now + timedelta(minutes=55)) is True
    row = await fetch_one("SELECT value FROM key_value WHERE key = {}", "job:prova")
    assert bytes(row["value"]) == b"2"


async def test_the_housekeeping_loop_of_a_second_instance_runs_nothing_that_hour():
    ran: list[str] = []

    async def job() -> None:
        ran.append("x")

    async def broken() -> None:
        raise RuntimeError("guasto")

    first, second = await asyncio.gather(run_hourly_jobs((broken, job)), run_hourly_jobs((broken, job)))
    assert sorted([first, second]) == [False, True]
    assert ran == ["x"]  # a failing job does not stop the next one, and it ran once
